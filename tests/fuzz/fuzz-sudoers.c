/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* libFuzzer target: one sudoers file (sudoers_scan()): NOPASSWD, !authenticate, includes. */

#include "fuzz.h"
#include "probe.h"
#include "strv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        _cleanup_free_ char *text = fuzz_text(data, size);
        _cleanup_strv_free_ char **includes = NULL;
        SudoFindings f = {};

        if (!text)
                return 0;
        (void) sudoers_scan("/etc/sudoers", text, &f, &includes);
        sudo_findings_done(&f);
        return 0;
}
