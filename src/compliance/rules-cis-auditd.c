/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* [Benchmark] CIS=: auditd itself. Installed, enabled and running, and auditing on from the first
 * moment of the boot (CIS 6.2.1.1-6.2.1.3); what it does when its logs grow or the disk fills (CIS
 * 6.2.2.1-6.2.2.4), as auditd reads /etc/audit/auditd.conf: "key = value" lines, keys and values
 * without regard to case, '#' comments, the last assignment of a key winning, auditd's default where
 * none is set. */

#include <strings.h>

#include "compliance-rules.h"

#define AUDITD_CONF "/etc/audit/auditd.conf"

/* ComplianceAsCode: auditd_data_retention_max_log_file, auditd_data_retention_max_log_file_action,
 * auditd_data_disk_full_action, auditd_data_disk_error_action, auditd_data_retention_space_left_action,
 * auditd_data_retention_admin_space_left_action (controls/cis_debian12.yml, stig_ubuntu2204.yml). */
static const ItemRef auditd_refs[] = {
        { "max_log_file", "6.2.2.1", "SRG-OS-000341-GPOS-00132", NULL },
        { "max_log_file_action", "6.2.2.2", NULL, NULL },
        { "disk_full_action", "6.2.2.3", "SRG-OS-000047-GPOS-00023", "UBTU-22-653035" },
        { "disk_error_action", "6.2.2.3", "SRG-OS-000047-GPOS-00023", NULL },
        { "space_left_action", "6.2.2.4", "SRG-OS-000343-GPOS-00134", "UBTU-22-653030" },
        { "admin_space_left_action", "6.2.2.4", "SRG-OS-000343-GPOS-00134", NULL },
};

/* Per item: auditd's default, and the values that meet it ("" = any positive number). */
static const struct {
        const char *fallback;
        const char *const good[5];
} auditd_want[] = {
        { "8", { "", NULL } },
        { "rotate", { "keep_logs", NULL } },
        { "suspend", { "halt", "single", NULL } },
        { "suspend", { "syslog", "single", "halt", NULL } },
        { "ignore", { "email", "exec", "single", "halt", NULL } },
        { "suspend", { "single", "halt", NULL } },
};

/* The last "key = value" of key in text (value up to the end of the line or a comment, trimmed). */
static int auditd_scan(const char *text, const char *key, char **value, unsigned *ret_line) {
        size_t kl = strlen(key);
        unsigned line = 0;

        for (const char *l = text; l && *l;) {
                const char *end = strchrnul(l, '\n'), *p = l + strspn(l, " \t");
                size_t n;

                line++;
                l = *end ? end + 1 : NULL;
                if (strncasecmp(p, key, kl) != 0 || !strchr(" \t=", p[kl]) || !p[kl])
                        continue;
                p += kl;
                p += strspn(p, " \t");
                if (*p != '=')
                        continue;
                p++;
                p += strspn(p, " \t");
                n = strcspn(p, "#\r\n");
                while (n > 0 && strchr(" \t", p[n - 1]))
                        n--;
                free(*value);
                *value = strndup(p, n);
                if (!*value)
                        return -ENOMEM;
                *ret_line = line;
        }
        return 0;
}

static bool auditd_good(size_t i, const char *v) {
        for (size_t k = 0; auditd_want[i].good[k]; k++) {
                const char *g = auditd_want[i].good[k];

                if (isempty(g)) {
                        char *e;
                        unsigned long n;

                        errno = 0;
                        n = strtoul(v, &e, 10);
                        if (errno == 0 && e != v && *e == '\0' && *v != '-' && n > 0)
                                return true;
                } else if (strcasecmp(v, g) == 0)
                        return true;
        }
        return false;
}

static int check_auditd_one(CheckContext *c, const ComplianceRule *rule, size_t i) {
        _cleanup_free_ char *text = NULL, *value = NULL, *expected = NULL;
        const char *key = rule->items[i].item, *have, *source;
        ComplianceResult *x;
        unsigned line = 0;
        bool ok;
        int r;

        r = check_begin(c, rule, key, &x);
        if (r < 0)
                return r;
        r = probe_read_file(c, AUDITD_CONF, 0, &text);
        if (r == -ENOENT)
                return result_set(x, RULE_FAIL, "%s is missing (auditd is not installed)", AUDITD_CONF);
        if (r < 0)
                return r == -ENOMEM ? r : result_errno(x, r, AUDITD_CONF);
        r = auditd_scan(text, key, &value, &line);
        if (r < 0)
                return r;
        have = value ?: auditd_want[i].fallback;
        ok = auditd_good(i, have);
        for (size_t k = 0; auditd_want[i].good[k]; k++) {
                const char *g = isempty(auditd_want[i].good[k]) ? "a size in MiB" : auditd_want[i].good[k];
                char *t = expected ? strprintf("%s or %s", expected, g) : strdup(g);

                if (!t)
                        return -ENOMEM;
                free(expected);
                expected = t;
        }
        source = value ? check_tmp(c, "%s:%u", AUDITD_CONF, line) : AUDITD_CONF " (default)";
        r = result_evidence(x, source, check_tmp(c, "%s = %s", key, expected), check_tmp(c, "%s = %s", key, have));
        if (r < 0)
                return r;
        return result_set(x, ok ? RULE_PASS : RULE_FAIL, "auditd has %s = %s", key, have);
}

static int check_auditd(CheckContext *c, const ComplianceRule *rule) {
        return check_cis_items(c, rule, check_auditd_one);
}

const ComplianceRule rule_cis_auditd_conf = {
        .id = "hardenctl-cis-auditd-conf",
        .title = "auditd keeps its logs, and stops the system rather than lose records",
        .severity = SEVERITY_MEDIUM,
        .rationale =
                "Audit logs rotated away or a full disk lose the records an investigation needs; the system should warn early and halt or go to single user rather than run unaudited.",
        .nist = "AU-4 AU-5 AU-11",
        .remediation =
                "In /etc/audit/auditd.conf set max_log_file to a size for the site, max_log_file_action = keep_logs, disk_full_action and disk_error_action = halt (or single), space_left_action = email and admin_space_left_action = single, then restart auditd.",
        .check = check_auditd,
        .items = auditd_refs,
        .n_items = ELEMENTSOF(auditd_refs),
};

/* ---- installed, enabled, on at boot ---- */

/* ComplianceAsCode: package_audit_installed, package_audit-audispd-plugins_installed,
 * service_auditd_enabled, grub2_audit_argument (controls/cis_debian12.yml). */
static const ItemRef auditd_on_refs[] = {
        { "auditd installed", "6.2.1.1", NULL, NULL },
        { "auditd.service", "6.2.1.2", NULL, NULL },
        { "audit=1", "6.2.1.3", NULL, NULL },
};

static int check_auditd_on_one(CheckContext *c, const ComplianceRule *rule, size_t i) {
        static const char *const packages[] = { "auditd", "audispd-plugins" };
        ComplianceResult *x;
        const char *link;
        int r, installed;

        r = check_begin(c, rule, rule->items[i].item, &x);
        if (r < 0)
                return r;
        if (i == 2) {
                static const char *const audit_on[] = { "audit=1" };

                return result_cmdline_words(c, x, audit_on, ELEMENTSOF(audit_on), "audit=1");
        }
        installed = result_packages_installed(c, x, packages, i == 0 ? ELEMENTSOF(packages) : 1);
        if (installed < 0)
                return installed == -ENOMEM ? installed : result_errno(x, installed, "/var/lib/dpkg/status");
        if (i == 0)
                return result_set(x, installed ? RULE_PASS : RULE_FAIL,
                                  installed ? "auditd and audispd-plugins are installed" :
                                              "auditd or audispd-plugins is not installed");
        if (!installed)
                return result_set(x, RULE_FAIL, "auditd is not installed");
        link = probe_unit_enabled(c, "auditd.service");
        r = result_evidence(x, link ?: "/etc/systemd/system/multi-user.target.wants/auditd.service",
                            "a link to auditd.service", link ? "present" : "missing");
        if (r < 0)
                return r;
        if (!link)
                return result_set(x, RULE_FAIL, "auditd.service is not enabled");
        return result_unit_active(c, x, "auditd.service");
}

static int check_auditd_on(CheckContext *c, const ComplianceRule *rule) {
        return check_cis_items(c, rule, check_auditd_on_one);
}

const ComplianceRule rule_cis_auditd = {
        .id = "hardenctl-cis-auditd",
        .title = "auditd is installed, enabled and running, and auditing starts with the kernel",
        .severity = SEVERITY_MEDIUM,
        .rationale =
                "Without auditd the kernel's records are lost or only in the kernel log; without audit=1 the processes started before auditd are never audited.",
        .nist = "AU-3 AU-12 CM-6",
        .remediation =
                "apt install auditd audispd-plugins; systemctl enable --now auditd; add audit=1 to GRUB_CMDLINE_LINUX in /etc/default/grub (or to /etc/kernel/cmdline) and run update-grub.",
        .check = check_auditd_on,
        .items = auditd_on_refs,
        .n_items = ELEMENTSOF(auditd_on_refs),
};
