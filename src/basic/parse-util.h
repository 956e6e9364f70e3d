/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdint.h>

#include "macro.h"

/* All return 0 and write *ret on success, -EINVAL on syntax errors, -ERANGE on overflow. */
int parse_boolean(const char *s); /* returns 1, 0, or -EINVAL */
int safe_atou64(const char *s, uint64_t *ret);
int safe_atou(const char *s, unsigned *ret);

/* "512", "64K", "16M", "1G", "2T" (powers of 1024). */
int parse_size(const char *s, uint64_t *ret);

/* "25%" → 25; 0…100. */
int parse_percent(const char *s, unsigned *ret);

/* Hexadecimal string of even length, at most max bytes once decoded. */
bool hex_string_is_valid(const char *s, size_t min_bytes, size_t max_bytes) _pure_;

/* The next logical line of the text at *cursor: physical lines ending in '\' are continued on the next
 * one, the '\' dropped and each piece followed by suffix ("" or " "), as kmod and sudo read their
 * files. *cursor moves past it (NULL at the end), *line counts the physical lines read. Returns 1 and
 * the line, 0 at the end, or -ENOMEM. */
int logical_line_next(const char **cursor, unsigned *line, const char *suffix, char **ret);
