/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* "audit-stig-coverage RULES-FILE PROFILE…": how many rules of RULES-FILE (auditd's 30-stig.rules) each
 * profile loads. A rule is covered by a profile rule that is the same rule but for its key: the same list,
 * action, system calls, fields, operators and values; a watched directory counts whether the rule says
 * dir= or path= and with or without a trailing slash (-w gives dir= only where the directory exists).
 * Or it is covered by a broader rule, one that records every event it records (see covers()), counted
 * apart. Prints one line per profile and the lines of RULES-FILE it does not cover. Never talks to the
 * kernel. */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <libaudit.h>

#include "audit-rule.h"
#include "profile-load.h"

typedef struct Field {
        uint32_t type, op, value;
        char *str;
} Field;

/* The fields of d but the key, strings unpacked, watched paths without trailing slashes. */
static size_t fields_of(const struct audit_rule_data *d, Field out[static AUDIT_MAX_FIELDS]) {
        size_t n = 0, off = 0;

        for (uint32_t i = 0; i < d->field_count && i < AUDIT_MAX_FIELDS; i++) {
                uint32_t t = d->fields[i], v = d->values[i];
                bool str = t == AUDIT_WATCH || t == AUDIT_DIR || t == AUDIT_FILTERKEY || t == AUDIT_EXE ||
                           (t >= AUDIT_SUBJ_USER && t <= AUDIT_SUBJ_CLR) ||
                           (t >= AUDIT_OBJ_USER && t <= AUDIT_OBJ_LEV_HIGH);
                char *s = NULL;

                if (str) {
                        s = strndup(d->buf + off, v);
                        off += v;
                        if (!s)
                                exit(EXIT_FAILURE);
                }
                if (t == AUDIT_FILTERKEY) {
                        free(s);
                        continue;
                }
                if (t == AUDIT_WATCH || t == AUDIT_DIR) {
                        size_t len = strlen(s);

                        while (len > 1 && s[len - 1] == '/')
                                s[--len] = 0;
                        t = AUDIT_WATCH;
                        v = 0;
                }
                out[n++] = (Field){ t, d->fieldflags[i], str ? 0 : v, s };
        }
        return n;
}

static void fields_free(Field *f, size_t n) {
        for (size_t i = 0; i < n; i++)
                free(f[i].str);
}

static bool field_eq(const Field *a, const Field *b) {
        return a->type == b->type && a->op == b->op && a->value == b->value &&
               (!a->str || (b->str && strcmp(a->str, b->str) == 0));
}

/* How rule a (a profile's) covers rule b (the file's): 2 if it is the same rule but for its key; 1 if it
 * is broader, so that it records every event b records: the same list and action, every system call of
 * b, and no field that b does not have (auditd 4.0's files state a watch as one rule per arch=, which
 * the watch without arch= covers); 0 otherwise. */
static int covers(const struct audit_rule_data *a, const struct audit_rule_data *b) {
        Field fa[AUDIT_MAX_FIELDS], fb[AUDIT_MAX_FIELDS];
        size_t na, nb;
        bool same, sub;

        if ((a->flags & AUDIT_FILTER_MASK) != (b->flags & AUDIT_FILTER_MASK) || a->action != b->action)
                return 0;
        for (size_t i = 0; i < AUDIT_BITMASK_SIZE; i++)
                if ((a->mask[i] & b->mask[i]) != b->mask[i])
                        return 0;
        na = fields_of(a, fa);
        nb = fields_of(b, fb);
        same = na == nb && memcmp(a->mask, b->mask, sizeof(a->mask)) == 0;
        for (size_t i = 0; same && i < na; i++)
                same = field_eq(&fa[i], &fb[i]);
        sub = a->action == AUDIT_ALWAYS; /* a broader never rule would suppress more, not record more */
        for (size_t i = 0; !same && sub && i < na; i++) {
                bool found = false;

                for (size_t j = 0; !found && j < nb; j++)
                        found = field_eq(&fa[i], &fb[j]);
                sub = found;
        }
        fields_free(fa, na);
        fields_free(fb, nb);
        return same ? 2 : sub ? 1 : 0;
}

int main(int argc, char *argv[]) {
        int ret = EXIT_SUCCESS;

        if (argc < 3) {
                fprintf(stderr, "usage: audit-stig-coverage RULES-FILE PROFILE...\n");
                return EXIT_FAILURE;
        }
        for (int k = 2; k < argc; k++) {
                ProfileLoadOptions o = { .root_fd = -1 };
                _cleanup_(profile_diags_done) ProfileDiags diags = {};
                _cleanup_(profile_freep) Profile *p = NULL;
                FILE *f = fopen(argv[1], "re");
                char *line = NULL, *missing = NULL;
                size_t size = 0, msize = 0;
                unsigned n = 0, rules = 0, covered = 0, broader = 0;
                FILE *m = open_memstream(&missing, &msize);
                int r;

                if (!f || !m) {
                        fprintf(stderr, "%s: %s\n", argv[1], strerror(errno));
                        return EXIT_FAILURE;
                }
                r = profile_load(&o, argv[k], &p, &diags);
                if (r < 0) {
                        fprintf(stderr, "%s: cannot load: %s\n", argv[k], strerror(-r));
                        return EXIT_FAILURE;
                }
                while (getline(&line, &size, f) >= 0) {
                        AuditRule *rule = NULL;
                        AuditControl c;
                        uint32_t v;
                        char *reason = NULL;
                        int hit = 0;

                        n++;
                        line[strcspn(line, "\n")] = 0;
                        if (audit_line_parse(line, &rule, &c, &v, &reason) == AUDIT_LINE_RULE) {
                                rules++;
                                for (size_t i = 0; i < p->audit.n_parsed_rules && hit < 2; i++)
                                        hit = MAX(hit, covers(p->audit.parsed_rules[i]->data, rule->data));
                                if (hit > 0)
                                        covered++;
                                if (hit == 1)
                                        broader++;
                                else if (hit == 0)
                                        fprintf(m, " %u", n);
                        }
                        audit_rule_free(rule);
                        free(reason);
                }
                fclose(m);
                printf("%s: %u of %u rules of %s (%u identical, %u by a broader rule)%s%s\n",
                       p->name ? p->name : argv[k], covered, rules, argv[1], covered - broader, broader,
                       missing[0] ? "; not covered: lines" : "", missing);
                free(missing);
                free(line);
                fclose(f);
        }
        return ret;
}
