/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* libFuzzer target: the record of an applied profile (apply_record_parse()). */

#include "fuzz.h"
#include "plan.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        _cleanup_(apply_record_done) ApplyRecord rec = {};
        _cleanup_free_ char *text = fuzz_text(data, size);

        if (text)
                (void) apply_record_parse(text, &rec);
        return 0;
}
