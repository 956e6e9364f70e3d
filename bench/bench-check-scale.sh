#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# hardenctl check on large inputs: a copy of the fixture tree (tests/check/root) with N files drifted
# in the /etc overlay's upper dir, N members in the sudo group (N/2 listed in /etc/group, N/2 with it
# as their primary group), and 2N NOPASSWD lines in /etc/sudoers. Prints the wall time of one check
# for each N; doubling N should roughly double the time (appends and membership tests are not
# quadratic).
#
# Usage: bench/bench-check-scale.sh [BUILD_DIR] [N…]   (default N: 20000 40000 80000)
set -euo pipefail
cd "$(dirname "$0")/.."

build=${1:-build}
shift || true
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(20000 40000 80000)
hc="$PWD/$build/src/hardenctl/hardenctl"
[ -x "$hc" ] || { echo "no $hc: build first" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export HARDENCTL_CHECK_TIME=1700000000 NO_COLOR=1

for n in "${sizes[@]}"; do
        r="$tmp/root-$n"
        cp -a tests/check/root "$r"
        mkdir -p "$r/run/hardenctl/etc/upper/drift"
        (cd "$r/run/hardenctl/etc/upper/drift" && seq -f 'f%06g' 1 "$n" | xargs touch)
        python3 - "$r" "$n" <<'PY'
import sys
root, n = sys.argv[1], int(sys.argv[2])
with open(f"{root}/etc/passwd", "a") as f:
    for i in range(n // 2):
        f.write(f"p{i}:x:{20000 + i}:27::/home/p{i}:/bin/sh\n")
with open(f"{root}/etc/group") as f:
    lines = f.read().splitlines()
with open(f"{root}/etc/group", "w") as f:
    for l in lines:
        if l.startswith("sudo:"):
            l += ("," if not l.endswith(":") else "") + ",".join(f"g{i}" for i in range(n // 2))
        f.write(l + "\n")
with open(f"{root}/etc/sudoers", "a") as f:
    for i in range(2 * n):
        f.write(f"u{i} ALL=(ALL) NOPASSWD: /bin/true\n")
PY
        start=$(date +%s.%N)
        "$hc" --root="$r" check fixture -q >/dev/null || true
        end=$(date +%s.%N)
        printf 'N=%-7s %6.2f s\n' "$n" "$(echo "$end - $start" | bc)"
        rm -rf "$r"
done
