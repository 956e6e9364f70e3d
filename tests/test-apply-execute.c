/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* hardenctl apply as a library, carrying a plan out: nothing written outside the root, a failure
 * injected at every step, each time checking that the tree is exactly as before, the record and what
 * it lets go, the live kernel steps, the units restarted, and the temporary files of atomic writes.
 * Nothing here touches the host: files live in a temporary directory, /sys and /proc/sys are fake
 * trees, and systemd is stood in for. */

#include <limits.h>
#include <sys/stat.h>

#include "apply-fixture.h"
#include "atomic-file.h"
#include "strv.h"

START_TEST(test_plan_escape) {
        _cleanup_(profile_freep) Profile *p = load(profile_text);
        _cleanup_(plan_freep) Plan *plan = NULL;
        _cleanup_free_ char *outside = test_tmpdir(), *link = NULL, *victim = NULL;
        struct stat st;

        /* /etc/audit is an absolute symlink and /etc/sysctl.d a ".." chain: both resolve inside the root. */
        victim = path_join(outside, "victim");
        link = path_join(root, "etc/audit");
        test_write(root, "etc/.keep", "");
        ck_assert_int_eq(symlink(outside, link), 0);
        free(link);
        link = path_join(root, "etc/sysctl.d");
        ck_assert_int_eq(symlink("../../../../../../../../tmp", link), 0);

        /* Dangling inside the root: refused when planning, nothing made anywhere. */
        build(p, APPLY_IMAGE, NULL, -ELOOP);
        ck_assert_int_eq(access(victim, F_OK), -1);
        {
                _cleanup_free_ char *in = strprintf("%s/.keep", outside + 1);
                test_write(root, in, "");
                test_write(root, "tmp/.keep", "");
        }

        plan = build(p, APPLY_IMAGE, NULL, 0);
        {
                ApplyTargets t = { .root_fd = root_fd, .proc_sys_fd = -EBADF, .sys_fd = -EBADF, .audit_fd = -1 };
                _cleanup_free_ char *error = NULL;
                ApplyResult res;

                ck_assert_msg(plan_execute(plan, &t, &res, &error) == 0, "%s", strna(error));
        }
        /* Written below the root: ROOT/<outside>/rules.d/… and ROOT/tmp/…; nothing outside it. */
        ck_assert_int_ne(stat(outside, &st), -1);
        {
                _cleanup_free_ char *in = strprintf("%s%s/rules.d/50-hardenctl.rules", root, outside),
                                    *in2 = path_join(root, "tmp/" APPLY_SYSCTL_NAME),
                                    *out = path_join(outside, "rules.d");

                ck_assert_int_eq(stat(in, &st), 0);
                ck_assert_int_eq(stat(in2, &st), 0);
                ck_assert_int_eq(stat(out, &st), -1);
                ck_assert_int_eq(access("/tmp/" APPLY_SYSCTL_NAME, F_OK), -1);
        }
        test_tmpdir_remove(TAKE_PTR(outside));
}
END_TEST

/* ---- carrying out, and failing at every step */

typedef struct Hook {
        unsigned step, fail_at;
} Hook;

static int hook_fn(void *userdata, const char *what, const char *path) {
        Hook *h = userdata;
        return ++h->step == h->fail_at ? -EIO : 0;
}

/* The whole tree below root as text: every path, its type and content, sorted. */
static int snap_one(const char *p, const struct stat *st, int type, struct FTW *f);
static char **snap_lines;
static size_t snap_skip;

static int snap_one(const char *p, const struct stat *st, int type, struct FTW *f) {
        char *l = NULL;

        if (type == FTW_SL) {
                char t[PATH_MAX] = {};
                ck_assert_int_ge(readlink(p, t, sizeof(t) - 1), 0);
                l = strprintf("L %s %s", p + snap_skip, t);
        } else if (type == FTW_F) {
                _cleanup_close_ int fd = open(p, O_RDONLY | O_CLOEXEC);
                _cleanup_free_ char *c = NULL;
                ck_assert_int_ge(fd, 0);
                ck_assert_int_eq(read_full_fd(fd, 1 << 20, &c, NULL), 0);
                l = strprintf("F %s %o %s", p + snap_skip, st->st_mode & 07777, c);
        } else
                l = strprintf("D %s", p + snap_skip);
        ck_assert_int_eq(strv_consume(&snap_lines, l), 0);
        return 0;
}

static char *snapshot(void) {
        char *s;

        snap_lines = NULL;
        snap_skip = strlen(root);
        ck_assert_int_eq(nftw(root, snap_one, 16, FTW_PHYS), 0);
        strv_sort(snap_lines);
        s = strv_join(snap_lines, "\n");
        strv_free(snap_lines);
        return s;
}

/* The state an earlier apply of another profile left: its drop-in must go, its sysctl file changes. */
static void reset_old(const Profile *old) {
        _cleanup_free_ char *etc = path_join(root, "etc");

        (void) nftw(etc, rm_one, 16, FTW_DEPTH | FTW_PHYS);
        test_write(root, "etc/selinux/config", "SELINUX=permissive\n");
        apply_or_die(old, "old", NULL, 0, NULL, NULL);
}

START_TEST(test_execute_rollback_every_step) {
        _cleanup_(profile_freep) Profile *p = load(profile_text), *old_p = NULL;
        _cleanup_free_ char *before = NULL, *after = NULL;
        unsigned steps;

        test_write(root, "usr/lib/hardenctl/profiles/old.profile",
                   "[Kernel]\nSysctl=kernel.kptr_restrict=1\n[Services]\nConfine=old.service\nPrivateTmp=yes\n");
        {
                _cleanup_(profile_diags_done) ProfileDiags diags = {};
                ProfileLoadOptions o = { .root_fd = root_fd, .flags = PROFILE_LOAD_KEEP_TEXT };

                ck_assert_int_eq(profile_load(&o, "old", &old_p, &diags), 0);
        }
        reset_old(old_p);
        before = snapshot();

        /* Count the steps of a clean run. */
        {
                Hook h = {};
                ApplyHook hook = { hook_fn, &h };

                apply_or_die(p, "t", &hook, 0, NULL, NULL);
                steps = h.step;
                after = snapshot();
        }
        ck_assert_str_ne(before, after);
        ck_assert_uint_gt(steps, 20);

        for (unsigned fail = 1; fail <= steps; fail++) {
                _cleanup_free_ char *now = NULL, *error = NULL;
                Hook h = { .fail_at = fail };
                ApplyHook hook = { hook_fn, &h };
                ApplyResult res;

                reset_old(old_p);
                apply_or_die(p, "t", &hook, -EIO, &res, &error);
                ck_assert_ptr_nonnull(error);
                ck_assert(!res.rollback_failed);
                now = snapshot();
                ck_assert_msg(streq(now, before), "failing at step %u of %u (%s) left:\n%s\ninstead of:\n%s", fail,
                              steps, error, now, before);
        }

        /* Done for real, twice: the second time there is nothing to do. */
        reset_old(old_p);
        apply_or_die(p, "t", NULL, 0, NULL, NULL);
        {
                _cleanup_free_ char *now = snapshot();
                _cleanup_(plan_freep) Plan *plan = build(p, APPLY_IMAGE, NULL, 0);

                ck_assert_str_eq(now, after);
                ck_assert_uint_eq(plan_n_changes(plan), 0);
        }
}
END_TEST

START_TEST(test_plan_stale_keeps_admin_files) {
        _cleanup_(profile_freep) Profile *p = load("[Services]\n"
                                                   "Confine=web.service\nConfine=db.service\nNoNewPrivileges=yes\n"
                                                   "Mask=debug-shell.service\nMask=rescue.service\n"),
                                         *q = NULL;
        _cleanup_free_ char *record = NULL, *edited = NULL, *c = NULL;
        _cleanup_(plan_freep) Plan *plan = NULL;
        struct stat st;

        apply_or_die(p, "t", NULL, 0, NULL, NULL);

        /* The admin puts a unit of their own where the mask was, and edits one drop-in. */
        ck_assert_int_eq(unlinkat(root_fd, "etc/systemd/system/debug-shell.service", 0), 0);
        test_write(root, "etc/systemd/system/debug-shell.service", "[Service]\nExecStart=/bin/true\n");
        test_write(root, "etc/systemd/system/web.service.d/99-hardenctl-confine.conf", "[Service]\nPrivateTmp=yes\n");
        /* The record names files apply never wrote: someone else's drop-in and unit, a wants link. */
        test_write(root, "etc/systemd/system/web.service.d/10-local.conf", "[Service]\nUser=web\n");
        test_write(root, "etc/systemd/system/local.service",
                   "# Automatically generated by hardenctl apply from profile x.\n");
        test_write(root, "etc/systemd/system/multi-user.target.wants/local.service", "[Unit]\n");
        record = read_below_root("etc/hardenctl/applied");
        ck_assert_ptr_nonnull(record);
        edited = strprintf("%sFile=/etc/systemd/system/web.service.d/10-local.conf\n"
                           "File=/etc/systemd/system/local.service\n"
                           "File=/etc/systemd/system/multi-user.target.wants/local.service\n"
                           "File=/etc/systemd/system/x/../local.service\n",
                           record);
        test_write(root, "etc/hardenctl/applied", edited);

        /* A profile without [Services]: only what is still as apply wrote it goes. */
        test_write(root, "usr/lib/hardenctl/profiles/q.profile", "[Kernel]\nSysctl=kernel.kptr_restrict=2\n");
        {
                _cleanup_(profile_diags_done) ProfileDiags diags = {};
                ProfileLoadOptions o = { .root_fd = root_fd, .flags = PROFILE_LOAD_KEEP_TEXT };

                ck_assert_int_eq(profile_load(&o, "q", &q, &diags), 0);
        }
        plan = build(q, APPLY_IMAGE, NULL, 0);
        ck_assert_ptr_nonnull(find_file(plan, "/etc/systemd/system/rescue.service"));
        ck_assert_ptr_nonnull(find_file(plan, "/etc/systemd/system/db.service.d/99-hardenctl-confine.conf"));
        ck_assert_ptr_null(find_file(plan, "/etc/systemd/system/debug-shell.service"));
        ck_assert_ptr_null(find_file(plan, "/etc/systemd/system/web.service.d/99-hardenctl-confine.conf"));
        ck_assert_ptr_null(find_file(plan, "/etc/systemd/system/web.service.d/10-local.conf"));
        ck_assert_ptr_null(find_file(plan, "/etc/systemd/system/local.service"));
        ck_assert_ptr_null(find_file(plan, "/etc/systemd/system/multi-user.target.wants/local.service"));
        ck_assert(strv_contains(plan->notes, "/etc/systemd/system/debug-shell.service is no longer wanted, but it is not as "
                                             "hardenctl apply wrote it; left as it is"));
        ck_assert(strv_contains(plan->notes, "/etc/systemd/system/web.service.d/99-hardenctl-confine.conf is no longer "
                                             "wanted, but it is not as hardenctl apply wrote it; left as it is"));

        apply_or_die(q, "q", NULL, 0, NULL, NULL);
        ck_assert_ptr_nonnull(c = read_below_root("etc/systemd/system/debug-shell.service"));
        ck_assert_str_eq(c, "[Service]\nExecStart=/bin/true\n");
        ck_assert_int_eq(fstatat(root_fd, "etc/systemd/system/web.service.d/99-hardenctl-confine.conf", &st, 0), 0);
        ck_assert_int_eq(fstatat(root_fd, "etc/systemd/system/web.service.d/10-local.conf", &st, 0), 0);
        ck_assert_int_eq(fstatat(root_fd, "etc/systemd/system/local.service", &st, 0), 0);
        ck_assert_int_eq(fstatat(root_fd, "etc/systemd/system/multi-user.target.wants/local.service", &st, 0), 0);
        ck_assert_int_eq(fstatat(root_fd, "etc/systemd/system/rescue.service", &st, AT_SYMLINK_NOFOLLOW), -1);
        ck_assert_int_eq(fstatat(root_fd, "etc/systemd/system/db.service.d/99-hardenctl-confine.conf", &st, 0), -1);
}
END_TEST

/* A fake /sys and /proc/sys below the root, as a kernel with module signing and lockdown shows them. */
static void fake_kernel(LiveState *live, const char *sig, const char *lockdown, const char *disabled) {
        _cleanup_free_ char *sys = path_join(root, "sys"), *proc_sys = path_join(root, "proc-sys");

        if (sig)
                test_write(root, "sys/module/module/parameters/sig_enforce", sig);
        if (lockdown)
                test_write(root, "sys/kernel/security/lockdown", lockdown);
        if (disabled)
                test_write(root, "proc-sys/kernel/modules_disabled", disabled);
        test_write(root, "sys/.keep", "");
        test_write(root, "proc-sys/.keep", "");
        safe_close(live->sys_fd);
        safe_close(live->proc_sys_fd);
        live->sys_fd = open(sys, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        live->proc_sys_fd = open(proc_sys, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        ck_assert_int_ge(live->sys_fd, 0);
        ck_assert_int_ge(live->proc_sys_fd, 0);
}

typedef struct NamedFail {
        const char *fail; /* the step to fail */
        char **steps;
} NamedFail;

static int named_fail_fn(void *userdata, const char *what, const char *path) {
        NamedFail *n = userdata;

        ck_assert_int_eq(strv_extend(&n->steps, what), 0);
        return n->fail && streq(what, n->fail) ? -EIO : 0;
}

static void execute_kernel(const Plan *plan, const LiveState *live, NamedFail *n, int expect, ApplyResult *res,
                           char **ret_error) {
        ApplyTargets t = { .root_fd = root_fd,
                           .proc_sys_fd = live->proc_sys_fd,
                           .sys_fd = live->sys_fd,
                           .audit_fd = -1,
                           .hook = { named_fail_fn, n } };
        _cleanup_free_ char *error = NULL;

        ck_assert_msg(plan_execute(plan, &t, res, &error) == expect, "%s", strna(error));
        if (ret_error)
                *ret_error = TAKE_PTR(error);
}

START_TEST(test_plan_kernel_live) {
        _cleanup_(profile_freep) Profile *p =
                load("[Kernel]\nLockdown=integrity\nModuleLoading=signed\nSysctl=kernel.kptr_restrict=2\n");
        _cleanup_(live_state_done) LiveState live = LIVE_STATE_NULL;
        _cleanup_(plan_freep) Plan *plan = NULL;
        _cleanup_free_ char *c = NULL, *steps = NULL;
        NamedFail n = {};
        ApplyResult res;

        test_write(root, "proc-sys/kernel/kptr_restrict", "0\n");
        fake_kernel(&live, "N\n", "[none] integrity confidentiality\n", "0\n");

        /* Read first, then planned last, in this order; and not in an image. */
        plan = build(p, APPLY_RUNTIME, &live, 0);
        ck_assert_uint_eq(plan->n_live, 3);
        ck_assert_int_eq(plan->live[0].type, PLAN_SYSCTL);
        ck_assert_int_eq(plan->live[1].type, PLAN_MODULE_SIG_ENFORCE);
        ck_assert_str_eq(plan->live[1].old_value, "N");
        ck_assert_int_eq(plan->live[2].type, PLAN_LOCKDOWN);
        ck_assert_str_eq(plan->live[2].old_value, "none");
        ck_assert_str_eq(plan->live[2].new_value, "integrity");
        ck_assert(strv_contains(plan->notes, "there is no boot profile (/usr/lib/hardenctl/active.profile): nothing sets "
                                             "Lockdown= and ModuleLoading= again at the next boot"));
        {
                _cleanup_free_ char *d = plan_live_describe(plan->live + 2);
                ck_assert_str_eq(d, "kernel lockdown: none → integrity (cannot be undone)");
        }
        {
                _cleanup_(plan_freep) Plan *image = build(p, APPLY_IMAGE, NULL, 0);
                ck_assert_uint_eq(image->n_live, 0);
                ck_assert(strv_contains(image->notes, "Lockdown= and ModuleLoading= change the running kernel: in an image "
                                                      "they take effect at boot only, through the boot profile "
                                                      "(hardenctl-kernel.service)"));
        }

        /* A failure at the first step that cannot be undone: everything else is, completely. */
        n = (NamedFail){ .fail = "sig-enforce" };
        execute_kernel(plan, &live, &n, -EIO, &res, NULL);
        ck_assert(!res.rollback_failed);
        ck_assert_ptr_nonnull(c = read_below_root("proc-sys/kernel/kptr_restrict"));
        ck_assert_str_eq(c, "0\n");
        ck_assert_ptr_null(read_below_root("run/hardenctl/applied"));
        strv_free(n.steps);

        /* A failure after one succeeded: the rollback is incomplete, and says what stays. */
        n = (NamedFail){ .fail = "lockdown" };
        {
                _cleanup_free_ char *error = NULL, *sig = NULL;

                execute_kernel(plan, &live, &n, -EIO, &res, &error);
                ck_assert(res.rollback_failed);
                ck_assert_msg(strstr(error, "rollback incomplete: already done: kernel: only signed modules load from now on "
                                            "(sig_enforce: N → Y; cannot be undone)"),
                              "%s", error);
                ck_assert_ptr_nonnull(sig = read_below_root("sys/module/module/parameters/sig_enforce"));
                ck_assert_str_eq(sig, "1\n");
                ck_assert_ptr_null(read_below_root("run/hardenctl/applied"));
        }
        strv_free(n.steps);

        /* Done for real: after the record, in order. */
        fake_kernel(&live, "N\n", NULL, NULL);
        n = (NamedFail){};
        execute_kernel(plan, &live, &n, 0, &res, NULL);
        steps = strv_join(n.steps, " ");
        ck_assert_msg(endswith(steps, "rename sync-dir sig-enforce lockdown"), "%s", steps);
        free(c);
        ck_assert_ptr_nonnull(c = read_below_root("sys/kernel/security/lockdown"));
        ck_assert_str_eq(c, "integrity\n");
        strv_free(n.steps);
        plan = plan_free(plan);

        /* As the kernel then shows them: nothing left to do. At or above the level is enough. */
        fake_kernel(&live, "Y\n", "none [integrity] confidentiality\n", NULL);
        plan = build(p, APPLY_RUNTIME, &live, 0);
        ck_assert_uint_eq(plan_n_changes(plan), 0);
        plan = plan_free(plan);
        fake_kernel(&live, NULL, "none integrity [confidentiality]\n", NULL);
        plan = build(p, APPLY_RUNTIME, &live, 0);
        ck_assert_uint_eq(plan_n_changes(plan), 0);
        plan = plan_free(plan);

        /* A kernel without module signing: refused; without the lockdown LSM: a note. */
        ck_assert_int_eq(unlinkat(root_fd, "sys/module/module/parameters/sig_enforce", 0), 0);
        build(p, APPLY_RUNTIME, &live, -EOPNOTSUPP);
        ck_assert_int_eq(unlinkat(root_fd, "proc-sys/kernel/modules_disabled", 0), 0);
        ck_assert_int_eq(unlinkat(root_fd, "sys/kernel/security/lockdown", 0), 0);
        plan = build(p, APPLY_RUNTIME, &live, 0);
        ck_assert(strv_contains(
                plan->notes, "the running kernel cannot load modules at all; ModuleLoading=signed needs nothing live"));
        ck_assert(strv_contains(plan->notes, "the running kernel has no lockdown LSM (no /sys/kernel/security/lockdown); "
                                             "Lockdown=integrity is not set live"));
        ck_assert_ptr_null(find_live(plan, PLAN_LOCKDOWN));
        plan = plan_free(plan);

        /* Tests never change the real kernel: without a fake /sys, refused. */
        live.sys_fd = safe_close(live.sys_fd);
        live.test_keep_sys = true;
        build(p, APPLY_RUNTIME, &live, -EPERM);
}
END_TEST

START_TEST(test_plan_modules_locked) {
        _cleanup_(profile_freep) Profile *p = load("[Kernel]\nModuleLoading=locked\n");
        _cleanup_(live_state_done) LiveState live = LIVE_STATE_NULL;
        _cleanup_(plan_freep) Plan *plan = NULL;
        _cleanup_free_ char *c = NULL;
        const PlanLive *l;
        NamedFail n = {};
        ApplyResult res;

        test_write(root, "usr/lib/hardenctl/active.profile", "[Kernel]\nModuleLoading=locked\n");
        fake_kernel(&live, "N\n", NULL, "0\n");
        plan = build(p, APPLY_HOST, &live, 0);
        ck_assert_ptr_nonnull(l = find_live(plan, PLAN_MODULES_DISABLED));
        ck_assert_str_eq(l->old_value, "0");
        ck_assert_ptr_null(find_live(plan, PLAN_MODULE_SIG_ENFORCE));
        ck_assert_ptr_null(plan->notes); /* a boot profile puts it in force at the next boot */
        execute_kernel(plan, &live, &n, 0, &res, NULL);
        strv_free(n.steps);
        ck_assert_ptr_nonnull(c = read_below_root("proc-sys/kernel/modules_disabled"));
        ck_assert_str_eq(c, "1\n");
        plan = plan_free(plan);
        plan = build(p, APPLY_HOST, &live, 0);
        ck_assert_uint_eq(plan_n_changes(plan), 0);
        plan = plan_free(plan);

        /* The same through Sysctl=: never an ordinary sysctl step, which a rollback would try to undo. */
        {
                _cleanup_(profile_freep) Profile *q = load("[Kernel]\nSysctl=kernel.modules_disabled=1\n"),
                                                 *z = load("[Kernel]\nSysctl=kernel.modules_disabled=0\n");

                plan = build(q, APPLY_HOST, &live, 0);
                ck_assert_uint_eq(plan->n_live, 0);
                plan = plan_free(plan);
                fake_kernel(&live, NULL, NULL, "0\n");
                plan = build(q, APPLY_HOST, &live, 0);
                ck_assert_uint_eq(count_live(plan, PLAN_SYSCTL), 0);
                ck_assert_uint_eq(count_live(plan, PLAN_MODULES_DISABLED), 1);
                plan = plan_free(plan);
                fake_kernel(&live, NULL, NULL, "1\n");
                plan = build(z, APPLY_HOST, &live, 0);
                ck_assert_uint_eq(plan->n_live, 0);
                ck_assert(strv_contains(
                        plan->notes, "sysctl kernel.modules_disabled is 1: module loading stays locked until reboot"));
        }
}
END_TEST

typedef struct Trace {
        unsigned step, fail_at;
        char **steps;
} Trace;

/* Records every step; stands in for systemd (reload and restart "succeed"); fails step fail_at. */
static int trace_fn(void *userdata, const char *what, const char *path) {
        Trace *t = userdata;

        ck_assert_int_eq(strv_consume(&t->steps, strprintf("%s %s", what, path)), 0);
        if (++t->step == t->fail_at)
                return -EIO;
        return streq(what, "daemon-reload") || streq(what, "try-restart");
}

START_TEST(test_execute_rollback_restarts_failed_unit) {
        _cleanup_(profile_freep) Profile *p = load("[Services]\nConfine=web.service\nNoNewPrivileges=yes\n");
        _cleanup_(live_state_done)
                LiveState live = { .proc_sys_fd = -EBADF, .sys_fd = -EBADF, .selinux = -1, .systemd = true };
        _cleanup_(plan_freep) Plan *plan = NULL;
        _cleanup_free_ char *error = NULL, *steps = NULL;
        _cleanup_strv_free_ char **clean = NULL;
        Trace t = {};
        ApplyTargets targets = {
                .root_fd = root_fd, .proc_sys_fd = -EBADF, .sys_fd = -EBADF, .audit_fd = -1, .hook = { trace_fn, &t }
        };
        ApplyResult res;
        unsigned restart = 0;

        plan = build(p, APPLY_RUNTIME, &live, 0);
        ck_assert_uint_eq(count_live(plan, PLAN_UNIT_RESTART), 1);

        /* A clean run, with systemd stood in for: which step is the restart? Then undo it by hand. */
        ck_assert_int_eq(plan_execute(plan, &targets, &res, &error), 0);
        clean = TAKE_PTR(t.steps);
        for (size_t i = 0; clean[i]; i++)
                if (streq(clean[i], "try-restart web.service"))
                        restart = i + 1;
        ck_assert_uint_gt(restart, 0);
        {
                _cleanup_free_ char *run = path_join(root, "run");
                ck_assert_int_eq(nftw(run, rm_one, 16, FTW_DEPTH | FTW_PHYS), 0);
        }

        /* The restart fails: a try-restart stops the unit before it starts it, so the unit may be
         * down. The rollback reloads the old unit files and restarts it again. */
        t = (Trace){ .fail_at = restart };
        ck_assert_int_eq(plan_execute(plan, &targets, &res, &error), -EIO);
        ck_assert(!res.rollback_failed);
        steps = strv_join(t.steps + restart, "\n");
        ck_assert_msg(strstr(steps, "daemon-reload daemon-reload\ntry-restart web.service"),
                      "no restart in the rollback:\n%s", steps);
        strv_free(t.steps);
}
END_TEST

START_TEST(test_plan_restart_removed_dropin) {
        _cleanup_(profile_freep) Profile *p = load("[Services]\nConfine=web.service\nNoNewPrivileges=yes\n"
                                                   "[SELinux]\nContext=db.service system_u:system_r:db_t:s0\n"),
                                         *q = NULL;
        _cleanup_(live_state_done)
                LiveState live = { .proc_sys_fd = -EBADF, .sys_fd = -EBADF, .selinux = -1, .systemd = true };
        _cleanup_(plan_freep) Plan *plan = NULL;
        Trace t = {};
        ApplyTargets targets = {
                .root_fd = root_fd, .proc_sys_fd = -EBADF, .sys_fd = -EBADF, .audit_fd = -1, .hook = { trace_fn, &t }
        };
        ApplyResult res;

        plan = build(p, APPLY_RUNTIME, &live, 0);
        ck_assert_int_eq(plan_execute(plan, &targets, &res, NULL), 0);
        strv_free(t.steps);
        plan = plan_free(plan);

        /* Neither drop-in is wanted any more: both units are restarted without it. */
        test_write(root, "usr/lib/hardenctl/profiles/q.profile", "[Kernel]\nSysctl=kernel.kptr_restrict=2\n");
        {
                _cleanup_(profile_diags_done) ProfileDiags diags = {};
                ProfileLoadOptions o = { .root_fd = root_fd, .flags = PROFILE_LOAD_KEEP_TEXT };

                ck_assert_int_eq(profile_load(&o, "q", &q, &diags), 0);
        }
        plan = build(q, APPLY_RUNTIME, &live, 0);
        ck_assert_ptr_null(find_file(plan, "/run/systemd/system/web.service.d/99-hardenctl-confine.conf")->new);
        ck_assert_uint_eq(count_live(plan, PLAN_DAEMON_RELOAD), 1);
        ck_assert_uint_eq(count_live(plan, PLAN_UNIT_RESTART), 2);
        ck_assert_str_eq(find_live(plan, PLAN_UNIT_RESTART)->name, "web.service");
        ck_assert_str_eq(plan->live[plan->n_live - 1].name, "db.service");
        t = (Trace){};
        ck_assert_int_eq(plan_execute(plan, &targets, &res, NULL), 0);
        strv_free(t.steps);
        plan = plan_free(plan);
        plan = build(q, APPLY_RUNTIME, &live, 0);
        ck_assert_uint_eq(plan_n_changes(plan), 0);
}
END_TEST

START_TEST(test_tmp_names) {
        _cleanup_free_ char *name = malloc(NAME_MAX + 1), *tmp = NULL, *c = NULL;
        _cleanup_close_ int dir_fd = -EBADF;
        bool renamed;
        struct stat st;

        /* A name of NAME_MAX bytes (a long unit name): its temporary file still fits. */
        ck_assert_ptr_nonnull(name);
        memset(name, 'u', NAME_MAX);
        name[NAME_MAX] = 0;
        ck_assert_int_eq(atomic_file_tmp_name(name, &tmp), 0);
        ck_assert_uint_le(strlen(tmp), NAME_MAX);
        ck_assert(startswith(tmp, ATOMIC_FILE_TMP_PREFIX "uuu"));
        ck_assert(atomic_file_tmp_name_is(tmp));
        tmp = mfree(tmp);
        ck_assert_int_eq(atomic_file_tmp_name("short.conf", &tmp), 0);
        ck_assert_uint_eq(strlen(tmp), strlen(ATOMIC_FILE_TMP_PREFIX "short.conf.") + 16);
        ck_assert(atomic_file_tmp_name_is(tmp));
        ck_assert(!atomic_file_tmp_name_is(".#hardenctl.notes"));
        ck_assert(!atomic_file_tmp_name_is(".#hardenctl.x.0123456789abcdeg"));
        ck_assert(!atomic_file_tmp_name_is("hardenctl.x.0123456789abcdef"));

        test_write(root, "d/.keep", "");
        dir_fd = openat(root_fd, "d", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        ck_assert_int_ge(dir_fd, 0);
        ck_assert_int_eq(dir_write_atomic(dir_fd, name, "/d/long", "x\n", 0644, geteuid(), getegid(), NULL, &renamed), 0);
        ck_assert(renamed);
        ck_assert_int_eq(fstatat(dir_fd, name, &st, 0), 0);
        ck_assert_int_eq(dir_symlink_atomic(dir_fd, name, "/d/long", "/dev/null", NULL, &renamed), 0);

        /* What a crash leaves behind is recognised and removed, long names too; nothing else is. */
        tmp = mfree(tmp);
        ck_assert_int_eq(atomic_file_tmp_name(name, &tmp), 0);
        {
                _cleanup_free_ char *p = strprintf("d/%s", tmp);
                test_write(root, p, "torn");
        }
        test_write(root, "d/.#hardenctl.notes", "mine\n");
        ck_assert_int_eq(atomic_file_remove_stale_at(dir_fd), 1);
        ck_assert_int_eq(fstatat(dir_fd, tmp, &st, AT_SYMLINK_NOFOLLOW), -1);
        ck_assert_int_eq(fstatat(dir_fd, ".#hardenctl.notes", &st, 0), 0);
}
END_TEST

static Suite *suite(void) {
        Suite *s = suite_create("apply-execute");
        TCase *tp = tcase_create("execute");

        tcase_add_checked_fixture(tp, setup, teardown);
        tcase_add_test(tp, test_plan_escape);
        tcase_add_test(tp, test_execute_rollback_every_step);
        tcase_add_test(tp, test_plan_stale_keeps_admin_files);
        tcase_add_test(tp, test_plan_kernel_live);
        tcase_add_test(tp, test_plan_modules_locked);
        tcase_add_test(tp, test_execute_rollback_restarts_failed_unit);
        tcase_add_test(tp, test_plan_restart_removed_dropin);
        tcase_add_test(tp, test_tmp_names);
        tcase_set_timeout(tp, 120);
        suite_add_tcase(s, tp);
        return s;
}

TEST_MAIN(suite)
