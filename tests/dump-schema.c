/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* Prints the key tables, one key per line: Section, Key, type (with its values, for enumerations, as
 * "enumeration (a, b, c)"), rules — for the man page test. */

#include <stdio.h>

#include "profile-schema.h"

int main(void) {
        PROFILE_FOREACH_KEY(k) {
                printf("%s\t%s\t%s", k->section, k->key, profile_value_type_to_string(k->type));
                if (k->type == PV_ENUM && k->enums) {
                        fputs(" (", stdout);
                        for (size_t v = 0; v < k->enums->n; v++)
                                printf("%s%s", v > 0 ? ", " : "", k->enums->names[v]);
                        fputs(")", stdout);
                }
                printf("\t%s\n", k->rules ?: "-");
        }
        return fflush(stdout) == 0 ? 0 : 1;
}
