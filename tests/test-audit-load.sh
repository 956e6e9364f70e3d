#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# The real "hardenctl-audit load" against the real audit netlink of this machine, in test mode
# ($HARDENCTL_TEST_AUDIT_KEY): it may only add rules carrying the test's own key, and refuses every
# other step — turning auditing on, the backlog limit, failure mode and rate limit, the lock — so the
# host's audit configuration is never changed; the test checks that too. The order of the steps is
# read from the plan the helper logs at debug level, and from what it refuses first.
# Skipped (77) without root, without audit, or when the host's audit configuration is locked.
# Usage: test-audit-load.sh BUILD_ROOT AUDIT_KEY_RULES
set -uo pipefail

build=$1
akr=$2
helper="$build/src/helpers/hardenctl-audit"
for v in $(env | sed -n 's/^\(HARDENCTL_[A-Z_]*\)=.*/\1/p'); do unset "$v"; done

[ "$(id -u)" -eq 0 ] || { echo "not root, skipping"; exit 77; }
before=$("$akr" --status)
rc=$?
[ $rc -eq 77 ] && { echo "no audit, skipping"; exit 77; }
[ $rc -eq 0 ] || { echo "FAIL: cannot read the audit status"; exit 1; }
case "$before" in enabled=2*) echo "the host's audit configuration is locked, skipping"; exit 77 ;; esac

passed=0
failed=0
tmp=$(mktemp -d)
key="hardenctl-test-load-$$"
cleanup() {
        "$akr" --delete "$key" >/dev/null 2>&1
        rm -rf "$tmp"
}
trap cleanup EXIT
export HARDENCTL_TEST_AUDIT_KEY="$key" HARDENCTL_ROOT="$tmp/root" HARDENCTL_LOG_TARGET=console HARDENCTL_LOG_LEVEL=debug

ok() { passed=$((passed + 1)); }
ko() { failed=$((failed + 1)); echo "FAIL: $*" >&2; }
load() {
        "$helper" load >"$tmp/out" 2>"$tmp/log"
        echo $?
}
contains() { if grep -qF -- "$1" "$tmp/log"; then ok; else ko "the log lacks '$1'"; sed 's/^/  | /' "$tmp/log" >&2; fi; }
rules() { "$akr" "$key"; }
# The line number of the first step whose description contains $1.
step_line() { grep -n "Step [0-9]*: .*$1" "$tmp/log" | head -n1 | cut -d: -f1; }
in_order() {
        local prev=0 n
        for s in "$@"; do
                n=$(step_line "$s")
                if [ -z "$n" ] || [ "$n" -le "$prev" ]; then ko "step '$s' missing or out of order"; sed 's/^/  | /' "$tmp/log" >&2; return; fi
                prev=$n
        done
        ok
}
profile() {
        mkdir -p "$tmp/root/usr/lib/hardenctl/profiles"
        {
                echo "[Audit]"
                cat
                echo "Rule=-w /tmp/$key -p wa -k $key"
                echo "Rule=-a always,exit -F arch=b64 -S openat -F uid=4242 -k $key"
        } >"$tmp/root/usr/lib/hardenctl/active.profile"
}

[ "$(rules)" = 0 ] && ok || ko "rules with the test key before the test"

# Rules with the test key only: loaded; auditing, if off, is left off in test mode, but the plan
# turns it on first.
profile </dev/null
[ "$(load)" = 0 ] && ok || { ko "load failed"; sed 's/^/  | /' "$tmp/log" >&2; }
[ "$(rules)" = 2 ] && ok || ko "the two rules were not loaded"
contains "Audit: 2 rules loaded, 0 already present, 0 failed."
case "$before" in
enabled=0*)
        in_order "turn auditing on" "load rule '-w /tmp/$key" "load rule '-a always,exit"
        contains "Test mode: auditing is off; not turning it on." ;;
*)
        if grep -q "turn auditing on" "$tmp/log"; then ko "auditing is on, yet the plan turns it on"; else ok; fi ;;
esac

# Loading again changes nothing.
[ "$(load)" = 0 ] && ok || ko "second load failed"
contains "Audit: 0 rules loaded, 2 already present, 0 failed."
[ "$(rules)" = 2 ] && ok || ko "rules duplicated"
"$akr" --delete "$key" >/dev/null

# Every setting and the lock: the plan orders them settings, rules, lock; test mode refuses the first
# of them, and nothing at all is changed.
profile <<'P'
BacklogLimit=8192
FailureMode=printk
RateLimit=100
Immutable=yes
P
[ "$(load)" = 1 ] && ok || ko "test mode did not refuse the settings"
in_order "set the backlog limit to 8192" "set the failure mode to 1" "set the rate limit to 100" "load rule '-w /tmp/$key" "load rule '-a always,exit" "lock the configuration"
contains "Test mode: refusing to set the backlog limit to 8192: only rules with key $key may be loaded. Nothing was changed."
[ "$(rules)" = 0 ] && ok || ko "rules were loaded although the plan was refused"

# The lock alone, after the rules: refused too.
profile <<'P'
Immutable=yes
P
[ "$(load)" = 1 ] && ok || ko "test mode did not refuse the lock"
contains "Test mode: refusing to lock the configuration until reboot (enabled 2)"
[ "$(rules)" = 0 ] && ok || ko "rules were loaded although the lock was refused"

# A rule without the test key: refused, and the rules with it are not loaded either.
profile <<'P'
Rule=-w /tmp/not-the-test-key -p wa -k other
P
[ "$(load)" = 1 ] && ok || ko "test mode did not refuse a rule without the key"
contains "Test mode: refusing to load rule '-w /tmp/not-the-test-key -p wa -k other'"
[ "$(rules)" = 0 ] && ok || ko "rules were loaded although one was refused"

# The host's audit settings are as they were.
after=$("$akr" --status)
[ "$before" = "$after" ] && ok || ko "the host's audit status changed: $before → $after"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
