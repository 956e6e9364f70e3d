/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* The fixture of the [Benchmark] rules' tests: a tree whose own passwd and group name the test's user
 * "root" (so that owners read as the benchmark expects whoever runs the test), a profile naming the
 * benchmark items under test, and helpers to run one rule and look at its evidence. */

#include <sys/stat.h>
#include <unistd.h>

#include "compliance-fixture.h"
#include "strv.h"

static inline void cis_fixture_init(Fixture *f, const char *items) {
        _cleanup_free_ char *passwd = NULL, *group = NULL;

        fixture_init(f);
        passwd = strprintf("root:x:%u:%u:root:/root:/bin/bash\nbin:x:4242:4242:bin:/bin:/usr/sbin/nologin\n",
                           (unsigned) getuid(), (unsigned) getgid());
        group = strprintf("root:x:%u:\nshadow:x:4243:\n", (unsigned) getgid());
        ck_assert_ptr_nonnull(passwd);
        ck_assert_ptr_nonnull(group);
        test_write(f->root, "etc/passwd", passwd);
        test_write(f->root, "etc/group", group);
        for (const char *p = items; *p;) {
                size_t n = strcspn(p, " ");
                _cleanup_free_ char *w = strndup(p, n);

                ck_assert_int_eq(strv_extend(&f->profile->benchmark.cis, w), 0);
                p += n;
                p += strspn(p, " ");
        }
}

/* unit installed in /usr/lib/systemd/system and enabled, as systemctl enable links it into
 * multi-user.target.wants. */
static inline void enable_unit(Fixture *f, const char *unit) {
        static const char *const dirs[] = { "etc/systemd", "etc/systemd/system",
                                            "etc/systemd/system/multi-user.target.wants" };
        _cleanup_free_ char *file = strprintf("/usr/lib/systemd/system/%s", unit),
                            *link = strprintf("etc/systemd/system/multi-user.target.wants/%s", unit);

        ck_assert_ptr_nonnull(file);
        ck_assert_ptr_nonnull(link);
        test_write(f->root, file + 1, "[Service]\n");
        for (size_t i = 0; i < ELEMENTSOF(dirs); i++)
                ck_assert(mkdirat(f->root_fd, dirs[i], 0755) == 0 || errno == EEXIST);
        ck_assert_int_eq(symlinkat(file, f->root_fd, link), 0);
}

/* A socket table of PID 1's network namespace in the tree (table "tcp", "udp6"…): the kernel's header,
 * then lines, in the kernel's format and this host's byte order. */
static inline void write_sockets(Fixture *f, const char *table, const char *lines) {
        test_write(f->root, check_tmp(&f->c, "proc/1/net/%s", table),
                   check_tmp(&f->c,
                             "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout "
                             "inode\n%s",
                             lines));
}

static inline void chmod_in(Fixture *f, const char *path, mode_t mode) {
        ck_assert_int_eq(fchmodat(f->root_fd, path, mode, 0), 0);
}

/* The results of one rule, run once in a check of its own (a check reads each file once: the tree may have
 * changed since the last run); ret_n their number. */
static inline const ComplianceResult *run(Fixture *f, const char *id, size_t *ret_n) {
        const ComplianceRule *rule = compliance_rule_lookup(id);
        size_t before = f->report.n_results;

        ck_assert_ptr_nonnull(rule);
        fixture_recheck(f);
        ck_assert_int_eq(rule->check(&f->c, rule), 0);
        check_tmp_clear(&f->c);
        *ret_n = f->report.n_results - before;
        return f->report.results + before;
}

static inline void assert_evidence(const ComplianceResult *x, size_t i, const char *source, const char *expected,
                                   const char *actual) {
        ck_assert_uint_gt(x->n_evidence, i);
        ck_assert_str_eq(x->evidence[i].source, source);
        ck_assert_str_eq(x->evidence[i].expected, expected);
        ck_assert_str_eq(x->evidence[i].actual, actual);
}
