/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include "diff.h"

/* The way back needs the V array of every round: (D+1)² integers for D differences. Beyond this
 * many differences (a trace of about 2 MiB) the whole file is shown as replaced instead, which is
 * still a correct diff; so showing a plan never takes more than a few MiB, whatever the files. */
#define DIFF_D_MAX 512

typedef struct Line {
        const char *s;
        size_t n; /* including the newline, if there is one */
} Line;

typedef enum EditType {
        EDIT_EQUAL,
        EDIT_DELETE,
        EDIT_INSERT,
} EditType;

typedef struct Edit {
        EditType type;
        size_t a, b; /* line in old (EQUAL, DELETE) and new (EQUAL, INSERT), 0-based */
} Edit;

static int split_lines(const char *text, Line **ret, size_t *ret_n) {
        Line *l = NULL;
        size_t n = 0, allocated = 0;

        for (const char *p = text; p && *p;) {
                const char *nl = strchr(p, '\n');
                size_t len = nl ? (size_t) (nl - p) + 1 : strlen(p);

                if (n == allocated) {
                        Line *t;

                        allocated = allocated ? allocated * 2 : 64;
                        t = reallocarray(l, allocated, sizeof(Line));
                        if (!t) {
                                free(l);
                                return -ENOMEM;
                        }
                        l = t;
                }
                l[n++] = (Line){ p, len };
                p += len;
        }
        *ret = l;
        *ret_n = n;
        return 0;
}

static bool line_eq(const Line *x, const Line *y) {
        return x->n == y->n && memcmp(x->s, y->s, x->n) == 0;
}

static int push_edit(Edit **e, size_t *n, size_t *allocated, EditType type, size_t a, size_t b) {
        if (*n == *allocated) {
                Edit *t;

                *allocated = *allocated ? *allocated * 2 : 64;
                t = reallocarray(*e, *allocated, sizeof(Edit));
                if (!t)
                        return -ENOMEM;
                *e = t;
        }
        (*e)[(*n)++] = (Edit){ type, a, b };
        return 0;
}

/* The whole of a removed, the whole of b added. */
static int edits_replace_all(size_t na, size_t nb, Edit **ret, size_t *ret_n) {
        Edit *e = NULL;
        size_t n = 0, allocated = 0;
        int r = 0;

        for (size_t i = 0; i < na && r >= 0; i++)
                r = push_edit(&e, &n, &allocated, EDIT_DELETE, i, 0);
        for (size_t j = 0; j < nb && r >= 0; j++)
                r = push_edit(&e, &n, &allocated, EDIT_INSERT, na, j);
        if (r < 0) {
                free(e);
                return r;
        }
        *ret = e;
        *ret_n = n;
        return 0;
}

/* Myers' greedy algorithm with the V array of every round kept for the way back. Returns the edit
 * script in order. */
static int edits_myers(const Line *a, size_t na, const Line *b, size_t nb, Edit **ret, size_t *ret_n) {
        ssize_t max = (ssize_t) (na + nb), dmax = MIN(max, (ssize_t) DIFF_D_MAX), found = -1;
        ssize_t **trace = NULL, *v = NULL;
        Edit *e = NULL;
        size_t n = 0, allocated = 0;
        ssize_t x, y;
        int r = 0;

        /* k never leaves [-dmax, dmax]: V is sized by the bound, not by the files. */
        v = new0(ssize_t, 2 * dmax + 3);
        trace = new0(ssize_t *, dmax + 1);
        if (!v || !trace) {
                r = -ENOMEM;
                goto finish;
        }
        v += dmax + 1; /* index k from -dmax-1 to dmax+1 */

        for (ssize_t d = 0; d <= dmax && found < 0; d++) {
                for (ssize_t k = -d; k <= d; k += 2) {
                        x = (k == -d || (k != d && v[k - 1] < v[k + 1])) ? v[k + 1] : v[k - 1] + 1;
                        y = x - k;
                        while (x < (ssize_t) na && y < (ssize_t) nb && line_eq(a + x, b + y))
                                x++, y++;
                        v[k] = x;
                        if (x >= (ssize_t) na && y >= (ssize_t) nb) {
                                found = d;
                                break;
                        }
                }
                trace[d] = new_array(ssize_t, 2 * d + 1);
                if (!trace[d]) {
                        r = -ENOMEM;
                        goto finish;
                }
                memcpy(trace[d], v - d, sizeof(ssize_t) * (2 * d + 1));
        }

        if (found < 0) {
                r = edits_replace_all(na, nb, ret, ret_n);
                goto finish;
        }

        /* Back from (na, nb), collecting the edits in reverse. */
        x = (ssize_t) na, y = (ssize_t) nb;
        for (ssize_t d = found; d > 0 && r >= 0; d--) {
                const ssize_t *pv = trace[d - 1] + (d - 1); /* index k from -(d-1) to d-1 */
                ssize_t k = x - y, pk, px, py;

                pk = (k == -d || (k != d && pv[k - 1] < pv[k + 1])) ? k + 1 : k - 1;
                px = pv[pk];
                py = px - pk;
                while (x > px && y > py && r >= 0) {
                        x--, y--;
                        r = push_edit(&e, &n, &allocated, EDIT_EQUAL, (size_t) x, (size_t) y);
                }
                if (r < 0)
                        break;
                if (x == px)
                        r = push_edit(&e, &n, &allocated, EDIT_INSERT, (size_t) px, (size_t) py);
                else
                        r = push_edit(&e, &n, &allocated, EDIT_DELETE, (size_t) px, (size_t) py);
                x = px, y = py;
        }
        while (x > 0 && y > 0 && r >= 0) {
                x--, y--;
                r = push_edit(&e, &n, &allocated, EDIT_EQUAL, (size_t) x, (size_t) y);
        }
        if (r < 0)
                goto finish;

        for (size_t i = 0; i < n / 2; i++) {
                Edit t = e[i];
                e[i] = e[n - 1 - i];
                e[n - 1 - i] = t;
        }
        *ret = TAKE_PTR(e);
        *ret_n = n;

finish:
        if (trace)
                for (ssize_t d = 0; d <= dmax; d++)
                        free(trace[d]);
        free(trace);
        if (v)
                free(v - (dmax + 1));
        free(e);
        return r;
}

static void put_line(FILE *f, char prefix, const Line *l) {
        fputc(prefix, f);
        fwrite(l->s, 1, l->n, f);
        if (l->n == 0 || l->s[l->n - 1] != '\n')
                fputs("\n\\ No newline at end of file\n", f);
}

/* "start,count" as diff -u writes it: an empty range starts at the line before it. */
static void put_range(FILE *f, size_t start, size_t count) {
        if (count == 1)
                fprintf(f, "%zu", start + 1);
        else
                fprintf(f, "%zu,%zu", count == 0 ? start : start + 1, count);
}

int diff_unified(FILE *f, const char *old_label, const char *old_text, const char *new_label, const char *new_text,
                 unsigned context) {
        _cleanup_free_ Line *a = NULL, *b = NULL;
        _cleanup_free_ Edit *e = NULL;
        size_t na = 0, nb = 0, n = 0, i = 0;
        int r, hunks = 0;

        if (streq(strempty(old_text), strempty(new_text)) && !old_text == !new_text)
                return 0;

        r = split_lines(old_text, &a, &na);
        if (r < 0)
                return r;
        r = split_lines(new_text, &b, &nb);
        if (r < 0)
                return r;
        r = edits_myers(a, na, b, nb, &e, &n);
        if (r < 0)
                return r;

        fprintf(f, "--- %s\n+++ %s\n", old_label, new_label);

        while (i < n) {
                size_t start, end, last_change, sa, sb, ca = 0, cb = 0;

                /* The next change, and the context before it. */
                while (i < n && e[i].type == EDIT_EQUAL)
                        i++;
                if (i >= n)
                        break;
                start = i >= context ? i - context : 0;

                /* Extend over changes separated by at most 2 × context equal lines. */
                last_change = i;
                for (end = i; end < n; end++) {
                        if (e[end].type != EDIT_EQUAL)
                                last_change = end;
                        else if (end - last_change > 2 * (size_t) context)
                                break;
                }
                end = MIN(n, last_change + 1 + context);

                sa = e[start].a;
                sb = e[start].b;
                for (size_t j = start; j < end; j++) {
                        ca += e[j].type != EDIT_INSERT;
                        cb += e[j].type != EDIT_DELETE;
                }

                fputs("@@ -", f);
                put_range(f, sa, ca);
                fputs(" +", f);
                put_range(f, sb, cb);
                fputs(" @@\n", f);
                for (size_t j = start; j < end; j++)
                        switch (e[j].type) {
                        case EDIT_EQUAL:
                                put_line(f, ' ', a + e[j].a);
                                break;
                        case EDIT_DELETE:
                                put_line(f, '-', a + e[j].a);
                                break;
                        case EDIT_INSERT:
                                put_line(f, '+', b + e[j].b);
                                break;
                        }
                hunks++;
                i = end;
        }

        if (ferror(f))
                return -EIO;
        return hunks;
}
