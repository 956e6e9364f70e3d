/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "macro.h"

/* The words and options of one line of an audit rules file, as auditctl(8) splits it; used by
 * audit_line_parse() (audit-rule-parse.c). */

/* The options auditctl knows, as getopt_long() finds them: short ones with their argument attached or
 * in the next word, long ones by a unique prefix, "--name=value" or "--name value". */
typedef struct Option {
        int c;           /* the option letter, or one of the LONG_* below */
        const char *arg; /* inside the words, or NULL */
} Option;

enum {
        LONG_LOGINUID_IMMUTABLE = 256,
        LONG_BACKLOG_WAIT_TIME,
        LONG_RESET_LOST,
        LONG_RESET_BACKLOG_WAIT_TIME_ACTUAL,
        LONG_SIGNAL,
};

/* The words of line: split at spaces (not tabs), "\\ " a space inside a word and "\\\\" a backslash.
 * Returns 0 (*ret NULL for a line of spaces), -EINVAL with *ret_reason, or -ENOMEM. */
int audit_line_split_words(const char *line, char ***ret, char **ret_reason);

/* The options in words; each arg points into words. Any word that is neither an option nor an option's
 * value is an error. Returns 0, -EINVAL with *ret_reason, or -ENOMEM. */
int audit_line_split_options(char **words, Option **ret, size_t *ret_n, char **ret_reason);

/* The line as written with each run of spaces made one (escapes kept); NULL on OOM. */
char *audit_line_normalize(const char *line);

/* "-a", "--backlog_wait_time", … for messages. */
const char *audit_option_name(const Option *o, char buf[static 3]);
