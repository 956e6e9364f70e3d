/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* [Benchmark] CIS=: the audit rules the benchmark asks for (CIS 6.2.3.1-6.2.3.19), each one recorded now
 * and at the next boot. A rule of the benchmark is met by a rule that records every event it records
 * (audit_rule_covers(): the same rule under any key, or a broader one), loaded in the kernel and among
 * the rules the next boot loads: the boot profile's [Audit] rules (hardenctl-audit.service) and
 * /etc/audit/rules.d/\*.rules (augenrules, when auditd starts), after their last -D. An offline tree has
 * only the second half. */

#include <fcntl.h>

#include "audit-load.h"
#include "boot.h"
#include "compliance-rules.h"
#include "path-util.h"

#define AUDIT_RULES_D "/etc/audit/rules.d"
#define AUID " -F auid>=1000 -F auid!=unset"
#define B64_B32(rest) "-a always,exit -F arch=b64 " rest, "-a always,exit -F arch=b32 " rest
#define EXEC_OF(path, key) "-a always,exit -F path=" path " -F perm=x" AUID " -k " key

/* The rules of each item, as the benchmark's audit procedure lists them (its keys are what the
 * benchmark suggests; any key meets them). ComplianceAsCode: audit_rules_sysadmin_actions,
 * audit_rules_suid_auid_privilege_function, audit_sudo_log_events, audit_rules_time_*,
 * audit_rules_networkconfig_modification, audit_rules_unsuccessful_file_modification_*,
 * audit_rules_usergroup_modification_*, audit_rules_dac_modification_*, audit_rules_media_export,
 * audit_rules_session_events_*, audit_rules_login_events_*, audit_rules_file_deletion_events_*,
 * audit_rules_mac_modification*, audit_rules_execution_{chcon,setfacl,chacl}, audit_rules_privileged_
 * commands_usermod, audit_rules_kernel_module_loading_* (controls/cis_debian12.yml). */
static const char *const scope_rules[] = {
        "-w /etc/sudoers -p wa -k scope",
        "-w /etc/sudoers.d -p wa -k scope",
        NULL,
};
static const char *const user_emulation_rules[] = {
        B64_B32("-C euid!=uid -F auid!=unset -S execve -k user_emulation"),
        NULL,
};
static const char *const time_change_rules[] = {
        B64_B32("-S adjtimex,settimeofday -k time-change"),
        B64_B32("-S clock_settime -F a0=0x0 -k time-change"),
        "-w /etc/localtime -p wa -k time-change",
        NULL,
};
static const char *const system_locale_rules[] = {
        B64_B32("-S sethostname,setdomainname -k system-locale"),
        "-w /etc/issue -p wa -k system-locale",
        "-w /etc/issue.net -p wa -k system-locale",
        "-w /etc/hosts -p wa -k system-locale",
        "-w /etc/networks -p wa -k system-locale",
        "-w /etc/network -p wa -k system-locale",
        NULL,
};
static const char *const access_rules[] = {
        B64_B32("-S creat,open,openat,truncate,ftruncate -F exit=-EACCES" AUID " -k access"),
        B64_B32("-S creat,open,openat,truncate,ftruncate -F exit=-EPERM" AUID " -k access"),
        NULL,
};
static const char *const identity_rules[] = {
        "-w /etc/group -p wa -k identity",
        "-w /etc/passwd -p wa -k identity",
        "-w /etc/gshadow -p wa -k identity",
        "-w /etc/shadow -p wa -k identity",
        "-w /etc/security/opasswd -p wa -k identity",
        "-w /etc/nsswitch.conf -p wa -k identity",
        "-w /etc/pam.conf -p wa -k identity",
        "-w /etc/pam.d -p wa -k identity",
        NULL,
};
static const char *const perm_mod_rules[] = {
        B64_B32("-S chmod,fchmod,fchmodat" AUID " -k perm_mod"),
        B64_B32("-S chown,fchown,lchown,fchownat" AUID " -k perm_mod"),
        B64_B32("-S setxattr,lsetxattr,fsetxattr,removexattr,lremovexattr,fremovexattr" AUID " -k perm_mod"),
        NULL,
};
static const char *const mounts_rules[] = {
        B64_B32("-S mount" AUID " -k mounts"),
        NULL,
};
static const char *const session_rules[] = {
        "-w /var/run/utmp -p wa -k session",
        "-w /var/log/wtmp -p wa -k session",
        "-w /var/log/btmp -p wa -k session",
        NULL,
};
static const char *const logins_rules[] = {
        "-w /var/log/lastlog -p wa -k logins",
        "-w /var/run/faillock -p wa -k logins",
        NULL,
};
static const char *const delete_rules[] = {
        B64_B32("-S rename,unlink,unlinkat,renameat" AUID " -k delete"),
        NULL,
};
static const char *const mac_policy_rules[] = {
        "-w /etc/apparmor -p wa -k MAC-policy",
        "-w /etc/apparmor.d -p wa -k MAC-policy",
        NULL,
};
static const char *const chcon_rules[] = { EXEC_OF("/usr/bin/chcon", "perm_chng"), NULL };
static const char *const setfacl_rules[] = { EXEC_OF("/usr/bin/setfacl", "perm_chng"), NULL };
static const char *const chacl_rules[] = { EXEC_OF("/usr/bin/chacl", "perm_chng"), NULL };
static const char *const usermod_rules[] = { EXEC_OF("/usr/sbin/usermod", "usermod"), NULL };
static const char *const kernel_modules_rules[] = {
        "-a always,exit -F arch=b64 -S init_module,finit_module,delete_module,create_module,query_module" AUID
        " -k kernel_modules",
        EXEC_OF("/usr/bin/kmod", "kernel_modules"),
        NULL,
};

/* The sudo log's watch is built from sudoers' Defaults logfile=, the privileged commands' rules from the
 * SUID and SGID files the walk finds (below). */
#define SUDO_LOG_ITEM 2
#define PRIVILEGED_ITEM 5

static const ItemRef audit_rule_refs[] = {
        { "scope", "6.2.3.1", NULL, NULL },           { "user_emulation", "6.2.3.2", NULL, NULL },
        { "sudo_log_file", "6.2.3.3", NULL, NULL },   { "time-change", "6.2.3.4", NULL, NULL },
        { "system-locale", "6.2.3.5", NULL, NULL },   { "privileged", "6.2.3.6", NULL, NULL },
        { "access", "6.2.3.7", NULL, NULL },          { "identity", "6.2.3.8", NULL, NULL },
        { "perm_mod", "6.2.3.9", NULL, NULL },        { "mounts", "6.2.3.10", NULL, NULL },
        { "session", "6.2.3.11", NULL, NULL },        { "logins", "6.2.3.12", NULL, NULL },
        { "delete", "6.2.3.13", NULL, NULL },         { "MAC-policy", "6.2.3.14", NULL, NULL },
        { "chcon", "6.2.3.15", NULL, NULL },          { "setfacl", "6.2.3.16", NULL, NULL },
        { "chacl", "6.2.3.17", NULL, NULL },          { "usermod", "6.2.3.18", NULL, NULL },
        { "kernel_modules", "6.2.3.19", NULL, NULL },
};

static const char *const *const audit_rule_lines[] = {
        scope_rules,   user_emulation_rules, NULL,           time_change_rules,    system_locale_rules,
        NULL,          access_rules,         identity_rules, perm_mod_rules,       mounts_rules,
        session_rules, logins_rules,         delete_rules,   mac_policy_rules,     chcon_rules,
        setfacl_rules, chacl_rules,          usermod_rules,  kernel_modules_rules,
};

_Static_assert(ELEMENTSOF(audit_rule_lines) == ELEMENTSOF(audit_rule_refs), "rules per item");

/* A rule the next boot loads, and where it is written. */
typedef struct BootRule {
        AuditRule *rule;
        char *source; /* FILE:LINE, or the boot profile */
        bool rules_d; /* from rules.d: a later -D there deletes it */
} BootRule;

typedef struct AuditRulesState {
        bool read;
        struct audit_rule_data *const *loaded;
        size_t n_loaded;
        int loaded_r;
        BootRule *boot;
        size_t n_boot;
        char **unreadable;          /* rules files that could not be read, with why */
        const char *rules_d_unused; /* why rules.d is not loaded at boot, or NULL */
        const char *boot_unusable;  /* why the boot profile is unusable (the boot fails closed), or NULL */
} AuditRulesState;

static void audit_rules_state_done(AuditRulesState *s) {
        for (size_t i = 0; i < s->n_boot; i++) {
                audit_rule_free(s->boot[i].rule);
                free(s->boot[i].source);
        }
        free(s->boot);
        strv_free(s->unreadable);
}

static int boot_rule_add(AuditRulesState *s, AuditRule *rule, char *source, bool rules_d) {
        BootRule *n;

        if (!rule || !source) {
                audit_rule_free(rule);
                free(source);
                return -ENOMEM;
        }
        n = array_grow_pow2(s->boot, s->n_boot, sizeof(*n));
        if (!n) {
                audit_rule_free(rule);
                free(source);
                return -ENOMEM;
        }
        s->boot = n;
        s->boot[s->n_boot++] = (BootRule){ rule, source, rules_d };
        return 0;
}

/* -D in rules.d: augenrules loads the files in one run, so it deletes the rules of rules.d before it. The
 * boot profile's rules are loaded after augenrules (hardenctl-audit.service) and stay. "-D -k KEY" counts
 * as deleting them all: what it spares is not counted on. */
static void boot_rules_delete_rules_d(AuditRulesState *s) {
        size_t n = 0;

        for (size_t i = 0; i < s->n_boot; i++) {
                if (s->boot[i].rules_d) {
                        audit_rule_free(s->boot[i].rule);
                        free(s->boot[i].source);
                        continue;
                }
                s->boot[n++] = s->boot[i];
        }
        s->n_boot = n;
}

/* The rules of one file of rules.d, each with its line; lines auditctl would refuse are left out, as
 * augenrules -i loads the rest. */
static int read_rules_file(CheckContext *c, AuditRulesState *s, const char *path) {
        _cleanup_free_ char *text = NULL;
        unsigned line = 0;
        int r;

        r = probe_read_file(c, path, 0, &text);
        if (r == -ENOMEM)
                return r;
        if (r < 0)
                return strv_extend(&s->unreadable, check_tmp(c, "%s: %s", path, strerror(-r)));
        for (char *l = text; l && *l;) {
                char *end = strchrnul(l, '\n'), *next = *end ? end + 1 : NULL, *reason = NULL;
                AuditRule *rule = NULL;
                AuditControl control;
                uint32_t value;

                *end = '\0';
                line++;
                r = audit_line_parse_at(c->live ? AT_FDCWD : c->root_fd, l, &rule, &control, &value, &reason);
                free(reason);
                if (r == -ENOMEM)
                        return r;
                if (r == AUDIT_LINE_RULE) {
                        r = boot_rule_add(s, rule, strprintf("%s:%u", path, line), true);
                        if (r < 0)
                                return r;
                } else if (r == AUDIT_LINE_CONTROL && control == AUDIT_CONTROL_DELETE_ALL)
                        boot_rules_delete_rules_d(s);
                l = next;
        }
        return 0;
}

static int audit_rules_state_read(CheckContext *c, AuditRulesState *s) {
        _cleanup_strv_free_ char **files = NULL;
        const Profile *boot;
        int r;

        if (s->read)
                return 0;
        s->read = true;
        s->loaded_r = probe_audit_rules(c, &s->loaded, &s->n_loaded);

        r = probe_boot_profile(c, &boot);
        if (r == -ENOMEM)
                return r;
        if (r == -EBADMSG)
                s->boot_unusable = c->boot_profile_error ?: "unusable";
        if (r >= 0)
                for (size_t i = 0; i < boot->audit.n_parsed_rules; i++) {
                        r = boot_rule_add(s, audit_rule_copy(boot->audit.parsed_rules[i]),
                                          strprintf("%s [Audit]", BOOT_PROFILE_PATH), false);
                        if (r < 0)
                                return r;
                }

        /* augenrules loads rules.d when auditd starts (auditd.service's ExecStartPost= in audit 3.0,
         * audit-rules.service in 4.0): only if one of them is enabled. */
        if (!probe_unit_enabled(c, "auditd.service") && !probe_unit_enabled(c, "audit-rules.service")) {
                s->rules_d_unused = "neither auditd.service nor audit-rules.service is enabled";
                return 0;
        }
        r = probe_list_dir(c, AUDIT_RULES_D, probe_suffix_filter, ".rules", &files);
        if (r == -ENOMEM)
                return r;
        STRV_FOREACH(f, files) {
                r = read_rules_file(c, s, *f);
                if (r < 0)
                        return r;
        }
        return 0;
}

/* Whether a rule of the kernel's list covers want. */
static bool covered_now(const AuditRulesState *s, const AuditRule *want, int root_fd) {
        for (size_t i = 0; i < s->n_loaded; i++)
                if (audit_rule_covers(s->loaded[i], want->data, root_fd) != AUDIT_COVERS_NOT)
                        return true;
        return false;
}

/* The first rule of the next boot that covers want, or NULL. */
static const BootRule *covered_at_boot(const AuditRulesState *s, const AuditRule *want, int root_fd) {
        for (size_t i = 0; i < s->n_boot; i++)
                if (audit_rule_covers(s->boot[i].rule->data, want->data, root_fd) != AUDIT_COVERS_NOT)
                        return s->boot + i;
        return NULL;
}

/* Judges one rule of the benchmark; *missing_now and *missing_boot count what is not met. Returns 1 if
 * judged, 0 if the rule cannot be built on this host (a system call its architecture does not have). */
static int judge_line(CheckContext *c, ComplianceResult *x, const AuditRulesState *s, const char *text,
                      unsigned *missing_now, unsigned *missing_boot) {
        _cleanup_(audit_rule_freep) AuditRule *want = NULL;
        _cleanup_free_ char *reason = NULL;
        const BootRule *b;
        int r;

        r = audit_rule_parse_at(c->live ? AT_FDCWD : c->root_fd, text, &want, &reason);
        if (r == -ENOMEM)
                return r;
        if (r < 0) { /* libaudit here does not know a system call of it: not a rule this host can have */
                r = result_evidence(x, "libaudit", text, check_tmp(c, "cannot be built here: %s", reason));
                return r < 0 ? r : 0;
        }
        if (s->loaded_r >= 0) {
                bool now = covered_now(s, want, c->root_fd);

                r = result_evidence(x, "netlink:audit rule list", text, now ? "loaded" : "not loaded");
                if (r < 0)
                        return r;
                *missing_now += !now;
        }
        b = covered_at_boot(s, want, c->root_fd);
        r = result_evidence(x, b ? b->source : "next boot", text, b ? b->rule->text : "not in the rules the boot loads");
        if (r < 0)
                return r;
        *missing_boot += !b;
        return 1;
}

/* One rule per SUID or SGID program, as the benchmark builds them: every one where the set-id bits count
 * (not on a file system mounted nosuid or noexec). Returns 1 and the lines, 0 with a verdict set. */
static int privileged_lines(CheckContext *c, ComplianceResult *x, char ***ret) {
        _cleanup_strv_free_ char **lines = NULL;
        const WalkResult *w;
        int r;

        r = probe_walk(c, &w);
        if (r == -ENOMEM)
                return r;
        if (r < 0)
                return result_errno(x, r, c->root);
        if (w->count[WALK_SUID] > WALK_SUID_MAX)
                return result_set(x, RULE_NOTCHECKED, "More than %u SUID or SGID files: too many to judge one by one",
                                  WALK_SUID_MAX);
        if (w->count[WALK_SUID] == 0)
                return result_set(x, RULE_PASS, "No SUID or SGID program where set-id bits count: nothing to audit");
        STRV_FOREACH(p, w->found[WALK_SUID].l) {
                _cleanup_free_ char *escaped = NULL;
                FILE *f;
                size_t n;

                /* auditctl splits words at spaces; "\ " is a space in one. */
                f = open_memstream(&escaped, &n);
                if (!f)
                        return -ENOMEM;
                for (const char *q = *p; *q; q++)
                        fputs(*q == ' ' ? "\\ " : (char[2]){ *q, 0 }, f);
                if (fclose(f) != 0)
                        return -ENOMEM;
                r = strv_consume(&lines, strprintf("-a always,exit -F path=%s -F perm=x" AUID " -k privileged", escaped));
                if (r < 0)
                        return r;
        }
        *ret = TAKE_PTR(lines);
        return 1;
}

static int check_audit_rule_one(CheckContext *c, const ComplianceRule *rule, AuditRulesState *s, size_t i) {
        _cleanup_(sudo_default_done) SudoDefault d = {};
        _cleanup_strv_free_ char **privileged = NULL;
        const char *const *lines = audit_rule_lines[i];
        const char *sudo_log[2] = {};
        unsigned n = 0, n_lines = 0, missing_now = 0, missing_boot = 0;
        ComplianceResult *x;
        int r;

        r = check_begin(c, rule, rule->items[i].item, &x);
        if (r < 0)
                return r;
        r = audit_rules_state_read(c, s);
        if (r < 0)
                return r;
        if (i == SUDO_LOG_ITEM) {
                const SudoFindings *f;

                r = probe_sudoers(c, &f);
                if (r == -ENOENT)
                        return result_set(x, RULE_NOTAPPLICABLE, "There is no /etc/sudoers");
                if (r < 0)
                        return r == -ENOMEM ? r : result_errno(x, r, "/etc/sudoers");
                r = probe_sudo_default(c, f, "logfile", &d);
                if (r < 0)
                        return r;
                if (!d.value || !path_is_absolute(d.value))
                        return result_set(x, RULE_FAIL, "sudo keeps no log file (Defaults logfile= is not set)");
                sudo_log[0] = check_tmp(c, "-w %s -p wa -k sudo_log_file", d.value);
                lines = sudo_log;
        }
        if (i == PRIVILEGED_ITEM) {
                r = privileged_lines(c, x, &privileged);
                if (r <= 0)
                        return r;
                lines = (const char *const *) privileged;
        }
        for (; *lines; lines++, n_lines++) {
                r = judge_line(c, x, s, *lines, &missing_now, &missing_boot);
                if (r < 0)
                        return r;
                n += r;
        }
        if (n == 0)
                return result_set(x, RULE_NOTAPPLICABLE,
                                  "None of the benchmark's %u rules can be built here: this architecture does not have "
                                  "the system calls they name",
                                  n_lines);
        if (s->boot_unusable) {
                r = result_evidence(x, BOOT_PROFILE_PATH, "a usable boot profile", s->boot_unusable);
                if (r < 0)
                        return r;
        }
        if (s->rules_d_unused) {
                r = result_evidence(x, AUDIT_RULES_D, "loaded at boot by augenrules", s->rules_d_unused);
                if (r < 0)
                        return r;
        }
        if (s->unreadable) {
                r = result_evidence(x, AUDIT_RULES_D, "readable", check_tmp(c, "%s", s->unreadable[0]));
                if (r < 0)
                        return r;
        }
        if (missing_boot > 0 || missing_now > 0) {
                if (missing_now == 0)
                        return result_set(x, RULE_FAIL, "%u of %u rules are not among the rules the next boot loads",
                                          missing_boot, n);
                if (missing_boot == 0)
                        return result_set(x, RULE_FAIL, "%u of %u rules are not loaded", missing_now, n);
                return result_set(x, RULE_FAIL, "%u of %u rules are not loaded, %u not loaded at the next boot",
                                  missing_now, n, missing_boot);
        }
        if (s->loaded_r == -EREMOTE)
                return result_offline(x, "The kernel's audit rules");
        if (s->loaded_r < 0)
                return result_errno(x, s->loaded_r, "the kernel's audit rule list");
        if (n < n_lines)
                return result_set(x, RULE_PASS, "%u rule%s loaded now and at boot (%u cannot be built here)", n,
                                  n == 1 ? "" : "s", n_lines - n);
        return result_set(x, RULE_PASS, "%u rule%s loaded now and at boot", n, n == 1 ? "" : "s");
}

static int check_audit_rules(CheckContext *c, const ComplianceRule *rule) {
        _cleanup_(audit_rules_state_done) AuditRulesState s = {};

        for (size_t i = 0; i < rule->n_items; i++) {
                int r;

                if (!cis_wanted(c, rule->items[i].cis))
                        continue;
                r = check_audit_rule_one(c, rule, &s, i);
                check_tmp_clear(c);
                if (r < 0)
                        return r;
        }
        return 0;
}

const ComplianceRule rule_cis_audit_rules = {
        .id = "hardenctl-cis-audit-rules",
        .title = "The audit rules the benchmark names are loaded, now and at every boot",
        .severity = SEVERITY_MEDIUM,
        .rationale =
                "Changes to privileges, identities, time, the network identity, permissions, mounts, sessions, deletions, security policy and kernel modules leave a trail only if the kernel is told to record them, and only until the next boot unless the boot loads the rules again.",
        .nist = "AU-2 AU-12 AU-3 CM-6",
        .remediation =
                "Add the rules the evidence names (under any key) to the profile's [Audit] Rule= and run hardenctl apply, or write them to a file in /etc/audit/rules.d/ and run augenrules --load.",
        .check = check_audit_rules,
        .items = audit_rule_refs,
        .n_items = ELEMENTSOF(audit_rule_refs),
};
