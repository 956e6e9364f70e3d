/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* What lets sudo skip the password: NOPASSWD tags and !authenticate defaults in ROOT/etc/sudoers and
 * the files it includes. */

#include <ctype.h>

#include "path-util.h"
#include "parse-util.h"
#include "probe.h"
#include "string-util.h"

void sudo_findings_done(SudoFindings *s) {
        for (size_t i = 0; i < s->n; i++) {
                free(s->items[i].file);
                free(s->items[i].text);
        }
        free(s->items);
        strv_free(s->files);
        *s = (SudoFindings){};
}

static int finding_add(SudoFindings *f, const char *path, unsigned line, SudoFindingKind kind, const char *text) {
        SudoFinding *n = f->items;

        /* Room for powers of two, grown when full: appends in amortized constant time. */
        if ((f->n & (f->n - 1)) == 0) {
                n = reallocarray(f->items, MAX(f->n * 2, 1U), sizeof(SudoFinding));
                if (!n)
                        return -ENOMEM;
                f->items = n;
        }
        n[f->n] = (SudoFinding){ .file = strdup(path), .line = line, .kind = kind, .text = strdup(text) };
        if (!n[f->n].file || !n[f->n].text) {
                free(n[f->n].file);
                free(n[f->n].text);
                return -ENOMEM;
        }
        f->n++;
        return 0;
}

/* A word of the line equal to word, followed (after blanks) by ':' when colon is set. */
static bool has_tag(const char *s, const char *word, bool colon) {
        size_t n = strlen(word);

        for (const char *p = strstr(s, word); p; p = strstr(p + 1, word)) {
                const char *q = p + n;

                if (p > s && (isalnum((unsigned char) p[-1]) || p[-1] == '_'))
                        continue;
                if (colon) {
                        q += strspn(q, " \t");
                        if (*q == ':')
                                return true;
                } else if (!isalnum((unsigned char) *q) && *q != '_')
                        return true;
        }
        return false;
}

static bool defaults_negate_authenticate(const char *s) {
        if (!startswith(s, "Defaults"))
                return false;
        for (const char *p = strchr(s, '!'); p; p = strchr(p + 1, '!')) {
                const char *q = p + 1 + strspn(p + 1, " \t");

                if (startswith(q, "authenticate") && !isalnum((unsigned char) q[STRLEN("authenticate")]) &&
                    q[STRLEN("authenticate")] != '_')
                        return true;
        }
        return false;
}

static char *include_target(const char *path, const char *arg) {
        _cleanup_free_ char *dir = NULL;
        const char *slash;

        if (path_is_absolute(arg))
                return strdup(arg);
        slash = strrchr(path, '/');
        dir = slash ? strndup(path, slash - path) : strdup("/etc");
        return dir ? path_join(isempty(dir) ? "/" : dir, arg) : NULL;
}

int sudoers_scan(const char *path, const char *text, SudoFindings *f, char ***includes) {
        _cleanup_free_ char *logical = NULL;
        size_t len = 0, n_includes = 0;
        unsigned lineno = 0, first = 0;
        int r;

        logical = malloc(strlen(text) + 1);
        if (!logical)
                return -ENOMEM;

        for (const char *l = text; *l;) {
                const char *end = strchrnul(l, '\n');
                size_t n = end - l;
                bool cont;
                char *s, *hash;

                lineno++;
                if (len == 0)
                        first = lineno;
                cont = n > 0 && l[n - 1] == '\\';
                memcpy(logical + len, l, cont ? n - 1 : n);
                len += cont ? n - 1 : n;
                logical[len] = 0;
                l = *end ? end + 1 : end;
                if (cont && *l)
                        continue;
                len = 0;

                s = logical + strspn(logical, " \t");
                if ((startswith(s, "#include") || startswith(s, "@include")) &&
                    (s[8] == ' ' || s[8] == '\t' || startswith(s + 8, "dir"))) {
                        bool dir = startswith(s + 8, "dir");
                        char *arg = strstrip(s + 8 + (dir ? 3 : 0));
                        _cleanup_free_ char *t = NULL;

                        if (isempty(arg))
                                continue;
                        if (arg[0] == '"' && endswith(arg, "\"") && strlen(arg) >= 2) {
                                arg[strlen(arg) - 1] = 0;
                                arg++;
                        }
                        t = include_target(path, arg);
                        if (!t)
                                return -ENOMEM;
                        /* No more are ever read than INCLUDE_FILES_MAX in all (strv_extend() counts the
                         * list: a file of a million includes would cost a trillion steps). */
                        if (++n_includes > INCLUDE_FILES_MAX)
                                return -ELOOP;
                        if (dir) {
                                char *d = strprintf("%s/", t);
                                if (!d)
                                        return -ENOMEM;
                                r = strv_consume(includes, d);
                        } else
                                r = strv_extend(includes, t);
                        if (r < 0)
                                return r;
                        continue;
                }

                /* A '#' starts a comment, unless it is a uid ("#1000") right after the start or a blank. */
                for (hash = strchr(s, '#'); hash; hash = strchr(hash + 1, '#'))
                        if (!((hash == s || hash[-1] == ' ' || hash[-1] == '\t' || hash[-1] == ',') &&
                              isdigit((unsigned char) hash[1]))) {
                                *hash = 0;
                                break;
                        }
                s = strstrip(s);
                if (isempty(s))
                        continue;

                /* Collapse blanks for the evidence. */
                {
                        char *w = s;
                        bool blank = false;
                        for (char *p = s; *p; p++) {
                                if (*p == ' ' || *p == '\t') {
                                        blank = true;
                                        continue;
                                }
                                if (blank)
                                        *w++ = ' ';
                                blank = false;
                                *w++ = *p;
                        }
                        *w = 0;
                }

                if (!startswith(s, "Defaults") && has_tag(s, "NOPASSWD", true)) {
                        r = finding_add(f, path, first, SUDO_NOPASSWD, s);
                        if (r < 0)
                                return r;
                }
                if (defaults_negate_authenticate(s)) {
                        r = finding_add(f, path, first, SUDO_NOT_AUTHENTICATE, s);
                        if (r < 0)
                                return r;
                }
        }
        return 0;
}

static int sudoers_file(CheckContext *c, const char *path, unsigned depth, SudoFindings *f);

/* As sudo: skip names with a '.' and editor backups. */
static bool sudoers_dir_filter(const char *name, const void *userdata) {
        return !strchr(name, '.') && !endswith(name, "~");
}

static int sudoers_dir(CheckContext *c, const char *dir, unsigned depth, SudoFindings *f) {
        _cleanup_strv_free_ char **paths = NULL;
        int r;

        r = probe_list_dir(c, dir, sudoers_dir_filter, NULL, &paths);
        if (r < 0)
                return r;
        STRV_FOREACH(p, paths) {
                r = sudoers_file(c, *p, depth + 1, f);
                if (r < 0 && r != -ENOENT && r != -EISDIR)
                        return r;
        }
        return 0;
}

static int sudoers_file(CheckContext *c, const char *path, unsigned depth, SudoFindings *f) {
        _cleanup_strv_free_ char **includes = NULL;
        _cleanup_free_ char *text = NULL;
        int r;

        if (depth > INCLUDE_DEPTH_MAX || strv_length(f->files) >= INCLUDE_FILES_MAX)
                return -ELOOP;
        r = probe_read_file(c, path, ACCOUNTS_FILE_MAX, &text);
        if (r < 0)
                return r;
        r = strv_extend(&f->files, path);
        if (r < 0)
                return r;
        r = sudoers_scan(path, text, f, &includes);
        if (r < 0)
                return r;

        STRV_FOREACH(i, includes) {
                if (endswith(*i, "/")) {
                        _cleanup_free_ char *d = strndup(*i, strlen(*i) - 1);

                        if (!d)
                                return -ENOMEM;
                        r = sudoers_dir(c, d, depth, f);
                } else {
                        r = sudoers_file(c, *i, depth + 1, f);
                        if (r == -ENOENT)
                                r = 0;
                }
                if (r < 0)
                        return r;
        }
        return 0;
}

int probe_sudoers(CheckContext *c, const SudoFindings **ret) {
        if (!c->sudo_done) {
                c->sudo_done = true;
                c->sudo_r = sudoers_file(c, "/etc/sudoers", 0, &c->sudo);
        }
        if (c->sudo_r < 0)
                return c->sudo_r;
        *ret = &c->sudo;
        return 0;
}

int sudoers_defaults_get(const char *path, const char *text, const char *option, SudoDefault *d) {
        size_t on = strlen(option);
        unsigned line = 0;

        for (const char *l = text;;) {
                _cleanup_free_ char *t = NULL;
                unsigned first = line + 1;
                const char *p;
                int r;

                /* A logical line: '\' at the end continues it. */
                r = logical_line_next(&l, &line, " ", &t);
                if (r < 0)
                        return r;
                if (r == 0)
                        break;
                p = t + strspn(t, " \t");
                /* Only the global "Defaults": not Defaults:user, @host, >runas or !command. */
                if (!startswith(p, "Defaults") || !strchr(" \t", p[8]))
                        continue;
                p += 8;
                while (*p) {
                        const char *w, *e;
                        bool neg;

                        p += strspn(p, " \t,");
                        w = p;
                        /* One option: up to a ',' outside quotes. */
                        for (bool q = false; *p && (q || *p != ','); p++)
                                if (*p == '"')
                                        q = !q;
                        e = p;
                        while (e > w && strchr(" \t", e[-1]))
                                e--;
                        neg = *w == '!';
                        if (neg)
                                w++;
                        while (*w == '!')
                                w++;
                        if ((size_t) (e - w) < on || !strneq(w, option, on))
                                continue;
                        w += on;
                        while (w < e && strchr(" \t", *w))
                                w++;
                        if (w != e && *w != '=')
                                continue;
                        free(d->value);
                        free(d->source);
                        if (w == e)
                                d->value = strdup(neg ? "!" : "");
                        else {
                                w++;
                                while (w < e && strchr(" \t", *w))
                                        w++;
                                if (*w == '"' && e - w >= 2 && e[-1] == '"')
                                        d->value = strndup(w + 1, e - w - 2);
                                else
                                        d->value = strndup(w, e - w);
                        }
                        d->source = strprintf("%s:%u", path, first);
                        if (!d->value || !d->source)
                                return -ENOMEM;
                }
        }
        return 0;
}

void sudo_default_done(SudoDefault *d) {
        d->value = mfree(d->value);
        d->source = mfree(d->source);
}

int probe_sudo_default(CheckContext *c, const SudoFindings *f, const char *option, SudoDefault *d) {
        STRV_FOREACH(p, f->files) {
                _cleanup_free_ char *text = NULL;
                int r;

                if (probe_read_file(c, *p, ACCOUNTS_FILE_MAX, &text) < 0)
                        continue;
                r = sudoers_defaults_get(*p, text, option, d);
                if (r < 0)
                        return r;
        }
        return 0;
}
