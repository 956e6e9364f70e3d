/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* Lists that grow by appending grow geometrically: a passwd and a group of 20,000 lines, an applied
 * record of 8,000 files and a strv of 20,000 names cost a number of reallocations logarithmic in
 * their length, not one per line (which is quadratic copying: 124-345 s for such a passwd under ASan,
 * hidden by glibc's mremap in a normal build). Counted by interposing realloc() and reallocarray(),
 * in a build without a sanitizer (which intercepts them itself); in every build the CPU time of the
 * parse (getrusage, not the wall clock) stays under a generous bound. */

#include <sys/resource.h>

#include "plan.h"
#include "probe.h"
#include "strv.h"
#include "tests.h"

#if defined(__SANITIZE_ADDRESS__)
#        define COUNTED 0
#elif defined(__has_feature)
#        if __has_feature(address_sanitizer)
#                define COUNTED 0
#        endif
#endif
#ifndef COUNTED
#        define COUNTED 1
#endif

#define LINES 20000U
#define CPU_MAX 20.0 /* seconds: ten times what an ASan build needs; the quadratic growth took 124 s and more */
#define REALLOC_MAX 200U

#if COUNTED
void *__libc_realloc(void *p, size_t n);

static unsigned long n_realloc;

void *realloc(void *p, size_t n) {
        n_realloc++;
        return __libc_realloc(p, n);
}

void *reallocarray(void *p, size_t n, size_t size) {
        size_t total;

        if (__builtin_mul_overflow(n, size, &total)) {
                errno = ENOMEM;
                return NULL;
        }
        n_realloc++;
        return __libc_realloc(p, total);
}
#endif

static double cpu_seconds(void) {
        struct rusage ru;

        ck_assert_int_eq(getrusage(RUSAGE_SELF, &ru), 0);
        return (double) (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) + (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

static unsigned long counter(void) {
#if COUNTED
        return n_realloc;
#else
        return 0;
#endif
}

/* Checks what one parse cost: reallocations and CPU time since the marks. */
static void check_cost(const char *what, unsigned long realloc_mark, double cpu_mark) {
        unsigned long n = counter() - realloc_mark;
        double cpu = cpu_seconds() - cpu_mark;

        fprintf(stderr, "%s: %lu reallocations, %.2f s of CPU%s\n", what, n, cpu, COUNTED ? "" : " (not counted here)");
        ck_assert_msg(n <= REALLOC_MAX, "%s: %lu reallocations (bound %u): growth by one element", what, n, REALLOC_MAX);
        ck_assert_msg(cpu <= CPU_MAX, "%s: %.1f s of CPU (bound %.0f s)", what, cpu, CPU_MAX);
}

START_TEST(test_growth_accounts) {
        _cleanup_free_ char *passwd = malloc(LINES * 64), *group = malloc(LINES * 64);
        Accounts a = {};
        unsigned long mark;
        size_t p = 0, g = 0;
        double cpu;

        ck_assert_ptr_nonnull(passwd);
        ck_assert_ptr_nonnull(group);
        for (unsigned i = 0; i < LINES; i++) {
                p += sprintf(passwd + p, "user%u:x:%u:%u::/home/user%u:/bin/sh\n", i, 10000 + i, 10000 + i, i);
                g += sprintf(group + g, "group%u:x:%u:\n", i, 10000 + i);
        }

        mark = counter();
        cpu = cpu_seconds();
        ck_assert_int_ge(accounts_parse(passwd, group, &a), 0);
        ck_assert_uint_eq(a.n_users, LINES);
        ck_assert_uint_eq(a.n_groups, LINES);
        accounts_done(&a);
        check_cost("passwd and group of 20,000 lines", mark, cpu);
}
END_TEST

START_TEST(test_growth_record) {
        size_t n = 8000, size = n * 48 + 256, k;
        _cleanup_free_ char *text = malloc(size);
        _cleanup_(apply_record_done) ApplyRecord rec = {};
        unsigned long mark;
        double cpu;

        ck_assert_ptr_nonnull(text);
        k = (size_t) sprintf(text, "Profile=web\nDigest=sha256:00\n");
        for (size_t i = 0; i < n; i++)
                k += (size_t) sprintf(text + k, "File=/etc/systemd/system/unit%zu.service\n", i);

        mark = counter();
        cpu = cpu_seconds();
        ck_assert_int_eq(apply_record_parse(text, &rec), 0);
        ck_assert_uint_eq(strv_length(rec.files), n);
        check_cost("a record of 8,000 files", mark, cpu);
}
END_TEST

START_TEST(test_growth_strv) {
        _cleanup_(strv_builder_done) StrvBuilder b = {};
        unsigned long mark = counter();
        double cpu = cpu_seconds();

        for (unsigned i = 0; i < LINES; i++)
                ck_assert_int_eq(strv_builder_extend(&b, "name"), 0);
        ck_assert_uint_eq(b.n, LINES);
        check_cost("a list of 20,000 names", mark, cpu);
}
END_TEST

static Suite *suite(void) {
        Suite *s = suite_create("growth");
        TCase *tc = tcase_create("core");

        tcase_set_timeout(tc, 300);
        tcase_add_test(tc, test_growth_accounts);
        tcase_add_test(tc, test_growth_record);
        tcase_add_test(tc, test_growth_strv);
        suite_add_tcase(s, tc);
        return s;
}

TEST_MAIN(suite)
