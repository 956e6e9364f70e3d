/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* The [Audit] section's rules: the rules loaded in the kernel, and the kernel's audit status (locked,
 * backlog, failure mode, rate limit). */

#include <inttypes.h>

#include "audit-load.h"
#include "compliance-rules.h"

bool audit_rule_loaded(const AuditRule *rule, struct audit_rule_data *const *loaded, size_t n) {
        for (size_t i = 0; i < n; i++)
                if (audit_rule_is_loaded_as(rule, loaded[i]))
                        return true;
        return false;
}

/* What check_audit_rules() compares: the profile's rules, named sets expanded, in order, and the rules
 * the kernel lists (when list_r is 0; otherwise why they could not be listed, -EREMOTE offline). */
typedef struct AuditRules {
        AuditRule *const *want; /* the profile's */
        size_t n_want;
        struct audit_rule_data *const *loaded;
        size_t n_loaded;
        int list_r;
} AuditRules;

/* What the kernel's audit state is read for, as the messages say when it cannot be. */
typedef struct AuditRead {
        const char *offline; /* what only the running kernel has */
        const char *denied;  /* the message without CAP_AUDIT_CONTROL */
        const char *failed;  /* the message for any other error, before ": REASON" */
} AuditRead;

static const AuditRead audit_read_rules = {
        .offline = "The kernel's audit rules",
        .denied = "Listing the audit rules needs CAP_AUDIT_CONTROL (run as root)",
        .failed = "Cannot list the audit rules",
};

static const AuditRead audit_read_status = {
        .offline = "The kernel's audit status",
        .denied = "Reading the audit status needs CAP_AUDIT_CONTROL (run as root)",
        .failed = "Cannot read the audit status",
};

/* Records why the audit state could not be read, read_r being what reading it returned (-EREMOTE in an
 * offline tree): returns 0 with the result recorded, 1 if it was read, or a negative errno. */
static int audit_read_result(ComplianceResult *x, int read_r, const AuditRead *what) {
        if (read_r == -EREMOTE)
                return result_offline(x, what->offline);
        if (read_r == -EPERM || read_r == -EACCES)
                return result_set(x, RULE_ERROR, "%s", what->denied);
        if (read_r < 0) {
                errno = -read_r;
                return result_set(x, RULE_ERROR, "%s: %m", what->failed);
        }
        return 1;
}

/* One result for the named set of Rules=, whose rules start at *k among the wanted ones; *k is moved past
 * them. */
static int check_audit_rule_set(CheckContext *c, const ComplianceRule *rule, const AuditRules *a, const char *name,
                                size_t *k) {
        const char *const *set = audit_rule_set_lookup(name);
        _cleanup_free_ char *inst = strprintf("@%s", name);
        ComplianceResult *x;
        size_t missing = 0, total = 0;
        int r;

        if (!inst)
                return -ENOMEM;
        r = check_begin(c, rule, inst, &x);
        if (r < 0)
                return r;
        for (; set && *set; set++, (*k)++, total++) {
                if (a->list_r >= 0 && !audit_rule_loaded(a->want[*k], a->loaded, a->n_loaded)) {
                        missing++;
                        r = result_evidence(x, "netlink:audit rule list", a->want[*k]->text, "not loaded");
                        if (r < 0)
                                return r;
                }
        }
        r = audit_read_result(x, a->list_r, &audit_read_rules);
        if (r <= 0)
                return r;
        if (missing == 0)
                return result_set(x, RULE_PASS, "All %zu rules of @%s are loaded", total, name);
        return result_set(x, RULE_FAIL, "%zu of %zu rules of @%s are not loaded", missing, total, name);
}

/* One result for one Rule= line, the wanted rule k. */
static int check_audit_rule_line(CheckContext *c, const ComplianceRule *rule, const AuditRules *a, size_t k) {
        bool found = a->list_r >= 0 && audit_rule_loaded(a->want[k], a->loaded, a->n_loaded);
        ComplianceResult *x;
        int r;

        r = check_begin(c, rule, a->want[k]->text, &x);
        if (r < 0)
                return r;
        r = audit_read_result(x, a->list_r, &audit_read_rules);
        if (r <= 0)
                return r;
        r = result_evidence(x, "netlink:audit rule list", a->want[k]->text, found ? "loaded" : "not loaded");
        if (r < 0)
                return r;
        return result_set(x, found ? RULE_PASS : RULE_FAIL, found ? "The rule is loaded" : "The rule is not loaded");
}

static int check_audit_rules(CheckContext *c, const ComplianceRule *rule) {
        const ProfileAudit *p = &c->profile->audit;
        AuditRules a = { .want = p->parsed_rules, .n_want = p->n_parsed_rules };
        size_t n = 0;
        int r;

        if (!p->rule_sets && !p->rules_files && !p->rules)
                return 0;
        if (p->rules_error) {
                /* A profile read leniently, or libaudit here not knowing what it names: say so rather
                 * than leave the rules out of the report. */
                ComplianceResult *x;
                int k;

                k = check_begin(c, rule, NULL, &x);
                if (k < 0)
                        return k;
                return result_set(x, RULE_ERROR, "The profile's audit rules cannot be built: %s", p->rules_error);
        }

        a.list_r = probe_audit_rules(c, &a.loaded, &a.n_loaded); /* every loaded rule, whatever its key */

        /* One result per named set, and one per rule of RulesFile= and line of Rule=. */
        STRV_FOREACH(s, p->rule_sets) {
                r = check_audit_rule_set(c, rule, &a, *s, &n);
                if (r < 0)
                        return r;
        }
        for (; n < a.n_want; n++) {
                r = check_audit_rule_line(c, rule, &a, n);
                if (r < 0)
                        return r;
        }
        return 0;
}

/* Begins the result of a rule about the kernel's audit status. Returns 1 and the result and the status
 * when it was read; 0 when it cannot be, with the result recorded; or a negative errno. */
static int audit_status_begin(CheckContext *c, const ComplianceRule *rule, ComplianceResult **ret,
                              AuditStatus *ret_status) {
        ComplianceResult *x;
        int r;

        r = check_begin(c, rule, NULL, &x);
        if (r < 0)
                return r;
        *ret = x;
        if (c->live)
                r = probe_audit_status(c, ret_status);
        else
                r = -EREMOTE;
        return audit_read_result(x, r, &audit_read_status);
}

static int check_audit_immutable(CheckContext *c, const ComplianceRule *rule) {
        ComplianceResult *x;
        AuditStatus s;
        int r;

        if (c->profile->audit.immutable < 0)
                return 0;
        r = audit_status_begin(c, rule, &x, &s);
        if (r <= 0)
                return r;
        r = result_evidence(x, "netlink:audit status enabled", c->profile->audit.immutable ? "2" : "0 or 1",
                            check_tmp(c, "%u", s.enabled));
        if (r < 0)
                return r;
        if (c->profile->audit.immutable)
                return result_set(x, s.enabled == 2 ? RULE_PASS : RULE_FAIL,
                                  s.enabled == 2 ? "The audit configuration is locked until reboot" :
                                                   "The audit configuration is not locked (enabled=%u)",
                                  s.enabled);
        return result_set(x, s.enabled == 2 ? RULE_FAIL : RULE_PASS, "enabled=%u", s.enabled);
}

/* A number of the audit status against the profile's: field names it as auditctl -s does; at_least
 * says whether more than wanted also passes. */
static int check_audit_number(CheckContext *c, const ComplianceRule *rule, uint64_t want, const char *field,
                              AuditSetting setting, bool at_least) {
        ComplianceResult *x;
        AuditStatus s;
        unsigned v;
        int r;

        if (want == NUMBER_UNSET)
                return 0;
        r = audit_status_begin(c, rule, &x, &s);
        if (r <= 0)
                return r;
        v = audit_status_value(&s, setting);
        r = result_evidence(x, check_tmp(c, "netlink:audit status %s", field),
                            check_tmp(c, "%s%" PRIu64, at_least ? ">= " : "", want), check_tmp(c, "%u", v));
        if (r < 0)
                return r;
        if (at_least ? v >= want : v == want)
                return result_set(x, RULE_PASS, "%s is %u", field, v);
        return result_set(x, RULE_FAIL, "%s is %u, expected %s%" PRIu64, field, v, at_least ? "at least " : "", want);
}

static int check_audit_backlog(CheckContext *c, const ComplianceRule *rule) {
        return check_audit_number(c, rule, c->profile->audit.backlog_limit, "backlog_limit",
                                  AUDIT_SETTING_BACKLOG_LIMIT, true);
}

static int check_audit_rate_limit(CheckContext *c, const ComplianceRule *rule) {
        return check_audit_number(c, rule, c->profile->audit.rate_limit, "rate_limit", AUDIT_SETTING_RATE_LIMIT, false);
}

/* The wait bounds how long a process is held when the backlog is full: more than asked delays the
 * host, less loses events sooner; the profile's value is wanted exactly. */
static int check_audit_backlog_wait_time(CheckContext *c, const ComplianceRule *rule) {
        return check_audit_number(c, rule, c->profile->audit.backlog_wait_time, "backlog_wait_time",
                                  AUDIT_SETTING_BACKLOG_WAIT_TIME, false);
}

static int check_audit_loginuid_immutable(CheckContext *c, const ComplianceRule *rule) {
        ComplianceResult *x;
        AuditStatus s;
        int r;

        if (c->profile->audit.loginuid_immutable <= 0)
                return 0;
        r = audit_status_begin(c, rule, &x, &s);
        if (r <= 0)
                return r;
        r = result_evidence(x, "netlink:audit features loginuid_immutable", "1",
                            check_tmp(c, "%u", s.loginuid_immutable));
        if (r < 0)
                return r;
        return result_set(x, s.loginuid_immutable ? RULE_PASS : RULE_FAIL,
                          s.loginuid_immutable ? "A process's login uid cannot be changed once set" :
                                                 "A process with CAP_AUDIT_CONTROL can change its login uid");
}

static int check_audit_failure_mode(CheckContext *c, const ComplianceRule *rule) {
        int want = c->profile->audit.failure_mode;
        ComplianceResult *x;
        AuditStatus s;
        int r;

        if (want < 0)
                return 0;
        r = audit_status_begin(c, rule, &x, &s);
        if (r <= 0)
                return r;
        r = result_evidence(x, "netlink:audit status failure", audit_failure_mode_to_string(want),
                            audit_failure_mode_to_string((int) s.failure) ?: check_tmp(c, "%u", s.failure));
        if (r < 0)
                return r;
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
        .rationale =
                "Locked rules cannot be removed by an attacker who gained root: turning auditing off takes a reboot, which is itself recorded.",
        .cis = "6.2.3.20",
        .srg = "SRG-OS-000057-GPOS-00027 SRG-OS-000058-GPOS-00028 SRG-OS-000059-GPOS-00029",
        .nist = "AC-6(9) CM-6(a)",
        .remediation =
                "Set [Audit] Immutable=yes; hardenctl-audit.service locks the configuration after loading the rules.",
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

const ComplianceRule rule_audit_backlog_wait_time = {
        .id = "hardenctl-audit-backlog-wait-time",
        .title = "The audit backlog wait time is as the profile says",
        .severity = SEVERITY_LOW,
        .rationale = "How long a process waits for room in a full backlog before the event is lost.",
        .nist = "AU-5",
        .remediation = "Set [Audit] BacklogWaitTime= and start hardenctl-audit.service.",
        .check = check_audit_backlog_wait_time,
};

const ComplianceRule rule_audit_loginuid_immutable = {
        /* auditd's 11-loginuid.rules; OSPP FAU_GEN.1 (the subject's identity in every record). */
        .id = "hardenctl-audit-loginuid-immutable",
        .title = "Login uids cannot be changed once set",
        .severity = SEVERITY_MEDIUM,
        .rationale =
                "Every record names the user who logged in (auid); if it can be changed, a privileged process can act under another user's name.",
        .srg = "SRG-OS-000462-GPOS-00206 SRG-OS-000475-GPOS-00220",
        .nist = "AU-3 AU-9",
        .remediation = "Set [Audit] LoginUIDImmutable=yes; hardenctl-audit.service sets and locks the kernel's feature.",
        .check = check_audit_loginuid_immutable,
};
