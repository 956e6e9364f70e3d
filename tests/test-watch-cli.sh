#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# hardenctl-watch as a program, over the recorded streams of tests/watch/ (as auditd's plugin interface
# gives them: on standard input, and as journald keeps the kernel's records, for hosts without auditd),
# against their expected anomalies; its state file; and what check,
# report (JSON, Prometheus through promtool) and status make of that state: the runtime section.
#
# Usage: test-watch-cli.sh HARDENCTL HARDENCTL_WATCH SOURCE_ROOT
set -uo pipefail

hc=$1
watch=$2
src=$3
unset HARDENCTL_LOG_LEVEL HARDENCTL_PROFILE_PATH SYSTEMD_COLORS
export NO_COLOR=1

. "$(dirname "$0")/test-lib.sh"
tmp=$(mktemp -d)
wpid=
trap '[ -n "$wpid" ] && kill $wpid 2>/dev/null; rm -rf "$tmp"' EXIT

export HARDENCTL_TEST_WATCH_UNITS="401=agent.service 402=agent.service 403=agent.service 404=agent.service 405=agent.service 420=agent.service 501=model-server.service"
profile="$src/tests/watch/watch.profile"

# --- each stream, on standard input, against its expected anomalies
for s in events ipe avc malformed; do
        "$watch" --profile="$profile" --sink=text --state="$tmp/$s.json" --usr-device=254:0 \
                <"$src/tests/watch/$s.log" >"$tmp/out" 2>"$tmp/err"
        rc=$?
        if [ $rc -eq 0 ]; then ok; else ko "hardenctl-watch on $s.log exited $rc"; cat "$tmp/err" >&2; fi
        if diff -u "$src/tests/watch/expected/$s.txt" "$tmp/out" >"$tmp/diff"; then ok; else ko "$s.log:"; head -20 "$tmp/diff" >&2; fi
done
python3 - "$tmp/malformed.json" "$tmp/events.json" <<'PY' || ko "state files"
import json, sys
m, e = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
assert m["version"] == 1 and m["source"] == "audisp"
assert m["unparsable"] == 6, m["unparsable"]
assert e["unparsable"] == 0 and e["events"] == 15 and e["profile"] == "watch"
assert e["anomalies"]["exec-unlisted"]["count"] == 5 and e["anomalies"]["exec-unlisted"]["suppressed"] == 1
assert e["anomalies"]["selinux-denial"]["first"] is None
assert e["anomalies"]["exec-unverified"]["first"]["path"] == "/tmp/payload"
PY
ok

# --- without auditd: the kernel's records as journald keeps them (_TRANSPORT=audit, MESSAGE "TYPE body"),
# here in journal files systemd-journal-remote makes from the streams (test hooks read a directory)
remote=$(ls /lib/systemd/systemd-journal-remote /usr/lib/systemd/systemd-journal-remote 2>/dev/null | head -1)
if [ -n "$remote" ]; then
        for s in events ipe; do
                mkdir "$tmp/journal-$s"
                python3 - "$src/tests/watch/$s.log" >"$tmp/$s.export" <<'PY'
import re, sys
types = {"SYSCALL": 1300, "PATH": 1302, "CWD": 1307, "EXECVE": 1309, "EOE": 1320, "PROCTITLE": 1327,
         "KERN_MODULE": 1330, "AVC": 1400, "UNKNOWN[1420]": 1420, "IPE_ACCESS": 1420}
for line in open(sys.argv[1]):
    t, sec, ms, serial, body = re.match(r"type=(\S+) msg=audit\((\d+)\.(\d+):(\d+)\): ?(.*)$", line.rstrip("\n")).groups()
    usec = int(sec) * 1000000 + int(ms) * 1000
    name = "AUDIT1420" if types[t] == 1420 else t
    print(f"__REALTIME_TIMESTAMP={usec}\n_TRANSPORT=audit\n_AUDIT_TYPE={types[t]}\n_AUDIT_TYPE_NAME={name}\n"
          f"_AUDIT_ID={serial}\n_SOURCE_REALTIME_TIMESTAMP={usec}\nMESSAGE={name} {body}\n")
PY
                expect 0 "$remote" --output="$tmp/journal-$s/audit.journal" --split-mode=none "$tmp/$s.export"
                HARDENCTL_TEST_WATCH_JOURNAL_DIR="$tmp/journal-$s" expect 0 "$watch" --profile="$profile" --from-journal \
                        --sink=text --state="$tmp/journal-$s.json" --usr-device=254:0
                cp "$tmp/out" "$tmp/journal-$s.txt"
        done
        if diff -u "$src/tests/watch/expected/events.txt" "$tmp/journal-events.txt" >"$tmp/diff"; then ok; else ko "from the journal:"; head -20 "$tmp/diff" >&2; fi
        contains "$tmp/journal-events.json" '"source":"journal"'
        # IPE records, 1420 for journald whatever auditd calls them, with their SYSCALL records.
        if [ "$(grep -c '^exec-unverified ' "$tmp/journal-ipe.txt")" -eq 3 ]; then ok; else ko "IPE denials from the journal:"; cat "$tmp/journal-ipe.txt" >&2; fi
        contains "$tmp/journal-ipe.txt" "exe=/usr/bin/bash comm=sh pid=298 uid=0 auid=0 path=/tmp/evil"
else
        ko "systemd-journal-remote is missing (tools/install-deps.sh)"
fi

# --- bad options and profiles: an error naming them, exit 1
expect 1 "$watch" --profile="$profile" --sink=syslog
contains "$tmp/err" "Invalid --sink= 'syslog'"
expect 1 "$watch" --profile="$profile" --usr-device=fe:00 --state=-
contains "$tmp/err" "Invalid --usr-device= 'fe:00'"
printf '[Services]\nAllowExec=agent.service/usr/bin/x\n' >"$tmp/bad.profile"
expect 3 "$hc" validate "$tmp/bad.profile"
contains "$tmp/err" "is not UNIT:PATH"

# --- the runtime section of check and report, from that state
cd "$src/tests/check" || exit 1
export HARDENCTL_CHECK_TIME=1700000000 HARDENCTL_TEST_WATCH_STATE="$tmp/events.json"
expect 2 "$hc" --root=root check fixture -q
contains "$tmp/out" "runtime: 13 anomalies since boot; watcher not running, 15 events read, 0 unparsable"
contains "$tmp/out" "exec-unlisted         5  first 2023-11-14T22:13:22Z: agent.service ran /usr/bin/curl, which AllowExec= does not list"
expect 2 "$hc" --root=root report fixture --format=json --output="$tmp/report.json"
expect 2 "$hc" --root=root report fixture --format=prometheus --output="$tmp/report.prom"
if promtool check metrics <"$tmp/report.prom" >"$tmp/lint" 2>&1 && [ ! -s "$tmp/lint" ]; then ok; else ko "promtool:"; cat "$tmp/lint" >&2; fi
python3 - "$tmp/report.json" "$tmp/report.prom" "$tmp/events.json" <<'PY' || ko "runtime section"
import json, sys
r, prom, state = json.load(open(sys.argv[1]))["runtime"], open(sys.argv[2]).read(), json.load(open(sys.argv[3]))
assert r["running"] is False and r["events"] == 15 and r["total"] == 13, r
assert r["anomalies"]["exec-unlisted"]["first"]["exe"] == "/usr/bin/curl"
assert r["anomalies"]["exec-unlisted"]["first"]["auditEvent"] == "1700000002.200:102"
assert r["anomalies"]["exec-unverified"]["first"]["time"] == "2023-11-14T22:13:23Z"
for kind, v in state["anomalies"].items():
    assert r["anomalies"][kind]["count"] == v["count"]
    line = 'hardenctl_anomalies_total{profile="fixture",kind="%s"} %d' % (kind, v["count"])
    assert line in prom, line
assert 'hardenctl_watch_up{profile="fixture"} 0' in prom
assert 'hardenctl_watch_events_total{profile="fixture"} 15' in prom
assert "# TYPE hardenctl_anomalies_total counter" in prom
PY
ok
# Without a state: no runtime metrics, no runtime lines; a state file named but missing says so.
unset HARDENCTL_TEST_WATCH_STATE
expect 2 "$hc" --root=root report fixture --format=prometheus
lacks "$tmp/out" "hardenctl_anomalies_total"
expect 2 "$hc" --root=root check fixture -q
lacks "$tmp/out" "runtime:"
HARDENCTL_TEST_WATCH_STATE="$tmp/none.json" expect 2 "$hc" --root=root check fixture -q
contains "$tmp/out" "runtime: no watcher state ($tmp/none.json: no watcher has run this boot)"

# --- node-problem-detector's custom plugin protocol: one line; 0 OK, 1 a problem, 2 unknown
HARDENCTL_TEST_WATCH_STATE="$tmp/events.json" expect 1 "$hc" --root=root check fixture --node-problem-detector
if [ "$(wc -l <"$tmp/out")" -eq 1 ]; then ok; else ko "more than one line for node-problem-detector"; fi
contains "$tmp/out" "22 of 56 rules failed (hardenctl-boot-kill-switch, "
contains "$tmp/out" "; 13 anomalies since boot (exec-unverified 3, exec-unlisted 5, watched-write 1, privilege-change 1, module-load 1, etc-drift 2)"
printf '[Profile]\nDescription=nothing to check\n' >"$tmp/empty.profile"
HARDENCTL_TEST_WATCH_STATE="$tmp/none.json" expect 0 "$hc" --root=root check "$tmp/empty.profile" --node-problem-detector
contains "$tmp/out" "Hardened: profile empty compliant"
HARDENCTL_TEST_WATCH_STATE="$tmp/events.json" expect 1 "$hc" --root=root check "$tmp/empty.profile" --node-problem-detector
contains "$tmp/out" "13 anomalies since boot"
expect 2 "$hc" --root=root check no-such-profile --node-problem-detector
contains "$tmp/out" "Unknown: the compliance check could not run"
expect 1 "$hc" --root=root check fixture --node-problem-detector --json

# --- status: whether the watcher runs and how far behind it is (not below --root)
mkdir "$tmp/root"
HARDENCTL_TEST_WATCH_STATE="$tmp/events.json" expect 0 "$hc" --root="$tmp/root" status
lacks "$tmp/out" "Watcher:"
HARDENCTL_TEST_WATCH_STATE="$tmp/events.json" expect 0 "$hc" status --runtime
contains "$tmp/out" "Watcher: not running (pid"
contains "$tmp/out" "15 events, 0 unparsable, 13 anomalies since boot"
# A watcher that runs: it follows a pipe that stays open.
mkfifo "$tmp/fifo"
"$watch" --profile="$profile" --sink=none --state="$tmp/live.json" --usr-device=254:0 <"$tmp/fifo" &
wpid=$!
exec 9>"$tmp/fifo"
head -n 53 "$src/tests/watch/events.log" >&9
for _ in $(seq 50); do [ -s "$tmp/live.json" ] && break; sleep 0.1; done
HARDENCTL_TEST_WATCH_STATE="$tmp/live.json" expect 0 "$hc" status --runtime
contains "$tmp/out" "Watcher: running (pid $wpid, from audisp)"
contains "$tmp/out" "newest event read"
# The rest at once, and a last event of one record (it has no end record: libauparse holds it until
# it ages): once the stream falls quiet, the state counts every event, the pipe still open.
tail -n +54 "$src/tests/watch/events.log" >&9
echo 'type=SERVICE_START msg=audit(1700000600.000:116): pid=1 uid=0 auid=4294967295 ses=4294967295 msg='"'"'unit=agent comm="systemd" exe="/usr/lib/systemd/systemd" hostname=? addr=? terminal=? res=success'"'"'' >&9
for _ in $(seq 100); do grep -q '"events": *16' "$tmp/live.json" && break; sleep 0.1; done
grep -q '"events": *16' "$tmp/live.json" && ok || ko "the state of a quiet stream lags: $(grep -o '"events": *[0-9]*' "$tmp/live.json")"
exec 9>&-
if wait $wpid; then ok; else ko "the watcher did not end cleanly at the end of its input"; fi
wpid=

finish
