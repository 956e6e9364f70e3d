/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include "audit-rule.h"
#include "profile-schema.h"
#include "profile.h"
#include "string-util.h"
#include "strv.h"
#include "sysctl-util.h"

/* Storage is described once, by the key table: initialization and freeing walk it, so a new key
 * cannot be forgotten here. */

Profile *profile_new(void) {
        Profile *p = new0(Profile, 1);

        if (!p)
                return NULL;

        PROFILE_FOREACH_KEY(k) {
                void *field = (uint8_t *) p + k->offset;

                switch (k->type) {
                case PV_BOOL:
                case PV_ENUM:
                        *(int *) field = -1;
                        break;
                case PV_UINT64:
                        *(uint64_t *) field = NUMBER_UNSET;
                        break;
                case PV_ETC_SIZE:
                        ((ProfileEtc *) field)->size_bytes = NUMBER_UNSET;
                        ((ProfileEtc *) field)->size_percent = 0;
                        break;
                default:
                        break;
                }
        }
        return p;
}

static void profile_audit_rules_clear(ProfileAudit *a) {
        audit_rules_free(a->parsed_rules, a->n_parsed_rules);
        a->parsed_rules = NULL;
        a->n_parsed_rules = 0;
        a->rules_error = mfree(a->rules_error);
}

static void profile_sysctl_settings_clear(ProfileKernel *k) {
        sysctl_settings_free(k->sysctl_settings, k->n_sysctl_settings);
        k->sysctl_settings = NULL;
        k->n_sysctl_settings = 0;
}

Profile *profile_free(Profile *p) {
        if (!p)
                return NULL;

        profile_audit_rules_clear(&p->audit);
        profile_sysctl_settings_clear(&p->kernel);

        PROFILE_FOREACH_KEY(k) {
                void *field = (uint8_t *) p + k->offset;

                if (k->type == PV_STRING)
                        free(*(char **) field);
                else if (profile_key_is_list(k))
                        strv_free(*(char ***) field);
        }

        free(p->name);
        strv_free(p->sources);
        strv_free(p->source_texts);
        return mfree(p);
}

bool profile_wants_audit(const Profile *p) {
        const ProfileAudit *a = &p->audit;

        return a->rule_sets || a->rules || a->immutable > 0 || a->backlog_limit != NUMBER_UNSET ||
               a->failure_mode >= 0 || a->rate_limit != NUMBER_UNSET;
}

/* Parses text and appends it to rules. Returns 0, -EINVAL with *ret_error set, or -ENOMEM. */
static int audit_rules_push(AuditRule ***rules, size_t *n, const char *text, char **ret_error) {
        _cleanup_(audit_rule_freep) AuditRule *rule = NULL;
        _cleanup_free_ char *reason = NULL;
        AuditRule **l;
        int r;

        r = audit_rule_parse(text, &rule, &reason);
        if (r == -ENOMEM)
                return r;
        if (r < 0) {
                *ret_error = strprintf("'%s': %s", text, strna(reason));
                return *ret_error ? -EINVAL : -ENOMEM;
        }
        l = reallocarray(*rules, *n + 1, sizeof(AuditRule *));
        if (!l)
                return -ENOMEM;
        l[(*n)++] = TAKE_PTR(rule);
        *rules = l;
        return 0;
}

/* The sets of Rules=, set by set, then Rule=: the order hardenctl-audit loads them in. */
static int profile_audit_rules_build(ProfileAudit *a) {
        _cleanup_free_ char *error = NULL;
        AuditRule **rules = NULL;
        size_t n = 0;
        int r = 0;

        STRV_FOREACH(s, a->rule_sets) {
                const char *const *set = audit_rule_set_lookup(*s);

                if (!set) {
                        error = strprintf("unknown rule set '%s'", *s);
                        r = error ? -EINVAL : -ENOMEM;
                        break;
                }
                for (; *set && r >= 0; set++)
                        r = audit_rules_push(&rules, &n, *set, &error);
                if (r < 0)
                        break;
        }
        for (char **s = a->rules; r >= 0 && s && *s; s++)
                r = audit_rules_push(&rules, &n, *s, &error);

        if (r < 0) {
                audit_rules_free(rules, n);
                if (r != -EINVAL)
                        return r;
                a->rules_error = TAKE_PTR(error);
                return 0;
        }
        a->parsed_rules = rules;
        a->n_parsed_rules = n;
        return 0;
}

int profile_finalize(Profile *p) {
        int r;

        assert(p);

        profile_audit_rules_clear(&p->audit);
        profile_sysctl_settings_clear(&p->kernel);

        r = profile_audit_rules_build(&p->audit);
        if (r < 0)
                return r;
        return sysctl_merge(p->kernel.sysctls, &p->kernel.sysctl_settings, &p->kernel.n_sysctl_settings);
}
