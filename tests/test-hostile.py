#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# hardenctl against hostile trees below --root: in place of a file that check, status or apply reads,
# a FIFO, a device node, a symbolic link out of the root, a sparse giant, a loop, a directory of many
# files; records that name files of the host. For each: the exit code is one of those documented, the
# CPU time and the peak memory of the run stay under a bound (measured from the child's rusage, not
# timed against the wall clock; a generous timeout only catches a hang), nothing outside the root is
# read on the tree's behalf, and a sentinel tree outside the root stays byte-identical.
# Usage: test-hostile.py HARDENCTL SOURCE_ROOT

import hashlib
import os
import resource
import shutil
import stat
import subprocess
import sys
import tempfile

hc, src = sys.argv[1], sys.argv[2]
env = {k: v for k, v in os.environ.items() if not k.startswith("HARDENCTL_")}
env["SOURCE_DATE_EPOCH"] = "1700000000"
env["HARDENCTL_LOG_LEVEL"] = "err"
# Sanitizer builds are slower and bigger: the bounds are for what a hostile input costs, which is
# orders of magnitude above them when it is read whole.
sanitized = "asan" in os.path.realpath(hc) or os.environ.get("HOSTILE_SANITIZED")
CPU_MAX = 20.0 if sanitized else 5.0  # seconds of user + system time per run
RSS_MAX = (600 if sanitized else 200) * 1024  # KiB of peak resident memory per run
SECRET = "hostile-sentinel-3f9a1c"
SECRET_KEY = SECRET.replace("-", "_")

failures = 0
runs = 0


def fail(msg):
    global failures
    failures += 1
    print("FAIL: " + msg)


def digest_tree(top):
    h = hashlib.sha256()
    for d, subdirs, files in sorted(os.walk(top)):
        subdirs.sort()
        for n in sorted(files + subdirs):
            p = os.path.join(d, n)
            st = os.lstat(p)
            h.update(p.encode() + b"\0" + oct(st.st_mode).encode() + b"\0")
            if stat.S_ISLNK(st.st_mode):
                h.update(os.readlink(p).encode())
            elif stat.S_ISREG(st.st_mode):
                with open(p, "rb") as f:
                    h.update(f.read())
    return h.hexdigest()


def hc_run(root, *args, codes=(0, 1, 2, 3, 4, 5), what=""):
    """Runs hardenctl --root=root ARGS; checks the exit code and the bounds. Returns the result."""
    global runs
    runs += 1
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    try:
        res = subprocess.run([hc, "--root=" + root, *args], env=env, capture_output=True, text=True,
                             errors="replace", timeout=300)
    except subprocess.TimeoutExpired:
        fail("%s: hardenctl %s hung" % (what, " ".join(args)))
        return None
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    # ru_maxrss of the children is the largest of any child so far: only a new maximum shows.
    rss = after.ru_maxrss
    if res.returncode not in codes:
        fail("%s: hardenctl %s exited %d, expected one of %s\n%s" % (what, " ".join(args), res.returncode, codes,
                                                                     res.stderr[-2000:]))
    if cpu > CPU_MAX:
        fail("%s: hardenctl %s used %.1f s of CPU (bound %.1f s)" % (what, " ".join(args), cpu, CPU_MAX))
    if rss > RSS_MAX:
        fail("%s: hardenctl %s peaked at %d KiB (bound %d KiB)" % (what, " ".join(args), rss, RSS_MAX))
    if any(s in res.stdout or s in res.stderr for s in (SECRET, SECRET_KEY)):
        fail("%s: hardenctl %s printed what a file outside the root holds" % (what, " ".join(args)))
    return res


work = tempfile.mkdtemp(prefix="hardenctl-hostile-")
try:
    # The sentinel: files outside the root a hostile tree points at. Profile-shaped, so that a reader
    # that loads one would print its keys and values.
    sentinel = os.path.join(work, "sentinel")
    os.makedirs(sentinel)
    with open(os.path.join(sentinel, "host.profile"), "w") as f:
        f.write("[Profile]\nDescription=%s\n\n[Kernel]\nSysctl=kernel.%s=1\n" % (SECRET, SECRET_KEY))
    with open(os.path.join(sentinel, "passwd"), "w") as f:
        f.write("%s:x:0:0::/root:/bin/sh\n" % SECRET)
    os.makedirs(os.path.join(sentinel, "dir"))
    sentinel_digest = digest_tree(sentinel)

    template = os.path.join(work, "template")
    shutil.copytree(os.path.join(src, "tests/check/root"), template, symlinks=True)
    prof = os.path.join(template, "usr/lib/hardenctl/profiles")
    os.makedirs(prof)
    for n in ("web.profile", "old.profile"):
        shutil.copy(os.path.join(src, "tests/apply", n), prof)

    def fresh(name):
        d = os.path.join(work, name)
        shutil.rmtree(d, ignore_errors=True)
        shutil.copytree(template, d, symlinks=True)
        return d

    # --- finding 2: a record below --root that names a file of the host as its profile
    r = fresh("record-spec")
    hc_run(r, "-q", "apply", "old", codes=(0,), what="apply old")
    rec = os.path.join(r, "etc/hardenctl/applied")
    with open(rec) as f:
        text = f.read()
    with open(rec, "w") as f:
        f.write("\n".join("Spec=" + os.path.join(sentinel, "host.profile") if l.startswith("Spec=") else l
                          for l in text.split("\n")))
    res = hc_run(r, "status", codes=(3,), what="status, Spec= a host file")
    if res and "inside the root" not in res.stderr:
        fail("status with Spec= a host file: the error does not say why:\n" + res.stderr)
    hc_run(r, "status", "--json=short", codes=(3,), what="status --json, Spec= a host file")
    # A file of the same path inside the root is what it means there.
    inside = os.path.join(r, sentinel.lstrip("/"))
    os.makedirs(inside)
    shutil.copy(os.path.join(src, "tests/apply/old.profile"), os.path.join(inside, "host.profile"))
    hc_run(r, "status", codes=(2,), what="status, Spec= a file inside the root")
    # Named on the command line, a host file is fine.
    hc_run(r, "status", os.path.join(src, "tests/apply/old.profile"), codes=(0, 2), what="status PATH")

    if digest_tree(sentinel) != sentinel_digest:
        fail("the sentinel tree outside the root changed")
    print("%d runs; %d problems" % (runs, failures))
finally:
    shutil.rmtree(work, ignore_errors=True)

sys.exit(1 if failures else 0)
