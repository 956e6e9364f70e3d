#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# The /etc overlay on the real kernel, in a private mount namespace: mounts exactly what the units of
# hardenctl-etc-generator say (tmpfs, then the overlay, with /sysroot and /run moved below a temporary
# directory), with the real hardenctl-etc preparing the upper and work directories. Writes must land
# in the upper directory on the tmpfs; the lower layer must stay untouched; a deletion is a whiteout;
# everything is gone with the tmpfs. Needs root (for unshare -m); exits 77 (skip) without it.
# Usage: test-etc-overlay.sh BUILD_ROOT SOURCE_ROOT
set -uo pipefail

build=$1
src=$2

if [ "$(id -u)" -ne 0 ] || ! unshare -m --propagation private true 2>/dev/null; then
        echo "SKIP: needs root and unshare -m"
        exit 77
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Units for a profile with a factory lower layer, and for the shipped immutable-host.
for variant in root factory; do
        mkdir -p "$tmp/$variant/root/usr/lib/hardenctl/profiles" "$tmp/$variant/out"/{n,e,l}
        cp "$src"/profiles/*.profile "$tmp/$variant/root/usr/lib/hardenctl/profiles/"
        printf '[Profile]\nInherit=baseline\n[Etc]\nOverlay=tmpfs\nLower=%s\nSize=8M\n' "$variant" \
                >"$tmp/$variant/root/usr/lib/hardenctl/active.profile"
        HARDENCTL_LOG_TARGET=console HARDENCTL_ROOT="$tmp/$variant/root" SYSTEMD_IN_INITRD=1 SYSTEMD_PROC_CMDLINE= \
                "$build/src/generators/hardenctl-etc-generator" "$tmp/$variant/out/n" "$tmp/$variant/out/e" "$tmp/$variant/out/l" || exit 1
done

cat >"$tmp/inner.sh" <<'INNER'
set -uo pipefail
tmp=$1 helper=$2 variant=$3
units="$tmp/$variant/out/e"
passed=0 failed=0
check() { if eval "$2"; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAIL ($variant): $1" >&2; fi; }
opt() { sed -n 's/^Options=//p' "$1" | sed 's/%%/%/g'; }
where() { sed -n 's/^Where=//p' "$1"; }

s="$tmp/$variant/ns"
mkdir -p "$s/sysroot/etc" "$s/sysroot/usr/share/factory/etc" "$s/run"
lower="$s/sysroot/etc"
[ "$variant" = factory ] && lower="$s/sysroot/usr/share/factory/etc"
echo "root:x:0:0::/root:/bin/sh" >"$lower/passwd"
echo "vendor" >"$lower/hostname"
mkdir "$lower/ssh" && echo "keep" >"$lower/ssh/sshd_config"
( cd "$lower" && find . -printf '%p %s %m\n' | sort ) >"$tmp/$variant/lower.before"

tmpfs_where=$s$(where "$units/run-hardenctl-etc.mount")
mkdir -p "$tmpfs_where"
mount -t tmpfs -o "$(opt "$units/run-hardenctl-etc.mount")" tmpfs "$tmpfs_where"
o=",$(findmnt -n -o OPTIONS "$tmpfs_where"),"
check "tmpfs mounted with the unit's options" '[[ $o == *,nodev,* && $o == *,nosuid,* && $o == *,noexec,* && $o == *,mode=755,* ]] && findmnt -n -o SIZE "$tmpfs_where" | grep -q "^ *8M$"'

# The ExecStart= of the prepare unit, with the real helper.
dir=$(sed -n 's|^ExecStart=.* prepare ||p' "$units/hardenctl-etc-prepare.service")
"$helper" prepare "$s$dir"
check "prepare made upper and work" '[ -d "$s$dir/upper" ] && [ -d "$s$dir/work" ]'
"$helper" prepare "$s$dir"
check "prepare is idempotent" '[ $? -eq 0 ]'

o=$(opt "$units/sysroot-etc.mount" | sed "s|/sysroot|$s/sysroot|g; s|/run/|$s/run/|g")
mount -t overlay -o "$o" overlay "$s$(where "$units/sysroot-etc.mount")"
etc="$s/sysroot/etc"
check "overlay mounted on /sysroot/etc" 'findmnt -n -o FSTYPE "$etc" | grep -qx overlay'
check "lower layer visible" 'grep -q vendor "$etc/hostname" && [ -f "$etc/ssh/sshd_config" ]'

echo "drifted" >"$etc/hostname"
echo "new" >"$etc/added.conf"
rm "$etc/passwd"
chmod 0600 "$etc/ssh/sshd_config"
upper="$s$dir/upper"
check "a new file lands in the upper dir" '[ "$(cat "$upper/added.conf")" = new ]'
check "a modified file is copied up" '[ "$(cat "$upper/hostname")" = drifted ]'
check "a deletion is a whiteout" '[ -c "$upper/passwd" ] && [ "$(stat -c %t:%T "$upper/passwd")" = 0:0 ]'
check "a metadata change is copied up" '[ -f "$upper/ssh/sshd_config" ]'
check "the merged view shows the changes" '[ ! -e "$etc/passwd" ] && grep -q drifted "$etc/hostname"'

umount "$etc"
# With Lower=root the lower layer is the mount point itself: compare it once the overlay is gone.
check "the lower layer is untouched" 'diff -q "$tmp/$variant/lower.before" <(cd "$lower" && find . -printf "%p %s %m\n" | sort) >/dev/null'
umount "$tmpfs_where"
check "nothing of it survives the tmpfs" '[ -z "$(ls -A "$tmpfs_where")" ]'
check "after it, /etc is the lower layer again" '[ "$variant" = factory ] || grep -q vendor "$lower/hostname"'

# A symlink planted where the upper dir goes is refused.
mkdir -p "$tmp/$variant/evil" && ln -s /etc "$tmp/$variant/evil/upper"
check "prepare refuses a symlinked upper dir" '! "$helper" prepare "$tmp/$variant/evil" 2>/dev/null'

echo "$passed $failed" >"$tmp/$variant/result"
INNER

total_passed=0
total_failed=0
for variant in root factory; do
        unshare -m --propagation private bash "$tmp/inner.sh" "$tmp" "$build/src/helpers/hardenctl-etc" "$variant"
        read -r p f <"$tmp/$variant/result" || { p=0; f=1; }
        total_passed=$((total_passed + p))
        total_failed=$((total_failed + f))
done

# The host saw none of it.
if findmnt -rn -o TARGET | grep -q "$tmp"; then
        echo "FAIL: a mount leaked into the host namespace" >&2
        total_failed=$((total_failed + 1))
fi

echo "$total_passed passed, $total_failed failed"
[ "$total_failed" -eq 0 ]
