/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <fcntl.h>
#include <pwd.h>
#include <selinux/selinux.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <systemd/sd-bus.h>
#include <systemd/sd-journal.h>
#include <time.h>

#include "apply-common.h"
#include "apply-exec.h"
#include "boot.h"
#include "config.h"
#include "fs-util.h"
#include "hardenctl.h"
#include "journal-ids.h"
#include "log.h"
#include "parse-util.h"
#include "path-util.h"
#include "profile-load.h"
#include "string-table.h"
#include "string-util.h"
#include "strv.h"
#include "test-hooks.h"
#include "time-util.h"

ApplyScope apply_scope_from_args(void) {
        return arg_root ? APPLY_IMAGE : arg_runtime ? APPLY_RUNTIME : APPLY_HOST;
}

static const char *const apply_scope_table[_APPLY_SCOPE_MAX] = {
        [APPLY_HOST] = "host",
        [APPLY_RUNTIME] = "runtime",
        [APPLY_IMAGE] = "image",
};

DEFINE_STRING_TABLE_LOOKUP_TO_STRING(apply_scope, ApplyScope);

int apply_live_state(ApplyScope scope, LiveState *ret, int *ret_audit_fd) {
        const char *selinuxfs = test_hook_env("HARDENCTL_TEST_SELINUXFS");
        LiveOptions o = {
                .proc_sys = test_hook_env("HARDENCTL_TEST_PROC_SYS"),
                .sysfs = test_hook_env("HARDENCTL_TEST_SYSFS"),
                .audit = true,
                .audit_key = test_hook_env("HARDENCTL_TEST_AUDIT_KEY"),
                .systemd = true,
        };

        if (scope == APPLY_IMAGE) {
                *ret = (LiveState) LIVE_STATE_NULL;
                *ret_audit_fd = -1;
                return 0;
        }
        if (!isempty(selinuxfs)) {
                /* Test only: libselinux reads and writes "enforce" in this directory instead. */
                set_selinuxmnt(selinuxfs);
                o.fake_selinux = true;
                o.selinuxfs = selinuxfs;
        }
        if (o.proc_sys || o.sysfs || o.fake_selinux || o.audit_key) {
                o.systemd = false; /* never reload or restart the host's services from a test */
                o.test = true;     /* nor change the kernel's settings */
        }
        return live_state_read(&o, ret, ret_audit_fd);
}

int apply_load_profile(int root_fd, const char *spec, bool spec_in_root, Profile **ret) {
        _cleanup_strv_free_ char **search_path = NULL;
        _cleanup_close_ int fd = -EBADF;
        ProfileLoadOptions o;
        int r;

        r = load_options_init(&o, &fd, &search_path);
        if (r < 0)
                return r;
        o.flags |= PROFILE_LOAD_KEEP_TEXT;
        if (spec_in_root)
                o.flags |= PROFILE_LOAD_PATHS_IN_ROOT;

        /* The record names the boot profile by its path. */
        return load_profile(&o, streq(spec, BOOT_PROFILE_PATH) ? NULL : spec, ret);
}

int apply_spec_absolute(const char *spec, char **ret) {
        _cleanup_free_ char *cwd = NULL;

        if (!profile_spec_is_path(spec) || path_is_absolute(spec)) {
                *ret = strdup(spec);
                return *ret ? 0 : -ENOMEM;
        }
        cwd = get_current_dir_name();
        if (!cwd)
                return negative_errno();
        *ret = strprintf("%s/%s", cwd, spec);
        return *ret ? 0 : -ENOMEM;
}

/* ---- test hooks: failure injection and crash points, from the environment (test only) */

#define TEST_FAIL_STEPS_MAX 8

typedef struct TestHook {
        unsigned step, kill_at;
        unsigned fail_at[TEST_FAIL_STEPS_MAX]; /* 0: unused */
        bool trace;
} TestHook;

static int test_hook(void *userdata, const char *what, const char *path) {
        TestHook *h = userdata;

        h->step++;
        if (h->trace)
                fprintf(stderr, "hardenctl-step %u: %s %s\n", h->step, what, path);
        if (h->kill_at == h->step)
                (void) raise(SIGKILL);
        for (size_t i = 0; i < ELEMENTSOF(h->fail_at); i++)
                if (h->fail_at[i] == h->step)
                        return -EIO;
        return 0;
}

static void test_hook_init(TestHook *h) {
        const char *e;

        *h = (TestHook){};
        /* A comma-separated list of steps, e.g. one of the apply and one of its rollback. */
        if (!HAVE_TEST_HOOKS)
                return;
        e = secure_getenv("HARDENCTL_TEST_FAIL_STEP");
        for (size_t i = 0; e && *e && i < ELEMENTSOF(h->fail_at); i++) {
                _cleanup_free_ char *n = strndup(e, strcspn(e, ","));

                if (!n || safe_atou(n, &h->fail_at[i]) < 0)
                        h->fail_at[i] = 0;
                e += strcspn(e, ",");
                e += *e == ',';
        }
        e = secure_getenv("HARDENCTL_TEST_KILL_STEP");
        if (e && safe_atou(e, &h->kill_at) < 0)
                h->kill_at = 0;
        h->trace = !isempty(secure_getenv("HARDENCTL_TEST_TRACE_STEPS"));
}

/* ---- the lock */

/* Whether fd is the host's own root directory (--root=/, or a path to it). */
static bool is_host_root(int fd) {
        struct stat a, b;

        return fstat(fd, &a) >= 0 && stat("/", &b) >= 0 && a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

/* apply, when the lock is held: while only readers (status) hold it, waits for them, up to
 * APPLY_LOCK_WAIT_USEC; when an apply holds it, or the readers outstay that, fails. A lock that can be
 * taken shared has no apply holding it. */
static int apply_lock_wait(int fd, const char *what) {
        uint64_t until = now(CLOCK_MONOTONIC) + APPLY_LOCK_WAIT_USEC;
        bool said = false;

        for (;;) {
                const struct timespec pause = { .tv_nsec = 50 * 1000 * 1000 };

                if (flock(fd, LOCK_SH | LOCK_NB) < 0) {
                        if (errno != EWOULDBLOCK)
                                return log_error_errno(errno, "Cannot take the lock %s: %m", what);
                        return log_error_errno(
                                -EBUSY, "Another hardenctl apply is running (lock %s held); nothing changed.", what);
                }
                if (!said) {
                        log_info("Waiting for hardenctl status to finish (lock %s)...", what);
                        said = true;
                }
                /* Holding it shared, it cannot be taken exclusively: let go between tries. */
                (void) flock(fd, LOCK_UN);
                if (now(CLOCK_MONOTONIC) >= until)
                        return log_error_errno(-EBUSY,
                                               "hardenctl status held the lock %s for more than %llu s; nothing changed.",
                                               what, (unsigned long long) (APPLY_LOCK_WAIT_USEC / 1000000));
                (void) nanosleep(&pause, NULL);
                if (flock(fd, LOCK_EX | LOCK_NB) >= 0)
                        return 0;
                if (errno != EWOULDBLOCK)
                        return log_error_errno(errno, "Cannot take the lock %s: %m", what);
        }
}

int apply_lock(int root_fd, ApplyScope scope, bool shared, int *ret_fd) {
        _cleanup_close_ int dir = -EBADF, fd = -EBADF;
        const char *what;

        if (scope == APPLY_IMAGE && !is_host_root(root_fd)) {
                /* The root directory itself: nothing is left in the image. */
                what = arg_root;
                fd = openat(root_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        } else {
                /* The host, at run time or not, and --root=/: one lock. */
                what = APPLY_LOCK_PATH;
                (void) mkdir("/run/hardenctl", 0755);
                dir = open("/run/hardenctl", O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
                if (dir >= 0)
                        fd = openat(dir, "apply.lock",
                                    (shared ? O_RDONLY : O_RDWR) | O_CREAT | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY, 0600);
                if (shared && (dir < 0 || fd < 0) &&
                    (errno == EACCES || errno == EPERM || errno == EROFS || errno == ENOENT)) {
                        /* status without the privileges to take it: it reads what it can see anyway. */
                        log_debug_errno(errno, "Cannot open the lock %s, reading without it: %m", what);
                        *ret_fd = -EBADF;
                        return 0;
                }
                if (dir < 0)
                        return log_error_errno(errno, "Cannot open /run/hardenctl: %m");
        }
        if (fd < 0)
                return log_error_errno(errno, "Cannot open the lock %s: %m", what);
        if (flock(fd, (shared ? LOCK_SH : LOCK_EX) | LOCK_NB) < 0) {
                if (errno != EWOULDBLOCK)
                        return log_error_errno(errno, "Cannot take the lock %s: %m", what);
                if (!shared) {
                        int r = apply_lock_wait(fd, what);

                        if (r < 0)
                                return r;
                } else {
                        /* status waits: it never reads a half-applied state. */
                        log_info("Waiting for hardenctl apply to finish (lock %s)...", what);
                        if (flock(fd, LOCK_SH) < 0)
                                return log_error_errno(errno, "Cannot take the lock %s: %m", what);
                }
        }
        *ret_fd = TAKE_FD(fd);
        return 0;
}

/* ---- the journal */

static void journal_entry(const Plan *p, const ApplyResult *res, int error, const char *error_text) {
        _cleanup_free_ char *login = NULL;
        uid_t uid = getuid(), luid = uid;
        struct passwd *pw;
        int r;

        /* The login uid survives sudo and su: the person, not the role. */
        {
                _cleanup_close_ int fd = open("/proc/self/loginuid", O_RDONLY | O_CLOEXEC);
                _cleanup_free_ char *s = NULL;
                unsigned v;

                if (fd >= 0 && read_full_fd(fd, 64, &s, NULL) >= 0 && safe_atou(strstrip(s), &v) >= 0 && v != UINT32_MAX)
                        luid = (uid_t) v;
        }
        pw = getpwuid(luid);
        login = strdup(pw ? pw->pw_name : "");

        if (error >= 0)
                r = sd_journal_send("MESSAGE=Applied profile %s (%s): %zu change%s.", p->profile_name, p->digest,
                                    res->done, res->done == 1 ? "" : "s", "MESSAGE_ID=" MESSAGE_ID_APPLIED,
                                    "PRIORITY=%i", LOG_NOTICE, FIELD_PROFILE "%s", p->profile_name, FIELD_SPEC "%s",
                                    p->spec, FIELD_DIGEST "%s", p->digest, FIELD_CHANGES "%zu", res->done,
                                    FIELD_SCOPE "%s", apply_scope_to_string(p->scope), FIELD_ROOT "%s", arg_root ?: "/",
                                    FIELD_UID "%u", (unsigned) uid, FIELD_LOGIN_UID "%u", (unsigned) luid,
                                    FIELD_LOGIN_NAME "%s", strempty(login), NULL);
        else
                r = sd_journal_send("MESSAGE=Applying profile %s (%s) failed%s: %s", p->profile_name, p->digest,
                                    res->rollback_failed ? ", and the rollback is incomplete" : " and was rolled back",
                                    strna(error_text), "MESSAGE_ID=" MESSAGE_ID_ROLLED_BACK, "PRIORITY=%i", LOG_ERR,
                                    FIELD_PROFILE "%s", p->profile_name, FIELD_SPEC "%s", p->spec, FIELD_DIGEST "%s",
                                    p->digest, FIELD_CHANGES "%zu", plan_n_changes(p), FIELD_ROLLED_BACK "%zu",
                                    res->rolled_back, FIELD_ROLLBACK_COMPLETE "%s", res->rollback_failed ? "no" : "yes",
                                    FIELD_SCOPE "%s", apply_scope_to_string(p->scope), FIELD_ROOT "%s", arg_root ?: "/",
                                    FIELD_UID "%u", (unsigned) uid, FIELD_LOGIN_UID "%u", (unsigned) luid,
                                    FIELD_LOGIN_NAME "%s", strempty(login), "ERRNO=%i", -error, NULL);
        if (r < 0)
                log_debug_errno(r, "Cannot write to the journal, ignoring: %m");
}

/* The time of the record. */
static uint64_t record_time(ApplyScope scope) {
        uint64_t t;

        /* Reproducible images: the time of the record from the build. A host's record says when the
         * profile was put in force there, whatever the environment says. */
        if (scope == APPLY_IMAGE && getenv_epoch_usec("SOURCE_DATE_EPOCH", &t) > 0)
                return t;
        return now(CLOCK_REALTIME);
}

int verb_apply(int argc, char *argv[]) {
        _cleanup_(profile_freep) Profile *p = NULL;
        _cleanup_(plan_freep) Plan *plan = NULL;
        _cleanup_(live_state_done) LiveState live = LIVE_STATE_NULL;
        _cleanup_(sd_bus_flush_close_unrefp) sd_bus *bus = NULL;
        _cleanup_free_ char *spec = NULL, *error = NULL;
        _cleanup_close_ int root_fd = -EBADF, lock_fd = -EBADF;
        ApplyScope scope = apply_scope_from_args();
        struct selabel_handle *labels = NULL;
        ApplyResult res = {};
        TestHook hook;
        int audit_fd = -1, r;

        r = test_hooks_refuse_env();
        if (r < 0)
                return r;

        if (argc > 1)
                r = apply_spec_absolute(argv[1], &spec);
        else {
                /* The profile boot enforces, below the root. */
                spec = strdup(BOOT_PROFILE_PATH);
                r = spec ? 0 : -ENOMEM;
        }
        if (r < 0)
                return log_oom();
        if (string_has_cc(spec))
                return log_error_errno(-EINVAL,
                                       "The profile's path contains a control character (such as a newline), which "
                                       "the record of the applied profile cannot hold; refusing it. Nothing changed.");

        root_fd = open(arg_root ?: "/", O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (root_fd < 0)
                return log_error_errno(errno, "Cannot open root directory %s: %m", arg_root ?: "/");

        /* Under the lock from planning to the end, so that the plan is made against what is changed. */
        if (!arg_dry_run) {
                r = apply_lock(root_fd, scope, /* shared= */ false, &lock_fd);
                if (r < 0)
                        return r;
        }

        r = apply_load_profile(root_fd, spec, /* spec_in_root= */ false, &p);
        if (r != 0)
                return r;

        r = apply_live_state(scope, &live, &audit_fd);
        if (r < 0) {
                r = log_error_errno(r, "Cannot read the live state: %m");
                goto finish;
        }

        {
                PlanContext c = {
                        .scope = scope,
                        .root_fd = root_fd,
                        .live = scope == APPLY_IMAGE ? NULL : &live,
                        .now_usec = record_time(scope),
                };

                r = plan_build(p, spec, &c, &plan, &error);
        }
        if (r < 0) {
                if (error)
                        r = log_error_errno(r, "Cannot apply profile %s: %s. Nothing changed.", p->name, error);
                else
                        r = log_error_errno(r, "Cannot apply profile %s: %m. Nothing changed.", p->name);
                goto finish;
        }

        if (plan_n_changes(plan) == 0) {
                /* Nothing to change, but what a killed apply left still goes. */
                if (!arg_dry_run) {
                        r = plan_sweep(plan, root_fd);
                        if (r < 0)
                                log_warning_errno(r,
                                                  "Cannot remove the temporary files of an earlier apply, ignoring: %m");
                }
                if (!arg_quiet)
                        printf("Profile %s (%s) is in force: nothing to change.\n", plan->profile_name, plan->digest);
                if (plan->notes && !arg_quiet)
                        (void) plan_show(plan, stdout);
                r = EXIT_OK;
                goto finish;
        }

        if (!arg_quiet || arg_dry_run) {
                printf("Profile %s (%s): %zu change%s%s.\n\n", plan->profile_name, plan->digest, plan_n_changes(plan),
                       plan_n_changes(plan) == 1 ? "" : "s", arg_dry_run ? " would be made" : "");
                r = plan_show(plan, stdout);
                if (r < 0) {
                        r = log_error_errno(r, "Cannot show the plan: %m");
                        goto finish;
                }
        }
        if (arg_dry_run) {
                r = EXIT_NOT_COMPLIANT;
                goto finish;
        }
        r = flush_stdout();
        if (r < 0)
                goto finish;

        for (size_t i = 0; i < plan->n_live; i++)
                if (plan->live[i].type == PLAN_DAEMON_RELOAD) {
                        r = sd_bus_open_system(&bus);
                        if (r < 0) {
                                r = log_error_errno(r, "Cannot connect to the system bus: %m. Nothing changed.");
                                goto finish;
                        }
                        break;
                }

        /* New files on the running system get the label its policy gives their path. An image tree is
         * labelled when it is built, against its own policy. */
        if (scope != APPLY_IMAGE && is_selinux_enabled() > 0) {
                labels = selabel_open(SELABEL_CTX_FILE, NULL, 0);
                if (!labels && errno != ENOENT) {
                        r = log_error_errno(errno, "Cannot open the SELinux file contexts: %m. Nothing changed.");
                        goto finish;
                }
                if (!labels)
                        log_warning("SELinux is enabled, but its policy has no file contexts: new files get the label "
                                    "the kernel gives them.");
        }

        test_hook_init(&hook);
        {
                ApplyTargets t = {
                        .root_fd = root_fd,
                        .proc_sys_fd = live.proc_sys_fd,
                        .sys_fd = live.sys_fd,
                        .audit_fd = audit_fd,
                        .bus = bus,
                        .labels = labels,
                        .hook = { test_hook, &hook },
                };

                free(error);
                error = NULL;
                r = plan_execute(plan, &t, &res, &error);
        }
        journal_entry(plan, &res, r, error);
        if (r < 0) {
                if (res.rollback_failed) {
                        log_error_errno(r,
                                        "Applying profile %s failed: %s. Rolled back %zu change%s, but not all: "
                                        "the system is neither as it was nor as the profile wants.",
                                        plan->profile_name, strna(error), res.rolled_back,
                                        res.rolled_back == 1 ? "" : "s");
                        r = EXIT_ROLLBACK_INCOMPLETE;
                } else {
                        log_error_errno(r, "Applying profile %s failed: %s. Rolled back %zu change%s: nothing changed.",
                                        plan->profile_name, strna(error), res.rolled_back,
                                        res.rolled_back == 1 ? "" : "s");
                        r = EXIT_FAILED;
                }
                goto finish;
        }
        if (!arg_quiet)
                printf("\nApplied profile %s: %zu change%s.\n", plan->profile_name, res.done, res.done == 1 ? "" : "s");
        r = EXIT_OK;

finish:
        if (labels)
                selabel_close(labels);
        if (audit_fd >= 0)
                audit_close(audit_fd);
        return r;
}
