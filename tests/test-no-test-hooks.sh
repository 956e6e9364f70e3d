#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# A build without -Dtest-hooks=true: hardenctl apply and status refuse to run when a test-only
# variable (HARDENCTL_TEST_*) is set, rather than ignore it and act on the real host.
# hardenctl-ipe likewise refuses to load a policy into the real securityfs, and hardenctl-measure to
# record and measure a posture a test gives.
# Usage: test-no-test-hooks.sh HARDENCTL HARDENCTL_IPE HARDENCTL_MEASURE
set -uo pipefail

hc=$1
ipe=$2
measure=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failed=0
mkdir -p "$tmp/root/usr/lib/hardenctl/profiles"
printf '[Kernel]\nSysctl=kernel.kptr_restrict=2\n' >"$tmp/root/usr/lib/hardenctl/profiles/t.profile"

for v in HARDENCTL_TEST_PROC_SYS HARDENCTL_TEST_FAIL_STEP HARDENCTL_TEST_AUDIT_KEY; do
        env "$v=$tmp/x" "$hc" --root="$tmp/root" apply t >"$tmp/out" 2>"$tmp/err"
        rc=$?
        if [ $rc -ne 1 ] || ! grep -q "$v is set, but this build of hardenctl has no test hooks" "$tmp/err"; then
                echo "FAIL: apply with $v set exited $rc" >&2
                cat "$tmp/err" >&2
                failed=1
        fi
done
[ ! -e "$tmp/root/etc" ] || { echo "FAIL: the refused apply changed the tree" >&2; failed=1; }
HARDENCTL_TEST_SYSFS=/x "$hc" --root="$tmp/root" status >/dev/null 2>"$tmp/err" && { echo "FAIL: status did not refuse" >&2; failed=1; }
# Set but empty is not set.
HARDENCTL_TEST_SYSFS= "$hc" --root="$tmp/root" apply t >/dev/null 2>&1 || { echo "FAIL: an empty variable was refused" >&2; failed=1; }
HARDENCTL_ROOT="$tmp/root" HARDENCTL_TEST_SECURITYFS="$tmp/sfs" "$ipe" load >/dev/null 2>"$tmp/err"
if [ $? -ne 1 ] || ! grep -q "HARDENCTL_TEST_SECURITYFS is set, but this build of hardenctl has no test hooks" "$tmp/err"; then
        echo "FAIL: hardenctl-ipe load did not refuse HARDENCTL_TEST_SECURITYFS" >&2
        cat "$tmp/err" >&2
        failed=1
fi
printf '{}' >"$tmp/posture-in.json"
HARDENCTL_TEST_POSTURE="$tmp/posture-in.json" HARDENCTL_TPM2_TCTI=device:/dev/null "$measure" measure \
        --posture="$tmp/posture.json" --event-log="$tmp/events.log" >/dev/null 2>"$tmp/err"
if [ $? -ne 1 ] || ! grep -q "HARDENCTL_TEST_POSTURE is set, but this build of hardenctl has no test hooks" "$tmp/err"; then
        echo "FAIL: hardenctl-measure measure did not refuse HARDENCTL_TEST_POSTURE" >&2
        cat "$tmp/err" >&2
        failed=1
fi
[ ! -e "$tmp/posture.json" ] && [ ! -e "$tmp/events.log" ] || { echo "FAIL: the refused measure wrote a file" >&2; failed=1; }
[ $failed -eq 0 ] && echo "ok"
exit $failed
