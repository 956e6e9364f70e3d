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

bool strv_contains_sorted(char *const *l, size_t n, const char *s) {
        return n > 0 && bsearch(&s, l, n, sizeof(char *), str_compare);
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

int indexed_string_compare(const void *a, const void *b) {
        const IndexedString *x = a, *y = b;
        int r = strcmp(x->s, y->s);

        return r != 0 ? r : x->i < y->i ? -1 : x->i > y->i;
}

int strv_uniq_stable(char **l) {
        _cleanup_free_ IndexedString *v = NULL;
        _cleanup_free_ bool *drop = NULL;
        size_t n = strv_length(l), k = 0;

        if (n < 2)
                return 0;
        v = new_array(IndexedString, n);
        drop = new0(bool, n);
        if (!v || !drop)
                return -ENOMEM;
        for (size_t i = 0; i < n; i++)
                v[i] = (IndexedString){ l[i], i };
        qsort(v, n, sizeof(IndexedString), indexed_string_compare);
        for (size_t i = 1; i < n; i++)
                if (streq(v[i].s, v[i - 1].s))
                        drop[v[i].i] = true;
        for (size_t i = 0; i < n; i++) {
                if (drop[i])
                        free(l[i]);
                else
                        l[k++] = l[i];
        }
        l[k] = NULL;
        return 0;
}

void strv_remove_all(char **l, char *const *drop) {
        size_t k = 0;

        if (!l || !drop)
                return;
        for (size_t i = 0; l[i]; i++) {
                if (strv_contains(drop, l[i]))
                        free(l[i]);
                else
                        l[k++] = l[i];
        }
        l[k] = NULL;
}

int strv_builder_consume(StrvBuilder *b, char *s) {
        if (!s)
                return -ENOMEM;
        if (b->n + 2 > b->allocated) {
                size_t na = MAX(b->allocated * 2, 16U);
                char **c = reallocarray(b->l, na, sizeof(char *));

                if (!c) {
                        free(s);
                        return -ENOMEM;
                }
                b->l = c;
                b->allocated = na;
        }
        b->l[b->n++] = s;
        b->l[b->n] = NULL;
        return 0;
}

int strv_builder_extend(StrvBuilder *b, const char *s) {
        return strv_builder_consume(b, strdup(s));
}

char **strv_builder_take(StrvBuilder *b) {
        char **l = b->l;

        *b = (StrvBuilder){};
        return l;
}

void strv_builder_done(StrvBuilder *b) {
        strv_free(strv_builder_take(b));
}
