#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# hardenctl-selinux: "config" against a fixture /sysroot; "enforce" only where it cannot change the
# host (when SELinux is off in this kernel, which is checked first).
# Usage: test-selinux.sh BUILD_ROOT SOURCE_ROOT
set -uo pipefail

build=$1
src=$2
helper="$build/src/helpers/hardenctl-selinux"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export HARDENCTL_LOG_TARGET=console
unset HARDENCTL_LOG_LEVEL

passed=0
failed=0
check() { if eval "$2"; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAIL: $1" >&2; fi; }

r="$tmp/root"
mkdir -p "$r/usr/lib/hardenctl/profiles" "$tmp/sysroot/etc/selinux"
cp "$src"/profiles/*.profile "$r/usr/lib/hardenctl/profiles/"
ln -s profiles/immutable-host.profile "$r/usr/lib/hardenctl/active.profile"
printf '# This file controls the state of SELinux.\nSELINUX=permissive\n  # keep me\nSELINUXTYPE=mls\nSETLOCALDEFS=0\n' >"$tmp/sysroot/etc/selinux/config"

HARDENCTL_ROOT="$r" "$helper" config "$tmp/sysroot" 2>"$tmp/log"
check "config succeeds" '[ $? -eq 0 ]'
check "config rewritten in place, other lines kept" '[ "$(cat "$tmp/sysroot/etc/selinux/config")" = "$(printf "# This file controls the state of SELinux.\nSELINUX=enforcing\n  # keep me\nSELINUXTYPE=default\nSETLOCALDEFS=0")" ]'
check "logged" 'grep -q "SELINUX=enforcing" "$tmp/log"'
HARDENCTL_ROOT="$r" "$helper" config "$tmp/sysroot" 2>"$tmp/log"
check "a second run changes nothing and says nothing" '[ $? -eq 0 ] && [ ! -s "$tmp/log" ]'

# The file is replaced by a new inode, which must keep the old one's SELinux label. Setting the
# attribute needs a file system that keeps it (and, with SELinux on, a context the policy knows).
label=system_u:object_r:selinux_config_t:s0
getlabel() { python3 -c 'import os, sys; print(os.getxattr(sys.argv[1], "security.selinux").rstrip(b"\0").decode())' "$1" 2>/dev/null; }
printf 'SELINUX=permissive\n' >"$tmp/sysroot/etc/selinux/config"
if python3 -c 'import os, sys; os.setxattr(sys.argv[1], "security.selinux", sys.argv[2].encode() + b"\0")' "$tmp/sysroot/etc/selinux/config" "$label" 2>/dev/null; then
        ino=$(stat -c %i "$tmp/sysroot/etc/selinux/config")
        HARDENCTL_ROOT="$r" "$helper" config "$tmp/sysroot" 2>"$tmp/log"
        check "config with a label succeeds" '[ $? -eq 0 ]'
        check "config was replaced" '[ "$(stat -c %i "$tmp/sysroot/etc/selinux/config")" != "$ino" ] && grep -qx SELINUX=enforcing "$tmp/sysroot/etc/selinux/config"'
        check "the new config keeps the old label" '[ "$(getlabel "$tmp/sysroot/etc/selinux/config")" = "$label" ]'
else
        echo "Cannot set security.selinux here: the label is not tested."
fi

rm "$tmp/sysroot/etc/selinux/config"
HARDENCTL_ROOT="$r" "$helper" config "$tmp/sysroot" 2>"$tmp/log"
check "a missing config is created" '[ "$(cat "$tmp/sysroot/etc/selinux/config")" = "$(printf "SELINUX=enforcing\nSELINUXTYPE=default")" ]'

# /etc/selinux planted as a symlink out of the root resolves inside it.
rm -rf "$tmp/sysroot/etc/selinux" && ln -s /etc/selinux "$tmp/sysroot/etc/selinux"
HARDENCTL_ROOT="$r" "$helper" config "$tmp/sysroot" 2>"$tmp/log"
check "a symlinked /etc/selinux does not lead out of the root" '[ $? -ne 0 ]'

# enforce: only where SELinux is off in this kernel, so that nothing of the host can change.
if [ "$("$build/tests/selinux-enabled" 2>/dev/null)" = 0 ]; then
        HARDENCTL_ROOT="$r" "$helper" enforce 2>"$tmp/log"
        check "OnUnavailable=fail fails without SELinux" '[ $? -ne 0 ] && grep -q "SELinux is not enabled in the kernel, but the profile requires Mode=enforcing (OnUnavailable=fail)" "$tmp/log"'
        rm "$r/usr/lib/hardenctl/active.profile"
        printf '[SELinux]\nMode=enforcing\nOnUnavailable=warn\n' >"$r/usr/lib/hardenctl/active.profile"
        HARDENCTL_ROOT="$r" "$helper" enforce 2>"$tmp/log"
        check "OnUnavailable=warn warns" '[ $? -eq 0 ] && grep -q "OnUnavailable=warn" "$tmp/log"'
else
        echo "SELinux is on in this kernel: enforce is left to the VM tests."
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
