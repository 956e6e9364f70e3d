#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# hardenctl check finds the rules auditctl loaded, as the kernel lists them: the "always" rules and
# watches of auditd's STIG, OSPP and 32-bit example files, their keys replaced by a key of the test's own,
# are loaded by the real auditctl(8), and each must be found among the kernel's rules by
# audit_rule_is_loaded_as(), as hardenctl parses it. Only rules with the test key are added, and they are
# deleted afterwards whatever happens; nothing else is touched (no -D, no settings, never the lock).
# Needs root and auditctl; skipped without, or when the host's audit configuration is locked.
#
# usage: test-auditctl-roundtrip.sh AUDIT-KEY-RULES
set -euo pipefail

tool=$1
examples=/usr/share/doc/auditd/examples/rules
auditctl=$(command -v auditctl || true)
if [ -z "$auditctl" ] || [ ! -d "$examples" ]; then
        echo "auditctl-roundtrip: no auditctl or example files: skipped"
        exit 77
fi
if [ "$(id -u)" -ne 0 ]; then
        echo "auditctl-roundtrip: not root: skipped"
        exit 77
fi
status=$("$tool" --status) || { echo "auditctl-roundtrip: no audit netlink: skipped"; exit 77; }
case $status in
enabled=2*) echo "auditctl-roundtrip: audit configuration locked: skipped"; exit 77 ;;
esac

key=hardenctl-test-rt-$$
tmp=$(mktemp -d)
cleanup() {
        "$tool" --delete "$key" >/dev/null || true
        rm -rf "$tmp"
}
trap cleanup EXIT

# The rules that add records (always, exit list, watches), each once, with the test key.
for f in "$examples"/30-stig.rules "$examples"/30-ospp-v42.rules "$examples"/21-no32bit.rules; do
        grep -E '^-(w|a always,exit)' "$f" || true
done | grep -v 'never' | sed -E 's/ -F key=[^ ]*//; s/ -k [^ ]*//; s/$/ -F key='"$key"'/' | sort -u >"$tmp/rules"
chmod 600 "$tmp/rules"

# -c: auditctl goes on after a rule the kernel already has (two lines may give the same rule), and exits
# non-zero for it; what counts is that each rule is then found.
{ echo "-c"; cat "$tmp/rules"; } >"$tmp/load.rules"
chmod 600 "$tmp/load.rules"
"$auditctl" -R "$tmp/load.rules" >"$tmp/out" 2>&1 || true
# Lines the kernel refused (a dir= that does not exist on this host: ENOENT) are not loaded; every other
# line is, "Rule exists" included.
refused=$(awk '/Error sending add rule/ { bad = ($0 !~ /Rule exists/) } /There was an error in line/ && bad { sub(/.*line /, ""); print $1 - 1 }' "$tmp/out")
awk -v refused=" $(echo $refused) " 'index(refused, " " NR " ") == 0' "$tmp/rules" >"$tmp/loaded.rules"
read -r rules found < <("$tool" --match "$tmp/loaded.rules" "$key")
loaded=$("$tool" "$key")
echo "auditctl-roundtrip: $(echo $refused | wc -w) lines refused by the kernel here; $rules rules loaded by auditctl ($loaded listed with the test key), $found found by hardenctl's comparison"
[ "$rules" -gt 0 ] && [ "$rules" -eq "$found" ] || { cat "$tmp/out"; exit 1; }
