#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Generators run on every boot, before any unit: each of ours against systemd-fstab-generator, measured
# in the same run on the same machine, on a realistic profile (immutable-host) and command line.
# Prints median wall time, peak RSS and the ratio to systemd's generator (goal: <= 0.25, < 4 MiB), then
# the median CPU time and its ratio, which the wait for a CPU on a busy machine inflates less.
# Usage: bench/bench-generators.sh [BUILD_DIR] [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."

build=${1:-build}
runs=${2:-300}
fstab=$(pkg-config --variable=systemdsystemgeneratordir systemd)/systemd-fstab-generator
[ -x "$fstab" ] || fstab=/usr/lib/systemd/system-generators/systemd-fstab-generator

[ -d "$build" ] || meson setup "$build" -Dbuildtype=release
ninja -C "$build"
cc -O2 -o "$build/bench-generators" bench/bench-generators.c

# Generators write to /run, a tmpfs: so do we, where there is one.
tmp=$(mktemp -d -p "$( [ -d /dev/shm ] && echo /dev/shm || echo /tmp )")
trap 'rm -rf "$tmp"' EXIT
root="$tmp/root"
mkdir -p "$root/usr/lib/hardenctl/profiles" "$root/etc"
cp profiles/*.profile "$root/usr/lib/hardenctl/profiles/"
ln -s profiles/immutable-host.profile "$root/usr/lib/hardenctl/active.profile"
hash=85f0d6c603c3aec6c78d4aad0e42fdbc9d227900cc5764d24a276b615e5a9ac2
cmdline="root=PARTUUID=6a1b2c3d-0000-4000-8000-000000000001 rootfstype=ext4 ro usrhash=$hash quiet"

# The floor: exec of a program that does nothing.
printf 'int main(void) { return 0; }\n' >"$tmp/empty.c" && cc -O2 -o "$tmp/empty-program" "$tmp/empty.c"

# All programs in one run, taking turns, so that load from elsewhere on the machine (noisy on a shared
# one) falls on each of them alike and the ratios stay comparable.
names=("systemd-fstab-generator (initrd)" "systemd-fstab-generator (main)" "(exec of an empty program)")
specs=("1:$fstab" "0:$fstab" "0:$tmp/empty-program")
for g in usr:1 etc:1 system:0; do
        names+=("hardenctl-${g%:*}-generator")
        specs+=("${g#*:}:$build/src/generators/hardenctl-${g%:*}-generator")
done
mkdir -p "$tmp/runs"
mapfile -t lines < <(env SYSTEMD_PROC_CMDLINE="$cmdline" HARDENCTL_ROOT="$root" \
                         HARDENCTL_LOG_TARGET=null SYSTEMD_LOG_LEVEL=err \
                         "$build/bench-generators" "$runs" "$tmp/runs" "${specs[@]}")
[ ${#lines[@]} -eq ${#specs[@]} ]

echo "$runs runs each, interleaved, $(nproc) cores, $(uname -r), load $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-34s %9s %9s %9s %9s %7s %9s %9s\n' generator median_ms min_ms max_ms rss_kib ratio cpu_ms cpu_ratio
read -r bi _ _ _ bic <<<"${lines[0]}"
read -r bm _ _ _ bmc <<<"${lines[1]}"
for i in "${!specs[@]}"; do
        read -r med min max rss cpu <<<"${lines[$i]}"
        # Against systemd's generator in the same place: the initrd or the main system.
        if [ "${specs[$i]%%:*}" = 1 ]; then base=$bi basec=$bic; else base=$bm basec=$bmc; fi
        printf '%-34s %9s %9s %9s %9s %7.2f %9s %9.2f\n' "${names[$i]}" "$med" "$min" "$max" "$rss" \
                "$(awk -v a="$med" -v b="$base" 'BEGIN { print a / b }')" "$cpu" "$(awk -v a="$cpu" -v b="$basec" 'BEGIN { print a / b }')"
done
