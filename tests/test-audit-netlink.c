/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* The audit loader against the real audit netlink of this machine. Rules carry a key of the test's
 * own and are removed afterwards, whatever happens; nothing else is touched: no settings, never the
 * lock. Skipped (77) without CAP_AUDIT_CONTROL or when the host's audit configuration is locked. */

#include <linux/audit.h>

#include "audit-load.h"
#include "profile-load.h"
#include "tests.h"

static char key[64];
static char watch[96];

static void cleanup(void) {
        int fd = audit_open();

        if (fd >= 0) {
                (void) audit_delete_with_key(fd, key);
                audit_close(fd);
        }
}

static int count_cb(const struct audit_rule_data *r, void *userdata) {
        unsigned *n = userdata;

        ck_assert_uint_eq(r->flags & ~AUDIT_FILTER_PREPEND, AUDIT_FILTER_EXIT);
        (*n)++;
        return 0;
}

START_TEST(test_load_list_delete) {
        const char *texts[] = {
                NULL, /* the watch, filled in below */
                "-a always,exit -F arch=b64 -S openat -F uid=4242 -k @KEY@",
                "-a always,exit -F arch=b64 -S execve -F auid=4242 -k other-key -k @KEY@",
        };
        AuditRule *rules[ELEMENTSOF(texts)] = {};
        AuditStatus before, after;
        unsigned seen = 0;
        int fd;

        fd = audit_open();
        ck_assert_int_ge(fd, 0);
        ck_assert_int_eq(audit_status_get(fd, &before), 0);

        for (size_t i = 0; i < ELEMENTSOF(texts); i++) {
                _cleanup_free_ char *t = NULL, *reason = NULL;

                if (i == 0)
                        t = strprintf("-w %s -p wa -k %s", watch, key);
                else {
                        const char *at = strstr(texts[i], "@KEY@");
                        t = strprintf("%.*s%s", (int) (at - texts[i]), texts[i], key);
                }
                ck_assert_int_eq(audit_rule_parse(t, &rules[i], &reason), 0);
        }

        ck_assert_int_eq(audit_list_with_key(fd, key, NULL, NULL), 0);

        for (size_t i = 0; i < ELEMENTSOF(rules); i++)
                ck_assert_int_eq(audit_add(fd, rules[i]), 0);
        /* Loading again is not an error: the kernel has them already. */
        for (size_t i = 0; i < ELEMENTSOF(rules); i++)
                ck_assert_int_eq(audit_add(fd, rules[i]), 1);

        ck_assert_int_eq(audit_list_with_key(fd, key, count_cb, &seen), 3);
        ck_assert_uint_eq(seen, 3);
        ck_assert_int_eq(audit_list_with_key(fd, "other-key", NULL, NULL), 1);

        ck_assert_int_eq(audit_delete_with_key(fd, key), 3);
        ck_assert_int_eq(audit_list_with_key(fd, key, NULL, NULL), 0);
        ck_assert_int_eq(audit_list_with_key(fd, "other-key", NULL, NULL), 0);

        /* Nothing else changed. */
        ck_assert_int_eq(audit_status_get(fd, &after), 0);
        ck_assert_uint_eq(before.enabled, after.enabled);
        ck_assert_uint_eq(before.failure, after.failure);
        ck_assert_uint_eq(before.backlog_limit, after.backlog_limit);
        ck_assert_uint_eq(before.rate_limit, after.rate_limit);

        for (size_t i = 0; i < ELEMENTSOF(rules); i++)
                audit_rule_free(rules[i]);
        audit_close(fd);
}
END_TEST

/* What hardenctl-audit does: the rules of a profile, parsed when it was read, loaded as they are. */
START_TEST(test_profile_rules_load) {
        _cleanup_(profile_diags_done) ProfileDiags diags = {};
        _cleanup_(profile_freep) Profile *p = NULL;
        _cleanup_free_ char *text = NULL;
        int fd;

        text = strprintf("[Audit]\n"
                         "Rule=-w %s -p wa -k %s\n"
                         "Rule=-a always,exit -F arch=b64 -S openat -F uid=4243 -k %s\n",
                         watch, key, key);
        ck_assert_ptr_nonnull(text);
        ck_assert_int_eq(profile_parse_buffer("t.profile", text, strlen(text), PROFILE_LOAD_STRICT, &p, &diags), 0);
        ck_assert_uint_eq(p->audit.n_parsed_rules, 2);
        ck_assert_ptr_null(p->audit.rules_error);

        fd = audit_open();
        ck_assert_int_ge(fd, 0);
        for (size_t i = 0; i < p->audit.n_parsed_rules; i++)
                ck_assert_int_eq(audit_add(fd, p->audit.parsed_rules[i]), 0);
        ck_assert_int_eq(audit_list_with_key(fd, key, NULL, NULL), 2);
        ck_assert_int_eq(audit_delete_with_key(fd, key), 2);
        audit_close(fd);
}
END_TEST

/* Every rule of every built-in set, under the test's key, is recognized in the kernel's listing as
 * itself and as no other: what apply and status rely on to plan only missing rules. */
START_TEST(test_loaded_as) {
        for (const char *const *name = audit_rule_set_names(); *name; name++)
                for (const char *const *text = audit_rule_set_lookup(*name); *text; text++) {
                        _cleanup_free_ char *t = NULL, *reason = NULL;
                        struct audit_rule_data **l = NULL;
                        AuditRule *rule = NULL;
                        size_t n = 0, matches = 0;
                        const char *k = strstr(*text, " -k ") ?: strstr(*text, " -F key=");
                        const char *d;
                        int fd = audit_open(), r;

                        ck_assert_ptr_nonnull(k);
                        d = strstr(*text, "-F dir=");
                        if (d && access(strndupa(d + 7, strcspn(d + 7, " ")), F_OK) < 0) {
                                /* The kernel refuses dir= of a missing directory (/etc/selinux on a host
                                 * without SELinux): the rule cannot be loaded here. */
                                printf("skipped, no such directory: %s\n", *text);
                                audit_close(fd);
                                continue;
                        }
                        t = strprintf("%.*s -k %s", (int) (k - *text), *text, key);
                        ck_assert_int_eq(audit_rule_parse(t, &rule, &reason), 0);
                        r = audit_add(fd, rule);
                        ck_assert_msg(r == 0, "%s: %s: %s", *name, t, strerror(-r));
                        ck_assert_int_eq(audit_list_all(fd, &l, &n), 0);
                        for (size_t i = 0; i < n; i++) {
                                matches += audit_rule_is_loaded_as(rule, l[i]);
                                free(l[i]);
                        }
                        free(l);
                        ck_assert_msg(matches == 1, "%s: %zu matches", t, matches);
                        ck_assert_int_eq(audit_delete(fd, rule), 0);
                        ck_assert_int_eq(audit_list_with_key(fd, key, NULL, NULL), 0);
                        audit_rule_free(rule);
                        audit_close(fd);
                }
}
END_TEST

static Suite *suite(void) {
        Suite *s = suite_create("audit-netlink");
        TCase *tc = tcase_create("core");

        tcase_add_unchecked_fixture(tc, NULL, cleanup);
        tcase_add_test(tc, test_load_list_delete);
        tcase_add_test(tc, test_profile_rules_load);
        tcase_add_test(tc, test_loaded_as);
        suite_add_tcase(s, tc);
        return s;
}

int main(void) {
        AuditStatus st;
        SRunner *sr;
        int fd, failed;

        snprintf(key, sizeof(key), "hardenctl-test-%d", (int) getpid());
        snprintf(watch, sizeof(watch), "/tmp/%s", key);

        fd = geteuid() == 0 ? audit_open() : -1;
        if (fd < 0 || audit_status_get(fd, &st) < 0 || st.enabled == 2) {
                printf("SKIP: no audit netlink with CAP_AUDIT_CONTROL here, or the audit configuration is locked\n");
                if (fd >= 0)
                        audit_close(fd);
                return 77;
        }
        audit_close(fd);

        sr = srunner_create(suite());
        srunner_run_all(sr, CK_NORMAL);
        failed = srunner_ntests_failed(sr);
        srunner_free(sr);
        cleanup();
        return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
