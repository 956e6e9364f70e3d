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

/* ---- every setting, in the order sshd reads them ---- */

typedef struct SshdRead {
        SshdEntry *entries;
        size_t n;
        unsigned files;
} SshdRead;

static int sshd_read_file(CheckContext *c, const char *path, unsigned depth, bool in_match, SshdRead *s);

static int sshd_read_include(CheckContext *c, const char *pattern, unsigned depth, bool in_match, SshdRead *s) {
        _cleanup_free_ char *full = NULL, *dir = NULL;
        _cleanup_strv_free_ char **paths = NULL;
        const char *base;
        int r;

        full = path_is_absolute(pattern) ? strdup(pattern) : path_join("/etc/ssh", pattern);
        if (!full)
                return -ENOMEM;
        base = path_basename(full);
        if (!strpbrk(base, "*?[")) {
                r = sshd_read_file(c, full, depth + 1, in_match, s);
                return r == -ENOENT ? 0 : r;
        }
        dir = strndup(full, base - full);
        if (!dir)
                return -ENOMEM;
        if (strpbrk(dir, "*?["))
                return -EOPNOTSUPP;
        r = probe_list_dir(c, dir, sshd_include_filter, base, &paths);
        if (r < 0)
                return r;
        STRV_FOREACH(p, paths) {
                r = sshd_read_file(c, *p, depth + 1, in_match, s);
                if (r < 0 && r != -ENOENT && r != -EISDIR)
                        return r;
        }
        return 0;
}

static int sshd_read_file(CheckContext *c, const char *path, unsigned depth, bool in_match, SshdRead *s) {
        _cleanup_free_ char *text = NULL, *match = NULL;
        unsigned line = 0;
        int r;

        if (depth > INCLUDE_DEPTH_MAX || ++s->files > INCLUDE_FILES_MAX)
                return -ELOOP;
        r = probe_read_file(c, path, ACCOUNTS_FILE_MAX, &text);
        if (r < 0)
                return r;

        for (char *l = text, *next; l; l = next) {
                _cleanup_free_ char *kw = NULL;
                const char *p;
                SshdEntry *e;
                char *eq;

                next = strchr(l, '\n');
                if (next)
                        *next++ = 0;
                line++;
                l = strstrip(l);
                if (isempty(l) || l[0] == '#')
                        continue;
                eq = strchr(l, '=');
                if (eq && (size_t) (eq - l) <= strcspn(l, " \t"))
                        *eq = ' ';
                p = l;
                if (extract_first_word(&p, &kw) <= 0)
                        continue;
                p += strspn(p, WHITESPACE);
                if (strcasecmp(kw, "Match") == 0) {
                        /* Conditional until the next Match or the end of the file; "Match all" is every
                         * connection again. */
                        in_match = strcasecmp(p, "all") != 0;
                        free(match);
                        match = in_match ? strprintf("Match %s (%s:%u)", p, path, line) : NULL;
                        if (in_match && !match)
                                return -ENOMEM;
                        continue;
                }
                if (strcasecmp(kw, "Include") == 0) {
                        for (;;) {
                                _cleanup_free_ char *pat = NULL;

                                if (extract_first_word(&p, &pat) <= 0)
                                        break;
                                r = sshd_read_include(c, pat, depth, in_match, s);
                                if (r < 0)
                                        return r;
                        }
                        continue;
                }
                e = array_grow_pow2(s->entries, s->n, sizeof(SshdEntry));
                if (!e)
                        return -ENOMEM;
                s->entries = e;
                e += s->n;
                *e = (SshdEntry){
                        .keyword = strdup(kw),
                        .value = strdup(p),
                        .source = strprintf("%s:%u", path, line),
                        .match = match ? strdup(match) : NULL,
                };
                s->n++;
                if (!e->keyword || !e->value || !e->source || (match && !e->match))
                        return -ENOMEM;
                strip_collapse_whitespace(e->value);
        }
        return 0;
}

void sshd_config_done(SshdConfig *s) {
        for (size_t i = 0; i < s->n; i++) {
                free(s->entries[i].keyword);
                free(s->entries[i].value);
                free(s->entries[i].source);
                free(s->entries[i].match);
        }
        free(s->entries);
        *s = (SshdConfig){};
}

int probe_sshd_config(CheckContext *c, SshdConfig *ret) {
        SshdRead s = {};
        int r;

        r = sshd_read_file(c, "/etc/ssh/sshd_config", 0, false, &s);
        if (r < 0) {
                SshdConfig t = { s.entries, s.n };
                sshd_config_done(&t);
                return r;
        }
        *ret = (SshdConfig){ s.entries, s.n };
        return 0;
}

const SshdEntry *sshd_config_get(const SshdConfig *s, const char *keyword) {
        for (size_t i = 0; i < s->n; i++)
                if (!s->entries[i].match && strcasecmp(s->entries[i].keyword, keyword) == 0)
                        return s->entries + i;
        return NULL;
}
