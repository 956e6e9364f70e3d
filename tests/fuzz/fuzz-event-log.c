/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* libFuzzer target: the TPM event log (attest_log_parse()) and its replay. */

#include "attest-event.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        _cleanup_(attest_log_done) AttestLog l = {};
        _cleanup_free_ char *error = NULL;
        uint8_t value[ATTEST_DIGEST_SIZE];

        if (attest_log_parse((const char *) data, size, &l, &error) >= 0)
                (void) attest_log_replay(&l, ATTEST_PCR, value);
        return 0;
}
