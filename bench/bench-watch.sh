#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# The runtime watcher on one core: events per second parsed and classified from a recorded stream
# (auditd's text format, written to a file in /dev/shm), and its peak RSS, beside ausearch reading the
# same stream (ausearch -if FILE, the whole stream, output to /dev/null) on the same core; the
# median of several runs of each, and the ratios. Goals: >= 50,000 events/s, < 8 MiB peak RSS.
#
# The stream: EVENTS events in the shapes of tests/watch/events.log, as a host running agent-host
# writes them: 70% execve (SYSCALL, EXECVE, CWD, two PATH, PROCTITLE, EOE), of which one in ten is not
# allowed for its service and one in fifty runs off the verified /usr; 20% writes to watched paths
# (SYSCALL, CWD, two PATH, EOE); 10% SELinux denials (AVC, SYSCALL, EOE). The watcher looks up the
# unit of each exec's process in its control group, as it does on a host (the recorded pids have
# gone: the lookup fails as it does for a short-lived process), and sends its anomalies nowhere
# (--sink=none: the journal's cost is journald's).
#
# Usage: bench/bench-watch.sh [BUILD_DIR] [EVENTS] [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."

build=${1:-build}
events=${2:-200000}
runs=${3:-5}
watch="$build/src/watch/hardenctl-watch"

if [ ! -x "$watch" ]; then
        [ -d "$build" ] || meson setup "$build" >/dev/null
        ninja -C "$build" >/dev/null
fi
command -v ausearch >/dev/null || { echo "bench-watch: needs ausearch (Debian package auditd)" >&2; exit 1; }

tmp=$(mktemp -d /dev/shm/bench-watch.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
cc -O2 -o "$tmp/bench-run" bench/bench-run.c

python3 - "$events" "$tmp/stream.log" <<'EOF'
import random, sys
n, path = int(sys.argv[1]), sys.argv[2]
random.seed(17)
progs = ["/usr/bin/python3.11", "/usr/lib/agent/worker", "/usr/bin/curl", "/usr/bin/git", "/usr/bin/sh"]
out = open(path, "w")
t = 1700000000.0
for serial in range(1, n + 1):
    t += 0.0005
    ts = f"{int(t)}.{int(t * 1000) % 1000:03d}:{serial}"
    pid = 1000 + serial % 30000
    r = random.random()
    if r < 0.7:
        exe = progs[serial % 3] if serial % 10 else "/usr/bin/curl"
        dev = "fe:00" if serial % 50 else "00:1f"
        out.write(f"type=SYSCALL msg=audit({ts}): arch=c000003e syscall=59 success=yes exit=0 a0=55d0 a1=55d1 a2=55d2 a3=0 items=2 ppid=401 pid={pid} auid=4294967295 uid=998 gid=998 euid=998 suid=998 fsuid=998 egid=998 sgid=998 fsgid=998 tty=(none) ses=4294967295 comm=\"{exe.rsplit('/', 1)[1][:15]}\" exe=\"{exe}\" subj=system_u:system_r:unconfined_service_t:s0 key=\"agent-exec\"\n")
        out.write(f"type=EXECVE msg=audit({ts}): argc=2 a0=\"{exe}\" a1=\"--run\"\n")
        out.write(f"type=CWD msg=audit({ts}): cwd=\"/var/lib/agent\"\n")
        out.write(f"type=PATH msg=audit({ts}): item=0 name=\"{exe}\" inode={serial} dev={dev} mode=0100755 ouid=0 ogid=0 rdev=00:00 nametype=NORMAL cap_fp=0 cap_fi=0 cap_fe=0 cap_fver=0 cap_frootid=0\n")
        out.write(f"type=PATH msg=audit({ts}): item=1 name=\"/lib64/ld-linux-x86-64.so.2\" inode=99 dev=fe:00 mode=0100755 ouid=0 ogid=0 rdev=00:00 nametype=NORMAL cap_fp=0 cap_fi=0 cap_fe=0 cap_fver=0 cap_frootid=0\n")
        out.write(f"type=PROCTITLE msg=audit({ts}): proctitle=707974686F6E33002D2D72756E\n")
    elif r < 0.9:
        key, d = ("agent-models", "/var/lib/models") if serial % 2 else ("agent-config", "/etc/agent")
        out.write(f"type=SYSCALL msg=audit({ts}): arch=c000003e syscall=257 success=yes exit=3 a0=ffffff9c a1=7ffd a2=241 a3=1b6 items=2 ppid=401 pid={pid} auid=4294967295 uid=998 gid=998 euid=998 suid=998 fsuid=998 egid=998 sgid=998 fsgid=998 tty=(none) ses=4294967295 comm=\"python3.11\" exe=\"/usr/bin/python3.11\" subj=system_u:system_r:unconfined_service_t:s0 key=\"{key}\"\n")
        out.write(f"type=CWD msg=audit({ts}): cwd=\"/\"\n")
        out.write(f"type=PATH msg=audit({ts}): item=0 name=\"{d}/\" inode=500 dev=00:20 mode=040755 ouid=0 ogid=0 rdev=00:00 nametype=PARENT cap_fp=0 cap_fi=0 cap_fe=0 cap_fver=0 cap_frootid=0\n")
        out.write(f"type=PATH msg=audit({ts}): item=1 name=\"{d}/f{serial % 100}\" inode={serial} dev=00:20 mode=0100644 ouid=998 ogid=998 rdev=00:00 nametype=CREATE cap_fp=0 cap_fi=0 cap_fe=0 cap_fver=0 cap_frootid=0\n")
    else:
        out.write(f"type=AVC msg=audit({ts}): avc:  denied  {{ read }} for  pid={pid} comm=\"agent\" name=\"shadow\" dev=\"vda1\" ino=1234 scontext=system_u:system_r:agent_t:s0 tcontext=system_u:object_r:shadow_t:s0 tclass=file permissive=0\n")
        out.write(f"type=SYSCALL msg=audit({ts}): arch=c000003e syscall=257 success=no exit=-13 a0=ffffff9c a1=7f a2=0 a3=0 items=1 ppid=1 pid={pid} auid=4294967295 uid=998 gid=998 euid=998 suid=998 fsuid=998 egid=998 sgid=998 fsgid=998 tty=(none) ses=4294967295 comm=\"agent\" exe=\"/usr/bin/python3.11\" subj=system_u:system_r:agent_t:s0 key=(null)\n")
    out.write(f"type=EOE msg=audit({ts}):\n")
EOF

python3 - "$tmp" "$watch" "$PWD/tests/watch/watch.profile" "$events" "$runs" <<'EOF'
import json, os, subprocess, sys
tmp, watch, profile, events, runs = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
stream = os.path.join(tmp, "stream.log")

def measure(argv, env=None):
    out = os.path.join(tmp, "out")
    line = subprocess.run([os.path.join(tmp, "bench-run"), str(runs), out, "taskset", "-c", "0"] + argv,
                          check=True, capture_output=True, text=True, env=env).stdout.split()
    return float(line[0]), float(line[1]), int(line[2]) / 1024.0, int(line[3])

state = os.path.join(tmp, "state.json")
wargv = [watch, "--profile=" + profile, "--input=" + stream, "--sink=none", "--state=" + state, "--usr-device=254:0"]
ww, wcpu, wrss, wcode = measure(wargv)
assert wcode == 0, wcode
s = json.load(open(state))
assert s["events"] == events and s["unparsable"] == 0, (s["events"], s["unparsable"])
# The same with the units of the processes from a table ($HARDENCTL_TEST_WATCH_UNITS, honoured by a
# build with -Dtest-hooks=true only): parsing and classifying without the /proc lookups.
tw, tcpu, trss, tcode = measure(wargv, env=dict(os.environ, HARDENCTL_TEST_WATCH_UNITS="401=agent.service"))
t = json.load(open(state))
aw, acpu, arss, acode = measure(["ausearch", "-if", stream])
records = sum(1 for _ in open(stream))
size = os.path.getsize(stream) / 1048576
anomalies = sum(v["count"] for v in s["anomalies"].values())

print(f"stream: {events} events, {records} records, {size:.1f} MiB; median of {runs} runs on one core (taskset -c 0)")
for name, st in (("with /proc unit lookups", s), ("units from a table", t)):
    print(f"hardenctl-watch ({name}) found {sum(v['count'] for v in st['anomalies'].values())} anomalies: "
          + ", ".join(f"{k} {v['count']}" for k, v in st["anomalies"].items() if v["count"]))
print()
print(f"{'':30}{'wall s':>9}{'CPU s':>9}{'events/s wall':>15}{'events/s CPU':>14}{'peak RSS MiB':>14}")
for name, w, c, r in (("hardenctl-watch", ww, wcpu, wrss), ("hardenctl-watch, units table", tw, tcpu, trss),
                      ("ausearch -if FILE", aw, acpu, arss)):
    print(f"{name:30}{w:9.3f}{c:9.3f}{events / w:15.0f}{events / max(c, 1e-6):14.0f}{r:14.1f}")
print(f"{'ratio (ausearch/watch)':30}{aw / ww:9.1f}{acpu / max(wcpu, 1e-6):9.1f}{'':15}{'':14}{arss / wrss:14.1f}")
print()
ok = events / max(wcpu, 1e-6) >= 50000 and wrss < 8
print(f"goal: >= 50,000 events/s (CPU time of one core) and < 8 MiB peak RSS: {'met' if ok else 'NOT met'}")
EOF
