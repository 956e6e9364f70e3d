/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <check.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "macro.h"
#include "path-util.h"
#include "string-util.h"

/* Runs the suite; the exit status is non-zero if any test failed. */
#define TEST_MAIN(make_suite)                                     \
        int main(void) {                                          \
                SRunner *sr = srunner_create(make_suite());       \
                int failed;                                       \
                srunner_run_all(sr, CK_NORMAL);                   \
                failed = srunner_ntests_failed(sr);               \
                srunner_free(sr);                                 \
                return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE; \
        }

static inline int rm_one(const char *p, const struct stat *st, int type, struct FTW *f) {
        return remove(p);
}

/* A fresh temporary directory; removed with test_tmpdir_remove(). */
static inline char *test_tmpdir(void) {
        char *t = strdup("/tmp/hardenctl-test-XXXXXX");

        ck_assert_ptr_nonnull(t);
        ck_assert_ptr_nonnull(mkdtemp(t));
        return t;
}

static inline void test_tmpdir_remove(char *t) {
        if (t)
                (void) nftw(t, rm_one, 16, FTW_DEPTH | FTW_PHYS);
        free(t);
}

/* Writes text to ROOT/PATH, creating parent directories. */
static inline void test_write(const char *root, const char *path, const char *text) {
        _cleanup_free_ char *full = path_join(root, path);
        FILE *f;

        ck_assert_ptr_nonnull(full);
        for (char *s = strchr(full + strlen(root) + 1, '/'); s; s = strchr(s + 1, '/')) {
                *s = 0;
                (void) mkdir(full, 0755);
                *s = '/';
        }
        f = fopen(full, "we");
        ck_assert_msg(f, "cannot write %s", full);
        fputs(text, f);
        ck_assert_int_eq(fclose(f), 0);
}
