/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include "posture.h"
#include "string-table.h"

/* The names the posture record (and the kernel's own files) use for the enforced modes. */

static const char *const posture_selinux_table[_POSTURE_SELINUX_MAX] = {
        [POSTURE_SELINUX_DISABLED] = "disabled",
        [POSTURE_SELINUX_PERMISSIVE] = "permissive",
        [POSTURE_SELINUX_ENFORCING] = "enforcing",
};

DEFINE_STRING_TABLE_LOOKUP_TO_STRING(posture_selinux, PostureSELinux);

PostureSELinux posture_selinux_from_string(const char *s) {
        return (PostureSELinux) string_table_lookup_from_string(posture_selinux_table,
                                                                ELEMENTSOF(posture_selinux_table), s);
}

static const char *const posture_lockdown_table[_POSTURE_LOCKDOWN_MAX] = {
        [POSTURE_LOCKDOWN_NONE] = "none",
        [POSTURE_LOCKDOWN_INTEGRITY] = "integrity",
        [POSTURE_LOCKDOWN_CONFIDENTIALITY] = "confidentiality",
};

DEFINE_STRING_TABLE_LOOKUP_TO_STRING(posture_lockdown, PostureLockdown);

PostureLockdown posture_lockdown_from_string(const char *s) {
        return (PostureLockdown) string_table_lookup_from_string(posture_lockdown_table,
                                                                 ELEMENTSOF(posture_lockdown_table), s);
}
