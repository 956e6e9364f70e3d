/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* libFuzzer target: dpkg's status file (dpkg_parse()). */

#include "fuzz.h"
#include "probe.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        _cleanup_free_ char *text = fuzz_text(data, size);
        DpkgDatabase db = {};

        if (text && dpkg_parse(text, &db) >= 0)
                dpkg_database_done(&db);
        return 0;
}
