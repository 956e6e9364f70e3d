/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* [Benchmark] CIS=: file integrity checking (CIS 6.3.1 AIDE installed, 6.3.2 its check scheduled,
 * 6.3.3 the audit tools among what it checks), from the dpkg status file, the files that schedule it
 * (an enabled dailyaidecheck.timer or aidecheck.timer, a line of /etc/crontab or /etc/cron.d that runs
 * aide, or a script of /etc/cron.{hourly,daily,weekly,monthly} named after it: aide-common's
 * dailyaidecheck) and AIDE's configuration. */

#include "compliance-rules.h"

/* ComplianceAsCode: package_aide_installed, aide_periodic_checking_systemd_timer,
 * aide_periodic_cron_checking (controls/cis_debian12.yml, stig_ubuntu2204.yml). */
static const ItemRef integrity_refs[] = {
        { "AIDE installed", "6.3.1", "SRG-OS-000363-GPOS-00150", "UBTU-22-651010" },
        { "AIDE check scheduled", "6.3.2", "SRG-OS-000363-GPOS-00150", "UBTU-22-651025" },
        { "AIDE checks the audit tools", "6.3.3", NULL, NULL },
};

/* The audit tools, and the attributes AIDE must check of each: permissions, inode, links, user, group,
 * size, blocks, ACLs, extended attributes, a SHA-512 digest. */
static const char *const audit_tools[] = { "auditctl", "auditd", "ausearch", "aureport", "autrace", "augenrules" };
static const char *const aide_attrs[] = { "p", "i", "n", "u", "g", "s", "b", "acl", "xattrs", "sha512" };

#define AIDE_CONF "/etc/aide/aide.conf"
#define AIDE_CONF_D "/etc/aide/aide.conf.d"
#define AIDE_GROUP_DEPTH_MAX 8U

/* AIDE's configuration, line by line: the main file, then the files of aide.conf.d it includes
 * (Debian's aide.conf does, by @@x_include; names of letters, digits, '-' and '_'). */
typedef struct AideConf {
        char **paths; /* the file of each line */
        char **lines; /* trimmed; comments and empty lines left out */
        unsigned *numbers;
        size_t n;
} AideConf;

static void aide_conf_done(AideConf *a) {
        strv_free(a->paths);
        strv_free(a->lines);
        free(a->numbers);
}

static bool aide_include_filter(const char *name, const void *userdata) {
        return name[strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-")] == '\0';
}

static int aide_conf_add(CheckContext *c, AideConf *a, const char *path) {
        _cleanup_free_ char *text = NULL;
        unsigned line = 0;
        int r;

        r = probe_read_file(c, path, 0, &text);
        if (r < 0)
                return r;
        for (char *l = text; l && *l;) {
                char *end = strchrnul(l, '\n'), *next = *end ? end + 1 : NULL, *p = l + strspn(l, " \t");
                unsigned *n;

                *end = '\0';
                line++;
                l = next;
                if (*p == '#' || *p == '\0')
                        continue;
                n = reallocarray(a->numbers, a->n + 1, sizeof(*n));
                if (!n)
                        return -ENOMEM;
                a->numbers = n;
                a->numbers[a->n] = line;
                if (strv_extend(&a->paths, path) < 0 || strv_extend(&a->lines, p) < 0)
                        return -ENOMEM;
                a->n++;
        }
        return 0;
}

static int aide_conf_read(CheckContext *c, AideConf *a) {
        _cleanup_strv_free_ char **d = NULL;
        int r;

        r = aide_conf_add(c, a, AIDE_CONF);
        if (r < 0)
                return r;
        r = probe_list_dir(c, AIDE_CONF_D, aide_include_filter, NULL, &d);
        if (r == -ENOMEM)
                return r;
        STRV_FOREACH(f, d) {
                r = aide_conf_add(c, a, *f);
                if (r == -ENOMEM)
                        return r;
        }
        return 0;
}

/* AIDE's predefined groups as Debian's aide (0.18, built with libgcrypt, ACL, SELinux, xattrs, e2fsattrs
 * and capabilities) defines them before it reads its configuration (aide.conf(5) "Default groups",
 * setdefaults_before_config() in src/aide.c of AIDE 0.18.3): H is every hashsum compiled in, E none. A
 * group the configuration defines replaces the predefined one of its name, but not where another
 * predefined group uses it: these are read against no configuration (R keeps AIDE's X). */
static const struct {
        const char *name, *expr;
} aide_predefined[] = {
        { "R", "p+ftype+i+l+n+u+g+s+m+c+md5+X" },
        { "L", "p+ftype+i+l+n+u+g+X" },
        { ">", "p+ftype+l+u+g+i+n+s+growing+X" },
        { "H", "md5+sha1+sha256+sha512+rmd160+tiger+crc32+whirlpool+gost+stribog256+stribog512" },
        { "X", "acl+selinux+xattrs+e2fsattrs+caps" },
        { "E", "" },
};

/* Whether the group NAME (n bytes) checks attr: as the last "NAME = EXPR" line defines it, or else as
 * AIDE predefines it. */
static bool aide_group_has(const AideConf *a, const char *name, size_t n, const char *attr, unsigned depth);

/* Whether the attribute expression expr ("p+i+n", a group name, "R-md5") checks attr: tokens joined by
 * '+' add, by '-' take away, groups expanded (depth-bounded), the last mention winning. */
static bool aide_expr_has(const AideConf *a, const char *expr, size_t len, const char *attr, unsigned depth) {
        bool has = false;

        if (depth > AIDE_GROUP_DEPTH_MAX)
                return false;
        for (size_t i = 0; i < len;) {
                bool add = i == 0 || expr[i - 1] == '+';
                size_t n = MIN(strcspn(expr + i, "+-"), len - i);

                if ((n == strlen(attr) && strneq(expr + i, attr, n)) || aide_group_has(a, expr + i, n, attr, depth))
                        has = add;
                i += n + 1;
        }
        return has;
}

static bool aide_group_has(const AideConf *a, const char *name, size_t n, const char *attr, unsigned depth) {
        for (size_t k = a->n; k > 0; k--) { /* the last definition wins */
                const char *l = a->lines[k - 1], *v;

                if (strcspn(l, " \t=") != n || !strneq(l, name, n))
                        continue;
                v = l + n + strspn(l + n, " \t");
                if (*v != '=')
                        continue;
                v++;
                v += strspn(v, " \t");
                return aide_expr_has(a, v, strcspn(v, " \t"), attr, depth + 1);
        }
        for (size_t i = 0; i < ELEMENTSOF(aide_predefined); i++)
                if (strlen(aide_predefined[i].name) == n && strneq(aide_predefined[i].name, name, n))
                        return aide_expr_has(&(const AideConf){}, aide_predefined[i].expr,
                                             strlen(aide_predefined[i].expr), attr, depth + 1);
        return false;
}

/* The selection line of one tool ("/sbin/auditctl EXPR" or under /usr/sbin), as FILE:LINE and its
 * attribute expression; the first attribute of aide_attrs it lacks, or NULL. */
static int aide_tool(const AideConf *a, const char *tool, char **ret_source, const char **ret_line,
                     const char **ret_missing) {
        for (size_t k = 0; k < a->n; k++) {
                const char *l = a->lines[k], *base;
                size_t plen = strcspn(l, " \t");

                if (l[0] != '/')
                        continue;
                base = startswith(l, "/usr/sbin/") ?: startswith(l, "/sbin/");
                if (!base || (size_t) (l + plen - base) != strlen(tool) || !strneq(base, tool, strlen(tool)))
                        continue;
                const char *expr = l + plen + strspn(l + plen, " \t");

                *ret_line = l;
                *ret_missing = NULL;
                for (size_t i = 0; i < ELEMENTSOF(aide_attrs) && !*ret_missing; i++)
                        if (!aide_expr_has(a, expr, strcspn(expr, " \t"), aide_attrs[i], 0))
                                *ret_missing = aide_attrs[i];
                *ret_source = strprintf("%s:%u", a->paths[k], a->numbers[k]);
                return *ret_source ? 1 : -ENOMEM;
        }
        return 0;
}

static int check_aide_tools(CheckContext *c, ComplianceResult *x) {
        _cleanup_(aide_conf_done) AideConf a = {};
        _cleanup_strv_free_ char **bad = NULL;
        _cleanup_free_ char *joined = NULL;
        int r;

        r = aide_conf_read(c, &a);
        if (r == -ENOMEM)
                return r;
        if (r < 0)
                return result_errno(x, r, AIDE_CONF);
        for (size_t i = 0; i < ELEMENTSOF(audit_tools); i++) {
                _cleanup_free_ char *source = NULL;
                const char *line = NULL, *missing = NULL;

                r = aide_tool(&a, audit_tools[i], &source, &line, &missing);
                if (r < 0)
                        return r;
                r = result_evidence(x, source ?: AIDE_CONF,
                                    check_tmp(c, "/sbin/%s p+i+n+u+g+s+b+acl+xattrs+sha512", audit_tools[i]),
                                    line ?: "not selected");
                if (r < 0)
                        return r;
                if ((!source || missing) &&
                    strv_extend(&bad, missing ? check_tmp(c, "%s (no %s)", audit_tools[i], missing) : audit_tools[i]) < 0)
                        return -ENOMEM;
        }
        if (!bad)
                return result_set(x, RULE_PASS, "AIDE checks the %zu audit tools", ELEMENTSOF(audit_tools));
        joined = strv_join(bad, ", ");
        if (!joined)
                return -ENOMEM;
        return result_set(x, RULE_FAIL, "AIDE does not check every audit tool as it should: %s", joined);
}

static const char *const aide_timers[] = { "dailyaidecheck.timer", "aidecheck.timer" };

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
                const char *link = probe_unit_enabled(c, aide_timers[i]);

                if (link)
                        return (*ret = strdup(link)) ? 1 : -ENOMEM;
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
        if (i == 2)
                return check_aide_tools(c, x);
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
