/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include "rule-dump.h"

void rule_dump(FILE *f, const struct audit_rule_data *d) {
        unsigned n = d->field_count < AUDIT_MAX_FIELDS ? d->field_count : AUDIT_MAX_FIELDS;

        fprintf(f, "rule flags=%#x action=%u mask=", d->flags, d->action);
        for (unsigned i = 0; i < AUDIT_BITMASK_SIZE; i++)
                fprintf(f, "%08x", d->mask[i]);
        fprintf(f, " fields=%u", d->field_count);
        for (unsigned i = 0; i < n; i++)
                fprintf(f, " %u:%#x:%u", d->fields[i], d->fieldflags[i], d->values[i]);
        fprintf(f, " buf=");
        for (unsigned i = 0; i < d->buflen; i++)
                fprintf(f, "%02x", (unsigned char) d->buf[i]);
        fputc('\n', f);
}
