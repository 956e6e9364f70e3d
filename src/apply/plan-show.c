/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* Showing a plan: a unified diff of the files, then the live changes and the notes. */

#include "diff.h"
#include "plan.h"
#include "string-util.h"
#include "strv.h"

char *plan_live_describe(const PlanLive *l) {
        const char *fo = audit_failure_mode_to_string((int) l->old_number) ?: "?";
        const char *fn = audit_failure_mode_to_string((int) l->new_number) ?: "?";

        switch (l->type) {
        case PLAN_AUDIT_BACKLOG_LIMIT:
                return strprintf("audit backlog limit: %u → %u", l->old_number, l->new_number);
        case PLAN_AUDIT_FAILURE_MODE:
                return strprintf("audit failure mode: %s → %s", fo, fn);
        case PLAN_AUDIT_RATE_LIMIT:
                return strprintf("audit rate limit: %u → %u", l->old_number, l->new_number);
        case PLAN_AUDIT_BACKLOG_WAIT_TIME:
                return strprintf("audit backlog wait time: %u → %u", l->old_number, l->new_number);
        case PLAN_AUDIT_RULE:
                return strprintf("audit rule: %s", l->name);
        case PLAN_AUDIT_DELETE_RULE:
                return strprintf("audit rule deleted (no longer wanted): %s", l->name);
        case PLAN_SYSCTL:
                return strprintf("sysctl %s: %s → %s", l->name, l->old_value, l->new_value);
        case PLAN_SELINUX_MODE:
                return strprintf("SELinux mode: %s → %s", l->old_number ? "enforcing" : "permissive",
                                 l->new_number ? "enforcing" : "permissive");
        case PLAN_DAEMON_RELOAD:
                return strdup("systemd: daemon-reload");
        case PLAN_UNIT_RESTART:
                return strprintf("systemd: try-restart %s", l->name);
        case PLAN_MODULE_SIG_ENFORCE:
                return strprintf("kernel: only signed modules load from now on (sig_enforce: %s → %s; cannot be undone)",
                                 l->old_value, l->new_value);
        case PLAN_LOCKDOWN:
                return strprintf("kernel lockdown: %s → %s (cannot be undone)", l->old_value, l->new_value);
        case PLAN_MODULES_DISABLED:
                return strprintf("kernel.modules_disabled: %s → %s: no module loads until reboot (cannot be undone)",
                                 l->old_value, l->new_value);
        case PLAN_AUDIT_LOGINUID_IMMUTABLE:
                return strdup("audit: login uids cannot be changed once set, until reboot (cannot be undone)");
        case PLAN_AUDIT_LOCK:
                return strdup("audit: lock the configuration until reboot (enabled 2)");
        default:
                return NULL;
        }
}

int plan_show(const Plan *p, FILE *f) {
        for (size_t i = 0; i < p->n_files; i++) {
                const PlanFile *pf = p->files + i;
                _cleanup_free_ char *a = strprintf("a%s", pf->path), *b = strprintf("b%s", pf->path);
                int r;

                if (!a || !b)
                        return -ENOMEM;
                if (pf->type == PLAN_FILE_SYMLINK) {
                        if (pf->new)
                                fprintf(f, "symlink %s → %s\n", pf->path, pf->new);
                        else
                                fprintf(f, "remove %s → %s\n", pf->path, strna(pf->old));
                        continue;
                }
                r = diff_unified(f, pf->exists ? a : "/dev/null", pf->exists ? pf->old : NULL,
                                 pf->new ? b : "/dev/null", pf->new, DIFF_CONTEXT_DEFAULT);
                if (r < 0)
                        return r;
        }

        if (p->n_live > 0) {
                fprintf(f, "%sLive changes:\n", p->n_files > 0 ? "\n" : "");
                for (size_t i = 0; i < p->n_live; i++) {
                        _cleanup_free_ char *s = plan_live_describe(p->live + i);

                        if (!s)
                                return -ENOMEM;
                        fprintf(f, "  %s\n", s);
                }
        }
        if (p->notes) {
                fprintf(f, "%sNot done:\n", plan_n_changes(p) > 0 ? "\n" : "");
                STRV_FOREACH(n, p->notes)
                        fprintf(f, "  %s\n", *n);
        }
        return ferror(f) ? -EIO : 0;
}
