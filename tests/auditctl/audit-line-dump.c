/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* hardenctl's side of tests/test-auditctl-diff.sh: reads each line of the rule files given, as a profile's
 * RulesFile= does (audit_line_parse()), and writes what it makes of it in the form the auditctl shim writes:
 *
 *     FILE:LINE rule flags=… (the struct audit_rule_data, rule-dump.h)
 *     FILE:LINE control -b 8192
 *     FILE:LINE refused REASON
 *
 * Blank and comment lines give nothing. Never talks to the kernel. */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "audit-rule.h"
#include "rule-dump.h"

/* libaudit asks the kernel which fields the exclude and filesystem lists take; the auditctl shim answers
 * for auditctl, and this for hardenctl's parser, the same. */
__attribute__((visibility("default"))) uint32_t audit_get_features(void) {
        return RULE_DUMP_FEATURES;
}

static int dump_file(const char *path) {
        FILE *f = fopen(path, "re");
        char *line = NULL;
        size_t size = 0;
        unsigned n = 0;

        if (!f) {
                fprintf(stderr, "%s: %s\n", path, strerror(errno));
                return -errno;
        }
        while (getline(&line, &size, f) >= 0) {
                AuditRule *rule = NULL;
                AuditControl control;
                uint32_t value;
                char *reason = NULL;
                int r;

                n++;
                line[strcspn(line, "\n")] = 0;
                r = audit_line_parse(line, &rule, &control, &value, &reason);
                if (r == -ENOMEM) {
                        fprintf(stderr, "out of memory\n");
                        exit(EXIT_FAILURE);
                }
                if (r < 0)
                        printf("%s:%u refused %s\n", path, n, reason ? reason : "?");
                else if (r == AUDIT_LINE_RULE) {
                        printf("%s:%u ", path, n);
                        rule_dump(stdout, rule->data);
                } else if (r == AUDIT_LINE_CONTROL)
                        printf("%s:%u control %s %u\n", path, n, audit_control_to_string(control), value);
                audit_rule_free(rule);
                free(reason);
        }
        free(line);
        fclose(f);
        return 0;
}

int main(int argc, char *argv[]) {
        int r = 0;

        for (int i = 1; i < argc; i++)
                if (dump_file(argv[i]) < 0)
                        r = EXIT_FAILURE;
        return r;
}
