/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* The [Access] section's rules: UID 0, the members of administrative groups, root logins over SSH, and
 * sudo without a password. */

#include "compliance-rules.h"

static bool access_managed(const ProfileAccess *a) {
        return a->admin_groups || a->admin_users || a->root_login >= 0 || a->allow_nopasswd_sudo >= 0;
}

static int check_uid0(CheckContext *c, const ComplianceRule *rule) {
        _cleanup_strv_free_ char **others = NULL;
        _cleanup_free_ char *joined = NULL;
        const Accounts *a;
        ComplianceResult *x;
        int r;

        if (!access_managed(&c->profile->access))
                return 0;
        r = check_begin(c, rule, NULL, &x);
        if (r < 0)
                return r;
        r = probe_accounts(c, &a);
        if (r < 0)
                return result_errno(x, r, "/etc/passwd");
        for (size_t i = 0; i < a->n_users; i++)
                if (a->users[i].uid == 0 && !streq(a->users[i].name, "root") && strv_extend(&others, a->users[i].name) < 0)
                        return -ENOMEM;
        joined = others ? strv_join(others, " ") : strdup("root only");
        if (!joined)
                return -ENOMEM;
        r = result_evidence(x, "/etc/passwd", "root only", joined);
        if (r < 0)
                return r;
        return result_set(x, others ? RULE_FAIL : RULE_PASS,
                          others ? "Accounts other than root have UID 0: %s" : "Only root has UID 0", joined);
}

static int str_ptr_compare(const void *a, const void *b) {
        return strcmp(*(char *const *) a, *(char *const *) b);
}

/* The members of a group: listed in /etc/group, or with the group as their primary group; each once, in
 * the order first seen. NULL for none. */
static int group_members(const Accounts *a, const GroupEntry *ge, char ***ret) {
        _cleanup_(strv_builder_done) StrvBuilder b = {};
        _cleanup_strv_free_ char **members = NULL;

        STRV_FOREACH(m, ge->members)
                if (strv_builder_extend(&b, *m) < 0)
                        return -ENOMEM;
        for (size_t i = 0; i < a->n_users; i++)
                if (a->users[i].gid == ge->gid && strv_builder_extend(&b, a->users[i].name) < 0)
                        return -ENOMEM;
        members = strv_builder_take(&b);
        if (strv_uniq_stable(members) < 0)
                return -ENOMEM;
        *ret = TAKE_PTR(members);
        return 0;
}

/* The names of members that are not among allowed, in their order; NULL for none. Sorting, not pairwise
 * comparison, so that large account databases take O(n log n). */
static int names_not_allowed(char *const *members, char *const *allowed, char ***ret) {
        _cleanup_(strv_builder_done) StrvBuilder b = {};
        _cleanup_free_ char **sorted = NULL;
        size_t n = strv_length(allowed);

        if (n > 0) {
                sorted = new_array(char *, n);
                if (!sorted)
                        return -ENOMEM;
                memcpy(sorted, allowed, n * sizeof(char *));
                qsort(sorted, n, sizeof(char *), str_ptr_compare);
        }
        STRV_FOREACH(m, members)
                if (!(n > 0 && bsearch(m, sorted, n, sizeof(char *), str_ptr_compare)) && strv_builder_extend(&b, *m) < 0)
                        return -ENOMEM;
        *ret = strv_builder_take(&b);
        return 0;
}

static int check_admin_members_one(CheckContext *c, const ComplianceRule *rule, const char *group) {
        const ProfileAccess *p = &c->profile->access;
        _cleanup_strv_free_ char **members = NULL, **intruders = NULL;
        _cleanup_free_ char *all = NULL, *bad = NULL, *allowed = NULL;
        const GroupEntry *ge;
        const Accounts *a;
        ComplianceResult *x;
        int r;

        r = check_begin(c, rule, group, &x);
        if (r < 0)
                return r;
        r = probe_accounts(c, &a);
        if (r < 0)
                return result_errno(x, r, "/etc/passwd and /etc/group");
        ge = accounts_group(a, group);
        if (!ge) {
                r = result_evidence(x, "/etc/group", check_tmp(c, "group %s", group), "missing");
                if (r < 0)
                        return r;
                return result_set(x, RULE_PASS, "There is no group %s, so it has no members", group);
        }
        r = group_members(a, ge, &members);
        if (r < 0)
                return r;
        r = names_not_allowed(members, p->admin_users, &intruders);
        if (r < 0)
                return r;
        all = members ? strv_join(members, " ") : strdup("none");
        allowed = p->admin_users ? strv_join(p->admin_users, " ") : strdup("none");
        bad = intruders ? strv_join(intruders, " ") : NULL;
        if (!all || !allowed)
                return -ENOMEM;
        r = result_evidence(x, "/etc/group", check_tmp(c, "members among: %s", allowed), all);
        if (r < 0)
                return r;
        if (intruders)
                return result_set(x, RULE_FAIL, "Members of %s not in AdminUsers=: %s", group, bad);
        return result_set(x, RULE_PASS, "Every member of %s is allowed", group);
}

static int check_admin_members(CheckContext *c, const ComplianceRule *rule) {
        return check_each(c, rule, c->profile->access.admin_groups, check_admin_members_one);
}

static int check_root_login(CheckContext *c, const ComplianceRule *rule) {
        int want = c->profile->access.root_login;
        _cleanup_free_ char *value = NULL, *source = NULL;
        ComplianceResult *x;
        int r;

        if (want < 0)
                return 0;
        r = check_begin(c, rule, NULL, &x);
        if (r < 0)
                return r;
        if (want == ROOT_LOGIN_ALLOW)
                return result_set(x, RULE_PASS, "RootLogin=allow asks for nothing");
        r = probe_sshd_option(c, "PermitRootLogin", &value, &source);
        if (r == -ENOENT) {
                r = result_evidence(x, "/etc/ssh/sshd_config", "PermitRootLogin no", "no sshd_config");
                if (r < 0)
                        return r;
                return result_set(x, RULE_NOTAPPLICABLE, "The SSH server is not installed");
        }
        if (r < 0)
                return result_errno(x, r, "/etc/ssh/sshd_config");
        if (r == 0) {
                /* OpenSSH's default since 7.0. */
                value = strdup("prohibit-password");
                source = strdup("/etc/ssh/sshd_config (default)");
                if (!value || !source)
                        return -ENOMEM;
        }
        r = result_evidence(x, source, "PermitRootLogin no", check_tmp(c, "PermitRootLogin %s", value));
        if (r < 0)
                return r;
        if (strcasecmp(value, "no") == 0)
                return result_set(x, RULE_PASS, "root cannot log in over SSH");
        return result_set(x, RULE_FAIL, "root can log in over SSH (PermitRootLogin %s)", value);
}

static int check_sudo_authenticate(CheckContext *c, const ComplianceRule *rule) {
        const SudoFindings *f;
        ComplianceResult *x;
        size_t n;
        int r;

        if (c->profile->access.allow_nopasswd_sudo != 0)
                return 0;
        r = check_begin(c, rule, NULL, &x);
        if (r < 0)
                return r;
        r = probe_sudoers(c, &f);
        if (r == -ENOENT) {
                r = result_evidence(x, "/etc/sudoers", "no NOPASSWD, no !authenticate", "no sudoers");
                if (r < 0)
                        return r;
                return result_set(x, RULE_NOTAPPLICABLE, "sudo is not installed");
        }
        if (r < 0)
                return result_errno(x, r, "/etc/sudoers");
        for (size_t i = 0; i < f->n; i++) {
                const SudoFinding *s = f->items + i;

                r = result_evidence(x, check_tmp(c, "%s:%u", s->file, s->line),
                                    s->kind == SUDO_NOPASSWD ? "no NOPASSWD" : "no !authenticate", s->text);
                if (r < 0)
                        return r;
        }
        n = f->n;
        if (n > 0)
                return result_set(x, RULE_FAIL, "%zu sudoers entr%s let%s users escalate without a password", n,
                                  n == 1 ? "y" : "ies", n == 1 ? "s" : "");
        n = strv_length(f->files);
        r = result_evidence(x, check_tmp(c, "%zu sudoers file%s", n, n == 1 ? "" : "s"),
                            "no NOPASSWD, no !authenticate", "none");
        if (r < 0)
                return r;
        return result_set(x, RULE_PASS, "sudo asks for a password everywhere");
}

/* ---- the rules ---- */

const ComplianceRule rule_access_uid0 = {
        /* ComplianceAsCode: accounts_no_uid_except_zero; CIS 5.4.2.1. */
        .id = "hardenctl-access-uid0",
        .title = "root is the only account with UID 0",
        .severity = SEVERITY_HIGH,
        .rationale = "Any other UID 0 account is a second root that escapes accountability.",
        .cis = "5.4.2.1",
        .srg = "SRG-OS-000480-GPOS-00227",
        .nist = "IA-2 AC-6(5) IA-4(b)",
        .remediation = "Remove the other UID 0 accounts or give them their own UIDs.",
        .check = check_uid0,
};

const ComplianceRule rule_access_admin_members = {
        /* ComplianceAsCode: ensure_sudo_group_restricted (STIG UBTU-22-432015); the NIST controls are
         * our own. */
        .id = "hardenctl-access-admin-members",
        .title = "Only allowed accounts are members of administrative groups",
        .severity = SEVERITY_HIGH,
        .rationale = "Membership of sudo and similar groups grants root; it must match the approved list.",
        .stig = "UBTU-22-432015",
        .nist = "AC-2 AC-6(5) AC-6(7)",
        .remediation = "Remove the accounts not in [Access] AdminUsers= from the group (gpasswd -d USER GROUP).",
        .check = check_admin_members,
};

const ComplianceRule rule_access_root_login = {
        /* ComplianceAsCode: sshd_disable_root_login; CIS 5.1.20. */
        .id = "hardenctl-access-root-login",
        .title = "root cannot log in over SSH",
        .severity = SEVERITY_HIGH,
        .rationale =
                "Direct root logins are anonymous in the audit trail and expose the most powerful account to the network.",
        .cis = "5.1.20",
        .srg = "SRG-OS-000109-GPOS-00056 SRG-OS-000480-GPOS-00227",
        .nist = "AC-6(2) AC-17(a) IA-2 IA-2(5) CM-7(a) CM-7(b) CM-6(a)",
        .remediation = "Set PermitRootLogin no in /etc/ssh/sshd_config (before any Match block) and reload sshd.",
        .check = check_root_login,
};

const ComplianceRule rule_access_sudo_authenticate = {
        /* ComplianceAsCode: sudo_require_authentication (CIS 5.2.4, STIG UBTU-22-432010) and
         * sudo_remove_no_authenticate (CIS 5.2.5). */
        .id = "hardenctl-access-sudo-authenticate",
        .title = "sudo always asks for a password",
        .severity = SEVERITY_HIGH,
        .rationale = "NOPASSWD and !authenticate let anything running as the user become root unnoticed.",
        .cis = "5.2.4 5.2.5",
        .srg = "SRG-OS-000373-GPOS-00156 SRG-OS-000373-GPOS-00157 SRG-OS-000373-GPOS-00158",
        .stig = "UBTU-22-432010",
        .nist = "IA-11 CM-6(a)",
        .remediation = "Remove NOPASSWD tags and !authenticate defaults from /etc/sudoers and /etc/sudoers.d.",
        .check = check_sudo_authenticate,
};
