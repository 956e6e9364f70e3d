/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* Where anomalies go: one structured journal entry each (hardenctl.journal(7)), or lines for tests. */

#include <inttypes.h>
#include <syslog.h>
#include <systemd/sd-journal.h>

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

int watch_sink_journal(const Anomaly *a, uint64_t count, uint64_t suppressed, const WatchState *s, void *userdata) {
        int r;

        r = sd_journal_send(
                "MESSAGE_ID=%s", message_ids[a->kind], "PRIORITY=%i", LOG_WARNING, "MESSAGE=Anomaly %s: %s%s",
                anomaly_kind_to_string(a->kind), strna(a->detail), count > 1 ? " (repeated)" : "", FIELD_ANOMALY "%s",
                anomaly_kind_to_string(a->kind), FIELD_PROFILE "%s", strempty(s->profile), FIELD_DIGEST "%s",
                strempty(s->profile_digest), FIELD_UNIT "%s", strempty(a->unit), FIELD_EXE "%s", strempty(a->exe),
                FIELD_COMM "%s", strempty(a->comm), FIELD_PID "%" PRIi64, a->pid, FIELD_UID "%" PRIi64, a->uid,
                FIELD_LOGIN_UID "%" PRIi64, a->auid, FIELD_PATH "%s", strempty(a->path), FIELD_AUDIT_KEY "%s",
                strempty(a->key), FIELD_IPE_RULE "%s", strempty(a->rule),
                FIELD_AUDIT_EVENT "%" PRIu64 ".%03" PRIu64 ":%" PRIu64, a->time_usec / 1000000,
                (a->time_usec / 1000) % 1000, a->serial, FIELD_COUNT "%" PRIu64, count, FIELD_SUPPRESSED "%" PRIu64,
                suppressed, FIELD_KIND_TOTAL "%" PRIu64, s->count[a->kind], NULL);
        return r < 0 ? r : 0;
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
