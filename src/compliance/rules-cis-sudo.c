/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* [Benchmark] CIS=: sudo and su (CIS 5.2.1-5.2.3, 5.2.6, 5.2.7): the package, the global Defaults of
 * sudoers and the files it includes (read in the order sudo reads them, the last value winning), and
 * pam_wheel in su's PAM stack. */

#include "compliance-rules.h"
#include "parse-util.h"

/* ComplianceAsCode: package_sudo_installed, sudo_add_use_pty, sudo_custom_logfile,
 * sudo_require_reauthentication, use_pam_wheel_group_for_su (controls/cis_debian12.yml). */
static const ItemRef sudo_refs[] = {
        { "sudo installed", "5.2.1", NULL, NULL },
        { "use_pty", "5.2.2", NULL, NULL },
        { "logfile", "5.2.3", NULL, NULL },
        { "timestamp_timeout", "5.2.6", "SRG-OS-000373-GPOS-00156 SRG-OS-000373-GPOS-00157 SRG-OS-000373-GPOS-00158",
          NULL },
        { "pam_wheel", "5.2.7", NULL, NULL },
};

static int check_su(CheckContext *c, ComplianceResult *x) {
        _cleanup_(pam_stack_done) PamStack s = {};
        _cleanup_free_ char *args = NULL;
        const PamLine *l = NULL;
        const GroupEntry *g = NULL;
        const Accounts *a;
        const char *group;
        int r;

        r = probe_pam_stack(c, "su", &s);
        if (r < 0 && r != -ENOENT)
                return result_errno(x, r, "/etc/pam.d/su");
        for (size_t i = 0; i < s.n && !l; i++)
                if (pam_line_is(s.lines + i, "auth", "pam_wheel.so") && pam_line_arg(s.lines + i, "use_uid"))
                        l = s.lines + i;
        if (l && !(args = strv_join(l->args, " ")))
                return -ENOMEM;
        r = result_evidence(x, l ? l->source : "/etc/pam.d/su", "auth required pam_wheel.so use_uid group=GROUP",
                            l ? check_tmp(c, "auth %s %s %s", strna(l->control), l->module, args) : "absent");
        if (r < 0)
                return r;
        if (!l)
                return result_set(x, RULE_FAIL, "Any account can use su: no pam_wheel use_uid line in /etc/pam.d/su");
        group = pam_line_arg(l, "group") ?: "root";
        if (probe_accounts(c, &a) >= 0)
                g = accounts_group(a, group);
        r = result_evidence(x, "/etc/group", check_tmp(c, "%s without members", group),
                            !g         ? "missing" :
                            g->members ? check_tmp(c, "members: %s", g->members[0]) :
                                         "no members");
        if (r < 0)
                return r;
        if (!g || g->members)
                return result_set(x, RULE_FAIL, "su is limited to group %s, which %s", group,
                                  g ? "has members" : "does not exist");
        return result_set(x, RULE_PASS, "su is limited to the empty group %s", group);
}

static int check_sudo_one(CheckContext *c, const ComplianceRule *rule, size_t i) {
        _cleanup_(sudo_default_done) SudoDefault d = {};
        const char *item = rule->items[i].item;
        const SudoFindings *f;
        const DpkgDatabase *db;
        ComplianceResult *x;
        unsigned t = 0;
        int r;

        r = check_begin(c, rule, item, &x);
        if (r < 0)
                return r;
        if (i == 0) {
                const DpkgPackage *p = NULL;

                r = probe_dpkg(c, &db);
                if (r < 0)
                        return result_errno(x, r, "/var/lib/dpkg/status");
                p = dpkg_lookup(db, "sudo") ?: dpkg_lookup(db, "sudo-ldap");
                r = result_evidence(x, "/var/lib/dpkg/status", "sudo or sudo-ldap installed",
                                    p ? check_tmp(c, "%s %s", p->name, p->version) : "not installed");
                if (r < 0)
                        return r;
                return result_set(x, p ? RULE_PASS : RULE_FAIL, p ? "%s is installed" : "sudo is not installed",
                                  p ? p->name : "");
        }
        if (i == 4)
                return check_su(c, x);

        r = probe_sudoers(c, &f);
        if (r == -ENOENT)
                return result_set(x, RULE_NOTAPPLICABLE, "There is no /etc/sudoers");
        if (r < 0)
                return result_errno(x, r, "/etc/sudoers");
        r = probe_sudo_default(c, f, item, &d);
        if (r < 0)
                return r;
        switch (i) {
        case 1:
                r = result_evidence(x, d.source ?: "/etc/sudoers", "Defaults use_pty",
                                    d.value ? (streq(d.value, "!") ? "Defaults !use_pty" : "Defaults use_pty") :
                                              "not set");
                if (r < 0)
                        return r;
                return result_set(x, d.value && isempty(d.value) ? RULE_PASS : RULE_FAIL,
                                  d.value && isempty(d.value) ? "sudo runs commands in a pseudo-terminal" :
                                                                "sudo does not run commands in a pseudo-terminal");
        case 2:
                r = result_evidence(x, d.source ?: "/etc/sudoers", "Defaults logfile=FILE",
                                    d.value ? check_tmp(c, "Defaults logfile=%s", d.value) : "not set");
                if (r < 0)
                        return r;
                return result_set(x, !isempty(d.value) && d.value[0] == '/' ? RULE_PASS : RULE_FAIL,
                                  !isempty(d.value) && d.value[0] == '/' ? "sudo logs to %s" : "sudo keeps no log file%s",
                                  strempty(d.value));
        default:
                r = result_evidence(x, d.source ?: "/etc/sudoers (default)", "0 to 15 minutes",
                                    check_tmp(c, "Defaults timestamp_timeout=%s", d.value ?: "15"));
                if (r < 0)
                        return r;
                if (d.value && (safe_atou(d.value, &t) < 0 || t > 15))
                        return result_set(x, RULE_FAIL, "sudo remembers an authentication for %s minutes", d.value);
                return result_set(x, RULE_PASS, "sudo asks again after %s minutes at most", d.value ?: "15");
        }
}

static int check_sudo(CheckContext *c, const ComplianceRule *rule) {
        return check_cis_items(c, rule, check_sudo_one);
}

const ComplianceRule rule_cis_sudo = {
        .id = "hardenctl-cis-sudo",
        .title = "sudo runs in a pseudo-terminal, logs, re-authenticates, and su is restricted",
        .severity = SEVERITY_MEDIUM,
        .rationale =
                "Without a pseudo-terminal a command run with sudo can keep running in the background; without a log file what was run with privileges is hard to trace; su without pam_wheel lets anyone who knows root's password become root.",
        .nist = "AC-6(9) AU-2 AU-12 IA-11 AC-6",
        .remediation =
                "Install sudo; add Defaults use_pty and Defaults logfile=\"/var/log/sudo.log\" to /etc/sudoers.d/, set timestamp_timeout to 15 or less; in /etc/pam.d/su put auth required pam_wheel.so use_uid group=sugroup with an empty sugroup.",
        .check = check_sudo,
        .items = sudo_refs,
        .n_items = ELEMENTSOF(sudo_refs),
};
