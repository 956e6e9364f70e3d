/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "macro.h"

/* Escapes a file system path for use in a unit name, as systemd-escape --path does:
 * "/sysroot/usr" → "sysroot-usr", "/" → "-". Returns NULL on OOM or if the path is not absolute and
 * normalized. */
char *unit_name_path_escape(const char *path);

/* "/sysroot/usr" + ".mount" → "sysroot-usr.mount". */
char *unit_name_from_path(const char *path, const char *suffix);

/* Escapes a string for a unit file setting value: '%' specifiers doubled, '\' and control
 * characters C-escaped, so systemd reads back exactly s. */
char *unit_setting_escape(const char *s);
