/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* The watcher: lines of auditd's text format into libauparse (as an audisp plugin feeds it), events
 * into anomalies (watch-classify.c), anomalies into the sink, deduplicated and rate-limited, and
 * counted in the state. The first anomaly of a kind is never held back: the dedup table and the rate
 * limit both start empty for it. */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "watch-internal.h"

/* FNV-1a over the fields that make two anomalies "the same". */
static uint64_t hash_str(uint64_t h, const char *s) {
        for (; s && *s; s++)
                h = (h ^ (unsigned char) *s) * 1099511628211ULL;
        return (h ^ 0xff) * 1099511628211ULL;
}

static uint64_t anomaly_hash(const Anomaly *a) {
        uint64_t h = 14695981039346656037ULL;

        h = (h ^ (uint64_t) a->kind) * 1099511628211ULL;
        h = hash_str(h, a->unit);
        h = hash_str(h, a->exe);
        h = hash_str(h, a->path);
        h = hash_str(h, a->key);
        return hash_str(h, a->rule);
}

static int report(Watcher *w, Anomaly *a) {
        const WatchConfig *c = &w->config;
        WatchState *s = &w->state;
        uint64_t h = anomaly_hash(a), t = a->time_usec, count;
        DedupSlot *slot = w->dedup + h % WATCH_DEDUP_SLOTS;
        int r;

        s->count[a->kind]++;
        if (!s->has_first[a->kind]) {
                r = anomaly_copy(s->first + a->kind, a);
                if (r < 0)
                        return r;
                s->has_first[a->kind] = true;
        }

        /* The same anomaly again, soon: counted; the next entry sent for it says how many it stands for. */
        if (slot->used && slot->hash == h && t >= slot->last_sent_usec && t - slot->last_sent_usec < c->repeat_usec) {
                slot->repeats++;
                s->suppressed[a->kind]++;
                return 0;
        }
        count = slot->used && slot->hash == h ? slot->repeats + 1 : 1;

        /* At most rate_burst entries of a kind per window. */
        if (t >= w->rate_window_start[a->kind] + c->rate_window_usec || t < w->rate_window_start[a->kind]) {
                w->rate_window_start[a->kind] = t;
                w->rate_in_window[a->kind] = 0;
        }
        if (w->rate_in_window[a->kind] >= c->rate_burst) {
                s->suppressed[a->kind]++;
                w->pending_suppressed[a->kind]++;
                return 0;
        }
        w->rate_in_window[a->kind]++;

        *slot = (DedupSlot){ .hash = h, .last_sent_usec = t, .used = true };
        r = w->sink ? w->sink(a, count, w->pending_suppressed[a->kind], s, w->sink_userdata) : 0;
        w->pending_suppressed[a->kind] = 0;
        return r;
}

static void on_event(auparse_state_t *au, auparse_cb_event_t type, void *userdata) {
        Watcher *w = userdata;
        WatchEvent e;
        AnomalyList l = {};
        int r;

        if (type != AUPARSE_CB_EVENT_READY || w->error < 0)
                return;
        r = watch_event_read(au, &e);
        if (r == -EBADMSG) {
                w->state.unparsable++;
                return;
        }
        if (r < 0) {
                w->error = r;
                return;
        }
        w->state.events++;
        if (e.time_usec > w->state.last_event_usec)
                w->state.last_event_usec = e.time_usec;

        r = watch_classify(w, &e, &l);
        for (size_t i = 0; i < l.n; i++) {
                if (r >= 0)
                        r = report(w, l.items + i);
                anomaly_done(l.items + i);
        }
        watch_event_done(&e);
        if (r < 0)
                w->error = r;
}

int watcher_new(const WatchConfig *config, WatchSink sink, void *sink_userdata, Watcher **ret) {
        Watcher *w = new0(Watcher, 1);

        if (!w)
                return -ENOMEM;
        w->config = *config;
        w->sink = sink;
        w->sink_userdata = sink_userdata;
        w->state.version = WATCH_STATE_VERSION;
        w->state.pid = -1;
        w->au = auparse_init(AUSOURCE_FEED, NULL);
        if (!w->au) {
                free(w);
                return -ENOMEM;
        }
        auparse_set_escape_mode(w->au, AUPARSE_ESC_RAW);
        auparse_add_callback(w->au, on_event, w, NULL);
        *ret = w;
        return 0;
}

Watcher *watcher_free(Watcher *w) {
        if (!w)
                return NULL;
        if (w->au) {
                auparse_flush_feed(w->au);
                auparse_destroy(w->au);
        }
        watch_state_done(&w->state);
        free(w->batch);
        free(w->line);
        free(w);
        return NULL;
}

WatchState *watcher_state(Watcher *w) {
        return &w->state;
}

/* A line is checked, then queued for libauparse; feed_batch() hands the queue over. */
static int feed_line(Watcher *w, const char *line, size_t n) {
        if (n == 0)
                return 0;
        if (!watch_line_is_record(line, n) || memchr(line, 0, n)) {
                w->state.unparsable++;
                return 0;
        }
        if (w->batch_len + n + 1 > w->batch_size) {
                size_t size = MAX(w->batch_size * 2, w->batch_len + n + 1);
                char *b = realloc(w->batch, size);

                if (!b)
                        return -ENOMEM;
                w->batch = b;
                w->batch_size = size;
        }
        memcpy(w->batch + w->batch_len, line, n);
        w->batch[w->batch_len + n] = '\n';
        w->batch_len += n + 1;
        return 0;
}

static int feed_batch(Watcher *w) {
        size_t n = w->batch_len;

        w->batch_len = 0;
        if (n > 0 && auparse_feed(w->au, w->batch, n) < 0)
                return -ENOMEM;
        return w->error;
}

int watcher_feed(Watcher *w, const char *data, size_t n) {
        while (n > 0 && w->error >= 0) {
                const char *nl = memchr(data, '\n', n);
                size_t k = nl ? (size_t) (nl - data) : n;
                int r;

                if (w->line_overlong || w->line_len + k > WATCH_LINE_MAX) {
                        /* Drop the rest of an overlong line, count it once. */
                        if (!w->line_overlong)
                                w->state.unparsable++;
                        w->line_overlong = !nl;
                        w->line_len = 0;
                } else if (!nl || w->line_len > 0) {
                        char *p = realloc(w->line, w->line_len + k + 1);

                        if (!p)
                                return -ENOMEM;
                        memcpy(p + w->line_len, data, k);
                        w->line = p;
                        w->line_len += k;
                        if (nl) {
                                r = feed_line(w, w->line, w->line_len);
                                w->line_len = 0;
                                if (r < 0)
                                        return r;
                        }
                } else {
                        r = feed_line(w, data, k);
                        if (r < 0)
                                return r;
                }
                if (!nl)
                        break;
                data += k + 1;
                n -= k + 1;
        }
        return feed_batch(w);
}

int watcher_age(Watcher *w) {
        /* Events whose end record has not come within libauparse's timeout (two seconds) are complete. */
        auparse_feed_age_events(w->au);
        return w->error < 0 ? w->error : auparse_feed_has_data(w->au) > 0;
}

int watcher_flush(Watcher *w) {
        int r = 0;

        /* A last line without a newline: truncated input; it is parsed if it has the shape of a record. */
        if (w->line_len > 0 && !w->line_overlong)
                r = feed_line(w, w->line, w->line_len);
        if (r >= 0)
                r = feed_batch(w);
        w->line_len = 0;
        w->line_overlong = false;
        if (r < 0)
                return r;
        auparse_flush_feed(w->au);
        return w->error;
}
