/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* [Benchmark] CIS=: what logins meet (CIS 1.6.1-1.6.3 banners, 5.4.3.2 shell timeout, 5.4.3.3 and
 * 5.4.2.6 umask) and the cron daemon (2.4.1.1). Shell settings are read from where a login shell
 * reads them: /etc/profile, /etc/profile.d/\*.sh, /etc/bash.bashrc; the umask also from login.defs
 * and pam_umask. */

#include <ctype.h>
#include <strings.h>

#include "compliance-rules.h"
#include "path-util.h"

typedef enum ShellItem {
        SHELL_MOTD,
        SHELL_ISSUE,
        SHELL_ISSUE_NET,
        SHELL_TMOUT,
        SHELL_UMASK,
        SHELL_ROOT_UMASK,
        SHELL_CRON,
} ShellItem;

/* ComplianceAsCode: banner_etc_motd, banner_etc_issue, banner_etc_issue_net, accounts_tmout,
 * accounts_umask_etc_*, accounts_umask_root, service_cron_enabled (controls/cis_debian12.yml,
 * stig_ubuntu2204.yml). */
static const ItemRef shell_refs[] = {
        [SHELL_MOTD] = { "/etc/motd", "1.6.1", NULL, NULL },
        [SHELL_ISSUE] = { "/etc/issue", "1.6.2", NULL, NULL },
        [SHELL_ISSUE_NET] = { "/etc/issue.net", "1.6.3", NULL, NULL },
        [SHELL_TMOUT] = { "TMOUT", "5.4.3.2", "SRG-OS-000029-GPOS-00010 SRG-OS-000163-GPOS-00072", "UBTU-22-412030" },
        [SHELL_UMASK] = { "umask", "5.4.3.3", "SRG-OS-000480-GPOS-00227 SRG-OS-000480-GPOS-00228", "UBTU-22-412035" },
        [SHELL_ROOT_UMASK] = { "root umask", "5.4.2.6", NULL, NULL },
        [SHELL_CRON] = { "cron.service", "2.4.1.1", NULL, NULL },
};

/* The files a login shell reads, in order. */
static int shell_files(CheckContext *c, char ***ret) {
        _cleanup_strv_free_ char **l = NULL, **d = NULL;
        int r;

        if (strv_extend(&l, "/etc/profile") < 0)
                return -ENOMEM;
        r = probe_list_dir(c, "/etc/profile.d", probe_suffix_filter, ".sh", &d);
        if (r == -ENOMEM)
                return r;
        STRV_FOREACH(p, d)
                if (strv_extend(&l, *p) < 0)
                        return -ENOMEM;
        if (strv_extend(&l, "/etc/bash.bashrc") < 0)
                return -ENOMEM;
        *ret = TAKE_PTR(l);
        return 0;
}

/* A banner must not tell the OS and kernel: no \m \r \s \v escapes (agetty's), no OS name. */
static int check_banner(CheckContext *c, ComplianceResult *x, const char *path, bool required) {
        _cleanup_free_ char *text = NULL, *os = NULL, *id = NULL;
        const char *found = NULL;
        int r;

        r = probe_read_file(c, path, 0, &text);
        if (r == -ENOENT && !required)
                return result_set(x, RULE_NOTAPPLICABLE, "%s does not exist", path);
        if (r == -ENOENT) {
                r = result_evidence(x, path, "a banner without OS details", "missing");
                return r < 0 ? r : result_set(x, RULE_FAIL, "%s is missing", path);
        }
        if (r < 0)
                return result_errno(x, r, path);
        if (probe_read_file(c, "/etc/os-release", 0, &os) >= 0 && env_file_get(os, "ID", &id) == -ENOMEM)
                return -ENOMEM;
        for (const char *const *e = (const char *const[]){ "\\m", "\\r", "\\s", "\\v", NULL }; *e && !found; e++)
                if (strstr(text, *e))
                        found = *e;
        if (!found && id && strlen(id) >= 3 && strcasestr(text, id))
                found = id;
        r = result_evidence(x, path, "no \\m, \\r, \\s, \\v or OS name",
                            found ? check_tmp(c, "contains %s", found) : "none");
        if (r < 0)
                return r;
        return result_set(x, found ? RULE_FAIL : RULE_PASS, found ? "%s tells %s" : "%s tells nothing of the system",
                          path, found ?: "");
}

/* Each "TMOUT=N" and whether TMOUT is made readonly and exported, in the shell files. */
static int check_tmout(CheckContext *c, ComplianceResult *x) {
        _cleanup_strv_free_ char **files = NULL;
        bool readonly = false, exported = false, any = false, bad = false;
        int r;

        r = shell_files(c, &files);
        if (r < 0)
                return r;
        STRV_FOREACH(f, files) {
                _cleanup_free_ char *text = NULL;
                unsigned line = 0;

                if (probe_read_file(c, *f, 0, &text) < 0)
                        continue;
                for (const char *l = text; l && *l;) {
                        const char *end = strchrnul(l, '\n'), *p = l + strspn(l, " \t"), *t;
                        _cleanup_free_ char *s = strndup(p, end - p);

                        line++;
                        l = *end ? end + 1 : NULL;
                        if (!s)
                                return -ENOMEM;
                        if (s[0] == '#' || !(t = strstr(s, "TMOUT")))
                                continue;
                        if (strstr(s, "readonly") || strstr(s, "declare -r") || strstr(s, "declare -xr") ||
                            strstr(s, "declare -rx") || strstr(s, "typeset -r") || strstr(s, "typeset -xr"))
                                readonly = true;
                        if (strstr(s, "export") || strstr(s, "-x"))
                                exported = true;
                        if (t[5] == '=') {
                                unsigned v = 0;
                                bool ok;

                                ok = sscanf(t + 6, "%u", &v) == 1 && v >= 1 && v <= 900;
                                any = true;
                                bad = bad || !ok;
                                r = result_evidence(x, check_tmp(c, "%s:%u", *f, line), "TMOUT=1 to 900",
                                                    check_tmp(c, "TMOUT=%.*s", (int) strcspn(t + 6, " \t;"), t + 6));
                                if (r < 0)
                                        return r;
                        }
                }
        }
        r = result_evidence(
                x, "/etc/profile /etc/profile.d/*.sh /etc/bash.bashrc", "readonly and exported",
                check_tmp(c, "%s, %s", readonly ? "readonly" : "not readonly", exported ? "exported" : "not exported"));
        if (r < 0)
                return r;
        if (!any || bad || !readonly || !exported)
                return result_set(x, RULE_FAIL, "Idle shells are %s",
                                  any ? "not all closed within 900 seconds by a readonly, exported TMOUT" :
                                        "never closed: no TMOUT");
        return result_set(x, RULE_PASS, "Idle shells are closed after at most 900 seconds");
}

/* "umask 027" statements in files; also login.defs UMASK and pam_umask's umask= when for users. */
static int umask_scan(CheckContext *c, ComplianceResult *x, char *const *files, unsigned *n_found, bool *bad) {
        STRV_FOREACH(f, files) {
                _cleanup_free_ char *text = NULL;
                unsigned line = 0;

                if (probe_read_file(c, *f, 0, &text) < 0)
                        continue;
                for (const char *l = text; l && *l;) {
                        const char *end = strchrnul(l, '\n'), *p = l + strspn(l, " \t");
                        unsigned v;
                        int r;

                        line++;
                        l = *end ? end + 1 : NULL;
                        if (!startswith(p, "umask") || !strchr(" \t", p[5]))
                                continue;
                        p += 5 + strspn(p + 5, " \t");
                        if (sscanf(p, "%o", &v) != 1)
                                continue;
                        (*n_found)++;
                        if ((v & 0027) != 0027)
                                *bad = true;
                        r = result_evidence(x, check_tmp(c, "%s:%u", *f, line), "027 or stricter",
                                            check_tmp(c, "umask %04o", v));
                        if (r < 0)
                                return r;
                }
        }
        return 0;
}

static int check_umask(CheckContext *c, ComplianceResult *x, bool root) {
        _cleanup_strv_free_ char **files = NULL;
        _cleanup_free_ char *defs = NULL, *v = NULL;
        unsigned found = 0, line, m;
        bool bad = false;
        int r;

        if (root)
                r = strv_extend(&files, "/root/.bash_profile") < 0 || strv_extend(&files, "/root/.bashrc") < 0 ? -ENOMEM :
                                                                                                                 0;
        else
                r = shell_files(c, &files);
        if (r < 0)
                return r;
        r = umask_scan(c, x, files, &found, &bad);
        if (r < 0)
                return r;
        if (!root && probe_read_file(c, "/etc/login.defs", 0, &defs) >= 0) {
                r = login_defs_get(defs, "UMASK", &v, &line);
                if (r < 0)
                        return r;
                if (r > 0 && sscanf(v, "%o", &m) == 1) {
                        found++;
                        bad = bad || (m & 0027) != 0027;
                        r = result_evidence(x, check_tmp(c, "/etc/login.defs:%u", line), "027 or stricter",
                                            check_tmp(c, "UMASK %s", v));
                        if (r < 0)
                                return r;
                }
        }
        if (root)
                return result_set(x, bad ? RULE_FAIL : RULE_PASS,
                                  bad ? "root's shell sets a umask weaker than 027" :
                                        "root's shell sets no umask weaker than 027");
        if (found == 0) {
                r = result_evidence(x, "/etc/profile /etc/profile.d/*.sh /etc/bash.bashrc /etc/login.defs",
                                    "027 or stricter", "not set");
                return r < 0 ? r : result_set(x, RULE_FAIL, "No default umask is set: new files are world-readable");
        }
        return result_set(x, bad ? RULE_FAIL : RULE_PASS,
                          bad ? "A default umask weaker than 027 is set" :
                                "The default umask is 027 or stricter everywhere it is set");
}

static int check_cron(CheckContext *c, ComplianceResult *x) {
        _cleanup_free_ char *state = NULL;
        const DpkgDatabase *db;
        const DpkgPackage *p = NULL;
        int r, k;

        r = probe_dpkg(c, &db);
        if (r < 0)
                return result_errno(x, r, "/var/lib/dpkg/status");
        p = dpkg_lookup(db, "cron") ?: dpkg_lookup(db, "cronie");
        r = result_evidence(x, "/var/lib/dpkg/status", "cron installed",
                            p ? check_tmp(c, "%s %s", p->name, p->version) : "not installed");
        if (r < 0)
                return r;
        if (!p)
                return result_set(x, RULE_FAIL, "No cron daemon is installed");
        k = probe_read_file(c, "/etc/systemd/system/multi-user.target.wants/cron.service", 0, &state);
        state = mfree(state);
        r = result_evidence(x, "/etc/systemd/system/multi-user.target.wants/cron.service", "enabled",
                            k >= 0 || k == -EBADFD ? "enabled" : "not enabled");
        if (r < 0)
                return r;
        if (k < 0 && k != -EBADFD)
                return result_set(x, RULE_FAIL, "cron.service is not enabled");
        if (c->live) {
                r = probe_unit_property(c, "cron.service", "org.freedesktop.systemd1.Unit", "ActiveState", &state);
                k = result_evidence(x, "dbus:cron.service", "active", r >= 0 ? state : "unknown");
                if (k < 0)
                        return k;
                if (r < 0 || !streq(state, "active"))
                        return result_set(x, RULE_FAIL, "cron.service is enabled but not active");
        }
        return result_set(x, RULE_PASS, "cron.service is enabled%s", c->live ? " and active" : "");
}

static int check_shell_one(CheckContext *c, const ComplianceRule *rule, size_t i) {
        ComplianceResult *x;
        int r;

        r = check_begin(c, rule, rule->items[i].item, &x);
        if (r < 0)
                return r;
        switch ((ShellItem) i) {
        case SHELL_MOTD:
        case SHELL_ISSUE:
        case SHELL_ISSUE_NET:
                return check_banner(c, x, rule->items[i].item, i != SHELL_MOTD);
        case SHELL_TMOUT:
                return check_tmout(c, x);
        case SHELL_UMASK:
        case SHELL_ROOT_UMASK:
                return check_umask(c, x, i == SHELL_ROOT_UMASK);
        case SHELL_CRON:
        default:
                return check_cron(c, x);
        }
}

static int check_shell(CheckContext *c, const ComplianceRule *rule) {
        return check_cis_items(c, rule, check_shell_one);
}

const ComplianceRule rule_cis_login = {
        .id = "hardenctl-cis-login",
        .title = "Logins show neutral banners, idle shells time out, the umask is strict, cron runs",
        .severity = SEVERITY_LOW,
        .rationale =
                "Banners that name the OS and kernel help an attacker pick exploits; an idle root shell is an open door; a loose umask makes new files readable by all; scheduled jobs that do not run leave maintenance undone.",
        .nist = "AC-8 AC-12 SC-10 CM-6 AC-6",
        .remediation =
                "Remove \\m \\r \\s \\v and the OS name from /etc/motd, /etc/issue, /etc/issue.net; put readonly TMOUT=900 and export TMOUT in /etc/profile.d/; set umask 027 in /etc/profile.d/ and UMASK 027 in /etc/login.defs; install cron and systemctl enable --now cron.service.",
        .check = check_shell,
        .items = shell_refs,
        .n_items = ELEMENTSOF(shell_refs),
};
