#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Builds the VM test image from a build tree (if it is not current) and boots it under qemu with the
# console on this terminal: the quickest way to see what hardenctl does to a host. Log in as root
# (no password: a throwaway test image), then try `findmnt /usr /etc`, `dmsetup status usr`,
# `auditctl -s`, `getenforce`, `hardenctl show-profile /usr/lib/hardenctl/active.profile`. Leave with
# `poweroff`, or Ctrl-a x. Each run starts from a fresh copy of the disk.
# Usage: vm-shell.sh BUILD_ROOT [KERNEL-ARGUMENT…]   (e.g. hardenctl.etc=0, or usrhash=WRONG)
# Environment: VM_RELEASE=bookworm (default) or trixie (Debian 13, through OVMF, signed /usr).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
build=$(cd "${1:?usage: vm-shell.sh BUILD_ROOT [KERNEL-ARGUMENT…]}" && pwd)
shift
case ${VM_RELEASE:=bookworm} in
bookworm) vmdir=${VM_DIR:-$build/vm}/deb12 ;;
trixie) vmdir=${VM_DIR:-$build/vm}/deb13 ;;
*) echo "unknown VM_RELEASE=$VM_RELEASE" >&2; exit 2 ;;
esac

VM_RELEASE=$VM_RELEASE bash "$here/mkimage.sh" "$build" "$vmdir"
. "$vmdir/image.env"
mkdir -p "$vmdir/shell"
cp --sparse=always "$vmdir/disk.img" "$vmdir/shell/disk.img"
if [ -n "${OVMF_CODE:-}" ]; then
        cp "$OVMF_VARS" "$vmdir/shell/vars.fd"
        export VM_OVMF_CODE=$OVMF_CODE VM_OVMF_VARS=$vmdir/shell/vars.fd
fi
echo "Booting (TCG: about a minute). Ctrl-a x quits qemu."
VM_INTERACTIVE=1 exec bash "$here/boot.sh" "$vmdir/shell" "$vmdir/vmlinuz" "$vmdir/initrd.img" "$vmdir/shell/disk.img" 0 \
        console=ttyS0,115200 root=PARTUUID="$ROOT_PARTUUID" rootfstype=ext4 rw $KERNEL_LSM_ARGS $KERNEL_EXTRA_ARGS \
        usrhash="$ROOT_HASH" systemd.mask=vmtest-check.service "$@"
