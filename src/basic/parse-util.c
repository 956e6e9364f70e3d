/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <ctype.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "parse-util.h"
#include "string-util.h"

int parse_boolean(const char *s) {
        static const char *const yes[] = { "1", "yes", "y", "true", "t", "on" };
        static const char *const no[] = { "0", "no", "n", "false", "f", "off" };

        for (size_t i = 0; i < ELEMENTSOF(yes); i++)
                if (strcasecmp(s, yes[i]) == 0)
                        return 1;
        for (size_t i = 0; i < ELEMENTSOF(no); i++)
                if (strcasecmp(s, no[i]) == 0)
                        return 0;
        return -EINVAL;
}

int safe_atou64(const char *s, uint64_t *ret) {
        unsigned long long v;
        char *e;

        /* strtoull() accepts leading whitespace and a sign; we do not. */
        if (!isdigit((unsigned char) s[0]))
                return -EINVAL;

        errno = 0;
        v = strtoull(s, &e, 10);
        if (errno == ERANGE)
                return -ERANGE;
        if (errno > 0 || *e)
                return -EINVAL;

        *ret = (uint64_t) v;
        return 0;
}

int safe_atou(const char *s, unsigned *ret) {
        uint64_t v;
        int r;

        r = safe_atou64(s, &v);
        if (r < 0)
                return r;
        if (v > UINT_MAX)
                return -ERANGE;

        *ret = (unsigned) v;
        return 0;
}

int parse_size(const char *s, uint64_t *ret) {
        static const struct {
                char suffix;
                unsigned shift;
        } table[] = { { 'K', 10 }, { 'M', 20 }, { 'G', 30 }, { 'T', 40 } };
        _cleanup_free_ char *n = NULL;
        unsigned shift = 0;
        size_t l = strlen(s);
        uint64_t v;
        int r;

        if (l == 0)
                return -EINVAL;

        for (size_t i = 0; i < ELEMENTSOF(table); i++)
                if (toupper((unsigned char) s[l - 1]) == table[i].suffix) {
                        shift = table[i].shift;
                        l--;
                        break;
                }

        n = strndup(s, l);
        if (!n)
                return -ENOMEM;

        r = safe_atou64(n, &v);
        if (r < 0)
                return r;
        if (shift > 0 && v > (UINT64_MAX >> shift))
                return -ERANGE;

        *ret = v << shift;
        return 0;
}

int parse_percent(const char *s, unsigned *ret) {
        _cleanup_free_ char *n = NULL;
        const char *e = endswith(s, "%");
        unsigned v;
        int r;

        if (!e)
                return -EINVAL;

        n = strndup(s, e - s);
        if (!n)
                return -ENOMEM;

        r = safe_atou(n, &v);
        if (r < 0)
                return r;
        if (v > 100)
                return -ERANGE;

        *ret = v;
        return 0;
}

bool hex_string_is_valid(const char *s, size_t min_bytes, size_t max_bytes) {
        size_t l = strlen(s);

        if (l % 2 != 0 || l / 2 < min_bytes || l / 2 > max_bytes)
                return false;
        for (; *s; s++)
                if (!isxdigit((unsigned char) *s))
                        return false;
        return true;
}

int logical_line_next(const char **cursor, unsigned *line, const char *suffix, char **ret) {
        _cleanup_free_ char *t = NULL;
        size_t len = 0, sl = strlen(suffix);
        const char *l = *cursor;

        if (!l || !*l)
                return 0;
        for (;;) {
                const char *end = strchrnul(l, '\n');
                size_t n = end - l;
                bool cont = n > 0 && l[n - 1] == '\\';
                char *j;

                if (cont)
                        n--;
                j = realloc(t, len + n + sl + 1);
                if (!j)
                        return -ENOMEM;
                t = j;
                memcpy(t + len, l, n);
                memcpy(t + len + n, suffix, sl);
                len += n + sl;
                t[len] = 0;
                (*line)++;
                l = *end ? end + 1 : NULL;
                if (!cont || !l)
                        break;
        }
        *cursor = l;
        *ret = TAKE_PTR(t);
        return 1;
}
