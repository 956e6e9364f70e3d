/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <fcntl.h>
#include <stdlib.h>

#include "fs-util.h"
#include "string-util.h"
#include "strv.h"
#include "sysctl-util.h"

#define SYSCTL_VALUE_MAX (64U * 1024U)

/* Rewrites name with the separators of the wanted kind: to_path, '/' between components; otherwise '.'.
 * Leaves it untouched if it is not a valid name. */
static int sysctl_name_convert_in_place(char *name, bool to_path) {
        char sep;

        if (isempty(name))
                return -EINVAL;
        /* A name spelled with '/' first is a path; a name spelled with '.' first swaps the two. */
        sep = name[strcspn(name, "./")] == '/' ? '/' : '.';

        /* Every component of the path must be a real one. */
        for (const char *p = name; *p;) {
                size_t n = strchrnul(p, sep) - p;

                if (n == 0 || (n == 1 && p[0] == '.') || (n == 2 && p[0] == '.' && p[1] == '.'))
                        return -EINVAL;
                p += n;
                if (*p && !*++p)
                        return -EINVAL; /* a trailing separator */
        }

        if ((sep == '/') != to_path)
                for (char *c = name; *c; c++) {
                        if (*c == '.')
                                *c = '/';
                        else if (*c == '/')
                                *c = '.';
                }
        return 0;
}

/* Copies name with the separators of the wanted kind. */
static int sysctl_name_convert(const char *name, bool to_path, char **ret) {
        _cleanup_free_ char *s = strdup(name);
        int r;

        if (!s)
                return -ENOMEM;
        r = sysctl_name_convert_in_place(s, to_path);
        if (r < 0)
                return r;
        *ret = TAKE_PTR(s);
        return 0;
}

int sysctl_name_normalize_in_place(char *name) {
        return sysctl_name_convert_in_place(name, false);
}

int sysctl_name_normalize(const char *name, char **ret) {
        return sysctl_name_convert(name, false, ret);
}

int sysctl_name_to_path(const char *name, char **ret) {
        return sysctl_name_convert(name, true, ret);
}

typedef struct Entry {
        char *name;        /* canonical */
        const char *value; /* in the input */
        size_t index;      /* position in the input */
        size_t first;      /* position of the first assignment of name */
} Entry;

static int entry_by_name(const void *a, const void *b) {
        const Entry *x = a, *y = b;
        int c = strcmp(x->name, y->name);

        return c != 0 ? c : x->index < y->index ? -1 : x->index > y->index;
}

static int entry_by_first(const void *a, const void *b) {
        const Entry *x = a, *y = b;

        return x->first < y->first ? -1 : x->first > y->first;
}

void sysctl_settings_free(SysctlSetting *s, size_t n) {
        for (size_t i = 0; i < n; i++) {
                free(s[i].key);
                free(s[i].value);
        }
        free(s);
}

int sysctl_merge(char *const *entries, SysctlSetting **ret, size_t *ret_n) {
        size_t n = strv_length(entries), m = 0, k = 0;
        _cleanup_free_ Entry *e = NULL;
        SysctlSetting *out = NULL;
        int r = 0;

        assert(ret);
        assert(ret_n);

        if (n == 0) {
                *ret = NULL;
                *ret_n = 0;
                return 0;
        }
        e = new0(Entry, n);
        if (!e)
                return -ENOMEM;
        for (size_t i = 0; i < n; i++) {
                const char *eq = strchr(entries[i], '=');
                _cleanup_free_ char *key = NULL;

                if (!eq)
                        continue;
                key = strndup(entries[i], eq - entries[i]);
                if (!key) {
                        r = -ENOMEM;
                        goto finish;
                }
                r = sysctl_name_normalize(key, &e[m].name);
                if (r < 0)
                        goto finish;
                e[m].value = eq + 1;
                e[m].index = i;
                m++;
        }

        /* Sorted by name and then position: each group's first entry says where the setting goes, its
         * last one what it is set to. O(n log n), also for long profiles. The kept entries move to the
         * front; the names of the others stay behind to be freed. */
        qsort(e, m, sizeof(Entry), entry_by_name);
        for (size_t i = 0, start = 0; i < m; i++) {
                if (i + 1 < m && streq(e[i + 1].name, e[i].name))
                        continue;
                /* e[start..i] is one group, e[i] its last assignment. */
                {
                        Entry last = e[i];

                        last.first = e[start].index;
                        e[i] = e[k];
                        e[k++] = last;
                }
                start = i + 1;
        }
        qsort(e, k, sizeof(Entry), entry_by_first);

        if (k > 0) {
                out = new0(SysctlSetting, k);
                if (!out) {
                        r = -ENOMEM;
                        goto finish;
                }
        }
        for (size_t i = 0; i < k; i++) {
                out[i].value = strdup(e[i].value);
                if (!out[i].value) {
                        sysctl_settings_free(out, k);
                        r = -ENOMEM;
                        goto finish;
                }
                out[i].key = TAKE_PTR(e[i].name);
        }
        *ret = out;
        *ret_n = k;
        r = 0;
finish:
        for (size_t i = 0; i < n; i++)
                free(e[i].name);
        return r;
}

char *sysctl_value_normalize(char *s) {
        return strip_collapse_whitespace(s);
}

bool sysctl_value_equal(const char *a, const char *b) {
        /* Compares word by word, without copying. */
        for (;;) {
                size_t la, lb;

                a += strspn(a, WHITESPACE);
                b += strspn(b, WHITESPACE);
                la = strcspn(a, WHITESPACE);
                lb = strcspn(b, WHITESPACE);
                if (la != lb || memcmp(a, b, la) != 0)
                        return false;
                if (la == 0)
                        return true;
                a += la;
                b += lb;
        }
}

int sysctl_read(int root_fd, const char *dir, const char *name, char **ret_value, char **ret_path) {
        _cleanup_free_ char *rel = NULL, *path = NULL, *v = NULL;
        _cleanup_close_ int fd = -EBADF;
        int r;

        r = sysctl_name_to_path(name, &rel);
        if (r < 0)
                return r;
        path = strprintf("%s%s%s", strempty(dir), endswith(strempty(dir), "/") ? "" : "/", rel);
        if (!path)
                return -ENOMEM;

        /* Never a device node or FIFO planted in a root tree; O_NONBLOCK in case one is swapped in. */
        fd = open_in_root_regular(root_fd, path, O_RDONLY | O_NOCTTY | O_NONBLOCK);
        if (fd < 0)
                return fd;
        r = read_full_fd(fd, SYSCTL_VALUE_MAX, &v, NULL);
        if (r < 0)
                return r;
        sysctl_value_normalize(v);

        *ret_value = TAKE_PTR(v);
        if (ret_path)
                *ret_path = TAKE_PTR(path);
        return 0;
}
