#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Installs what building and testing hardenctl needs on Debian 12 (bookworm), or, given package names,
# those (tools/install-vm-deps.sh). Run as root. Packages already installed are not touched, so a
# second run needs no network.
set -euo pipefail

packages=(
        # toolchain
        gcc libc6-dev meson ninja-build pkg-config git
        # libraries, found through pkg-config
        libsystemd-dev libmount-dev libselinux1-dev libcryptsetup-dev libaudit-dev libjson-c-dev systemd
        libssl-dev libblkid-dev
        # the generators link libaudit.a and the libcap-ng.a it needs (libaudit-dev depends on it today)
        libcap-ng-dev
        # tests, man pages, fuzzing, formatting
        check scdoc man-db groff-base python3 clang libclang-rt-14-dev clang-format valgrind
        # GPT images for the signature partition tests
        fdisk
        # auditctl and auditd's example rule files, which tests/test-auditctl-diff.sh reads line by line with
        # hardenctl's parser and auditctl's side by side (auditctl never reaches the kernel there)
        auditd
        # compliance reports: oscap validates XCCDF and ARF, Chromium renders the HTML report
        openscap-scanner chromium
        # TPM measurement and attestation: tpm2-tss (tss2-esys, tss2-tctildr, tss2-mu, tss2-rc through
        # pkg-config); swtpm for the tests' TPM, swtpm_setup for its EK; tpm2_checkquote as the
        # independent verifier
        libtss2-dev swtpm swtpm-tools tpm2-tools
        # jq reads the attestation documents in tests/test-attest.sh, apart from hardenctl's own JSON code
        jq
        # the runtime watcher parses audit events with libauparse; its fleet outputs are checked with their
        # real consumers: promtool (Prometheus exposition format), systemd-journal-remote/-upload
        libauparse-dev prometheus systemd-journal-remote
)
[ $# -eq 0 ] || packages=("$@")

missing=()
for p in "${packages[@]}"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
        echo "install-deps: all ${#packages[@]} packages present."
        exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
        echo "install-deps: missing packages (${missing[*]}), and not root: cannot install them." >&2
        exit 1
fi

echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get -o DPkg::Lock::Timeout=600 update -qq
apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${missing[@]}"
