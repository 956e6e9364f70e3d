/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* The effective value of an sshd_config keyword: ROOT/etc/ssh/sshd_config and the files it includes. */

#include <fnmatch.h>

#include "path-util.h"
#include "probe.h"
#include "string-util.h"

typedef struct SshdLookup {
        const char *keyword;
        char *value;
        char *source;
        unsigned files;
} SshdLookup;

static int sshd_file(CheckContext *c, const char *path, unsigned depth, SshdLookup *s);

/* userdata is the glob of the Include. */
static bool sshd_include_filter(const char *name, const void *userdata) {
        return name[0] != '.' && fnmatch(userdata, name, FNM_PERIOD) == 0;
}

static int sshd_include(CheckContext *c, const char *pattern, unsigned depth, SshdLookup *s) {
        _cleanup_free_ char *full = NULL, *dir = NULL;
        _cleanup_strv_free_ char **paths = NULL;
        const char *base;
        int r;

        full = path_is_absolute(pattern) ? strdup(pattern) : path_join("/etc/ssh", pattern);
        if (!full)
                return -ENOMEM;
        base = path_basename(full);
        if (!strpbrk(base, "*?[")) {
                r = sshd_file(c, full, depth + 1, s);
                return r == -ENOENT ? 0 : r;
        }

        /* Globs in the last component only, as in the usual sshd_config.d/ *.conf. */
        dir = strndup(full, base - full);
        if (!dir)
                return -ENOMEM;
        if (strpbrk(dir, "*?["))
                return -EOPNOTSUPP;
        r = probe_list_dir(c, dir, sshd_include_filter, base, &paths);
        if (r < 0)
                return r;
        STRV_FOREACH(p, paths) {
                r = sshd_file(c, *p, depth + 1, s);
                if (r < 0 && r != -ENOENT && r != -EISDIR)
                        return r;
        }
        return 0;
}

static int sshd_file(CheckContext *c, const char *path, unsigned depth, SshdLookup *s) {
        _cleanup_free_ char *text = NULL;
        int r;

        if (depth > INCLUDE_DEPTH_MAX || ++s->files > INCLUDE_FILES_MAX)
                return -ELOOP;
        r = probe_read_file(c, path, ACCOUNTS_FILE_MAX, &text);
        if (r < 0)
                return r;

        for (char *l = text, *next; l && !s->value; l = next) {
                _cleanup_free_ char *kw = NULL, *val = NULL;
                const char *p;
                char *eq;

                next = strchr(l, '\n');
                if (next)
                        *next++ = 0;
                l = strstrip(l);
                if (isempty(l) || l[0] == '#')
                        continue;

                /* "Keyword value" or "Keyword=value". */
                eq = strchr(l, '=');
                if (eq && (size_t) (eq - l) <= strcspn(l, " \t"))
                        *eq = ' ';
                p = l;
                if (extract_first_word(&p, &kw) <= 0)
                        continue;
                if (strcasecmp(kw, "Match") == 0)
                        break; /* conditional from here to the end of the file */
                if (strcasecmp(kw, "Include") == 0) {
                        for (;;) {
                                _cleanup_free_ char *pat = NULL;

                                if (extract_first_word(&p, &pat) <= 0)
                                        break;
                                r = sshd_include(c, pat, depth, s);
                                if (r < 0)
                                        return r;
                                if (s->value)
                                        break;
                        }
                        continue;
                }
                if (strcasecmp(kw, s->keyword) != 0)
                        continue;
                if (extract_first_word(&p, &val) <= 0)
                        continue;
                s->value = TAKE_PTR(val);
                s->source = strdup(path);
                if (!s->source)
                        return -ENOMEM;
        }
        return 0;
}

int probe_sshd_option(CheckContext *c, const char *keyword, char **ret_value, char **ret_source) {
        SshdLookup s = { .keyword = keyword };
        int r;

        r = sshd_file(c, "/etc/ssh/sshd_config", 0, &s);
        if (r < 0 || !s.value) {
                free(s.value);
                free(s.source);
                return r < 0 ? r : 0;
        }
        *ret_value = s.value;
        *ret_source = s.source;
        return 1;
}
