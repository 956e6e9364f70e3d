/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <ctype.h>
#include <dirent.h>
#include <fcntl.h>
#include <fnmatch.h>

#include "fs-util.h"
#include "parse-util.h"
#include "path-util.h"
#include "probe.h"
#include "string-util.h"
#include "strv.h"

#define ACCOUNTS_FILE_MAX (16U * 1024U * 1024U)
#define INCLUDE_DEPTH_MAX 8U
#define INCLUDE_FILES_MAX 256U

/* ---- passwd and group ---- */

void accounts_done(Accounts *a) {
        for (size_t i = 0; i < a->n_users; i++) {
                free(a->users[i].name);
                free(a->users[i].shell);
        }
        free(a->users);
        for (size_t i = 0; i < a->n_groups; i++) {
                free(a->groups[i].name);
                strv_free(a->groups[i].members);
        }
        free(a->groups);
        *a = (Accounts) {};
}

/* Splits one colon-separated line into at most n fields; returns the number found. */
static size_t split_colon(char *line, char **fields, size_t n) {
        size_t k = 0;

        for (char *s = line, *t; k < n && (t = strsep(&s, ":"));)
                fields[k++] = t;
        return k;
}

int accounts_parse(const char *passwd, const char *group, Accounts *ret) {
        Accounts a = {};
        int r = -ENOMEM;

        for (const char *l = passwd ?: ""; *l;) {
                const char *end = strchrnul(l, '\n');
                _cleanup_free_ char *line = strndup(l, end - l);
                char *f[7];
                unsigned uid, gid;
                PasswdEntry *n;

                l = *end ? end + 1 : end;
                if (!line)
                        goto fail;
                if (line[0] == '#' || line[0] == '+' || line[0] == '-' ||
                    split_colon(line, f, 7) != 7 || isempty(f[0]) || safe_atou(f[2], &uid) < 0 ||
                    safe_atou(f[3], &gid) < 0)
                        continue; /* not an account (NIS markers, comments, malformed) */
                n = reallocarray(a.users, a.n_users + 1, sizeof(PasswdEntry));
                if (!n)
                        goto fail;
                a.users = n;
                n[a.n_users] = (PasswdEntry) { .name = strdup(f[0]), .uid = uid, .gid = gid, .shell = strdup(f[6]) };
                if (!n[a.n_users].name || !n[a.n_users].shell) {
                        free(n[a.n_users].name);
                        free(n[a.n_users].shell);
                        goto fail;
                }
                a.n_users++;
        }

        for (const char *l = group ?: ""; *l;) {
                const char *end = strchrnul(l, '\n');
                _cleanup_free_ char *line = strndup(l, end - l);
                _cleanup_(strv_builder_done) StrvBuilder members = {};
                char *f[4];
                unsigned gid;
                GroupEntry *n;

                l = *end ? end + 1 : end;
                if (!line)
                        goto fail;
                if (line[0] == '#' || line[0] == '+' || line[0] == '-' || split_colon(line, f, 4) != 4 ||
                    isempty(f[0]) || safe_atou(f[2], &gid) < 0)
                        continue;
                for (char *s = f[3], *t; (t = strsep(&s, ","));)
                        if (!isempty(t) && strv_builder_extend(&members, t) < 0)
                                goto fail;
                n = reallocarray(a.groups, a.n_groups + 1, sizeof(GroupEntry));
                if (!n)
                        goto fail;
                a.groups = n;
                n[a.n_groups] = (GroupEntry) { .name = strdup(f[0]), .gid = gid, .members = strv_builder_take(&members) };
                if (!n[a.n_groups].name) {
                        strv_free(n[a.n_groups].members);
                        goto fail;
                }
                a.n_groups++;
        }

        *ret = a;
        return 0;
fail:
        accounts_done(&a);
        return r;
}

int probe_accounts(CheckContext *c, const Accounts **ret) {
        if (!c->accounts_done) {
                _cleanup_free_ char *passwd = NULL, *group = NULL;

                c->accounts_done = true;
                c->accounts_r = probe_read_file(c, "/etc/passwd", ACCOUNTS_FILE_MAX, &passwd);
                if (c->accounts_r >= 0)
                        c->accounts_r = probe_read_file(c, "/etc/group", ACCOUNTS_FILE_MAX, &group);
                if (c->accounts_r >= 0)
                        c->accounts_r = accounts_parse(passwd, group, &c->accounts);
        }
        if (c->accounts_r < 0)
                return c->accounts_r;
        *ret = &c->accounts;
        return 0;
}

const GroupEntry *accounts_group(const Accounts *a, const char *name) {
        for (size_t i = 0; i < a->n_groups; i++)
                if (streq(a->groups[i].name, name))
                        return a->groups + i;
        return NULL;
}

/* ---- sudoers ---- */

void sudo_findings_done(SudoFindings *s) {
        for (size_t i = 0; i < s->n; i++) {
                free(s->items[i].file);
                free(s->items[i].text);
        }
        free(s->items);
        strv_free(s->files);
        *s = (SudoFindings) {};
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
        n[f->n] = (SudoFinding) { .file = strdup(path), .line = line, .kind = kind, .text = strdup(text) };
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
        size_t len = 0;
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
                if ((startswith(s, "#include") || startswith(s, "@include")) && (s[8] == ' ' || s[8] == '\t' || startswith(s + 8, "dir"))) {
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

static int sudoers_dir(CheckContext *c, const char *dir, unsigned depth, SudoFindings *f) {
        _cleanup_strv_free_ char **names = NULL;
        _cleanup_close_ int fd = -EBADF;
        DIR *d;
        int r;

        fd = open_in_root(c->root_fd, dir, O_RDONLY | O_DIRECTORY);
        if (fd == -ENOENT)
                return 0;
        if (fd < 0)
                return fd;
        d = fdopendir(fd);
        if (!d)
                return negative_errno();
        TAKE_FD(fd);
        for (struct dirent *de; (de = readdir(d));) {
                /* As sudo: skip names with a '.' and editor backups. */
                if (strchr(de->d_name, '.') || endswith(de->d_name, "~"))
                        continue;
                if (strv_extend(&names, de->d_name) < 0) {
                        closedir(d);
                        return -ENOMEM;
                }
        }
        closedir(d);
        strv_sort(names);

        STRV_FOREACH(n, names) {
                _cleanup_free_ char *p = path_join(dir, *n);

                if (!p)
                        return -ENOMEM;
                r = sudoers_file(c, p, depth + 1, f);
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

/* ---- sshd_config ---- */

typedef struct SshdLookup {
        const char *keyword;
        char *value;
        char *source;
        unsigned files;
} SshdLookup;

static int sshd_file(CheckContext *c, const char *path, unsigned depth, SshdLookup *s);

static int sshd_include(CheckContext *c, const char *pattern, unsigned depth, SshdLookup *s) {
        _cleanup_free_ char *full = NULL, *dir = NULL;
        _cleanup_strv_free_ char **names = NULL;
        _cleanup_close_ int fd = -EBADF;
        const char *base;
        DIR *d;
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
        fd = open_in_root(c->root_fd, dir, O_RDONLY | O_DIRECTORY);
        if (fd == -ENOENT)
                return 0;
        if (fd < 0)
                return fd;
        d = fdopendir(fd);
        if (!d)
                return negative_errno();
        TAKE_FD(fd);
        for (struct dirent *de; (de = readdir(d));)
                if (de->d_name[0] != '.' && fnmatch(base, de->d_name, FNM_PERIOD) == 0 &&
                    strv_extend(&names, de->d_name) < 0) {
                        closedir(d);
                        return -ENOMEM;
                }
        closedir(d);
        strv_sort(names);

        STRV_FOREACH(n, names) {
                _cleanup_free_ char *p = path_join(dir, *n);

                if (!p)
                        return -ENOMEM;
                r = sshd_file(c, p, depth + 1, s);
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
