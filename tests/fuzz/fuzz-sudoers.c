/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* libFuzzer target: one sudoers file (sudoers_scan()): NOPASSWD, !authenticate, includes; and its global
 * Defaults (sudoers_defaults_get()). */

#include "fuzz.h"
#include "probe.h"
#include "strv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        static const char *const options[] = { "use_pty", "logfile", "timestamp_timeout" };
        _cleanup_free_ char *text = fuzz_text(data, size);
        _cleanup_strv_free_ char **includes = NULL;
        SudoFindings f = {};

        if (!text)
                return 0;
        (void) sudoers_scan("/etc/sudoers", text, &f, &includes);
        sudo_findings_done(&f);
        for (size_t i = 0; i < ELEMENTSOF(options); i++) {
                _cleanup_(sudo_default_done) SudoDefault d = {};

                (void) sudoers_defaults_get("/etc/sudoers", text, options[i], &d);
        }
        return 0;
}
