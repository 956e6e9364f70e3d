/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* PAM as libpam reads it: a service's stack from /etc/pam.d with its @include lines expanded where
 * they stand, and the settings files of the modules (pwquality.conf, faillock.conf, pwhistory.conf). */

#include "path-util.h"
#include "probe.h"
#include "string-util.h"
#include "strv.h"

void pam_stack_done(PamStack *s) {
        for (size_t i = 0; i < s->n; i++) {
                free(s->lines[i].source);
                free(s->lines[i].type);
                free(s->lines[i].control);
                free(s->lines[i].module);
                strv_free(s->lines[i].args);
        }
        free(s->lines);
        *s = (PamStack){};
}

/* The next word of a PAM line; a "[...]" control or argument is one word even with blanks inside. */
static char *pam_word(const char **p) {
        const char *s = *p + strspn(*p, WHITESPACE), *e;

        if (!*s)
                return NULL;
        if (*s == '[') {
                e = strchr(s, ']');
                e = e ? e + 1 : s + strlen(s);
        } else
                e = s + strcspn(s, WHITESPACE);
        *p = e;
        return strndup(s, e - s);
}

int pam_parse(const char *path, const char *text, PamStack *s, char ***ret_includes) {
        unsigned line = 0;

        for (const char *l = text; l && *l;) {
                const char *end = strchrnul(l, '\n'), *p;
                _cleanup_free_ char *t = NULL, *type = NULL;
                PamLine *n;

                line++;
                t = strndup(l, end - l);
                l = *end ? end + 1 : NULL;
                if (!t)
                        return -ENOMEM;
                t[strcspn(t, "#")] = 0;
                p = t;
                type = pam_word(&p);
                if (!type)
                        continue;
                if (streq(type, "@include")) {
                        _cleanup_free_ char *inc = pam_word(&p);

                        if (inc && strv_extend(ret_includes, inc) < 0)
                                return -ENOMEM;
                        /* Marks where the included stack goes. */
                }
                n = array_grow_pow2(s->lines, s->n, sizeof(PamLine));
                if (!n)
                        return -ENOMEM;
                s->lines = n;
                n += s->n++;
                *n = (PamLine){ .source = strprintf("%s:%u", path, line) };
                if (!n->source)
                        return -ENOMEM;
                if (streq(type, "@include")) {
                        n->type = strdup("@include");
                        if (!n->type)
                                return -ENOMEM;
                        continue;
                }
                n->type = strdup(type[0] == '-' ? type + 1 : type);
                n->control = pam_word(&p);
                n->module = pam_word(&p);
                if (!n->type)
                        return -ENOMEM;
                for (char *a; (a = pam_word(&p));)
                        if (strv_consume(&n->args, a) < 0)
                                return -ENOMEM;
        }
        return 0;
}

static int pam_read(CheckContext *c, const char *service, unsigned depth, PamStack *s) {
        _cleanup_free_ char *path = NULL, *text = NULL;
        _cleanup_strv_free_ char **includes = NULL;
        PamStack mine = {};
        size_t inc = 0;
        int r;

        if (depth > INCLUDE_DEPTH_MAX)
                return -ELOOP;
        path = path_join("/etc/pam.d", service);
        if (!path)
                return -ENOMEM;
        r = probe_read_file(c, path, 1024 * 1024, &text);
        if (r < 0)
                return r;
        r = pam_parse(path, text, &mine, &includes);
        if (r < 0)
                goto finish;
        /* Each line in order, an @include replaced by the stack of the file it names. */
        for (size_t i = 0; i < mine.n; i++) {
                PamLine *l = mine.lines + i, *n;

                if (streq(l->type, "@include")) {
                        const char *name = includes && includes[inc] ? includes[inc++] : NULL;

                        if (name && !strchr(name, '/')) {
                                r = pam_read(c, name, depth + 1, s);
                                if (r < 0 && r != -ENOENT)
                                        goto finish;
                        }
                        continue;
                }
                n = array_grow_pow2(s->lines, s->n, sizeof(PamLine));
                if (!n) {
                        r = -ENOMEM;
                        goto finish;
                }
                s->lines = n;
                n[s->n++] = *l;
                *l = (PamLine){};
        }
        r = 0;
finish:
        pam_stack_done(&mine);
        return r;
}

int probe_pam_stack(CheckContext *c, const char *service, PamStack *ret) {
        PamStack s = {};
        int r;

        r = pam_read(c, service, 0, &s);
        if (r < 0) {
                pam_stack_done(&s);
                return r;
        }
        *ret = s;
        return 0;
}

const char *pam_line_arg(const PamLine *l, const char *name) {
        size_t n = strlen(name);

        STRV_FOREACH(a, l->args)
                if (strneq(*a, name, n) && ((*a)[n] == '=' || (*a)[n] == 0))
                        return (*a)[n] == '=' ? *a + n + 1 : *a + n;
        return NULL;
}

bool pam_line_is(const PamLine *l, const char *type, const char *module) {
        const char *b;

        if (!l->module || !streq(l->type, type))
                return false;
        b = strrchr(l->module, '/');
        return streq(b ? b + 1 : l->module, module);
}

int pam_conf_get(const char *text, const char *key, char **ret_value, unsigned *ret_line) {
        size_t kl = strlen(key);
        unsigned line = 0;
        char *found = NULL;

        /* "key = value" or a bare "key" (a flag); '#' comments; the last assignment counts. */
        for (const char *l = text; l && *l;) {
                const char *end = strchrnul(l, '\n'), *p = l + strspn(l, " \t");

                line++;
                l = *end ? end + 1 : NULL;
                if ((size_t) (end - p) < kl || !strneq(p, key, kl) || !strchr(" \t=\n", p[kl] ?: '\n'))
                        continue;
                p += kl;
                p += strspn(p, " \t");
                if (*p == '=')
                        p++;
                p += strspn(p, " \t");
                free(found);
                found = strndup(p, strcspn(p, " \t\n#"));
                if (!found)
                        return -ENOMEM;
                *ret_line = line;
        }
        if (!found)
                return 0;
        *ret_value = found;
        return 1;
}
