#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# hardenctl-kernel against a fixture root with /proc/sys and /sys/kernel/security files: never the
# host's kernel settings.
# Usage: test-kernel.sh BUILD_ROOT SOURCE_ROOT
set -uo pipefail

build=$1
src=$2
helper="$build/src/kernel/hardenctl-kernel"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export HARDENCTL_LOG_TARGET=console
unset HARDENCTL_LOG_LEVEL

passed=0
failed=0
check() { if eval "$2"; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAIL: $1" >&2; fi; }

r="$tmp/root"
mkdir -p "$r/usr/lib/hardenctl/profiles" "$r/run" "$r/sys/kernel/security" "$r/proc/sys/kernel/yama" "$r/proc/sys/net/ipv4/conf/all"
cp "$src"/profiles/*.profile "$r/usr/lib/hardenctl/profiles/"
cat >"$r/usr/lib/hardenctl/active.profile" <<'P'
[Profile]
Inherit=baseline
[Kernel]
Sysctl=
Sysctl=kernel.kptr_restrict=2
Sysctl=kernel/yama/ptrace_scope = 1
Sysctl=net.ipv4.conf.all.rp_filter=1
DenyModule=usb-storage cramfs
Lockdown=integrity
ModuleLoading=locked
P
for f in kernel/kptr_restrict kernel/yama/ptrace_scope net/ipv4/conf/all/rp_filter kernel/modules_disabled; do echo 0 >"$r/proc/sys/$f"; done
echo "[none] integrity confidentiality" >"$r/sys/kernel/security/lockdown"

HARDENCTL_ROOT="$r" "$helper" early 2>"$tmp/log"
check "early succeeds" '[ $? -eq 0 ]'
check "modprobe deny list written" 'grep -qx "install usb_storage /bin/false" "$r/run/modprobe.d/50-hardenctl.conf" && grep -qx "blacklist cramfs" "$r/run/modprobe.d/50-hardenctl.conf"'
check "no temporary file left" '[ "$(ls -A "$r/run/modprobe.d")" = 50-hardenctl.conf ]'
check "lockdown raised" '[ "$(cat "$r/sys/kernel/security/lockdown")" = integrity ]'
check "modules not locked early" '[ "$(cat "$r/proc/sys/kernel/modules_disabled")" = 0 ]'

HARDENCTL_ROOT="$r" "$helper" late 2>"$tmp/log"
check "late succeeds" '[ $? -eq 0 ]'
check "sysctls written" '[ "$(cat "$r/proc/sys/kernel/kptr_restrict")" = 2 ] && [ "$(cat "$r/proc/sys/kernel/yama/ptrace_scope")" = 1 ] && [ "$(cat "$r/proc/sys/net/ipv4/conf/all/rp_filter")" = 1 ]'
check "module loading locked last" '[ "$(cat "$r/proc/sys/kernel/modules_disabled")" = 1 ]'
check "summary logged" 'grep -q "Kernel settings: 3 applied, 0 failed." "$tmp/log"'

# A setting the kernel does not have: reported, the others still applied, the unit fails.
echo "Sysctl=kernel.no_such_setting=1" >>"$r/usr/lib/hardenctl/active.profile"
echo 0 >"$r/proc/sys/kernel/kptr_restrict"
HARDENCTL_ROOT="$r" "$helper" late 2>"$tmp/log"
check "late fails on a missing setting" '[ $? -ne 0 ]'
check "the missing one is named" 'grep -q "Failed to set kernel.no_such_setting to 1" "$tmp/log"'
check "the others are applied anyway" '[ "$(cat "$r/proc/sys/kernel/kptr_restrict")" = 2 ]'

# A symlink planted at a setting's path is not followed out of the root.
rm "$r/proc/sys/kernel/kptr_restrict" && ln -s /etc/passwd "$r/proc/sys/kernel/kptr_restrict"
HARDENCTL_ROOT="$r" "$helper" late 2>"$tmp/log"
check "a symlinked setting is refused" 'grep -q "Failed to set kernel.kptr_restrict" "$tmp/log"'

# No boot profile: nothing to do.
rm "$r/usr/lib/hardenctl/active.profile"
HARDENCTL_ROOT="$r" "$helper" late 2>"$tmp/log"
check "no profile, no work" '[ $? -eq 0 ] && [ ! -s "$tmp/log" ]'

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
