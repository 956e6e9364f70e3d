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
import shutil
import stat
import subprocess
import sys
import tempfile
import threading

hc, src = sys.argv[1], sys.argv[2]
env = {k: v for k, v in os.environ.items() if not k.startswith("HARDENCTL_")}
env["SOURCE_DATE_EPOCH"] = "1700000000"
env["HARDENCTL_LOG_LEVEL"] = "err"
# Sanitizer builds are slower and bigger: the bounds are for what a hostile input costs, which is
# orders of magnitude above them when it is read whole.
sanitized = "asan" in os.path.realpath(hc) or os.environ.get("HOSTILE_SANITIZED")
CPU_MAX = 20.0 if sanitized else 5.0  # seconds of user + system time per run
RSS_MAX = (900 if sanitized else 300) * 1024  # KiB of peak resident memory per run
SECRET = "hostile-sentinel-3f9a1c"
SECRET_KEY = SECRET.replace("-", "_")

failures = 0
runs = 0
peak = [0.0, 0]  # the most CPU seconds and KiB any run took


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
    # The child's own rusage (wait4), not the running maximum of all children.
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        child = subprocess.Popen([hc, "--root=" + root, *args], env=env, stdout=out, stderr=err,
                                 stdin=subprocess.DEVNULL)
        timer = threading.Timer(300, child.kill)
        timer.start()
        _, status, usage = os.wait4(child.pid, 0)
        timer.cancel()
        child.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        res = subprocess.CompletedProcess(child.args, child.returncode, out.read().decode(errors="replace"),
                                          err.read().decode(errors="replace"))
    cpu = usage.ru_utime + usage.ru_stime
    rss = usage.ru_maxrss
    peak[0], peak[1] = max(peak[0], cpu), max(peak[1], rss)
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

    def plant(root, rel, kind):
        p = os.path.join(root, rel)
        os.makedirs(os.path.dirname(p), exist_ok=True)
        if os.path.lexists(p):
            if os.path.isdir(p) and not os.path.islink(p):
                shutil.rmtree(p)
            else:
                os.unlink(p)
        if kind == "fifo":
            os.mkfifo(p)
        elif kind == "zero":
            os.mknod(p, 0o644 | stat.S_IFCHR, os.makedev(1, 5))  # /dev/zero
        elif kind == "link-out":
            os.symlink(os.path.join(sentinel, "passwd"), p)  # absolute: resolved inside the root
        elif kind == "link-up":
            os.symlink("../" * (rel.count("/") + 3) + sentinel.lstrip("/") + "/passwd", p)
        elif kind == "loop":
            os.symlink(os.path.basename(p), p)
        elif kind == "sparse":
            with open(p, "wb") as f:
                f.truncate(2 << 30)  # 2 GiB of holes
        elif kind == "dir":
            os.makedirs(p)

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

    # --- validate: Inherit= names a FIFO, a device, a link to /dev/zero, a loop (finding 7)
    for where in ("beside", "search path"):
        for kind in ("fifo", "zero", "link-zero", "loop", "dir"):
            r = fresh("validate")
            d = os.path.join(r, "etc/hardenctl/profiles")
            child = os.path.join(d, "child.profile")
            with open(child, "w") as f:
                f.write("[Profile]\nDescription=child\nInherit=base\n")
            if kind == "link-zero":
                os.symlink("/dev/zero", os.path.join(d, "base.profile"))
            else:
                plant(r, "etc/hardenctl/profiles/base.profile", kind)
            args = ("validate", child[len(r):] if where == "search path" else "child")
            if where == "beside":
                # by path: the parent is looked for beside the file first
                args = ("validate", child)
                res = hc_run("/", *args, codes=(3,), what="validate, Inherit= a %s beside" % kind)
            else:
                res = hc_run(r, "validate", "child", codes=(3,), what="validate, Inherit= a %s" % kind)
            if res and "child.profile:3: Profile.Inherit:" not in res.stderr:
                fail("validate, Inherit= a %s (%s): the message does not name the line:\n%s" % (kind, where, res.stderr))

    # --- check: in place of every file it reads, each kind of hostile entry (finding 3)
    check_reads = ["etc/passwd", "etc/group", "etc/sudoers", "etc/sudoers.d/10-deploy", "etc/ssh/sshd_config",
                   "etc/ssh/sshd_config.d/50-cloud.conf", "etc/fstab", "proc/self/mountinfo", "proc/cmdline",
                   "etc/modprobe.d/hardenctl.conf", "var/lib/dpkg/status", "etc/os-release", "etc/machine-id",
                   "proc/sys/kernel/kptr_restrict", "sys/kernel/security/lockdown", "etc/selinux/config"]
    kinds = ["fifo", "zero", "link-out", "link-up", "loop", "sparse", "dir"]
    checks = 0
    for rel in check_reads:
        for kind in kinds:
            if not sanitized or kind in ("fifo", "sparse", "zero"):
                r = fresh("check")
                plant(r, rel, kind)
                hc_run(r, "check", "fixture", "--json=short", codes=(2, 4), what="check, %s is %s" % (rel, kind))
                checks += 1
    # mountinfo missing, fstab hostile: the offline fallback reads it the same way
    for kind in ("fifo", "sparse", "zero"):
        r = fresh("check")
        os.unlink(os.path.join(r, "proc/self/mountinfo"))
        plant(r, "etc/fstab", kind)
        hc_run(r, "check", "fixture", codes=(2, 4), what="check, no mountinfo, fstab is %s" % kind)

    # Huge counts and sizes that each stay under a file's own limit.
    r = fresh("check-many")
    md = os.path.join(r, "etc/modprobe.d")
    for i in range(1500):
        with open(os.path.join(md, "m%04d.conf" % i), "wb") as f:
            f.truncate(60 * 1024)  # each under the limit; all together 88 MiB
    sd = os.path.join(r, "etc/sudoers.d")
    for i in range(3000):
        open(os.path.join(sd, "s%04d" % i), "w").close()
    with open(os.path.join(r, "etc/passwd"), "w") as f:
        for i in range(20000):
            f.write("user%d:x:%d:%d::/home/user%d:/bin/sh\n" % (i, 10000 + i, 10000 + i, i))
    with open(os.path.join(r, "etc/group"), "w") as f:
        for i in range(20000):
            f.write("group%d:x:%d:user%d\n" % (i, 10000 + i, i))
    with open(os.path.join(r, "etc/sudoers"), "a") as f:
        for i in range(20000):
            f.write("@include /etc/sudoers.d/s%04d\n" % (i % 3000))
    hc_run(r, "check", "fixture", "--json=short", codes=(2, 4), what="check, many files, 20,000 accounts")

    # The overlay's upper dir: a sparse giant, and one larger than the hash limit (finding 3).
    r = fresh("check-drift")
    upper = os.path.join(r, "run/hardenctl/etc/upper")
    os.makedirs(upper, exist_ok=True)
    with open(os.path.join(upper, "giant"), "wb") as f:
        f.truncate(1 << 40)  # 1 TiB of holes
    with open(os.path.join(upper, "large"), "wb") as f:
        f.write(b"x" * (1 << 20))
        f.truncate(65 << 20)
    res = hc_run(r, "check", "fixture", "--json=short", codes=(2,), what="check, sparse giant in the upper dir")
    if res and res.returncode == 2:
        import json
        drift = {e["path"]: e for e in json.loads(res.stdout)["posture"]["etc"]["drift"]}
        for n in ("giant", "large"):
            if not (drift.get(n, {}).get("digest") or "").startswith("unhashed:"):
                fail("drift of %s: %s, not reported as unhashed" % (n, drift.get(n)))

    # --- status and apply: in place of every file they read or write
    apply_reads = ["etc/hardenctl/applied", "etc/selinux/config", "etc/sysctl.d/zz-hardenctl-apply.conf",
                   "etc/systemd/system/old.service.d/99-hardenctl-confine.conf",
                   "etc/systemd/system/telnet.socket", "etc/audit/rules.d/50-hardenctl.rules",
                   "etc/systemd/system/web.service.d", "etc/sysctl.d", "etc/systemd/system",
                   "usr/lib/hardenctl/profiles/web.profile"]
    base = fresh("apply-base")
    hc_run(base, "-q", "apply", "old", codes=(0,), what="apply old")
    # (a sanitizer build is ten times slower: fewer kinds there, every one in a normal build)
    for rel in apply_reads:
        for kind in (("fifo", "sparse", "link-out", "loop") if sanitized else kinds):
            r = os.path.join(work, "apply")
            shutil.rmtree(r, ignore_errors=True)
            shutil.copytree(base, r, symlinks=True)
            plant(r, rel, kind)
            if kind == "link-out":  # a directory of the host in place of one apply writes in
                os.unlink(os.path.join(r, rel))
                os.symlink(os.path.join(sentinel, "dir"), os.path.join(r, rel))
            hc_run(r, "status", codes=(0, 1, 2, 3), what="status, %s is %s" % (rel, kind))
            hc_run(r, "-q", "apply", "web", codes=(0, 1, 3), what="apply, %s is %s" % (rel, kind))
            hc_run(r, "status", codes=(0, 1, 2, 3), what="status after apply, %s is %s" % (rel, kind))

    if digest_tree(sentinel) != sentinel_digest:
        fail("the sentinel tree outside the root changed")
    print("%d runs, the most costly %.2f s of CPU and %d KiB; %d problems" % (runs, peak[0], peak[1], failures))
finally:
    shutil.rmtree(work, ignore_errors=True)

sys.exit(1 if failures else 0)
