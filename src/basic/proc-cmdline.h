/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "macro.h"

/* Reads the kernel command line: $SYSTEMD_PROC_CMDLINE if set (as systemd's own generators honour it,
 * for tests), else /proc/cmdline. Returns 0 and a NUL-terminated string, or a negative errno. */
int proc_cmdline_read(char **ret);

/* Calls cb for every word of the command line, split as the kernel does (double quotes group).
 * key is the part before '=' with '-' and '_' not distinguished (normalized to '_'), value the part
 * after it or NULL. In the initrd (in_initrd), "rd."-prefixed words are also passed with the prefix
 * removed; outside it they are skipped. Returns the first negative value cb returns, or 0. */
typedef int (*proc_cmdline_cb_t)(const char *key, const char *value, void *userdata);
int proc_cmdline_parse(const char *cmdline, bool in_initrd, proc_cmdline_cb_t cb, void *userdata);

/* True if running in an initrd: $SYSTEMD_IN_INITRD if set (a boolean), else /etc/initrd-release. */
bool in_initrd(void);
