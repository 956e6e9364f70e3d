/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <fcntl.h>
#include <selinux/selinux.h>
#include <sys/stat.h>
#include <systemd/sd-daemon.h>

#include "apply-live.h"
#include "fs-util.h"
#include "string-util.h"
#include "sysctl-util.h"
#include "time-util.h"

int live_state_read(const LiveOptions *o, LiveState *ret, int *ret_audit_fd) {
        _cleanup_(live_state_done) LiveState s = LIVE_STATE_NULL;
        int audit_fd = -1, r;

        s.proc_sys_fd = open(o->proc_sys ?: "/proc/sys", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (s.proc_sys_fd < 0 && errno != ENOENT)
                return negative_errno();
        s.test_keep_proc_sys = o->test && !o->proc_sys;
        if (o->test && !o->sysfs)
                s.test_keep_sys = true; /* and no fd: the real /sys is not even read */
        else {
                s.sys_fd = open(o->sysfs ?: "/sys", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
                if (s.sys_fd < 0 && errno != ENOENT)
                        return negative_errno();
        }

        if (o->audit) {
                audit_fd = audit_open();
                if (audit_fd >= 0 && audit_status_get(audit_fd, &s.audit_status) >= 0 &&
                    audit_list_all(audit_fd, &s.audit_rules, &s.n_audit_rules) >= 0)
                        s.audit = true;
                else if (audit_fd >= 0) {
                        audit_close(audit_fd);
                        audit_fd = -1;
                }
        }
        s.audit_key = o->audit_key;

        if (o->fake_selinux) {
                _cleanup_free_ char *p = strprintf("%s/enforce", o->selinuxfs);
                if (!p) {
                        r = -ENOMEM;
                        goto fail;
                }
                s.selinux = access(p, F_OK) >= 0 ? security_getenforce() : -1;
        } else
                s.selinux = is_selinux_enabled() > 0 ? security_getenforce() : -1;
        if (s.selinux > 1)
                s.selinux = 1;

        s.systemd = o->systemd && sd_booted() > 0;

        *ret = s;
        s = (LiveState) LIVE_STATE_NULL;
        *ret_audit_fd = audit_fd;
        return 0;
fail:
        if (audit_fd >= 0)
                audit_close(audit_fd);
        return r;
}

int live_sysctl_write(int proc_sys_fd, const char *key, const char *value) {
        _cleanup_free_ char *rel = NULL, *v = strprintf("%s\n", value);
        _cleanup_close_ int fd = -EBADF;
        int r;

        if (!v)
                return -ENOMEM;
        r = sysctl_name_to_path(key, &rel);
        if (r < 0)
                return r;
        fd = open_beneath(proc_sys_fd, rel, O_WRONLY | O_TRUNC | O_NOCTTY | O_NOFOLLOW);
        if (fd < 0)
                return fd;
        /* One write(): the kernel parses a sysctl from a single write. */
        ssize_t k = write(fd, v, strlen(v));
        if (k < 0)
                return negative_errno();
        return (size_t) k == strlen(v) ? 0 : -EIO;
}

int live_sys_write(int sys_fd, const char *path, const char *value) {
        _cleanup_free_ char *v = strprintf("%s\n", value);
        _cleanup_close_ int fd = -EBADF;
        ssize_t k;

        if (!v)
                return -ENOMEM;
        fd = open_beneath(sys_fd, path, O_WRONLY | O_TRUNC | O_NOCTTY | O_NOFOLLOW);
        if (fd < 0)
                return fd;
        k = write(fd, v, strlen(v));
        if (k < 0)
                return negative_errno();
        return (size_t) k == strlen(v) ? 0 : -EIO;
}

int live_selinux_set(int enforcing) {
        return security_setenforce(enforcing) < 0 ? negative_errno() : 0;
}

#define SD "org.freedesktop.systemd1"
#define SD_PATH "/org/freedesktop/systemd1"
#define SD_MANAGER "org.freedesktop.systemd1.Manager"
#define JOB_TIMEOUT_USEC (120ULL * 1000000ULL)

static int bus_error(sd_bus_error *e, int r, char **ret_error) {
        if (ret_error)
                *ret_error = strdup(sd_bus_error_is_set(e) ? e->message : strerror(-r));
        sd_bus_error_free(e);
        return r;
}

int live_systemd_reload(sd_bus *bus, char **ret_error) {
        sd_bus_error e = SD_BUS_ERROR_NULL;
        int r;

        /* The reply comes once the reload is done. */
        r = sd_bus_call_method(bus, SD, SD_PATH, SD_MANAGER, "Reload", &e, NULL, NULL);
        if (r < 0)
                return bus_error(&e, r, ret_error);
        return 0;
}

typedef struct JobWait {
        const char *path;
        char *result;
} JobWait;

static int job_removed(sd_bus_message *m, void *userdata, sd_bus_error *e) {
        JobWait *w = userdata;
        const char *path, *unit, *result;
        uint32_t id;

        if (sd_bus_message_read(m, "uoss", &id, &path, &unit, &result) < 0)
                return 0;
        if (w->path && streq(path, w->path) && !w->result)
                w->result = strdup(result);
        return 0;
}

int live_systemd_try_restart(sd_bus *bus, const char *unit, char **ret_error) {
        _cleanup_(sd_bus_slot_unrefp) sd_bus_slot *slot = NULL;
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *reply = NULL;
        _cleanup_free_ char *path = NULL;
        sd_bus_error e = SD_BUS_ERROR_NULL;
        JobWait w = {};
        const char *p;
        uint64_t deadline;
        int r;

        /* Listen before asking, so that a quick job's end is not missed. */
        r = sd_bus_match_signal(bus, &slot, SD, SD_PATH, SD_MANAGER, "JobRemoved", job_removed, &w);
        if (r < 0)
                return bus_error(&e, r, ret_error);

        r = sd_bus_call_method(bus, SD, SD_PATH, SD_MANAGER, "TryRestartUnit", &e, &reply, "ss", unit, "replace");
        if (r < 0)
                return bus_error(&e, r, ret_error);
        r = sd_bus_message_read(reply, "o", &p);
        if (r < 0)
                return bus_error(&e, r, ret_error);
        path = strdup(p);
        if (!path)
                return -ENOMEM;
        w.path = path;

        deadline = now(CLOCK_MONOTONIC) + JOB_TIMEOUT_USEC;
        while (!w.result) {
                uint64_t t;

                r = sd_bus_process(bus, NULL);
                if (r < 0)
                        return bus_error(&e, r, ret_error);
                if (r > 0)
                        continue;
                t = now(CLOCK_MONOTONIC);
                if (t >= deadline)
                        return bus_error(&e, -ETIMEDOUT, ret_error);
                r = sd_bus_wait(bus, deadline - t);
                if (r < 0)
                        return bus_error(&e, r, ret_error);
        }

        if (!streq(w.result, "done") && !streq(w.result, "skipped")) {
                if (ret_error)
                        *ret_error = strprintf("the restart job of %s ended with result '%s'", unit, w.result);
                free(w.result);
                return -EIO;
        }
        free(w.result);
        return 0;
}
