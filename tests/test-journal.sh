#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# hardenctl check --journal and hardenctl apply against a journald of the test's own: in a private mount
# namespace, with tmpfs over /run/systemd, /run/log and /var/log/journal, so that nothing reaches the
# host's journal. check: one entry per run and one per failing rule; apply: one entry per apply that
# changes something, and one for an apply that failed and was rolled back; each with the documented
# MESSAGE_IDs and fields.
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
assert run["HARDENCTL_DIGEST"] == report["profile"]["digest"]
assert "HARDENCTL_PROFILE_DIGEST" not in run, run   # its name until 0.1; now HARDENCTL_DIGEST, as apply's
assert int(run["HARDENCTL_FAIL"]) == s["fail"] and int(run["HARDENCTL_PASS"]) == s["pass"]
assert run["PRIORITY"] == "4"
assert run["HARDENCTL_ROOT"] == "root" and run["HARDENCTL_LIVE"] == "no", run
bad = [r for r in report["results"] if r["result"] in ("fail", "error")]
assert len(rules) == len(bad), (len(rules), len(bad))
for entry, r in zip(rules, bad):
    assert entry["HARDENCTL_RULE"] == r["id"]
    assert entry["HARDENCTL_INSTANCE"] == (r["instance"] or "")
    assert entry["HARDENCTL_RESULT"] == r["result"]
    assert entry["HARDENCTL_SEVERITY"] == r["severity"]
    assert entry["HARDENCTL_DIGEST"] == report["profile"]["digest"]
    assert entry["HARDENCTL_ROOT"] == "root" and entry["HARDENCTL_LIVE"] == "no", entry
print(f"1 run entry, {len(rules)} rule entries")
PY
status=$?

# A journal that cannot be written: the report is still printed, and the run fails (1), for check and
# for report alike. (A regular file where the socket should be refuses the connection.) Each with its own
# option for JSON: check takes --json=, report --format=.
for verb in check report; do
        json=--json=short
        [ "$verb" = report ] && json=--format=json
        unshare -m --propagation private bash -c '
                mount -t tmpfs tmpfs /run/systemd/journal && : >/run/systemd/journal/socket &&
                exec "$@"' - "$hc" --root=root "$verb" fixture --journal "$json" >"$tmp/broken.json" 2>"$tmp/broken.err"
        rc=$?
        [ "$rc" -eq 1 ] || { echo "FAIL: $verb --journal with a broken journal exited $rc, expected 1"; status=1; }
        grep -q "Failed to write to the journal" "$tmp/broken.err" || { echo "FAIL: $verb: no journal error"; cat "$tmp/broken.err"; status=1; }
        python3 -c 'import json, sys; assert json.load(open(sys.argv[1]))["summary"]["total"] > 0' "$tmp/broken.json" ||
                { echo "FAIL: $verb --journal printed no report when the journal failed"; status=1; }
done

# apply, into an image tree: applied, then nothing to do (no entry), then a failure rolled back.
r="$tmp/root"
mkdir -p "$r/usr/lib/hardenctl/profiles" "$r/etc/selinux"
cp "$src"/tests/apply/*.profile "$r/usr/lib/hardenctl/profiles/"
printf 'SELINUX=permissive\nSELINUXTYPE=targeted\n' >"$r/etc/selinux/config"
export SOURCE_DATE_EPOCH=1700000000
"$hc" --root="$r" -q apply old >/dev/null || { echo "FAIL: apply old"; status=1; }
"$hc" --root="$r" -q apply old >/dev/null || { echo "FAIL: apply old again"; status=1; }
HARDENCTL_TEST_FAIL_STEP=8 "$hc" --root="$r" -q apply web >/dev/null 2>&1 && { echo "FAIL: the injected failure did not fail"; status=1; }
HARDENCTL_TEST_FAIL_STEP=8,10 "$hc" --root="$r" -q apply web >/dev/null 2>&1
[ $? -eq 5 ] || { echo "FAIL: an incomplete rollback did not exit 5"; status=1; }
# The check of the profile applied names its digest as apply does.
"$hc" --root="$r" -q check old --journal >/dev/null 2>&1
sleep 0.3
journalctl -D /run/log/journal -o json MESSAGE_ID=d950cb0034664b2eb2aed47be5ae9c75 >"$tmp/applied.json"
journalctl -D /run/log/journal -o json MESSAGE_ID=538bcc97e8e04a228c61e977db4fd378 >"$tmp/rolled-back.json"
journalctl -D /run/log/journal -o json MESSAGE_ID=2145af97642c4a24b82234aaa2255c61 HARDENCTL_ROOT="$r" >"$tmp/checked.json"
python3 - "$r/etc/hardenctl/applied" "$tmp/applied.json" "$tmp/rolled-back.json" "$r" "$tmp/checked.json" <<'PY' || status=1
import json, sys
record = dict(l.rstrip("\n").split("=", 1) for l in open(sys.argv[1]) if "=" in l)
applied = [json.loads(l) for l in open(sys.argv[2]) if l.strip()]
failed = [json.loads(l) for l in open(sys.argv[3]) if l.strip()]
assert len(applied) == 1, applied          # the second apply changed nothing: no entry
a = applied[0]
assert a["HARDENCTL_PROFILE"] == "old", a
assert a["HARDENCTL_DIGEST"] == record["Digest"], (a, record)
assert int(a["HARDENCTL_CHANGES"]) > 0, a
assert a["HARDENCTL_SCOPE"] == "image" and a["HARDENCTL_ROOT"] == sys.argv[4], a
assert a["HARDENCTL_UID"] == "0" and a["PRIORITY"] == "5", a
assert len(failed) == 2, failed
f = failed[0]
assert f["HARDENCTL_PROFILE"] == "web" and f["HARDENCTL_ROLLBACK_COMPLETE"] == "yes", f
assert f["PRIORITY"] == "3" and int(f["ERRNO"]) > 0, f
assert " failed and was rolled back: " in f["MESSAGE"], f
f = failed[1]
assert f["HARDENCTL_ROLLBACK_COMPLETE"] == "no", f
assert "rollback is incomplete" in f["MESSAGE"] and "rolled back:" not in f["MESSAGE"], f
checked = [json.loads(l) for l in open(sys.argv[5]) if l.strip()]
assert len(checked) == 1 and checked[0]["HARDENCTL_PROFILE"] == "old", checked
assert checked[0]["HARDENCTL_DIGEST"] == a["HARDENCTL_DIGEST"], (checked[0], a)
print("1 apply entry, 2 rollback entries, 1 check entry with the apply's digest")
PY

# One vocabulary: every field these entries carry, and every field src/basic/journal-ids.h names, is
# documented in hardenctl.journal(7).
cat "$tmp"/run.json "$tmp"/rules.json "$tmp"/applied.json "$tmp"/rolled-back.json |
        python3 -c 'import json, sys; print("\n".join(sorted({k for l in sys.stdin if l.strip() for k in json.loads(l) if k.startswith("HARDENCTL_")})))' >"$tmp/sent"
grep -o 'HARDENCTL_[A-Z_]*=' "$src/src/basic/journal-ids.h" | tr -d = >>"$tmp/sent"
[ "$(sort -u "$tmp/sent" | wc -l)" -ge 20 ] || { echo "FAIL: only $(sort -u "$tmp/sent" | wc -l) fields sent and named"; status=1; }
sort -u "$tmp/sent" | while read -r f; do
        grep -q "\*$f=\*" "$src/man/hardenctl.journal.7.scd" || { echo "FAIL: $f is not documented in hardenctl.journal(7)"; exit 1; }
done || status=1

if [ "$status" -eq 0 ]; then echo "3 passed, 0 failed"; else echo "failed"; fi
exit "$status"
