#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# hardenctl report --format=prometheus against the fixture tree tests/check/root: the golden file,
# promtool check metrics (Prometheus' own linter) on it, what it says checked against the JSON report
# of the same run, label values escaped, --output written atomically and readable by node_exporter;
# and the XCCDF identifiers that fleets aggregate on, the same for two hosts.
#
# Usage: test-prometheus.sh HARDENCTL SOURCE_ROOT
# With HARDENCTL_UPDATE_GOLDEN=1 the golden file is rewritten instead of compared.
set -uo pipefail

hc=$1
src=$2
dir="$src/tests/check"
unset HARDENCTL_LOG_LEVEL HARDENCTL_PROFILE_PATH SYSTEMD_COLORS
export NO_COLOR=1 HARDENCTL_CHECK_TIME=1700000000

. "$(dirname "$0")/test-lib.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

if ! command -v promtool >/dev/null; then
        echo "promtool is missing (Debian package prometheus, tools/install-deps.sh)" >&2
        exit 1
fi

# promtool FILE: Prometheus' linter accepts it, with nothing to say.
promtool_ok() {
        if promtool check metrics <"$1" >"$tmp/lint" 2>&1 && [ ! -s "$tmp/lint" ]; then
                ok
        else
                ko "promtool check metrics on $1:"
                sed 's/^/  | /' "$tmp/lint" >&2
        fi
}

# --- the golden file; promtool passes it
cd "$dir" || exit 1
expect 2 "$hc" --root=root report fixture --format=prometheus
if [ "${HARDENCTL_UPDATE_GOLDEN:-0}" = 1 ]; then
        cp "$tmp/out" expected/report.prometheus
elif diff -u expected/report.prometheus "$tmp/out" >"$tmp/diff"; then
        ok
else
        ko "report.prometheus differs from its golden file:"
        head -40 "$tmp/diff" >&2
fi
cp "$tmp/out" "$tmp/report.prom"
promtool_ok "$tmp/report.prom"

# --- the metrics say what the JSON report says
expect 2 "$hc" --root=root report fixture --format=json --output="$tmp/report.json"
python3 - "$tmp/report.prom" "$tmp/report.json" <<'EOF' || ko "metrics contents"
import json, re, sys
text = open(sys.argv[1]).read()
d = json.load(open(sys.argv[2]))
sample = re.compile(r'^([a-z_]+)\{(.*)\} (\S+)$')
label = re.compile(r'([a-z_]+)="((?:[^"\\]|\\.)*)"')
helped, typed, series = set(), set(), {}
for line in text.splitlines():
    if line.startswith("# HELP "):
        helped.add(line.split()[2])
        continue
    if line.startswith("# TYPE "):
        name = line.split()[2]
        assert name in helped, "TYPE before HELP: " + name
        typed.add(name)
        continue
    m = sample.match(line)
    assert m, "not a sample: " + line
    name = m.group(1)
    assert name.startswith("hardenctl_") and name in typed, "no TYPE before " + name
    labels = tuple(label.findall(m.group(2)))
    assert dict(labels)["profile"] == "fixture", line
    assert (name, labels) not in series, "duplicate series: " + line
    series[(name, labels)] = float(m.group(3))

def get(name, **kw):
    found = [v for (n, l), v in series.items() if n == name and all(dict(l).get(k) == w for k, w in kw.items())]
    assert len(found) == 1, (name, kw, found)
    return found[0]

s = d["summary"]
assert get("hardenctl_score") == s["score"], (get("hardenctl_score"), s["score"])
assert get("hardenctl_compliant") == (1 if s["compliant"] else 0)
for st in ("pass", "fail", "error", "notapplicable", "notchecked"):
    assert get("hardenctl_results", status=st) == s[st], st
for sev, n in s["failedBySeverity"].items():
    assert get("hardenctl_failed_results", severity=sev) == n, sev
assert get("hardenctl_check_timestamp_seconds") == 1700000000
assert get("hardenctl_info", digest=d["profile"]["digest"], hostname="fixture-host") == 1
# Every result: exactly one status at 1, the one the JSON report gives.
for x in d["results"]:
    ones = [dict(l)["status"] for (n, l), v in series.items()
            if n == "hardenctl_rule_status" and dict(l)["rule"] == x["id"]
            and dict(l)["instance"] == (x["instance"] or "") and v == 1]
    assert ones == [x["result"]], (x["id"], x["instance"], ones)
assert get("hardenctl_posture_usr_signature") in (-1, 0, 1)
# An offline tree has no watcher: no watcher metrics.
assert not any(n.startswith(("hardenctl_watch_", "hardenctl_anomalies")) for n, l in series)
EOF
ok

# --- label values escaped: a host name with a quote and a backslash
cp -a root "$tmp/root"
printf 'host"quoted\\back\n' >"$tmp/root/etc/hostname"
expect 2 "$hc" --root="$tmp/root" report fixture --format=prometheus
contains "$tmp/out" 'hostname="host\"quoted\\back"'
cp "$tmp/out" "$tmp/escaped.prom"
promtool_ok "$tmp/escaped.prom"

# --- --output: complete or untouched, replaced by rename, readable by node_exporter's user
mkdir "$tmp/textfile"
expect 2 "$hc" --root=root report fixture --format=prometheus --output="$tmp/textfile/hardenctl.prom" -q
if [ "$(stat -c %a "$tmp/textfile/hardenctl.prom")" = 644 ]; then ok; else ko "metrics file mode $(stat -c %a "$tmp/textfile/hardenctl.prom"), expected 644"; fi
if cmp -s "$tmp/textfile/hardenctl.prom" "$tmp/report.prom"; then ok; else ko "--output=FILE differs from standard output"; fi
ino=$(stat -c %i "$tmp/textfile/hardenctl.prom")
expect 2 "$hc" --root=root report fixture --format=prometheus --output="$tmp/textfile/hardenctl.prom" -q
if [ "$(stat -c %i "$tmp/textfile/hardenctl.prom")" != "$ino" ]; then ok; else ko "the metrics file was rewritten in place, not replaced"; fi
if [ "$(ls -A "$tmp/textfile")" = hardenctl.prom ]; then ok; else ko "left behind in the textfile directory: $(ls -A "$tmp/textfile")"; fi
# Other reports stay private.
expect 2 "$hc" --root=root report fixture --format=json --output="$tmp/textfile/report.json" -q
if [ "$(stat -c %a "$tmp/textfile/report.json")" = 600 ]; then ok; else ko "JSON report mode $(stat -c %a "$tmp/textfile/report.json")"; fi

# --- the check timer's service writes the metrics there
unit="$src/units/hardenctl-check.service.in"
contains "$unit" "--format=prometheus --output=/var/lib/prometheus/node-exporter/hardenctl.prom"
contains "$unit" "StateDirectory=prometheus/node-exporter"

# --- XCCDF: the same TestResult and rule-result ids for two hosts
printf 'other-host\n' >"$tmp/root/etc/hostname"
printf 'fedcba9876543210fedcba9876543210\n' >"$tmp/root/etc/machine-id"
expect 2 "$hc" --root=root report fixture --format=xccdf --output="$tmp/a.xccdf"
expect 2 "$hc" --root="$tmp/root" report fixture --format=xccdf --output="$tmp/b.xccdf"
python3 - "$tmp/a.xccdf" "$tmp/b.xccdf" <<'EOF' || ko "XCCDF ids differ between hosts"
import sys, xml.etree.ElementTree as ET
ns = "{http://checklists.nist.gov/xccdf/1.2}"
def ids(p):
    t = ET.parse(p).getroot()
    tr = t.find(".//" + ns + "TestResult")
    inst = lambda rr: rr.find(ns + "instance")
    rrs = [(rr.get("idref"), inst(rr).text if inst(rr) is not None else None) for rr in tr.findall(ns + "rule-result")]
    hosts = [x.text for x in tr.findall(ns + "target")]
    return tr.get("id"), rrs, hosts
a, b = ids(sys.argv[1]), ids(sys.argv[2])
assert a[0] == b[0] and a[1] == b[1], "ids differ"
assert len(a[1]) == len(set(a[1])) and len(a[1]) > 10
assert a[2] != b[2], "the hosts should differ"
EOF
ok

finish
