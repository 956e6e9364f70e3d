/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* What the profile defines as an anomaly, and the classification of one event into anomalies. */

#include <errno.h>
#include <fnmatch.h>
#include <libaudit.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <systemd/sd-login.h>

#include "audit-rule.h"
#include "string-util.h"
#include "strv.h"
#include "watch-internal.h"

int watch_config_from_profile(const Profile *p, WatchConfig *ret) {
        WatchConfig c = {
                .allowed = p->services.exec_allowed,
                .n_allowed = p->services.n_exec_allowed,
                .confine = p->services.confine,
                .etc_overlay = p->etc.overlay == ETC_OVERLAY_TMPFS,
                .expected_drift = p->etc.expected_drift,
                .avc_burst = WATCH_AVC_BURST,
                .avc_window_usec = WATCH_AVC_WINDOW_USEC,
                .repeat_usec = WATCH_REPEAT_USEC,
                .rate_burst = WATCH_RATE_BURST,
                .rate_window_usec = WATCH_RATE_WINDOW_USEC,
                .unit_lookup = watch_unit_lookup_cgroup,
        };

        /* A watch (-w PATH -p wa, or -F path=/dir= with -F perm=) for writes or attribute changes. */
        for (size_t i = 0; i < p->audit.n_parsed_rules; i++) {
                const AuditRule *r = p->audit.parsed_rules[i];

                if (!r->key || r->action != AUDIT_ALWAYS)
                        continue;
                for (uint32_t f = 0; f < r->data->field_count; f++)
                        if (r->data->fields[f] == AUDIT_PERM &&
                            (r->data->values[f] & (AUDIT_PERM_WRITE | AUDIT_PERM_ATTR)) &&
                            !strv_contains(c.write_keys, r->key) && strv_extend(&c.write_keys, r->key) < 0) {
                                strv_free(c.write_keys);
                                return -ENOMEM;
                        }
        }
        *ret = c;
        return 0;
}

void watch_config_done(WatchConfig *c) {
        strv_free(c->write_keys);
        *c = (WatchConfig){};
}

int watch_unit_lookup_cgroup(int64_t pid, int64_t ppid, char **ret, void *userdata) {
        int r = -ESRCH;

        *ret = NULL;
        if (pid > 0)
                r = sd_pid_get_unit((pid_t) pid, ret);
        if (r < 0 && ppid > 0)
                r = sd_pid_get_unit((pid_t) ppid, ret);
        if (r == -ENOMEM)
                return r;
        if (r < 0)
                *ret = NULL;
        return 0;
}

/* Whether some AllowExec= word, or Confine=, names unit: then its programs are judged. */
static bool unit_judged(const WatchConfig *c, const char *unit) {
        if (strv_contains(c->confine, unit))
                return true;
        for (size_t i = 0; i < c->n_allowed; i++)
                if (fnmatch(c->allowed[i].unit, unit, 0) == 0)
                        return true;
        return false;
}

static bool exec_allowed(const WatchConfig *c, const char *unit, const char *exe) {
        for (size_t i = 0; i < c->n_allowed; i++)
                if (fnmatch(c->allowed[i].unit, unit, 0) == 0 && fnmatch(c->allowed[i].path, exe, FNM_PATHNAME) == 0)
                        return true;
        return false;
}

/* The system calls that run a program and load a module, on the architectures' numbering the
 * SYSCALL record gives: execve and execveat; init_module and finit_module (x86-64, i386, aarch64). */
static bool syscall_is_exec(const WatchEvent *e) {
        return e->has_execve;
}

/* A new anomaly of kind k from e, appended to *list. */
static int add(AnomalyList *l, const WatchEvent *e, AnomalyKind k, const char *unit, const char *path,
               const char *detail) {
        Anomaly *a;

        if (l->n >= ELEMENTSOF(l->items))
                return 0;
        a = l->items + l->n++;
        *a = (Anomaly){ .kind = k,
                        .time_usec = e->time_usec,
                        .serial = e->serial,
                        .pid = e->has_ipe && e->pid < 0 ? e->ipe_pid : e->pid,
                        .uid = e->uid,
                        .auid = e->auid };
        if ((unit && !(a->unit = strdup(unit))) || (e->exe && !(a->exe = strdup(e->exe))) ||
            ((e->comm ?: e->ipe_comm) && !(a->comm = strdup(e->comm ?: e->ipe_comm))) ||
            (path && !(a->path = strdup(path))) || (e->key && !(a->key = strdup(e->key))) ||
            (k == ANOMALY_EXEC_UNVERIFIED && e->ipe_rule && !(a->rule = strdup(e->ipe_rule))) ||
            !(a->detail = strdup(detail)))
                return -ENOMEM;
        return 0;
}

/* The key of e, one of several (libaudit joins them with \001), in keys. */
static bool key_in(const char *key, char **keys) {
        _cleanup_free_ char *copy = key ? strdup(key) : NULL;

        for (char *s = copy, *t; s && (t = strsep(&s, "\001"));)
                if (strv_contains(keys, t))
                        return true;
        return false;
}

static bool etc_drift_expected(const WatchConfig *c, const char *path) {
        const char *rel = path_startswith_etc(path);

        STRV_FOREACH(g, c->expected_drift)
                if (rel && fnmatch(*g, rel, FNM_PATHNAME) == 0)
                        return true;
        return false;
}

/* The path a write event changed: the last PATH item that is not the parent directory. */
static const char *written_path(const WatchEvent *e) {
        const char *p = NULL;

        for (unsigned i = 0; i < e->n_paths; i++)
                if (e->paths[i].name && !streq_ptr(e->paths[i].nametype, "PARENT"))
                        p = e->paths[i].name;
        return p ?: (e->n_paths > 0 ? e->paths[0].name : NULL);
}

/* The unit of the event's process (or its parent's), looked up once, when the event is an anomaly or
 * may be one: a /proc read is the dearest thing the watcher does per event. */
static int event_unit(const WatchConfig *c, const WatchEvent *e, char **unit) {
        if (*unit || !c->unit_lookup)
                return 0;
        return c->unit_lookup(e->pid, e->ppid, unit, c->unit_lookup_userdata);
}

int watch_classify(Watcher *w, const WatchEvent *e, AnomalyList *l) {
        const WatchConfig *c = &w->config;
        _cleanup_free_ char *unit = NULL;
        int r;

        /* exec-unverified: IPE denied a program (in enforcing mode or not: it would have). */
        if (e->has_ipe && e->ipe_deny) {
                _cleanup_free_ char *d = strjoin("IPE denied ", strna(e->ipe_op), " of ", strna(e->ipe_path), " (",
                                                 strna(e->ipe_hook), ", rule \"", strna(e->ipe_rule), "\")");

                if (!d || add(l, e, ANOMALY_EXEC_UNVERIFIED, NULL, e->ipe_path, d) < 0)
                        return -ENOMEM;
        }

        if (syscall_is_exec(e) && e->success == 1) {
                const WatchPath *prog = e->n_paths > 0 ? e->paths : NULL;

                r = event_unit(c, e, &unit);
                if (r < 0)
                        return r;

                /* exec-unverified: the program is not on the verity device of /usr. */
                if (c->usr_dev_known && prog && prog->has_dev &&
                    (prog->major != c->usr_major || prog->minor != c->usr_minor)) {
                        char d[256];

                        snprintf(d, sizeof(d), "ran %s from device %x:%x, not the verified /usr (%x:%x)",
                                 strna(prog->name), prog->major, prog->minor, c->usr_major, c->usr_minor);
                        if (add(l, e, ANOMALY_EXEC_UNVERIFIED, unit, prog->name, d) < 0)
                                return -ENOMEM;
                }

                /* exec-unlisted: a judged service ran what AllowExec= does not list for it. */
                if (unit && e->exe && unit_judged(c, unit) && !exec_allowed(c, unit, e->exe)) {
                        _cleanup_free_ char *d = strjoin(unit, " ran ", e->exe, ", which AllowExec= does not list");

                        if (!d || add(l, e, ANOMALY_EXEC_UNLISTED, unit, e->exe, d) < 0)
                                return -ENOMEM;
                }

                /* privilege-change: a setuid or setgid program, or file capabilities. */
                if ((e->euid >= 0 && e->uid >= 0 && e->euid != e->uid) ||
                    (e->egid >= 0 && e->gid >= 0 && e->egid != e->gid) || e->fcaps_gain) {
                        char d[128];

                        snprintf(d, sizeof(d), "%s: uid %" PRIi64 " euid %" PRIi64 ", gid %" PRIi64 " egid %" PRIi64 "%s",
                                 e->fcaps_gain ? "capabilities gained on exec" : "setuid/setgid exec", e->uid, e->euid,
                                 e->gid, e->egid, "");
                        if (add(l, e, ANOMALY_PRIVILEGE, unit, e->exe, d) < 0)
                                return -ENOMEM;
                }
        }
        if (e->capset && e->success != 0) {
                r = event_unit(c, e, &unit);
                if (r < 0)
                        return r;
                if (add(l, e, ANOMALY_PRIVILEGE, unit, e->exe, "capabilities set (capset)") < 0)
                        return -ENOMEM;
        }

        /* module-load */
        if (e->module) {
                _cleanup_free_ char *d = strjoin("kernel module ", e->module, " loaded");

                r = event_unit(c, e, &unit);
                if (r < 0)
                        return r;
                if (!d || add(l, e, ANOMALY_MODULE_LOAD, unit, e->module, d) < 0)
                        return -ENOMEM;
        }

        /* watched-write, or etc-drift when the write is to the /etc overlay */
        if (e->has_syscall && key_in(e->key, c->write_keys)) {
                const char *p = written_path(e);

                r = event_unit(c, e, &unit);
                if (r < 0)
                        return r;

                if (c->etc_overlay && p && path_startswith_etc(p)) {
                        if (!etc_drift_expected(c, p)) {
                                _cleanup_free_ char *d = strjoin(p, " changed at run time (drift in the /etc overlay)");

                                if (!d || add(l, e, ANOMALY_ETC_DRIFT, unit, p, d) < 0)
                                        return -ENOMEM;
                        }
                } else {
                        _cleanup_free_ char *d = strjoin("write to ", strna(p), " (audit key ", e->key, ")");

                        if (!d || add(l, e, ANOMALY_WATCHED_WRITE, unit, p, d) < 0)
                                return -ENOMEM;
                }
        }

        /* selinux-denial: only above the rate; the window slides by whole windows */
        if (e->avc_denied) {
                if (e->time_usec >= w->avc_window_start + c->avc_window_usec || e->time_usec < w->avc_window_start) {
                        w->avc_window_start = e->time_usec;
                        w->avc_in_window = 0;
                }
                if (++w->avc_in_window > c->avc_burst) {
                        r = event_unit(c, e, &unit);
                        if (r < 0)
                                return r;
                        if (add(l, e, ANOMALY_SELINUX_DENIAL, unit, NULL, strna(e->avc_detail)) < 0)
                                return -ENOMEM;
                }
        }
        return 0;
}
