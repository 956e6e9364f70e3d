#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Boots a test image under qemu (TCG) once and reports how the boot ended. The console (first serial
# port) goes to DIR/console.log, the guest's KEY=VALUE report (second serial port) to DIR/results.log.
# The boot ends when
#   - the guest powers off after its report (OUTCOME=poweroff), or quits qemu otherwise (exited),
#   - the console shows a line that means the boot cannot go on: emergency mode, a kernel panic, a
#     restart (OUTCOME=stopped); the initrd's emergency path would only loop, so qemu is stopped here,
#   - or the hard time-out passes, or the kernel has not started the initrd after 120 s
#     (OUTCOME=timeout).
# Prints KEY=VALUE lines: OUTCOME=, STOP_LINE= (the console line that stopped it), and the seconds at
# which the kernel started the initrd, the initrd switched root and the report arrived.
#
# Usage: boot.sh DIR KERNEL INITRD DISK TIMEOUT APPEND…
# Environment: VM_INTERACTIVE=1 attaches the console to the terminal instead (no time-out, no watching).
# VM_OVMF_CODE and VM_OVMF_VARS boot through UEFI firmware (OVMF) with that variable store, which qemu
# writes to (give it a copy); -kernel, -initrd and -append still say what is booted. VM_TPM_STATE=DIR
# gives the guest a TPM 2.0: a swtpm started here with its state in DIR (kept across boots, as a
# machine's TPM keeps its own), on a CRB interface under OVMF and a TIS one otherwise, stopped by its
# PID when the boot ends.
set -euo pipefail

[ $# -ge 6 ] || { echo "usage: boot.sh DIR KERNEL INITRD DISK TIMEOUT APPEND…" >&2; exit 2; }
dir=$1 kernel=$2 initrd=$3 disk=$4 timeout=$5
shift 5
append="$*"

mkdir -p "$dir"
console=$dir/console.log results=$dir/results.log
: >"$console"
: >"$results"

qemu=(qemu-system-x86_64 -accel tcg -machine q35 -cpu qemu64 -smp 2 -m 2048
      -nodefaults -vga none -no-reboot -monitor none -display none
      -kernel "$kernel" -initrd "$initrd" -append "$append"
      -drive "file=$disk,format=raw,if=virtio,cache=unsafe"
      -device virtio-rng-pci -nic none)
if [ -n "${VM_OVMF_CODE:-}" ]; then
        qemu+=(-drive "if=pflash,format=raw,unit=0,readonly=on,file=$VM_OVMF_CODE"
               -drive "if=pflash,format=raw,unit=1,file=$VM_OVMF_VARS")
fi

swtpm_pid= swtpm_dir=
stop_swtpm() {
        if [ -n "$swtpm_pid" ]; then
                kill "$swtpm_pid" 2>/dev/null || true
                wait "$swtpm_pid" 2>/dev/null || true
        fi
        [ -z "$swtpm_dir" ] || rm -rf "$swtpm_dir"
        swtpm_pid=
}
trap stop_swtpm EXIT
if [ -n "${VM_TPM_STATE:-}" ]; then
        mkdir -p "$VM_TPM_STATE"
        swtpm_dir=$(mktemp -d /tmp/vm-swtpm.XXXXXX) # a short path: a socket's is at most 107 bytes
        swtpm socket --tpm2 --tpmstate dir="$VM_TPM_STATE" --ctrl type=unixio,path="$swtpm_dir/sock" \
                --log file="$dir/swtpm.log" --terminate </dev/null >/dev/null 2>&1 &
        swtpm_pid=$!
        for _ in $(seq 50); do
                [ -S "$swtpm_dir/sock" ] && break
                sleep 0.1
        done
        [ -S "$swtpm_dir/sock" ] || { echo "swtpm did not start (see $dir/swtpm.log)" >&2; exit 1; }
        tpm_if=tpm-tis
        [ -z "${VM_OVMF_CODE:-}" ] || tpm_if=tpm-crb
        qemu+=(-chardev "socket,id=chrtpm,path=$swtpm_dir/sock" -tpmdev emulator,id=tpm0,chardev=chrtpm
               -device "$tpm_if,tpmdev=tpm0")
fi

if [ "${VM_INTERACTIVE:-0}" = 1 ]; then
        "${qemu[@]}" -serial mon:stdio -serial "file:$results"
        exit
fi

"${qemu[@]}" -serial "file:$console" -serial "file:$results" </dev/null >"$dir/qemu.log" 2>&1 &
pid=$!

# What ends a boot that will not reach the report. Checked once a second.
stop_re='Kernel panic|emergency mode|Emergency Mode|Entering emergency|rdsosreport|reboot: Restarting system|Cannot open access to console'

start=$SECONDS
t_initrd= t_switch= t_report= outcome= stop_line=
while :; do
        now=$((SECONDS - start))
        if ! kill -0 "$pid" 2>/dev/null; then
                outcome=exited
                grep -q 'VMTEST END' "$results" && outcome=poweroff
                break
        fi
        [ -n "$t_initrd" ] || ! grep -a -q 'Run /init as init process' "$console" || t_initrd=$now
        [ -n "$t_switch" ] || ! grep -a -q 'Starting.*initrd-switch-root.service' "$console" || t_switch=$now
        if [ -z "$t_report" ] && grep -q 'VMTEST END' "$results"; then
                t_report=$now
        fi
        if [ -z "$t_report" ] && line=$(grep -a -m1 -E "$stop_re" "$console"); then
                stop_line=$line
                sleep 3 # the lines just before and after it
                outcome=stopped
                break
        fi
        if [ "$now" -ge "$timeout" ]; then
                outcome=timeout
                break
        fi
        # The kernel starts the initrd within seconds (about 10 under TCG); one that has not after
        # two minutes has stalled in the emulator and will not go on.
        if [ -z "$t_initrd" ] && [ "$now" -ge 120 ]; then
                outcome=timeout
                break
        fi
        # After the report the guest powers off by itself; give it a moment, then stop it.
        if [ -n "$t_report" ] && [ $((now - t_report)) -ge 30 ]; then
                outcome=poweroff
                break
        fi
        sleep 1
done
if kill -0 "$pid" 2>/dev/null; then
        kill "$pid" 2>/dev/null || true
        sleep 1
        kill -9 "$pid" 2>/dev/null || true
fi
wait "$pid" 2>/dev/null || true

# The restart after a verity corruption quits qemu (-no-reboot) before a second look: judge by the log.
if [ "$outcome" = exited ] && line=$(grep -a -m1 -E "$stop_re" "$console"); then
        outcome=stopped
        stop_line=$line
fi

echo "OUTCOME=$outcome"
echo "STOP_LINE=$(printf '%s' "$stop_line" | tr -d '\r')"
echo "T_INITRD=${t_initrd:-}"
echo "T_SWITCH_ROOT=${t_switch:-}"
echo "T_REPORT=${t_report:-}"
echo "T_TOTAL=$((SECONDS - start))"
