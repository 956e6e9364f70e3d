/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* The kernel's audit records through journald (sd-journal), for hosts without auditd. */

#include <errno.h>
#include <inttypes.h>
#include <libaudit.h>
#include <stdio.h>
#include <systemd/sd-id128.h>
#include <systemd/sd-journal.h>

#include "log.h"
#include "parse-util.h"
#include "string-util.h"
#include "test-hooks.h"
#include "watch-journal.h"


/* The value of field in the current entry, as a NUL-terminated copy in buf; NULL if absent. */
static const char *field(sd_journal *j, const char *name, char *buf, size_t size) {
        const void *d;
        size_t n, k = strlen(name);

        if (sd_journal_get_data(j, name, &d, &n) < 0 || n <= k || n - k - 1 >= size)
                return NULL;
        memcpy(buf, (const char *) d + k + 1, n - k - 1);
        buf[n - k - 1] = 0;
        return buf;
}

static int entry_to_line(sd_journal *j, char *line, size_t size) {
        char type[16], id[32], ts[32], msg[9000];
        const char *t = field(j, "_AUDIT_TYPE", type, sizeof(type)), *i = field(j, "_AUDIT_ID", id, sizeof(id)),
                   *s = field(j, "_SOURCE_REALTIME_TIMESTAMP", ts, sizeof(ts)),
                   *m = field(j, "MESSAGE", msg, sizeof(msg)), *name, *body;
        unsigned long long usec;
        unsigned n;
        int r;

        if (!t || !i || !s || !m || safe_atou(t, &n) < 0 || sscanf(s, "%llu", &usec) != 1)
                return 0;
        /* MESSAGE is "TYPENAME body" (journald's own names): the body is what auditd writes after "): ". */
        body = strchr(m, ' ');
        body = body ? body + 1 : m;
        name = audit_msg_type_to_name(n);
        if (name)
                r = snprintf(line, size, "type=%s msg=audit(%llu.%03llu:%s): %s\n", name, usec / 1000000,
                             (usec / 1000) % 1000, i, body);
        else
                r = snprintf(line, size, "type=UNKNOWN[%u] msg=audit(%llu.%03llu:%s): %s\n", n, usec / 1000000,
                             (usec / 1000) % 1000, i, body);
        return r > 0 && (size_t) r < size ? r : 0;
}

int watch_journal_follow(Watcher *w, volatile sig_atomic_t *stop, WatchSaveState save) {
        _cleanup_(sd_journal_closep) sd_journal *j = NULL;
        const char *dir = NULL;
        uint64_t last = 0;
        char line[9200];
        int r;

        dir = test_hook_env("HARDENCTL_TEST_WATCH_JOURNAL_DIR");
        r = dir ? sd_journal_open_directory(&j, dir, 0) : sd_journal_open(&j, SD_JOURNAL_LOCAL_ONLY | SD_JOURNAL_SYSTEM);
        if (r < 0)
                return log_error_errno(r, "Cannot open the journal: %m");
        r = sd_journal_add_match(j, "_TRANSPORT=audit", 0);
        if (r >= 0 && !dir) {
                sd_id128_t boot;
                char m[64];

                r = sd_id128_get_boot(&boot);
                if (r >= 0) {
                        snprintf(m, sizeof(m), "_BOOT_ID=%s", SD_ID128_TO_STRING(boot));
                        r = sd_journal_add_match(j, m, 0);
                }
        }
        if (r < 0)
                return log_error_errno(r, "Cannot filter the journal: %m");
        r = sd_journal_seek_head(j);
        if (r < 0)
                return log_error_errno(r, "Cannot seek in the journal: %m");

        while (!*stop) {
                r = sd_journal_next(j);
                if (r < 0)
                        return log_error_errno(r, "Cannot read the journal: %m");
                if (r > 0) {
                        int n = entry_to_line(j, line, sizeof(line));

                        r = n > 0 ? watcher_feed(w, line, n) : 0;
                        if (r < 0)
                                return log_error_errno(r, "Cannot process the events: %m");
                        if (n == 0)
                                watcher_state(w)->unparsable++;
                        if (save)
                                (void) save(w, false, &last);
                        continue;
                }
                /* At the end: complete what is pending, then wait for more. */
                r = watcher_flush(w);
                if (r < 0)
                        return log_error_errno(r, "Cannot process the events: %m");
                if (save)
                        (void) save(w, true, &last);
                if (dir)
                        break;
                r = sd_journal_wait(j, 1000000);
                if (r < 0 && r != -EINTR)
                        return log_error_errno(r, "Cannot wait for the journal: %m");
        }
        r = watcher_flush(w);
        if (r >= 0 && save)
                r = save(w, true, &last);
        return r < 0 ? r : 0;
}
