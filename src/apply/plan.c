/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* Building the plan: plan_build() reads the record of an earlier apply, plans the files (plan-files.c)
 * and the live changes (plan-live.c), and last the new record (apply-record.c). */

#include "plan-internal.h"
#include "string-util.h"
#include "strv.h"
#include "sysctl-util.h"

static void plan_file_done(PlanFile *f) {
        free(f->path);
        free(f->old);
        free(f->new);
        free(f->unit);
}

static void plan_live_done(PlanLive *l) {
        free(l->name);
        free(l->old_value);
        free(l->new_value);
        audit_rule_free(l->rule);
}

Plan *plan_free(Plan *p) {
        if (!p)
                return NULL;
        for (size_t i = 0; i < p->n_files; i++)
                plan_file_done(p->files + i);
        for (size_t i = 0; i < p->n_live; i++)
                plan_live_done(p->live + i);
        free(p->files);
        free(p->live);
        free(p->profile_name);
        free(p->spec);
        free(p->digest);
        strv_free(p->notes);
        free(p->record_interim);
        strv_free(p->sweep_dirs);
        return mfree(p);
}

void live_state_done(LiveState *s) {
        for (size_t i = 0; i < s->n_audit_rules; i++)
                free(s->audit_rules[i]);
        free(s->audit_rules);
        safe_close(s->proc_sys_fd);
        safe_close(s->sys_fd);
        *s = (LiveState) LIVE_STATE_NULL;
}

int plan_fail(Builder *b, int r, const char *format, ...) {
        va_list ap;

        if (b->error && !*b->error) {
                va_start(ap, format);
                *b->error = vstrprintf(format, ap);
                va_end(ap);
        }
        return r;
}

int plan_note(Builder *b, const char *format, ...) {
        va_list ap;
        char *s;

        va_start(ap, format);
        s = vstrprintf(format, ap);
        va_end(ap);
        if (!s)
                return -ENOMEM;
        return strv_consume(&b->plan->notes, s);
}

int plan_build(const Profile *p, const char *spec, const PlanContext *c, Plan **ret, char **ret_error) {
        _cleanup_(plan_freep) Plan *plan = NULL;
        _cleanup_(apply_record_done) ApplyRecord old = {};
        AuditRule **rules = NULL;
        size_t n_rules = 0;
        Builder b = { .profile = p, .c = c, .error = ret_error };
        int r;

        if (ret_error)
                *ret_error = NULL;

        /* The record is lines of KEY=VALUE: a newline in a value would forge lines of its own (File=
         * lines name what a later apply removes). Neither is ever needed. */
        if (string_has_cc(spec) || string_has_cc(p->name))
                return plan_fail(&b, -EINVAL,
                                 "the profile's %s contains a control character (such as a newline), "
                                 "which the record of the applied profile cannot hold; refusing it",
                                 string_has_cc(spec) ? "path" : "name");

        plan = new0(Plan, 1);
        if (!plan)
                return -ENOMEM;
        b.plan = plan;
        plan->scope = c->scope;
        plan->profile_name = strdup(p->name);
        plan->spec = strdup(spec);
        if (!plan->profile_name || !plan->spec)
                return -ENOMEM;
        r = profile_digest(p, &plan->digest);
        if (r < 0)
                return plan_fail(&b, r, "cannot compute the digest of the profile's sources");

        if (p->audit.rules_error)
                return plan_fail(&b, -EINVAL, "audit rules of the profile are invalid: %s", p->audit.rules_error);
        r = audit_rules_copy(p->audit.parsed_rules, p->audit.n_parsed_rules, &rules);
        if (r < 0)
                return r;
        n_rules = p->audit.n_parsed_rules;
        r = plan_read_record(&b, &old);
        if (r >= 0)
                r = plan_build_files(&b, rules, n_rules, &old);
        if (r >= 0)
                r = plan_build_live(&b, rules, n_rules);

        /* The record, last; it changes only when something it records does. */
        if (r >= 0)
                r = plan_record(&b, &old);
        if (r < 0)
                goto finish;

        *ret = TAKE_PTR(plan);
        r = 0;
finish:
        audit_rules_free(rules, n_rules);
        strv_builder_done(&b.owned);
        return r;
}
