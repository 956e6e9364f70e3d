/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* [Benchmark] CIS=: how the host keeps its logs (CIS 6.1.1.1, 6.1.1.4, 6.1.2.1.1-6.1.2.2, 6.1.3.1-6.1.3.4,
 * 6.1.3.7). The benchmark configures either journald alone, sending to a log host with
 * systemd-journal-upload, or rsyslog fed by journald; the items of the other are not applicable. A
 * syslog daemon is in use when its package is installed and its unit enabled. journald's settings
 * are read as journald reads them (probe_systemd_conf()); rsyslog's as rsyslogd's lexer reads
 * /etc/rsyslog.conf and /etc/rsyslog.d/\*.conf, legacy ($Directive) and RainerScript (module(), input())
 * alike, without regard to case. A file of rsyslog's that cannot be read makes its items errors. */

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

/* rsyslog's configuration as rsyslogd's lexer reads it, names of directives, objects and parameters
 * without regard to case: /etc/rsyslog.conf, each "$IncludeConfig GLOB" or include(file="GLOB")
 * expanded where it stands (Debian's includes /etc/rsyslog.d/\*.conf; a directory stands for the files
 * in it). Calls found for each statement in turn, its text NUL-terminated: a legacy "$Directive value"
 * line, or a RainerScript object, "name(…)" up to its closing parenthesis, across lines, strings and
 * comments honoured. Other lines are skipped. A file that does not exist holds nothing; one that cannot
 * be read stops the walk with its error, and failed says which. */
typedef int (*rsyslog_statement_t)(CheckContext *c, ComplianceResult *x, const char *path, unsigned line_no,
                                   const char *text, void *userdata);

typedef struct RsyslogWalk {
        rsyslog_statement_t found;
        void *userdata;
        const char *failed; /* the file or directory that could not be read */
} RsyslogWalk;

/* How deep includes (and directories in them) nest: deeper is a loop, which rsyslogd cannot load either. */
#define RSYSLOG_INCLUDE_DEPTH_MAX 8U

/* The objects of RainerScript (rsyslog's grammar/lexer.l). */
static const char *const rsyslog_objects[] = {
        "action", "constant", "dyn_stats",        "global",   "include",   "input",   "lookup_table", "main_queue",
        "module", "parser",   "percentile_stats", "property", "ratelimit", "ruleset", "template",     "timezone",
};

static bool rsyslog_blank(char ch) {
        return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n';
}

/* Past the string that opens at p ('"', or '`' for a command's output), backslash escapes honoured;
 * NULL if it does not end. */
static const char *rsyslog_skip_string(const char *p) {
        char quote = *p++;

        for (; *p != '\0' && *p != quote; p++)
                if (*p == '\\' && p[1] != '\0')
                        p++;
        return *p != '\0' ? p + 1 : NULL;
}

/* Past whitespace, newlines and comments ('#' to the end of the line, C-style) from p. */
static const char *rsyslog_skip_space(const char *p) {
        for (;;) {
                const char *e;

                if (rsyslog_blank(*p))
                        p++;
                else if (*p == '#')
                        p = strchrnul(p, '\n');
                else if (startswith(p, "/*"))
                        p = (e = strstr(p + 2, "*/")) ? e + 2 : p + strlen(p);
                else
                        return p;
        }
}

/* If text opens the object name ("Module (" too, across lines), what follows its '('; NULL otherwise. */
static const char *rsyslog_object(const char *text, const char *name) {
        size_t n = strlen(name);
        const char *p;

        if (strncasecmp(text, name, n) != 0)
                return NULL;
        for (p = text + n; rsyslog_blank(*p); p++)
                ;
        return *p == '(' ? p + 1 : NULL;
}

/* If text opens an object, its closing parenthesis (or the end of text, if it has none); else NULL. */
static const char *rsyslog_object_end(const char *text) {
        const char *p = NULL;

        for (size_t i = 0; i < ELEMENTSOF(rsyslog_objects) && !p; i++)
                p = rsyslog_object(text, rsyslog_objects[i]);
        while (p && *(p = rsyslog_skip_space(p)) != '\0' && *p != ')')
                if (*p == '"' || *p == '`')
                        p = rsyslog_skip_string(p) ?: p + strlen(p);
                else
                        p++;
        return p;
}

/* The value of the parameter name (any case) of the object text, as written between its quotes: 1 and
 * it (not NUL-terminated), or 0 if the object does not set it to a string. Whitespace and newlines may
 * surround '='; an array value is passed over. */
static int rsyslog_param(const char *text, const char *name, const char **ret, size_t *ret_n) {
        const char *p = strchr(text, '(');

        for (p = p ? p + 1 : ""; *(p = rsyslog_skip_space(p)) != '\0' && *p != ')';) {
                size_t n = strspn(p, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.");
                bool match = n == strlen(name) && strncasecmp(p, name, n) == 0;
                const char *v, *e;

                p = rsyslog_skip_space(p + n);
                if (n == 0 || *p != '=')
                        return 0; /* not name=value: rsyslogd refuses the object */
                v = rsyslog_skip_space(p + 1);
                if (*v == '[') { /* an array of strings */
                        for (e = v + 1; e && *e != '\0' && *e != ']'; e = *e == '"' ? rsyslog_skip_string(e) : e + 1)
                                ;
                        if (!e || *e == '\0')
                                return 0;
                        p = e + 1;
                        continue;
                }
                if ((*v != '"' && *v != '`') || !(e = rsyslog_skip_string(v)))
                        return 0;
                if (match) {
                        *ret = v + 1;
                        *ret_n = (size_t) (e - v - 2);
                        return 1;
                }
                p = e;
        }
        return 0;
}

/* If text is the legacy directive "$name" (any case), its value: what follows the blanks after it. */
static const char *rsyslog_directive(const char *text, const char *name) {
        size_t n = strlen(name);

        if (text[0] != '$' || strncasecmp(text + 1, name, n) != 0 ||
            (text[1 + n] != ' ' && text[1 + n] != '\t' && text[1 + n] != '\0'))
                return NULL;
        return text + 1 + n + strspn(text + 1 + n, " \t");
}

static int rsyslog_file(CheckContext *c, ComplianceResult *x, RsyslogWalk *w, const char *path, unsigned depth);

static int rsyslog_failed(CheckContext *c, RsyslogWalk *w, const char *path, int r) {
        if (r != -ENOMEM && !(w->failed = check_tmp(c, "%s", path)))
                return -ENOMEM;
        return r;
}

/* What a "$IncludeConfig" or include(file=) names, read by a file at depth: a file, a directory (the
 * files in it, as rsyslogd reads DIR/\*) or a pattern in the last component. */
static int rsyslog_include(CheckContext *c, ComplianceResult *x, RsyslogWalk *w, const char *glob, size_t n,
                           unsigned depth) {
        _cleanup_free_ char *pattern = strndup(glob, n), *dir = NULL;
        _cleanup_strv_free_ char **files = NULL;
        const char *match = "*";
        int r;

        if (!pattern)
                return -ENOMEM;
        if (depth >= RSYSLOG_INCLUDE_DEPTH_MAX)
                return rsyslog_failed(c, w, pattern, -ELOOP);
        if (!strpbrk(path_basename(pattern), "*?[")) {
                r = rsyslog_file(c, x, w, pattern, depth + 1);
                if (r != -EISDIR)
                        return r;
                w->failed = NULL;
                dir = TAKE_PTR(pattern);
        } else {
                match = path_basename(pattern);
                dir = strndup(pattern, match - pattern);
                if (!dir)
                        return -ENOMEM;
        }
        r = probe_list_dir(c, dir, probe_glob_filter, match, &files);
        if (r == -ENOTDIR)
                return 0; /* a pattern that matches nothing */
        if (r < 0)
                return rsyslog_failed(c, w, dir, r);
        STRV_FOREACH(f, files) {
                r = rsyslog_include(c, x, w, *f, strlen(*f), depth + 1);
                if (r < 0)
                        return r;
        }
        return 0;
}

static int rsyslog_statement(CheckContext *c, ComplianceResult *x, RsyslogWalk *w, const char *path, unsigned line,
                             const char *text, unsigned depth) {
        const char *v;
        size_t n;

        if ((v = rsyslog_directive(text, "IncludeConfig")))
                return rsyslog_include(c, x, w, v, strcspn(v, " \t"), depth);
        if (rsyslog_object(text, "include"))
                return rsyslog_param(text, "file", &v, &n) > 0 ? rsyslog_include(c, x, w, v, n, depth) : 0;
        return w->found(c, x, path, line, text, w->userdata);
}

static int rsyslog_file(CheckContext *c, ComplianceResult *x, RsyslogWalk *w, const char *path, unsigned depth) {
        _cleanup_free_ char *text = NULL;
        const char *counted;
        unsigned line = 1;
        int r;

        r = probe_read_file(c, path, 0, &text);
        if (r == -ENOENT || r == -ENOTDIR)
                return 0;
        if (r < 0)
                return rsyslog_failed(c, w, path, r);
        counted = text;
        for (char *p = text; *(p = (char *) rsyslog_skip_space(p)) != '\0';) {
                char *end, saved;

                if (*p == '$')
                        end = strchrnul(p, '\n');
                else if ((end = (char *) rsyslog_object_end(p)))
                        end += *end == ')';
                else { /* a selector and its action, or a statement no item looks at */
                        p = strchrnul(p, '\n');
                        continue;
                }
                for (; counted < p; counted++)
                        line += *counted == '\n';
                saved = *end;
                *end = '\0';
                r = rsyslog_statement(c, x, w, path, line, p, depth);
                *end = saved;
                if (r < 0)
                        return r;
                p = end;
        }
        return 0;
}

/* Walks rsyslog's configuration. Returns 0, or 1 when a file or directory of it could not be read: then
 * it is the item's evidence, and the item an error; or -ENOMEM. */
static int rsyslog_each_statement(CheckContext *c, ComplianceResult *x, rsyslog_statement_t found, void *userdata) {
        RsyslogWalk w = { .found = found, .userdata = userdata };
        int r, error;

        error = rsyslog_file(c, x, &w, "/etc/rsyslog.conf", 0);
        if (error >= 0 || error == -ENOMEM || !w.failed)
                return error;
        r = result_evidence(x, w.failed, "readable", check_tmp(c, "unreadable: %s", strerror(-error)));
        if (r < 0)
                return r;
        r = result_errno(x, error, w.failed);
        return r < 0 ? r : 1;
}

/* An octal file mode as rsyslogd takes it: a '0' and three or four octal digits (n bytes); or -1. */
static long rsyslog_mode(const char *v, size_t n) {
        long mode = 0;

        if ((n != 4 && n != 5) || v[0] != '0')
                return -1;
        for (size_t i = 1; i < n; i++) {
                if (v[i] < '0' || v[i] > '7')
                        return -1;
                mode = mode * 8 + (v[i] - '0');
        }
        return mode;
}

typedef struct CreateMode {
        const char *value; /* as written */
        const char *shown; /* the directive or parameter, for the evidence */
        const char *where; /* FILE:LINE */
        long mode;         /* -1 if value is not a file mode */
} CreateMode;

/* "$FileCreateMode 0640" (a '#' comment may follow, nothing else), or FileCreateMode="0640" in a
 * module(load="builtin:omfile") statement. The last one counts. */
static int create_mode_statement(CheckContext *c, ComplianceResult *x, const char *path, unsigned line_no,
                                 const char *text, void *userdata) {
        CreateMode *m = userdata;
        const char *v;
        size_t n;

        if ((v = rsyslog_directive(text, "FileCreateMode"))) {
                /* rsyslogd reads a '0' and three octal digits; only blanks and a comment may follow */
                n = strcspn(v, "#");
                while (n > 0 && rsyslog_blank(v[n - 1]))
                        n--;
                m->mode = n == 4 ? rsyslog_mode(v, n) : -1;
                m->value = check_tmp(c, "%.*s", (int) n, v);
                m->shown = m->value ? check_tmp(c, "$FileCreateMode %s", m->value) : NULL;
        } else if (rsyslog_object(text, "module") && rsyslog_param(text, "load", &v, &n) > 0 && n == 14 &&
                   strncasecmp(v, "builtin:omfile", n) == 0 && rsyslog_param(text, "FileCreateMode", &v, &n) > 0) {
                m->mode = rsyslog_mode(v, n);
                m->value = check_tmp(c, "%.*s", (int) n, v);
                m->shown = m->value ? check_tmp(c, "FileCreateMode=\"%s\"", m->value) : NULL;
        } else
                return 0;
        m->where = check_tmp(c, "%s:%u", path, line_no);
        return m->value && m->shown && m->where ? 0 : -ENOMEM;
}

static int check_create_mode(CheckContext *c, ComplianceResult *x) {
        CreateMode m = { .value = "0644", .shown = "$FileCreateMode 0644", .mode = 0644 };
        int r;

        r = rsyslog_each_statement(c, x, create_mode_statement, &m);
        if (r != 0)
                return r < 0 ? r : 0;
        r = result_evidence(x, m.where ?: "/etc/rsyslog.conf (default)", "$FileCreateMode 0640 or stricter", m.shown);
        if (r < 0)
                return r;
        if (m.mode < 0)
                return result_set(x, RULE_FAIL, "rsyslog's file creation mode \"%s\" is not an octal file mode", m.value);
        return result_set(x, (m.mode & ~0640L) != 0 ? RULE_FAIL : RULE_PASS, "rsyslog creates log files with mode %s",
                          m.value);
}

/* Whether the module name (n bytes; a path to it, or with ".so", too) is one of rsyslog's network inputs. */
static bool rsyslog_network_input(const char *name, size_t n) {
        static const char *const inputs[] = { "imtcp", "imudp", "imrelp" };
        const char *slash = memrchr(name, '/', n);

        if (slash) {
                n -= slash + 1 - name;
                name = slash + 1;
        }
        if (n > 3 && strncmp(name + n - 3, ".so", 3) == 0)
                n -= 3;
        for (size_t i = 0; i < ELEMENTSOF(inputs); i++)
                if (n == strlen(inputs[i]) && strncasecmp(name, inputs[i], n) == 0)
                        return true;
        return false;
}

/* A statement that loads or starts one of rsyslog's network inputs. */
static int listen_statement(CheckContext *c, ComplianceResult *x, const char *path, unsigned line_no, const char *text,
                            void *userdata) {
        static const char *const runs[] = { "InputTCPServerRun", "UDPServerRun", "InputRELPServerRun",
                                            "InputUDPServerRun" };
        _cleanup_free_ char *shown = NULL;
        unsigned *count = userdata;
        const char *v;
        size_t n;
        bool hit;

        if ((v = rsyslog_directive(text, "ModLoad")))
                hit = rsyslog_network_input(v, strcspn(v, " \t#"));
        else if (rsyslog_object(text, "module"))
                hit = rsyslog_param(text, "load", &v, &n) > 0 && rsyslog_network_input(v, n);
        else if (rsyslog_object(text, "input"))
                hit = rsyslog_param(text, "type", &v, &n) > 0 && rsyslog_network_input(v, n);
        else
                hit = false;
        for (size_t i = 0; i < ELEMENTSOF(runs) && !hit; i++)
                hit = rsyslog_directive(text, runs[i]) != NULL;
        if (!hit)
                return 0;
        (*count)++;
        shown = strdup(text);
        if (!shown)
                return -ENOMEM;
        return result_evidence(x, check_tmp(c, "%s:%u", path, line_no), "no network input",
                               strip_collapse_whitespace(shown));
}

static int check_no_listen(CheckContext *c, ComplianceResult *x) {
        unsigned n = 0;
        int r;

        r = rsyslog_each_statement(c, x, listen_statement, &n);
        if (r != 0)
                return r < 0 ? r : 0;
        if (n > 0)
                return result_set(x, RULE_FAIL, "rsyslog receives logs from the network (%u statement%s)", n,
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
        /* Which logging system is in use comes from the package database; journald itself does not. */
        if (!s->db && i != ITEM_JOURNALD)
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
