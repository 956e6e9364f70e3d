/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* Drop-in configuration read as its owners read it: the files of sysctl.d (systemd-sysctl) and
 * modprobe.d (kmod), with override by file name, and what they make of one sysctl or module. */

#include <fnmatch.h>

#include "path-util.h"
#include "parse-util.h"
#include "probe.h"
#include "string-util.h"
#include "strv.h"
#include "sysctl-util.h"

static int cmp_basename(const void *a, const void *b) {
        return strcmp(path_basename(*(char *const *) a), path_basename(*(char *const *) b));
}

int probe_conf_files(CheckContext *c, const char *const *dirs, size_t n_dirs, const char *suffix, char ***ret) {
        _cleanup_(strv_builder_done) StrvBuilder files = {}, names = {};
        char **l;
        int r;

        for (size_t i = 0; i < n_dirs; i++) {
                _cleanup_strv_free_ char **entries = NULL;

                r = probe_list_dir(c, dirs[i], probe_suffix_filter, suffix, &entries);
                if (r == -ENOMEM || r == -E2BIG)
                        return r;
                STRV_FOREACH(p, entries) {
                        const char *name = path_basename(*p);

                        /* A name in a directory of higher priority hides the same name below. */
                        if (strv_contains(names.l, name))
                                continue;
                        if (strv_builder_extend(&names, name) < 0 || strv_builder_extend(&files, *p) < 0)
                                return -ENOMEM;
                }
        }
        l = strv_builder_take(&files);
        if (l)
                qsort(l, strv_length(l), sizeof(char *), cmp_basename);
        *ret = l;
        return 0;
}

/* ---- the drop-in sets read once per check ---- */

static const char *const sysctl_dirs[] = { "/etc/sysctl.d", "/run/sysctl.d", "/usr/local/lib/sysctl.d",
                                           "/usr/lib/sysctl.d", "/lib/sysctl.d" };
static const char *const modprobe_dirs[] = { "/etc/modprobe.d", "/run/modprobe.d", "/usr/local/lib/modprobe.d",
                                             "/usr/lib/modprobe.d", "/lib/modprobe.d" };

static const struct {
        const char *const *dirs;
        size_t n_dirs, max; /* the bounded reader's limit per file: a few lines each, 1 MiB at most */
} conf_sets[_CONF_SET_MAX] = {
        [CONF_SYSCTL_D] = { sysctl_dirs, ELEMENTSOF(sysctl_dirs), 1024 * 1024 },
        [CONF_MODPROBE_D] = { modprobe_dirs, ELEMENTSOF(modprobe_dirs), 64 * 1024 },
};

int probe_conf_texts(CheckContext *c, ConfSet set, char *const **ret_paths, char *const **ret_texts) {
        ConfTexts *t = c->conf + set;

        if (!t->done) {
                _cleanup_(strv_builder_done) StrvBuilder names = {}, texts = {};
                _cleanup_strv_free_ char **files = NULL;

                t->done = true;
                t->r = probe_conf_files(c, conf_sets[set].dirs, conf_sets[set].n_dirs, ".conf", &files);
                /* A file masked by a link to /dev/null, or unreadable, sets nothing. */
                STRV_FOREACH(p, t->r >= 0 ? files : NULL) {
                        _cleanup_free_ char *text = NULL;

                        if (probe_read_file(c, *p, conf_sets[set].max, &text) < 0)
                                continue;
                        if (strv_builder_extend(&names, *p) < 0 || strv_builder_consume(&texts, TAKE_PTR(text)) < 0) {
                                t->r = -ENOMEM;
                                break;
                        }
                }
                t->paths = strv_builder_take(&names);
                t->texts = strv_builder_take(&texts);
        }
        if (t->r < 0)
                return t->r;
        *ret_paths = t->paths;
        *ret_texts = t->texts;
        return 0;
}

void conf_texts_done(ConfTexts *t) {
        strv_free(t->paths);
        strv_free(t->texts);
        *t = (ConfTexts){};
}

/* ---- sysctl.d ---- */

void sysctl_assignments_free(SysctlAssignment *a, size_t n) {
        for (size_t i = 0; i < n; i++) {
                free(a[i].key);
                free(a[i].value);
        }
        free(a);
}

/* Appends one sysctl.d file's assignments, in order: "-" prefixes dropped, names normalized (dotted). */
static int sysctl_d_parse(const char *path, const char *text, SysctlAssignment **list, size_t *n) {
        unsigned line = 0;

        for (const char *l = text; l && *l;) {
                const char *end = strchrnul(l, '\n');
                _cleanup_free_ char *t = strndup(l, end - l), *key = NULL;
                SysctlAssignment *grown;
                char *k, *eq, *v;

                l = *end ? end + 1 : NULL;
                line++;
                if (!t)
                        return -ENOMEM;
                k = strip_collapse_whitespace(t);
                if (isempty(k) || strchr("#;", k[0]))
                        continue;
                eq = strchr(k, '=');
                if (!eq)
                        continue;
                *eq = 0;
                v = eq + 1;
                k = strip_collapse_whitespace(k);
                v = strip_collapse_whitespace(v);
                if (k[0] == '-')
                        k++;
                if (sysctl_name_normalize(k, &key) < 0)
                        continue;
                grown = array_grow_pow2(*list, *n, sizeof(SysctlAssignment));
                if (!grown)
                        return -ENOMEM;
                *list = grown;
                grown[*n] = (SysctlAssignment){ .path = path, .line = line, .glob = strpbrk(key, "*?[") };
                grown[*n].value = strdup(v);
                if (!grown[*n].value)
                        return -ENOMEM;
                grown[(*n)++].key = TAKE_PTR(key);
        }
        return 0;
}

/* Applies assignments to name, in order: the last one wins, an explicit one over any glob that matches, in
 * any order, as systemd-sysctl reads them. */
static int sysctl_assignments_apply(const SysctlAssignment *a, size_t n, const char *name, SysctlSource *s) {
        for (size_t i = 0; i < n; i++) {
                if (!(a[i].glob ? fnmatch(a[i].key, name, 0) == 0 : streq(a[i].key, name)))
                        continue;
                if (a[i].glob && s->value && !s->glob)
                        continue;
                free(s->value);
                free(s->source);
                s->value = strdup(a[i].value);
                s->source = strprintf("%s:%u", a[i].path, a[i].line);
                if (!s->value || !s->source)
                        return -ENOMEM;
                s->glob = a[i].glob;
        }
        return 0;
}

int sysctl_d_scan(const char *path, const char *text, const char *name, SysctlSource *s) {
        SysctlAssignment *a = NULL;
        size_t n = 0;
        int r;

        r = sysctl_d_parse(path, text, &a, &n);
        if (r >= 0)
                r = sysctl_assignments_apply(a, n, name, s);
        sysctl_assignments_free(a, n);
        return r;
}

void sysctl_source_done(SysctlSource *s) {
        s->value = mfree(s->value);
        s->source = mfree(s->source);
}

int probe_sysctl_d(CheckContext *c, const char *name, SysctlSource *ret) {
        _cleanup_(sysctl_source_done) SysctlSource s = {};
        int r;

        /* Parsed once per check: a profile asks for dozens of sysctls. */
        if (!c->sysctl_d_done) {
                char *const *paths, *const *texts;

                c->sysctl_d_done = true;
                c->sysctl_d_r = probe_conf_texts(c, CONF_SYSCTL_D, &paths, &texts);
                for (size_t i = 0; c->sysctl_d_r >= 0 && texts && texts[i]; i++)
                        c->sysctl_d_r = sysctl_d_parse(paths[i], texts[i], &c->sysctl_d, &c->n_sysctl_d);
        }
        if (c->sysctl_d_r < 0)
                return c->sysctl_d_r;
        r = sysctl_assignments_apply(c->sysctl_d, c->n_sysctl_d, name, &s);
        if (r < 0)
                return r;
        *ret = s;
        s = (SysctlSource){};
        return 0;
}

/* ---- modprobe.d ---- */

/* kmod compares module names with '-' and '_' alike: both are '_' once normalized. */
static void module_name_normalize(char *s) {
        for (; *s; s++)
                if (*s == '-')
                        *s = '_';
}

int modprobe_scan(const char *path, const char *text, const char *module, ModprobeVerdict *v) {
        _cleanup_free_ char *want = strdup(module);
        unsigned line = 0;

        if (!want)
                return -ENOMEM;
        module_name_normalize(want);
        for (const char *l = text;;) {
                _cleanup_free_ char *t = NULL;
                unsigned first = line + 1;
                char *p, *cmd, *name;
                int r;

                /* A logical line: a '\' at the end continues it on the next, as kmod reads them. */
                r = logical_line_next(&l, &line, "", &t);
                if (r < 0)
                        return r;
                if (r == 0)
                        break;
                p = t + strspn(t, WHITESPACE);
                if (*p == '#')
                        continue;
                cmd = strsep(&p, WHITESPACE);
                if (!p)
                        continue;
                p += strspn(p, WHITESPACE);
                name = strsep(&p, WHITESPACE);
                if (isempty(name))
                        continue;
                module_name_normalize(name);
                if (fnmatch(name, want, 0) != 0)
                        continue;
                if (streq(cmd, "blacklist") && !v->blacklist) {
                        v->blacklist = strprintf("%s:%u", path, first);
                        if (!v->blacklist)
                                return -ENOMEM;
                } else if (streq(cmd, "install") && !v->install) {
                        /* The first install command for a module is the one modprobe runs. */
                        p = p ? p + strspn(p, WHITESPACE) : NULL;
                        v->install = strdup(strempty(p));
                        v->install_source = strprintf("%s:%u", path, first);
                        if (!v->install || !v->install_source)
                                return -ENOMEM;
                }
        }
        return 0;
}

bool modprobe_install_refuses(const char *command) {
        static const char *const refusing[] = { "/bin/false",    "/usr/bin/false", "/bin/true",
                                                "/usr/bin/true", "false",          "true" };
        _cleanup_free_ char *first = NULL;
        size_t n;

        if (!command)
                return false;
        command += strspn(command, WHITESPACE);
        n = strcspn(command, WHITESPACE ";|&");
        /* Only a command that is nothing but one of those: "/bin/false; modprobe --ignore-install x"
         * loads the module after all. */
        if (command[n + strspn(command + n, WHITESPACE)] != 0)
                return false;
        first = strndup(command, n);
        if (!first)
                return false;
        for (size_t i = 0; i < ELEMENTSOF(refusing); i++)
                if (streq(first, refusing[i]))
                        return true;
        return false;
}

void modprobe_verdict_done(ModprobeVerdict *v) {
        v->blacklist = mfree(v->blacklist);
        v->install = mfree(v->install);
        v->install_source = mfree(v->install_source);
}

/* The last "KEY=VALUE" of key in section of one file (other section headers end it), read as systemd's
 * configuration parser reads it: lines starting with '#' or ';' are comments (elsewhere '#' is part of
 * the value), a trailing backslash continues the line (as a space), the value is trimmed of blanks at
 * both ends, and an empty assignment resets the key to its default. */
static int systemd_conf_scan(const char *path, const char *text, const char *section, const char *key, char **value,
                             char **source) {
        size_t kl = strlen(key), sl = strlen(section);
        unsigned line = 0;
        bool in = false;

        for (const char *l = text; l && *l;) {
                _cleanup_free_ char *t = NULL;
                unsigned first = line + 1;
                char *p;
                char c0 = l[strspn(l, " \t")];
                int r;

                if (c0 == '#' || c0 == ';') { /* a comment is never continued */
                        l = strchr(l, '\n');
                        l = l ? l + 1 : NULL;
                        line++;
                        continue;
                }
                r = logical_line_next(&l, &line, " ", &t);
                if (r <= 0)
                        return r;
                p = t + strspn(t, " \t");
                if (*p == '[') {
                        in = strneq(p + 1, section, sl) && p[1 + sl] == ']';
                        continue;
                }
                if (!in || !strneq(p, key, kl))
                        continue;
                p += kl;
                p += strspn(p, " \t");
                if (*p != '=')
                        continue;
                p = strstrip(p + 1);
                free(*value);
                free(*source);
                *value = *source = NULL;
                if (isempty(p))
                        continue; /* reset to the default */
                *value = strdup(p);
                *source = strprintf("%s:%u", path, first);
                if (!*value || !*source)
                        return -ENOMEM;
        }
        return 0;
}

int probe_systemd_conf(CheckContext *c, const char *name, const char *section, const char *key, char **ret_value,
                       char **ret_source) {
        _cleanup_strv_free_ char **dropins = NULL;
        _cleanup_free_ char *main_text = NULL, *main_path = NULL, *value = NULL, *source = NULL;
        char *dirs[4] = {};
        int r;

        dirs[0] = strprintf("/etc/systemd/%s.conf.d", name);
        dirs[1] = strprintf("/run/systemd/%s.conf.d", name);
        dirs[2] = strprintf("/usr/local/lib/systemd/%s.conf.d", name);
        dirs[3] = strprintf("/usr/lib/systemd/%s.conf.d", name);
        r = dirs[0] && dirs[1] && dirs[2] && dirs[3] ?
                    probe_conf_files(c, (const char *const *) dirs, ELEMENTSOF(dirs), ".conf", &dropins) :
                    -ENOMEM;
        for (size_t i = 0; i < ELEMENTSOF(dirs); i++)
                free(dirs[i]);
        if (r < 0)
                return r;
        /* The main file, the first of /etc, /run, /usr/local/lib and /usr/lib that has one (systemd 252
         * reads /etc's alone, and Debian 12 ships no other), then the drop-ins. */
        for (size_t k = 0; k < ELEMENTSOF(dirs) && !main_text; k++) {
                static const char *const prefixes[] = { "/etc", "/run", "/usr/local/lib", "/usr/lib" };

                free(main_path);
                main_path = strprintf("%s/systemd/%s.conf", prefixes[k], name);
                if (!main_path)
                        return -ENOMEM;
                r = probe_read_file(c, main_path, 0, &main_text);
                if (r == -ENOMEM)
                        return r;
        }
        if (main_text) {
                r = systemd_conf_scan(main_path, main_text, section, key, &value, &source);
                if (r < 0)
                        return r;
        }
        STRV_FOREACH(d, dropins) {
                _cleanup_free_ char *text = NULL;

                r = probe_read_file(c, *d, 0, &text);
                if (r == -ENOMEM)
                        return r;
                if (r < 0)
                        continue;
                r = systemd_conf_scan(*d, text, section, key, &value, &source);
                if (r < 0)
                        return r;
        }
        *ret_value = TAKE_PTR(value);
        *ret_source = TAKE_PTR(source);
        return 0;
}
