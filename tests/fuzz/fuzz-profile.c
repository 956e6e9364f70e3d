/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* libFuzzer target: the profile lexer, every key parser, diagnostics and the JSON writer, on one file's
 * text, in strict and lenient mode. */

#include <json-c/json.h>

#include "fuzz.h"
#include "profile-json.h"
#include "profile-lexer.h"
#include "profile-load.h"

static int count_event(const LexEvent *ev, void *userdata) {
        size_t *n = userdata;

        (*n)++;
        return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        static const unsigned modes[] = { PROFILE_LOAD_STRICT, 0 };
        size_t events = 0;

        (void) profile_lex((const char *) data, size, count_event, &events);

        for (size_t m = 0; m < ELEMENTSOF(modes); m++) {
                _cleanup_(profile_diags_done) ProfileDiags diags = {};
                _cleanup_(profile_freep) Profile *p = NULL;
                int r;

                r = profile_parse_buffer("fuzz.profile", (const char *) data, size, modes[m], &p, &diags);

                for (size_t i = 0; i < diags.n; i++)
                        free(profile_diag_format(diags.items + i));

                if (r >= 0) {
                        struct json_object *j = NULL;

                        if (profile_to_json(p, &j) >= 0) {
                                (void) json_object_to_json_string_ext(j, JSON_C_TO_STRING_PLAIN);
                                json_object_put(j);
                        }
                }
        }
        return 0;
}
