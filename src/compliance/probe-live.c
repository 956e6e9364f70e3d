/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <inttypes.h>
#include <libaudit.h>
#include <linux/capability.h>
#include <systemd/sd-bus.h>

#include "audit-load.h"
#include "probe.h"
#include "string-util.h"
#include "strv.h"
#include "verity-dm.h"


int probe_audit_fd(CheckContext *c, int *ret) {
        if (!c->live)
                return -EREMOTE;
        if (!c->audit_done) {
                c->audit_done = true;
                c->audit_fd = audit_open();
                c->audit_r = c->audit_fd < 0 ? negative_errno() : 0;
                if (c->audit_fd >= 0) {
                        /* Probe for the permission to read: an unprivileged caller gets EPERM here,
                         * once, rather than on every rule. */
                        int r = audit_status_get(c->audit_fd, &c->audit_status);
                        if (r < 0) {
                                c->audit_r = r;
                                audit_close(c->audit_fd);
                                c->audit_fd = -EBADF;
                        }
                }
        }
        if (c->audit_r < 0)
                return c->audit_r;
        *ret = c->audit_fd;
        return 0;
}

int probe_audit_status(CheckContext *c, AuditStatus *ret) {
        int fd, r;

        r = probe_audit_fd(c, &fd);
        if (r < 0)
                return r;
        *ret = c->audit_status;
        return 0;
}

int probe_audit_rules(CheckContext *c, struct audit_rule_data *const **ret, size_t *ret_n) {
        int fd, r;

        r = probe_audit_fd(c, &fd);
        if (r < 0)
                return r;
        if (!c->audit_rules_done) {
                c->audit_rules_done = true;
                c->audit_rules_r = audit_list_all(fd, &c->audit_rules, &c->n_audit_rules);
        }
        if (c->audit_rules_r < 0)
                return c->audit_rules_r;
        *ret = c->audit_rules;
        *ret_n = c->n_audit_rules;
        return 0;
}

int probe_bus(CheckContext *c, sd_bus **ret) {
        if (!c->live)
                return -EREMOTE;
        if (!c->bus_done) {
                c->bus_done = true;
                c->bus_r = sd_bus_open_system(&c->bus);
        }
        if (c->bus_r < 0)
                return c->bus_r;
        *ret = c->bus;
        return 0;
}

static const char *const capability_names[] = {
        [CAP_CHOWN] = "CAP_CHOWN",
        [CAP_DAC_OVERRIDE] = "CAP_DAC_OVERRIDE",
        [CAP_DAC_READ_SEARCH] = "CAP_DAC_READ_SEARCH",
        [CAP_FOWNER] = "CAP_FOWNER",
        [CAP_FSETID] = "CAP_FSETID",
        [CAP_KILL] = "CAP_KILL",
        [CAP_SETGID] = "CAP_SETGID",
        [CAP_SETUID] = "CAP_SETUID",
        [CAP_SETPCAP] = "CAP_SETPCAP",
        [CAP_LINUX_IMMUTABLE] = "CAP_LINUX_IMMUTABLE",
        [CAP_NET_BIND_SERVICE] = "CAP_NET_BIND_SERVICE",
        [CAP_NET_BROADCAST] = "CAP_NET_BROADCAST",
        [CAP_NET_ADMIN] = "CAP_NET_ADMIN",
        [CAP_NET_RAW] = "CAP_NET_RAW",
        [CAP_IPC_LOCK] = "CAP_IPC_LOCK",
        [CAP_IPC_OWNER] = "CAP_IPC_OWNER",
        [CAP_SYS_MODULE] = "CAP_SYS_MODULE",
        [CAP_SYS_RAWIO] = "CAP_SYS_RAWIO",
        [CAP_SYS_CHROOT] = "CAP_SYS_CHROOT",
        [CAP_SYS_PTRACE] = "CAP_SYS_PTRACE",
        [CAP_SYS_PACCT] = "CAP_SYS_PACCT",
        [CAP_SYS_ADMIN] = "CAP_SYS_ADMIN",
        [CAP_SYS_BOOT] = "CAP_SYS_BOOT",
        [CAP_SYS_NICE] = "CAP_SYS_NICE",
        [CAP_SYS_RESOURCE] = "CAP_SYS_RESOURCE",
        [CAP_SYS_TIME] = "CAP_SYS_TIME",
        [CAP_SYS_TTY_CONFIG] = "CAP_SYS_TTY_CONFIG",
        [CAP_MKNOD] = "CAP_MKNOD",
        [CAP_LEASE] = "CAP_LEASE",
        [CAP_AUDIT_WRITE] = "CAP_AUDIT_WRITE",
        [CAP_AUDIT_CONTROL] = "CAP_AUDIT_CONTROL",
        [CAP_SETFCAP] = "CAP_SETFCAP",
        [CAP_MAC_OVERRIDE] = "CAP_MAC_OVERRIDE",
        [CAP_MAC_ADMIN] = "CAP_MAC_ADMIN",
        [CAP_SYSLOG] = "CAP_SYSLOG",
        [CAP_WAKE_ALARM] = "CAP_WAKE_ALARM",
        [CAP_BLOCK_SUSPEND] = "CAP_BLOCK_SUSPEND",
        [CAP_AUDIT_READ] = "CAP_AUDIT_READ",
        [CAP_PERFMON] = "CAP_PERFMON",
        [CAP_BPF] = "CAP_BPF",
        [CAP_CHECKPOINT_RESTORE] = "CAP_CHECKPOINT_RESTORE",
};

static int caps_to_string(uint64_t caps, char **ret) {
        _cleanup_strv_free_ char **l = NULL;

        for (unsigned i = 0; i < 64; i++) {
                if (!(caps & (UINT64_C(1) << i)))
                        continue;
                if (i < ELEMENTSOF(capability_names) && capability_names[i]) {
                        if (strv_extend(&l, capability_names[i]) < 0)
                                return -ENOMEM;
                } else if (strv_consume(&l, strprintf("cap_%u", i)) < 0)
                        return -ENOMEM;
        }
        *ret = l ? strv_join(l, " ") : strdup("");
        return *ret ? 0 : -ENOMEM;
}

static int read_strv(sd_bus_message *m, char ***ret) {
        _cleanup_strv_free_ char **l = NULL;
        const char *s;
        int r;

        r = sd_bus_message_enter_container(m, 'a', "s");
        if (r < 0)
                return r;
        while ((r = sd_bus_message_read_basic(m, 's', &s)) > 0)
                if (strv_extend(&l, s) < 0)
                        return -ENOMEM;
        if (r < 0)
                return r;
        r = sd_bus_message_exit_container(m);
        if (r < 0)
                return r;
        *ret = TAKE_PTR(l);
        return 0;
}

static int unit_path(sd_bus *bus, const char *unit, char **ret) {
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *reply = NULL;
        sd_bus_error error = SD_BUS_ERROR_NULL;
        const char *path;
        int r;

        r = sd_bus_call_method(bus, "org.freedesktop.systemd1", "/org/freedesktop/systemd1",
                               "org.freedesktop.systemd1.Manager", "LoadUnit", &error, &reply, "s", unit);
        sd_bus_error_free(&error);
        if (r < 0)
                return r;
        r = sd_bus_message_read(reply, "o", &path);
        if (r < 0)
                return r;
        *ret = strdup(path);
        return *ret ? 0 : -ENOMEM;
}

int probe_unit_property(CheckContext *c, const char *unit, const char *interface, const char *property, char **ret) {
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *reply = NULL;
        _cleanup_free_ char *path = NULL;
        sd_bus_error error = SD_BUS_ERROR_NULL;
        const char *contents;
        sd_bus *bus;
        char type;
        int r;

        r = probe_bus(c, &bus);
        if (r < 0)
                return r;
        r = unit_path(bus, unit, &path);
        if (r < 0)
                return r;
        r = sd_bus_call_method(bus, "org.freedesktop.systemd1", path, "org.freedesktop.DBus.Properties", "Get", &error,
                               &reply, "ss", interface, property);
        sd_bus_error_free(&error);
        if (r < 0)
                return r;
        r = sd_bus_message_peek_type(reply, &type, &contents);
        if (r < 0)
                return r;
        r = sd_bus_message_enter_container(reply, 'v', contents);
        if (r < 0)
                return r;

        if (streq(contents, "b")) {
                int b;
                r = sd_bus_message_read_basic(reply, 'b', &b);
                if (r < 0)
                        return r;
                *ret = strdup(b ? "yes" : "no");
        } else if (streq(contents, "s")) {
                const char *s;
                r = sd_bus_message_read_basic(reply, 's', &s);
                if (r < 0)
                        return r;
                *ret = strdup(s);
        } else if (streq(contents, "t")) {
                uint64_t t;
                r = sd_bus_message_read_basic(reply, 't', &t);
                if (r < 0)
                        return r;
                if (streq(property, "CapabilityBoundingSet") || streq(property, "AmbientCapabilities"))
                        return caps_to_string(t, ret);
                *ret = strprintf("%" PRIu64, t);
        } else if (streq(contents, "as")) {
                _cleanup_strv_free_ char **l = NULL;
                r = read_strv(reply, &l);
                if (r < 0)
                        return r;
                *ret = l ? strv_join(l, " ") : strdup("");
        } else if (streq(contents, "(bas)")) {
                _cleanup_strv_free_ char **l = NULL;
                _cleanup_free_ char *j = NULL;
                int allow;

                /* (allow-list?, names): a deny list is shown with a leading "~", as in unit files. */
                r = sd_bus_message_enter_container(reply, 'r', "bas");
                if (r < 0)
                        return r;
                r = sd_bus_message_read_basic(reply, 'b', &allow);
                if (r < 0)
                        return r;
                r = read_strv(reply, &l);
                if (r < 0)
                        return r;
                strv_sort(l);
                j = l ? strv_join(l, " ") : strdup("");
                if (!j)
                        return -ENOMEM;
                *ret = allow ? TAKE_PTR(j) : (l ? strprintf("~%s", j) : strdup(""));
        } else if (streq(contents, "(bs)")) {
                const char *s;
                int b;
                r = sd_bus_message_read(reply, "(bs)", &b, &s);
                if (r < 0)
                        return r;
                *ret = strdup(s);
        } else
                return -EOPNOTSUPP;

        return *ret ? 0 : -ENOMEM;
}

/* ---- dm-verity ---- */

int probe_verity(CheckContext *c, const char *name, BootPosture *p) {
        _cleanup_(verity_table_done) VerityTable t = {};
        int r;

        if (!c->live)
                return -EREMOTE;

        r = verity_dm_read(name, &t, &p->verity_status);
        if (r < 0)
                return r;
        p->usr_verity = true;
        p->hash_algorithm = TAKE_PTR(t.algorithm);
        p->signature = t.signature_key ? 1 : 0;
        p->on_corruption = strdup(t.on_corruption);
        p->root_hash = TAKE_PTR(t.root_hash);
        if (!p->on_corruption)
                return -ENOMEM;
        return 0;
}

int result_unit_active(CheckContext *c, ComplianceResult *x, const char *unit) {
        _cleanup_free_ char *state = NULL;
        int r, k;

        if (!c->live)
                return result_set(x, RULE_PASS, "%s is installed and enabled (whether it runs is not checked offline)",
                                  unit);
        r = probe_unit_property(c, unit, "org.freedesktop.systemd1.Unit", "ActiveState", &state);
        k = result_evidence(x, check_tmp(c, "dbus:%s", unit), "active", r >= 0 ? state : "unknown");
        if (k < 0)
                return k;
        if (r == -ENOMEM)
                return r;
        if (r < 0)
                return result_errno(x, r, check_tmp(c, "the state of %s over D-Bus", unit));
        if (!streq(state, "active"))
                return result_set(x, RULE_FAIL, "%s is enabled but not active", unit);
        return result_set(x, RULE_PASS, "%s is enabled and active", unit);
}
