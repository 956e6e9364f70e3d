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

/* Escapes one argument of an ExecStart= command line so that systemd passes exactly s to the program:
 * returned as is if it consists only of letters, digits and "/_.,:+@=-"; otherwise double-quoted, with
 * '%' and '$' doubled (no specifiers, no variables), '\\' and '"' backslash-escaped and control
 * characters C-escaped — so that white space or a lone ';' cannot split it or start another command. */
char *unit_exec_arg_escape(const char *s);
