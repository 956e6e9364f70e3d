/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include "strv.h"

char **strv_free(char **l) {
        STRV_FOREACH(s, l)
                free(*s);
        free(l);
        return NULL;
}

size_t strv_length(char *const *l) {
        size_t n = 0;

        STRV_FOREACH(s, l)
                n++;
        return n;
}

bool strv_contains(char *const *l, const char *s) {
        STRV_FOREACH(i, l)
                if (streq(*i, s))
                        return true;
        return false;
}

int strv_consume(char ***l, char *s) {
        size_t n = strv_length(*l);
        char **c;

        if (!s)
                return -ENOMEM;

        c = reallocarray(*l, n + 2, sizeof(char *));
        if (!c) {
                free(s);
                return -ENOMEM;
        }

        c[n] = s;
        c[n + 1] = NULL;
        *l = c;
        return 0;
}

int strv_extend(char ***l, const char *s) {
        return strv_consume(l, strdup(s));
}

char **strv_copy(char *const *l) {
        _cleanup_strv_free_ char **c = new0(char *, strv_length(l) + 1);
        size_t i = 0;

        if (!c)
                return NULL;

        STRV_FOREACH(s, l) {
                c[i] = strdup(*s);
                if (!c[i])
                        return NULL;
                i++;
        }
        return TAKE_PTR(c);
}

char *strv_join(char *const *l, const char *sep) {
        size_t n = 0, k = strlen(sep);
        char *r, *p;

        STRV_FOREACH(s, l)
                n += strlen(*s) + k;

        r = p = malloc(n + 1);
        if (!r)
                return NULL;

        STRV_FOREACH(s, l) {
                if (p != r)
                        p = stpcpy(p, sep);
                p = stpcpy(p, *s);
        }
        *p = 0;
        return r;
}

static int str_compare(const void *a, const void *b) {
        return strcmp(*(char *const *) a, *(char *const *) b);
}

int strv_sort(char **l) {
        if (!l)
                return 0;
        qsort(l, strv_length(l), sizeof(char *), str_compare);
        return 0;
}

bool strv_equal(char *const *a, char *const *b) {
        for (;; a = a ? a + 1 : NULL, b = b ? b + 1 : NULL) {
                const char *x = a ? *a : NULL, *y = b ? *b : NULL;

                if (!x || !y)
                        return !x && !y;
                if (!streq(x, y))
                        return false;
        }
}
