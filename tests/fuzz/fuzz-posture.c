/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* libFuzzer target: the posture record (posture_from_json()), and what is measured from it. */

#include "attest-event.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        _cleanup_(posture_done) Posture p = {};
        _cleanup_(attest_log_done) AttestLog l = {};
        _cleanup_free_ char *text = fuzz_text(data, size), *error = NULL, *again = NULL;

        if (text && posture_from_json(text, &p, &error) >= 0) {
                (void) posture_to_json(&p, &again);
                (void) attest_log_from_posture(&p, &l);
        }
        return 0;
}
