/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <fcntl.h>
#include <selinux/selinux.h>
#include <sys/stat.h>

#include "apply-exec.h"
#include "apply-live.h"
#include "atomic-file.h"
#include "kernel-util.h"
#include "string-util.h"
#include "strv.h"

typedef enum UndoType {
        UNDO_DIR,  /* a directory made: path */
        UNDO_FILE, /* files[index] replaced */
        UNDO_LIVE, /* live[index] done */
} UndoType;

typedef struct Undo {
        UndoType type;
        size_t index;
        char *path;
} Undo;

typedef struct Executor {
        const Plan *plan;
        const ApplyTargets *t;
        ApplyHook hook; /* wraps t->hook, remembering the step */
        const char *what, *path;
        Undo *undo;
        size_t n_undo;
        char *error;
        char **rollback_errors;
        char **irreversible; /* what was done that cannot be undone */
} Executor;

static int step_hook(void *userdata, const char *what, const char *path) {
        Executor *x = userdata;

        x->what = what;
        x->path = path;
        return apply_hook_call(&x->t->hook, what, path);
}

static int undo_push(Executor *x, UndoType type, size_t index, const char *path) {
        Undo *u = array_grow_pow2(x->undo, x->n_undo, sizeof(Undo));

        if (!u)
                return -ENOMEM;
        x->undo = u;
        u[x->n_undo] = (Undo){ .type = type, .index = index };
        if (path && !(u[x->n_undo].path = strdup(path)))
                return -ENOMEM;
        x->n_undo++;
        return 0;
}

static int set_error(Executor *x, int r, const char *format, ...) _printf_(3, 4);
static int set_error(Executor *x, int r, const char *format, ...) {
        va_list ap;

        if (!x->error) {
                va_start(ap, format);
                x->error = vstrprintf(format, ap);
                va_end(ap);
        }
        return r;
}

/* Whether path is dir or below it. */
static bool is_below(const char *path, const char *dir) {
        const char *rest = startswith(path, dir);

        return rest && (*rest == '/' || *rest == 0);
}

/* With t->labels, what is created next (by this thread) gets the label the policy's file contexts give
 * path, as setfiles(8) or restorecon(8) would: a file made by apply must not carry the label of a
 * type transition of whatever domain runs apply (etc_runtime_t, say), which the confined readers of
 * the file (systemd-sysctl, modprobe, auditctl) are denied. A file that is replaced keeps its own
 * label (dir_write_atomic()). Returns 1 if a creation label is set (undo with label_create_end()). */
static int label_create_begin(Executor *x, const char *path, mode_t type) {
        _cleanup_free_ char *twin = NULL;
        char *con = NULL;
        int r;

        if (!x->t->labels)
                return 0;
        /* The run-time sysctl.d and modprobe.d files (--runtime) are labelled as their twins in /etc,
         * as hardenctl-kernel labels its own: the policy gives /run a run-time type that
         * systemd-sysctl and modprobe may not read. */
        if (is_below(path, "/run/sysctl.d") || is_below(path, "/run/modprobe.d")) {
                twin = strprintf("/etc%s", path + strlen("/run"));
                if (!twin)
                        return -ENOMEM;
                path = twin;
        }
        if (selabel_lookup(x->t->labels, &con, path, type) < 0)
                return errno == ENOENT ? 0 : negative_errno(); /* ENOENT: the policy names no label */
        r = setfscreatecon(con) < 0 ? negative_errno() : 1;
        freecon(con);
        return r;
}

static void label_create_end(int labelled) {
        if (labelled > 0)
                (void) setfscreatecon(NULL);
}

/* Puts content (or a symlink, or nothing) at path. With record, directories made are remembered. */
static int put_file(Executor *x, const char *path, PlanFileType type, const char *content, mode_t mode, uid_t uid,
                    gid_t gid, bool record, bool *ret_changed) {
        _cleanup_free_ char *dir = NULL, *name = NULL;
        _cleanup_strv_free_ char **created = NULL;
        _cleanup_close_ int dir_fd = -EBADF;
        int labelled, r;

        *ret_changed = false;
        r = path_split_parent(path, &dir, &name);
        if (r < 0)
                return r;

        x->what = "label", x->path = path;
        labelled = content ? label_create_begin(x, dir, S_IFDIR) : 0;
        if (labelled < 0)
                return labelled;
        x->what = "open directory";
        dir_fd = root_open_dir(x->t->root_fd, dir, content != NULL, &x->hook, &created);
        label_create_end(labelled);
        STRV_FOREACH(c, created)
                if (record && undo_push(x, UNDO_DIR, 0, *c) < 0)
                        return -ENOMEM;
        if (dir_fd == -ENOENT && !content)
                return 0; /* nothing to remove */
        if (dir_fd < 0)
                return dir_fd;

        (void) atomic_file_remove_stale_at(dir_fd);

        if (!content)
                return dir_remove(dir_fd, name, path, &x->hook, ret_changed);

        x->what = "label";
        labelled = label_create_begin(x, path, type == PLAN_FILE_SYMLINK ? S_IFLNK : S_IFREG);
        if (labelled < 0)
                return labelled;
        if (type == PLAN_FILE_SYMLINK)
                r = dir_symlink_atomic(dir_fd, name, path, content, &x->hook, ret_changed);
        else
                r = dir_write_atomic(dir_fd, name, path, content, mode, uid, gid, &x->hook, ret_changed);
        label_create_end(labelled);
        return r;
}

static bool undo_has_file(const Executor *x, size_t i) {
        for (size_t k = 0; k < x->n_undo; k++)
                if (x->undo[k].type == UNDO_FILE && x->undo[k].index == i)
                        return true;
        return false;
}

/* Writes files[i]: what the plan wants, or with content its other text (the interim record). */
static int do_file_content(Executor *x, size_t i, const char *content) {
        const PlanFile *f = x->plan->files + i;
        bool changed;
        int r;

        r = put_file(x, f->path, f->type, content, f->exists ? f->old_mode : 0644, f->exists ? f->old_uid : geteuid(),
                     f->exists ? f->old_gid : getegid(), true, &changed);
        /* Replaced but the directory sync failed: it still has to be put back. Once is enough. */
        if (changed && !undo_has_file(x, i) && undo_push(x, UNDO_FILE, i, NULL) < 0)
                return -ENOMEM;
        if (r < 0)
                return set_error(x, r, "%s %s (%s): %s", content ? "writing" : "removing", f->path, strna(x->what),
                                 strerror(-r));
        return 0;
}

static int do_file(Executor *x, size_t i) {
        return do_file_content(x, i, x->plan->files[i].new);
}

int plan_sweep(const Plan *p, int root_fd) {
        int n = 0;

        STRV_FOREACH(d, p->sweep_dirs) {
                _cleanup_close_ int fd = root_open_dir(root_fd, *d, false, NULL, NULL);
                int r;

                if (fd == -ENOENT || fd == -ENOTDIR || fd == -ELOOP)
                        continue; /* nothing was written there */
                if (fd < 0)
                        return fd;
                r = atomic_file_remove_stale_at(fd);
                if (r < 0)
                        return r;
                n += r;
        }
        return n;
}

static int do_live(Executor *x, size_t i, bool undo) {
        const PlanLive *l = x->plan->live + i;
        uint32_t n = undo ? l->old_number : l->new_number;
        _cleanup_free_ char *bus_error = NULL;
        const char *what = NULL;
        int r;

        switch (l->type) {
        case PLAN_AUDIT_BACKLOG_LIMIT:
                what = "audit-backlog-limit";
                break;
        case PLAN_AUDIT_FAILURE_MODE:
                what = "audit-failure-mode";
                break;
        case PLAN_AUDIT_RATE_LIMIT:
                what = "audit-rate-limit";
                break;
        case PLAN_AUDIT_BACKLOG_WAIT_TIME:
                what = "audit-backlog-wait-time";
                break;
        case PLAN_AUDIT_LOGINUID_IMMUTABLE:
                what = "audit-loginuid-immutable";
                break;
        case PLAN_AUDIT_RULE:
                what = undo ? "audit-delete-rule" : "audit-add-rule";
                break;
        case PLAN_AUDIT_DELETE_RULE:
                what = undo ? "audit-add-rule" : "audit-delete-rule";
                break;
        case PLAN_SYSCTL:
                what = "sysctl";
                break;
        case PLAN_SELINUX_MODE:
                what = "selinux-mode";
                break;
        case PLAN_DAEMON_RELOAD:
                what = "daemon-reload";
                break;
        case PLAN_UNIT_RESTART:
                what = "try-restart";
                break;
        case PLAN_MODULE_SIG_ENFORCE:
                what = "sig-enforce";
                break;
        case PLAN_LOCKDOWN:
                what = "lockdown";
                break;
        case PLAN_MODULES_DISABLED:
                what = "modules-disabled";
                break;
        case PLAN_AUDIT_LOCK:
                what = "audit-lock";
                break;
        default:
                return -EINVAL;
        }
        if (undo && plan_live_irreversible(l->type))
                return -EINVAL; /* never pushed for undoing */

        r = step_hook(x, what, l->name ?: what);
        if (r < 0)
                return r;
        if (r > 0)
                return 0; /* the hook stands in for the step (tests) */

        switch (l->type) {
        case PLAN_AUDIT_BACKLOG_LIMIT:
                r = audit_setting_set(x->t->audit_fd, AUDIT_SETTING_BACKLOG_LIMIT, n);
                break;
        case PLAN_AUDIT_FAILURE_MODE:
                r = audit_setting_set(x->t->audit_fd, AUDIT_SETTING_FAILURE_MODE, n);
                break;
        case PLAN_AUDIT_RATE_LIMIT:
                r = audit_setting_set(x->t->audit_fd, AUDIT_SETTING_RATE_LIMIT, n);
                break;
        case PLAN_AUDIT_BACKLOG_WAIT_TIME:
                r = audit_setting_set(x->t->audit_fd, AUDIT_SETTING_BACKLOG_WAIT_TIME, n);
                break;
        case PLAN_AUDIT_LOGINUID_IMMUTABLE:
                r = audit_setting_set(x->t->audit_fd, AUDIT_SETTING_LOGINUID_IMMUTABLE, 1);
                break;
        case PLAN_AUDIT_RULE:
                r = undo ? audit_delete(x->t->audit_fd, l->rule) : audit_add(x->t->audit_fd, l->rule);
                r = r < 0 ? r : 0;
                break;
        case PLAN_AUDIT_DELETE_RULE:
                r = undo ? audit_add(x->t->audit_fd, l->rule) : audit_delete(x->t->audit_fd, l->rule);
                r = r < 0 ? r : 0;
                break;
        case PLAN_SYSCTL:
                r = live_sysctl_write(x->t->proc_sys_fd, l->name, undo ? l->old_value : l->new_value);
                break;
        case PLAN_SELINUX_MODE:
                r = live_selinux_set((int) n);
                break;
        case PLAN_DAEMON_RELOAD:
                r = x->t->bus ? live_systemd_reload(x->t->bus, &bus_error) : -ENOTCONN;
                break;
        case PLAN_UNIT_RESTART:
                r = x->t->bus ? live_systemd_try_restart(x->t->bus, l->name, &bus_error) : -ENOTCONN;
                break;
        case PLAN_MODULE_SIG_ENFORCE:
                r = live_sys_write(x->t->sys_fd, KERNEL_SIG_ENFORCE_SYS_PATH, "1");
                break;
        case PLAN_LOCKDOWN:
                r = live_sys_write(x->t->sys_fd, KERNEL_LOCKDOWN_SYS_PATH, l->new_value);
                break;
        case PLAN_MODULES_DISABLED:
                r = live_sysctl_write(x->t->proc_sys_fd, "kernel.modules_disabled", "1");
                break;
        case PLAN_AUDIT_LOCK:
                r = audit_lock(x->t->audit_fd);
                break;
        default:
                r = -EINVAL;
        }
        if (r < 0 && !undo) {
                _cleanup_free_ char *d = plan_live_describe(l);
                return set_error(x, r, "%s: %s", strna(d), bus_error ?: strerror(-r));
        }
        if (r < 0) {
                _cleanup_free_ char *d = plan_live_describe(l);
                char *s = strprintf("undoing %s: %s", strna(d), bus_error ?: strerror(-r));
                (void) strv_consume(&x->rollback_errors, s);
        }
        return r;
}

static void rollback_note(Executor *x, int r, const char *what, const char *path) {
        char *s = strprintf("%s %s: %s", what, path, strerror(-r));

        (void) strv_consume(&x->rollback_errors, s);
}

static size_t rollback(Executor *x) {
        bool reload = false;
        size_t n = 0;
        int r;

        /* Files and settings, newest first; systemd last, once the unit files are back as they were. */
        for (size_t k = x->n_undo; k > 0; k--) {
                const Undo *u = x->undo + k - 1;

                switch (u->type) {
                case UNDO_DIR:
                        r = step_hook(x, "rmdir", u->path);
                        if (r >= 0) {
                                _cleanup_free_ char *dir = NULL, *name = NULL;
                                _cleanup_close_ int fd = -EBADF;

                                r = path_split_parent(u->path, &dir, &name);
                                if (r >= 0)
                                        fd = root_open_dir(x->t->root_fd, dir, false, NULL, NULL);
                                if (r >= 0 && fd < 0)
                                        r = fd;
                                if (r >= 0 && unlinkat(fd, name, AT_REMOVEDIR) < 0 && errno != ENOENT)
                                        r = negative_errno();
                        }
                        if (r < 0)
                                rollback_note(x, r, "removing the directory", u->path);
                        break;

                case UNDO_FILE: {
                        const PlanFile *f = x->plan->files + u->index;
                        bool changed;

                        r = put_file(x, f->path, f->type, f->exists ? f->old : NULL, f->old_mode, f->old_uid,
                                     f->old_gid, false, &changed);
                        if (r < 0)
                                rollback_note(x, r, "restoring", f->path);
                        else
                                n++;
                        break;
                }

                case UNDO_LIVE: {
                        const PlanLive *l = x->plan->live + u->index;

                        if (l->type == PLAN_DAEMON_RELOAD) {
                                reload = true;
                                n++;
                        } else if (l->type != PLAN_UNIT_RESTART && do_live(x, u->index, true) >= 0)
                                n++;
                        break;
                }
                }
        }

        if (reload) {
                /* The unit files are back: reload, and restart what was restarted with the new ones. */
                for (size_t k = 0; k < x->plan->n_live; k++)
                        if (x->plan->live[k].type == PLAN_DAEMON_RELOAD)
                                (void) do_live(x, k, true);
                for (size_t k = 0; k < x->n_undo; k++)
                        if (x->undo[k].type == UNDO_LIVE && x->plan->live[x->undo[k].index].type == PLAN_UNIT_RESTART &&
                            do_live(x, x->undo[k].index, true) >= 0)
                                n++;
        }
        return n;
}

int plan_execute(const Plan *p, const ApplyTargets *t, ApplyResult *ret_result, char **ret_error) {
        Executor x = { .plan = p, .t = t };
        ApplyResult res = {};
        int r = 0;

        x.hook = (ApplyHook){ .fn = step_hook, .userdata = &x };

        r = plan_sweep(p, t->root_fd);
        if (r < 0)
                set_error(&x, r, "removing the temporary files of an earlier apply: %s", strerror(-r));
        /* Before the first change, the record names every file this apply may write. */
        for (size_t i = 0; i < p->n_files && r >= 0; i++)
                if (p->files[i].record && p->record_interim)
                        r = do_file_content(&x, i, p->record_interim);
        for (size_t i = 0; i < p->n_files && r >= 0; i++)
                if (!p->files[i].record)
                        r = do_file(&x, i);
        for (size_t i = 0; i < p->n_live && r >= 0; i++)
                if (p->live[i].type == PLAN_UNIT_RESTART) {
                        /* A try-restart is a stop and then a start: when the start fails, the unit
                         * is down. So it is restarted in the rollback whether or not this succeeds. */
                        r = undo_push(&x, UNDO_LIVE, i, NULL);
                        if (r >= 0)
                                r = do_live(&x, i, false);
                } else if (!plan_live_irreversible(p->live[i].type)) {
                        r = do_live(&x, i, false);
                        if (r >= 0)
                                r = undo_push(&x, UNDO_LIVE, i, NULL);
                }
        for (size_t i = 0; i < p->n_files && r >= 0; i++)
                if (p->files[i].record)
                        r = do_file(&x, i);
        /* Cannot be undone: only once everything else is in place, in the order of the plan. */
        for (size_t i = 0; i < p->n_live && r >= 0; i++)
                if (plan_live_irreversible(p->live[i].type)) {
                        r = do_live(&x, i, false);
                        if (r >= 0 && strv_consume(&x.irreversible, plan_live_describe(p->live + i)) < 0)
                                r = -ENOMEM;
                }

        if (r < 0) {
                if (!x.error)
                        set_error(&x, r, "%s %s: %s", strna(x.what), strna(x.path), strerror(-r));
                res.rolled_back = rollback(&x);
                STRV_FOREACH(d, x.irreversible)
                        (void) strv_consume(&x.rollback_errors, strprintf("already done: %s", *d));
                if (x.rollback_errors) {
                        _cleanup_free_ char *j = strv_join(x.rollback_errors, "; ");
                        char *e = strprintf("%s; rollback incomplete: %s", strna(x.error), strna(j));

                        if (e) {
                                free(x.error);
                                x.error = e;
                        }
                        res.rollback_failed = true;
                }
        } else
                res.done = plan_n_changes(p);

        for (size_t k = 0; k < x.n_undo; k++)
                free(x.undo[k].path);
        free(x.undo);
        strv_free(x.rollback_errors);
        strv_free(x.irreversible);
        if (ret_result)
                *ret_result = res;
        if (ret_error)
                *ret_error = x.error;
        else
                free(x.error);
        return r;
}
