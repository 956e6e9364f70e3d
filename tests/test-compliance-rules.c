/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* The rules of the compliance check and their catalog: its consistency with the profile's key tables,
 * rules run against fixture trees, audit rules as the kernel lists them, and the report's model and
 * writers. The probes the rules use are in test-compliance-probes.c. */

#include "compliance-catalog.h"
#include "compliance-fixture.h"
#include "profile-schema.h"
#include "report.h"
#include "strv.h"

/* ---- catalog ---- */

START_TEST(test_catalog_matches_key_tables) {
        /* Every rule a key names exists; every rule but those beyond single settings is named by a key. */
        static const char *const beyond_keys[] = { "hardenctl-access-uid0" };

        PROFILE_FOREACH_KEY(k) {
                _cleanup_free_ char *copy = k->rules ? strdup(k->rules) : NULL;

                for (char *s = copy, *t; s && (t = strsep(&s, " "));) {
                        _cleanup_free_ char *id = strprintf(COMPLIANCE_RULE_ID_PREFIX "%s", t);
                        ck_assert_msg(compliance_rule_lookup(id), "%s.%s names rule %s, which the catalog lacks",
                                      k->section, k->key, id);
                }
        }
        for (size_t i = 0; i < compliance_n_rules; i++) {
                const ComplianceRule *r = compliance_rules[i];
                const char *name = startswith(r->id, COMPLIANCE_RULE_ID_PREFIX);
                bool named = false;

                ck_assert_msg(name, "%s lacks the prefix", r->id);
                ck_assert_ptr_nonnull(r->title);
                ck_assert_ptr_nonnull(r->rationale);
                ck_assert_ptr_nonnull(r->remediation);
                ck_assert_ptr_nonnull(r->nist);
                ck_assert_ptr_nonnull(r->check);
                for (size_t j = 0; j < i; j++)
                        ck_assert_str_ne(compliance_rules[j]->id, r->id);
                PROFILE_FOREACH_KEY(k) {
                        _cleanup_free_ char *copy = k->rules ? strdup(k->rules) : NULL;
                        for (char *s = copy, *t; s && (t = strsep(&s, " "));)
                                named = named || streq(t, name);
                }
                for (size_t j = 0; j < ELEMENTSOF(beyond_keys); j++)
                        named = named || streq(beyond_keys[j], r->id);
                ck_assert_msg(named, "no key drives %s", r->id);
        }
}
END_TEST

START_TEST(test_unset_profile_yields_no_results) {
        Fixture f;

        fixture_init(&f);
        for (size_t i = 0; i < compliance_n_rules; i++) {
                ck_assert_int_eq(compliance_rules[i]->check(&f.c, compliance_rules[i]), 0);
                check_tmp_clear(&f.c);
        }
        ck_assert_uint_eq(f.report.n_results, 0);
        fixture_done(&f);
}
END_TEST

/* ---- rules against fixture trees ---- */

/* An overlay on /etc with lower dirs but no upper dir (read-only): each rule about /etc reads the
 * mount's options into the posture once, and the first copy stays (another one leaked each time). */
START_TEST(test_etc_overlay_without_upper) {
        const ComplianceRule *overlay = compliance_rule_lookup("hardenctl-etc-overlay"),
                             *lower = compliance_rule_lookup("hardenctl-etc-overlay-lower");
        const char *first;
        Fixture f;

        fixture_init(&f);
        ck_assert_ptr_nonnull(overlay);
        ck_assert_ptr_nonnull(lower);
        test_write(f.root, "proc/self/mountinfo",
                   "21 1 254:2 / / rw - ext4 /dev/vda2 rw\n"
                   "22 21 0:30 / /etc ro - overlay overlay ro,lowerdir=/usr/share/factory/etc:/etc\n");
        f.profile->etc.overlay = ETC_OVERLAY_TMPFS;
        f.profile->etc.lower = ETC_LOWER_FACTORY;
        ck_assert_int_eq(overlay->check(&f.c, overlay), 0);
        first = f.report.posture.etc_lower;
        ck_assert_str_eq(first, "/usr/share/factory/etc:/etc");
        ck_assert_ptr_null(f.report.posture.etc_upper);
        for (unsigned i = 0; i < 3; i++) {
                ck_assert_int_eq(lower->check(&f.c, lower), 0);
                ck_assert_int_eq(overlay->check(&f.c, overlay), 0);
                ck_assert_ptr_eq(f.report.posture.etc_lower, first);
        }
        ck_assert_uint_eq(f.report.n_results, 7);
        ck_assert_int_eq(f.report.results[0].result, RULE_FAIL); /* no upper dir below /run: not volatile */
        free(f.report.posture.etc_lower); /* the fixture's report is not one compliance_report_free() takes */
        fixture_done(&f);
}
END_TEST

/* As apply plans them: the last assignment of a setting wins, values compare as the kernel prints. */
START_TEST(test_sysctl_rule_merges) {
        const ComplianceRule *rule = compliance_rule_lookup("hardenctl-kernel-sysctl");
        Fixture f;

        fixture_init(&f);
        ck_assert_ptr_nonnull(rule);
        test_write(f.root, "proc/sys/kernel/kptr_restrict", "2\n");
        test_write(f.root, "proc/sys/net/ipv4/ip_local_port_range", "32768\t60999\n");
        test_write(f.root, "etc/sysctl.d/50-x.conf",
                   "kernel.kptr_restrict = 2\nnet.ipv4.ip_local_port_range=32768 60999\n");
        ck_assert_int_eq(strv_extend(&f.profile->kernel.sysctls, "kernel.kptr_restrict=1"), 0);
        ck_assert_int_eq(strv_extend(&f.profile->kernel.sysctls, "net.ipv4.ip_local_port_range=32768    60999"), 0);
        ck_assert_int_eq(strv_extend(&f.profile->kernel.sysctls, "kernel/kptr_restrict=2"), 0);
        ck_assert_int_eq(profile_finalize(f.profile), 0);
        ck_assert_int_eq(rule->check(&f.c, rule), 0);
        check_tmp_clear(&f.c);
        ck_assert_uint_eq(f.report.n_results, 2);
        ck_assert_str_eq(f.report.results[0].instance, "kernel.kptr_restrict");
        ck_assert_int_eq(f.report.results[0].result, RULE_PASS);
        ck_assert_str_eq(f.report.results[1].instance, "net.ipv4.ip_local_port_range");
        ck_assert_int_eq(f.report.results[1].result, RULE_PASS);
        fixture_done(&f);
}
END_TEST

/* Audit rules the profile names but that cannot be built are an error, not silence. */
START_TEST(test_audit_rules_unbuildable) {
        const ComplianceRule *rule = compliance_rule_lookup("hardenctl-audit-rules");
        Fixture f;

        fixture_init(&f);
        ck_assert_ptr_nonnull(rule);
        ck_assert_int_eq(strv_extend(&f.profile->audit.rule_sets, "no-such-set"), 0);
        ck_assert_int_eq(profile_finalize(f.profile), 0);
        ck_assert_int_eq(rule->check(&f.c, rule), 0);
        check_tmp_clear(&f.c);
        ck_assert_uint_eq(f.report.n_results, 1);
        ck_assert_int_eq(f.report.results[0].result, RULE_ERROR);
        ck_assert_ptr_nonnull(strstr(f.report.results[0].message, "no-such-set"));
        fixture_done(&f);
}
END_TEST

/* ---- audit rules as the kernel lists them ---- */

START_TEST(test_audit_rule_loaded) {
        static const char *const rules[] = {
                "-w /etc/shadow -p wa -k identity",
                "-a always,exit -F arch=b64 -F path=/etc/sudoers -F perm=wa -k scope",
        };
        const uint32_t kept = UINT32_MAX >> AUDIT_SYSCALL_CLASSES;

        for (size_t i = 0; i < ELEMENTSOF(rules); i++) {
                _cleanup_(audit_rule_freep) AuditRule *want = NULL, *other = NULL;
                _cleanup_free_ char *reason = NULL;
                _cleanup_free_ struct audit_rule_data *listed = NULL;
                size_t size;

                ck_assert_int_eq(audit_rule_parse(rules[i], &want, &reason), 0);
                size = sizeof(struct audit_rule_data) + want->data->buflen;
                listed = malloc(size);
                ck_assert_ptr_nonnull(listed);
                memcpy(listed, want->data, size);
                /* libaudit sets the syscall-class bits of a rule without -S; the kernel lists it without. */
                ck_assert_uint_ne(listed->mask[AUDIT_BITMASK_SIZE - 1] & ~kept, 0);
                listed->mask[AUDIT_BITMASK_SIZE - 1] &= kept;
                listed->flags = (uint32_t) want->filter;
                listed->action = (uint32_t) want->action;
                ck_assert_msg(audit_rule_loaded(want, &listed, 1), "%s not found as the kernel lists it", rules[i]);

                /* A different rule is still told apart. */
                ck_assert_int_eq(audit_rule_parse("-w /etc/gshadow -p wa -k identity", &other, &reason), 0);
                ck_assert(!audit_rule_loaded(other, &listed, 1));
                ck_assert(!audit_rule_loaded(want, NULL, 0));
        }
}
END_TEST

/* ---- the model and the writers ---- */

START_TEST(test_score_and_ids) {
        static const ComplianceRule hi = { .id = "hardenctl-x", .severity = SEVERITY_HIGH };
        static const ComplianceRule lo = { .id = "hardenctl-y", .severity = SEVERITY_LOW };
        ComplianceResult results[] = {
                { .rule = &hi, .result = RULE_PASS },
                { .rule = &lo, .result = RULE_FAIL },
                { .rule = &lo, .result = RULE_NOTCHECKED },
                { .rule = &hi, .result = RULE_ERROR },
        };
        ComplianceReport r = { .results = results, .n_results = ELEMENTSOF(results) };
        _cleanup_free_ char *id = compliance_rule_xccdf_id(&hi), *ts = format_timestamp_utc(1700000000ULL * 1000000ULL);
        ComplianceCounts n;

        ck_assert_double_eq_tol(compliance_report_score(&r), 100.0 * 10 / 11, 0.001);
        compliance_report_count(&r, &n);
        ck_assert_uint_eq(n.total, 4);
        ck_assert_uint_eq(n.n[RULE_FAIL], 1);
        ck_assert_uint_eq(n.failed_by_severity[SEVERITY_LOW], 1);
        ck_assert_str_eq(id, "xccdf_org.hardenctl_rule_x");
        ck_assert_str_eq(ts, "2023-11-14T22:13:20Z");
        r.n_results = 0;
        ck_assert_double_eq(compliance_report_score(&r), 100.0);
}
END_TEST

START_TEST(test_xml_escape) {
        char *buf = NULL;
        size_t size = 0;
        FILE *f = open_memstream(&buf, &size);

        ck_assert_ptr_nonnull(f);
        xml_escape(f, "a<b>&\"c'\x01\n\t\r");
        ck_assert_int_eq(fclose(f), 0);
        ck_assert_str_eq(buf, "a&lt;b&gt;&amp;&quot;c&#39;?&#10;&#9;&#13;");
        free(buf);
}
END_TEST

START_TEST(test_sha256) {
        char hex[65];

        ck_assert_int_eq(sha256_hex("abc", 3, hex), 0);
        ck_assert_str_eq(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}
END_TEST

/* ---- [Exec] ---- */

static const ComplianceResult *run_rule(Fixture *f, const char *id) {
        const ComplianceRule *rule = compliance_rule_lookup(id);
        size_t n = f->report.n_results;

        ck_assert_ptr_nonnull(rule);
        fixture_recheck(f); /* a check of its own: each check reads a file once */
        ck_assert_int_eq(rule->check(&f->c, rule), 0);
        check_tmp_clear(&f->c);
        return f->report.n_results > n ? f->report.results + n : NULL;
}

#define IPE "sys/kernel/security/ipe/"

/* Three denials since boot (one by a program whose name the kernel hex-encoded), and what is not one:
 * an allowed execution, a record from before the boot, another type. */
#define AUDIT_LOG                                                                                                         \
        "type=UNKNOWN[1420] msg=audit(1000.001:5): ipe_op=EXECUTE ipe_hook=BPRM_CHECK enforcing=%c pid=9 comm=\"bash\" "  \
        "path=\"/tmp/old\" dev=\"tmpfs\" ino=3 rule=\"DEFAULT op=EXECUTE action=DENY\"\n"                                 \
        "type=UNKNOWN[1420] msg=audit(2000.001:6): ipe_op=EXECUTE ipe_hook=BPRM_CHECK enforcing=%c pid=10 comm=\"bash\" " \
        "path=\"/tmp/x\" dev=\"tmpfs\" ino=4 rule=\"DEFAULT op=EXECUTE action=DENY\"\n"                                   \
        "type=SYSCALL msg=audit(2000.002:7): arch=c000003e syscall=59 success=no exit=-13 comm=\"bash\"\n"                \
        "type=UNKNOWN[1420] msg=audit(2000.003:8): ipe_op=EXECUTE ipe_hook=MMAP enforcing=%c pid=11 comm=6D792070726F67 " \
        "path=\"/root/y\" dev=\"vda2\" ino=5 rule=\"DEFAULT op=EXECUTE action=DENY\"\n"                                   \
        "type=UNKNOWN[1420] msg=audit(2000.004:9): ipe_op=EXECUTE ipe_hook=BPRM_CHECK enforcing=%c pid=12 comm=\"ls\" "   \
        "path=\"/usr/bin/ls\" dev=\"dm-0\" ino=6 rule=\"op=EXECUTE dmverity_signature=TRUE action=ALLOW\"\n"              \
        "type=IPE_ACCESS msg=audit(2000.005:10): ipe_op=EXECUTE ipe_hook=BPRM_CHECK enforcing=%c pid=13 comm=\"bash\" "   \
        "path=\"/tmp/x\" dev=\"tmpfs\" ino=4 rule=\"DEFAULT op=EXECUTE action=DENY\"\n"

static void ipe_tree(Fixture *f, char enforcing) {
        _cleanup_free_ char *log = strprintf(AUDIT_LOG, enforcing, enforcing, enforcing, enforcing, enforcing);

        ck_assert_ptr_nonnull(log);
        test_write(f->root, IPE "enforce", enforcing == '1' ? "1\n" : "0\n");
        test_write(f->root, IPE "policies/hardenctl/active", "1\n");
        test_write(f->root, IPE "policies/hardenctl/version", "1.0.7\n");
        test_write(f->root, IPE "policies/hardenctl/pkcs7", "the signed policy");
        test_write(f->root, "usr/lib/hardenctl/exec-policy.p7s", "the signed policy");
        test_write(f->root, "proc/stat", "cpu 1 2 3\nbtime 1500\nprocesses 9\n");
        test_write(f->root, "var/log/audit/audit.log", log);
}

START_TEST(test_exec_enforce) {
        const ComplianceResult *x;
        Fixture f;

        fixture_init(&f);
        f.profile->exec.mode = EXEC_ENFORCE;
        ipe_tree(&f, '1');

        x = run_rule(&f, "hardenctl-exec-ipe-available");
        ck_assert_int_eq(x->result, RULE_PASS);
        x = run_rule(&f, "hardenctl-exec-ipe-policy");
        ck_assert_msg(x->result == RULE_PASS, "%s", x->message);
        ck_assert_str_eq(x->message, "The active IPE policy is the image's, hardenctl 1.0.7");
        x = run_rule(&f, "hardenctl-exec-ipe-enforce");
        ck_assert_int_eq(x->result, RULE_PASS);
        x = run_rule(&f, "hardenctl-exec-denials");
        ck_assert_int_eq(x->result, RULE_PASS);
        ck_assert_str_eq(
                x->message,
                "3 executions were refused since boot: /tmp/x (2), /root/y (1); by program: bash (2), my prog (1)");
        ck_assert_ptr_null(run_rule(&f, "hardenctl-exec-noexec-mounts")); /* IPE is there */

        /* Another policy than the image's; enforcement off. */
        test_write(f.root, "usr/lib/hardenctl/exec-policy.p7s", "another policy");
        test_write(f.root, IPE "enforce", "0\n");
        x = run_rule(&f, "hardenctl-exec-ipe-policy");
        ck_assert_int_eq(x->result, RULE_FAIL);
        ck_assert_str_eq(x->message, "The active IPE policy hardenctl 1.0.7 is not the one the image shipped");
        x = run_rule(&f, "hardenctl-exec-ipe-enforce");
        ck_assert_int_eq(x->result, RULE_FAIL);
        test_write(f.root, IPE "policies/hardenctl/active", "0\n");
        x = run_rule(&f, "hardenctl-exec-ipe-policy");
        ck_assert_int_eq(x->result, RULE_FAIL);
        ck_assert_str_eq(x->message, "No IPE policy is active: everything may execute");
        fixture_done(&f);

        /* The profile says enforce, but IPE logged its denials with enforcement off: those programs ran. */
        fixture_init(&f);
        f.profile->exec.mode = EXEC_ENFORCE;
        ipe_tree(&f, '0');
        x = run_rule(&f, "hardenctl-exec-denials");
        ck_assert_int_eq(x->result, RULE_FAIL);
        ck_assert_str_eq(x->message,
                         "3 executions would have been refused since boot: /tmp/x (2), /root/y (1); by "
                         "program: bash (2), my prog (1) (they ran: IPE's enforcement was off for 3 of them)");
        fixture_done(&f);
}
END_TEST

START_TEST(test_exec_audit) {
        const ComplianceResult *x;
        Fixture f;

        fixture_init(&f);
        f.profile->exec.mode = EXEC_AUDIT;
        ipe_tree(&f, '0');
        x = run_rule(&f, "hardenctl-exec-ipe-enforce");
        ck_assert_int_eq(x->result, RULE_PASS);
        x = run_rule(&f, "hardenctl-exec-denials");
        ck_assert_int_eq(x->result, RULE_FAIL);
        ck_assert_str_eq(
                x->message,
                "3 executions would have been refused since boot: /tmp/x (2), /root/y (1); by program: bash (2), my prog (1)");
        ck_assert_uint_eq(x->n_evidence, 3);
        ck_assert_str_eq(x->evidence[0].actual, "3 IPE denials since boot, 3 with enforcement off");

        /* Nothing refused, and no audit trail. */
        test_write(f.root, "var/log/audit/audit.log", "");
        ck_assert_int_eq(run_rule(&f, "hardenctl-exec-denials")->result, RULE_PASS);
        ck_assert_int_eq(unlinkat(f.root_fd, "var/log/audit/audit.log", 0), 0);
        ck_assert_int_eq(run_rule(&f, "hardenctl-exec-denials")->result, RULE_NOTCHECKED);
        fixture_done(&f);
}
END_TEST

START_TEST(test_exec_without_ipe) {
        const ComplianceResult *x;
        Fixture f;

        fixture_init(&f);
        f.profile->exec.mode = EXEC_ENFORCE;
        ck_assert_int_eq(strv_extend(&f.profile->mounts.options, "/srv/upload noexec,nodev"), 0);

        /* An offline tree: not checked. */
        ck_assert_int_eq(run_rule(&f, "hardenctl-exec-ipe-available")->result, RULE_NOTCHECKED);

        /* A running kernel without IPE: the noexec mounts are what is left. */
        test_write(f.root, "sys/kernel/security/lockdown", "[none] integrity confidentiality\n");
        test_write(f.root, "proc/self/mountinfo",
                   "21 1 254:2 / / rw - ext4 /dev/vda2 rw\n"
                   "22 21 0:30 / /tmp rw,nosuid,nodev,noexec - tmpfs tmpfs rw\n"
                   "23 21 0:31 / /dev/shm rw,nosuid,nodev - tmpfs tmpfs rw\n"
                   "24 21 0:32 / /var/tmp rw,noexec - tmpfs tmpfs rw\n");
        x = run_rule(&f, "hardenctl-exec-ipe-available");
        ck_assert_int_eq(x->result, RULE_FAIL);
        ck_assert_str_eq(x->message,
                         "The kernel has no IPE: execution is not restricted (see hardenctl-exec-noexec-mounts)");
        ck_assert_int_eq(run_rule(&f, "hardenctl-exec-ipe-policy")->result, RULE_NOTAPPLICABLE);
        x = run_rule(&f, "hardenctl-exec-noexec-mounts");
        ck_assert_int_eq(x->result, RULE_FAIL);
        ck_assert_str_eq(x->message,
                         "No IPE in the kernel, and /dev/shm /srv/upload (on /) can hold and execute planted binaries");
        fixture_done(&f);

        /* All noexec (and / read-only). */
        fixture_init(&f);
        f.profile->exec.mode = EXEC_AUDIT;
        test_write(f.root, "sys/kernel/security/lockdown", "[none] integrity confidentiality\n");
        test_write(f.root, "proc/self/mountinfo",
                   "21 1 254:2 / / ro - ext4 /dev/vda2 ro\n"
                   "22 21 0:30 / /tmp rw,noexec - tmpfs tmpfs rw\n"
                   "23 21 0:31 / /dev/shm rw,noexec - tmpfs tmpfs rw\n"
                   "24 21 0:32 / /var/tmp rw,noexec - tmpfs tmpfs rw\n");
        x = run_rule(&f, "hardenctl-exec-noexec-mounts");
        ck_assert_msg(x->result == RULE_PASS, "%s", x->message);
        ck_assert_ptr_nonnull(strstr(x->message, "the weaker guarantee"));
        fixture_done(&f);
}
END_TEST

static Suite *make_suite(void) {
        Suite *s = suite_create("compliance-rules");
        TCase *tc = tcase_create("core");

        tcase_add_test(tc, test_catalog_matches_key_tables);
        tcase_add_test(tc, test_unset_profile_yields_no_results);
        tcase_add_test(tc, test_sysctl_rule_merges);
        tcase_add_test(tc, test_audit_rule_loaded);
        tcase_add_test(tc, test_audit_rules_unbuildable);
        tcase_add_test(tc, test_score_and_ids);
        tcase_add_test(tc, test_xml_escape);
        tcase_add_test(tc, test_sha256);
        tcase_add_test(tc, test_etc_overlay_without_upper);
        tcase_add_test(tc, test_exec_enforce);
        tcase_add_test(tc, test_exec_audit);
        tcase_add_test(tc, test_exec_without_ipe);
        suite_add_tcase(s, tc);
        return s;
}

TEST_MAIN(make_suite)
