/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* The fixture of the compliance tests: a check context over an empty profile and a temporary root,
 * and the report its results go to. */

#include <fcntl.h>

#include "compliance.h"
#include "probe.h"
#include "tests.h"

typedef struct Fixture {
        char *root;
        int root_fd;
        Profile *profile;
        ComplianceReport report;
        CheckContext c;
} Fixture;

static inline void fixture_init(Fixture *f) {
        *f = (Fixture){ .root = test_tmpdir() };
        f->root_fd = open(f->root, O_PATH | O_DIRECTORY | O_CLOEXEC);
        ck_assert_int_ge(f->root_fd, 0);
        f->profile = profile_new();
        ck_assert_ptr_nonnull(f->profile);
        ck_assert_int_eq(check_context_init(&f->c, f->profile, &f->report, f->root_fd, f->root), 0);
        ck_assert(!f->c.live);
}

/* A new check on the same tree: what the probes read once per check is read again. */
static inline void fixture_recheck(Fixture *f) {
        check_context_done(&f->c);
        ck_assert_int_eq(check_context_init(&f->c, f->profile, &f->report, f->root_fd, f->root), 0);
}

static inline void fixture_done(Fixture *f) {
        check_context_done(&f->c);
        for (size_t i = 0; i < f->report.n_results; i++) {
                free(f->report.results[i].instance);
                free(f->report.results[i].message);
                for (size_t j = 0; j < f->report.results[i].n_evidence; j++) {
                        free(f->report.results[i].evidence[j].source);
                        free(f->report.results[i].evidence[j].expected);
                        free(f->report.results[i].evidence[j].actual);
                }
                free(f->report.results[i].evidence);
        }
        free(f->report.results);
        profile_free(f->profile);
        safe_close(f->root_fd);
        test_tmpdir_remove(f->root);
}
