/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <auparse.h>
#include <stdbool.h>
#include <stdint.h>

#include "macro.h"

/* One audit event (all records of one serial) as the watcher needs it, read from libauparse. Strings are
 * decoded (hex-encoded values of auditd's format made plain), NULL when absent; numbers -1 when absent. */

#define WATCH_EVENT_PATHS_MAX 4U
#define WATCH_LINE_MAX 65536U /* a longer line is unparsable (auditd's MAX_AUDIT_MESSAGE_LENGTH is 8970) */

/* Record types the watcher reads, as libaudit numbers them; IPE_ACCESS is 1420 whatever name auditd
 * prints for it (3.x and 4.0 print "UNKNOWN[1420]"). */
#define WATCH_TYPE_IPE_ACCESS 1420

typedef struct WatchPath {
        char *name;
        char *nametype; /* NORMAL, CREATE, DELETE, PARENT… */
        unsigned major, minor;
        bool has_dev;
        int64_t mode;
} WatchPath;

typedef struct WatchEvent {
        uint64_t time_usec;
        uint64_t serial;
        unsigned n_records;

        bool has_syscall;
        int64_t syscall;
        int success; /* 1, 0, -1 unknown */
        int64_t pid, ppid, uid, auid, euid, gid, egid;
        char *exe, *comm, *key;

        WatchPath paths[WATCH_EVENT_PATHS_MAX];
        unsigned n_paths;

        bool has_execve;
        bool fcaps_gain; /* BPRM_FCAPS: the program gained permitted or effective capabilities */
        bool capset;     /* CAPSET */
        char *module;    /* KERN_MODULE name */
        bool avc_denied; /* an AVC record that denies */
        char *avc_detail;

        bool has_ipe;
        bool ipe_deny; /* its rule's action is DENY */
        int ipe_enforcing;
        char *ipe_op, *ipe_hook, *ipe_path, *ipe_rule, *ipe_comm;
        int64_t ipe_pid;
} WatchEvent;

void watch_event_done(WatchEvent *e);

/* Reads the current event of au (in an AUPARSE_CB_EVENT_READY callback, or after auparse_next_event())
 * into *ret. Returns 0, -EBADMSG when the event has no readable time stamp or no record of a known
 * shape, -ENOMEM. */
int watch_event_read(auparse_state_t *au, WatchEvent *ret);

/* Whether a line has the shape of a record of auditd's text format, "type=T msg=audit(S.MS:N): …"; the
 * watcher counts the others as unparsable before libauparse sees them. */
bool watch_line_is_record(const char *line, size_t n) _pure_;

/* Reads the events of an audit log in auditd's text format (a file's text, size bytes), calling callback
 * for each event libauparse makes of its records: lines that are not records (watch_line_is_record()) and
 * events watch_event_read() cannot read are left out. Returns 0, -ENOMEM, or what callback returned
 * when it returned < 0 (reading stops then). */
int watch_log_read(const char *text, size_t size, int (*callback)(const WatchEvent *e, void *userdata), void *userdata);
