/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* hardenctl-cis-logging against fixture trees: journald alone, shipping its logs with
 * systemd-journal-upload, and rsyslog fed by journald, each with the other's items not applicable;
 * the exact evidence of passing and failing variants. */

#include "cis-fixture.h"

#define ALL_ITEMS                                                                                          \
        "6.1.1.1 6.1.1.4 6.1.2.1.1 6.1.2.1.2 6.1.2.1.3 6.1.2.1.4 6.1.2.2 6.1.3.1 6.1.3.2 6.1.3.3 6.1.3.4 " \
        "6.1.3.7"

static void link_in(Fixture *f, const char *target, const char *path) {
        _cleanup_free_ char *dir = strndup(path, strrchr(path, '/') - path);

        ck_assert_ptr_nonnull(dir);
        test_write(f->root, check_tmp(&f->c, "%s/.keep", dir), "");
        ck_assert_int_eq(symlinkat(target, f->root_fd, path), 0);
}

/* journald alone: the upload configured but for one key, the receiving socket enabled, forwarding to
 * syslog left at Debian's default (yes), then turned off by a drop-in. */
START_TEST(test_journald_alone) {
        const ComplianceResult *x;
        size_t n;
        Fixture f;

        cis_fixture_init(&f, ALL_ITEMS);
        test_write(f.root, "var/lib/dpkg/status",
                   "Package: systemd-journal-remote\nStatus: install ok installed\nVersion: 252.38-1\n\n");
        test_write(f.root, "etc/systemd/journal-upload.conf",
                   "[Upload]\nURL=https://logs.example:19532\nServerKeyFile=/etc/ssl/private/up.pem\n"
                   "ServerCertificateFile=/etc/ssl/certs/up.pem\n");
        link_in(&f, "/usr/lib/systemd/system/systemd-journal-upload.service",
                "etc/systemd/system/multi-user.target.wants/systemd-journal-upload.service");
        link_in(&f, "/usr/lib/systemd/system/systemd-journal-remote.socket",
                "etc/systemd/system/sockets.target.wants/systemd-journal-remote.socket");
        x = run(&f, "hardenctl-cis-logging", &n);
        ck_assert_uint_eq(n, 12);
        ck_assert_str_eq(x[0].instance, "systemd-journald.service");
        ck_assert_int_eq(x[0].result, RULE_PASS);
        ck_assert_int_eq(x[1].result, RULE_PASS);
        ck_assert_str_eq(x[1].message, "One logging system is in use: journald");
        ck_assert_int_eq(x[2].result, RULE_PASS);
        assert_evidence(x + 2, 0, "/var/lib/dpkg/status", "systemd-journal-remote installed",
                        "systemd-journal-remote 252.38-1");
        ck_assert_int_eq(x[3].result, RULE_FAIL);
        ck_assert_str_eq(x[3].message, "journal-upload.conf does not set TrustedCertificateFile");
        assert_evidence(x + 3, 0, "/etc/systemd/journal-upload.conf:2", "URL=…", "URL=https://logs.example:19532");
        ck_assert_int_eq(x[4].result, RULE_PASS);
        ck_assert_int_eq(x[5].result, RULE_FAIL);
        ck_assert_str_eq(x[5].message, "systemd-journal-remote.socket accepts logs from other hosts");
        ck_assert_int_eq(x[6].result, RULE_FAIL);
        assert_evidence(x + 6, 0, "/etc/systemd/journald.conf (default)", "ForwardToSyslog=no", "ForwardToSyslog=yes");
        for (size_t i = 7; i < 12; i++) {
                ck_assert_int_eq(x[i].result, RULE_NOTAPPLICABLE);
                ck_assert_str_eq(x[i].message, "rsyslog is not in use: journald is the logging system");
        }

        test_write(f.root, "etc/systemd/journal-upload.conf.d/ca.conf",
                   "[Upload]\nTrustedCertificateFile=/etc/ssl/ca.pem\n");
        test_write(f.root, "usr/lib/systemd/journald.conf.d/50-syslog.conf", "[Journal]\nForwardToSyslog=no\n");
        ck_assert_int_eq(unlinkat(f.root_fd, "etc/systemd/system/sockets.target.wants/systemd-journal-remote.socket", 0),
                         0);
        x = run(&f, "hardenctl-cis-logging", &n);
        ck_assert_int_eq(x[3].result, RULE_PASS);
        assert_evidence(x + 3, 3, "/etc/systemd/journal-upload.conf.d/ca.conf:2", "TrustedCertificateFile=…",
                        "TrustedCertificateFile=/etc/ssl/ca.pem");
        ck_assert_int_eq(x[5].result, RULE_PASS);
        ck_assert_int_eq(x[6].result, RULE_PASS);
        assert_evidence(x + 6, 0, "/usr/lib/systemd/journald.conf.d/50-syslog.conf:2", "ForwardToSyslog=no",
                        "ForwardToSyslog=no");
        fixture_done(&f);
}
END_TEST

/* rsyslog in use: journald's items not applicable; the creation mode as rsyslog reads its files (an
 * included file after the main file's directive), network inputs legacy and RainerScript. */
START_TEST(test_rsyslog) {
        const ComplianceResult *x;
        size_t n;
        Fixture f;

        cis_fixture_init(&f, ALL_ITEMS);
        test_write(f.root, "var/lib/dpkg/status",
                   "Package: rsyslog\nStatus: install ok installed\nVersion: 8.2302.0-1\n\n"
                   "Package: syslog-ng-core\nStatus: install ok installed\nVersion: 3.38.1-5\n\n");
        link_in(&f, "/usr/lib/systemd/system/rsyslog.service",
                "etc/systemd/system/multi-user.target.wants/rsyslog.service");
        link_in(&f, "/dev/null", "etc/systemd/system/syslog-ng.service");
        test_write(f.root, "etc/rsyslog.conf",
                   "module(load=\"imuxsock\")\n#module(load=\"imtcp\")\n$FileCreateMode 0640\n"
                   "$IncludeConfig /etc/rsyslog.d/*.conf\n$ModLoad imudp\n$UDPServerRun 514\n");
        test_write(f.root, "etc/rsyslog.d/50-site.conf", "$FileCreateMode 0644\ninput(type=\"imtcp\" port=\"514\")\n");
        test_write(f.root, "etc/systemd/journald.conf", "[Journal]\n#ForwardToSyslog=no\nForwardToSyslog=no\n");
        x = run(&f, "hardenctl-cis-logging", &n);
        ck_assert_uint_eq(n, 12);
        ck_assert_int_eq(x[1].result, RULE_PASS);
        ck_assert_str_eq(x[1].message, "One logging system is in use: rsyslog.service");
        for (size_t i = 2; i < 7; i++) {
                ck_assert_int_eq(x[i].result, RULE_NOTAPPLICABLE);
                ck_assert_str_eq(x[i].message, "rsyslog.service is in use: logs go to it, not to journald alone");
        }
        ck_assert_int_eq(x[7].result, RULE_PASS);
        ck_assert_int_eq(x[8].result, RULE_PASS);
        ck_assert_int_eq(x[9].result, RULE_FAIL);
        assert_evidence(x + 9, 0, "/etc/systemd/journald.conf:3", "ForwardToSyslog=yes", "ForwardToSyslog=no");
        ck_assert_int_eq(x[10].result, RULE_FAIL);
        assert_evidence(x + 10, 0, "/etc/rsyslog.d/50-site.conf:1", "$FileCreateMode 0640 or stricter",
                        "$FileCreateMode 0644");
        ck_assert_int_eq(x[11].result, RULE_FAIL);
        ck_assert_str_eq(x[11].message, "rsyslog receives logs from the network (3 lines)");
        assert_evidence(x + 11, 0, "/etc/rsyslog.d/50-site.conf:2", "no network input",
                        "input(type=\"imtcp\" port=\"514\")");
        assert_evidence(x + 11, 1, "/etc/rsyslog.conf:5", "no network input", "$ModLoad imudp");
        fixture_done(&f);

        /* Two syslog daemons; the fixes. */
        cis_fixture_init(&f, ALL_ITEMS);
        test_write(f.root, "var/lib/dpkg/status",
                   "Package: rsyslog\nStatus: install ok installed\nVersion: 8.2302.0-1\n\n"
                   "Package: syslog-ng-core\nStatus: install ok installed\nVersion: 3.38.1-5\n\n");
        link_in(&f, "/usr/lib/systemd/system/rsyslog.service",
                "etc/systemd/system/multi-user.target.wants/rsyslog.service");
        link_in(&f, "/usr/lib/systemd/system/syslog-ng.service",
                "etc/systemd/system/multi-user.target.wants/syslog-ng.service");
        test_write(f.root, "etc/rsyslog.conf", "$IncludeConfig /etc/rsyslog.d/*.conf\n$FileCreateMode 0600\n");
        test_write(f.root, "etc/rsyslog.d/50-site.conf", "$FileCreateMode 0644\n");
        x = run(&f, "hardenctl-cis-logging", &n);
        ck_assert_int_eq(x[1].result, RULE_FAIL);
        ck_assert_str_eq(x[1].message, "More than one syslog daemon is in use: rsyslog.service syslog-ng.service");
        ck_assert_int_eq(x[9].result, RULE_PASS);
        ck_assert_int_eq(x[10].result, RULE_PASS);
        assert_evidence(x + 10, 0, "/etc/rsyslog.conf:2", "$FileCreateMode 0640 or stricter", "$FileCreateMode 0600");
        ck_assert_int_eq(x[11].result, RULE_PASS);
        fixture_done(&f);
}
END_TEST

static Suite *cis_logging_suite(void) {
        Suite *s = suite_create("compliance-cis-logging");
        TCase *tc = tcase_create("core");

        tcase_add_test(tc, test_journald_alone);
        tcase_add_test(tc, test_rsyslog);
        suite_add_tcase(s, tc);
        return s;
}

TEST_MAIN(cis_logging_suite)
