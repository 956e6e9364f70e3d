/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* The parsers of drop-in configuration (probe-conf.c): sysctl.d and modprobe.d as their owners read
 * them, with override by file name. */

#include <unistd.h>

#include "compliance-fixture.h"
#include "strv.h"

START_TEST(test_conf_files_override) {
        static const char *const dirs[] = { "/etc/x.d", "/usr/lib/x.d" };
        _cleanup_strv_free_ char **l = NULL;
        Fixture f;

        fixture_init(&f);
        test_write(f.root, "usr/lib/x.d/10-a.conf", "lower\n");
        test_write(f.root, "usr/lib/x.d/30-c.conf", "lower\n");
        test_write(f.root, "usr/lib/x.d/README", "not a .conf\n");
        test_write(f.root, "etc/x.d/30-c.conf", "upper\n");
        test_write(f.root, "etc/x.d/20-b.conf", "upper\n");
        test_write(f.root, "etc/x.d/.hidden.conf", "hidden\n");
        ck_assert_int_eq(probe_conf_files(&f.c, dirs, ELEMENTSOF(dirs), ".conf", &l), 0);
        ck_assert_uint_eq(strv_length(l), 3);
        ck_assert_str_eq(l[0], "/usr/lib/x.d/10-a.conf");
        ck_assert_str_eq(l[1], "/etc/x.d/20-b.conf");
        ck_assert_str_eq(l[2], "/etc/x.d/30-c.conf");
        fixture_done(&f);
}
END_TEST

START_TEST(test_sysctl_d_scan) {
        SysctlSource s = {};

        ck_assert_int_eq(sysctl_d_scan("/a.conf", "# c\n; c\nkernel.sysrq = 1\n-kernel/sysrq=0\n", "kernel.sysrq", &s),
                         0);
        ck_assert_str_eq(s.value, "0");
        ck_assert_str_eq(s.source, "/a.conf:4");
        /* An explicit assignment stays over a later glob; a later explicit one wins. */
        ck_assert_int_eq(sysctl_d_scan("/b.conf", "kernel.* = 5\nnet.ipv4.conf.*.rp_filter=1\n", "kernel.sysrq", &s), 0);
        ck_assert_str_eq(s.value, "0");
        ck_assert_int_eq(sysctl_d_scan("/c.conf", "kernel.sysrq=16\n", "kernel.sysrq", &s), 0);
        ck_assert_str_eq(s.value, "16");
        ck_assert_str_eq(s.source, "/c.conf:1");
        sysctl_source_done(&s);
        ck_assert_int_eq(sysctl_d_scan("/d.conf", "net.ipv4.conf.*.rp_filter = 2\n", "net.ipv4.conf.all.rp_filter", &s),
                         0);
        ck_assert_str_eq(s.value, "2");
        ck_assert(s.glob);
        sysctl_source_done(&s);
        ck_assert_int_eq(sysctl_d_scan("/e.conf", "garbage\n=\n  \n", "kernel.sysrq", &s), 0);
        ck_assert_ptr_null(s.value);
}
END_TEST

START_TEST(test_probe_sysctl_d_masked) {
        SysctlSource s = {};
        Fixture f;

        fixture_init(&f);
        test_write(f.root, "usr/lib/sysctl.d/50-a.conf", "kernel.sysrq = 0\n");
        test_write(f.root, "usr/lib/sysctl.d/90-b.conf", "kernel.sysrq = 1\n");
        test_write(f.root, "etc/sysctl.d/00-empty.conf", "");
        ck_assert_int_eq(probe_sysctl_d(&f.c, "kernel.sysrq", &s), 0);
        ck_assert_str_eq(s.source, "/usr/lib/sysctl.d/90-b.conf:1");
        sysctl_source_done(&s);
        /* A link to /dev/null in /etc masks the file of the same name. */
        ck_assert_int_eq(symlinkat("/dev/null", f.root_fd, "etc/sysctl.d/90-b.conf"), 0);
        fixture_recheck(&f); /* sysctl.d is read once per check */
        ck_assert_int_eq(probe_sysctl_d(&f.c, "kernel.sysrq", &s), 0);
        ck_assert_str_eq(s.value, "0");
        ck_assert_str_eq(s.source, "/usr/lib/sysctl.d/50-a.conf:1");
        sysctl_source_done(&s);
        fixture_done(&f);
}
END_TEST

START_TEST(test_modprobe_scan) {
        ModprobeVerdict v = {};

        ck_assert_int_eq(modprobe_scan("/a.conf", "# install usb_storage /bin/false\nblacklist usb-storage\n",
                                       "usb-storage", &v),
                         0);
        ck_assert_str_eq(v.blacklist, "/a.conf:2");
        ck_assert_ptr_null(v.install);
        /* The first install command is the one modprobe runs, with '\' continuations joined. */
        ck_assert_int_eq(modprobe_scan("/b.conf",
                                       "install usb_storage \\\n  /bin/true\ninstall usb-storage /sbin/modprobe x\n",
                                       "usb-storage", &v),
                         0);
        ck_assert_str_eq(v.install_source, "/b.conf:1");
        ck_assert(modprobe_install_refuses(v.install));
        modprobe_verdict_done(&v);
        ck_assert_int_eq(
                modprobe_scan("/c.conf", "install usbstorage /bin/false\ninstall usb* /bin/false\n", "usb-storage", &v),
                0);
        ck_assert_str_eq(v.install_source, "/c.conf:2");
        modprobe_verdict_done(&v);

        ck_assert(modprobe_install_refuses("/bin/false"));
        ck_assert(modprobe_install_refuses("  /usr/bin/true  "));
        ck_assert(!modprobe_install_refuses("/bin/true; /sbin/modprobe --ignore-install dccp"));
        ck_assert(!modprobe_install_refuses("/sbin/modprobe --ignore-install dccp"));
        ck_assert(!modprobe_install_refuses(""));
        ck_assert(!modprobe_install_refuses(NULL));
}
END_TEST

static const ComplianceResult *run_rule(Fixture *f, const char *id) {
        const ComplianceRule *rule = compliance_rule_lookup(id);

        ck_assert_ptr_nonnull(rule);
        ck_assert_int_eq(rule->check(&f->c, rule), 0);
        check_tmp_clear(&f->c);
        ck_assert_uint_ge(f->report.n_results, 1);
        return f->report.results + f->report.n_results - 1;
}

/* A kernel without the knob of a feature it does not have meets a setting that turns it off. */
START_TEST(test_sysrq_absent) {
        const ComplianceResult *x;
        Fixture f;

        fixture_init(&f);
        test_write(f.root, "proc/sys/kernel/osrelease", "6.1.0\n");
        ck_assert_int_eq(strv_extend(&f.profile->kernel.sysctls, "kernel.sysrq=0"), 0);
        ck_assert_int_eq(profile_finalize(f.profile), 0);
        x = run_rule(&f, "hardenctl-kernel-sysctl");
        ck_assert_int_eq(x->result, RULE_PASS);
        ck_assert_str_eq(x->evidence[0].source, "/proc/sys/kernel/sysrq");
        ck_assert_str_eq(x->evidence[0].actual, "missing");
        ck_assert_ptr_nonnull(strstr(x->message, "CONFIG_MAGIC_SYSRQ"));
        fixture_done(&f);
}
END_TEST

/* Both halves: the running value, and what the next boot sets. */
START_TEST(test_sysctl_persistence) {
        const ComplianceResult *x;
        Fixture f;

        fixture_init(&f);
        test_write(f.root, "proc/sys/kernel/osrelease", "6.1.0\n");
        test_write(f.root, "proc/sys/kernel/sysrq", "0\n");
        ck_assert_int_eq(strv_extend(&f.profile->kernel.sysctls, "kernel.sysrq=0"), 0);
        ck_assert_int_eq(profile_finalize(f.profile), 0);
        x = run_rule(&f, "hardenctl-kernel-sysctl");
        ck_assert_int_eq(x->result, RULE_FAIL);
        ck_assert_uint_eq(x->n_evidence, 2);
        ck_assert_str_eq(x->evidence[1].source, "sysctl.d");
        ck_assert_str_eq(x->evidence[1].actual, "not set");
        test_write(f.root, "etc/sysctl.d/60-sysrq.conf", "kernel.sysrq = 1\n");
        fixture_recheck(&f);
        x = run_rule(&f, "hardenctl-kernel-sysctl");
        ck_assert_int_eq(x->result, RULE_FAIL);
        ck_assert_str_eq(x->evidence[1].source, "/etc/sysctl.d/60-sysrq.conf:1");
        ck_assert_str_eq(x->evidence[1].actual, "1");
        test_write(f.root, "etc/sysctl.d/60-sysrq.conf", "kernel.sysrq = 0\n");
        fixture_recheck(&f);
        x = run_rule(&f, "hardenctl-kernel-sysctl");
        ck_assert_int_eq(x->result, RULE_PASS);
        ck_assert_str_eq(x->message, "kernel.sysrq = 0, set at boot by /etc/sysctl.d/60-sysrq.conf:1");
        fixture_done(&f);
}
END_TEST

/* A built-in module is not denied, whatever modprobe.d says; the first install command counts. */
START_TEST(test_deny_module_builtin) {
        const ComplianceResult *x;
        Fixture f;

        fixture_init(&f);
        test_write(f.root, "etc/modprobe.d/10-local.conf", "install freevxfs /sbin/modprobe --ignore-install freevxfs\n");
        test_write(f.root, "etc/modprobe.d/cis.conf",
                   "install freevxfs /bin/false\ninstall squashfs /bin/false\ninstall cramfs /bin/false\n");
        test_write(f.root, "usr/lib/modules/6.1.0/modules.builtin", "kernel/fs/squashfs/squashfs.ko\n");
        test_write(f.root, "proc/filesystems", "nodev\tproc\n\tsquashfs\n");
        ck_assert_int_eq(strv_extend(&f.profile->kernel.deny_modules, "squashfs"), 0);
        x = run_rule(&f, "hardenctl-kernel-deny-module");
        ck_assert_int_eq(x->result, RULE_FAIL);
        ck_assert_str_eq(
                x->message,
                "squashfs is built into the kernel and can be mounted (squashfs): no modprobe.d entry can deny it");
        ck_assert_str_eq(x->evidence[1].source, "/usr/lib/modules/6.1.0/modules.builtin");
        ck_assert_str_eq(x->evidence[1].actual, "built in");

        f.profile->kernel.deny_modules = strv_free(f.profile->kernel.deny_modules);
        ck_assert_int_eq(strv_extend(&f.profile->kernel.deny_modules, "freevxfs"), 0);
        x = run_rule(&f, "hardenctl-kernel-deny-module");
        ck_assert_int_eq(x->result, RULE_FAIL);
        ck_assert_str_eq(x->evidence[0].source, "/etc/modprobe.d/10-local.conf:1");

        /* The same file name in /etc hides the one below. */
        test_write(f.root, "usr/lib/modprobe.d/10-local.conf", "install freevxfs /bin/false\n");
        test_write(f.root, "etc/modprobe.d/10-local.conf", "\n");
        fixture_recheck(&f);
        x = run_rule(&f, "hardenctl-kernel-deny-module");
        ck_assert_int_eq(x->result, RULE_PASS);
        ck_assert_str_eq(x->evidence[0].source, "/etc/modprobe.d/cis.conf:1");
        fixture_done(&f);
}
END_TEST

static Suite *conf_suite(void) {
        Suite *s = suite_create("compliance-conf");
        TCase *tc = tcase_create("core");

        tcase_add_test(tc, test_conf_files_override);
        tcase_add_test(tc, test_sysctl_d_scan);
        tcase_add_test(tc, test_probe_sysctl_d_masked);
        tcase_add_test(tc, test_modprobe_scan);
        tcase_add_test(tc, test_sysrq_absent);
        tcase_add_test(tc, test_sysctl_persistence);
        tcase_add_test(tc, test_deny_module_builtin);
        suite_add_tcase(s, tc);
        return s;
}

TEST_MAIN(conf_suite)
