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
/* Whether s is one of the n entries of l, sorted by strv_sort(): in O(log n). */
bool strv_contains_sorted(char *const *l, size_t n, const char *s) _pure_;

/* A string and its position, sorted by the string, then the position (qsort() is not stable): equal strings
 * stay in their order. */
typedef struct IndexedString {
        const char *s;
        size_t i;
} IndexedString;

int indexed_string_compare(const void *a, const void *b);

/* Removes every repeat of an earlier entry, keeping the order of first appearance; in O(n log n). */
int strv_uniq_stable(char **l);

/* Removes (and frees) every entry of l that is in drop, keeping the order of the rest. */
void strv_remove_all(char **l, char *const *drop);

/* A strv being built by appending, in amortized constant time (strv_extend() counts the list on
 * every call). The list is NULL-terminated at all times; an empty builder holds NULL. */
typedef struct StrvBuilder {
        char **l;
        size_t n, allocated;
} StrvBuilder;

int strv_builder_consume(StrvBuilder *b, char *s); /* takes ownership of s, also on failure */
int strv_builder_extend(StrvBuilder *b, const char *s);
char **strv_builder_take(StrvBuilder *b); /* the list, and the builder empty again */
void strv_builder_done(StrvBuilder *b);

#define STRV_FOREACH(s, l) for (char *const *s = (l); s && *s; s++)
bool strv_equal(char *const *a, char *const *b) _pure_; /* NULL equals an empty list */
