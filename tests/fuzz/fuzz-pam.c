/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* libFuzzer target: one /etc/pam.d file (pam_parse(), pam_line_is(), pam_line_arg()) and one module
 * settings file (pam_conf_get()). */

#include "fuzz.h"
#include "probe.h"
#include "strv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        _cleanup_free_ char *text = fuzz_text(data, size), *v = NULL;
        _cleanup_strv_free_ char **includes = NULL;
        _cleanup_(pam_stack_done) PamStack s = {};
        unsigned line;

        if (!text)
                return 0;
        if (pam_parse("/etc/pam.d/common-auth", text, &s, &includes) >= 0)
                for (size_t i = 0; i < s.n; i++)
                        if (pam_line_is(s.lines + i, "auth", "pam_faillock.so"))
                                (void) pam_line_arg(s.lines + i, "deny");
        (void) pam_conf_get(text, "minlen", &v, &line);
        return 0;
}
