/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include "log.h"
#include "string-util.h"
#include "verbs.h"

static const Verb *verbs_find(const VerbTable *t, const char *name) {
        for (size_t i = 0; i < t->n_verbs; i++)
                if (streq(t->verbs[i].name, name))
                        return t->verbs + i;
        return NULL;
}

/* "See 'hardenctl --help'." or "Usage: hardenctl-etc prepare DIR … | relabel UPPER TARGET [PERSIST]". */
static char *usage_hint(const VerbTable *t) {
        _cleanup_free_ char *s = NULL;
        FILE *f;

        if (t->has_help)
                return strprintf("See '%s --help'.", program_invocation_short_name);

        f = open_memstream(&s, &(size_t){ 0 });
        if (!f)
                return NULL;
        fprintf(f, "Usage: %s%s%s", program_invocation_short_name, t->parent ? " " : "", strempty(t->parent));
        for (size_t i = 0; i < t->n_verbs; i++)
                fprintf(f, "%s %s%s%s", i > 0 ? " |" : "", t->verbs[i].name, isempty(t->verbs[i].args) ? "" : " ",
                        strempty(t->verbs[i].args));
        if (memstream_close(f, &s) < 0)
                return NULL;
        return TAKE_PTR(s);
}

int verbs_log_bad_args(const VerbTable *t, const char *verb, bool too_few) {
        const Verb *v = verbs_find(t, verb);

        assert(v);
        return log_error_errno(-EINVAL, "%s%s%s: too %s arguments (expected %s).", strempty(t->parent),
                               t->parent ? " " : "", v->name, too_few ? "few" : "many",
                               isempty(v->args) ? "none" : v->args);
}

/* "--json is not an option of apply, only of list-profiles, show-profile, status, check and verity." */
static int log_foreign_option(const VerbTable *t, const Verb *v, size_t option) {
        _cleanup_free_ char *others = NULL;
        size_t n = 0, k = 0;
        FILE *f;

        for (size_t i = 0; i < t->n_verbs; i++)
                n += (t->verbs[i].options >> option) & 1;

        f = open_memstream(&others, &(size_t){ 0 });
        if (!f)
                return log_oom();
        for (size_t i = 0; i < t->n_verbs; i++)
                if ((t->verbs[i].options >> option) & 1)
                        fprintf(f, "%s%s", k++ == 0 ? "" : k == n ? " and " : ", ", t->verbs[i].name);
        if (memstream_close(f, &others) < 0)
                return log_oom();

        return log_error_errno(-EINVAL, "%s is not an option of %s%s%s%s%s.", t->option_names[option],
                               strempty(t->parent), t->parent ? " " : "", v->name, n > 0 ? ", only of " : "", others);
}

int verbs_dispatch(const VerbTable *t, int argc, char *argv[], uint64_t options) {
        const Verb *v = argc > 0 ? verbs_find(t, argv[0]) : NULL;
        unsigned n;

        if (!v) {
                _cleanup_free_ char *hint = usage_hint(t);

                if (argc <= 0)
                        return log_error_errno(-EINVAL, "No %s%scommand given. %s", strempty(t->parent),
                                               t->parent ? " " : "", strempty(hint));
                return log_error_errno(-EINVAL, "Unknown %s%scommand '%s'. %s", strempty(t->parent),
                                       t->parent ? " " : "", argv[0], strempty(hint));
        }

        for (size_t i = 0; i < t->n_option_names; i++)
                if (((options & ~v->options) >> i) & 1)
                        return log_foreign_option(t, v, i);

        n = (unsigned) argc - 1;
        if (n < v->min_args)
                return verbs_log_bad_args(t, v->name, /* too_few= */ true);
        if (v->max_args != VERB_ANY && n > v->max_args)
                return verbs_log_bad_args(t, v->name, /* too_few= */ false);

        return v->run(argc, argv);
}

void verbs_help_commands(const VerbTable *t, FILE *f) {
        for (size_t i = 0; i < t->n_verbs; i++) {
                const Verb *v = t->verbs + i;
                _cleanup_free_ char *s = NULL;

                if (!v->help)
                        continue;
                s = strprintf("%s %s", v->name, strempty(v->args));
                fprintf(f, "  %-28s %s\n", s ?: v->name, v->help);
        }
}

void verbs_help_options(const VerbTable *t, FILE *f) {
        int width = 0;

        for (size_t i = 0; i < t->n_verbs; i++)
                width = MAX(width, (int) strlen(t->verbs[i].name));

        for (size_t i = 0; i < t->n_verbs; i++) {
                const Verb *v = t->verbs + i;

                if (!v->help)
                        continue;
                fprintf(f, "  %-*s", width, v->name);
                for (size_t j = 0; j < t->n_option_names; j++)
                        if ((v->options >> j) & 1)
                                fprintf(f, " %s", t->option_names[j]);
                fputc('\n', f);
        }
}
