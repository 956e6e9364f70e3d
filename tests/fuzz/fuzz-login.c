/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* libFuzzer target: one text read as /etc/login.defs (login_defs_get()), /etc/shadow (shadow_parse())
 * and /etc/shells (shells_parse()). */

#include "fuzz.h"
#include "probe.h"
#include "strv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        static const char *const keys[] = { "PASS_MAX_DAYS", "ENCRYPT_METHOD", "UID_MIN" };
        _cleanup_free_ char *text = fuzz_text(data, size);
        _cleanup_strv_free_ char **shells = NULL;
        ShadowEntry *e = NULL;
        size_t n = 0;

        if (!text)
                return 0;
        for (size_t i = 0; i < ELEMENTSOF(keys); i++) {
                _cleanup_free_ char *v = NULL;
                unsigned line;

                (void) login_defs_get(text, keys[i], &v, &line);
        }
        if (shadow_parse(text, &e, &n) >= 0)
                for (size_t i = 0; i < n; i++)
                        (void) shadow_hash_locked(e[i].hash);
        shadow_entries_free(e, n);
        (void) shells_parse(text, &shells);
        return 0;
}
