#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# CIS Level 2: hardenctl check cis-level2-server against oscap xccdf eval of the SCAP Security
# Guide's CIS Level 2 server profile (the Ubuntu 22.04 content of ssg-debderived, retargeted to
# Debian 12 as bench/bench-check.sh does), on this machine, in the same run: wall time, CPU time
# (user + system) and peak RSS of each, and the ratios. The rules that walk the whole file system
# are skipped on both sides (oscap: --skip-rule; hardenctl: a copy of the profiles without CIS 7.1.11
# to 7.1.13 and 6.2.3.6, whose rules per SUID program come from the walk).
#
# Then the walk on its own: hardenctl check of a profile with only CIS 7.1.11 7.1.12 7.1.13 against
# a bare walk of the same tree (find, not entering the file systems the walk skips, printing each
# entry's mode, owner and group, so one stat per entry as well).
#
# Both print what they print by default (a line per result); hardenctl's JSON document is measured
# beside it. The tools take turns, in OSCAP_RUNS rounds (default 3) of one oscap run and RUNS/OSCAP_RUNS
# runs of hardenctl each, so that load from elsewhere falls on both alike.
#
# Goals: >= 300x oscap in CPU, < 16 MiB peak RSS, the walk <= 2x the bare walk.
#
# Usage: bench/bench-cis.sh [BUILD_DIR] [RUNS]   (as root, so that both read everything)
set -euo pipefail
cd "$(dirname "$0")/.."

build=${1:-build}
runs=${2:-20}
oscap_runs=${OSCAP_RUNS:-3}
walk_runs=${WALK_RUNS:-3}
hc="$PWD/$build/src/hardenctl/hardenctl"
profile=xccdf_org.ssgproject.content_profile_cis_level2_server

name=bench-cis
. bench/oscap-lib.sh

# The profiles without the walk, and a profile with only the walk.
mkdir "$tmp/profiles" "$tmp/walk"
cp profiles/*.profile "$tmp/profiles/"
sed -i -e 's/^CIS=7\.1\.11 7\.1\.12 7\.1\.13$//' "$tmp/profiles/cis-level1-server.profile"
sed -i -e 's/ 6\.2\.3\.6 / /' "$tmp/profiles/cis-level2-server.profile"
if grep -q '^CIS=.*\(7\.1\.1[123]\|6\.2\.3\.6\)\b' "$tmp/profiles"/cis-level*-server.profile; then
        echo "bench-cis: the walk items are no longer where this script removes them" >&2
        exit 1
fi
printf '[Profile]\nDescription=the walk alone\n\n[Benchmark]\nCIS=7.1.11 7.1.12 7.1.13\n' >"$tmp/walk/walk-only.profile"

python3 - "$hc" "$runs" "$oscap_runs" "$walk_runs" "$tmp/ds.xml" "$profile" "$tmp" <<'EOF'
import os, statistics, subprocess, sys, json

hc, runs, oscap_runs, walk_runs, ds, xprofile, tmp = sys.argv[1:]
runs, oscap_runs, walk_runs = int(runs), int(oscap_runs), int(walk_runs)
skip = ["xccdf_org.ssgproject.content_rule_dir_perms_world_writable_sticky_bits",
        "xccdf_org.ssgproject.content_rule_file_permissions_unauthorized_world_writable",
        "xccdf_org.ssgproject.content_rule_no_files_unowned_by_user",
        "xccdf_org.ssgproject.content_rule_file_permissions_ungroupowned",
        "xccdf_org.ssgproject.content_rule_audit_rules_privileged_commands"]

def measure(argv, n, ok=(0, 2), env=None):
    out = os.path.join(tmp, "out")
    line = subprocess.run([os.path.join(tmp, "bench-run"), str(n), out] + argv, check=True,
                          capture_output=True, text=True, env=env).stdout.split()
    wall, cpu, rss, code = float(line[0]), float(line[1]), int(line[2]) / 1024.0, int(line[3])
    if code not in ok:
        sys.exit(f"{argv[0]} exited {code}")
    return wall, cpu, rss, open(out, "rb").read()

env = dict(os.environ, HARDENCTL_PROFILE_PATH=os.path.join(tmp, "profiles"), NO_COLOR="1")
# As both tools print by default (oscap xccdf eval: a result line per rule; hardenctl check: a line per
# result): the ratio. The JSON document (every result with its evidence, what a fleet collects) beside it.
# In rounds, taking turns: each round a batch of hardenctl's runs (text, then JSON) and one oscap run, so
# that what else the machine does at any moment (noisy on a shared one) falls on both tools alike; the
# medians of the rounds.
argv = ["oscap", "xccdf", "eval", "--profile", xprofile]
for r in skip:
    argv += ["--skip-rule", r]
argv.append(ds)
batch = max(runs // oscap_runs, 1)
h, j, o = [], [], []
for _ in range(oscap_runs):
    h.append(measure([hc, "check", "cis-level2-server"], batch, ok=(0, 2, 4), env=env))
    j.append(measure([hc, "check", "cis-level2-server", "--json=short"], batch, ok=(0, 2, 4), env=env))
    o.append(measure(argv, 1))
med = lambda rows, k: statistics.median(r[k] for r in rows)
hw, hcpu, hrss = med(h, 0), med(h, 1), max(r[2] for r in h)
jw, jcpu, jrss, hout = med(j, 0), med(j, 1), max(r[2] for r in j), j[-1][3]
ow, ocpu, orss, oout = med(o, 0), med(o, 1), max(r[2] for r in o), o[-1][3]
s = json.loads(hout)["summary"]
h_rules, h_eval = s["total"], s["pass"] + s["fail"]
results = [l.split()[-1] for l in oout.decode(errors="replace").replace("\r", "").splitlines() if l.startswith("Result")]
counts = {r: results.count(r) for r in sorted(set(results))}
o_rules, o_eval = len(results), sum(1 for r in results if r in ("pass", "fail"))

print(f"hardenctl check cis-level2-server (walk skipped): {h_rules} results ({h_eval} pass/fail), "
      f"{oscap_runs} rounds of {batch} runs, the median of the rounds' medians")
print(f"oscap xccdf eval cis_level2_server (Ubuntu 22.04 content retargeted to Debian 12, walk skipped): "
      f"{o_rules} rules ({o_eval} pass/fail), one run a round, median of {oscap_runs}")
print(f"  oscap results: {counts}")
print()
print(f"{'':26}{'wall s':>12}{'CPU s':>12}{'peak RSS MiB':>16}")
print(f"{'hardenctl check':26}{hw:12.4f}{hcpu:12.4f}{hrss:16.1f}")
print(f"{'  with --json=short':26}{jw:12.4f}{jcpu:12.4f}{jrss:16.1f}")
print(f"{'oscap xccdf eval':26}{ow:12.4f}{ocpu:12.4f}{orss:16.1f}")
cpu_ratio = ocpu / max(hcpu, 1e-6)
print(f"{'ratio (oscap/hardenctl)':26}{ow / hw:12.0f}{cpu_ratio:12.0f}{orss / hrss:16.0f}")
print(f"{'  with --json=short':26}{ow / jw:12.0f}{ocpu / max(jcpu, 1e-6):12.0f}{orss / jrss:16.0f}")

# The walk alone against a bare walk of the same tree.
wenv = dict(os.environ, HARDENCTL_PROFILE_PATH=os.path.join(tmp, "walk"), NO_COLOR="1")
ww, wcpu, wrss, wout = measure([hc, "check", "walk-only", "--json=short"], walk_runs, ok=(0, 2, 4), env=wenv)
skipped = ["proc", "sysfs", "devtmpfs", "devpts", "cgroup", "cgroup2", "securityfs", "debugfs", "tracefs",
           "pstore", "bpf", "configfs", "fusectl", "mqueue", "hugetlbfs", "autofs", "binfmt_misc", "efivarfs",
           "selinuxfs", "nfs", "nfs4", "cifs", "smb3", "ceph", "9p", "afs", "rpc_pipefs", "nsfs"]
find = ["find", "/", "("]
for i, t in enumerate(skipped):
    find += (["-o"] if i else []) + ["-fstype", t]
find += [")", "-prune", "-o", "-printf", "%m %U %G %p\\n"]
bw, bcpu, brss, _ = measure(find, walk_runs, ok=(0, 1))
entries = next((r["evidence"][0]["source"] for r in json.loads(wout).get("results", []) if "walk" in r.get("id", "") and r.get("evidence")), None)
print()
print(f"the walk (CIS 7.1.11-7.1.13 alone) against a bare walk (find -printf '%m %U %G %p'), median of {walk_runs} runs")
if entries:
    print(f"  hardenctl: {entries}")
print(f"{'':26}{'wall s':>12}{'CPU s':>12}{'peak RSS MiB':>16}")
print(f"{'hardenctl check walk':26}{ww:12.4f}{wcpu:12.4f}{wrss:16.1f}")
print(f"{'find':26}{bw:12.4f}{bcpu:12.4f}{brss:16.1f}")
print(f"{'ratio (hardenctl/find)':26}{ww / bw:12.2f}{wcpu / max(bcpu, 1e-6):12.2f}{wrss / brss:16.2f}")
print()
print(f"goal >= 300x oscap CPU: {'met' if cpu_ratio >= 300 else 'NOT met'}; "
      f"< 16 MiB peak RSS: {'met' if max(hrss, jrss, wrss) < 16 else 'NOT met'}; "
      f"walk <= 2x bare walk (wall): {'met' if ww / bw <= 2 else 'NOT met'}")
EOF
