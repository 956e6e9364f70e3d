#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# What signed /usr and the execution policy cost, on Debian 13 under qemu: the test image of the VM suite
# (tests/vm/mkimage.sh) booted BOOTS times in each of three configurations, in turn, each boot measuring
# the time from the kernel's start to the test unit at the end of the boot (the guest's uptime there):
#
#   verity      dm-verity /usr, no signature (the signature partition removed, Signature=off and
#               [Exec] Mode=off in a drop-in in the initrd; so dm_verity.require_signatures stays off)
#   signed      the image as built: the root hash signature checked by the kernel; [Exec] Mode=off in
#               a drop-in in the initrd (the profile refuses kill switches)
#   signed+ipe  the image as built: signature, and the execution policy enforced
#
# Then EXEC_BOOTS boots of signed and of signed+ipe, in turn (default 1, 0 for none), each running EXECS
# execs of /usr/bin/true from bash (fork and exec) once the rest of its boot has settled, in rounds of
# 250: the fastest round of a boot is its cost of an exec. The guests have no TPM.
#
# Prints each configuration's median and fastest boot, the exec costs, and the ratios signed/verity and
# signed+ipe/verity for the boot and signed+ipe/signed for the exec. Goal: hardening adds <= 2 % to the
# boot and <= 2 % per exec. Under TCG (no KVM) every number is the emulator's, several times what a
# machine takes, and boots of one configuration differ by up to a quarter, more than the goal: so the
# bench also adds up what hardening adds, piece by piece, from each boot's own clock: the initrd units
# that differ (the verity setup, where the kernel checks the signature; the policy's load), and the
# programs the boot started times the exec's extra cost; and gives that ratio as well. Each boot's console
# and report stay in the run directory: the phases (kernel, initrd, system), the units that took longest,
# and what the posture record and, with a TPM, the measurement cost at boot and warm; the log line of each
# boot also gives the SELinux policy load (1 to 18 s in any configuration) and the time this machine's
# own processors were taken from it.
# Needs what the VM suite needs (root, tools/install-vm-deps.sh).
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

# One boot: CONFIG INITRD DISK N EXECS APPEND…; appends "CONFIG UPTIME" to $run/results (boots with
# EXECS 0) or "CONFIG MICROSECONDS" (an exec in the fastest round) to $run/execs. The time limit allows
# 200 ms an exec under TCG, and five minutes for the boot to settle before the execs.
boot_one() {
        local config=$1 initrd=$2 disk=$3 n=$4 count=$5
        shift 5
        local dir=$run/$config-$n-$count
        cp "$OVMF_VARS" "$run/vars.fd"
        # The time this machine's own processors were taken from it (steal, when it is itself a guest):
        # a stall of the emulated boot that this does not explain happened inside the emulator.
        local steal0
        steal0=$(awk '/^cpu / { print $9 }' /proc/stat)
        VM_OVMF_CODE=$OVMF_CODE VM_OVMF_VARS=$run/vars.fd bash "$here/boot.sh" "$dir" "$vmdir/vmlinuz" "$run/$initrd" \
                "$run/$disk" $((600 + (count > 0 ? 300 : 0) + count / 5)) "$@" "vmtest.bench=$count" >"$dir.outcome" 2>"$dir.err" ||
                vm_die "boot.sh failed: $(cat "$dir.err")"
        local up ex steal
        steal=$(awk -v a="$steal0" -v hz="$(getconf CLK_TCK)" '/^cpu / { printf "%.1f", ($9 - a) / hz }' /proc/stat)
        up=$(tr -d '\r' <"$dir/results.log" | sed -n 's/^BENCH_UPTIME=//p')
        ex=$(tr -d '\r' <"$dir/results.log" | sed -n 's/^BENCH_EXEC_SECONDS=//p')
        if [ -z "$up" ] || [ -z "$ex" ]; then
                vm_die "$config boot $n did not report ($(tr '\n' ' ' <"$dir.outcome"); console: $dir/console.log)"
        fi
        grep -a -q 'Execution policy hardenctl .* active, enforcing' "$dir/console.log" && [ "$config" != signed+ipe ] &&
                vm_die "$config boot $n: the execution policy was enforced"
        if [ "$count" -eq 0 ]; then
                vm_log "$config boot $n: at the test unit after $up s ($(tr -d '\r' <"$dir/results.log" |
                        sed -n 's/^BENCH_PHASES=//p'); $(grep -a -o 'SELinux policy in [0-9.]*s' "$dir/console.log" |
                        head -n 1); host steal $steal s)"
                echo "$config $up $(tr -d '\r' <"$dir/results.log" | sed -n 's/^BENCH_FORKS=//p')" >>"$run/results"
                tr -d '\r' <"$dir/results.log" | sed -n "s/^BENCH_INITRD_UNIT_MS=/$config /p" >>"$run/units"
        else
                local best
                best=$(tr -d '\r' <"$dir/results.log" | sed -n 's/^BENCH_EXEC_ROUND_US=//p' | sort -n | head -n 1)
                vm_log "$config boot $n: $count execs in $ex s, $best us each in the fastest round of 250"
                echo "$config $best" >>"$run/execs"
        fi
}

: >"$run/results"
: >"$run/units"
: >"$run/execs"
for n in $(seq "$boots"); do
        stage "boots $n of $boots"
        boot_one verity initrd-verity.img verity.img "$n" 0 $base $KERNEL_EXTRA_ARGS
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

python3 - "$run/results" "$run/execs" "$run/units" <<'EOF'
import statistics, sys
boots = [l.split() for l in open(sys.argv[1])]
runs = [l.split() for l in open(sys.argv[2])]
units = [l.split() for l in open(sys.argv[3])]
med, low, ex = {}, {}, {}
configs = ("verity", "signed", "signed+ipe")
for c in configs:
    ups = [float(r[1]) for r in boots if r[0] == c]
    med[c], low[c] = statistics.median(ups), min(ups)
    print(f"{c:11s} boot to the test unit: median {med[c]:7.2f} s, fastest {low[c]:7.2f} s of {len(ups)} ({', '.join(f'{u:.2f}' for u in ups)})")
for c in ("signed", "signed+ipe"):
    exs = [float(r[1]) for r in runs if r[0] == c]
    if exs:
        ex[c] = statistics.median(exs)
        print(f"{c:11s} exec of /usr/bin/true: {ex[c]:.0f} us (median over {len(exs)} boots of each boot's fastest round; {', '.join(f'{e:.0f}' for e in exs)})")
for name, v in (("median", med), ("fastest", low)):
    print(f"boot ({name}): signed / verity {v['signed'] / v['verity']:.3f}, signed+ipe / verity {v['signed+ipe'] / v['verity']:.3f} (goal <= 1.02)")
if len(ex) == 2:
    print(f"exec: signed+ipe / signed {ex['signed+ipe'] / ex['signed']:.3f} (goal <= 1.02)")

# What hardening adds, piece by piece, which a whole boot under TCG (a quarter from one boot to the next)
# cannot show at 2 %: the initrd units that differ (medians over the boots; they are on the way to the
# root file system, so what they add to the boot is at most what they take), and each program the boot
# started (the kernel's count) at the exec's extra cost.
def unit(c, u):
    v = [float(r[2]) for r in units if r[0] == c and r[1] == u]
    return statistics.median(v) if v else 0.0
verity_unit = {c: unit(c, "hardenctl-verity-usr.service") for c in configs}
ipe_unit = {c: unit(c, "hardenctl-ipe.service") for c in configs}
for c in configs:
    print(f"{c:11s} initrd units (median ms): hardenctl-verity-usr {verity_unit[c]:.0f}, hardenctl-ipe {ipe_unit[c]:.0f}")
forks = statistics.median([int(r[2]) for r in boots if r[0] == "signed+ipe" and len(r) > 2] or [0])
sig = verity_unit["signed"] - verity_unit["verity"]
pol = ipe_unit["signed+ipe"] - ipe_unit["signed"]
per_exec = ex["signed+ipe"] - ex["signed"] if len(ex) == 2 else 0.0
execs_ms = forks * max(per_exec, 0) / 1000
base = med["verity"] * 1000
print(f"added by the signature: {sig:.0f} ms (hardenctl-verity-usr, signed - verity)")
print(f"added by the policy: {pol:.0f} ms (hardenctl-ipe, signed+ipe - signed), and {forks:.0f} programs the boot started x {per_exec:.0f} us = {execs_ms:.0f} ms")
print(f"boot (attributed): signed / verity {(base + max(sig, 0)) / base:.3f}, signed+ipe / verity {(base + max(sig, 0) + max(pol, 0) + execs_ms) / base:.3f} (goal <= 1.02)")
EOF
