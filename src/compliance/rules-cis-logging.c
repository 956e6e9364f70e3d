/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* [Benchmark] CIS=: how the host keeps its logs (CIS 6.1.1.1, 6.1.1.4, 6.1.2.1.1-6.1.2.2, 6.1.3.1-6.1.3.4,
 * 6.1.3.7). The benchmark configures either journald alone, sending to a log host with
 * systemd-journal-upload, or rsyslog fed by journald; the items of the other are not applicable. A
 * syslog daemon is in use when its package is installed and its unit enabled. journald's settings
 * are read as journald reads them (probe_systemd_conf()); rsyslog's from /etc/rsyslog.conf and
 * /etc/rsyslog.d/\*.conf, legacy ($Directive) and RainerScript (module(), input()) alike. */

#include <strings.h>

#include "compliance-rules.h"
#include "parse-util.h"
#include "path-util.h"

/* ComplianceAsCode: service_systemd-journald_enabled, logging_services_active,
 * package_systemd-journal-remote_installed, systemd_journal_upload_url and _server_tls,
 * service_systemd-journal-upload_enabled, socket_systemd-journal-remote_disabled,
 * journald_disable_forward_to_syslog, package_rsyslog_installed, service_rsyslog_enabled,
 * journald_forward_to_syslog, rsyslog_filecreatemode, rsyslog_nolisten (controls/cis_debian12.yml). */
static const ItemRef logging_refs[] = {
        { "systemd-journald.service", "6.1.1.1", NULL, NULL },
        { "one logging system", "6.1.1.4", NULL, NULL },
        { "systemd-journal-remote installed", "6.1.2.1.1", NULL, NULL },
        { "journal-upload configured", "6.1.2.1.2", NULL, NULL },
        { "systemd-journal-upload.service", "6.1.2.1.3", NULL, NULL },
        { "systemd-journal-remote not in use", "6.1.2.1.4", NULL, NULL },
        { "journald ForwardToSyslog=no", "6.1.2.2", NULL, NULL },
        { "rsyslog installed", "6.1.3.1", NULL, NULL },
        { "rsyslog.service", "6.1.3.2", NULL, NULL },
        { "journald ForwardToSyslog=yes", "6.1.3.3", NULL, NULL },
        { "rsyslog FileCreateMode", "6.1.3.4", NULL, NULL },
        { "rsyslog receives no remote logs", "6.1.3.7", NULL, NULL },
};

enum {
        ITEM_JOURNALD,
        ITEM_ONE_SYSTEM,
        ITEM_REMOTE_INSTALLED,
        ITEM_UPLOAD_CONF,
        ITEM_UPLOAD_UNIT,
        ITEM_REMOTE_UNUSED,
        ITEM_NO_FORWARD,
        ITEM_RSYSLOG_INSTALLED,
        ITEM_RSYSLOG_UNIT,
        ITEM_FORWARD,
        ITEM_CREATE_MODE,
        ITEM_NO_LISTEN,
        _ITEM_MAX,
};

_Static_assert(ELEMENTSOF(logging_refs) == _ITEM_MAX, "one item each");

/* The syslog daemons the benchmark knows, and how each is enabled. */
static const struct {
        const char *package, *unit;
} syslogs[] = {
        { "rsyslog", "rsyslog.service" },
        { "syslog-ng-core", "syslog-ng.service" },
};

typedef struct LoggingState {
        const DpkgDatabase *db;
        char **in_use; /* the syslog daemons' units in use */
} LoggingState;

static void logging_state_done(LoggingState *s) {
        strv_free(s->in_use);
}

/* The verdict on a unit that should be enabled (its link) and running. */
static int check_enabled(CheckContext *c, ComplianceResult *x, const char *unit) {
        const char *link = probe_unit_enabled(c, unit);
        int r;

        r = result_evidence(x, link ?: "/etc/systemd/system/*.wants", check_tmp(c, "a link to %s", unit),
                            link ? "present" : "missing");
        if (r < 0)
                return r;
        if (!link)
                return result_set(x, RULE_FAIL, "%s is not enabled", unit);
        return result_unit_active(c, x, unit);
}

/* journald's ForwardToSyslog= (Debian's default: yes), against want. */
static int check_forward(CheckContext *c, ComplianceResult *x, bool want) {
        _cleanup_free_ char *value = NULL, *source = NULL;
        const char *have;
        int r, b;

        r = probe_systemd_conf(c, "journald", "Journal", "ForwardToSyslog", &value, &source);
        if (r < 0)
                return r == -ENOMEM ? r : result_errno(x, r, "journald.conf.d");
        have = value ?: "yes";
        b = parse_boolean(have);
        r = result_evidence(x, source ?: "/etc/systemd/journald.conf (default)",
                            want ? "ForwardToSyslog=yes" : "ForwardToSyslog=no",
                            check_tmp(c, "ForwardToSyslog=%s", have));
        if (r < 0)
                return r;
        if (b < 0)
                return result_set(x, RULE_FAIL, "journald's ForwardToSyslog=%s is not a boolean", have);
        return result_set(x, b == want ? RULE_PASS : RULE_FAIL, "journald %s to syslog",
                          b ? "forwards its messages" : "does not forward its messages");
}

/* journal-upload.conf's [Upload]: where to send, and the TLS key, certificate and CA to do it with. */
static int check_upload_conf(CheckContext *c, ComplianceResult *x) {
        static const char *const keys[] = { "URL", "ServerKeyFile", "ServerCertificateFile", "TrustedCertificateFile" };
        _cleanup_strv_free_ char **unset = NULL;
        _cleanup_free_ char *joined = NULL;
        int r;

        for (size_t i = 0; i < ELEMENTSOF(keys); i++) {
                _cleanup_free_ char *value = NULL, *source = NULL;

                r = probe_systemd_conf(c, "journal-upload", "Upload", keys[i], &value, &source);
                if (r < 0)
                        return r == -ENOMEM ? r : result_errno(x, r, "journal-upload.conf.d");
                r = result_evidence(x, source ?: "/etc/systemd/journal-upload.conf", check_tmp(c, "%s=…", keys[i]),
                                    isempty(value) ? "not set" : check_tmp(c, "%s=%s", keys[i], value));
                if (r < 0)
                        return r;
                if (isempty(value) && strv_extend(&unset, keys[i]) < 0)
                        return -ENOMEM;
        }
        if (!unset)
                return result_set(x, RULE_PASS, "systemd-journal-upload knows its log host and its TLS credentials");
        joined = strv_join(unset, " ");
        if (!joined)
                return -ENOMEM;
        return result_set(x, RULE_FAIL, "journal-upload.conf does not set %s", joined);
}

/* systemd-journal-remote, the receiving side, neither enabled nor running. */
static int check_remote_unused(CheckContext *c, ComplianceResult *x) {
        static const char *const units[] = { "systemd-journal-remote.socket", "systemd-journal-remote.service" };
        const char *used = NULL;
        int r;

        for (size_t i = 0; i < ELEMENTSOF(units); i++) {
                const char *link = probe_unit_enabled(c, units[i]);
                _cleanup_free_ char *state = NULL;

                r = result_evidence(x, link ?: "/etc/systemd/system/*.wants", check_tmp(c, "no link to %s", units[i]),
                                    link ? "present" : "none");
                if (r < 0)
                        return r;
                if (link)
                        used = used ?: units[i];
                if (!c->live || probe_unit_masked(c, units[i]))
                        continue;
                r = probe_unit_property(c, units[i], "org.freedesktop.systemd1.Unit", "ActiveState", &state);
                if (r == -ENOMEM)
                        return r;
                if (r < 0)
                        return result_errno(x, r, check_tmp(c, "the state of %s over D-Bus", units[i]));
                r = result_evidence(x, check_tmp(c, "dbus:%s", units[i]), "inactive", state);
                if (r < 0)
                        return r;
                if (!streq(state, "inactive") && !streq(state, "failed"))
                        used = used ?: units[i];
        }
        if (used)
                return result_set(x, RULE_FAIL, "%s accepts logs from other hosts", used);
        return result_set(x, RULE_PASS, "systemd-journal-remote does not accept logs from other hosts");
}

/* Calls found for each uncommented line of rsyslog's configuration that it reads, in the order it
 * reads them: /etc/rsyslog.conf, each "$IncludeConfig GLOB" or include(file="GLOB") expanded where it
 * stands (Debian's includes /etc/rsyslog.d/\*.conf). Stops at the first error. */
typedef int (*rsyslog_line_t)(CheckContext *c, ComplianceResult *x, const char *path, unsigned line_no,
                              const char *line, void *userdata);

#define RSYSLOG_INCLUDE_DEPTH_MAX 4U

static int rsyslog_file(CheckContext *c, ComplianceResult *x, const char *path, unsigned depth, rsyslog_line_t found,
                        void *userdata);

static int rsyslog_include(CheckContext *c, ComplianceResult *x, const char *glob, size_t n, unsigned depth,
                           rsyslog_line_t found, void *userdata) {
        _cleanup_free_ char *pattern = strndup(glob, n), *dir = NULL;
        _cleanup_strv_free_ char **files = NULL;
        int r;

        if (!pattern)
                return -ENOMEM;
        if (!strpbrk(pattern, "*?["))
                return rsyslog_file(c, x, pattern, depth + 1, found, userdata);
        dir = strndup(pattern, path_basename(pattern) - pattern);
        if (!dir)
                return -ENOMEM;
        r = probe_list_dir(c, dir, probe_glob_filter, path_basename(pattern), &files);
        if (r == -ENOMEM)
                return r;
        STRV_FOREACH(f, files) {
                r = rsyslog_file(c, x, *f, depth + 1, found, userdata);
                if (r < 0)
                        return r;
        }
        return 0;
}

static int rsyslog_file(CheckContext *c, ComplianceResult *x, const char *path, unsigned depth, rsyslog_line_t found,
                        void *userdata) {
        _cleanup_free_ char *text = NULL;
        unsigned line = 0;
        int r;

        if (depth > RSYSLOG_INCLUDE_DEPTH_MAX || probe_read_file(c, path, 0, &text) < 0)
                return 0;
        for (char *l = text; l && *l;) {
                char *end = strchrnul(l, '\n'), *next = *end ? end + 1 : NULL, *p = l + strspn(l, " \t"), *g;

                *end = '\0';
                line++;
                l = next;
                if (*p == '#' || *p == '\0')
                        continue;
                if (strncasecmp(p, "$IncludeConfig", 14) == 0 && strchr(" \t", p[14])) {
                        g = p + 14 + strspn(p + 14, " \t");
                        r = rsyslog_include(c, x, g, strcspn(g, " \t"), depth, found, userdata);
                } else if (startswith(p, "include(") && (g = strstr(p, "file=\""))) {
                        g += 6;
                        r = rsyslog_include(c, x, g, strcspn(g, "\""), depth, found, userdata);
                } else
                        r = found(c, x, path, line, p, userdata);
                if (r < 0)
                        return r;
        }
        return 0;
}

static int rsyslog_each_line(CheckContext *c, ComplianceResult *x, rsyslog_line_t found, void *userdata) {
        return rsyslog_file(c, x, "/etc/rsyslog.conf", 0, found, userdata);
}

/* "$FileCreateMode 0640", or FileCreateMode="0640" in a module(load="builtin:omfile") statement. */
static int create_mode_line(CheckContext *c, ComplianceResult *x, const char *path, unsigned line_no, const char *line,
                            void *userdata) {
        const char **last = userdata, *v = NULL;

        if (strncasecmp(line, "$FileCreateMode", 15) == 0 && strchr(" \t", line[15]))
                v = line + 15 + strspn(line + 15, " \t");
        else if (strstr(line, "omfile") && strstr(line, "FileCreateMode=\""))
                v = strstr(line, "FileCreateMode=\"") + 16;
        if (!v)
                return 0;
        last[0] = check_tmp(c, "%.*s", (int) strspn(v, "01234567"), v);
        last[1] = check_tmp(c, "%s:%u", path, line_no);
        return 0;
}

static int check_create_mode(CheckContext *c, ComplianceResult *x) {
        const char *last[2] = {};
        unsigned long mode;
        int r;

        r = rsyslog_each_line(c, x, create_mode_line, last);
        if (r < 0)
                return r == -ENOMEM ? r : result_errno(x, r, "/etc/rsyslog.d");
        r = result_evidence(x, last[1] ?: "/etc/rsyslog.conf (default)", "$FileCreateMode 0640 or stricter",
                            check_tmp(c, "$FileCreateMode %s", last[0] ?: "0644"));
        if (r < 0)
                return r;
        mode = strtoul(last[0] ?: "0644", NULL, 8);
        if (isempty(last[0] ?: "0644") || (mode & ~0640UL) != 0)
                return result_set(x, RULE_FAIL, "rsyslog creates log files with mode %s", last[0] ?: "0644");
        return result_set(x, RULE_PASS, "rsyslog creates log files with mode %s", last[0]);
}

/* A line that loads or starts one of rsyslog's network inputs. */
static int listen_line(CheckContext *c, ComplianceResult *x, const char *path, unsigned line_no, const char *line,
                       void *userdata) {
        static const char *const legacy[] = { "$ModLoad imtcp",     "$ModLoad imudp", "$ModLoad imrelp",
                                              "$InputTCPServerRun", "$UDPServerRun",  "$InputRELPServerRun",
                                              "$InputUDPServerRun" };
        static const char *const modules[] = { "\"imtcp\"", "\"imudp\"", "\"imrelp\"" };
        unsigned *n = userdata;
        bool hit = false;

        for (size_t i = 0; i < ELEMENTSOF(legacy) && !hit; i++)
                hit = strncasecmp(line, legacy[i], strlen(legacy[i])) == 0;
        if (!hit && (startswith(line, "module(") || startswith(line, "input(")))
                for (size_t i = 0; i < ELEMENTSOF(modules) && !hit; i++)
                        hit = strstr(line, modules[i]) != NULL;
        if (!hit)
                return 0;
        (*n)++;
        return result_evidence(x, check_tmp(c, "%s:%u", path, line_no), "no network input", line);
}

static int check_no_listen(CheckContext *c, ComplianceResult *x) {
        unsigned n = 0;
        int r;

        r = rsyslog_each_line(c, x, listen_line, &n);
        if (r < 0)
                return r == -ENOMEM ? r : result_errno(x, r, "/etc/rsyslog.d");
        if (n > 0)
                return result_set(x, RULE_FAIL, "rsyslog receives logs from the network (%u line%s)", n,
                                  n == 1 ? "" : "s");
        r = result_evidence(x, "/etc/rsyslog.conf /etc/rsyslog.d", "no network input", "none");
        if (r < 0)
                return r;
        return result_set(x, RULE_PASS, "rsyslog loads no network input (imtcp, imudp, imrelp)");
}

static int check_logging_one(CheckContext *c, const ComplianceRule *rule, LoggingState *s, size_t i) {
        bool rsyslog = strv_contains(s->in_use, "rsyslog.service");
        ComplianceResult *x;
        int r;

        r = check_begin(c, rule, rule->items[i].item, &x);
        if (r < 0)
                return r;
        if (!s->db)
                return result_errno(x, probe_dpkg(c, &s->db), "/var/lib/dpkg/status");
        if (i >= ITEM_REMOTE_INSTALLED && i <= ITEM_NO_FORWARD && s->in_use)
                return result_set(x, RULE_NOTAPPLICABLE, "%s is in use: logs go to it, not to journald alone",
                                  s->in_use[0]);
        if (i >= ITEM_RSYSLOG_INSTALLED && !rsyslog)
                return result_set(x, RULE_NOTAPPLICABLE, "rsyslog is not in use: journald is the logging system");

        switch (i) {
        case ITEM_JOURNALD:
                r = result_evidence(x, "/etc/systemd/system/systemd-journald.service", "not masked",
                                    probe_unit_masked(c, "systemd-journald.service") ? "masked" : "not masked");
                if (r < 0)
                        return r;
                if (probe_unit_masked(c, "systemd-journald.service"))
                        return result_set(x, RULE_FAIL, "systemd-journald.service is masked");
                return result_unit_active(c, x, "systemd-journald.service");
        case ITEM_ONE_SYSTEM: {
                _cleanup_free_ char *joined = s->in_use ? strv_join(s->in_use, " ") : strdup("none");

                if (!joined)
                        return -ENOMEM;
                r = result_evidence(x, "/var/lib/dpkg/status /etc/systemd/system",
                                    "at most one syslog daemon beside journald", joined);
                if (r < 0)
                        return r;
                if (strv_length(s->in_use) > 1)
                        return result_set(x, RULE_FAIL, "More than one syslog daemon is in use: %s", joined);
                return result_set(x, RULE_PASS, "One logging system is in use: %s",
                                  s->in_use ? s->in_use[0] : "journald");
        }
        case ITEM_REMOTE_INSTALLED:
        case ITEM_RSYSLOG_INSTALLED:
                r = result_packages_installed(
                        c, x,
                        (const char *const[]){ i == ITEM_RSYSLOG_INSTALLED ? "rsyslog" : "systemd-journal-remote" }, 1);
                if (r < 0)
                        return r;
                return result_set(x, r ? RULE_PASS : RULE_FAIL, "%s is %sinstalled",
                                  i == ITEM_RSYSLOG_INSTALLED ? "rsyslog" : "systemd-journal-remote", r ? "" : "not ");
        case ITEM_UPLOAD_CONF:
                return check_upload_conf(c, x);
        case ITEM_UPLOAD_UNIT:
                r = result_packages_installed(c, x, (const char *const[]){ "systemd-journal-remote" }, 1);
                if (r <= 0)
                        return r < 0 ? r : result_set(x, RULE_FAIL, "systemd-journal-remote is not installed");
                return check_enabled(c, x, "systemd-journal-upload.service");
        case ITEM_REMOTE_UNUSED:
                return check_remote_unused(c, x);
        case ITEM_NO_FORWARD:
        case ITEM_FORWARD:
                return check_forward(c, x, i == ITEM_FORWARD);
        case ITEM_RSYSLOG_UNIT:
                return check_enabled(c, x, syslogs[0].unit);
        case ITEM_CREATE_MODE:
                return check_create_mode(c, x);
        default:
                return check_no_listen(c, x);
        }
}

static int check_logging(CheckContext *c, const ComplianceRule *rule) {
        _cleanup_(logging_state_done) LoggingState s = {};
        int r = probe_dpkg(c, &s.db);

        if (r == -ENOMEM)
                return r;
        for (size_t k = 0; s.db && k < ELEMENTSOF(syslogs); k++)
                if (dpkg_lookup(s.db, syslogs[k].package) && probe_unit_enabled(c, syslogs[k].unit) &&
                    strv_extend(&s.in_use, syslogs[k].unit) < 0)
                        return -ENOMEM;
        for (size_t i = 0; i < rule->n_items; i++) {
                if (!cis_wanted(c, rule->items[i].cis))
                        continue;
                r = check_logging_one(c, rule, &s, i);
                check_tmp_clear(c);
                if (r < 0)
                        return r;
        }
        return 0;
}

const ComplianceRule rule_cis_logging = {
        .id = "hardenctl-cis-logging",
        .title = "One logging system is in use, configured to keep and ship the host's logs",
        .severity = SEVERITY_MEDIUM,
        .rationale =
                "Logs are evidence only if they are collected by one system, kept with safe permissions and copied off the host before an intruder can change them; a host that accepts other hosts' logs is a log server and should be one on purpose.",
        .nist = "AU-4(1) AU-9 AU-12 CM-7",
        .remediation =
                "Either journald alone: apt install systemd-journal-remote, set URL=, ServerKeyFile=, ServerCertificateFile= and TrustedCertificateFile= in /etc/systemd/journal-upload.conf, systemctl enable --now systemd-journal-upload, systemctl mask systemd-journal-remote.socket, ForwardToSyslog=no; or rsyslog: apt install rsyslog, systemctl enable --now rsyslog, ForwardToSyslog=yes, $FileCreateMode 0640, and no imtcp, imudp or imrelp input.",
        .check = check_logging,
        .items = logging_refs,
        .n_items = ELEMENTSOF(logging_refs),
};
