/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* Splitting a line of an audit rules file as auditctl(8) does: into words (fileopt()'s preprocessing and
 * audit_strsplit()), then into options (getopt_long() with auditctl's option string). */

#include "audit-line-split.h"
#include "string-util.h"
#include "strv.h"

/* The words of a line as auditctl splits it: at spaces (not tabs), with "\ " a space inside a word and
 * "\\" a backslash. */
int audit_line_split_words(const char *line, char ***ret, char **ret_reason) {
        _cleanup_strv_free_ char **words = NULL;
        _cleanup_free_ char *w = NULL;
        size_t n = 0;

        for (const char *p = line;; p++) {
                if (*p == ' ' || *p == 0) {
                        if (w) {
                                if (strv_consume(&words, TAKE_PTR(w)) < 0)
                                        return -ENOMEM;
                                n = 0;
                        }
                        if (*p == 0)
                                break;
                        continue;
                }
                if (!w) {
                        w = new0(char, strlen(p) + 1);
                        if (!w)
                                return -ENOMEM;
                }
                if (*p == '\\' && (p[1] == ' ' || p[1] == '\\'))
                        p++;
                else if ((unsigned char) *p < ' ' || *p == 0x7f)
                        return reason_fail(ret_reason, *p == '\t' ?
                                                               "a tab between words (auditctl splits only at spaces)" :
                                                               "control character in the line");
                w[n++] = *p;
        }
        *ret = TAKE_PTR(words);
        return 0;
}

/* The line as written, runs of spaces between words made one: what a rules file written from it gives
 * auditctl again (escapes kept). */
char *audit_line_normalize(const char *line) {
        char *t = new0(char, strlen(line) + 1), *o = t;
        bool space = false;

        if (!t)
                return NULL;
        for (const char *p = line; *p; p++) {
                if (*p == ' ') {
                        space = o > t;
                        continue;
                }
                if (space)
                        *o++ = ' ';
                space = false;
                if (*p == '\\' && (p[1] == ' ' || p[1] == '\\'))
                        *o++ = *p++;
                *o++ = *p;
        }
        *o = 0;
        return t;
}

static const struct {
        const char *name;
        int c;
        bool has_arg;
} long_options[] = {
        { "loginuid-immutable", LONG_LOGINUID_IMMUTABLE, false },
        { "backlog_wait_time", LONG_BACKLOG_WAIT_TIME, true },
        { "reset-lost", LONG_RESET_LOST, false },
        { "reset_backlog_wait_time_actual", LONG_RESET_BACKLOG_WAIT_TIME_ACTUAL, false },
        { "signal", LONG_SIGNAL, true },
};

#define SHORT_NO_ARG "hicslDvt"
#define SHORT_ARG "CefrbaAdSFmRwWkpq"

int audit_line_split_options(char **words, Option **ret, size_t *ret_n, char **ret_reason) {
        _cleanup_free_ Option *opts = NULL;
        size_t n = 0, nw = strv_length(words), max = 1;

        /* A word is one long option, or as many short ones as it has letters ("-ccccc"). */
        for (size_t i = 0; i < nw; i++)
                max += MAX(strlen(words[i]), (size_t) 1);
        opts = new0(Option, max);
        if (!opts)
                return -ENOMEM;

        for (size_t i = 0; i < nw; i++) {
                const char *w = words[i];

                if (w[0] != '-' || w[1] == 0 || streq(w, "--"))
                        return reason_fail(ret_reason, "unexpected word '%s' (not an option, nor an option's value)", w);
                if (w[1] == '-') {
                        const char *name = w + 2, *eq = strchr(name, '=');
                        size_t len = eq ? (size_t) (eq - name) : strlen(name);
                        int found = -1, matches = 0;

                        for (size_t k = 0; k < ELEMENTSOF(long_options); k++) {
                                if (strncmp(long_options[k].name, name, len) != 0)
                                        continue;
                                if (strlen(long_options[k].name) == len) {
                                        found = (int) k;
                                        matches = 1;
                                        break;
                                }
                                found = (int) k;
                                matches++;
                        }
                        if (matches != 1)
                                return reason_fail(ret_reason, "%s option '%s'", matches == 0 ? "unknown" : "ambiguous",
                                                   w);
                        opts[n].c = long_options[found].c;
                        if (long_options[found].has_arg) {
                                if (eq)
                                        opts[n].arg = eq + 1;
                                else if (i + 1 < nw)
                                        opts[n].arg = words[++i];
                                else
                                        return reason_fail(ret_reason, "option '--%s' needs a value",
                                                           long_options[found].name);
                        } else if (eq)
                                return reason_fail(ret_reason, "option '--%s' takes no value", long_options[found].name);
                        n++;
                        continue;
                }
                for (const char *c = w + 1; *c; c++) {
                        if (strchr(SHORT_NO_ARG, *c)) {
                                opts[n++].c = *c;
                                continue;
                        }
                        if (!strchr(SHORT_ARG, *c))
                                return reason_fail(ret_reason, "unknown option '-%c'", *c);
                        opts[n].c = *c;
                        if (c[1])
                                opts[n].arg = c + 1;
                        else if (i + 1 < nw)
                                opts[n].arg = words[++i];
                        else
                                return reason_fail(ret_reason, "option '-%c' needs a value", *c);
                        n++;
                        break;
                }
        }
        *ret = TAKE_PTR(opts);
        *ret_n = n;
        return 0;
}

const char *audit_option_name(const Option *o, char buf[static 3]) {
        for (size_t k = 0; k < ELEMENTSOF(long_options); k++)
                if (long_options[k].c == o->c)
                        return long_options[k].name;
        buf[0] = '-';
        buf[1] = (char) o->c;
        buf[2] = 0;
        return buf;
}
