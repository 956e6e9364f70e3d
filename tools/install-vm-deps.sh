#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Installs what the VM tests (meson test --suite vm) need on Debian 12 besides tools/install-deps.sh:
# qemu to boot the images, debootstrap to build them (bookworm's also builds trixie), sfdisk,
# mkfs.erofs and mkfs.ext4 to lay out their disks, OVMF for the Debian 13 guests (UEFI with the test
# certificate in db), openssl for that certificate, cpio for bench/bench-ipe.sh's initrd drop-in. Run
# as root. Packages already installed are not touched.
set -euo pipefail

exec bash "$(dirname "$0")/install-deps.sh" \
        qemu-system-x86 debootstrap fdisk erofs-utils e2fsprogs util-linux python3 ovmf openssl cpio
