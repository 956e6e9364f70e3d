/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* The watcher's state file: written by hardenctl-watch, read by hardenctl check, report and status. */

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <unistd.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "atomic-file.h"
#include "fs-util.h"
#include "json-util.h"
#include "string-table.h"
#include "string-util.h"
#include "watch-state.h"

static const char *const anomaly_kind_table[_ANOMALY_KIND_MAX] = {
        [ANOMALY_EXEC_UNVERIFIED] = "exec-unverified",
        [ANOMALY_EXEC_UNLISTED] = "exec-unlisted",
        [ANOMALY_WATCHED_WRITE] = "watched-write",
        [ANOMALY_PRIVILEGE] = "privilege-change",
        [ANOMALY_MODULE_LOAD] = "module-load",
        [ANOMALY_SELINUX_DENIAL] = "selinux-denial",
        [ANOMALY_ETC_DRIFT] = "etc-drift",
};

DEFINE_STRING_TABLE_LOOKUP(anomaly_kind, AnomalyKind);

void anomaly_done(Anomaly *a) {
        free(a->unit);
        free(a->exe);
        free(a->comm);
        free(a->path);
        free(a->key);
        free(a->rule);
        free(a->detail);
        *a = (Anomaly){ .pid = -1, .uid = -1, .auid = -1 };
}

static int dup_or_null(const char *s, char **ret) {
        *ret = NULL;
        if (s && !(*ret = strdup(s)))
                return -ENOMEM;
        return 0;
}

int anomaly_copy(Anomaly *dst, const Anomaly *src) {
        *dst = (Anomaly){ .kind = src->kind,
                          .time_usec = src->time_usec,
                          .serial = src->serial,
                          .pid = src->pid,
                          .uid = src->uid,
                          .auid = src->auid };
        if (dup_or_null(src->unit, &dst->unit) < 0 || dup_or_null(src->exe, &dst->exe) < 0 ||
            dup_or_null(src->comm, &dst->comm) < 0 || dup_or_null(src->path, &dst->path) < 0 ||
            dup_or_null(src->key, &dst->key) < 0 || dup_or_null(src->rule, &dst->rule) < 0 ||
            dup_or_null(src->detail, &dst->detail) < 0) {
                anomaly_done(dst);
                return -ENOMEM;
        }
        return 0;
}

void watch_state_done(WatchState *s) {
        free(s->source);
        free(s->profile);
        free(s->profile_digest);
        free(s->boot_id);
        for (AnomalyKind k = 0; k < _ANOMALY_KIND_MAX; k++)
                if (s->has_first[k])
                        anomaly_done(s->first + k);
        *s = (WatchState){};
}

/* Adds key: v, taking v; NULL v means creating it failed. */
static int add(struct json_object *o, const char *key, struct json_object *v) {
        if (!v)
                return -ENOMEM;
        if (json_object_object_add(o, key, v) < 0) {
                json_object_put(v);
                return -ENOMEM;
        }
        return 0;
}

static int add_string(struct json_object *o, const char *key, const char *s) {
        return s ? add(o, key, json_object_new_string(s)) : (json_object_object_add(o, key, NULL) < 0 ? -ENOMEM : 0);
}

static int add_u64(struct json_object *o, const char *key, uint64_t v) {
        return add(o, key, json_object_new_uint64(v));
}

static int add_i64(struct json_object *o, const char *key, int64_t v) {
        return add(o, key, json_object_new_int64(v));
}

static struct json_object *anomaly_to_json(const Anomaly *a) {
        _cleanup_(json_object_putp) struct json_object *o = json_object_new_object();

        if (!o || add_u64(o, "timeUsec", a->time_usec) < 0 || add_u64(o, "serial", a->serial) < 0 ||
            add_i64(o, "pid", a->pid) < 0 || add_i64(o, "uid", a->uid) < 0 || add_i64(o, "auid", a->auid) < 0 ||
            add_string(o, "unit", a->unit) < 0 || add_string(o, "exe", a->exe) < 0 ||
            add_string(o, "comm", a->comm) < 0 || add_string(o, "path", a->path) < 0 || add_string(o, "key", a->key) < 0 ||
            add_string(o, "rule", a->rule) < 0 || add_string(o, "detail", a->detail) < 0)
                return NULL;
        return TAKE_PTR(o);
}

static int state_to_json(const WatchState *s, struct json_object **ret) {
        _cleanup_(json_object_putp) struct json_object *o = json_object_new_object(), *kinds = json_object_new_object();

        if (!o || !kinds)
                return -ENOMEM;
        if (add_u64(o, "version", WATCH_STATE_VERSION) < 0 || add_string(o, "source", s->source) < 0 ||
            add_string(o, "profile", s->profile) < 0 || add_string(o, "profileDigest", s->profile_digest) < 0 ||
            add_string(o, "bootId", s->boot_id) < 0 || add_i64(o, "pid", s->pid) < 0 ||
            add_u64(o, "startedUsec", s->started_usec) < 0 || add_u64(o, "updatedUsec", s->updated_usec) < 0 ||
            add_u64(o, "lastEventUsec", s->last_event_usec) < 0 || add_u64(o, "events", s->events) < 0 ||
            add_u64(o, "unparsable", s->unparsable) < 0)
                return -ENOMEM;
        for (AnomalyKind k = 0; k < _ANOMALY_KIND_MAX; k++) {
                _cleanup_(json_object_putp) struct json_object *x = json_object_new_object();

                if (!x || add_u64(x, "count", s->count[k]) < 0 || add_u64(x, "suppressed", s->suppressed[k]) < 0)
                        return -ENOMEM;
                if (s->has_first[k] ? add(x, "first", anomaly_to_json(s->first + k)) < 0 :
                                      json_object_object_add(x, "first", NULL) < 0)
                        return -ENOMEM;
                if (add(kinds, anomaly_kind_to_string(k), TAKE_PTR(x)) < 0)
                        return -ENOMEM;
        }
        if (add(o, "anomalies", TAKE_PTR(kinds)) < 0)
                return -ENOMEM;
        *ret = TAKE_PTR(o);
        return 0;
}

int watch_state_write(const WatchState *s, const char *path) {
        _cleanup_(json_object_putp) struct json_object *j = NULL;
        _cleanup_free_ char *text = NULL;
        const char *body;
        int r;

        r = state_to_json(s, &j);
        if (r < 0)
                return r;
        body = json_object_to_json_string_ext(j, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
        text = body ? strjoin(body, "\n") : NULL;
        if (!text)
                return -ENOMEM;
        return atomic_file_write(path, text, strlen(text), 0644, 0);
}

/* ---- reading ---- */

static const char *get_string(struct json_object *o, const char *key) {
        struct json_object *v;

        return json_object_object_get_ex(o, key, &v) && json_object_is_type(v, json_type_string) ?
                       json_object_get_string(v) :
                       NULL;
}

static int get_u64(struct json_object *o, const char *key, uint64_t *ret) {
        struct json_object *v;

        if (!json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_int))
                return -EBADMSG;
        *ret = json_object_get_uint64(v);
        return 0;
}

static int get_i64(struct json_object *o, const char *key, int64_t *ret) {
        struct json_object *v;

        if (!json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_int))
                return -EBADMSG;
        *ret = json_object_get_int64(v);
        return 0;
}

static int anomaly_from_json(struct json_object *o, AnomalyKind k, Anomaly *ret) {
        Anomaly a = { .kind = k };
        int r;

        if (get_u64(o, "timeUsec", &a.time_usec) < 0 || get_u64(o, "serial", &a.serial) < 0 ||
            get_i64(o, "pid", &a.pid) < 0 || get_i64(o, "uid", &a.uid) < 0 || get_i64(o, "auid", &a.auid) < 0)
                return -EBADMSG;
        a.unit = (char *) get_string(o, "unit");
        a.exe = (char *) get_string(o, "exe");
        a.comm = (char *) get_string(o, "comm");
        a.path = (char *) get_string(o, "path");
        a.key = (char *) get_string(o, "key");
        a.rule = (char *) get_string(o, "rule");
        a.detail = (char *) get_string(o, "detail");
        r = anomaly_copy(ret, &a);
        return r;
}

static int state_from_json(struct json_object *j, WatchState *s) {
        struct json_object *kinds;
        uint64_t version;

        if (!json_object_is_type(j, json_type_object) || get_u64(j, "version", &version) < 0 ||
            version != WATCH_STATE_VERSION)
                return -EBADMSG;
        s->version = version;
        if (dup_or_null(get_string(j, "source"), &s->source) < 0 ||
            dup_or_null(get_string(j, "profile"), &s->profile) < 0 ||
            dup_or_null(get_string(j, "profileDigest"), &s->profile_digest) < 0 ||
            dup_or_null(get_string(j, "bootId"), &s->boot_id) < 0)
                return -ENOMEM;
        if (get_i64(j, "pid", &s->pid) < 0 || get_u64(j, "startedUsec", &s->started_usec) < 0 ||
            get_u64(j, "updatedUsec", &s->updated_usec) < 0 || get_u64(j, "lastEventUsec", &s->last_event_usec) < 0 ||
            get_u64(j, "events", &s->events) < 0 || get_u64(j, "unparsable", &s->unparsable) < 0)
                return -EBADMSG;
        if (!json_object_object_get_ex(j, "anomalies", &kinds) || !json_object_is_type(kinds, json_type_object))
                return -EBADMSG;
        for (AnomalyKind k = 0; k < _ANOMALY_KIND_MAX; k++) {
                struct json_object *x, *first;
                int r;

                /* A kind this version does not know is left out; a known kind must be complete. */
                if (!json_object_object_get_ex(kinds, anomaly_kind_to_string(k), &x))
                        continue;
                if (get_u64(x, "count", &s->count[k]) < 0 || get_u64(x, "suppressed", &s->suppressed[k]) < 0)
                        return -EBADMSG;
                if (json_object_object_get_ex(x, "first", &first) && first) {
                        r = anomaly_from_json(first, k, s->first + k);
                        if (r < 0)
                                return r;
                        s->has_first[k] = true;
                }
        }
        return 0;
}

int watch_state_read(int dir_fd, const char *name, WatchState *ret) {
        _cleanup_(json_object_putp) struct json_object *j = NULL;
        _cleanup_free_ char *text = NULL;
        _cleanup_close_ int fd = -EBADF;
        WatchState s = {};
        int r;

        fd = open_regular_at(dir_fd, name, O_RDONLY | O_CLOEXEC | O_NOCTTY);
        if (fd < 0)
                return fd;
        r = read_full_fd(fd, WATCH_STATE_MAX_SIZE, &text, NULL);
        if (r < 0)
                return r;
        j = json_tokener_parse(text);
        if (!j)
                return -EBADMSG;
        r = state_from_json(j, &s);
        if (r < 0) {
                watch_state_done(&s);
                return r;
        }
        *ret = s;
        return 0;
}

bool watch_state_watcher_alive(const WatchState *s) {
        _cleanup_close_ int fd = -EBADF;
        char path[64], comm[32] = {};

        if (s->pid <= 0 || s->pid > INT32_MAX)
                return false;
        snprintf(path, sizeof(path), "/proc/%" PRIi64 "/comm", s->pid);
        fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
        if (fd < 0 || read(fd, comm, sizeof(comm) - 1) <= 0)
                return false;
        /* comm is cut to 15 characters: "hardenctl-watch" fits exactly. */
        return startswith(comm, "hardenctl-watch") != NULL;
}
