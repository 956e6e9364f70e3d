#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Journal forwarding, with the real consumers: hardenctl-watch (its journal sink) and hardenctl check
# --journal write to a journald of the test's own (a private mount namespace, tmpfs over /run/systemd,
# /run/log and /var/log/journal); systemd-journal-upload sends that journal over HTTP to
# systemd-journal-remote listening on loopback; what arrives has the anomaly and compliance entries with
# their MESSAGE_IDs and fields intact. Also the export sink: its Journal Export Format read by
# systemd-journal-remote gives the same fields. Daemons are started and stopped by PID.
# Needs root (mount namespace); skipped (77) otherwise.
#
# Usage: test-journal-forward.sh HARDENCTL HARDENCTL_WATCH SOURCE_ROOT
set -uo pipefail

journald=$(ls /lib/systemd/systemd-journald /usr/lib/systemd/systemd-journald 2>/dev/null | head -1)
remote=$(ls /lib/systemd/systemd-journal-remote /usr/lib/systemd/systemd-journal-remote 2>/dev/null | head -1)
upload=$(ls /lib/systemd/systemd-journal-upload /usr/lib/systemd/systemd-journal-upload 2>/dev/null | head -1)

if [ "$(id -u)" -ne 0 ] || [ -z "$journald" ] || ! command -v unshare >/dev/null; then
        echo "SKIP: needs root, unshare and systemd-journald"
        exit 77
fi
if [ -z "$remote" ] || [ -z "$upload" ]; then
        echo "systemd-journal-remote is missing (Debian package systemd-journal-remote, tools/install-deps.sh)" >&2
        exit 1
fi

if [ "${1:-}" != --inner ]; then
        exec unshare -m --propagation private bash ${TEST_TRACE:+-x} "$0" --inner "$@"
fi
hc=$2
watch=$3
src=$4

. "$src/tests/test-lib.sh"

mkdir -p /run/systemd /run/log
mount -t tmpfs tmpfs /run/systemd || exit 1
mount -t tmpfs tmpfs /run/log || exit 1
[ -d /var/log/journal ] && { mount -t tmpfs tmpfs /var/log/journal || exit 1; }
mkdir -p /run/systemd/journal
tmp=$(mktemp -d)
pids=()
cleanup() {
        for p in "${pids[@]}"; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
        rm -rf "$tmp"
}
trap cleanup EXIT
"$journald" >"$tmp/journald.log" 2>&1 &
pids+=($!)
for _ in $(seq 100); do [ -S /run/systemd/journal/socket ] && break; sleep 0.05; done

units="401=agent.service 402=agent.service 403=agent.service 404=agent.service 405=agent.service 420=agent.service 501=model-server.service"
profile="$src/tests/watch/watch.profile"

# --- the anomalies and a compliance run into the test's journal
HARDENCTL_TEST_WATCH_UNITS="$units" expect 0 "$watch" --profile="$profile" --input="$src/tests/watch/events.log" \
        --state="$tmp/watch.json" --usr-device=254:0
(cd "$src/tests/check" && HARDENCTL_CHECK_TIME=1700000000 "$hc" --root=root check fixture --journal -q >/dev/null)
HARDENCTL_TEST_WATCH_UNITS="$units" "$watch" --profile="$profile" --input="$src/tests/watch/events.log" \
        --state=- --usr-device=254:0 --sink=text >"$tmp/expected.txt"
sleep 0.5
journalctl -D /run/log/journal -o json HARDENCTL_ANOMALY=exec-unlisted >"$tmp/local.json"
n=$(grep -c "^exec-unlisted " "$tmp/expected.txt")
if [ "$(wc -l <"$tmp/local.json")" -eq "$n" ]; then ok; else ko "the local journal has $(wc -l <"$tmp/local.json") exec-unlisted entries, expected $n"; fi

# --- forwarded: systemd-journal-remote on loopback, systemd-journal-upload
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
mkdir "$tmp/remote"
"$remote" --listen-http=127.0.0.1:$port --output="$tmp/remote/forwarded.journal" --split-mode=none >"$tmp/remote.log" 2>&1 &
rpid=$!
pids+=($rpid)
for _ in $(seq 100); do python3 -c "import socket; socket.create_connection(('127.0.0.1', $port), 0.2)" 2>/dev/null && break; sleep 0.1; done
expect 0 timeout 30 "$upload" --url=http://127.0.0.1:$port -D /run/log/journal --follow=no --save-state="$tmp/upload.state"
sleep 0.5
kill "$rpid"
wait "$rpid" 2>/dev/null
ls "$tmp"/remote/forwarded.journal >/dev/null 2>&1 && ok || { ko "systemd-journal-remote wrote no journal"; cat "$tmp/remote.log" >&2; }
journalctl --file="$tmp/remote/forwarded.journal" -o json >"$tmp/remote.json" 2>"$tmp/err"

# --- the export sink, read by systemd-journal-remote from a file
HARDENCTL_TEST_WATCH_UNITS="$units" expect 0 "$watch" --profile="$profile" --input="$src/tests/watch/events.log" \
        --state=- --usr-device=254:0 --sink=export
cp "$tmp/out" "$tmp/export.txt"
expect 0 timeout 30 "$remote" --output="$tmp/export.journal" --split-mode=none "$tmp/export.txt"
journalctl --file="$tmp/export.journal" -o json >"$tmp/export.json" 2>"$tmp/err"

python3 - "$tmp/remote.json" "$tmp/export.json" "$tmp/expected.txt" "$tmp/watch.json" <<'PY' || ko "forwarded entries"
import json, re, sys
def entries(p):
    return [json.loads(l) for l in open(p) if l.strip()]
remote, export = entries(sys.argv[1]), entries(sys.argv[2])
line = re.compile(r"^(\S+) event=(.*?) unit=(.*?) exe=(.*?) comm=(.*?) pid=(.*?) uid=(.*?) auid=(.*?) path=(.*?) "
                  r"key=(.*?) rule=(.*?) count=(.*?) suppressed=(.*?) detail=(.*)$")
names = ("event", "unit", "exe", "comm", "pid", "uid", "auid", "path", "key", "rule", "count", "suppressed", "detail")
expected = [(m.group(1), dict(zip(names, m.groups()[1:]))) for m in map(line.match, open(sys.argv[3]).read().splitlines())]
state = json.load(open(sys.argv[4]))
ids = {"exec-unverified": "dfc26e5fe1534ef9b9ff79e742d99eac", "exec-unlisted": "7b980c01afb547a0af6b8041e7049ec9",
       "watched-write": "dfba1889c0354090bf579b4397d75b60", "privilege-change": "465e2745b82042f99fd4ca68ff82dd7a",
       "module-load": "ef41196f4bf34447b7d99c791bd4532a", "selinux-denial": "a6dca7c2f3ac4f2d81a089173aacffe2",
       "etc-drift": "5c4779528a2c49dcbe995831a43460e4"}
for name, got in (("forwarded", remote), ("export", export)):
    anomalies = [e for e in got if "HARDENCTL_ANOMALY" in e]
    assert len(anomalies) == len(expected), (name, len(anomalies), len(expected))
    for e, (kind, fields) in zip(anomalies, expected):
        assert e["HARDENCTL_ANOMALY"] == kind and e["MESSAGE_ID"] == ids[kind], (name, e)
        assert e["HARDENCTL_AUDIT_EVENT"] == fields["event"], (name, e)
        for f, k in (("HARDENCTL_UNIT", "unit"), ("HARDENCTL_EXE", "exe"), ("HARDENCTL_PATH", "path"),
                     ("HARDENCTL_AUDIT_KEY", "key")):
            assert e[f] == (fields[k] if fields[k] != "n/a" else ""), (name, f, e[f], fields[k])
        assert e["HARDENCTL_UID"] == fields["uid"] and e["HARDENCTL_LOGIN_UID"] == fields["auid"], (name, e)
        assert e["HARDENCTL_COUNT"] == fields["count"], (name, e)
        assert e["HARDENCTL_PROFILE"] == "watch" and e["HARDENCTL_DIGEST"] == state["profileDigest"], (name, e)
        assert e["PRIORITY"] == "4" and e["MESSAGE"].startswith("Anomaly " + kind + ": "), (name, e)
    # An IPE denial keeps its rule, spaces and all.
    ipe = [e for e in anomalies if e["HARDENCTL_IPE_RULE"]]
    assert ipe and ipe[0]["HARDENCTL_IPE_RULE"] == "DEFAULT action=DENY", ipe
# The compliance entries made the trip too.
runs = [e for e in remote if e.get("MESSAGE_ID") == "2145af97642c4a24b82234aaa2255c61"]
rules = [e for e in remote if e.get("MESSAGE_ID") == "4220c0de945247c7aa972c40e4d06c6f"]
assert len(runs) == 1 and runs[0]["HARDENCTL_PROFILE"] == "fixture" and int(runs[0]["HARDENCTL_FAIL"]) == len(rules) > 0, runs
assert all(r["HARDENCTL_RULE"].startswith("hardenctl-") and r["HARDENCTL_RESULT"] in ("fail", "error") for r in rules)
print(f"{len(expected)} anomalies and {1 + len(rules)} compliance entries forwarded intact")
PY
ok

finish
