/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdio.h>
#include <sys/types.h>

#include "profile.h"
#include "watch-event.h"
#include "watch-state.h"

/* The watcher: what the profile defines as an anomaly (WatchConfig), the classification of events into
 * anomalies, and their reporting, deduplicated and rate-limited, into a sink (the journal) and the
 * state. No global state: everything is in a Watcher. */

/* The unit of a process: *ret newly allocated, or NULL when unknown. Returns 0 or -ENOMEM. */
typedef int (*WatchUnitLookup)(int64_t pid, int64_t ppid, char **ret, void *userdata);

typedef struct WatchConfig {
        /* exec-unverified: the device of the verified /usr (when the profile asks for verity). */
        bool usr_dev_known;
        unsigned usr_major, usr_minor;
        /* exec-unlisted */
        const ServiceExec *allowed;
        size_t n_allowed;
        char **confine;
        /* watched-write: the keys of the profile's audit rules that watch for writes or attribute changes */
        char **write_keys;
        /* etc-drift: /etc is the overlay; changes that ExpectedDrift= globs (relative to /etc) match are not */
        bool etc_overlay;
        char **expected_drift;
        /* selinux-denial: more than avc_burst denials within avc_window_usec */
        unsigned avc_burst;
        uint64_t avc_window_usec;
        /* reporting: a repeat of the same anomaly within repeat_usec is counted, not sent; at most
         * rate_burst entries of one kind within rate_window_usec */
        uint64_t repeat_usec;
        unsigned rate_burst;
        uint64_t rate_window_usec;

        WatchUnitLookup unit_lookup;
        void *unit_lookup_userdata;
} WatchConfig;

/* The defaults (WATCH_AVC_BURST etc.), and what p says. config borrows from p: p must outlive it. */
int watch_config_from_profile(const Profile *p, WatchConfig *ret);
void watch_config_done(WatchConfig *c);

/* Where anomalies go: the journal, or, for tests, a stream. count is the number of repeats this entry
 * stands for (1 for the first), suppressed the entries of its kind left out before it. */
typedef int (*WatchSink)(const Anomaly *a, uint64_t count, uint64_t suppressed, const WatchState *s, void *userdata);

typedef struct Watcher Watcher;

int watcher_new(const WatchConfig *config, WatchSink sink, void *sink_userdata, Watcher **ret);
Watcher *watcher_free(Watcher *w);
DEFINE_TRIVIAL_CLEANUP_FUNC(Watcher *, watcher_free);

/* The state (counts since boot): the caller fills in source, profile, pid…, the watcher the rest. */
WatchState *watcher_state(Watcher *w);

/* Feeds bytes of auditd's text format (complete lines or not); malformed lines are counted as
 * unparsable. Returns 0 or a negative errno (-ENOMEM; an error of the sink). */
int watcher_feed(Watcher *w, const char *data, size_t n);
/* When the input falls quiet: completes the events libauparse holds whose end record is overdue.
 * Returns 1 if it still holds an event (one too young to age), 0 if not, or the sink's error. */
int watcher_age(Watcher *w);
/* At the end of input: completes what libauparse holds. */
int watcher_flush(Watcher *w);

/* The sink that writes one journal entry per anomaly (sd_journal_send(), hardenctl.journal(7)). */
int watch_sink_journal(const Anomaly *a, uint64_t count, uint64_t suppressed, const WatchState *s, void *userdata);
/* The same fields in the Journal Export Format, to the FILE userdata (systemd-journal-remote reads it). */
int watch_sink_export(const Anomaly *a, uint64_t count, uint64_t suppressed, const WatchState *s, void *userdata);
/* A sink writing one line per anomaly to the FILE userdata: KIND key=value…, for tests. */
int watch_sink_text(const Anomaly *a, uint64_t count, uint64_t suppressed, const WatchState *s, void *userdata);

/* The unit of a process, from its control group (sd_pid_get_unit()); the parent's if it has gone. */
int watch_unit_lookup_cgroup(int64_t pid, int64_t ppid, char **ret, void *userdata);
