#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# hardenctl check and report against the fixture tree tests/check/root: every output format against
# its golden file (time fixed with $HARDENCTL_CHECK_TIME; an offline tree has no running kernel, so
# the host identity comes from the tree), the XCCDF and ARF documents through oscap's validators, the
# drift of an overlay upper dir with a whiteout, the runtime section (from the watcher's state file
# watch.json), exit codes, and a run against this machine.
#
# Usage: test-check.sh HARDENCTL SOURCE_ROOT
# With HARDENCTL_UPDATE_GOLDEN=1 the golden files are rewritten instead of compared.
set -uo pipefail

hc=$1
src=$2
dir="$src/tests/check"
unset HARDENCTL_LOG_LEVEL HARDENCTL_PROFILE_PATH SYSTEMD_COLORS
export NO_COLOR=1 HARDENCTL_CHECK_TIME=1700000000

. "$(dirname "$0")/test-lib.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

golden() { # NAME FILE
        if [ "${HARDENCTL_UPDATE_GOLDEN:-0}" = 1 ]; then
                cp "$2" "$dir/expected/$1"
                ok
        elif diff -u "$dir/expected/$1" "$2" >"$tmp/diff"; then
                ok
        else
                ko "$1 differs from its golden file:"
                head -40 "$tmp/diff" >&2
        fi
}

# --- every format against its golden file; the tree is not compliant: exit 2
cd "$dir" || exit 1
expect 2 "$hc" --root=root check fixture
golden check.txt "$tmp/out"
expect 2 "$hc" --root=root check fixture -q
contains "$tmp/out" "NOT COMPLIANT"
if [ "$(wc -l <"$tmp/out")" -eq 4 ]; then ok; else ko "check -q prints more than the summary (verdict, score, digest, posture record)"; fi
expect 2 "$hc" --root=root check fixture --json=pretty
golden check.json "$tmp/out"
for f in json html xccdf arf junit; do
        expect 2 "$hc" --root=root report fixture --format=$f
        golden "report.$f" "$tmp/out"
        expect 2 "$hc" --root=root report fixture --format=$f --output="$tmp/report.$f" -q
        if cmp -s "$tmp/report.$f" "$dir/expected/report.$f"; then ok; else ko "--output=FILE differs from standard output ($f)"; fi
done

# --- the documents are what the JSON says, and what OpenSCAP accepts
python3 - "$tmp/report.json" "$tmp/report.junit" "$tmp/report.xccdf" <<'EOF' || ko "report contents"
import json, sys, xml.dom.minidom
d = json.load(open(sys.argv[1]))
assert d["schemaVersion"] == 1
assert d["time"] == "2023-11-14T22:13:20Z" and d["durationUsec"] == 0
assert d["host"]["live"] is False and d["host"]["machineId"] == "0123456789abcdef0123456789abcdef"
assert d["host"]["os"]["prettyName"] == "Fixture Linux 12 (test)"
assert d["profile"]["digest"].startswith("sha256:") and len(d["profile"]["digest"]) == 71
# The posture record the boot wrote (root/run/hardenctl/posture.json), carried as it was written.
rec = d["posture"]["record"]
assert d["posture"]["recordStatus"] == "read", d["posture"]["recordStatus"]
assert rec["usr"]["signer"] == "0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0"
assert rec["unknown"] == ["secureBoot"] and rec["secureBoot"] is None and rec["auditLocked"] is True
s = d["summary"]
assert s["total"] == len(d["results"]) == sum(s[k] for k in ("pass", "fail", "error", "notapplicable", "notchecked"))
assert s["compliant"] is False and s["fail"] > 0
ids = {(r["id"], r["instance"]): r for r in d["results"]}
assert ids[("hardenctl-kernel-sysctl", "kernel.kptr_restrict")]["result"] == "pass"
assert ids[("hardenctl-kernel-sysctl", "kernel.dmesg_restrict")]["result"] == "fail"
assert ids[("hardenctl-kernel-sysctl", "kernel.dmesg_restrict")]["evidence"][0] == \
    {"source": "/proc/sys/kernel/dmesg_restrict", "expected": "1", "actual": "0"}
assert ids[("hardenctl-access-uid0", None)]["result"] == "fail"
assert ids[("hardenctl-access-sudo-authenticate", None)]["result"] == "fail"
assert len(ids[("hardenctl-access-sudo-authenticate", None)]["evidence"]) == 2
assert ids[("hardenctl-access-root-login", None)]["result"] == "fail"
assert ids[("hardenctl-packages-forbidden", "gcc")]["result"] == "fail"
assert ids[("hardenctl-packages-forbidden", "gdb")]["result"] == "fail"
assert ids[("hardenctl-packages-forbidden", "tcpdump")]["result"] == "pass"
assert ids[("hardenctl-mount-options", "/tmp noexec")]["result"] == "fail"
assert ids[("hardenctl-mount-options", "/tmp nodev")]["result"] == "pass"
assert ids[("hardenctl-kernel-deny-module", "cramfs")]["result"] == "pass"
# Modules as modprobe applies modprobe.d: the first install command wins, a file in /etc hides the one
# of the same name below, and a built-in module is never denied.
fv = ids[("hardenctl-kernel-deny-module", "freevxfs")]
assert fv["result"] == "fail" and fv["evidence"][0] == {"source": "/etc/modprobe.d/10-local.conf:1",
    "expected": "install freevxfs /bin/false", "actual": "install freevxfs /sbin/modprobe --ignore-install freevxfs"}, fv
assert ids[("hardenctl-kernel-deny-module", "udf")]["evidence"][0]["actual"] == "not denied"
sq = ids[("hardenctl-kernel-deny-module", "squashfs")]
assert sq["result"] == "fail" and {"source": "/usr/lib/modules/6.1.0-fixture/modules.builtin", "expected": "not built in",
    "actual": "built in"} in sq["evidence"], sq
# Sysctls: the running value and what the next boot sets, both as evidence.
kp = ids[("hardenctl-kernel-sysctl", "kernel.kptr_restrict")]
assert kp["result"] == "pass" and kp["evidence"][1] == {"source": "/etc/sysctl.d/60-fixture.conf:2", "expected": "2", "actual": "2"}, kp
rm = ids[("hardenctl-kernel-sysctl", "net.ipv4.tcp_rmem")]
assert rm["result"] == "fail" and rm["evidence"][1]["actual"] == "not set", rm
bpf = ids[("hardenctl-kernel-sysctl", "kernel.unprivileged_bpf_disabled")]
assert bpf["result"] == "pass" and bpf["evidence"][0]["source"] == "/proc/sys/kernel/unprivileged_bpf_disabled", bpf
assert ids[("hardenctl-audit-immutable", None)]["result"] == "notchecked"
assert ids[("hardenctl-kernel-sysctl", "kernel.kptr_restrict")]["references"]["nist"]
j = xml.dom.minidom.parse(sys.argv[2])
assert int(j.documentElement.getAttribute("failures")) == s["fail"]
assert len(j.getElementsByTagName("testcase")) == s["total"]
# XCCDF: the score names hardenctl's own model, and the rule-results' weights give that score.
x = xml.dom.minidom.parse(sys.argv[3])
score = x.getElementsByTagName("score")[0]
assert score.getAttribute("system") == "urn:org.hardenctl:scoring:severity", score.toxml()
w = {"low": 1, "medium": 3, "high": 10}
passed = total = 0
for rr in x.getElementsByTagName("rule-result"):
    res = rr.getElementsByTagName("result")[0].firstChild.data
    assert float(rr.getAttribute("weight")) == w[rr.getAttribute("severity")], rr.toxml()
    if res in ("pass", "fail"):
        total += float(rr.getAttribute("weight"))
        passed += float(rr.getAttribute("weight")) if res == "pass" else 0
assert abs(float(score.firstChild.data) - 100.0 * passed / total) < 1e-4, (score.firstChild.data, passed, total)
assert abs(float(score.firstChild.data) - s["score"]) < 0.05
# Facts: those XCCDF 1.2 defines (section 6.6.3), or hardenctl's own namespace.
spec = {"urn:xccdf:fact:asset:identifier:" + n for n in ("fqdn", "host_name", "ein", "mac", "ipv4", "ipv6", "pki")}
facts = {f.getAttribute("name"): f.firstChild.data for f in x.getElementsByTagName("fact")}
for name in facts:
    assert name in spec or name.startswith("urn:org.hardenctl:fact:"), name
assert facts["urn:org.hardenctl:fact:machine_id"] == d["host"]["machineId"]
EOF
ok
if command -v oscap >/dev/null; then
        expect 0 oscap xccdf validate "$tmp/report.xccdf"
        expect 0 oscap ds rds-validate "$tmp/report.arf"
        # rds-validate does not look inside the report request: split the ARF and validate the source
        # data stream it carries on its own (ds:checks, the catalog that resolves the checks).
        mkdir "$tmp/split"
        expect 0 oscap ds rds-split "$tmp/report.arf" "$tmp/split"
        if [ -f "$tmp/split/report-request.xml" ]; then ok; else ko "rds-split wrote no report request"; fi
        expect 0 oscap ds sds-validate "$tmp/split/report-request.xml"
        expect 0 oscap info "$tmp/split/report-request.xml"
        contains "$tmp/out" "Source Data Stream"
        expect 0 oscap info "$tmp/report.arf"
        contains "$tmp/out" "Result Data Stream"
        expect 0 oscap xccdf generate report "$tmp/report.arf"
        contains "$tmp/out" "hardenctl"
else
        ko "oscap is missing: install openscap-scanner (tools/install-deps.sh)"
fi

# --- the runtime section: the watcher's state watch.json (what hardenctl-watch wrote for
# tests/watch/events.log, with ipe.log's IPE denials and markup in one event) in every format
for f in html xccdf arf junit; do
        HARDENCTL_TEST_WATCH_STATE=watch.json expect 2 "$hc" --root=root report fixture --format=$f --output="$tmp/runtime.$f"
done
for f in html xccdf junit; do golden "runtime.$f" "$tmp/runtime.$f"; done
python3 - "$tmp" watch.json <<'EOF' || ko "the runtime section of the reports"
import html.parser, json, sys, xml.dom.minidom
tmp, state = sys.argv[1], json.load(open(sys.argv[2]))
kinds = state["anomalies"]
assert len([k for k, v in kinds.items() if v["count"] > 0]) == 6 and kinds["selinux-denial"]["count"] == 0
# HTML: a row per kind, its count and the first occurrence's evidence, every string as text.
class Rows(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.rows, self.row, self.cell, self.tags, self.runtime = [], None, None, [], False
    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        if tag == "tr" and self.runtime:
            self.row = []
        elif tag == "td" and self.row is not None:
            self.cell = ""
    def handle_endtag(self, tag):
        if tag == "td" and self.cell is not None:
            self.row.append(" ".join(self.cell.split()))
            self.cell = None
        elif tag == "tr" and self.row is not None:
            if self.row:
                self.rows.append(self.row)
            self.row = None
        elif tag == "table":
            self.runtime = False
    def handle_data(self, data):
        if data == "Runtime since boot":
            self.runtime = True
        if self.cell is not None:
            self.cell += data + " "
p = Rows()
text = open(tmp + "/runtime.html").read()
p.feed(text)
assert "script" not in p.tags, "markup from the audit trail became an element"
assert "&lt;script&gt;x&lt;/script&gt;" in text and "dummy&quot; onload=&quot;alert(1)" in text
rows = {r[0]: r for r in p.rows}
assert set(rows) == set(kinds), rows
for k, v in kinds.items():
    assert rows[k][1] == str(v["count"]) and rows[k][2] == str(v["suppressed"]), rows[k]
    a = v["first"]
    if not a:
        assert rows[k][3] == "none since boot", rows[k]
        continue
    cells = " ".join(rows[k])
    for field in ("unit", "exe", "comm", "path", "key", "rule"):
        if a[field]:
            assert "%s %s" % (field, a[field]) in cells, (k, field, cells)
    assert "pid %d" % a["pid"] in cells and "uid %d" % a["uid"] in cells, cells
    assert ("auid %d" % a["auid"] if a["auid"] >= 0 else "auid unset") in cells, cells
    assert "audit %d.%03d:%d" % (a["timeUsec"] // 1000000, a["timeUsec"] // 1000 % 1000, a["serial"]) in cells, cells
    assert rows[k][6] == " ".join(a["detail"].split()), rows[k]
assert "not running (pid 2147483647)" in text and "1.5 s (the age of the newest event" in text
# XCCDF and ARF: the facts, typed; the TestResult's rule ids those of a report without the section.
def facts(path):
    d = xml.dom.minidom.parse(path)
    return d, {f.getAttribute("name"): (f.getAttribute("type"), f.firstChild.data) for f in d.getElementsByTagName("fact")}
x, fx = facts(tmp + "/runtime.xccdf")
a, fa = facts(tmp + "/runtime.arf")
assert fx == fa
rt = "urn:org.hardenctl:fact:runtime:"
assert fx[rt + "status"] == ("string", "read")
assert fx[rt + "watcher_running"] == ("boolean", "false")
assert fx[rt + "events"] == ("number", "15") and fx[rt + "behind_seconds"] == ("number", "1.500")
assert fx[rt + "anomalies"] == ("number", str(sum(v["count"] for v in kinds.values())))
for k, v in kinds.items():
    assert fx[rt + "anomalies:" + k] == ("number", str(v["count"])), k
    assert fx[rt + "suppressed:" + k] == ("number", str(v["suppressed"])), k
    assert (rt + "first:" + k in fx) == (v["first"] is not None), k
first = fx[rt + "first:exec-unlisted"][1]
assert first == ("2023-11-14T22:13:22Z audit(1700000002.200:102) unit=agent.service exe=/usr/bin/curl comm=curl "
                 "pid=402 uid=998 auid=unset path=/usr/bin/curl key=agent-exec: agent.service ran /usr/bin/curl, "
                 "which AllowExec= does not list"), first
assert "comm=<script>x</script>" in fx[rt + "first:module-load"][1]
for name in fx:
    assert name.startswith("urn:org.hardenctl:fact:") or name.startswith("urn:xccdf:fact:"), name
def ids(d):
    return [(r.getAttribute("idref"), [i.firstChild.data for i in r.getElementsByTagName("instance")])
            for r in d.getElementsByTagName("rule-result")]
assert ids(x) == ids(xml.dom.minidom.parse(tmp + "/report.xccdf")) == ids(a)
# JUnit: a suite "runtime", a test case per kind, failed with the first occurrence when there were any.
j = xml.dom.minidom.parse(tmp + "/runtime.junit")
suites = j.getElementsByTagName("testsuite")
assert [s.getAttribute("name") for s in suites] == ["hardenctl check fixture", "runtime"]
rs = suites[1]
cases = {c.getAttribute("name"): c for c in rs.getElementsByTagName("testcase")}
assert set(cases) == set(kinds) and rs.getAttribute("tests") == "7" and rs.getAttribute("failures") == "6"
for k, v in kinds.items():
    fl = cases[k].getElementsByTagName("failure")
    assert len(fl) == (1 if v["count"] else 0), k
    if v["count"]:
        assert fl[0].getAttribute("message").startswith("%d since boot, the first: " % v["count"]), k
        assert fl[0].getAttribute("message").endswith(": " + v["first"]["detail"]), k
root = j.documentElement
for attr in ("tests", "failures", "errors", "skipped"):
    assert int(root.getAttribute(attr)) == sum(int(s.getAttribute(attr)) for s in suites), attr
assert int(root.getAttribute("tests")) == len(j.getElementsByTagName("testcase"))
EOF
ok
if command -v oscap >/dev/null; then
        expect 0 oscap xccdf validate "$tmp/runtime.xccdf"
        expect 0 oscap ds rds-validate "$tmp/runtime.arf"
        expect 0 oscap xccdf generate report "$tmp/runtime.arf"
        contains "$tmp/out" "hardenctl"
fi
if command -v xmllint >/dev/null; then
        expect 0 xmllint --noout "$tmp/runtime.junit"
fi
# A state file named but not there: each format says so, the JUnit cases are skipped.
for f in html xccdf arf junit; do
        HARDENCTL_TEST_WATCH_STATE=none.json expect 2 "$hc" --root=root report fixture --format=$f --output="$tmp/none.$f"
done
contains "$tmp/none.html" "<h2>Runtime since boot</h2><div class=\"card\"><p>The runtime watcher's state was not read: absent: no watcher state none.json (no watcher has run this boot)</p>"
contains "$tmp/none.xccdf" '<fact name="urn:org.hardenctl:fact:runtime:status" type="string">absent: no watcher state none.json'
lacks "$tmp/none.xccdf" "runtime:anomalies"
python3 - "$tmp/none.junit" <<'EOF' || ko "the runtime suite without a state"
import sys, xml.dom.minidom
j = xml.dom.minidom.parse(sys.argv[1])
rs = [s for s in j.getElementsByTagName("testsuite") if s.getAttribute("name") == "runtime"][0]
assert rs.getAttribute("skipped") == "7" and rs.getAttribute("failures") == "0"
for c in rs.getElementsByTagName("testcase"):
    assert c.getElementsByTagName("skipped")[0].getAttribute("message").startswith("absent: "), c.toxml()
EOF
ok
if command -v oscap >/dev/null; then
        expect 0 oscap xccdf validate "$tmp/none.xccdf"
        expect 0 oscap ds rds-validate "$tmp/none.arf"
fi
# Where the state was not looked for (an offline tree), nothing of the section: the golden files above.
lacks "$dir/expected/report.html" "Runtime since boot"
lacks "$dir/expected/report.xccdf" "runtime:"
lacks "$dir/expected/report.junit" '"runtime"'

# --- drift: an overlay upper dir with a whiteout, below a copy of the tree
cp -a root "$tmp/root"
mkdir -p "$tmp/root/run/hardenctl/etc/upper/ssh" "$tmp/root/etc/ssh"
echo "nameserver 192.0.2.1" >"$tmp/root/run/hardenctl/etc/upper/resolv.conf"
echo "PermitRootLogin yes" >"$tmp/root/run/hardenctl/etc/upper/ssh/sshd_config"
echo "new" >"$tmp/root/run/hardenctl/etc/upper/cron.allow"
echo "removed" >"$tmp/root/etc/motd"
if mknod "$tmp/root/run/hardenctl/etc/upper/motd" c 0 0 2>/dev/null; then whiteout=1; else whiteout=0; fi
expect 2 "$hc" --root="$tmp/root" check fixture --json=short
python3 - "$tmp/out" "$whiteout" <<'EOF' || ko "drift in the JSON report"
import json, sys, hashlib
d = json.load(open(sys.argv[1]))
drift = {e["path"]: e for e in d["posture"]["etc"]["drift"]}
assert drift["resolv.conf"]["expected"] is True
assert drift["ssh/sshd_config"]["change"] == "modified" and drift["ssh/sshd_config"]["expected"] is False
assert drift["ssh/sshd_config"]["digest"] == "sha256:" + hashlib.sha256(b"PermitRootLogin yes\n").hexdigest()
assert drift["cron.allow"]["change"] == "added"
if sys.argv[2] == "1":
    assert drift["motd"]["change"] == "deleted" and drift["motd"]["digest"] is None
r = [x for x in d["results"] if x["id"] == "hardenctl-etc-drift"][0]
assert r["result"] == "fail", r
assert len(r["evidence"]) == (3 if sys.argv[2] == "1" else 2)
EOF
ok
rm -f "$tmp/root/run/hardenctl/etc/upper/ssh/sshd_config" "$tmp/root/run/hardenctl/etc/upper/cron.allow" "$tmp/root/run/hardenctl/etc/upper/motd"
expect 2 "$hc" --root="$tmp/root" check fixture
contains "$tmp/out" "hardenctl-etc-drift: No unexpected change to /etc since boot (1 expected)"
# A copy-up that changed nothing (tmpfiles' "L+" makes a symlink again with the same target; a file
# with the same content, mode and owner) is evidence, not drift; once its mode changes, it is drift.
ln -s ../proc/self/mounts "$tmp/root/etc/mtab"
ln -s ../proc/self/mounts "$tmp/root/run/hardenctl/etc/upper/mtab"
echo "same" >"$tmp/root/etc/issue.net"
cp -p "$tmp/root/etc/issue.net" "$tmp/root/run/hardenctl/etc/upper/issue.net"
expect 2 "$hc" --root="$tmp/root" check fixture
contains "$tmp/out" "hardenctl-etc-drift: No unexpected change to /etc since boot (1 expected, 2 copied up unchanged)"
chmod 0666 "$tmp/root/run/hardenctl/etc/upper/issue.net"
expect 2 "$hc" --root="$tmp/root" check fixture
contains "$tmp/out" "hardenctl-etc-drift: 1 unexpected change to /etc since boot (1 expected, 1 copied up unchanged)"
rm -f "$tmp/root/etc/mtab" "$tmp/root/run/hardenctl/etc/upper/mtab" "$tmp/root/etc/issue.net" "$tmp/root/run/hardenctl/etc/upper/issue.net"

# --- the posture record: as written, absent, malformed; every report says which
contains "$tmp/out" "posture record: /usr 85f0d6c603c3aec6c78d4aad0e42fdbc9d227900cc5764d24a276b615e5a9ac2 verified, signed by certificate sha256:0f1e2d3c"
rm "$tmp/root/run/hardenctl/posture.json"
expect 2 "$hc" --root="$tmp/root" check fixture
contains "$tmp/out" "posture record: absent: no posture record /run/hardenctl/posture.json"
expect 2 "$hc" --root="$tmp/root" report fixture --format=xccdf
contains "$tmp/out" '<fact name="urn:org.hardenctl:fact:posture_record" type="string">absent: '
expect 2 "$hc" --root="$tmp/root" check fixture --json=short
python3 -c 'import json,sys; p=json.load(open(sys.argv[1]))["posture"]; assert p["record"] is None and p["recordStatus"] == "absent", p' "$tmp/out" && ok || ko "absent record in the JSON report"
echo '{"selinux":"strict"}' >"$tmp/root/run/hardenctl/posture.json"
expect 2 "$hc" --root="$tmp/root" report fixture --format=html
contains "$tmp/out" "invalid: /run/hardenctl/posture.json: selinux: expected enforcing, permissive or disabled"

# --- bytes from the host that are not UTF-8: a drifted file name and a sudoers line (Latin-1 "é").
# Made here rather than kept in git: not every checkout keeps such a name. Every document must still
# be UTF-8 and well-formed: the bytes become U+FFFD.
cp -a root "$tmp/latin1"
mkdir -p "$tmp/latin1/run/hardenctl/etc/upper"
printf 'x\n' >"$tmp/latin1/run/hardenctl/etc/upper/caf$(printf '\351').conf"
printf 'caf\351\tALL=(ALL) NOPASSWD: ALL\n' >>"$tmp/latin1/etc/sudoers"
for f in json html xccdf arf junit; do
        expect 2 "$hc" --root="$tmp/latin1" report fixture --format=$f --output="$tmp/latin1.$f"
done
python3 - "$tmp/latin1" <<'EOF' || ko "non-UTF-8 host data in the reports"
import json, sys, xml.dom.minidom
base = sys.argv[1]
for f in ("json", "html", "xccdf", "arf", "junit"):
    open(base + "." + f, encoding="utf-8", errors="strict").read()
d = json.load(open(base + ".json", encoding="utf-8"))
drift = {e["path"]: e for e in d["posture"]["etc"]["drift"]}
assert "caf\ufffd.conf" in drift, list(drift)
sudo = [r for r in d["results"] if r["id"] == "hardenctl-access-sudo-authenticate"][0]
assert any("caf\ufffd ALL=(ALL) NOPASSWD: ALL" in (e["actual"] or "") for e in sudo["evidence"]), sudo["evidence"]
for f in ("xccdf", "arf", "junit"):
    xml.dom.minidom.parse(base + "." + f)
x = xml.dom.minidom.parse(base + ".xccdf").toxml()
assert "/etc/caf\ufffd.conf" in x and "caf\ufffd ALL" in x
EOF
ok
if command -v xmllint >/dev/null; then
        for f in xccdf arf junit; do expect 0 xmllint --noout "$tmp/latin1.$f"; done
fi
if command -v oscap >/dev/null; then
        expect 0 oscap xccdf validate "$tmp/latin1.xccdf"
        expect 0 oscap ds rds-validate "$tmp/latin1.arf"
fi

# --- an image tree without a running system: mounts from its /etc/fstab; boot-time state not checked
cp -a root "$tmp/image"
rm -rf "$tmp/image/proc" "$tmp/image/sys"
expect 2 "$hc" --root="$tmp/image" check fixture --json=short
python3 - "$tmp/out" <<'EOF2' || ko "offline image tree"
import json, sys
d = json.load(open(sys.argv[1]))
ids = {(r["id"], r["instance"]): r for r in d["results"]}
assert ids[("hardenctl-mount-options", "/tmp noexec")]["result"] == "pass"
assert ids[("hardenctl-mount-options", "/tmp noexec")]["evidence"][0]["source"] == "/etc/fstab"
assert ids[("hardenctl-mount-options", "/dev/shm noexec")]["result"] == "fail"
assert ids[("hardenctl-mount-options", "/home nodev")]["result"] == "pass"
assert ids[("hardenctl-mount-separate", "/var")]["result"] == "pass"
assert ids[("hardenctl-mount-separate", "/var/log")]["result"] == "fail"
# Offline, what the tree sets for the next boot decides: set there and right is not checked (the
# running value is unknown), unset is a failure.
assert ids[("hardenctl-kernel-sysctl", "kernel.dmesg_restrict")]["result"] == "fail"
for k in [("hardenctl-usr-verity", None), ("hardenctl-usr-read-only", None), ("hardenctl-etc-overlay", None),
          ("hardenctl-kernel-sysctl", "kernel.kptr_restrict"), ("hardenctl-kernel-lockdown", None),
          ("hardenctl-kernel-cmdline", "quiet"), ("hardenctl-boot-kill-switch", None)]:
    assert ids[k]["result"] == "notchecked", (k, ids[k])
assert ids[("hardenctl-access-uid0", None)]["result"] == "fail"
assert ids[("hardenctl-packages-forbidden", "gcc")]["result"] == "fail"
assert d["host"]["kernel"] is None and d["host"]["hostname"] == "fixture-host"
EOF2
ok

# --- every rule of the catalog is documented in hardenctl-report(5)
for id in $(grep -o '\.id = "hardenctl-[a-z0-9-]*"' "$src"/src/compliance/*.c | cut -d'"' -f2); do
        if grep -qF "*$id*" "$src/man/hardenctl-report.5.scd"; then ok; else ko "$id is not in hardenctl-report(5)"; fi
done

# --- errors: tool failures (1) and bad profiles (3) are not "not compliant" (2)
expect 1 "$hc" --root=root report fixture --format=pdf
contains "$tmp/err" "Invalid --format= 'pdf'"
expect 1 "$hc" --root=root report fixture --format=json --output="$tmp/no/such/dir/r.json"
if [ ! -e "$tmp/no" ]; then ok; else ko "a failed --output left something behind"; fi
expect 3 "$hc" --root=root check no-such-profile
expect 3 "$hc" --root=root check
contains "$tmp/err" "No profile given, and there is no boot profile"
expect 1 "$hc" --root="$tmp/missing" check fixture
HARDENCTL_CHECK_TIME=yesterday expect 1 "$hc" --root=root check fixture
contains "$tmp/err" "Invalid \$HARDENCTL_CHECK_TIME"

# --- --output=: a new file is 0600; a file there keeps its mode; what is not a regular file there (a
# device node, a FIFO, a symlink) is written into, never replaced.
umask 022
expect 2 "$hc" --root=root report fixture --format=json --output="$tmp/new.json" -q
[ "$(stat -c %a "$tmp/new.json")" = 600 ] && ok || ko "a new --output= file is $(stat -c %a "$tmp/new.json"), not 600"
: >"$tmp/kept.json"
chmod 640 "$tmp/kept.json"
expect 2 "$hc" --root=root report fixture --format=json --output="$tmp/kept.json" -q
[ "$(stat -c %a "$tmp/kept.json")" = 640 ] && cmp -s "$tmp/kept.json" "$tmp/new.json" && ok || ko "--output= over a 0640 file"
echo old >"$tmp/target.json"
ln -s target.json "$tmp/link.json"
expect 2 "$hc" --root=root report fixture --format=json --output="$tmp/link.json" -q
[ -L "$tmp/link.json" ] && cmp -s "$tmp/target.json" "$tmp/new.json" && ok || ko "--output= replaced a symlink"
mkfifo "$tmp/fifo"
timeout 20 cat "$tmp/fifo" >"$tmp/from-fifo" &
expect 2 "$hc" --root=root report fixture --format=json --output="$tmp/fifo" -q
wait
[ -p "$tmp/fifo" ] && cmp -s "$tmp/from-fifo" "$tmp/new.json" && ok || ko "--output= replaced a FIFO"
if mknod "$tmp/null" c 1 3 2>/dev/null; then
        expect 2 "$hc" --root=root report fixture --format=json --output="$tmp/null" -q
        [ -c "$tmp/null" ] && ok || ko "--output= replaced a device node"
fi
expect 1 "$hc" --root=root report fixture --format=json --output="$tmp" -q
contains "$tmp/err" "is a directory"
if ! ls -A "$tmp" | grep -q '^\.#hardenctl\.'; then ok; else ko "temporary files left behind: $(ls -A "$tmp")"; fi

# --- the boot profile is the default; a compliant tree exits 0
mkdir -p "$tmp/ok/usr/lib/hardenctl" "$tmp/ok/proc/sys/kernel"
printf '[Kernel]\nSysctl=kernel.kptr_restrict=2\n' >"$tmp/ok/usr/lib/hardenctl/active.profile"
echo 2 >"$tmp/ok/proc/sys/kernel/kptr_restrict"
expect 0 "$hc" --root="$tmp/ok" check
contains "$tmp/out" "COMPLIANT — profile active"
echo 1 >"$tmp/ok/proc/sys/kernel/kptr_restrict"
expect 2 "$hc" --root="$tmp/ok" check -q

# --- the running machine: the check completes and says what it found (most rules fail here)
unset HARDENCTL_CHECK_TIME
export HARDENCTL_PROFILE_PATH="$src/profiles"
for p in baseline immutable-host; do
        "$hc" check "$p" --json=short >"$tmp/live.json" 2>"$tmp/err"
        rc=$?
        case $rc in
        0 | 2 | 4) ok ;;
        *) ko "check $p on this machine exited $rc"; sed 's/^/  | /' "$tmp/err" >&2 ;;
        esac
        python3 - "$tmp/live.json" "$rc" <<'EOF' || ko "live report of $p"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["host"]["live"] is True and d["host"]["kernel"]
assert d["summary"]["total"] > 10
rc = int(sys.argv[2])
assert (rc == 2) == (d["summary"]["fail"] > 0)
for r in d["results"]:
    assert r["message"], r
EOF
        ok
done

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
