/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* libFuzzer target: passwd and group (accounts_parse()); the input is passwd, a NUL byte, then group. */

#include "fuzz.h"
#include "probe.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        _cleanup_free_ char *text = fuzz_text(data, size);
        Accounts a = {};

        if (!text)
                return 0;
        /* fuzz_text() keeps a NUL of the input: what follows the first one is the group file. */
        if (accounts_parse(text, text + strlen(text) + (strlen(text) < size ? 1 : 0), &a) >= 0) {
                for (size_t i = 0; i < a.n_groups; i++)
                        (void) accounts_group(&a, a.groups[i].name);
                accounts_done(&a);
        }
        return 0;
}
