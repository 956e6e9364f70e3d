/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* Audit events into WatchEvent, through libauparse: the fields of each record by name, string fields
 * decoded by auparse_interpret_field() in raw escape mode. Records of type 1420 (IPE) are read from
 * their text: their rule="…" value holds spaces, which libauparse's field splitting does not keep. */

#include <ctype.h>
#include <errno.h>
#include <libaudit.h>
#include <stdlib.h>
#include <string.h>

#include "string-util.h"
#include "watch-event.h"

void watch_event_done(WatchEvent *e) {
        free(e->exe);
        free(e->comm);
        free(e->key);
        for (unsigned i = 0; i < e->n_paths; i++) {
                free(e->paths[i].name);
                free(e->paths[i].nametype);
        }
        free(e->module);
        free(e->avc_detail);
        free(e->ipe_op);
        free(e->ipe_hook);
        free(e->ipe_path);
        free(e->ipe_rule);
        free(e->ipe_comm);
        *e = (WatchEvent){};
}

bool watch_line_is_record(const char *line, size_t n) {
        const char *m, *end = line + n;

        if (n < 20 || strncmp(line, "type=", 5) != 0)
                return false;
        /* The type: a name or UNKNOWN[N], never empty (libauparse 3.0.9 leaks a record with an empty
         * one); then the time stamp. */
        m = line + 5;
        while (m < end && (isalnum((unsigned char) *m) || *m == '_' || *m == '[' || *m == ']'))
                m++;
        if (m == line + 5 || end - m < 11 || memcmp(m, " msg=audit(", 11) != 0)
                return false;
        /* A CWD record has one cwd= (the kernel hex-encodes a value that holds a space or a quote);
         * libauparse 3.0.9 leaks the first of two. */
        if (m - line == 8 && memcmp(line + 5, "CWD", 3) == 0) {
                const char *c = memmem(m, end - m, " cwd=", 5);

                if (c && memmem(c + 5, end - c - 5, " cwd=", 5))
                        return false;
        }
        m += 11;
        /* seconds '.' milliseconds ':' serial "):" */
        if (m >= end || !(*m >= '0' && *m <= '9'))
                return false;
        while (m < end && *m >= '0' && *m <= '9')
                m++;
        if (m >= end || *m++ != '.')
                return false;
        while (m < end && *m >= '0' && *m <= '9')
                m++;
        if (m >= end || *m++ != ':' || m >= end || !(*m >= '0' && *m <= '9'))
                return false;
        while (m < end && *m >= '0' && *m <= '9')
                m++;
        return end - m >= 2 && m[0] == ')' && m[1] == ':';
}

static int64_t num(const char *s) {
        char *e;
        long long v;

        if (!s || !*s)
                return -1;
        errno = 0;
        v = strtoll(s, &e, 0);
        if (errno != 0 || *e != 0)
                return -1;
        /* auid and friends: (uint32_t) -1 is "unset". */
        return v == 4294967295LL ? -1 : v;
}

/* The current field of au, decoded (hex made plain, quotes removed) and copied to *ret; NULL for an
 * empty or unset value. */
static int field_decoded(auparse_state_t *au, char **ret) {
        const char *v = auparse_interpret_field(au);

        free(*ret);
        *ret = NULL;
        if (!v || !*v || streq(v, "(null)") || streq(v, "?"))
                return 0;
        *ret = strdup(v);
        return *ret ? 0 : -ENOMEM;
}

static void field_dev(const char *v, WatchPath *p) {
        unsigned ma, mi;
        char c;

        if (v && sscanf(v, "%x:%x%c", &ma, &mi, &c) == 2) {
                p->major = ma;
                p->minor = mi;
                p->has_dev = true;
        }
}

/* One pass over the fields of a SYSCALL record. */
static int read_syscall(auparse_state_t *au, WatchEvent *e) {
        e->has_syscall = true;
        if (auparse_first_field(au) <= 0)
                return 0;
        do {
                const char *n = auparse_get_field_name(au), *v = auparse_get_field_str(au);
                int r = 0;

                if (!n || !v)
                        continue;
                /* By the first letter: a record has some 30 fields, and this runs for every one. */
                switch (n[0]) {
                case 's':
                        if (streq(n, "syscall"))
                                e->syscall = num(v);
                        else if (streq(n, "success"))
                                e->success = streq(v, "yes");
                        break;
                case 'p':
                        if (streq(n, "pid"))
                                e->pid = num(v);
                        else if (streq(n, "ppid"))
                                e->ppid = num(v);
                        break;
                case 'u':
                        if (streq(n, "uid"))
                                e->uid = num(v);
                        break;
                case 'a':
                        if (streq(n, "auid"))
                                e->auid = num(v);
                        break;
                case 'e':
                        if (streq(n, "euid"))
                                e->euid = num(v);
                        else if (streq(n, "egid"))
                                e->egid = num(v);
                        else if (streq(n, "exe"))
                                r = field_decoded(au, &e->exe);
                        break;
                case 'g':
                        if (streq(n, "gid"))
                                e->gid = num(v);
                        break;
                case 'c':
                        if (streq(n, "comm"))
                                r = field_decoded(au, &e->comm);
                        break;
                case 'k':
                        if (streq(n, "key"))
                                r = field_decoded(au, &e->key);
                        break;
                }
                if (r < 0)
                        return r;
        } while (auparse_next_field(au) > 0);
        return 0;
}

static int read_path(auparse_state_t *au, WatchEvent *e) {
        WatchPath *p;

        if (e->n_paths >= WATCH_EVENT_PATHS_MAX || auparse_first_field(au) <= 0)
                return 0;
        p = e->paths + e->n_paths++;
        *p = (WatchPath){ .mode = -1 };
        do {
                const char *n = auparse_get_field_name(au), *v = auparse_get_field_str(au);
                int r = 0;

                if (!n || !v)
                        continue;
                if (streq(n, "dev"))
                        field_dev(v, p);
                else if (streq(n, "mode"))
                        p->mode = strtoll(v, NULL, 8);
                else if (streq(n, "name"))
                        r = field_decoded(au, &p->name);
                else if (streq(n, "nametype"))
                        r = field_decoded(au, &p->nametype);
                if (r < 0)
                        return r;
        } while (auparse_next_field(au) > 0);
        return 0;
}

/* The value of KEY= in an IPE record's text: quoted ("…", up to the closing quote) or a word. A string the
 * kernel does not trust (untrusted: path, comm) is hexadecimal when it is not quoted (the kernel's
 * encoding of values with spaces, quotes or control characters): decoded, unless it is not that. */
static int ipe_value(const char *text, const char *key, bool untrusted, char **ret) {
        _cleanup_free_ char *word = NULL, *decoded = NULL;
        size_t n = strlen(key), size;
        const char *p;

        *ret = NULL;
        for (p = text; (p = strstr(p, key)); p += n)
                if ((p == text || p[-1] == ' ') && p[n] == '=')
                        break;
        if (!p)
                return 0;
        p += n + 1;
        if (*p == '"') {
                const char *q = strchr(++p, '"');
                *ret = q ? strndup(p, q - p) : strdup(p);
                return *ret ? 0 : -ENOMEM;
        }
        word = strndup(p, strcspn(p, " \n"));
        if (!word)
                return -ENOMEM;
        if (untrusted && *word) {
                decoded = malloc(strlen(word) / 2 + 1);
                if (!decoded)
                        return -ENOMEM;
                if (hex_decode(word, decoded, strlen(word) / 2, &size) >= 0 && !memchr(decoded, 0, size)) {
                        decoded[size] = 0;
                        *ret = TAKE_PTR(decoded);
                        return 0;
                }
        }
        *ret = TAKE_PTR(word);
        return 0;
}

static int read_ipe(auparse_state_t *au, WatchEvent *e) {
        const char *text = auparse_get_record_text(au);
        _cleanup_free_ char *enforcing = NULL, *pid = NULL;

        /* The first IPE record of an event is the one read (an event has one; a malformed stream may
         * hold more). */
        if (!text || e->has_ipe)
                return 0;
        e->has_ipe = true;
        if (ipe_value(text, "ipe_op", false, &e->ipe_op) < 0 || ipe_value(text, "ipe_hook", false, &e->ipe_hook) < 0 ||
            ipe_value(text, "path", true, &e->ipe_path) < 0 || ipe_value(text, "rule", false, &e->ipe_rule) < 0 ||
            ipe_value(text, "comm", true, &e->ipe_comm) < 0 || ipe_value(text, "enforcing", false, &enforcing) < 0 ||
            ipe_value(text, "pid", false, &pid) < 0)
                return -ENOMEM;
        e->ipe_enforcing = enforcing ? streq(enforcing, "1") : -1;
        e->ipe_pid = num(pid);
        e->ipe_deny = e->ipe_rule && strstr(e->ipe_rule, "action=DENY");
        return 0;
}

static int read_avc(auparse_state_t *au, WatchEvent *e) {
        const char *text = auparse_get_record_text(au), *p;

        if (!text || !strstr(text, "avc:") || !strstr(text, " denied "))
                return 0;
        e->avc_denied = true;
        if (!e->avc_detail && (p = strstr(text, "avc:"))) {
                e->avc_detail = strndup(p, strcspn(p, "\n"));
                if (!e->avc_detail)
                        return -ENOMEM;
        }
        return 0;
}

int watch_event_read(auparse_state_t *au, WatchEvent *ret) {
        WatchEvent e = { .syscall = -1,
                         .success = -1,
                         .pid = -1,
                         .ppid = -1,
                         .uid = -1,
                         .auid = -1,
                         .euid = -1,
                         .gid = -1,
                         .egid = -1,
                         .ipe_pid = -1,
                         .ipe_enforcing = -1 };
        const au_event_t *ts;
        int r = 0;

        if (auparse_first_record(au) <= 0)
                return -EBADMSG;
        ts = auparse_get_timestamp(au);
        if (!ts || ts->sec == 0)
                return -EBADMSG;
        e.time_usec = (uint64_t) ts->sec * 1000000ULL + (uint64_t) ts->milli * 1000ULL;
        e.serial = ts->serial;

        do {
                e.n_records++;
                int type = auparse_get_type(au);

                /* auditd 3.0.9 and 4.0 print "UNKNOWN[1420]"; a later one may print "IPE_ACCESS", which
                 * an older libauparse does not know: type -1, and the record an event of its own. */
                if (type <= 0 && startswith(auparse_get_record_text(au) ?: "", "type=IPE_ACCESS "))
                        type = WATCH_TYPE_IPE_ACCESS;
                switch (type) {
                case AUDIT_SYSCALL:
                        r = read_syscall(au, &e);
                        break;
                case AUDIT_PATH:
                        r = read_path(au, &e);
                        break;
                case AUDIT_EXECVE:
                        e.has_execve = true;
                        break;
                case AUDIT_BPRM_FCAPS:
                        /* fp/fi/fe: the file's capabilities; new_pp over old_pp: what the exec gained. */
                        e.fcaps_gain = true;
                        break;
                case AUDIT_CAPSET:
                        e.capset = true;
                        break;
                case AUDIT_KERN_MODULE:
                        r = auparse_find_field(au, "name") ? field_decoded(au, &e.module) : 0;
                        if (r >= 0 && !e.module)
                                r = (e.module = strdup("?")) ? 0 : -ENOMEM;
                        break;
                case AUDIT_AVC:
                        r = read_avc(au, &e);
                        break;
                case WATCH_TYPE_IPE_ACCESS:
                        r = read_ipe(au, &e);
                        break;
                default:
                        break;
                }
                if (r < 0)
                        break;
        } while (auparse_next_record(au) > 0);

        if (r < 0) {
                watch_event_done(&e);
                return r;
        }
        *ret = e;
        return 0;
}

typedef struct LogReader {
        int (*callback)(const WatchEvent *e, void *userdata);
        void *userdata;
        int error;
} LogReader;

static void on_log_event(auparse_state_t *au, auparse_cb_event_t type, void *userdata) {
        LogReader *l = userdata;
        WatchEvent e;
        int r;

        if (type != AUPARSE_CB_EVENT_READY || l->error < 0)
                return;
        r = watch_event_read(au, &e);
        if (r == -EBADMSG)
                return;
        if (r >= 0) {
                r = l->callback(&e, l->userdata);
                watch_event_done(&e);
        }
        if (r < 0)
                l->error = r;
}

int watch_log_read(const char *text, size_t size, int (*callback)(const WatchEvent *e, void *userdata), void *userdata) {
        LogReader l = { .callback = callback, .userdata = userdata };
        auparse_state_t *au;

        au = auparse_init(AUSOURCE_FEED, NULL);
        if (!au)
                return -ENOMEM;
        auparse_set_escape_mode(au, AUPARSE_ESC_RAW);
        auparse_add_callback(au, on_log_event, &l, NULL);
        for (const char *p = text, *end = text + size; p < end && l.error >= 0;) {
                const char *nl = memchr(p, '\n', end - p);
                size_t n = nl ? (size_t) (nl - p) : (size_t) (end - p);

                /* As the watcher does: what has not the shape of a record, or is overlong, libauparse does
                 * not see. */
                if (n > 0 && n <= WATCH_LINE_MAX && watch_line_is_record(p, n) && !memchr(p, 0, n) &&
                    (auparse_feed(au, p, n) < 0 || auparse_feed(au, "\n", 1) < 0))
                        l.error = -ENOMEM;
                p += n + 1;
        }
        auparse_flush_feed(au);
        auparse_destroy(au);
        return l.error;
}
