/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* Where anomalies go: one structured journal entry each (hardenctl.journal(7)); the same fields in the
 * Journal Export Format (for systemd-journal-remote, and tests); or lines for tests. One function builds
 * the fields for all. */

#include <inttypes.h>
#include <stdarg.h>
#include <syslog.h>
#include <systemd/sd-journal.h>
#include <sys/uio.h>

#include "journal-ids.h"
#include "string-util.h"
#include "watch.h"

static const char *const message_ids[_ANOMALY_KIND_MAX] = {
        [ANOMALY_EXEC_UNVERIFIED] = MESSAGE_ID_ANOMALY_EXEC_UNVERIFIED,
        [ANOMALY_EXEC_UNLISTED] = MESSAGE_ID_ANOMALY_EXEC_UNLISTED,
        [ANOMALY_WATCHED_WRITE] = MESSAGE_ID_ANOMALY_WATCHED_WRITE,
        [ANOMALY_PRIVILEGE] = MESSAGE_ID_ANOMALY_PRIVILEGE,
        [ANOMALY_MODULE_LOAD] = MESSAGE_ID_ANOMALY_MODULE_LOAD,
        [ANOMALY_SELINUX_DENIAL] = MESSAGE_ID_ANOMALY_SELINUX_DENIAL,
        [ANOMALY_ETC_DRIFT] = MESSAGE_ID_ANOMALY_ETC_DRIFT,
};

#define N_FIELDS 20

typedef struct Fields {
        struct iovec iov[N_FIELDS];
        size_t n;
} Fields;

static void fields_done(Fields *f) {
        for (size_t i = 0; i < f->n; i++)
                free(f->iov[i].iov_base);
        f->n = 0;
}

static int push(Fields *f, const char *format, ...) _printf_(2, 3);
static int push(Fields *f, const char *format, ...) {
        va_list ap;
        char *s;
        int n;

        assert(f->n < N_FIELDS);
        va_start(ap, format);
        n = vasprintf(&s, format, ap);
        va_end(ap);
        if (n < 0)
                return -ENOMEM;
        f->iov[f->n++] = (struct iovec){ .iov_base = s, .iov_len = n };
        return 0;
}

static int fields_build(const Anomaly *a, uint64_t count, uint64_t suppressed, const WatchState *s, Fields *f) {
        const char *kind = anomaly_kind_to_string(a->kind);

        if (push(f, "MESSAGE_ID=%s", message_ids[a->kind]) < 0 || push(f, "PRIORITY=%i", LOG_WARNING) < 0 ||
            push(f, "MESSAGE=Anomaly %s: %s%s", kind, strna(a->detail), count > 1 ? " (repeated)" : "") < 0 ||
            push(f, FIELD_ANOMALY "%s", kind) < 0 || push(f, FIELD_PROFILE "%s", strempty(s->profile)) < 0 ||
            push(f, FIELD_DIGEST "%s", strempty(s->profile_digest)) < 0 ||
            push(f, FIELD_UNIT "%s", strempty(a->unit)) < 0 || push(f, FIELD_EXE "%s", strempty(a->exe)) < 0 ||
            push(f, FIELD_COMM "%s", strempty(a->comm)) < 0 || push(f, FIELD_PID "%" PRIi64, a->pid) < 0 ||
            push(f, FIELD_UID "%" PRIi64, a->uid) < 0 || push(f, FIELD_LOGIN_UID "%" PRIi64, a->auid) < 0 ||
            push(f, FIELD_PATH "%s", strempty(a->path)) < 0 || push(f, FIELD_AUDIT_KEY "%s", strempty(a->key)) < 0 ||
            push(f, FIELD_IPE_RULE "%s", strempty(a->rule)) < 0 ||
            push(f, FIELD_AUDIT_EVENT "%" PRIu64 ".%03" PRIu64 ":%" PRIu64, a->time_usec / 1000000,
                 (a->time_usec / 1000) % 1000, a->serial) < 0 ||
            push(f, FIELD_COUNT "%" PRIu64, count) < 0 || push(f, FIELD_SUPPRESSED "%" PRIu64, suppressed) < 0 ||
            push(f, FIELD_KIND_TOTAL "%" PRIu64, s->count[a->kind]) < 0) {
                fields_done(f);
                return -ENOMEM;
        }
        return 0;
}

int watch_sink_journal(const Anomaly *a, uint64_t count, uint64_t suppressed, const WatchState *s, void *userdata) {
        Fields f = {};
        int r;

        r = fields_build(a, count, suppressed, s, &f);
        if (r < 0)
                return r;
        r = sd_journal_sendv(f.iov, f.n);
        fields_done(&f);
        return r < 0 ? r : 0;
}

int watch_sink_export(const Anomaly *a, uint64_t count, uint64_t suppressed, const WatchState *s, void *userdata) {
        FILE *out = userdata;
        Fields f = {};
        int r;

        r = fields_build(a, count, suppressed, s, &f);
        if (r < 0)
                return r;
        /* The entry's time is the audit event's. Values are text without newlines but may hold any
         * other byte: written as they are (the binary form is for values with a newline). */
        fprintf(out, "__REALTIME_TIMESTAMP=%" PRIu64 "\n", a->time_usec);
        for (size_t i = 0; i < f.n; i++) {
                const char *v = f.iov[i].iov_base;

                if (memchr(v, '\n', f.iov[i].iov_len)) {
                        const char *eq = strchr(v, '=');
                        uint64_t len = f.iov[i].iov_len - (eq - v) - 1;

                        fwrite(v, 1, eq - v, out);
                        fputc('\n', out);
                        for (int b = 0; b < 8; b++)
                                fputc((int) ((len >> (8 * b)) & 0xff), out);
                        fwrite(eq + 1, 1, len, out);
                } else
                        fwrite(v, 1, f.iov[i].iov_len, out);
                fputc('\n', out);
        }
        fputc('\n', out);
        fields_done(&f);
        return ferror(out) ? -EIO : 0;
}

int watch_sink_text(const Anomaly *a, uint64_t count, uint64_t suppressed, const WatchState *s, void *userdata) {
        FILE *f = userdata;

        fprintf(f,
                "%s event=%" PRIu64 ".%03" PRIu64 ":%" PRIu64 " unit=%s exe=%s comm=%s pid=%" PRIi64 " uid=%" PRIi64
                " auid=%" PRIi64 " path=%s key=%s rule=%s count=%" PRIu64 " suppressed=%" PRIu64 " detail=%s\n",
                anomaly_kind_to_string(a->kind), a->time_usec / 1000000, (a->time_usec / 1000) % 1000, a->serial,
                strna(a->unit), strna(a->exe), strna(a->comm), a->pid, a->uid, a->auid, strna(a->path), strna(a->key),
                strna(a->rule), count, suppressed, strna(a->detail));
        return ferror(f) ? -EIO : 0;
}
