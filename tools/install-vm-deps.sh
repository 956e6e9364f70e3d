#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Installs what the VM tests (meson test --suite vm) need on Debian 12 besides tools/install-deps.sh:
# qemu to boot the image, debootstrap to build it, sfdisk, mkfs.erofs and mkfs.ext4 to lay out its
# disk. Run as root. Packages already installed are not touched.
set -euo pipefail

packages=(qemu-system-x86 debootstrap fdisk erofs-utils e2fsprogs util-linux python3)

missing=()
for p in "${packages[@]}"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
        echo "install-vm-deps: all ${#packages[@]} packages present."
        exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
        echo "install-vm-deps: missing packages (${missing[*]}), and not root: cannot install them." >&2
        exit 1
fi

echo "install-vm-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}"
