/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "profile.h"

/* The text of the drop-ins that carry [Services] and [SELinux] Context= into units, shared by
 * hardenctl-system-generator (at boot, in the generator directory) and hardenctl apply (in
 * /etc/systemd/system or /run/systemd/system), so that both write the same settings. */

#define CONFINE_DROPIN_NAME "99-hardenctl-confine"
#define SELINUX_DROPIN_NAME "99-hardenctl-selinux"

/* "\n[Service]\n" and one assignment per setting the profile makes, in the order of its key table. */
int unit_confinement_text(const Profile *p, char **ret);

/* "\n[Service]\nSELinuxContext=CONTEXT\n". */
int unit_selinux_context_text(const char *context, char **ret);

/* Splits a [SELinux] Context= entry, "UNIT CONTEXT", validated when the profile was read. Returns 0,
 * the unit (allocated) and a pointer to the context inside entry, or -EINVAL. */
int selinux_context_entry_split(const char *entry, char **ret_unit, const char **ret_context);
