/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* The kernel command line, the running one and the next boot's: kernel-install's /etc/kernel/cmdline, or
 * what grub-mkconfig makes of /etc/default/grub and /etc/default/grub.d/\*.cfg, which it sources as
 * shell in that order (the last assignment counts, and one may extend another: $GRUB_CMDLINE_LINUX). */

#include <ctype.h>

#include "proc-cmdline.h"
#include "probe.h"
#include "string-util.h"
#include "strv.h"

int probe_cmdline(CheckContext *c, const char **ret) {
        if (!c->cmdline_done) {
                c->cmdline_done = true;
                c->cmdline_r = probe_read_line(c, "/proc/cmdline", &c->cmdline);
        }
        if (c->cmdline_r < 0)
                return c->cmdline_r;
        *ret = c->cmdline;
        return 0;
}

typedef struct CmdlineWant {
        char *key;         /* normalized as proc_cmdline_parse() does: '-' → '_' */
        const char *value; /* NULL for a bare word */
        bool found;
        char *actual;
} CmdlineWant;

static int cmdline_cb(const char *key, const char *value, void *userdata) {
        CmdlineWant *w = userdata;
        char *a;

        if (!streq(key, w->key))
                return 0;
        a = strdup(value ?: "");
        if (!a)
                return -ENOMEM;
        free(w->actual);
        w->actual = a;
        w->found = w->value ? streq(w->value, a) : true;
        return 0;
}

int cmdline_has(const char *cmdline, const char *want, char **ret_actual) {
        _cleanup_free_ char *key = NULL;
        CmdlineWant w = {};
        const char *eq = strchr(want, '=');
        int r;

        key = eq ? strndup(want, eq - want) : strdup(want);
        if (!key)
                return -ENOMEM;
        for (char *s = key; *s; s++)
                if (*s == '-')
                        *s = '_';
        w.key = key;
        w.value = eq ? eq + 1 : NULL;

        r = proc_cmdline_parse(cmdline, false, cmdline_cb, &w);
        if (r < 0) {
                free(w.actual);
                return r;
        }
        if (ret_actual)
                *ret_actual = w.actual;
        else
                free(w.actual);
        return w.found;
}

/* ---- GRUB's defaults, as the shell reads them ---- */

enum { GRUB_LINUX, GRUB_LINUX_DEFAULT, GRUB_DISABLE_RECOVERY, _GRUB_VAR_MAX };

static const char *const grub_var_names[_GRUB_VAR_MAX] = {
        [GRUB_LINUX] = "GRUB_CMDLINE_LINUX",
        [GRUB_LINUX_DEFAULT] = "GRUB_CMDLINE_LINUX_DEFAULT",
        [GRUB_DISABLE_RECOVERY] = "GRUB_DISABLE_RECOVERY",
};

typedef struct GrubDefaults {
        char *value[_GRUB_VAR_MAX];  /* NULL while unset */
        char *source[_GRUB_VAR_MAX]; /* the file of the last assignment */
} GrubDefaults;

static void grub_defaults_done(GrubDefaults *g) {
        for (size_t i = 0; i < _GRUB_VAR_MAX; i++) {
                free(g->value[i]);
                free(g->source[i]);
        }
}

#define NAME_CHARS "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_"

/* $NAME or ${NAME} at *p (just after the '$'): appends the variable's value (a variable other than ours,
 * or unset, is empty), or the '$' itself when no name follows. */
static void expand(FILE *out, const char **p, const GrubDefaults *g) {
        const char *s = *p;
        bool braced = *s == '{';
        size_t n;

        s += braced;
        n = isdigit((unsigned char) *s) ? 0 : strspn(s, NAME_CHARS);
        if (n == 0 || (braced && s[n] != '}')) {
                fputc('$', out);
                return;
        }
        for (size_t i = 0; i < _GRUB_VAR_MAX; i++)
                if (strlen(grub_var_names[i]) == n && strneq(s, grub_var_names[i], n) && g->value[i])
                        fputs(g->value[i], out);
        *p = s + n + braced;
}

/* One shell word at *p, quotes removed and our variables expanded, up to unquoted blank, newline or ';'
 * (quoted text may span lines). *p is left after it. ret may be NULL to skip the word. */
static int shell_word(const char **p, const GrubDefaults *g, char **ret) {
        _cleanup_free_ char *buf = NULL;
        size_t size = 0;
        FILE *out = open_memstream(&buf, &size);
        const char *s = *p;

        if (!out)
                return -ENOMEM;
        while (*s && !strchr(" \t\n;", *s)) {
                char q = *s;

                if (q == '\'') {
                        const char *end = strchrnul(s + 1, '\'');

                        fwrite(s + 1, 1, end - s - 1, out);
                        s = *end ? end + 1 : end;
                } else if (q == '"') {
                        for (s++; *s && *s != '"';) {
                                if (*s == '\\' && s[1] && strchr("$`\"\\\n", s[1])) {
                                        if (s[1] != '\n')
                                                fputc(s[1], out);
                                        s += 2;
                                } else if (*s == '$') {
                                        s++;
                                        expand(out, &s, g);
                                } else
                                        fputc(*s++, out);
                        }
                        s += *s == '"';
                } else if (q == '\\' && s[1]) {
                        if (s[1] != '\n')
                                fputc(s[1], out);
                        s += 2;
                } else if (q == '$') {
                        s++;
                        expand(out, &s, g);
                } else
                        fputc(*s++, out);
        }
        *p = s;
        if (fclose(out) != 0)
                return -ENOMEM;
        if (ret)
                *ret = TAKE_PTR(buf);
        return 0;
}

/* Runs the assignments of one defaults file in order: NAME=WORD, optionally after "export"; every other
 * command is passed over word by word. */
static int grub_defaults_read(const char *path, const char *text, GrubDefaults *g) {
        for (const char *p = text; *p;) {
                size_t n;
                int r;

                p += strspn(p, " \t");
                if (*p == '#') {
                        p = strchrnul(p, '\n');
                        continue;
                }
                if (*p == '\n' || *p == ';') {
                        p++;
                        continue;
                }
                if (startswith(p, "export") && (p[6] == ' ' || p[6] == '\t')) {
                        p += 6;
                        continue;
                }
                n = isdigit((unsigned char) *p) ? 0 : strspn(p, NAME_CHARS);
                if (n > 0 && p[n] == '=') {
                        const char *name = p;
                        char *value;

                        p += n + 1;
                        r = shell_word(&p, g, &value);
                        if (r < 0)
                                return r;
                        for (size_t i = 0; i < _GRUB_VAR_MAX; i++)
                                if (strlen(grub_var_names[i]) == n && strneq(name, grub_var_names[i], n)) {
                                        char *source = strdup(path);

                                        if (!source) {
                                                free(value);
                                                return -ENOMEM;
                                        }
                                        free(g->value[i]);
                                        free(g->source[i]);
                                        g->value[i] = TAKE_PTR(value);
                                        g->source[i] = source;
                                        break;
                                }
                        free(value);
                        continue;
                }
                r = shell_word(&p, g, NULL);
                if (r < 0)
                        return r;
        }
        return 0;
}

/* /etc/default/grub, then the files of grub.d, as grub-mkconfig sources them. Returns -ENOENT if none
 * sets a command line. */
static int grub_defaults(CheckContext *c, GrubDefaults *g) {
        _cleanup_strv_free_ char **files = NULL;
        int r;

        r = probe_list_dir(c, "/etc/default/grub.d", probe_suffix_filter, ".cfg", &files);
        if (r == -ENOMEM)
                return r;
        for (size_t i = 0; i <= strv_length(files); i++) {
                const char *path = i == 0 ? "/etc/default/grub" : files[i - 1];
                _cleanup_free_ char *text = NULL;

                r = probe_read_file(c, path, 0, &text);
                if (r == -ENOMEM)
                        return r;
                if (r < 0)
                        continue;
                r = grub_defaults_read(path, text, g);
                if (r < 0)
                        return r;
        }
        return g->value[GRUB_LINUX] || g->value[GRUB_LINUX_DEFAULT] ? 0 : -ENOENT;
}

int result_next_boot_cmdline(CheckContext *c, ComplianceResult *x, const char *word) {
        _cleanup_(grub_defaults_done) GrubDefaults g = {};
        _cleanup_free_ char *text = NULL;
        int r, in[2] = {};

        r = probe_read_file(c, "/etc/kernel/cmdline", 0, &text);
        if (r == -ENOMEM)
                return r;
        if (r >= 0) {
                r = cmdline_has(text, word, NULL);
                if (r < 0)
                        return r;
                text[strcspn(text, "\n")] = '\0';
                return result_evidence(x, "/etc/kernel/cmdline", word, text) ?: r;
        }
        r = grub_defaults(c, &g);
        if (r < 0)
                return r;
        for (size_t i = GRUB_LINUX; i <= GRUB_LINUX_DEFAULT; i++) {
                if (!g.value[i])
                        continue;
                in[i] = cmdline_has(g.value[i], word, NULL);
                if (in[i] < 0)
                        return in[i];
                r = result_evidence(x, check_tmp(c, "%s %s=", g.source[i], grub_var_names[i]), word, g.value[i]);
                if (r < 0)
                        return r;
        }
        if (in[GRUB_LINUX] || !in[GRUB_LINUX_DEFAULT])
                return in[GRUB_LINUX];
        /* Only in GRUB_CMDLINE_LINUX_DEFAULT: the recovery entries boot without it, unless there are none. */
        if (streq_ptr(g.value[GRUB_DISABLE_RECOVERY], "true"))
                return 1;
        r = result_evidence(x, g.source[GRUB_DISABLE_RECOVERY] ?: "/etc/default/grub",
                            check_tmp(c, "GRUB_DISABLE_RECOVERY=true, or %s in GRUB_CMDLINE_LINUX", word),
                            check_tmp(c, "GRUB_DISABLE_RECOVERY=%s: the recovery entries boot without %s",
                                      g.value[GRUB_DISABLE_RECOVERY] ?: "", word));
        return r < 0 ? r : 0;
}

int result_cmdline_words(CheckContext *c, ComplianceResult *x, const char *const *words, size_t n, const char *what) {
        const char *missing_next = NULL, *missing_now = NULL, *cmdline;
        bool next = true, now;
        int r;

        for (size_t i = 0; i < n && next; i++) {
                r = result_next_boot_cmdline(c, x, words[i]);
                if (r == -ENOMEM)
                        return r;
                if (r == -ENOENT) {
                        next = false;
                        r = result_evidence(x, "/etc/kernel/cmdline /etc/default/grub", what,
                                            "neither sets a command line");
                        if (r < 0)
                                return r;
                } else if (r == 0 && !missing_next)
                        missing_next = words[i];
        }
        r = probe_cmdline(c, &cmdline);
        now = r >= 0;
        if (r < 0 && (c->live || r != -ENOENT || !next))
                return result_missing_state(c, x, r, "/proc/cmdline");
        for (size_t i = 0; i < n && now; i++) {
                int k = cmdline_has(cmdline, words[i], NULL);

                if (k < 0)
                        return k;
                r = result_evidence(x, "/proc/cmdline", words[i], k > 0 ? "present" : "absent");
                if (r < 0)
                        return r;
                if (k == 0 && !missing_now)
                        missing_now = words[i];
        }
        if (missing_now)
                return result_set(x, RULE_FAIL, "%s is not on the running kernel's command line", missing_now);
        if (missing_next)
                return result_set(x, RULE_FAIL, "%s is not on the next boot's command line", missing_next);
        if (!next)
                return result_set(x, RULE_PASS,
                                  "The running kernel's command line has %s (the tree keeps none for the next boot)",
                                  what);
        if (!now)
                return result_set(x, RULE_PASS, "The next boot's command line has %s", what);
        return result_set(x, RULE_PASS, "The kernel's command line has %s, now and at the next boot", what);
}
