/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "macro.h"

/* Returns the length in bytes of the valid UTF-8 sequence at s (at most n bytes available), or 0 if
 * there is none: overlong forms, surrogates, code points above U+10FFFF and truncation are invalid. */
size_t utf8_sequence_length(const char *s, size_t n) _pure_;

/* Returns NULL if the n bytes at s are valid UTF-8, or a pointer to the first invalid byte. */
const char *utf8_validate(const char *s, size_t n) _pure_;

/* Makes the string *s valid UTF-8: every byte that does not begin a valid sequence becomes U+FFFD
 * (the replacement character), as do U+FFFE and U+FFFF, which XML does not allow. *s is replaced by a
 * new string only if something had to change. Returns 0, 1 if something was replaced, or -ENOMEM
 * (*s left as it was). A NULL *s is left alone. */
int utf8_make_valid(char **s);
