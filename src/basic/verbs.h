/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <limits.h>

#include "macro.h"

/* A program's verbs as a table, as systemd's tools have them (src/id128/id128.c): each verb with the
 * number of arguments it takes and, for a program with per-verb options, the options it takes, as
 * cryptsetup checks them. One dispatcher checks both, logs what was wrong once, and runs the verb. */

#define VERB_ANY UINT_MAX

typedef struct Verb {
        const char *name;
        unsigned min_args, max_args;        /* not counting the verb itself; VERB_ANY: any number */
        int (*run)(int argc, char *argv[]); /* argv[0] is the verb */
        const char *args;                   /* the arguments, for usage errors and help: "NAME|PATH", "" for none */
        const char *help;                   /* one line for --help, or NULL */
        uint64_t options; /* the options this verb takes: bit i stands for VerbTable.option_names[i] */
} Verb;

typedef struct VerbTable {
        const Verb *verbs;
        size_t n_verbs;
        /* A verb's own verbs ("format" of "hardenctl verity format") name the verb here; NULL at the
         * top. */
        const char *parent;
        /* The options a verb may or may not take, as they are written ("--root=", "--dry-run"), indexed
         * by bit; NULL for a program without per-verb options. */
        const char *const *option_names;
        size_t n_option_names;
        /* The program has --help: usage errors point there. Otherwise they say the usage. */
        bool has_help;
} VerbTable;

/* Runs the verb argv[0] of t with its arguments. options are the bits of the options given on the
 * command line. Returns what the verb returns; or, having logged the usage error, -EINVAL when no verb
 * or an unknown one is given, the verb does not take one of the options, or the number of arguments
 * is wrong. */
int verbs_dispatch(const VerbTable *t, int argc, char *argv[], uint64_t options);

/* For a verb whose arguments need more than min_args and max_args to check: logs as the dispatcher
 * does that verb got too few (or too many) arguments, and returns -EINVAL. */
int verbs_log_bad_args(const VerbTable *t, const char *verb, bool too_few);

/* For --help: one line a verb, "  NAME ARGS   HELP". */
void verbs_help_commands(const VerbTable *t, FILE *f);

/* For --help: one line a verb, "  NAME   OPTION…", the options it takes. */
void verbs_help_options(const VerbTable *t, FILE *f);
