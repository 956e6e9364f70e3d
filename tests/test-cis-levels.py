#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# The shipped cis-* profiles against the level assignments of the benchmark's controls
# (tests/cis/cis-debian12-levels.tsv, extracted from ComplianceAsCode's controls/cis_debian12.yml by
# tools/cis-levels.py): each profile checks every control of its level that the rule catalog can
# check, and nothing of another level. A result names the benchmark items it judges (its CIS
# references); one that names several (sudo: 5.2.4 and 5.2.5) belongs to a level if any of them does.
# Prints the coverage per level: controls checked / automatable controls of the level.
#
# Usage: test-cis-levels.py HARDENCTL SOURCE_ROOT
import json
import os
import subprocess
import sys
import tempfile
import xml.dom.minidom

hc, src = sys.argv[1], sys.argv[2]
CIS_HREF = "https://www.cisecurity.org/benchmark/debian_linux"
PROFILES = {
    "cis-level1-server": {"l1_server"},
    "cis-level2-server": {"l1_server", "l2_server"},
    "cis-level1-workstation": {"l1_workstation"},
    "cis-level2-workstation": {"l1_workstation", "l2_workstation"},
}

controls = {}
for line in open(os.path.join(src, "tests/cis/cis-debian12-levels.tsv")):
    if line.startswith("#") or not line.strip():
        continue
    cid, levels, status = line.rstrip("\n").split("\t")
    controls[cid] = (set(levels.split(",")) if levels else set(), status)
assert len(controls) == 310, len(controls)

env = dict(os.environ, NO_COLOR="1")
env.pop("HARDENCTL_PROFILE_PATH", None)


def path(profile):
    return os.path.join(src, "profiles", profile + ".profile")
failures = 0


def fail(msg):
    global failures
    failures += 1
    print("FAIL: " + msg, file=sys.stderr)


with tempfile.TemporaryDirectory() as root:
    # The catalog's benchmark items: the CIS references of every rule of the XCCDF Benchmark.
    out = subprocess.run([hc, "--root=" + root, "report", path("cis-level2-server"), "--format=xccdf"], env=env,
                         capture_output=True, text=True)
    if out.returncode not in (0, 2):
        print(out.stderr, file=sys.stderr)
        sys.exit(1)
    doc = xml.dom.minidom.parseString(out.stdout)
    catalog = set()
    for rule in doc.getElementsByTagName("Rule"):
        for ref in rule.getElementsByTagName("reference"):
            if ref.getAttribute("href") == CIS_HREF:
                catalog.add(ref.firstChild.data)
    unknown = catalog - set(controls)
    if unknown:
        fail("the catalog names items the benchmark does not have: %s" % " ".join(sorted(unknown)))

    for profile, levels in PROFILES.items():
        out = subprocess.run([hc, "--root=" + root, "check", path(profile), "--json=short"], env=env,
                             capture_output=True, text=True)
        if out.returncode not in (0, 2):
            fail("%s: hardenctl check exited %d: %s" % (profile, out.returncode, out.stderr.strip()))
            continue
        results = json.loads(out.stdout)["results"]
        in_level = {c for c, (lv, _) in controls.items() if lv & levels}
        automatable = {c for c in in_level if controls[c][1] != "manual"}
        covered = set()
        for r in results:
            cis = set(r["references"]["cis"])
            if cis and not cis & in_level:
                fail("%s checks %s [%s] (CIS %s), which is not of its level" %
                     (profile, r["id"], r["instance"], " ".join(sorted(cis))))
            covered |= cis & in_level
        missing = (catalog & automatable) - covered
        if missing:
            fail("%s leaves out items of its level the catalog checks: %s" %
                 (profile, " ".join(sorted(missing, key=lambda s: [int(x) for x in s.split(".")]))))
        print("%s: %d of %d automatable controls checked (%d of %d controls of the level)" %
              (profile, len(covered & automatable), len(automatable), len(covered), len(in_level)))

sys.exit(1 if failures else 0)
