/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <stdio.h>

#include "string-util.h"
#include "strv.h"
#include "unit-dropin.h"

static void put_bool(FILE *f, const char *key, int b) {
        if (b >= 0)
                fprintf(f, "%s=%s\n", key, b ? "yes" : "no");
}

/* One assignment per entry: for SystemCallFilter= and RestrictAddressFamilies=, a leading '~' inverts
 * only the assignment it starts, so "@system-service" then "~@privileged" must not share a line. */
static void put_list(FILE *f, const char *key, char *const *l) {
        STRV_FOREACH(s, l)
                fprintf(f, "%s=%s\n", key, *s);
}

int unit_confinement_text(const ProfileServices *s, char **ret) {
        char *buf = NULL;
        size_t size = 0;
        FILE *f = open_memstream(&buf, &size);

        if (!f)
                return -ENOMEM;

        fputs("\n[Service]\n", f);
        put_bool(f, "NoNewPrivileges", s->no_new_privileges);
        if (s->protect_system >= 0)
                fprintf(f, "ProtectSystem=%s\n", protect_system_to_string(s->protect_system));
        if (s->protect_home >= 0)
                fprintf(f, "ProtectHome=%s\n", protect_home_to_string(s->protect_home));
        put_bool(f, "PrivateTmp", s->private_tmp);
        put_bool(f, "PrivateDevices", s->private_devices);
        put_bool(f, "ProtectKernelTunables", s->protect_kernel_tunables);
        put_bool(f, "ProtectKernelModules", s->protect_kernel_modules);
        put_bool(f, "ProtectKernelLogs", s->protect_kernel_logs);
        put_bool(f, "ProtectControlGroups", s->protect_control_groups);
        put_bool(f, "RestrictSUIDSGID", s->restrict_suid_sgid);
        put_bool(f, "MemoryDenyWriteExecute", s->memory_deny_write_execute);
        put_bool(f, "LockPersonality", s->lock_personality);
        put_bool(f, "RestrictRealtime", s->restrict_realtime);
        put_list(f, "CapabilityBoundingSet", s->capability_bounding_set);
        put_list(f, "RestrictAddressFamilies", s->restrict_address_families);
        put_list(f, "SystemCallFilter", s->system_call_filter);

        if (memstream_close(f, &buf) < 0)
                return -ENOMEM;
        *ret = buf;
        return 0;
}

int unit_selinux_context_text(const char *context, char **ret) {
        char *t = strprintf("\n[Service]\nSELinuxContext=%s\n", context);

        if (!t)
                return -ENOMEM;
        *ret = t;
        return 0;
}

int selinux_context_entry_split(const char *entry, char **ret_unit, const char **ret_context) {
        const char *sp = strchr(entry, ' ');
        char *unit;

        if (!sp || sp == entry || isempty(sp + 1))
                return -EINVAL;
        unit = strndup(entry, sp - entry);
        if (!unit)
                return -ENOMEM;
        *ret_unit = unit;
        *ret_context = sp + 1;
        return 0;
}
