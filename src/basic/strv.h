/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "macro.h"

/* NULL-terminated arrays of strings. A NULL strv is an empty list. */
char **strv_free(char **l);
DEFINE_TRIVIAL_CLEANUP_FUNC(char **, strv_free);
#define _cleanup_strv_free_ _cleanup_(strv_freep)

size_t strv_length(char *const *l) _pure_;
bool strv_contains(char *const *l, const char *s) _pure_;
int strv_extend(char ***l, const char *s);
int strv_consume(char ***l, char *s); /* takes ownership of s, also on failure */
char **strv_copy(char *const *l);
char *strv_join(char *const *l, const char *sep);
int strv_sort(char **l);

#define STRV_FOREACH(s, l) for (char *const *s = (l); s && *s; s++)
bool strv_equal(char *const *a, char *const *b) _pure_; /* NULL equals an empty list */
