#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# What signed /usr and the execution policy cost, on Debian 13 under qemu: the test image of the VM suite
# (tests/vm/mkimage.sh) booted BOOTS times in each of three configurations, in turn, each boot measuring
# the time from the kernel's start to the test unit at the end of the boot (the guest's uptime there)
# and the time of EXECS runs of /usr/bin/true from bash (fork and exec):
#
#   verity      dm-verity /usr, no signature (the signature partition removed, Signature=off and
#               [Exec] Mode=off in a drop-in in the initrd, no dm_verity.require_signatures=1)
#   signed      the image as built: the root hash signature checked by the kernel; [Exec] Mode=off in
#               a drop-in in the initrd (the profile refuses kill switches)
#   signed+ipe  the image as built: signature, and the execution policy enforced
#
# The execs run in boots of their own, after the timed boots (EXEC_BOOTS of signed and of signed+ipe, in
# turn; default 1): under TCG each exec takes tens of milliseconds, and 10,000 of them would put the
# boots that measure the boot time minutes apart. Prints the median of each, and the ratios
# signed/verity and signed+ipe/verity for the boot, and signed+ipe/signed for the execs. The guests have no TPM. Goal: hardening adds <= 2 % to the boot and
# <= 2 % per exec. Under
# TCG (no KVM) every number is the emulator's, several times what a machine takes; the ratios are what
# this measures. Needs what the VM suite needs (root, tools/install-vm-deps.sh).
#
# Usage: bench/bench-ipe.sh [BUILD_DIR] [BOOTS] [EXECS]   (defaults: build, 3, 10000)
set -euo pipefail
cd "$(dirname "$0")/.."
src=$PWD
build=$(cd "${1:-build}" && pwd)
boots=${2:-3}
execs=${3:-10000}
exec_boots=${EXEC_BOOTS:-1}
here=$src/tests/vm
. "$here/vm-lib.sh"

[ "$(id -u)" -eq 0 ] || vm_die "bench-ipe: needs root (as the VM suite does)"
command -v qemu-system-x86_64 >/dev/null || vm_die "bench-ipe: needs qemu (tools/install-vm-deps.sh)"
ninja -C "$build" >/dev/null

vmdir=${VM_DIR:-$build/vm}/deb13
stage "image"
VM_RELEASE=trixie bash "$here/mkimage.sh" "$build" "$vmdir" || vm_die "the image could not be built"
. "$vmdir/image.env"
stage_end

run=$vmdir/run/bench-ipe
rm -rf "$run"
mkdir -p "$run"
trap 'rm -rf "$run"/*.img' EXIT

# The disks: the image's own, and a copy without the signature partition (number 4).
cp --sparse=always "$vmdir/disk.img" "$run/signed.img"
cp --sparse=always "$vmdir/disk.img" "$run/verity.img"
sfdisk --quiet --delete "$run/verity.img" 4 || vm_die "sfdisk failed"

# initrd_with NAME DROP-IN-TEXT: the image's initrd with a drop-in appended (as a second cpio archive).
initrd_with() {
        rm -rf "$run/dropin"
        mkdir -p "$run/dropin/usr/lib/hardenctl/active.profile.d"
        printf "$2" >"$run/dropin/usr/lib/hardenctl/active.profile.d/90-bench.conf"
        (cd "$run/dropin" && find . | LC_ALL=C sort | cpio --quiet -o -H newc -R 0:0) >"$run/dropin.cpio"
        cat "$vmdir/initrd.img" "$run/dropin.cpio" >"$run/$1"
}
initrd_with initrd-verity.img '[Usr]\nSignature=off\n\n[Exec]\nMode=off\n'
initrd_with initrd-signed.img '[Exec]\nMode=off\n'
cp "$vmdir/initrd.img" "$run/initrd.img"

base="console=ttyS0,115200 root=PARTUUID=$ROOT_PARTUUID rootfstype=ext4 rw $KERNEL_LSM_ARGS panic=-1 slab_nomerge init_on_alloc=1 page_alloc.shuffle=1 usrhash=$ROOT_HASH"
extra_unsigned=$(tr ' ' '\n' <<<"$KERNEL_EXTRA_ARGS" | { grep -v -x 'dm_verity.require_signatures=1' || true; } | tr '\n' ' ')

# One boot: CONFIG INITRD DISK N EXECS APPEND…; appends "CONFIG UPTIME EXEC_SECONDS" to $run/results
# (boots with EXECS 0) or $run/execs. The time limit allows 200 ms an exec under TCG.
boot_one() {
        local config=$1 initrd=$2 disk=$3 n=$4 count=$5
        shift 5
        local dir=$run/$config-$n-$count
        cp "$OVMF_VARS" "$run/vars.fd"
        VM_OVMF_CODE=$OVMF_CODE VM_OVMF_VARS=$run/vars.fd bash "$here/boot.sh" "$dir" "$vmdir/vmlinuz" "$run/$initrd" \
                "$run/$disk" $((600 + count / 5)) "$@" "vmtest.bench=$count" >"$dir.outcome" 2>"$dir.err" ||
                vm_die "boot.sh failed: $(cat "$dir.err")"
        local up ex
        up=$(tr -d '\r' <"$dir/results.log" | sed -n 's/^BENCH_UPTIME=//p')
        ex=$(tr -d '\r' <"$dir/results.log" | sed -n 's/^BENCH_EXEC_SECONDS=//p')
        if [ -z "$up" ] || [ -z "$ex" ]; then
                vm_die "$config boot $n did not report ($(tr '\n' ' ' <"$dir.outcome"); console: $dir/console.log)"
        fi
        grep -a -q 'Execution policy hardenctl .* active, enforcing' "$dir/console.log" && [ "$config" != signed+ipe ] &&
                vm_die "$config boot $n: the execution policy was enforced"
        if [ "$count" -eq 0 ]; then
                vm_log "$config boot $n: at the test unit after $up s"
                echo "$config $up" >>"$run/results"
        else
                vm_log "$config boot $n: $count execs in $ex s"
                echo "$config $ex" >>"$run/execs"
        fi
}

: >"$run/results"
: >"$run/execs"
for n in $(seq "$boots"); do
        stage "boots $n of $boots"
        boot_one verity initrd-verity.img verity.img "$n" 0 $base $extra_unsigned
        boot_one signed initrd-signed.img signed.img "$n" 0 $base $KERNEL_EXTRA_ARGS
        boot_one signed+ipe initrd.img signed.img "$n" 0 $base $KERNEL_EXTRA_ARGS
        stage_end
done
for n in $(seq "$exec_boots"); do
        stage "execs $n of $exec_boots"
        boot_one signed initrd-signed.img signed.img "$n" "$execs" $base $KERNEL_EXTRA_ARGS
        boot_one signed+ipe initrd.img signed.img "$n" "$execs" $base $KERNEL_EXTRA_ARGS
        stage_end
done

python3 - "$run/results" "$run/execs" "$execs" <<'EOF'
import statistics, sys
boots = [l.split() for l in open(sys.argv[1])]
runs = [l.split() for l in open(sys.argv[2])]
execs = int(sys.argv[3])
up, ex = {}, {}
for c in ("verity", "signed", "signed+ipe"):
    ups = [float(r[1]) for r in boots if r[0] == c]
    up[c] = statistics.median(ups)
    print(f"{c:11s} boot to the test unit: median {up[c]:7.2f} s of {len(ups)} ({', '.join(f'{u:.2f}' for u in ups)})")
for c in ("signed", "signed+ipe"):
    exs = [float(r[1]) for r in runs if r[0] == c]
    ex[c] = statistics.median(exs)
    print(f"{c:11s} {execs} execs of /usr/bin/true: median {ex[c]:7.2f} s of {len(exs)} ({1e6 * ex[c] / execs:.0f} us each)")
print(f"boot: signed / verity {up['signed'] / up['verity']:.3f}, signed+ipe / verity {up['signed+ipe'] / up['verity']:.3f} (goal <= 1.02)")
print(f"exec: signed+ipe / signed {ex['signed+ipe'] / ex['signed']:.3f} (goal <= 1.02)")
EOF
