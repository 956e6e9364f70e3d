/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* Password aging and logins: /etc/login.defs as shadow's tools read it, /etc/shadow, /etc/shells. */

#include "parse-util.h"
#include "probe.h"
#include "string-util.h"
#include "strv.h"

int login_defs_get(const char *text, const char *key, char **ret_value, unsigned *ret_line) {
        size_t kl = strlen(key);
        unsigned line = 0;

        /* "KEY VALUE", blanks between; '#' starts a comment line. The first assignment counts, as
         * getdef() keeps the first one it reads. */
        for (const char *l = text; l && *l;) {
                const char *end = strchrnul(l, '\n'), *p = l + strspn(l, " \t");

                line++;
                if ((size_t) (end - p) > kl && strneq(p, key, kl) && strchr(" \t", p[kl])) {
                        const char *v = p + kl + strspn(p + kl, " \t");
                        size_t n = strcspn(v, " \t\n");
                        char *value;

                        if (*v == '"' && n >= 2 && v[n - 1] == '"') {
                                v++;
                                n -= 2;
                        }
                        value = strndup(v, n);
                        if (!value)
                                return -ENOMEM;
                        *ret_value = value;
                        if (ret_line)
                                *ret_line = line;
                        return 1;
                }
                l = *end ? end + 1 : NULL;
        }
        return 0;
}

void shadow_entries_free(ShadowEntry *e, size_t n) {
        for (size_t i = 0; i < n; i++) {
                free(e[i].name);
                free(e[i].hash);
        }
        free(e);
}

/* A day count of /etc/shadow: empty is "not set" (-1). */
static long shadow_days(const char *s) {
        unsigned v;

        if (isempty(s) || safe_atou(s, &v) < 0 || v > 10000000)
                return -1;
        return (long) v;
}

int shadow_parse(const char *text, ShadowEntry **ret, size_t *ret_n) {
        ShadowEntry *l = NULL;
        size_t n = 0;

        for (const char *p = text ?: ""; *p;) {
                const char *end = strchrnul(p, '\n');
                _cleanup_free_ char *line = strndup(p, end - p);
                char *f[9] = {};
                size_t k = 0;
                ShadowEntry *e;

                p = *end ? end + 1 : end;
                if (!line)
                        goto oom;
                for (char *s = line, *t; k < 9 && (t = strsep(&s, ":"));)
                        f[k++] = t;
                if (k < 8 || isempty(f[0]) || f[0][0] == '#' || f[0][0] == '+' || f[0][0] == '-')
                        continue;
                e = array_grow_pow2(l, n, sizeof(ShadowEntry));
                if (!e)
                        goto oom;
                l = e;
                l[n] = (ShadowEntry){
                        .name = strdup(f[0]),
                        .hash = strdup(f[1]),
                        .last_change = shadow_days(f[2]),
                        .min_days = shadow_days(f[3]),
                        .max_days = shadow_days(f[4]),
                        .warn_days = shadow_days(f[5]),
                        .inactive_days = shadow_days(f[6]),
                };
                n++;
                if (!l[n - 1].name || !l[n - 1].hash)
                        goto oom;
        }
        *ret = l;
        *ret_n = n;
        return 0;
oom:
        shadow_entries_free(l, n);
        return -ENOMEM;
}

bool shadow_hash_locked(const char *hash) {
        return hash && (hash[0] == '!' || hash[0] == '*');
}

int shells_parse(const char *text, char ***ret) {
        _cleanup_(strv_builder_done) StrvBuilder b = {};

        for (const char *p = text ?: ""; *p;) {
                const char *end = strchrnul(p, '\n'), *s = p + strspn(p, " \t");
                size_t n = strcspn(s, " \t\n#");

                p = *end ? end + 1 : end;
                if (*s == '/' && n > 0) {
                        char *w = strndup(s, n);

                        if (strv_builder_consume(&b, w) < 0)
                                return -ENOMEM;
                }
        }
        *ret = strv_builder_take(&b);
        return 0;
}

int probe_uid_min(CheckContext *c, unsigned *ret) {
        _cleanup_free_ char *defs = NULL, *v = NULL;
        unsigned u;
        int r;

        *ret = 1000; /* the shadow tools' default */
        r = probe_read_file(c, "/etc/login.defs", 0, &defs);
        if (r == -ENOMEM)
                return r;
        if (r < 0)
                return 0;
        r = login_defs_get(defs, "UID_MIN", &v, NULL);
        if (r < 0)
                return r;
        if (r > 0 && safe_atou(v, &u) >= 0)
                *ret = u;
        return 0;
}
