#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# auditctl(8) of another Debian release and hardenctl's parser side by side, on every line of that
# release's example rule files and of tests/auditctl/edge.rules: the release's test image tree (made by
# mkimage.sh, as for the VM scenarios; nothing is booted) holds its auditd, and test-auditctl-diff.sh runs
# its auditctl chrooted there (AUDITCTL_ROOT=), with hardenctl's side linked to the same libaudit, as
# hardenctl is when installed on that release. The tree is not changed: the comparison runs on an overlay
# in a private mount namespace. Fails on any line the two read differently.
#
#   deb13   Debian 13 (trixie): auditd 4.0
#   deb12   Debian 12 (bookworm): auditd 3.0 (the host's own, compared in the unit suite already)
#
# Needs root and what mkimage.sh needs (tools/install-vm-deps.sh), and the Debian archive for the first
# image of the release; exits 77 (skip) without them, unless VM_REQUIRE=1. The auditctl shim and
# audit-line-dump are taken from BUILD_ROOT/tests.
# Usage: test-auditctl-release.sh BUILD_ROOT SOURCE_ROOT RELEASE
# Environment: VM_DIR (default BUILD_ROOT/vm; the image tree is VM_DIR/RELEASE/tree), and mkimage.sh's.
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
. "$here/vm-lib.sh"

[ $# -eq 3 ] || vm_die "usage: test-auditctl-release.sh BUILD_ROOT SOURCE_ROOT RELEASE"
build=$(cd "$1" && pwd)
src=$(cd "$2" && pwd)
release=$3
suite=$(vm_suite "$release")
[ -n "$suite" ] || vm_die "unknown release $release (deb12 or deb13)"
vmdir=${VM_DIR:-$build/vm}/$release

missing=()
[ "$(id -u)" -eq 0 ] || missing+=(root)
for t in debootstrap sfdisk mkfs.erofs mkfs.ext4 unshare chroot; do
        command -v "$t" >/dev/null || missing+=("$t")
done
if [ ${#missing[@]} -gt 0 ]; then
        if [ "${VM_REQUIRE:-0}" = 1 ]; then
                vm_die "missing: ${missing[*]} (tools/install-vm-deps.sh)"
        fi
        echo "SKIP: missing ${missing[*]} (tools/install-vm-deps.sh installs them)"
        exit 77
fi
for f in auditctl-shim.so audit-line-dump audit-stig-coverage; do
        [ -e "$build/tests/$f" ] || vm_die "$build/tests/$f is missing (build with -Dtests=enabled)"
done

stage "image"
VM_RELEASE=$suite bash "$here/mkimage.sh" "$build" "$vmdir" || vm_die "the image could not be built"
tree=$vmdir/tree

# auditd 4.0 ships its examples in audit-rules/, 3.0 in rules/.
examples=
for d in "$tree"/usr/share/doc/auditd/examples/audit-rules "$tree"/usr/share/doc/auditd/examples/rules; do
        [ -d "$d" ] && { examples=$d; break; }
done
[ -n "$examples" ] || vm_die "$tree has no auditd example rules (usr/share/doc/auditd/examples)"

stage "auditctl-diff"
rc=0
AUDITCTL_ROOT=$tree bash "$src/tests/test-auditctl-diff.sh" "$build/tests/auditctl-shim.so" \
        "$build/tests/audit-line-dump" "$build/tests/audit-stig-coverage" "$src/profiles" \
        "$examples" "$src/tests/auditctl/edge.rules" || rc=$?
stage_end
exit $rc
