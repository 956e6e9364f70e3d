/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdarg.h>
#include <stdio.h>

#include "macro.h"

#define WHITESPACE " \t\n\r"

/* Returns a pointer behind the prefix if s starts with it, NULL otherwise. */
char *startswith(const char *s, const char *prefix) _pure_;
char *endswith(const char *s, const char *suffix) _pure_;

/* Removes leading and trailing whitespace in place; returns s. */
char *strstrip(char *s);

/* Duplicates at most n bytes. */
char *strndup_safe(const char *s, size_t n);

/* The n bytes at p (which may hold NULs) and a NUL after them; NULL on OOM. */
char *memdup_suffix0(const void *p, size_t n);

/* Splits off the first whitespace-separated word of *p, honouring '…' and "…" quoting and backslash
 * escapes. Returns 1 and the word, 0 at the end of the string, -EINVAL on bad quoting. */
int extract_first_word(const char **p, char **ret);

/* Printf into a newly allocated string; NULL on failure. */
/* A new string, formatted; NULL when out of memory. */
char *vstrprintf(const char *format, va_list ap) _printf_(1, 0);
char *strprintf(const char *format, ...) _printf_(1, 2);
/* The concatenation of the strings up to a NULL, in a new allocation; NULL on OOM. Cheaper than
 * strprintf() where nothing but strings is put together. */
char *strjoin_real(const char *x, ...) _sentinel_;
#define strjoin(a, ...) strjoin_real((a), __VA_ARGS__, NULL)

bool string_has_cc(const char *s) _pure_;

/* The n bytes at p as lowercase hexadecimal, into ret (2 * n + 1 bytes, NUL-terminated). */
void hex_encode(const void *p, size_t n, char *ret);
/* The same in a new allocation; NULL when out of memory. */
char *hexmem(const void *p, size_t n);

/* The hexadecimal digits s (either case, an even number of them) as bytes, into ret (at most max_size).
 * Returns 0 and *ret_size, or -EINVAL if s is not that or does not fit. */
int hex_decode(const char *s, void *ret, size_t max_size, size_t *ret_size);

/* For parsers that explain what is wrong: sets *ret_reason to the formatted text and returns -EINVAL,
 * or -ENOMEM. */
int reason_fail(char **ret_reason, const char *format, ...) _printf_(2, 3);
/* The same with the error to return, r; ret_reason may be NULL (nothing is formatted then). */
int reason_fail_errno(char **ret_reason, int r, const char *format, ...) _printf_(3, 4);

/* Drops leading and trailing whitespace and makes each run of it inside a single space, in place
 * ("4\t4  1\n" → "4 4 1"). Returns s. */
char *strip_collapse_whitespace(char *s);

/* Closes a stream from open_memstream() whose buffer is *buf. Returns 0 if everything written to it is
 * in *buf; otherwise -ENOMEM, with *buf freed and NULL. */
int memstream_close(FILE *f, char **buf);
