#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Generators run on every boot, before any unit: each of ours against systemd-fstab-generator, measured
# in the same run on the same machine, on a realistic profile (immutable-host) and command line.
# Prints median wall time, peak RSS and the ratio to systemd's generator (goal: <= 0.25, < 4 MiB).
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

measure() { # NAME INITRD PROGRAM
        local out
        mkdir -p "$tmp/$1"
        out=$(env SYSTEMD_PROC_CMDLINE="$cmdline" SYSTEMD_IN_INITRD="$2" HARDENCTL_ROOT="$root" \
                  HARDENCTL_LOG_TARGET=null SYSTEMD_LOG_LEVEL=err \
                  "$build/bench-generators" "$runs" "$tmp/$1" "$3")
        echo "$1 $out"
}

echo "$runs runs each, $(nproc) cores, $(uname -r)"
base_initrd=$(measure fstab-initrd 1 "$fstab")
base_main=$(measure fstab-main 0 "$fstab")
read -r _ bi _ _ bir <<<"$base_initrd"
read -r _ bm _ _ bmr <<<"$base_main"
printf '%-34s %9s %9s %9s %9s %7s\n' generator median_ms min_ms max_ms rss_kib ratio
printf '%-34s %9s %9s %9s %9s %7s\n' "systemd-fstab-generator (initrd)" $(echo "$base_initrd" | cut -d' ' -f2-) 1.00
printf '%-34s %9s %9s %9s %9s %7s\n' "systemd-fstab-generator (main)" $(echo "$base_main" | cut -d' ' -f2-) 1.00
# The floor: exec of a program that does nothing.
printf 'int main(void) { return 0; }\n' >"$tmp/empty.c" && cc -O2 -o "$tmp/empty-program" "$tmp/empty.c"
line=$(measure empty 0 "$tmp/empty-program")
printf '%-34s %9s %9s %9s %9s %7.2f\n' "(exec of an empty program)" $(echo "$line" | cut -d' ' -f2-) "$(awk -v a="$(echo "$line" | cut -d' ' -f2)" -v b="$bm" 'BEGIN { print a / b }')"
for g in usr:1 etc:1 system:0; do
        name=${g%:*} initrd=${g#*:}
        line=$(measure "$name" "$initrd" "$build/src/generators/hardenctl-$name-generator")
        read -r _ med min max rss <<<"$line"
        base=$([ "$initrd" = 1 ] && echo "$bi" || echo "$bm")
        printf '%-34s %9s %9s %9s %9s %7.2f\n' "hardenctl-$name-generator" "$med" "$min" "$max" "$rss" "$(awk -v a="$med" -v b="$base" 'BEGIN { print a / b }')"
done
