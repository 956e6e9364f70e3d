#!/usr/bin/env python3
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# hardenctl apply killed (SIGKILL) at every step, and failed at every step, against a fixture root with
# --root. After a kill, every file must be wholly as before or wholly as planned, never torn (the record
# may also be the interim one, Incomplete=yes); status must not call the killed profile in force; an
# apply of the same profile run afterwards must finish the job and leave no temporary file behind; and
# an apply of the previous profile must go back to it: no file the killed apply wrote that the previous
# profile does not own, no temporary file, and status "in force". After a failure, the tree must be
# exactly as before. Kills during the rollback of every failure are checked the same way.
# Usage: test-apply-crash.py HARDENCTL SOURCE_ROOT

import hashlib
import os
import shutil
import subprocess
import sys
import tempfile

hc, src = sys.argv[1], sys.argv[2]
TMP_PREFIX = ".#hardenctl."
base_env = {k: v for k, v in os.environ.items() if not k.startswith("HARDENCTL_")}
base_env["SOURCE_DATE_EPOCH"] = "1700000000"
base_env["HARDENCTL_LOG_LEVEL"] = "err"


RECORD = "etc/hardenctl/applied"


def run(root, spec, **extra):
    env = dict(base_env)
    env.update({k: str(v) for k, v in extra.items()})
    return subprocess.run([hc, "--root=" + root, "-q", "apply", spec], env=env, capture_output=True, text=True)


def status(root):
    return subprocess.run([hc, "--root=" + root, "status"], env=base_env, capture_output=True, text=True)


def interim_record(root):
    try:
        with open(os.path.join(root, RECORD)) as f:
            return "\nIncomplete=yes\n" in f.read()
    except FileNotFoundError:
        return False


def manifest(root, dirs=False):
    m = {}
    top = os.path.join(root, "etc")
    for d, subdirs, files in os.walk(top):
        rel = os.path.relpath(d, root)
        if dirs:
            m[rel] = ("D",)
        for n in files + [s for s in subdirs if os.path.islink(os.path.join(d, s))]:
            p = os.path.join(d, n)
            r = os.path.relpath(p, root)
            if os.path.islink(p):
                m[r] = ("L", os.readlink(p))
            else:
                with open(p, "rb") as f:
                    m[r] = ("F", hashlib.sha256(f.read()).hexdigest(), oct(os.stat(p).st_mode & 0o7777))
    return m


def mkroot(d):
    prof = os.path.join(d, "usr/lib/hardenctl/profiles")
    os.makedirs(prof)
    for n in ("web.profile", "old.profile"):
        shutil.copy(os.path.join(src, "tests/apply", n), prof)
    os.makedirs(os.path.join(d, "etc/selinux"))
    with open(os.path.join(d, "etc/selinux/config"), "w") as f:
        f.write("SELINUX=permissive\nSELINUXTYPE=targeted\n")
    r = run(d, "old")
    assert r.returncode == 0, r.stderr


def steps_of(res):
    return [l for l in res.stderr.splitlines() if l.startswith("hardenctl-step ")]


def torn(old, new, now, interim=False, temps_ok=True):
    bad = []
    for p in set(old) | set(new) | set(now):
        if os.path.basename(p).startswith(TMP_PREFIX):
            if not temps_ok:
                bad.append("%s: a temporary file left behind" % p)
            continue
        if interim and p == RECORD:
            continue
        if now.get(p) not in (old.get(p), new.get(p)):
            bad.append("%s: %s (old %s, new %s)" % (p, now.get(p), old.get(p), new.get(p)))
    return bad


# On a tmpfs when there is one: thousands of fsync() calls on a disk only make the test slow.
work = tempfile.mkdtemp(prefix="hardenctl-crash-", dir="/dev/shm" if os.access("/dev/shm", os.W_OK) else None)
failures = 0
try:
    template = os.path.join(work, "template")
    mkroot(template)
    old, old_d = manifest(template), manifest(template, dirs=True)

    def fresh():
        d = os.path.join(work, "t")
        shutil.rmtree(d, ignore_errors=True)
        shutil.copytree(template, d, symlinks=True)
        return d

    d = fresh()
    res = run(d, "web", HARDENCTL_TEST_TRACE_STEPS=1)
    assert res.returncode == 0, res.stderr
    n = len(steps_of(res))
    new, new_d = manifest(d), manifest(d, dirs=True)
    assert old != new and n > 10, (n, old, new)
    # Going back after a complete apply: what "old" puts back (SELinux's config, which no record owns,
    # stays as web left it).
    res = run(d, "old")
    assert res.returncode == 0, res.stderr
    back = manifest(d)

    kills = rollback_kills = fails = 0
    for k in range(1, n + 1):
        d = fresh()
        res = run(d, "web", HARDENCTL_TEST_KILL_STEP=k)
        if res.returncode != -9:
            print("FAIL: kill at step %d: exit %d, not killed" % (k, res.returncode))
            failures += 1
            continue
        kills += 1
        interim = interim_record(d)
        bad = torn(old, new, manifest(d), interim=interim)
        if bad:
            print("FAIL: killed at step %d of %d, torn:\n  %s" % (k, n, "\n  ".join(bad)))
            failures += 1
        st = status(d) if interim else None
        if interim and (st.returncode != 2 or "interrupted" not in st.stdout):
            print("FAIL: killed at step %d, status: exit %d, %s" % (k, st.returncode, st.stdout))
            failures += 1
        # Kill, then go back to the previous profile: nothing of web's may stay.
        d2 = d + "-back"
        shutil.rmtree(d2, ignore_errors=True)
        shutil.copytree(d, d2, symlinks=True)
        res = run(d2, "old")
        bad = torn(old, back, manifest(d2), temps_ok=False)
        st = status(d2)
        if res.returncode != 0 or bad or st.returncode != 0 or "State: in force" not in st.stdout:
            print("FAIL: killed at step %d, then apply old: exit %d, status exit %d, left:\n  %s\n%s%s"
                  % (k, res.returncode, st.returncode, "\n  ".join(bad), res.stderr, st.stdout))
            failures += 1
        shutil.rmtree(d2, ignore_errors=True)
        res = run(d, "web")
        if res.returncode != 0 or manifest(d) != new:
            print("FAIL: after a kill at step %d, a new apply did not finish the job: %s" % (k, res.stderr))
            failures += 1

    for f in range(1, n + 1):
        d = fresh()
        res = run(d, "web", HARDENCTL_TEST_FAIL_STEP=f, HARDENCTL_TEST_TRACE_STEPS=1)
        fails += 1
        total = len(steps_of(res))
        if res.returncode != 1 or "failed:" not in res.stderr or "Rolled back" not in res.stderr:
            print("FAIL: failing step %d: exit %d, %s" % (f, res.returncode, res.stderr))
            failures += 1
        if manifest(d, dirs=True) != old_d:
            print("FAIL: failing step %d did not roll back to the old tree" % f)
            failures += 1
        for k in range(f + 1, total + 1):
            d = fresh()
            res = run(d, "web", HARDENCTL_TEST_FAIL_STEP=f, HARDENCTL_TEST_KILL_STEP=k)
            rollback_kills += 1
            if res.returncode != -9:
                print("FAIL: kill at rollback step %d after failing %d: exit %d" % (k, f, res.returncode))
                failures += 1
                continue
            bad = torn(old, new, manifest(d), interim=interim_record(d))
            if bad:
                print("FAIL: failed at %d, killed in the rollback at %d, torn:\n  %s" % (f, k, "\n  ".join(bad)))
                failures += 1

    print("%d steps; %d kills during the apply, %d failures rolled back, %d kills during rollbacks; %d problems"
          % (n, kills, fails, rollback_kills, failures))
finally:
    shutil.rmtree(work, ignore_errors=True)

sys.exit(1 if failures else 0)
