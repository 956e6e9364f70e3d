#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# hardenctl check --journal against a journald of the test's own: in a private mount namespace, with
# tmpfs over /run/systemd, /run/log and /var/log/journal, so that nothing reaches the host's journal.
# One entry per run and one per failing rule, with the documented MESSAGE_IDs and fields.
# Needs root (mount namespace); skipped (77) otherwise.
#
# Usage: test-journal.sh HARDENCTL SOURCE_ROOT
set -uo pipefail

hc=$1
src=$2
journald=$(ls /lib/systemd/systemd-journald /usr/lib/systemd/systemd-journald 2>/dev/null | head -1)

if [ "$(id -u)" -ne 0 ] || [ -z "$journald" ] || ! command -v unshare >/dev/null; then
        echo "SKIP: needs root, unshare and systemd-journald"
        exit 77
fi

if [ "${1:-}" != --inner ]; then
        exec unshare -m --propagation private bash "$0" --inner "$hc" "$src"
fi
hc=$2
src=$3

mkdir -p /run/systemd /run/log
mount -t tmpfs tmpfs /run/systemd || exit 1
mount -t tmpfs tmpfs /run/log || exit 1
[ -d /var/log/journal ] && { mount -t tmpfs tmpfs /var/log/journal || exit 1; }
mkdir -p /run/systemd/journal
tmp=$(mktemp -d)
"$journald" >"$tmp/journald.log" 2>&1 &
jd=$!
trap 'kill $jd 2>/dev/null; wait $jd 2>/dev/null; rm -rf "$tmp"' EXIT
for _ in $(seq 100); do [ -S /run/systemd/journal/socket ] && break; sleep 0.05; done

cd "$src/tests/check" || exit 1
export HARDENCTL_CHECK_TIME=1700000000
"$hc" --root=root check fixture --journal --json=short >"$tmp/report.json"
rc=$?
[ "$rc" -eq 2 ] || { echo "FAIL: check --journal exited $rc, expected 2"; exit 1; }
sleep 0.3
journalctl -D /run/log/journal -o json MESSAGE_ID=2145af97642c4a24b82234aaa2255c61 >"$tmp/run.json"
journalctl -D /run/log/journal -o json MESSAGE_ID=4220c0de945247c7aa972c40e4d06c6f >"$tmp/rules.json"

python3 - "$tmp/report.json" "$tmp/run.json" "$tmp/rules.json" <<'PY'
import json, sys
report = json.load(open(sys.argv[1]))
runs = [json.loads(l) for l in open(sys.argv[2]) if l.strip()]
rules = [json.loads(l) for l in open(sys.argv[3]) if l.strip()]
s = report["summary"]
assert len(runs) == 1, runs
run = runs[0]
assert run["HARDENCTL_PROFILE"] == "fixture"
assert run["HARDENCTL_PROFILE_DIGEST"] == report["profile"]["digest"]
assert int(run["HARDENCTL_FAIL"]) == s["fail"] and int(run["HARDENCTL_PASS"]) == s["pass"]
assert run["PRIORITY"] == "4"
bad = [r for r in report["results"] if r["result"] in ("fail", "error")]
assert len(rules) == len(bad), (len(rules), len(bad))
for entry, r in zip(rules, bad):
    assert entry["HARDENCTL_RULE"] == r["id"]
    assert entry["HARDENCTL_INSTANCE"] == (r["instance"] or "")
    assert entry["HARDENCTL_RESULT"] == r["result"]
    assert entry["HARDENCTL_SEVERITY"] == r["severity"]
    assert entry["HARDENCTL_PROFILE_DIGEST"] == report["profile"]["digest"]
print(f"1 run entry, {len(rules)} rule entries")
PY
status=$?
if [ "$status" -eq 0 ]; then echo "1 passed, 0 failed"; else echo "0 passed, 1 failed"; fi
exit "$status"
