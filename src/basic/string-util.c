/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>

#include "string-util.h"

char *startswith(const char *s, const char *prefix) {
        size_t l = strlen(prefix);

        return strncmp(s, prefix, l) == 0 ? (char *) s + l : NULL;
}

char *endswith(const char *s, const char *suffix) {
        size_t sl = strlen(s), xl = strlen(suffix);

        if (xl > sl)
                return NULL;
        return streq(s + sl - xl, suffix) ? (char *) s + sl - xl : NULL;
}

static inline bool is_whitespace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r'; /* WHITESPACE */
}

char *strstrip(char *s) {
        char *e;

        while (is_whitespace(*s))
                s++;
        for (e = s + strlen(s); e > s && is_whitespace(e[-1]); e--)
                ;
        *e = 0;
        return s;
}

char *strndup_safe(const char *s, size_t n) {
        return strndup(s, n);
}

char *memdup_suffix0(const void *p, size_t n) {
        char *t = n < SIZE_MAX ? malloc(n + 1) : NULL;

        if (!t)
                return NULL;
        memcpy(t, p, n);
        t[n] = 0;
        return t;
}

int extract_first_word(const char **p, char **ret) {
        _cleanup_free_ char *w = NULL;
        const char *s = *p;
        size_t n = 0;
        char quote = 0;

        while (is_whitespace(*s))
                s++;
        if (!*s) {
                *p = s;
                *ret = NULL;
                return 0;
        }

        w = malloc(strlen(s) + 1);
        if (!w)
                return -ENOMEM;

        for (; *s; s++) {
                if (quote) {
                        if (*s == quote) {
                                quote = 0;
                                continue;
                        }
                } else if (is_whitespace(*s))
                        break;
                else if (*s == '\'' || *s == '"') {
                        quote = *s;
                        continue;
                }

                if (*s == '\\' && quote != '\'') {
                        s++;
                        if (!*s)
                                return -EINVAL;
                }
                w[n++] = *s;
        }

        if (quote)
                return -EINVAL;

        w[n] = 0;
        *p = s;
        *ret = TAKE_PTR(w);
        return 1;
}

char *vstrprintf(const char *format, va_list ap) {
        char *r;

        return vasprintf(&r, format, ap) < 0 ? NULL : r;
}

char *strprintf(const char *format, ...) {
        va_list ap;
        char *r;

        va_start(ap, format);
        r = vstrprintf(format, ap);
        va_end(ap);
        return r;
}

char *strjoin_real(const char *x, ...) {
        va_list ap;
        size_t n = 0;
        char *r, *p;

        va_start(ap, x);
        for (const char *t = x; t; t = va_arg(ap, const char *))
                n += strlen(t);
        va_end(ap);

        p = r = malloc(n + 1);
        if (!r)
                return NULL;

        va_start(ap, x);
        for (const char *t = x; t; t = va_arg(ap, const char *))
                p = stpcpy(p, t);
        va_end(ap);
        *p = 0;
        return r;
}

void hex_encode(const void *p, size_t n, char *ret) {
        static const char digits[] = "0123456789abcdef";
        const uint8_t *b = p;

        for (size_t i = 0; i < n; i++) {
                ret[2 * i] = digits[b[i] >> 4];
                ret[2 * i + 1] = digits[b[i] & 15];
        }
        ret[2 * n] = 0;
}

char *hexmem(const void *p, size_t n) {
        char *s = malloc(n * 2 + 1);

        if (s)
                hex_encode(p, n, s);
        return s;
}

static int unhex_digit(char c) {
        if (c >= '0' && c <= '9')
                return c - '0';
        if (c >= 'a' && c <= 'f')
                return c - 'a' + 10;
        if (c >= 'A' && c <= 'F')
                return c - 'A' + 10;
        return -EINVAL;
}

int hex_decode(const char *s, void *ret, size_t max_size, size_t *ret_size) {
        size_t n = strlen(s);
        uint8_t *b = ret;

        if (n % 2 != 0 || n / 2 > max_size)
                return -EINVAL;
        for (size_t i = 0; i < n / 2; i++) {
                int hi = unhex_digit(s[2 * i]), lo = unhex_digit(s[2 * i + 1]);

                if (hi < 0 || lo < 0)
                        return -EINVAL;
                b[i] = (uint8_t) (hi << 4 | lo);
        }
        if (ret_size)
                *ret_size = n / 2;
        return 0;
}

bool string_has_cc(const char *s) {
        for (; *s; s++)
                if ((unsigned char) *s < ' ' || *s == 127)
                        return true;
        return false;
}

int reason_fail(char **ret_reason, const char *format, ...) {
        va_list ap;
        char *s;

        va_start(ap, format);
        s = vstrprintf(format, ap);
        va_end(ap);
        if (!s)
                return -ENOMEM;
        *ret_reason = s;
        return -EINVAL;
}

int reason_fail_errno(char **ret_reason, int r, const char *format, ...) {
        va_list ap;
        char *s;

        assert(r < 0);
        if (!ret_reason)
                return r;
        va_start(ap, format);
        s = vstrprintf(format, ap);
        va_end(ap);
        if (!s)
                return -ENOMEM;
        *ret_reason = s;
        return r;
}

char *strip_collapse_whitespace(char *s) {
        char *w = s;
        bool space = false;

        for (char *p = s; *p; p++) {
                if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r') { /* WHITESPACE */
                        space = w != s;
                        continue;
                }
                if (space)
                        *w++ = ' ';
                space = false;
                *w++ = *p;
        }
        *w = 0;
        return s;
}

int memstream_close(FILE *f, char **buf) {
        int r = fflush(f) != 0 || ferror(f) ? -ENOMEM : 0;

        if (fclose(f) != 0 && r == 0)
                r = -ENOMEM;
        if (r < 0 || !*buf) {
                *buf = mfree(*buf);
                return -ENOMEM;
        }
        return 0;
}
