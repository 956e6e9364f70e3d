/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* The [Audit] section's rules: the rules loaded in the kernel, and the kernel's audit status (locked,
 * backlog, failure mode, rate limit). */

#include <inttypes.h>

#include "audit-load.h"
#include "compliance-rules.h"

typedef struct LoadedRules {
        struct audit_rule_data **rules;
        size_t n;
} LoadedRules;

static int collect_rule(const struct audit_rule_data *r, void *userdata) {
        LoadedRules *l = userdata;
        size_t size = sizeof(struct audit_rule_data) + r->buflen;
        struct audit_rule_data *copy, **n;

        copy = malloc(size);
        if (!copy)
                return -ENOMEM;
        memcpy(copy, r, size);
        n = reallocarray(l->rules, l->n + 1, sizeof(*n));
        if (!n) {
                free(copy);
                return -ENOMEM;
        }
        l->rules = n;
        l->rules[l->n++] = copy;
        return 0;
}

static void loaded_rules_done(LoadedRules *l) {
        for (size_t i = 0; i < l->n; i++)
                free(l->rules[i]);
        free(l->rules);
}

bool audit_rule_loaded(const AuditRule *rule, struct audit_rule_data *const *loaded, size_t n) {
        for (size_t i = 0; i < n; i++)
                if (audit_rule_is_loaded_as(rule, loaded[i]))
                        return true;
        return false;
}

static int check_audit_rules(CheckContext *c, const ComplianceRule *rule) {
        const ProfileAudit *a = &c->profile->audit;
        _cleanup_(loaded_rules_done) LoadedRules loaded = {};
        _cleanup_free_ char *error = NULL;
        AuditRule **want = NULL;
        size_t n_want = 0, k = 0;
        int fd, r, probe_r;

        if (!a->rule_sets && !a->rules)
                return 0;
        r = audit_rules_from_profile(c->profile, &want, &n_want, &error);
        if (r == -ENOMEM)
                return r;
        if (r < 0) {
                /* A profile read leniently, or libaudit here not knowing what it names: say so rather
                 * than leave the rules out of the report. */
                ComplianceResult *x = BEGIN(c, rule, NULL);

                errno = -r;
                return result_set(x, RULE_ERROR, "The profile's audit rules cannot be built: %s",
                                  error ?: strerror(-r));
        }

        probe_r = c->live ? probe_audit_fd(c, &fd) : -EREMOTE;
        if (probe_r >= 0) {
                /* Every loaded rule, whatever its key. */
                probe_r = audit_list_with_key(fd, NULL, collect_rule, &loaded);
        }

        /* One result per named set, and one per Rule= line. */
        for (char **s = a->rule_sets; s && *s; s++) {
                const char *const *set = audit_rule_set_lookup(*s);
                _cleanup_free_ char *inst = strprintf("@%s", *s);
                ComplianceResult *x;
                size_t missing = 0, total = 0;

                if (!inst) {
                        r = -ENOMEM;
                        goto finish;
                }
                x = check_begin(c, rule, inst);
                if (!x) {
                        r = -ENOMEM;
                        goto finish;
                }
                for (; set && *set; set++, k++, total++) {
                        if (probe_r >= 0 && !audit_rule_loaded(want[k], loaded.rules, loaded.n)) {
                                missing++;
                                r = result_evidence(x, "netlink:audit rule list", want[k]->text, "not loaded");
                                if (r < 0)
                                        goto finish;
                        }
                }
                if (probe_r == -EREMOTE)
                        r = result_offline(x, "The kernel's audit rules");
                else if (probe_r == -EPERM || probe_r == -EACCES)
                        r = result_set(x, RULE_ERROR, "Listing the audit rules needs CAP_AUDIT_CONTROL (run as root)");
                else if (probe_r < 0) {
                        errno = -probe_r;
                        r = result_set(x, RULE_ERROR, "Cannot list the audit rules: %m");
                } else if (missing == 0)
                        r = result_set(x, RULE_PASS, "All %zu rules of @%s are loaded", total, *s);
                else
                        r = result_set(x, RULE_FAIL, "%zu of %zu rules of @%s are not loaded", missing, total, *s);
                if (r < 0)
                        goto finish;
        }
        for (; k < n_want; k++) {
                ComplianceResult *x = check_begin(c, rule, want[k]->text);
                bool found = probe_r >= 0 && audit_rule_loaded(want[k], loaded.rules, loaded.n);

                if (!x) {
                        r = -ENOMEM;
                        goto finish;
                }
                if (probe_r == -EREMOTE)
                        r = result_offline(x, "The kernel's audit rules");
                else if (probe_r == -EPERM || probe_r == -EACCES)
                        r = result_set(x, RULE_ERROR, "Listing the audit rules needs CAP_AUDIT_CONTROL (run as root)");
                else if (probe_r < 0) {
                        errno = -probe_r;
                        r = result_set(x, RULE_ERROR, "Cannot list the audit rules: %m");
                } else {
                        r = result_evidence(x, "netlink:audit rule list", want[k]->text, found ? "loaded" : "not loaded");
                        if (r >= 0)
                                r = result_set(x, found ? RULE_PASS : RULE_FAIL, found ? "The rule is loaded" : "The rule is not loaded");
                }
                if (r < 0)
                        goto finish;
        }
        r = 0;
finish:
        audit_rules_free(want, n_want);
        return r;
}

/* [Audit] settings read from the kernel's audit status. */
static int audit_status_result(CheckContext *c, ComplianceResult *x, AuditStatus *ret) {
        int r;

        if (!c->live)
                return result_offline(x, "The kernel's audit status"), 0;
        r = probe_audit_status(c, &ret->enabled, &ret->failure, &ret->backlog_limit, &ret->rate_limit);
        if (r == -EPERM || r == -EACCES)
                return result_set(x, RULE_ERROR, "Reading the audit status needs CAP_AUDIT_CONTROL (run as root)"), 0;
        if (r < 0) {
                errno = -r;
                return result_set(x, RULE_ERROR, "Cannot read the audit status: %m"), 0;
        }
        return 1;
}

static int check_audit_immutable(CheckContext *c, const ComplianceRule *rule) {
        ComplianceResult *x;
        AuditStatus s;
        int r;

        if (c->profile->audit.immutable < 0)
                return 0;
        x = BEGIN(c, rule, NULL);
        r = audit_status_result(c, x, &s);
        if (r <= 0)
                return r;
        TRY(result_evidence(x, "netlink:audit status enabled", c->profile->audit.immutable ? "2" : "0 or 1",
                            check_tmp(c, "%u", s.enabled)));
        if (c->profile->audit.immutable)
                return result_set(x, s.enabled == 2 ? RULE_PASS : RULE_FAIL,
                                  s.enabled == 2 ? "The audit configuration is locked until reboot"
                                                 : "The audit configuration is not locked (enabled=%u)", s.enabled);
        return result_set(x, s.enabled == 2 ? RULE_FAIL : RULE_PASS, "enabled=%u", s.enabled);
}

static int check_audit_number(CheckContext *c, const ComplianceRule *rule, uint64_t want, const char *field, bool at_least) {
        ComplianceResult *x;
        AuditStatus s;
        unsigned v;
        int r;

        if (want == NUMBER_UNSET)
                return 0;
        x = BEGIN(c, rule, NULL);
        r = audit_status_result(c, x, &s);
        if (r <= 0)
                return r;
        v = streq(field, "backlog_limit") ? s.backlog_limit : s.rate_limit;
        TRY(result_evidence(x, check_tmp(c, "netlink:audit status %s", field),
                            check_tmp(c, "%s%" PRIu64, at_least ? ">= " : "", want), check_tmp(c, "%u", v)));
        if (at_least ? v >= want : v == want)
                return result_set(x, RULE_PASS, "%s is %u", field, v);
        return result_set(x, RULE_FAIL, "%s is %u, expected %s%" PRIu64, field, v, at_least ? "at least " : "", want);
}

static int check_audit_backlog(CheckContext *c, const ComplianceRule *rule) {
        return check_audit_number(c, rule, c->profile->audit.backlog_limit, "backlog_limit", true);
}

static int check_audit_rate_limit(CheckContext *c, const ComplianceRule *rule) {
        return check_audit_number(c, rule, c->profile->audit.rate_limit, "rate_limit", false);
}

static int check_audit_failure_mode(CheckContext *c, const ComplianceRule *rule) {
        int want = c->profile->audit.failure_mode;
        ComplianceResult *x;
        AuditStatus s;
        int r;

        if (want < 0)
                return 0;
        x = BEGIN(c, rule, NULL);
        r = audit_status_result(c, x, &s);
        if (r <= 0)
                return r;
        TRY(result_evidence(x, "netlink:audit status failure", audit_failure_mode_to_string(want),
                            audit_failure_mode_to_string((int) s.failure) ?: check_tmp(c, "%u", s.failure)));
        return result_set(x, (int) s.failure == want ? RULE_PASS : RULE_FAIL, "The audit failure mode is %s",
                          audit_failure_mode_to_string((int) s.failure) ?: "unknown");
}

/* ---- the rules ---- */

const ComplianceRule rule_audit_rules = {
        /* ComplianceAsCode: the SRG ids every audit_rules_* rule carries (audit_rules_sysadmin_actions,
         * …). CIS 6.2.3.x and the STIG name single audit rules, not "the profile's rules". */
        .id = "hardenctl-audit-rules",
        .title = "The audit rules the profile asks for are loaded",
        .severity = SEVERITY_MEDIUM,
        .rationale = "Without the rules the kernel records none of the events that regulators ask for.",
        .srg = "SRG-OS-000037-GPOS-00015 SRG-OS-000062-GPOS-00031",
        .nist = "AU-2 AU-12 AU-3",
        .remediation = "Start hardenctl-audit.service, which loads [Audit] Rules= and Rule= through libaudit.",
        .check = check_audit_rules,
};

const ComplianceRule rule_audit_immutable = {
        /* ComplianceAsCode: audit_rules_immutable; CIS 6.2.3.20. */
        .id = "hardenctl-audit-immutable",
        .title = "The audit configuration is locked until reboot",
        .severity = SEVERITY_HIGH,
        .rationale = "Locked rules cannot be removed by an attacker who gained root: turning auditing off takes a reboot, which is itself recorded.",
        .cis = "6.2.3.20",
        .srg = "SRG-OS-000057-GPOS-00027 SRG-OS-000058-GPOS-00028 SRG-OS-000059-GPOS-00029",
        .nist = "AC-6(9) CM-6(a)",
        .remediation = "Set [Audit] Immutable=yes; hardenctl-audit.service locks the configuration after loading the rules.",
        .check = check_audit_immutable,
};

const ComplianceRule rule_audit_backlog = {
        /* ComplianceAsCode: grub2_audit_backlog_limit_argument; CIS 6.2.1.4. */
        .id = "hardenctl-audit-backlog",
        .title = "The audit backlog can hold bursts of events",
        .severity = SEVERITY_LOW,
        .rationale = "A small backlog loses events, or blocks, under load.",
        .cis = "6.2.1.4",
        .srg = "SRG-OS-000037-GPOS-00015 SRG-OS-000042-GPOS-00020 SRG-OS-000062-GPOS-00031 SRG-OS-000254-GPOS-00095 SRG-OS-000341-GPOS-00132 SRG-OS-000392-GPOS-00172 SRG-OS-000462-GPOS-00206 SRG-OS-000471-GPOS-00215",
        .nist = "CM-6(a)",
        .remediation = "Set [Audit] BacklogLimit= (and audit_backlog_limit= on the command line for early boot).",
        .check = check_audit_backlog,
};

const ComplianceRule rule_audit_failure_mode = {
        .id = "hardenctl-audit-failure-mode",
        .title = "The kernel acts on audit failures as the profile says",
        .severity = SEVERITY_MEDIUM,
        .rationale = "Whether a failure to record is silent, logged or fatal decides whether audit gaps go unnoticed.",
        .nist = "AU-5",
        .remediation = "Set [Audit] FailureMode= and start hardenctl-audit.service.",
        .check = check_audit_failure_mode,
};

const ComplianceRule rule_audit_rate_limit = {
        .id = "hardenctl-audit-rate-limit",
        .title = "The audit rate limit is as the profile says",
        .severity = SEVERITY_LOW,
        .rationale = "A rate limit drops events beyond it.",
        .nist = "AU-5",
        .remediation = "Set [Audit] RateLimit= and start hardenctl-audit.service.",
        .check = check_audit_rate_limit,
};
