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

/* rsyslog alone in use: installed, and its unit enabled. */
static void rsyslog_in_use(Fixture *f) {
        test_write(f->root, "var/lib/dpkg/status",
                   "Package: rsyslog\nStatus: install ok installed\nVersion: 8.2302.0-1\n\n");
        link_in(f, "/usr/lib/systemd/system/rsyslog.service",
                "etc/systemd/system/multi-user.target.wants/rsyslog.service");
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
        fixture_recheck(&f); /* the enablement links are listed once per check */
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
        ck_assert_str_eq(x[11].message, "rsyslog receives logs from the network (3 statements)");
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

/* rsyslog's lexer: names of directives, objects and parameters in any case, blanks around '=', objects
 * across lines, comments; a creation mode with anything but a comment after it is not one. */
START_TEST(test_rsyslog_syntax) {
        const ComplianceResult *x;
        size_t n;
        Fixture f;

        cis_fixture_init(&f, "6.1.3.4 6.1.3.7");
        rsyslog_in_use(&f);
        test_write(f.root, "etc/rsyslog.conf",
                   "Module(Load=\"imuxsock\")\n"
                   "MODULE (load = \"builtin:omfile\"\n"
                   "        fileCreateMode = \"0644\")\n"
                   "$filecreatemode 0600   # stricter\n"
                   "module(load=\"imtcp\" # TCP\n"
                   "       MaxSessions=\"10\")\n"
                   "input(\n type=\"imudp\"\n port=\"514\")\n"
                   "/* module(load=\"imrelp\")\n   input(type=\"imrelp\" port=\"20514\") */\n"
                   "global(workDirectory=\"/var/spool/rsyslog\") $ModLoad imrelp\n"
                   "$MODLOAD /usr/lib/x86_64-linux-gnu/rsyslog/imrelp.so\n"
                   "$ModLoad imtcpx\n"
                   "input(type=\"imfile\" File=\"/var/log/app.log\" Tag=\"input(type=imtcp)\")\n");
        x = run(&f, "hardenctl-cis-logging", &n);
        ck_assert_uint_eq(n, 2);
        ck_assert_int_eq(x[0].result, RULE_PASS);
        ck_assert_str_eq(x[0].message, "rsyslog creates log files with mode 0600");
        assert_evidence(x, 0, "/etc/rsyslog.conf:4", "$FileCreateMode 0640 or stricter", "$FileCreateMode 0600");
        ck_assert_int_eq(x[1].result, RULE_FAIL);
        ck_assert_str_eq(x[1].message, "rsyslog receives logs from the network (4 statements)");
        ck_assert_uint_eq(x[1].n_evidence, 4);
        assert_evidence(x + 1, 0, "/etc/rsyslog.conf:5", "no network input",
                        "module(load=\"imtcp\" # TCP MaxSessions=\"10\")");
        assert_evidence(x + 1, 1, "/etc/rsyslog.conf:7", "no network input", "input( type=\"imudp\" port=\"514\")");
        assert_evidence(x + 1, 2, "/etc/rsyslog.conf:12", "no network input", "$ModLoad imrelp");
        assert_evidence(x + 1, 3, "/etc/rsyslog.conf:13", "no network input",
                        "$MODLOAD /usr/lib/x86_64-linux-gnu/rsyslog/imrelp.so");

        /* The omfile module's parameter, across lines; then trailing junk, or an escape, after the mode. */
        test_write(f.root, "etc/rsyslog.conf",
                   "$FileCreateMode 0644\nmodule(\n  LOAD=\"builtin:omfile\"\n  FileCreateMode\n  =\n  \"0640\"\n)\n");
        x = run(&f, "hardenctl-cis-logging", &n);
        ck_assert_int_eq(x[0].result, RULE_PASS);
        assert_evidence(x, 0, "/etc/rsyslog.conf:2", "$FileCreateMode 0640 or stricter", "FileCreateMode=\"0640\"");
        ck_assert_int_eq(x[1].result, RULE_PASS);
        test_write(f.root, "etc/rsyslog.conf", "$FileCreateMode 0640 junk\n");
        x = run(&f, "hardenctl-cis-logging", &n);
        ck_assert_int_eq(x[0].result, RULE_FAIL);
        ck_assert_str_eq(x[0].message, "rsyslog's file creation mode \"0640 junk\" is not an octal file mode");
        assert_evidence(x, 0, "/etc/rsyslog.conf:1", "$FileCreateMode 0640 or stricter", "$FileCreateMode 0640 junk");
        test_write(f.root, "etc/rsyslog.conf", "$FileCreateMode 0640\\0\n");
        x = run(&f, "hardenctl-cis-logging", &n);
        ck_assert_int_eq(x[0].result, RULE_FAIL);
        ck_assert_str_eq(x[0].message, "rsyslog's file creation mode \"0640\\0\" is not an octal file mode");
        test_write(f.root, "etc/rsyslog.conf", "module(load=\"builtin:omfile\" fileCreateMode=\"0640\\0\")\n");
        x = run(&f, "hardenctl-cis-logging", &n);
        ck_assert_int_eq(x[0].result, RULE_FAIL);
        assert_evidence(x, 0, "/etc/rsyslog.conf:1", "$FileCreateMode 0640 or stricter", "FileCreateMode=\"0640\\0\"");
        test_write(f.root, "etc/rsyslog.conf", "$FileCreateMode 0640 # as the benchmark says\n$FileCreateMode\n");
        x = run(&f, "hardenctl-cis-logging", &n);
        ck_assert_int_eq(x[0].result, RULE_FAIL);
        ck_assert_str_eq(x[0].message, "rsyslog's file creation mode \"\" is not an octal file mode");
        test_write(f.root, "etc/rsyslog.conf", "$FileCreateMode 0640 # as the benchmark says\n");
        x = run(&f, "hardenctl-cis-logging", &n);
        ck_assert_int_eq(x[0].result, RULE_PASS);
        ck_assert_str_eq(x[0].message, "rsyslog creates log files with mode 0640");
        fixture_done(&f);
}
END_TEST

/* A file of rsyslog's configuration that cannot be read leaves its items unchecked, with the file and
 * the error as evidence; one that does not exist holds nothing; a directory holds the files in it. */
START_TEST(test_rsyslog_unreadable) {
        const ComplianceResult *x;
        size_t n;
        Fixture f;

        cis_fixture_init(&f, "6.1.3.4 6.1.3.7");
        rsyslog_in_use(&f);
        test_write(f.root, "etc/rsyslog.conf",
                   "$FileCreateMode 0640\ninclude(file=\"/etc/rsyslog.d/missing.conf\" mode=\"optional\")\n"
                   "$IncludeConfig /etc/rsyslog.d/*.conf\n");
        test_write(f.root, "etc/rsyslog.d/.keep", "");
        ck_assert_int_eq(symlinkat("50-site.conf", f.root_fd, "etc/rsyslog.d/50-site.conf"), 0);
        x = run(&f, "hardenctl-cis-logging", &n);
        ck_assert_uint_eq(n, 2);
        for (size_t i = 0; i < 2; i++) {
                ck_assert_int_eq(x[i].result, RULE_ERROR);
                ck_assert_str_eq(x[i].message,
                                 "cannot read /etc/rsyslog.d/50-site.conf: Too many levels of symbolic links");
                assert_evidence(x + i, 0, "/etc/rsyslog.d/50-site.conf", "readable",
                                "unreadable: Too many levels of symbolic links");
        }

        ck_assert_int_eq(unlinkat(f.root_fd, "etc/rsyslog.d/50-site.conf", 0), 0);
        ck_assert_int_eq(mkfifoat(f.root_fd, "etc/rsyslog.d/50-site.conf", 0644), 0);
        x = run(&f, "hardenctl-cis-logging", &n);
        ck_assert_int_eq(x[0].result, RULE_ERROR);
        ck_assert_str_eq(x[0].message, "/etc/rsyslog.d/50-site.conf is not a regular file: not opened");
        assert_evidence(x, 0, "/etc/rsyslog.d/50-site.conf", "readable", "unreadable: File descriptor in bad state");

        /* A directory stands for its files; then the main file cannot be read. */
        ck_assert_int_eq(unlinkat(f.root_fd, "etc/rsyslog.d/50-site.conf", 0), 0);
        test_write(f.root, "etc/rsyslog.conf", "$FileCreateMode 0640\n$IncludeConfig /etc/rsyslog.d/\n");
        test_write(f.root, "etc/rsyslog.d/50-site", "$FileCreateMode 0600\n");
        test_write(f.root, "etc/rsyslog.d/sub/60-net", "module(load=\"imudp\")\n");
        x = run(&f, "hardenctl-cis-logging", &n);
        ck_assert_int_eq(x[0].result, RULE_PASS);
        assert_evidence(x, 0, "/etc/rsyslog.d/50-site:1", "$FileCreateMode 0640 or stricter", "$FileCreateMode 0600");
        ck_assert_int_eq(x[1].result, RULE_FAIL);
        assert_evidence(x + 1, 0, "/etc/rsyslog.d/sub/60-net:1", "no network input", "module(load=\"imudp\")");
        ck_assert_int_eq(unlinkat(f.root_fd, "etc/rsyslog.conf", 0), 0);
        ck_assert_int_eq(mkdirat(f.root_fd, "etc/rsyslog.conf", 0755), 0);
        x = run(&f, "hardenctl-cis-logging", &n);
        ck_assert_int_eq(x[1].result, RULE_ERROR);
        ck_assert_str_eq(x[1].message, "cannot read /etc/rsyslog.conf: Is a directory");
        assert_evidence(x + 1, 0, "/etc/rsyslog.conf", "readable", "unreadable: Is a directory");
        fixture_done(&f);
}
END_TEST

/* The log files below /var/log by the benchmark's table of names. The files are the test's own: the
 * tree's passwd and group give the test's uid and gid the names each case needs, and login.defs puts
 * UID_MIN above the test's uid. */
START_TEST(test_log_files) {
        const ComplianceResult *x;
        size_t n;
        Fixture f;

        cis_fixture_init(&f, "6.1.4.1");
        test_write(f.root, "etc/group", check_tmp(&f.c, "adm:x:%u:\n", (unsigned) getgid()));
        test_write(f.root, "etc/login.defs", check_tmp(&f.c, "UID_MIN %u\n", (unsigned) getuid() + 1));
        test_write(f.root, "var/log/app.log", "x\n");
        test_write(f.root, "var/log/auth.log", "x\n");
        test_write(f.root, "var/log/wtmp", "");
        test_write(f.root, "var/log/journal/0123/system.journal", "");
        ck_assert_int_eq(symlinkat("/etc/shadow", f.root_fd, "var/log/README"), 0);
        chmod_in(&f, "var/log/app.log", 0644);
        chmod_in(&f, "var/log/auth.log", 0640);
        chmod_in(&f, "var/log/wtmp", 0664);
        chmod_in(&f, "var/log/journal/0123/system.journal", 0640);
        x = run(&f, "hardenctl-cis-file-access", &n);
        ck_assert_uint_eq(n, 1);
        ck_assert_str_eq(x->instance, "/var/log");
        ck_assert_int_eq(x->result, RULE_FAIL);
        ck_assert_str_eq(x->message, "3 of 4 log files have a mode, owner or group too open");
        ck_assert_uint_eq(x->n_evidence, 3);
        assert_evidence(x, 0, "/var/log/app.log", "{root syslog}:{root adm}, 0640 or stricter", "root:adm, 0644");
        assert_evidence(x, 1, "/var/log/journal/0123/system.journal", "root:{root systemd-journal}, 0640 or stricter",
                        "root:adm, 0640");
        assert_evidence(x, 2, "/var/log/wtmp", "root:{root utmp}, 0664 or stricter", "root:adm, 0664");
        fixture_done(&f);

        /* A system account's own logs, in a group with no members that is no regular user's primary group. */
        cis_fixture_init(&f, "6.1.4.1");
        test_write(f.root, "etc/passwd",
                   check_tmp(&f.c, "postgres:x:%u:%u::/var/lib/postgresql:/bin/bash\n", (unsigned) getuid(),
                             (unsigned) getgid()));
        test_write(f.root, "etc/group", check_tmp(&f.c, "postgres:x:%u:\n", (unsigned) getgid()));
        test_write(f.root, "etc/login.defs", check_tmp(&f.c, "UID_MIN %u\n", (unsigned) getuid() + 1));
        test_write(f.root, "var/log/postgresql/main.log", "x\n");
        chmod_in(&f, "var/log/postgresql/main.log", 0640);
        x = run(&f, "hardenctl-cis-file-access", &n);
        ck_assert_int_eq(x->result, RULE_PASS);
        ck_assert_str_eq(x->message, "All 1 log files below /var/log have their mode, owner and group");
        fixture_done(&f);

        cis_fixture_init(&f, "6.1.4.1");
        test_write(f.root, "etc/passwd",
                   check_tmp(&f.c, "postgres:x:%u:%u::/:/bin/bash\nalice:x:%u:%u::/home/alice:/bin/bash\n",
                             (unsigned) getuid(), (unsigned) getgid(), (unsigned) getuid() + 5, (unsigned) getgid()));
        test_write(f.root, "etc/group", check_tmp(&f.c, "postgres:x:%u:\n", (unsigned) getgid()));
        test_write(f.root, "etc/login.defs", check_tmp(&f.c, "UID_MIN %u\n", (unsigned) getuid() + 1));
        test_write(f.root, "var/log/postgresql/main.log", "x\n");
        chmod_in(&f, "var/log/postgresql/main.log", 0640);
        x = run(&f, "hardenctl-cis-file-access", &n);
        ck_assert_int_eq(x->result, RULE_FAIL);
        assert_evidence(x, 0, "/var/log/postgresql/main.log", "{root syslog}:{root adm}, 0640 or stricter",
                        "postgres:postgres, 0640");
        fixture_done(&f);
}
END_TEST

/* Without a package database, which logging system is in use cannot be told, but journald's own item
 * can. */
START_TEST(test_logging_no_dpkg) {
        const ComplianceResult *x;
        size_t n;
        Fixture f;

        cis_fixture_init(&f, "6.1.1.1 6.1.1.4");
        x = run(&f, "hardenctl-cis-logging", &n);
        ck_assert_uint_eq(n, 2);
        ck_assert_int_eq(x[0].result, RULE_PASS);
        ck_assert_int_eq(x[1].result, RULE_ERROR);
        fixture_done(&f);
}
END_TEST

static Suite *cis_logging_suite(void) {
        Suite *s = suite_create("compliance-cis-logging");
        TCase *tc = tcase_create("core");

        tcase_add_test(tc, test_journald_alone);
        tcase_add_test(tc, test_rsyslog);
        tcase_add_test(tc, test_rsyslog_syntax);
        tcase_add_test(tc, test_rsyslog_unreadable);
        tcase_add_test(tc, test_log_files);
        tcase_add_test(tc, test_logging_no_dpkg);
        suite_add_tcase(s, tc);
        return s;
}

TEST_MAIN(cis_logging_suite)
