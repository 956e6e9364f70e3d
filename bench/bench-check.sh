#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# hardenctl check of the largest shipped profile against oscap xccdf eval of the closest profile of
# the SCAP Security Guide content Debian ships, on this machine, in the same run: wall time, CPU time
# (user + system) and peak RSS of each (the median of several runs), and the ratios.
#
# Debian 12's ssg packages carry no Debian 12 content, so the Ubuntu 22.04 content's CIS Level 1
# server profile (ssg-debderived) is retargeted on a copy: its OS checks read /etc/os-release for
# Debian bookworm rather than /etc/lsb-release for Ubuntu jammy, and its container probe
# (/.dockerenv) points at a path that does not exist, so that the rules evaluate here rather than
# come out "not applicable". The three rules that walk the whole file system (world-writable files,
# unowned files, sticky bits) are skipped: they dominate oscap's time (minutes) and hardenctl does no
# whole-file-system walk.
#
# Usage: bench/bench-check.sh [BUILD_DIR] [RUNS]   (as root, so that both read audit state)
set -euo pipefail
cd "$(dirname "$0")/.."

build=${1:-build}
runs=${2:-20}
oscap_runs=${OSCAP_RUNS:-3}
hc="$build/src/hardenctl/hardenctl"
profile=xccdf_org.ssgproject.content_profile_cis_level1_server

name=bench-check
. bench/oscap-lib.sh

# The largest shipped profile: the one with the most results on this machine.
export HARDENCTL_PROFILE_PATH="$PWD/profiles"
largest= most=0
for p in profiles/*.profile; do
        name=$(basename "$p" .profile)
        n=$( ("$hc" check "$name" --json=short 2>/dev/null || true) | python3 -c 'import json,sys; print(json.load(sys.stdin)["summary"]["total"])')
        if [ "$n" -gt "$most" ]; then most=$n; largest=$name; fi
done

python3 - "$hc" "$largest" "$runs" "$oscap_runs" "$tmp/ds.xml" "$profile" "$tmp" <<'EOF'
import os, subprocess, sys, json

hc, prof, runs, oscap_runs, ds, xprofile, tmp = sys.argv[1:]
runs, oscap_runs = int(runs), int(oscap_runs)
skip = ["xccdf_org.ssgproject.content_rule_dir_perms_world_writable_sticky_bits",
        "xccdf_org.ssgproject.content_rule_file_permissions_unauthorized_world_writable",
        "xccdf_org.ssgproject.content_rule_no_files_unowned_by_user"]

def measure(argv, n, ok=(0, 2)):
    out = os.path.join(tmp, "out")
    line = subprocess.run([os.path.join(tmp, "bench-run"), str(n), out] + argv, check=True,
                          capture_output=True, text=True).stdout.split()
    wall, cpu, rss, code = float(line[0]), float(line[1]), int(line[2]) / 1024.0, int(line[3])
    if code not in ok:
        sys.exit(f"{argv[0]} exited {code}")
    return wall, cpu, rss, open(out, "rb").read()

hw, hcpu, hrss, hout = measure([hc, "check", prof, "--json=short"], runs, ok=(0, 2, 4))
s = json.loads(hout)["summary"]
h_rules = s["total"]
h_eval = s["pass"] + s["fail"]

argv = ["oscap", "xccdf", "eval", "--profile", xprofile]
for r in skip:
    argv += ["--skip-rule", r]
argv.append(ds)
ow, ocpu, orss, oout = measure(argv, oscap_runs)
results = [l.split()[-1] for l in oout.decode(errors="replace").replace("\r", "").splitlines() if l.startswith("Result")]
counts = {r: results.count(r) for r in sorted(set(results))}
o_rules = len(results)
o_eval = sum(1 for r in results if r in ("pass", "fail"))

print(f"hardenctl check {prof}: {h_rules} results ({h_eval} pass/fail), median of {runs} runs")
print(f"oscap xccdf eval cis_level1_server (Ubuntu 22.04 content retargeted to Debian 12): "
      f"{o_rules} rules ({o_eval} pass/fail), median of {oscap_runs} runs")
print(f"  oscap results: {counts}")
print()
print(f"{'':24}{'wall s':>12}{'CPU s':>12}{'peak RSS MiB':>16}")
print(f"{'hardenctl check':24}{hw:12.4f}{hcpu:12.4f}{hrss:16.1f}")
print(f"{'oscap xccdf eval':24}{ow:12.4f}{ocpu:12.4f}{orss:16.1f}")
print(f"{'ratio (oscap/hardenctl)':24}{ow / hw:12.0f}{ocpu / max(hcpu, 1e-6):12.0f}{orss / hrss:16.0f}")
print()
print(f"goal: >= 100x faster (wall) and < 16 MiB peak RSS: "
      f"{'met' if ow / hw >= 100 and hrss < 16 else 'NOT met'}")
EOF
