#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# hardenctl apply and status against fixture roots (--root), then, as root, in a private mount
# namespace: writes that fail half-way (a read-only directory, a full tmpfs), and --runtime against a
# fake /proc/sys and selinuxfs and the real audit netlink, with rules under a key of the test's own.
# Nothing of the host changes: no sysctl, no SELinux mode, no audit setting, never the audit lock.
# Usage: test-apply.sh HARDENCTL SOURCE_ROOT AUDIT_KEY_RULES
set -uo pipefail

hc=$1
src=$2
akr=$3
for v in $(env | sed -n 's/^\(HARDENCTL_[A-Z_]*\)=.*/\1/p'); do unset "$v"; done
export SOURCE_DATE_EPOCH=1700000000

. "$(dirname "$0")/test-lib.sh"
tmp=$(mktemp -d)
key="hardenctl-test-$$"
cleanup() {
        [ -x "$akr" ] && "$akr" --delete "$key" >/dev/null 2>&1
        rm -rf "$tmp"
}
trap cleanup EXIT

same() { if cmp -s "$1" "$2"; then ok; else ko "$3"; diff -u "$1" "$2" | head -40 >&2; fi; }
# Every file and link below DIR/etc and DIR/run with its content, and every directory.
manifest() {
        (cd "$1" && find etc run -mindepth 0 2>/dev/null | LC_ALL=C sort | while read -r p; do
                if [ -L "$p" ]; then echo "L $p $(readlink "$p")"
                elif [ -d "$p" ]; then echo "D $p"
                else echo "F $p $(stat -c %a "$p") $(sha256sum <"$p" | cut -c1-16)"; fi
        done)
}

mkroot() {
        mkdir -p "$1/usr/lib/hardenctl/profiles" "$1/etc/selinux"
        cp "$src"/tests/apply/*.profile "$1/usr/lib/hardenctl/profiles/"
        printf 'SELINUX=permissive\nSELINUXTYPE=targeted\n' >"$1/etc/selinux/config"
        "$hc" --root="$1" -q apply old >/dev/null 2>&1 || ko "mkroot: apply old"
}

# --- the plan as a diff, golden; --dry-run says by its exit code whether anything would change
r="$tmp/root"
mkroot "$r"
manifest "$r" >"$tmp/before"
expect 2 "$hc" --root="$r" apply --dry-run web
same "$src/tests/apply/web-over-old.diff" "$tmp/out" "the dry-run plan differs from tests/apply/web-over-old.diff"
manifest "$r" >"$tmp/now"
same "$tmp/before" "$tmp/now" "--dry-run changed the tree"

# --- status of what is in force
expect 0 "$hc" --root="$r" status
contains "$tmp/out" "Profile: old"
contains "$tmp/out" "State: in force"

# --- apply; a second apply changes nothing and says so. /etc/selinux/config is replaced by a new
# inode, which keeps the old one's SELinux label (where the attribute can be set here).
label=system_u:object_r:selinux_config_t:s0
labelled=0
python3 -c 'import os, sys; os.setxattr(sys.argv[1], "security.selinux", sys.argv[2].encode() + b"\0")' "$r/etc/selinux/config" "$label" 2>/dev/null && labelled=1
expect 0 "$hc" --root="$r" apply web
if [ $labelled = 1 ]; then
        [ "$(python3 -c 'import os, sys; print(os.getxattr(sys.argv[1], "security.selinux").rstrip(b"\0").decode())' "$r/etc/selinux/config")" = "$label" ] &&
                ok || ko "the SELinux label of /etc/selinux/config was lost"
fi
contains "$tmp/out" "Applied profile web: 9 changes."
expect 0 "$hc" --root="$r" apply web
contains "$tmp/out" "is in force: nothing to change."
expect 0 "$hc" --root="$r" apply --dry-run web
contains "$tmp/out" "nothing to change"
[ "$(readlink "$r/etc/systemd/system/debug-shell.service")" = /dev/null ] && ok || ko "debug-shell.service is not masked"
[ ! -e "$r/etc/systemd/system/old.service.d/99-hardenctl-confine.conf" ] && ok || ko "the old profile's drop-in was not removed"
[ ! -L "$r/etc/systemd/system/telnet.socket" ] && ok || ko "the old profile's mask was not removed"
contains "$r/etc/selinux/config" "SELINUX=enforcing"
contains "$r/etc/audit/rules.d/50-hardenctl.rules" "-w /etc/hosts -p wa -k hosts"
[ -z "$(find "$r" -name '.#hardenctl.*')" ] && ok || ko "temporary files left behind"

# --- status: in force; drift in a file; a changed profile
expect 0 "$hc" --root="$r" status
contains "$tmp/out" "Profile: web"
contains "$tmp/out" "Applied: 2023-11-14T22:13:20Z"
contains "$tmp/out" "State: in force"
echo "PrivateNetwork=yes" >>"$r/etc/systemd/system/web.service.d/99-hardenctl-confine.conf"
rm "$r/etc/systemd/system/debug-shell.service"
expect 2 "$hc" --root="$r" status
contains "$tmp/out" "State: drifted (2 differences)"
contains "$tmp/out" "-PrivateNetwork=yes"
contains "$tmp/out" "symlink /etc/systemd/system/debug-shell.service → /dev/null"
expect 2 "$hc" --root="$r" status --json=short
python3 - "$tmp/out" <<'PY' && ok || ko "status --json of a drifted tree"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["applied"] is True and d["profile"] == "web" and d["spec"] == "web" and d["scope"] == "image", d
assert d["state"] == "drifted" and d["profileChanged"] is False and d["digest"] == d["currentDigest"], d
assert d["appliedAt"] == "2023-11-14T22:13:20Z", d
assert sorted((x["kind"], x["path"], x["change"]) for x in d["differences"]) == [
    ("file", "/etc/systemd/system/debug-shell.service", "create"),
    ("file", "/etc/systemd/system/web.service.d/99-hardenctl-confine.conf", "replace")], d
PY
expect 0 "$hc" --root="$r" apply web
expect 0 "$hc" --root="$r" status
expect 0 "$hc" --root="$r" status --json
python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); assert d["state"] == "in-force" and d["differences"] == [], d' "$tmp/out" && ok || ko "status --json in force"
echo "# changed" >>"$r/usr/lib/hardenctl/profiles/web.profile"
expect 2 "$hc" --root="$r" status
contains "$tmp/out" "the profile's sources changed since"
expect 2 "$hc" --root="$r" status --json=short
python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); assert d["state"] == "drifted" and d["profileChanged"] and d["digest"] != d["currentDigest"], d' "$tmp/out" && ok || ko "status --json with a changed profile"
mkdir -p "$tmp/root-empty"
expect 0 "$hc" --root="$tmp/root-empty" status --json=short
contains "$tmp/out" '{"applied":false}'
expect 0 "$hc" --root="$r" apply web
contains "$tmp/out" "1 change"
expect 0 "$hc" --root="$r" status

# --- bad input changes nothing
manifest "$r" >"$tmp/before"
printf '[Kernel]\nSysctl=nonsense\n' >"$r/usr/lib/hardenctl/profiles/bad.profile"
expect 3 "$hc" --root="$r" apply bad
expect 3 "$hc" --root="$r" apply nosuch
expect 1 "$hc" --root="$r" --runtime apply web
contains "$tmp/err" "cannot be combined with --root="
expect 1 "$hc" --root="$r" apply web extra
# A path with a newline would forge lines in the record (File= lines name what a later apply removes).
forged="$tmp/x
File=/etc/selinux/config
Spec=.profile"
cp "$src/tests/apply/web.profile" "$forged"
expect 1 "$hc" --root="$r" apply "$forged"
contains "$tmp/err" "The profile's path contains a control character (such as a newline)"
lacks "$r/etc/hardenctl/applied" "File=/etc/selinux/config"
manifest "$r" >"$tmp/now"
same "$tmp/before" "$tmp/now" "bad input changed the tree"

# --- a target that is a symbolic link is refused, not followed, even pointing inside the root
r2="$tmp/root2"
mkroot "$r2"
echo "secret" >"$tmp/host-file"
rm "$r2/etc/sysctl.d/zz-hardenctl-apply.conf"
ln -s "$tmp/host-file" "$r2/etc/sysctl.d/zz-hardenctl-apply.conf"
manifest "$r2" >"$tmp/before"
expect 1 "$hc" --root="$r2" apply web
contains "$tmp/err" "/etc/sysctl.d/zz-hardenctl-apply.conf is a symbolic link (to $tmp/host-file); refusing to follow or replace it. Nothing changed."
[ "$(cat "$tmp/host-file")" = secret ] && ok || ko "the symlinked file was written"
manifest "$r2" >"$tmp/now"
same "$tmp/before" "$tmp/now" "a refused apply changed the tree"
rm "$r2/etc/sysctl.d/zz-hardenctl-apply.conf"
ln -s ../selinux/config "$r2/etc/sysctl.d/zz-hardenctl-apply.conf"
expect 1 "$hc" --root="$r2" apply web
contains "$tmp/err" "is a symbolic link (to ../selinux/config)"
rm "$r2/etc/sysctl.d/zz-hardenctl-apply.conf"
mkfifo "$r2/etc/sysctl.d/zz-hardenctl-apply.conf"
expect 1 "$hc" --root="$r2" apply web
contains "$tmp/err" "exists and is not a regular file"
rm "$r2/etc/sysctl.d/zz-hardenctl-apply.conf"
echo "kernel.kptr_restrict = 1" >"$r2/etc/sysctl.d/zz-hardenctl-apply.conf"

# --- paths cannot escape the root: an absolute symlink and a ".." chain resolve inside it
mkdir -p "$tmp/outside"
ln -s "$tmp/outside" "$r2/etc/audit"
expect 1 "$hc" --root="$r2" apply web
contains "$tmp/err" "leads nowhere inside the root"
mkdir -p "$r2$tmp/outside"
rm -r "$r2/etc/systemd" && ln -s ../../../../../../../../../../outside2 "$r2/etc/systemd" && mkdir -p "$r2/outside2"
expect 0 "$hc" --root="$r2" apply web
[ -z "$(ls -A "$tmp/outside")" ] && ok || ko "apply wrote outside the root through an absolute symlink"
[ -f "$r2$tmp/outside/rules.d/50-hardenctl.rules" ] && ok || ko "the absolute symlink did not resolve inside the root"
[ -f "$r2/outside2/system/web.service.d/99-hardenctl-confine.conf" ] && ok || ko "the .. chain did not resolve inside the root"
[ ! -e "$tmp/../outside2" ] && [ ! -e /outside2 ] && ok || ko "apply wrote outside the root through .."

# --- without an argument, the boot profile of the root: an absolute active.profile symlink resolves
# inside the root, never on the host; the record names it by its path in the root
r4="$tmp/root4"
mkroot "$r4"
ln -s /usr/lib/hardenctl/profiles/web.profile "$r4/usr/lib/hardenctl/active.profile"
expect 0 "$hc" --root="$r4" apply
contains "$r4/etc/hardenctl/applied" "Spec=/usr/lib/hardenctl/active.profile"
[ -f "$r4/etc/systemd/system/web.service.d/99-hardenctl-confine.conf" ] && ok || ko "apply without an argument did not apply the boot profile"
expect 0 "$hc" --root="$r4" status
rm "$r4/usr/lib/hardenctl/active.profile"
expect 3 "$hc" --root="$r4" apply
contains "$tmp/err" "there is no boot profile below the root /usr/lib/hardenctl/active.profile"

# --- a lock: two applies at once are refused
r3="$tmp/root3"
mkroot "$r3"
flock -o "$r3" sleep 5 &
lockpid=$!
sleep 0.3
expect 1 "$hc" --root="$r3" apply web
contains "$tmp/err" "Another hardenctl apply is running"
kill "$lockpid" 2>/dev/null; wait "$lockpid" 2>/dev/null
# status takes the lock shared: it waits for an apply, and an apply does not start under it.
flock -o "$r3" sleep 2 &
lockpid=$!
sleep 0.3
t0=$(date +%s%N)
expect 0 "$hc" --root="$r3" status
[ $(( ($(date +%s%N) - t0) / 1000000 )) -ge 1200 ] && ok || ko "status did not wait for the lock"
contains "$tmp/err" "Waiting for hardenctl apply to finish"
wait "$lockpid" 2>/dev/null
# apply waits for status (a reader holding the lock shared), then goes on; it still fails at once when
# an apply holds it (above).
flock -s -o "$r3" sleep 2 &
lockpid=$!
sleep 0.3
expect 0 "$hc" --root="$r3" apply old
contains "$tmp/err" "Waiting for hardenctl status to finish"
wait "$lockpid" 2>/dev/null

# --- an injected failure half-way: everything rolled back, the error names the step
manifest "$r3" >"$tmp/before"
# (steps 1 to 5 write the interim record, which names every file the apply may write)
HARDENCTL_TEST_FAIL_STEP=17 expect 1 "$hc" --root="$r3" apply web
contains "$tmp/err" "Applying profile web failed: writing /etc/sysctl.d/zz-hardenctl-apply.conf (sync-dir): Input/output error. Rolled back 3 changes: nothing changed."
manifest "$r3" >"$tmp/now"
same "$tmp/before" "$tmp/now" "the tree was not rolled back"

# --- directories made are 0755 whatever the umask
ru="$tmp/root-umask"
mkroot "$ru"
(umask 077; "$hc" --root="$ru" -q apply web >/dev/null 2>&1) || ko "apply web with umask 077"
for d in etc/audit etc/audit/rules.d etc/systemd/system/web.service.d; do
        if [ "$(stat -c %a "$ru/$d")" = 755 ]; then ok; else ko "$d is $(stat -c %a "$ru/$d") after an apply with umask 077"; fi
done

# --- a failure, and another in its rollback: a distinct exit code, and a message that says so
HARDENCTL_TEST_FAIL_STEP=17,19 expect 5 "$hc" --root="$r3" apply web
contains "$tmp/err" "Applying profile web failed: writing /etc/sysctl.d/zz-hardenctl-apply.conf (sync-dir): Input/output error; rollback incomplete: restoring /etc/sysctl.d/zz-hardenctl-apply.conf: Input/output error. Rolled back 2 changes, but not all"
lacks "$tmp/err" "nothing changed"
"$hc" --root="$r3" -q apply old >/dev/null 2>&1 || ko "apply old after an incomplete rollback"
manifest "$r3" >"$tmp/now"
same "$tmp/before" "$tmp/now" "apply old did not put the tree back after an incomplete rollback"

# --- DenyModule=: a modprobe.d file of its own, the form hardenctl-kernel writes; the check's rule
# passes on the result; a later profile without it removes it
rk="$tmp/root-kernel"
mkroot "$rk"
expect 2 "$hc" --root="$rk" apply --dry-run kernel
contains "$tmp/out" "+++ b/etc/modprobe.d/50-hardenctl.conf"
contains "$tmp/out" "+install usb_storage /bin/false"
expect 0 "$hc" --root="$rk" apply kernel
printf '# Automatically generated by hardenctl apply from profile kernel.\nblacklist cramfs\ninstall cramfs /bin/false\nblacklist usb_storage\ninstall usb_storage /bin/false\n' >"$tmp/modprobe.expected"
same "$tmp/modprobe.expected" "$rk/etc/modprobe.d/50-hardenctl.conf" "the module deny list is not as expected"
contains "$rk/etc/hardenctl/applied" "File=/etc/modprobe.d/50-hardenctl.conf"
expect 0 "$hc" --root="$rk" apply kernel
contains "$tmp/out" "nothing to change"
# Lockdown= and ModuleLoading= change the running kernel: not in an image, with a note saying so.
contains "$tmp/out" "in an image they take effect at boot only, through the boot profile"
"$hc" --root="$rk" check kernel --json=short >"$tmp/check.json" 2>/dev/null
python3 - "$tmp/check.json" <<'PY' && ok || ko "hardenctl-kernel-deny-module does not pass after apply"
import json, sys
d = json.load(open(sys.argv[1]))
r = [x for x in d["results"] if x["id"] == "hardenctl-kernel-deny-module"]
assert len(r) == 2 and all(x["result"] == "pass" for x in r), r
PY
expect 0 "$hc" --root="$rk" apply old
[ ! -e "$rk/etc/modprobe.d/50-hardenctl.conf" ] && ok || ko "the module deny list of an earlier apply was not removed"

# --- as root, in a private mount namespace
if [ "$(id -u)" -ne 0 ] || ! unshare -m true 2>/dev/null; then
        echo "SKIP: the mount namespace tests need root"
        echo "$passed passed, $failed failed"
        [ "$failed" -eq 0 ]
        exit
fi

cat >"$tmp/ns.sh" <<'NS'
set -u
. "$TESTLIB"
ns="$tmp/ns"
mkdir -p "$ns" && mount -t tmpfs tmpfs "$ns"

# A read-only directory: /etc/selinux cannot be written, after the audit rules and sysctl files were.
r="$ns/ro"
mkroot "$r"
manifest "$r" >"$tmp/before"
mount --bind "$r/etc/selinux" "$r/etc/selinux" && mount -o remount,ro,bind "$r/etc/selinux"
expect 1 "$hc" --root="$r" apply web
contains "$tmp/err" "writing /etc/selinux/config (create): Read-only file system. Rolled back 3 changes: nothing changed."
manifest "$r" >"$tmp/now"
same "$tmp/before" "$tmp/now" "read-only /etc/selinux: not rolled back"
umount "$r/etc/selinux"

# A full file system: the drop-ins cannot be written.
r="$ns/full"
mkroot "$r"
mkdir -p "$r/etc/systemd" && mv "$r/etc/systemd" "$r/etc/systemd.old" && mkdir "$r/etc/systemd"
mount -t tmpfs -o size=64k tmpfs "$r/etc/systemd" && cp -a "$r/etc/systemd.old/." "$r/etc/systemd/" && rm -rf "$r/etc/systemd.old"
manifest "$r" >"$tmp/before"
dd if=/dev/zero of="$r/etc/systemd/filler" bs=4k 2>/dev/null
expect 1 "$hc" --root="$r" apply web
contains "$tmp/err" "No space left on device. Rolled back"
rm "$r/etc/systemd/filler"
manifest "$r" >"$tmp/now"
same "$tmp/before" "$tmp/now" "full tmpfs: not rolled back"
umount "$r/etc/systemd"

# --runtime, live: a tmpfs on /run, fake /proc/sys and selinuxfs; audit rules under the test's key.
mount -t tmpfs tmpfs /run

# One lock for the host and --root=/: held, an apply with --root=/ stops at it (before even loading
# the profile, which does not exist: so nothing could change either way); status waits for it.
mkdir -p /run/hardenctl
flock -o /run/hardenctl/apply.lock sleep 2 &
lockpid=$!
sleep 0.3
expect 1 "$hc" --root=/ apply "nosuch-$key"
contains "$tmp/err" "(lock /run/hardenctl/apply.lock held)"
expect 1 "$hc" --root=/// apply "nosuch-$key"
contains "$tmp/err" "(lock /run/hardenctl/apply.lock held)"
expect 0 "$hc" --runtime status
contains "$tmp/err" "Waiting for hardenctl apply to finish (lock /run/hardenctl/apply.lock)"
wait "$lockpid" 2>/dev/null
expect 3 "$hc" --root=/ apply "nosuch-$key"
mkdir -p "$ns/proc-sys/kernel" "$ns/selinuxfs"
echo 0 >"$ns/proc-sys/kernel/kptr_restrict"
printf '1\n' >"$ns/proc-sys/kernel/dmesg_restrict"
echo 0 >"$ns/selinuxfs/enforce"
export HARDENCTL_TEST_PROC_SYS="$ns/proc-sys" HARDENCTL_TEST_SELINUXFS="$ns/selinuxfs" HARDENCTL_TEST_AUDIT_KEY="$key"
cat >"$ns/live.profile" <<P
[Audit]
Rule=-w /tmp/$key -p wa -k $key
Rule=-a always,exit -F arch=b64 -S openat -F uid=4242 -k $key
[Kernel]
Sysctl=kernel.kptr_restrict=2
Sysctl=kernel.dmesg_restrict=1
[SELinux]
Mode=enforcing
[Services]
Confine=web.service
NoNewPrivileges=yes
P
if [ "$("$akr" "$key")" = 0 ]; then ok; else ko "audit rules with the test key before the test"; fi

expect 2 "$hc" --runtime apply --dry-run "$ns/live.profile"
contains "$tmp/out" "audit rule: -w /tmp/$key -p wa -k $key"
contains "$tmp/out" "sysctl kernel.kptr_restrict: 0 → 2"
lacks "$tmp/out" "sysctl kernel.dmesg_restrict"
contains "$tmp/out" "SELinux mode: permissive → enforcing"
contains "$tmp/out" "+++ b/run/systemd/system/web.service.d/99-hardenctl-confine.conf"
lacks "$tmp/out" "/etc/"

# A failure at the last step (the record) undoes the live changes too.
HARDENCTL_TEST_TRACE_STEPS=1 "$hc" --runtime apply "$ns/live.profile" >/dev/null 2>"$tmp/trace"
steps=$(grep -c hardenctl-step "$tmp/trace")
# Back to the start by hand, then fail at the last step.
"$akr" --delete "$key" >/dev/null; echo 0 >"$ns/proc-sys/kernel/kptr_restrict"; echo 0 >"$ns/selinuxfs/enforce"; rm -rf /run/systemd /run/sysctl.d /run/hardenctl/applied
HARDENCTL_TEST_FAIL_STEP=$steps expect 1 "$hc" --runtime apply "$ns/live.profile"
contains "$tmp/err" "writing /run/hardenctl/applied"
[ "$("$akr" "$key")" = 0 ] && ok || ko "audit rules not removed in the rollback"
[ "$(cat "$ns/proc-sys/kernel/kptr_restrict")" = 0 ] && ok || ko "sysctl not set back in the rollback"
[ "$(cat "$ns/selinuxfs/enforce")" = 0 ] && ok || ko "SELinux mode not set back in the rollback"
[ ! -e /run/systemd/system/web.service.d/99-hardenctl-confine.conf ] && ok || ko "drop-in not removed in the rollback"

expect 0 "$hc" --runtime apply "$ns/live.profile"
[ "$("$akr" "$key")" = 2 ] && ok || ko "the audit rules were not loaded"
[ "$(cat "$ns/proc-sys/kernel/kptr_restrict")" = 2 ] && ok || ko "sysctl not set"
[ "$(cat "$ns/selinuxfs/enforce")" = 1 ] && ok || ko "SELinux mode not set"
[ -f /run/sysctl.d/zz-hardenctl-apply.conf ] && [ -f /run/hardenctl/applied ] && ok || ko "runtime files missing"
# SOURCE_DATE_EPOCH is for images: the record of a live apply has the real time.
if grep -q '^Applied=2023-11-14T22:13:20Z$' /run/hardenctl/applied; then ko "SOURCE_DATE_EPOCH used for a live apply"; else ok; fi
expect 0 "$hc" --runtime apply "$ns/live.profile"
contains "$tmp/out" "nothing to change"
expect 0 "$hc" --runtime status
contains "$tmp/out" "(run time only)"
contains "$tmp/out" "State: in force"

# Live drift: status sees it.
echo 1 >"$ns/proc-sys/kernel/kptr_restrict"
"$akr" --delete "$key" >/dev/null
expect 2 "$hc" --runtime status
contains "$tmp/out" "State: drifted (3 differences)"
contains "$tmp/out" "sysctl kernel.kptr_restrict: 1 → 2"
expect 0 "$hc" --runtime apply "$ns/live.profile"
expect 0 "$hc" --runtime status

# Test mode refuses anything outside the test's key.
printf '[Audit]\nRule=-w /tmp/x -p wa -k not-the-test-key\n' >"$ns/other.profile"
expect 1 "$hc" --runtime apply "$ns/other.profile"
contains "$tmp/err" "only rules with key $key may (test mode)"
"$akr" --delete "$key" >/dev/null

# Lockdown= and ModuleLoading=signed, live, against a fake /sys and /proc/sys (a root tree for the
# check too): planned last, cannot be undone, and the check's rules pass afterwards.
k="$ns/kroot"
mkdir -p "$k/sys/kernel/security" "$k/sys/module/module/parameters" "$k/proc/sys/kernel" "$k/usr/lib/hardenctl/profiles"
cp "$src/tests/apply/kernel.profile" "$k/usr/lib/hardenctl/profiles/"
echo "[none] integrity confidentiality" >"$k/sys/kernel/security/lockdown"
echo N >"$k/sys/module/module/parameters/sig_enforce"
echo 0 >"$k/proc/sys/kernel/modules_disabled"
export HARDENCTL_TEST_SYSFS="$k/sys" HARDENCTL_TEST_PROC_SYS="$k/proc/sys"
rm -rf /run/hardenctl /run/modprobe.d /run/systemd /run/sysctl.d
expect 2 "$hc" --runtime apply --dry-run "$src/tests/apply/kernel.profile"
contains "$tmp/out" "kernel: only signed modules load from now on (sig_enforce: N → Y; cannot be undone)"
contains "$tmp/out" "kernel lockdown: none → integrity (cannot be undone)"
contains "$tmp/out" "+++ b/run/modprobe.d/50-hardenctl.conf"
# A failure at the lockdown, after signature enforcement went on: exit 5, naming what stays.
HARDENCTL_TEST_TRACE_STEPS=1 "$hc" --runtime apply "$src/tests/apply/kernel.profile" >/dev/null 2>"$tmp/trace"
step=$(sed -n 's/^hardenctl-step \([0-9]*\): lockdown .*/\1/p' "$tmp/trace")
[ -n "$step" ] && ok || ko "no lockdown step in the trace"
[ "$(cat "$k/sys/module/module/parameters/sig_enforce")" = 1 ] && ok || ko "sig_enforce not written"
[ "$(cat "$k/sys/kernel/security/lockdown")" = integrity ] && ok || ko "lockdown not written"
echo N >"$k/sys/module/module/parameters/sig_enforce"
echo "[none] integrity confidentiality" >"$k/sys/kernel/security/lockdown"
rm -rf /run/hardenctl /run/modprobe.d
HARDENCTL_TEST_FAIL_STEP=$step expect 5 "$hc" --runtime apply "$src/tests/apply/kernel.profile"
contains "$tmp/err" "rollback incomplete: already done: kernel: only signed modules load from now on"
[ ! -e /run/modprobe.d/50-hardenctl.conf ] && [ ! -e /run/hardenctl/applied ] && ok || ko "the rest was not rolled back"
# Done; then the fake files as the kernel shows them after such writes.
echo N >"$k/sys/module/module/parameters/sig_enforce"
expect 0 "$hc" --runtime apply "$src/tests/apply/kernel.profile"
contains "$tmp/out" "there is no boot profile (/usr/lib/hardenctl/active.profile): nothing sets Lockdown= and ModuleLoading= again at the next boot"
[ "$(cat "$k/sys/module/module/parameters/sig_enforce")" = 1 ] && [ "$(cat "$k/sys/kernel/security/lockdown")" = integrity ] && ok || ko "kernel settings not written"
echo Y >"$k/sys/module/module/parameters/sig_enforce"
echo "none [integrity] confidentiality" >"$k/sys/kernel/security/lockdown"
expect 0 "$hc" --runtime apply "$src/tests/apply/kernel.profile"
contains "$tmp/out" "nothing to change"
"$hc" --root="$k" check kernel --json=short >"$tmp/check.json" 2>/dev/null
python3 - "$tmp/check.json" <<'PY' && ok || ko "the lockdown and module loading rules do not pass after apply"
import json, sys
d = json.load(open(sys.argv[1]))
r = {x["id"]: x["result"] for x in d["results"] if x["id"] in ("hardenctl-kernel-lockdown", "hardenctl-kernel-module-loading")}
assert r == {"hardenctl-kernel-lockdown": "pass", "hardenctl-kernel-module-loading": "pass"}, r
PY
# The rules of an earlier profile's audit rules file, on the host (a private copy of /etc in this
# namespace): those no longer wanted are deleted live, and added back by a rollback; rules that file
# never listed (loaded by a run-time apply here) stay.
if mkdir -p "$ns/etc" && cp -a /etc/. "$ns/etc/" && mount --bind "$ns/etc" /etc && mountpoint -q /etc; then
        rm -rf /etc/hardenctl /etc/audit/rules.d/50-hardenctl.rules /run/hardenctl
        "$akr" --delete "$key" >/dev/null
        for x in a b c; do printf '[Audit]\n' >"$ns/$x.profile"; done
        printf 'Rule=-w /tmp/%s-a -p wa -k %s\nRule=-w /tmp/%s-b -p wa -k %s\n' "$key" "$key" "$key" "$key" >>"$ns/a.profile"
        printf 'Rule=-w /tmp/%s-b -p wa -k %s\n' "$key" "$key" >>"$ns/b.profile"
        printf 'Rule=-w /tmp/%s-c -p wa -k %s\n' "$key" "$key" >>"$ns/c.profile"
        expect 0 "$hc" --runtime apply "$ns/c.profile"
        expect 0 "$hc" apply "$ns/a.profile"
        [ "$("$akr" "$key")" = 3 ] && ok || ko "three rules expected after applying a over c"
        expect 2 "$hc" apply --dry-run "$ns/b.profile"
        contains "$tmp/out" "audit rule deleted (no longer wanted): -w /tmp/$key-a -p wa -k $key"
        lacks "$tmp/out" "deleted (no longer wanted): -w /tmp/$key-b"
        lacks "$tmp/out" "deleted (no longer wanted): -w /tmp/$key-c"
        HARDENCTL_TEST_TRACE_STEPS=1 "$hc" apply "$ns/b.profile" >/dev/null 2>"$tmp/trace"
        steps=$(grep -c hardenctl-step "$tmp/trace")
        grep -q "audit-delete-rule -w /tmp/$key-a" "$tmp/trace" && ok || ko "no audit-delete-rule step"
        [ "$("$akr" "$key")" = 2 ] && ok || ko "the rule no longer wanted was not deleted"
        # Back to a, then b failing at its last step: the deleted rule is added back.
        expect 0 "$hc" apply "$ns/a.profile"
        [ "$("$akr" "$key")" = 3 ] && ok || ko "a again: three rules expected"
        HARDENCTL_TEST_FAIL_STEP=$steps expect 1 "$hc" apply "$ns/b.profile"
        contains "$tmp/err" "nothing changed"
        [ "$("$akr" "$key")" = 3 ] && ok || ko "the rollback did not add the deleted rule back"
        expect 0 "$hc" apply "$ns/b.profile"
        [ "$("$akr" "$key")" = 2 ] && ok || ko "b: two rules expected"
        expect 2 "$hc" apply --dry-run "$ns/a.profile"
        contains "$tmp/out" "audit rule: -w /tmp/$key-a -p wa -k $key"
        lacks "$tmp/out" "audit rule: -w /tmp/$key-b"
        expect 0 "$hc" apply "$ns/b.profile"
        contains "$tmp/out" "nothing to change"
        "$akr" --delete "$key" >/dev/null
        umount /etc
else
        ko "cannot make a private /etc for the host-scope audit test"
fi

# Without a fake /sys, a test never touches the real one.
HARDENCTL_TEST_SYSFS= expect 1 "$hc" --runtime apply --dry-run "$src/tests/apply/kernel.profile"
contains "$tmp/err" "test mode, no fake /sys"
unset HARDENCTL_TEST_SYSFS
NS

{
        declare -f ok ko expect contains lacks same manifest mkroot
        echo "hc='$hc' src='$src' akr='$akr' tmp='$tmp' key='$key'"
        echo 'passed=0 failed=0'
} >"$tmp/lib.sh"
echo 'echo "NS $passed $failed"' >>"$tmp/ns.sh"
TESTLIB="$tmp/lib.sh" unshare -m --propagation private bash "$tmp/ns.sh" >"$tmp/ns.log" 2>&1
grep -v '^NS ' "$tmp/ns.log" >&2
read -r _ p f < <(grep '^NS ' "$tmp/ns.log" || echo "NS 0 1")
passed=$((passed + p))
failed=$((failed + f))
[ "$("$akr" "$key")" = 0 ] && ok || ko "audit rules with the test key left behind"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
