/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* [Benchmark] CIS=: time synchronisation (CIS 2.3.x): one daemon in use, and that daemon (chrony or
 * systemd-timesyncd) told which servers to ask, running as its own user, enabled and active. A
 * daemon is in use when its package is installed and its unit enabled. */

#include "compliance-rules.h"
#include "path-util.h"

typedef enum TimeDaemon {
        TIME_CHRONY,
        TIME_TIMESYNCD,
        TIME_NTP,
        _TIME_DAEMON_MAX,
} TimeDaemon;

static const struct {
        const char *packages[2];
        const char *unit;
} daemons[_TIME_DAEMON_MAX] = {
        [TIME_CHRONY] = { { "chrony", NULL }, "chrony.service" },
        [TIME_TIMESYNCD] = { { "systemd-timesyncd", NULL }, "systemd-timesyncd.service" },
        [TIME_NTP] = { { "ntp", "ntpsec" }, "ntpsec.service" },
};

/* ComplianceAsCode: ntp_single_service_active, service_timesyncd_configured, service_timesyncd_enabled,
 * chronyd_configure_pool_and_server, chronyd_run_as_chrony_user, service_chronyd_enabled
 * (controls/cis_debian12.yml, stig_ubuntu2204.yml). */
static const ItemRef time_refs[] = {
        { "single time daemon", "2.3.1.1", "SRG-OS-000355-GPOS-00143", "UBTU-22-215015" },
        { "timesyncd servers", "2.3.2.1", NULL, NULL },
        { "systemd-timesyncd.service", "2.3.2.2", NULL, NULL },
        { "chrony servers", "2.3.3.1", NULL, NULL },
        { "chrony user", "2.3.3.2", NULL, NULL },
        { "chrony.service", "2.3.3.3", NULL, NULL },
};

static bool in_use(CheckContext *c, const DpkgDatabase *db, TimeDaemon d) {
        bool installed = false;

        for (size_t i = 0; i < ELEMENTSOF(daemons[d].packages) && daemons[d].packages[i]; i++)
                installed = installed || dpkg_lookup(db, daemons[d].packages[i]);
        if (!installed)
                return false;
        return probe_unit_enabled(c, daemons[d].unit);
}

/* The first line of any of files starting with one of the words (a directive), as FILE:LINE and the line. */
static int find_directive(CheckContext *c, char *const *files, const char *const *words, char **ret_source,
                          char **ret_line) {
        STRV_FOREACH(f, files) {
                _cleanup_free_ char *text = NULL;
                unsigned line = 0;

                if (probe_read_file(c, *f, 0, &text) < 0)
                        continue;
                for (const char *l = text; l && *l;) {
                        const char *end = strchrnul(l, '\n'), *p = l + strspn(l, " \t");

                        line++;
                        l = *end ? end + 1 : NULL;
                        for (const char *const *w = words; *w; w++) {
                                size_t n = strlen(*w);

                                if (strneq(p, *w, n) && (strchr(" \t=", p[n]) && p[n])) {
                                        *ret_source = strprintf("%s:%u", *f, line);
                                        *ret_line = strndup(p, end - p);
                                        return *ret_source && *ret_line ? 1 : -ENOMEM;
                                }
                        }
                }
        }
        return 0;
}

static int conf_files(CheckContext *c, const char *main, const char *dir, const char *suffix, char ***ret) {
        _cleanup_strv_free_ char **l = NULL, **d = NULL;
        int r;

        if (strv_extend(&l, main) < 0)
                return -ENOMEM;
        r = probe_list_dir(c, dir, probe_suffix_filter, suffix, &d);
        if (r == -ENOMEM)
                return r;
        STRV_FOREACH(p, d)
                if (strv_extend(&l, *p) < 0)
                        return -ENOMEM;
        *ret = TAKE_PTR(l);
        return 0;
}

static int check_time_one(CheckContext *c, const ComplianceRule *rule, size_t i) {
        _cleanup_strv_free_ char **files = NULL, **used = NULL;
        _cleanup_free_ char *source = NULL, *line = NULL, *joined = NULL;
        TimeDaemon want = i == 0 ? _TIME_DAEMON_MAX : i <= 2 ? TIME_TIMESYNCD : TIME_CHRONY;
        const DpkgDatabase *db;
        ComplianceResult *x;
        int r;

        r = check_begin(c, rule, rule->items[i].item, &x);
        if (r < 0)
                return r;
        r = probe_dpkg(c, &db);
        if (r < 0)
                return result_errno(x, r, "/var/lib/dpkg/status");
        for (TimeDaemon d = 0; d < _TIME_DAEMON_MAX; d++)
                if (in_use(c, db, d) && strv_extend(&used, daemons[d].unit) < 0)
                        return -ENOMEM;
        if (i == 0) {
                joined = used ? strv_join(used, " ") : strdup("none");
                if (!joined)
                        return -ENOMEM;
                r = result_evidence(x, "/var/lib/dpkg/status /etc/systemd/system",
                                    "exactly one of chrony, systemd-timesyncd, ntp", joined);
                if (r < 0)
                        return r;
                return result_set(x, strv_length(used) == 1 ? RULE_PASS : RULE_FAIL,
                                  strv_length(used) == 1 ? "One time daemon is in use: %s" :
                                                           "Not exactly one time daemon is in use: %s",
                                  joined);
        }
        if (!in_use(c, db, want))
                return result_set(x, RULE_NOTAPPLICABLE, "%s is not in use", daemons[want].unit);
        switch (i) {
        case 1:
                r = conf_files(c, "/etc/systemd/timesyncd.conf", "/etc/systemd/timesyncd.conf.d", ".conf", &files);
                if (r < 0)
                        return r;
                r = find_directive(c, files, (const char *const[]){ "NTP", "FallbackNTP", NULL }, &source, &line);
                break;
        case 3: {
                _cleanup_strv_free_ char **more = NULL;

                r = conf_files(c, "/etc/chrony/chrony.conf", "/etc/chrony/sources.d", ".sources", &files);
                if (r < 0)
                        return r;
                r = conf_files(c, "/etc/chrony/chrony.conf", "/etc/chrony/conf.d", ".conf", &more);
                if (r < 0)
                        return r;
                STRV_FOREACH(p, more)
                        if (!strv_contains(files, *p) && strv_extend(&files, *p) < 0)
                                return -ENOMEM;
                r = find_directive(c, files, (const char *const[]){ "server", "pool", NULL }, &source, &line);
                break;
        }
        case 4:
                r = conf_files(c, "/etc/chrony/chrony.conf", "/etc/chrony/conf.d", ".conf", &files);
                if (r < 0)
                        return r;
                r = find_directive(c, files, (const char *const[]){ "user", NULL }, &source, &line);
                if (r < 0)
                        return r;
                r = result_evidence(x, source ?: "/etc/chrony/chrony.conf (default)", "user _chrony",
                                    line ?: "user _chrony");
                if (r < 0)
                        return r;
                if (line && !streq(line + 4 + strspn(line + 4, " \t"), "_chrony"))
                        return result_set(x, RULE_FAIL, "chronyd runs as another user: %s", line);
                return result_set(x, RULE_PASS, "chronyd runs as _chrony");
        default:
                return result_unit_active(c, x, daemons[want].unit);
        }
        if (r < 0)
                return r;
        r = result_evidence(x, source ?: files[0], i == 1 ? "NTP= or FallbackNTP= servers" : "a server or pool line",
                            line ?: "not set");
        if (r < 0)
                return r;
        return result_set(x, line ? RULE_PASS : RULE_FAIL, line ? "%s names its servers: %s" : "%s names no server%s",
                          daemons[want].unit, strempty(line));
}

static int check_time(CheckContext *c, const ComplianceRule *rule) {
        return check_cis_items(c, rule, check_time_one);
}

const ComplianceRule rule_cis_time_sync = {
        .id = "hardenctl-cis-time-sync",
        .title = "One time daemon keeps the clock, from the servers it is given",
        .severity = SEVERITY_MEDIUM,
        .rationale =
                "Logs, audit trails, certificates and Kerberos need the right time; two daemons fight over the clock, none lets it drift.",
        .nist = "AU-8 AU-8(1) SC-45",
        .remediation =
                "Install and enable exactly one of chrony or systemd-timesyncd; give chrony server or pool lines (/etc/chrony/sources.d/) or timesyncd NTP= (/etc/systemd/timesyncd.conf.d/), and keep chronyd's user _chrony.",
        .check = check_time,
        .items = time_refs,
        .n_items = ELEMENTSOF(time_refs),
};
