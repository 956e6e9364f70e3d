/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* libFuzzer target: one audit rule in auditctl(8) syntax (audit_rule_parse()), each line of the input. */

#include "audit-rule.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        _cleanup_free_ char *text = fuzz_text(data, size);
        char *p, *line;

        if (!text || size > 64 * 1024)
                return 0;
        for (p = text; (line = strsep(&p, "\n"));) {
                _cleanup_free_ char *reason = NULL;
                AuditRule *r = NULL;

                if (audit_rule_parse(line, &r, &reason) >= 0)
                        audit_rule_free(r);
        }
        return 0;
}
