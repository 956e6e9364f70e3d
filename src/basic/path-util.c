/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <limits.h>

#include "path-util.h"
#include "string-util.h"

bool path_is_normalized(const char *p) {
        if (isempty(p))
                return false;
        if (streq(p, "/"))
                return true;
        if (endswith(p, "/") || strstr(p, "//"))
                return false;
        if (streq(p, ".") || streq(p, "..") || startswith(p, "./") || startswith(p, "../") || strstr(p, "/./") ||
            strstr(p, "/../") || endswith(p, "/.") || endswith(p, "/.."))
                return false;
        return true;
}

bool filename_is_valid(const char *p) {
        if (isempty(p) || streq(p, ".") || streq(p, ".."))
                return false;
        if (strchr(p, '/'))
                return false;
        return strlen(p) <= NAME_MAX;
}

char *path_join(const char *a, const char *b) {
        size_t la = strlen(a);

        while (la > 0 && a[la - 1] == '/')
                la--;
        while (*b == '/')
                b++;

        return strprintf("%.*s/%s", (int) la, a, b);
}

const char *path_basename(const char *p) {
        const char *s = strrchr(p, '/');

        return s ? s + 1 : p;
}
