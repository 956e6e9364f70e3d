/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "macro.h"

static inline bool path_is_absolute(const char *p) {
        return p && p[0] == '/';
}

/* No "." or ".." components, no "//", no trailing slash (except "/" itself). */
bool path_is_normalized(const char *p) _pure_;

/* A single path component: not empty, not "." or "..", no '/', at most NAME_MAX bytes. */
bool filename_is_valid(const char *p) _pure_;

/* Joins two path fragments with exactly one '/' between them. NULL on OOM. */
char *path_join(const char *a, const char *b);

/* Returns a pointer to the last component of p (p itself if there is no '/'). */
const char *path_basename(const char *p) _pure_;
