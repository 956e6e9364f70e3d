/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <stdint.h>

#include "utf8.h"

size_t utf8_sequence_length(const char *str, size_t n) {
        const unsigned char *s = (const unsigned char *) str;
        uint32_t c, min;
        size_t len;

        if (n == 0)
                return 0;

        if (s[0] < 0x80)
                return 1;
        if ((s[0] & 0xe0) == 0xc0) {
                len = 2;
                c = s[0] & 0x1f;
                min = 0x80;
        } else if ((s[0] & 0xf0) == 0xe0) {
                len = 3;
                c = s[0] & 0x0f;
                min = 0x800;
        } else if ((s[0] & 0xf8) == 0xf0) {
                len = 4;
                c = s[0] & 0x07;
                min = 0x10000;
        } else
                return 0;

        if (len > n)
                return 0;

        for (size_t i = 1; i < len; i++) {
                if ((s[i] & 0xc0) != 0x80)
                        return 0;
                c = (c << 6) | (s[i] & 0x3f);
        }

        if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
                return 0;

        return len;
}

const char *utf8_validate(const char *s, size_t n) {
        size_t i = 0;

        while (i < n) {
                size_t k = utf8_sequence_length(s + i, n - i);
                if (k == 0)
                        return s + i;
                i += k;
        }
        return NULL;
}

static bool utf8_acceptable(const char *s, size_t n, size_t *ret_len) {
        size_t k = utf8_sequence_length(s, n);

        /* U+FFFE and U+FFFF: EF BF BE, EF BF BF. */
        if (k == 0 || (k == 3 && (unsigned char) s[0] == 0xef && (unsigned char) s[1] == 0xbf &&
                       ((unsigned char) s[2] == 0xbe || (unsigned char) s[2] == 0xbf)))
                return false;
        *ret_len = k;
        return true;
}

int utf8_make_valid(char **s) {
        const char *p;
        size_t n, bad = 0, k;
        char *t, *w;

        if (!*s)
                return 0;
        n = strlen(*s);
        for (p = *s; p < *s + n; p += k)
                if (!utf8_acceptable(p, *s + n - p, &k)) {
                        bad++;
                        k = 1;
                }
        if (bad == 0)
                return 0;

        /* Each bad byte (1) becomes 3 bytes. */
        t = w = malloc(n + 2 * bad + 1);
        if (!t)
                return -ENOMEM;
        for (p = *s; p < *s + n; p += k)
                if (utf8_acceptable(p, *s + n - p, &k)) {
                        memcpy(w, p, k);
                        w += k;
                } else {
                        memcpy(w, "\xef\xbf\xbd", 3);
                        w += 3;
                        k = 1;
                }
        *w = 0;
        free(*s);
        *s = t;
        return 1;
}
