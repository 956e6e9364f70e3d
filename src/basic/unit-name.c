/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <ctype.h>

#include "path-util.h"
#include "string-util.h"
#include "unit-name.h"

char *unit_name_path_escape(const char *path) {
        const char *p;
        char *r, *t;

        if (!path_is_absolute(path) || !path_is_normalized(path))
                return NULL;

        if (streq(path, "/"))
                return strdup("-");

        r = t = malloc(strlen(path) * 4 + 1);
        if (!r)
                return NULL;

        for (p = path + 1; *p; p++) {
                if (*p == '/')
                        *t++ = '-';
                else if ((p == path + 1 && *p == '.') ||
                         !(isascii((unsigned char) *p) && (isalnum((unsigned char) *p) || strchr(":_.", *p))))
                        t += sprintf(t, "\\x%02x", (unsigned char) *p);
                else
                        *t++ = *p;
        }
        *t = 0;
        return r;
}

char *unit_name_from_path(const char *path, const char *suffix) {
        _cleanup_free_ char *e = unit_name_path_escape(path);

        if (!e)
                return NULL;
        return strprintf("%s%s", e, suffix);
}

char *unit_setting_escape(const char *s) {
        char *r, *t;

        r = t = malloc(strlen(s) * 4 + 1);
        if (!r)
                return NULL;

        for (; *s; s++) {
                unsigned char c = (unsigned char) *s;

                if (c == '%') {
                        *t++ = '%';
                        *t++ = '%';
                } else if (c == '\\') {
                        *t++ = '\\';
                        *t++ = '\\';
                } else if (c < ' ' || c == 127)
                        t += sprintf(t, "\\x%02x", c);
                else
                        *t++ = c;
        }
        *t = 0;
        return r;
}

char *unit_exec_arg_escape(const char *s) {
        static const char safe[] = "/_.,:+@=-";
        bool plain = !isempty(s);
        char *r, *t;

        for (const char *c = s; plain && *c; c++)
                plain = isascii((unsigned char) *c) && (isalnum((unsigned char) *c) || strchr(safe, *c));
        if (plain)
                return strdup(s);

        r = t = malloc(strlen(s) * 4 + 3);
        if (!r)
                return NULL;

        *t++ = '"';
        for (; *s; s++) {
                unsigned char c = (unsigned char) *s;

                if (c == '%' || c == '$')
                        *t++ = c; /* doubled: a literal '%' or '$', no specifier or variable */
                else if (c == '\\' || c == '"')
                        *t++ = '\\';
                else if (c < ' ' || c == 127) {
                        t += sprintf(t, "\\x%02x", c);
                        continue;
                }
                *t++ = c;
        }
        *t++ = '"';
        *t = 0;
        return r;
}
