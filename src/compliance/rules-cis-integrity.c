/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* [Benchmark] CIS=: file integrity checking (CIS 6.3.1 AIDE installed, 6.3.2 its check scheduled),
 * from the dpkg status file and the files that schedule it: an enabled dailyaidecheck.timer or
 * aidecheck.timer, a line of /etc/crontab or /etc/cron.d that runs aide, or a script of
 * /etc/cron.{hourly,daily,weekly,monthly} named after it (aide-common's dailyaidecheck). */

#include "compliance-rules.h"

/* ComplianceAsCode: package_aide_installed, aide_periodic_checking_systemd_timer,
 * aide_periodic_cron_checking (controls/cis_debian12.yml, stig_ubuntu2204.yml). */
static const ItemRef integrity_refs[] = {
        { "AIDE installed", "6.3.1", "SRG-OS-000363-GPOS-00150", "UBTU-22-651010" },
        { "AIDE check scheduled", "6.3.2", "SRG-OS-000363-GPOS-00150", "UBTU-22-651025" },
};

static const char *const aide_timers[] = {
        "/etc/systemd/system/timers.target.wants/dailyaidecheck.timer",
        "/etc/systemd/system/timers.target.wants/aidecheck.timer",
};

static bool aide_filter(const char *name, const void *userdata) {
        return strstr(name, "aide") != NULL;
}

/* The first uncommented line of path that runs aide, as FILE:LINE. */
static int crontab_aide(CheckContext *c, const char *path, char **ret_source) {
        _cleanup_free_ char *text = NULL;
        unsigned line = 0;

        if (probe_read_file(c, path, 0, &text) < 0)
                return 0;
        for (const char *l = text; l && *l;) {
                const char *end = strchrnul(l, '\n'), *p = l + strspn(l, " \t");
                _cleanup_free_ char *s = NULL;

                line++;
                l = *end ? end + 1 : NULL;
                if (*p == '#')
                        continue;
                s = strndup(p, end - p);
                if (!s)
                        return -ENOMEM;
                if (strstr(s, "/aide ") || strstr(s, " aide ") || strstr(s, "aide --check") || strstr(s, "aideinit") ||
                    strstr(s, "dailyaidecheck")) {
                        *ret_source = strprintf("%s:%u", path, line);
                        return *ret_source ? 1 : -ENOMEM;
                }
        }
        return 0;
}

/* Where the check is scheduled (a path or FILE:LINE), or NULL. */
static int aide_scheduled(CheckContext *c, char **ret) {
        static const char *const periodic[] = { "/etc/cron.hourly", "/etc/cron.daily", "/etc/cron.weekly",
                                                "/etc/cron.monthly" };
        _cleanup_strv_free_ char **crontabs = NULL;
        int r;

        for (size_t i = 0; i < ELEMENTSOF(aide_timers); i++) {
                _cleanup_free_ char *t = NULL;

                r = probe_read_file(c, aide_timers[i], 0, &t);
                if (r >= 0) /* a link to the unit file (one to /dev/null reads -EBADFD: masked) */
                        return (*ret = strdup(aide_timers[i])) ? 1 : -ENOMEM;
        }
        r = probe_list_dir(c, "/etc/cron.d", NULL, NULL, &crontabs);
        if (r == -ENOMEM)
                return r;
        if (strv_extend(&crontabs, "/etc/crontab") < 0)
                return -ENOMEM;
        STRV_FOREACH(f, crontabs) {
                r = crontab_aide(c, *f, ret);
                if (r != 0)
                        return r;
        }
        for (size_t i = 0; i < ELEMENTSOF(periodic); i++) {
                _cleanup_strv_free_ char **scripts = NULL;

                r = probe_list_dir(c, periodic[i], aide_filter, NULL, &scripts);
                if (r == -ENOMEM)
                        return r;
                if (r >= 0 && scripts)
                        return (*ret = strdup(scripts[0])) ? 1 : -ENOMEM;
        }
        *ret = NULL;
        return 0;
}

static int check_integrity_one(CheckContext *c, const ComplianceRule *rule, size_t i) {
        _cleanup_free_ char *where = NULL;
        const DpkgPackage *p = NULL;
        const DpkgDatabase *db;
        ComplianceResult *x;
        int r;

        r = check_begin(c, rule, rule->items[i].item, &x);
        if (r < 0)
                return r;
        r = probe_dpkg(c, &db);
        if (r < 0)
                return result_errno(x, r, "/var/lib/dpkg/status");
        p = dpkg_lookup(db, "aide");
        if (i == 0) {
                r = result_evidence(x, "/var/lib/dpkg/status", "aide installed",
                                    p ? check_tmp(c, "%s %s", p->name, p->version) : "not installed");
                if (r < 0)
                        return r;
                return result_set(x, p ? RULE_PASS : RULE_FAIL, p ? "AIDE is installed" : "AIDE is not installed");
        }
        if (!p)
                return result_set(x, RULE_FAIL, "AIDE is not installed, so nothing checks file integrity");
        r = aide_scheduled(c, &where);
        if (r < 0)
                return r;
        r = result_evidence(x, "/etc/systemd/system/timers.target.wants /etc/crontab /etc/cron.d /etc/cron.*",
                            "a timer or cron job that runs aide", where ?: "none");
        if (r < 0)
                return r;
        return result_set(x, where ? RULE_PASS : RULE_FAIL,
                          where ? "The AIDE check is scheduled (%s)" : "Nothing schedules the AIDE check%s", where ?: "");
}

static int check_integrity(CheckContext *c, const ComplianceRule *rule) {
        return check_cis_items(c, rule, check_integrity_one);
}

const ComplianceRule rule_cis_file_integrity = {
        .id = "hardenctl-cis-file-integrity",
        .title = "AIDE is installed and checks the file system regularly",
        .severity = SEVERITY_MEDIUM,
        .rationale =
                "A file integrity checker run on a schedule finds unauthorised changes to programs and configuration that nothing else reports.",
        .nist = "SI-7 CM-3",
        .remediation =
                "apt-get install aide aide-common, aideinit, and enable dailyaidecheck.timer (or a cron job that runs aide --check).",
        .check = check_integrity,
        .items = integrity_refs,
        .n_items = ELEMENTSOF(integrity_refs),
};
