#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# [Etc] Persist= on the real kernel, in a private mount namespace, over simulated boots of one root
# file system (a tmpfs) with a separate /var (another tmpfs, mounted only in the "main system", as the
# initrd does not mount it): the units hardenctl-etc-generator and hardenctl-system-generator write are
# carried out as written (tmpfs, the prepare helper restoring from the store, the overlay with the
# persist layer, then the save helper of hardenctl-etc-persist.service), the tmpfs is thrown away in
# between. The store must be on the root file system, below the /var mount point.
# Persisted files come back in the second boot without being drift; everything else written to /etc
# is gone; deletions persist too; planted symlinks are refused on both sides.
# Needs root (for unshare -m); exits 77 (skip) without it.
# Usage: test-etc-persist.sh BUILD_ROOT SOURCE_ROOT
set -uo pipefail

build=$1
src=$2

if [ "$(id -u)" -ne 0 ] || ! unshare -m --propagation private true 2>/dev/null; then
        echo "SKIP: needs root and unshare -m"
        exit 77
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

mkdir -p "$tmp/root/usr/lib/hardenctl/profiles" "$tmp/out/initrd/"{n,e,l} "$tmp/out/system/"{n,e,l}
cp "$src"/profiles/*.profile "$tmp/root/usr/lib/hardenctl/profiles/"
printf '[Profile]\nInherit=baseline\n[Etc]\nOverlay=tmpfs\nSize=8M\nPersist=machine-id ssh/host_key /etc/cron.d localtime gone/deep/file\n' \
        >"$tmp/root/usr/lib/hardenctl/active.profile"
export HARDENCTL_LOG_TARGET=console HARDENCTL_ROOT="$tmp/root" SYSTEMD_PROC_CMDLINE=
SYSTEMD_IN_INITRD=1 "$build/src/generators/hardenctl-etc-generator" "$tmp/out/initrd/"{n,e,l} || exit 1
SYSTEMD_IN_INITRD=0 "$build/src/generators/hardenctl-system-generator" "$tmp/out/system/"{n,e,l} || exit 1

cat >"$tmp/inner.sh" <<'INNER'
set -uo pipefail
tmp=$1 helper=$2
initrd="$tmp/out/initrd/e" system="$tmp/out/system/n"
passed=0 failed=0
check() { if eval "$2"; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAIL: $1" >&2; fi; }
opt() { sed -n 's/^Options=//p' "$1" | sed 's/%%/%/g'; }
exec_line() { sed -n "s|^$2=[^ ]*hardenctl-etc ||p" "$1"; }

s="$tmp/ns"
mkdir -p "$s/sysroot" "$s/run"
mount -t tmpfs -o mode=0755 rootfs "$s/sysroot"
mkdir -p "$s/sysroot/etc/ssh" "$s/sysroot/var"
echo "uninitialized" >"$s/sysroot/etc/machine-id"
echo "image-key" >"$s/sysroot/etc/ssh/host_key"
echo "vendor" >"$s/sysroot/etc/hostname"
ln -s /usr/share/zoneinfo/UTC "$s/sysroot/etc/localtime"
( cd "$s/sysroot/etc" && find . -printf '%p %s %m %l\n' | sort ) >"$tmp/lower.before"

# Rewrites the unit's absolute paths into the namespace's tree.
relocate() { sed "s|/sysroot|$s/sysroot|g; s|/run/|$s/run/|g; s|--root-fs=/ |--root-fs=$s/sysroot |; s| /etc | $s/sysroot/etc |"; }

boot() {
        mkdir -p "$s/run/hardenctl/etc"
        mount -t tmpfs -o "$(opt "$initrd/run-hardenctl-etc.mount")" tmpfs "$s/run/hardenctl/etc"
        # shellcheck disable=SC2046
        "$helper" $(exec_line "$initrd/hardenctl-etc-prepare.service" ExecStart | relocate) || return 1
        mount -t overlay -o "$(opt "$initrd/sysroot-etc.mount" | relocate)" overlay "$s/sysroot/etc" || return 1
        # The main system mounts its separate /var.
        mount -t tmpfs -o mode=0755 var "$s/sysroot/var"
}
shutdown() {
        # shellcheck disable=SC2046
        "$helper" $(exec_line "$system/hardenctl-etc-persist.service" ExecStop | relocate) || return 1
        umount "$s/sysroot/var" && umount "$s/sysroot/etc" && umount "$s/run/hardenctl/etc"
}
etc="$s/sysroot/etc"
upper="$s/run/hardenctl/etc/upper"
store="$s/sysroot/var/lib/hardenctl/etc"

# Boot 1: nothing stored yet.
boot
check "first boot: the overlay is up with an empty persist layer" \
        'findmnt -n -o FSTYPE "$etc" | grep -qx overlay && [ -d "$s/run/hardenctl/etc/persist" ] && [ -z "$(ls -A "$s/run/hardenctl/etc/persist")" ]'
check "first boot: /etc is the image's" 'grep -qx uninitialized "$etc/machine-id" && grep -qx image-key "$etc/ssh/host_key"'
echo "0123456789abcdef0123456789abcdef" >"$etc/machine-id"
echo "host-key-1" >"$etc/ssh/host_key"
chmod 0600 "$etc/ssh/host_key"
mkdir -p "$etc/cron.d" && echo "job" >"$etc/cron.d/backup" && ln -s backup "$etc/cron.d/alias"
ln -sfn /usr/share/zoneinfo/Europe/Berlin "$etc/localtime"
echo "edited" >"$etc/hostname"
echo "new" >"$etc/added.conf"
# The ExecStart= of hardenctl-etc-persist.service, right after boot.
# shellcheck disable=SC2046
"$helper" $(exec_line "$system/hardenctl-etc-persist.service" ExecStart | relocate)
check "save after boot succeeds" '[ $? -eq 0 ]'
check "nothing is stored on the separate /var" '[ -z "$(ls -A "$s/sysroot/var")" ]'
umount "$s/sysroot/var"
check "the store holds what was saved" \
        'grep -qx 0123456789abcdef0123456789abcdef "$store/machine-id" && grep -qx host-key-1 "$store/ssh/host_key" && grep -qx job "$store/cron.d/backup"'
check "the store keeps modes, and is private" \
        '[ "$(stat -c %a "$store/ssh/host_key")" = 600 ] && [ "$(stat -c %a "$store")" = 700 ]'
check "the store keeps symlinks as symlinks" \
        '[ "$(readlink "$store/localtime")" = /usr/share/zoneinfo/Europe/Berlin ] && [ "$(readlink "$store/cron.d/alias")" = backup ]'
check "files not listed are not stored" '[ ! -e "$store/hostname" ] && [ ! -e "$store/added.conf" ] && [ ! -e "$store/gone" ]'
mount -t tmpfs -o mode=0755 var "$s/sysroot/var"
shutdown
check "first shutdown succeeds" '[ $? -eq 0 ]'
check "the tmpfs is gone, the root's /etc untouched" \
        'diff -q "$tmp/lower.before" <(cd "$etc" && find . -printf "%p %s %m %l\n" | sort) >/dev/null'

# Boot 2: the persisted files come back, not as drift; the rest is gone.
before=$(stat -c %Y.%i "$store/ssh/host_key")
boot
check "second boot: persisted files are back" \
        'grep -qx 0123456789abcdef0123456789abcdef "$etc/machine-id" && grep -qx host-key-1 "$etc/ssh/host_key" && grep -qx job "$etc/cron.d/backup" && [ "$(readlink "$etc/localtime")" = /usr/share/zoneinfo/Europe/Berlin ]'
check "second boot: with their modes" '[ "$(stat -c %a "$etc/ssh/host_key")" = 600 ]'
check "second boot: other changes are gone" 'grep -qx vendor "$etc/hostname" && [ ! -e "$etc/added.conf" ]'
check "second boot: persisted files are not drift" '[ -z "$(ls -A "$upper")" ]'
check "second boot: the rest of the directory is still the image's" '[ -d "$etc/ssh" ] && [ -f "$etc/hostname" ]'
# Deleting a persisted file persists the deletion; an unchanged save writes nothing.
rm "$etc/cron.d/backup" "$etc/machine-id"
shutdown
check "second shutdown succeeds" '[ $? -eq 0 ]'
check "a deletion reaches the store" '[ ! -e "$store/cron.d/backup" ] && [ ! -e "$store/machine-id" ] && [ -L "$store/cron.d/alias" ]'
check "an unchanged file is not rewritten" '[ "$(stat -c %Y.%i "$store/ssh/host_key")" = "$before" ]'

# Boot 3: the deleted file is the image's again.
boot
check "third boot: a deleted persisted file is the image's again" 'grep -qx uninitialized "$etc/machine-id" && [ ! -e "$etc/cron.d/backup" ]'
umount "$s/sysroot/var" && umount "$etc" && umount "$s/run/hardenctl/etc"

# Hostile stores: a symlink where a directory is expected is not followed; the boot goes on.
mkdir -p "$tmp/secret" && echo "secret" >"$tmp/secret/host_key"
rm -rf "$store/ssh" && ln -s "$tmp/secret" "$store/ssh"
boot 2>"$tmp/log"
umount "$s/sysroot/var"
check "a symlinked store directory is refused with a warning, and the boot goes on" \
        'grep -q "ssh/host_key: not a regular file, directory or symlink, or a symlink on the way" "$tmp/log" && grep -qx image-key "$etc/ssh/host_key"'
# …and when saving, a symlink in /etc where a directory is expected fails the save, writes nothing.
rm -rf "$etc/ssh" && ln -s "$tmp/secret" "$etc/ssh"
"$helper" save "$etc" "$tmp/store2" ssh/host_key 2>"$tmp/log"
check "save refuses a symlinked directory in /etc" '[ $? -ne 0 ] && [ ! -e "$tmp/store2/ssh" ] && grep -q "not saved" "$tmp/log"'
umount "$etc" && umount "$s/run/hardenctl/etc"
check "the secret is untouched" '[ "$(cat "$tmp/secret/host_key")" = secret ]'

echo "$passed $failed" >"$tmp/result"
INNER

unshare -m --propagation private bash "$tmp/inner.sh" "$tmp" "$build/src/helpers/hardenctl-etc"
read -r passed failed <"$tmp/result" || { passed=0; failed=1; }

if findmnt -rn -o TARGET | grep -q "$tmp"; then
        echo "FAIL: a mount leaked into the host namespace" >&2
        failed=$((failed + 1))
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
