/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* "audit-stig-coverage RULES-FILE PROFILE…": how many rules of RULES-FILE (auditd's 30-stig.rules) each
 * profile loads. A rule is covered by a profile rule that is the same rule but for its key: the same list,
 * action, system calls, fields, operators and values; a watched path with or without a trailing slash,
 * and as dir= or path= where it is not a directory on this machine (-w gives dir= only where the
 * directory exists). Or it is covered by a broader rule, one that records every event it records,
 * counted apart (see audit_rule_covers()). Prints one line per profile and the lines of RULES-FILE it does
 * not cover. Never talks to the kernel. */

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>

#include <libaudit.h>

#include "audit-load.h"
#include "audit-rule.h"
#include "profile-load.h"

int main(int argc, char *argv[]) {
        int ret = EXIT_SUCCESS;

        if (argc < 3) {
                fprintf(stderr, "usage: audit-stig-coverage RULES-FILE PROFILE...\n");
                return EXIT_FAILURE;
        }
        _cleanup_close_ int root_fd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (root_fd < 0) {
                fprintf(stderr, "/: %s\n", strerror(errno));
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
                                        hit = MAX(hit, audit_rule_covers(p->audit.parsed_rules[i]->data, rule->data,
                                                                         root_fd));
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
