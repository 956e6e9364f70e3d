/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "string-util.h"
#include "watch.h"

/* Defaults, documented in hardenctl-watch(8). */
#define WATCH_AVC_BURST 10U                     /* SELinux denials allowed per window before they are anomalies */
#define WATCH_AVC_WINDOW_USEC (60ULL * 1000000) /* that window */
#define WATCH_REPEAT_USEC (300ULL * 1000000)    /* the same anomaly again within this is counted, not sent */
#define WATCH_RATE_BURST 20U                    /* journal entries per kind per window */
#define WATCH_RATE_WINDOW_USEC (10ULL * 1000000)
#define WATCH_DEDUP_SLOTS 512U /* distinct anomalies remembered for deduplication */

typedef struct AnomalyList {
        Anomaly items[8];
        size_t n;
} AnomalyList;

typedef struct DedupSlot {
        uint64_t hash;
        uint64_t last_sent_usec;
        uint64_t repeats; /* since the last entry sent */
        bool used;
} DedupSlot;

struct Watcher {
        WatchConfig config;
        WatchSink sink;
        void *sink_userdata;
        WatchState state;
        auparse_state_t *au;
        int error; /* the first error of a callback, returned by watcher_feed() */

        char *batch; /* the valid lines of one watcher_feed() call, given to libauparse at once */
        size_t batch_len, batch_size;

        char *line; /* a partial line, across watcher_feed() calls */
        size_t line_len;
        bool line_overlong;

        uint64_t avc_window_start;
        unsigned avc_in_window;

        uint64_t rate_window_start[_ANOMALY_KIND_MAX];
        unsigned rate_in_window[_ANOMALY_KIND_MAX];
        uint64_t pending_suppressed[_ANOMALY_KIND_MAX];

        DedupSlot dedup[WATCH_DEDUP_SLOTS];
};

int watch_classify(Watcher *w, const WatchEvent *e, AnomalyList *l);

static inline const char *path_startswith_etc(const char *p) {
        const char *r = p ? startswith(p, "/etc/") : NULL;
        return r && *r ? r : NULL;
}
