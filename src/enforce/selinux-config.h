/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "profile.h"

#define SELINUX_CONFIG_PATH "/etc/selinux/config"
#define SELINUX_CONFIG_SIZE_MAX (64U * 1024U)

/* The text /etc/selinux/config must have for [SELinux] Mode= and Policy=: every line of old is kept
 * but SELINUX= and SELINUXTYPE= (the latter only when Policy= is set), which are replaced in place, or
 * added at the end when missing. old may be NULL (no file yet). Shared by hardenctl-selinux config (in
 * the initrd) and hardenctl apply, so that both write the same file. s->mode must be set. */
int selinux_config_update(const char *old, const ProfileSELinux *s, char **ret);
