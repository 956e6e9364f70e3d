/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "macro.h"

/* What the runtime watcher found since boot, as its state file records it: the anomaly kinds, how many
 * of each, the first of each as evidence, and how far the watcher has read. hardenctl-watch writes the
 * file (atomically, after every batch of events); hardenctl check, report and status read it. The JSON
 * form is documented in hardenctl-watch(8) and versioned by WATCH_STATE_VERSION. */

#define WATCH_STATE_VERSION 1U
#define WATCH_STATE_DIR "/run/hardenctl"
#define WATCH_STATE_NAME "watch.json"
#define WATCH_STATE_PATH WATCH_STATE_DIR "/" WATCH_STATE_NAME
#define WATCH_STATE_MAX_SIZE (1024U * 1024U)

typedef enum AnomalyKind {
        ANOMALY_EXEC_UNVERIFIED, /* a program not from the verified /usr: IPE denied it, or not on the verity device */
        ANOMALY_EXEC_UNLISTED,   /* a service ran a program [Services] AllowExec= does not list for it */
        ANOMALY_WATCHED_WRITE,   /* a write to a path a watch of the profile's audit rules covers */
        ANOMALY_PRIVILEGE,       /* a setuid/setgid exec, capabilities gained */
        ANOMALY_MODULE_LOAD,     /* a kernel module loaded */
        ANOMALY_SELINUX_DENIAL,  /* SELinux denials above the rate */
        ANOMALY_ETC_DRIFT,       /* /etc changed at run time (the overlay's upper dir grew) */
        _ANOMALY_KIND_MAX,
} AnomalyKind;

const char *anomaly_kind_to_string(AnomalyKind k) _const_;
int anomaly_kind_from_string(const char *s) _pure_;

/* One anomaly: what the audit event said. Strings may be NULL, numbers -1 when unknown. */
typedef struct Anomaly {
        AnomalyKind kind;
        uint64_t time_usec; /* the audit event's time (CLOCK_REALTIME) */
        uint64_t serial;    /* the audit event's serial number */
        int64_t pid, uid, auid;
        char *unit;
        char *exe;
        char *comm;
        char *path;
        char *key;    /* the audit key of the rule that recorded it */
        char *rule;   /* the IPE rule, for exec-unverified by IPE */
        char *detail; /* one line that says why */
} Anomaly;

void anomaly_done(Anomaly *a);
/* A deep copy into *dst; 0 or -ENOMEM. */
int anomaly_copy(Anomaly *dst, const Anomaly *src);

typedef struct WatchState {
        unsigned version;
        char *source;         /* "audisp" or "journal" */
        char *profile;        /* the profile's name and digest */
        char *profile_digest; /* "sha256:…" */
        char *boot_id;
        int64_t pid;                         /* of the watcher */
        uint64_t started_usec, updated_usec; /* CLOCK_REALTIME */
        uint64_t last_event_usec;            /* the time of the newest event read */
        uint64_t events, unparsable;
        uint64_t count[_ANOMALY_KIND_MAX];      /* since boot */
        uint64_t suppressed[_ANOMALY_KIND_MAX]; /* of those, not sent to the journal (repeats, rate limit) */
        bool has_first[_ANOMALY_KIND_MAX];
        Anomaly first[_ANOMALY_KIND_MAX]; /* the first of each kind since boot */
} WatchState;

void watch_state_done(WatchState *s);

/* Writes s as JSON to path, atomically (atomic_file_write(): its directory is made if it is not there),
 * mode 0644. 0 or a negative errno. */
int watch_state_write(const WatchState *s, const char *path);

/* Reads a state file. 0, -ENOENT if there is none, -EBADMSG if it is not a state file of this version,
 * or another negative errno. */
int watch_state_read(int dir_fd, const char *name, WatchState *ret);

/* Whether the watcher that wrote s runs: its pid exists and is hardenctl-watch. */
bool watch_state_watcher_alive(const WatchState *s);
