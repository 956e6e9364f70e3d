/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* The [Benchmark] rules against fixture trees, with the exact evidence of passing and failing
 * variants. The tree's own passwd and group name the test's user "root", so that owners read as the
 * benchmark expects whoever runs the test. */

#include <sys/stat.h>
#include <unistd.h>

#include "cis-fixture.h"


START_TEST(test_file_access) {
        const ComplianceResult *x;
        size_t n;
        Fixture f;

        cis_fixture_init(&f, "7.1.1 7.1.2 7.1.5 2.4.1.8 5.1.2");
        chmod_in(&f, "etc/passwd", 0644);
        test_write(f.root, "etc/shadow", "root:!:19000::::::\n");
        chmod_in(&f, "etc/shadow", 0644);
        test_write(f.root, "etc/ssh/ssh_host_ed25519_key", "k\n");
        chmod_in(&f, "etc/ssh/ssh_host_ed25519_key", 0600);
        test_write(f.root, "etc/ssh/ssh_host_rsa_key", "k\n");
        chmod_in(&f, "etc/ssh/ssh_host_rsa_key", 0644);
        test_write(f.root, "etc/ssh/ssh_host_rsa_key.pub", "k\n");

        x = run(&f, "hardenctl-cis-file-access", &n);
        ck_assert_uint_eq(n, 6); /* cron.allow, cron.deny, host keys, passwd, passwd-, shadow */
        ck_assert_str_eq(x[0].instance, "/etc/cron.allow");
        ck_assert_str_eq(x[0].instance, "/etc/cron.allow");
        ck_assert_int_eq(x[0].result, RULE_FAIL);
        ck_assert_str_eq(x[0].message, "/etc/cron.allow is missing");
        assert_evidence(x, 0, "/etc/cron.allow", "present", "missing");
        ck_assert_int_eq(x[1].result, RULE_NOTAPPLICABLE); /* cron.deny */
        ck_assert_str_eq(x[2].instance, "/etc/ssh/ssh_host_*_key");
        ck_assert_int_eq(x[2].result, RULE_FAIL);
        ck_assert_str_eq(x[2].message, "Owner, group or mode too open: /etc/ssh/ssh_host_rsa_key");
        ck_assert_uint_eq(x[2].n_evidence, 2); /* the .pub file does not match */
        assert_evidence(x + 2, 0, "/etc/ssh/ssh_host_ed25519_key", "root:{root ssh_keys}, 0600 or stricter",
                        "root:root, 0600");
        assert_evidence(x + 2, 1, "/etc/ssh/ssh_host_rsa_key", "root:{root ssh_keys}, 0600 or stricter",
                        "root:root, 0644");
        ck_assert_int_eq(x[3].result, RULE_PASS);
        ck_assert_str_eq(x[3].message, "/etc/passwd is root-owned with mode 0644 or stricter");
        assert_evidence(x + 3, 0, "/etc/passwd", "root:root, 0644 or stricter", "root:root, 0644");
        ck_assert_int_eq(x[4].result, RULE_NOTAPPLICABLE);
        ck_assert_str_eq(x[4].message, "/etc/passwd- does not exist");
        ck_assert_int_eq(x[5].result, RULE_FAIL);
        assert_evidence(x + 5, 0, "/etc/shadow", "root:{root shadow}, 0640 or stricter", "root:root, 0644");

        chmod_in(&f, "etc/shadow", 0600);
        chmod_in(&f, "etc/ssh/ssh_host_rsa_key", 0400);
        test_write(f.root, "etc/cron.allow", "root\n");
        chmod_in(&f, "etc/cron.allow", 0640);
        x = run(&f, "hardenctl-cis-file-access", &n);
        ck_assert_uint_eq(n, 6);
        ck_assert_int_eq(x[0].result, RULE_PASS);
        ck_assert_int_eq(x[2].result, RULE_PASS);
        ck_assert_str_eq(x[2].message,
                         "2 files match /etc/ssh/ssh_host_*_key, each root-owned with mode 0600 or stricter");
        ck_assert_int_eq(x[5].result, RULE_PASS);
        fixture_done(&f);
}
END_TEST

/* The effective configuration: Include where it stands, the first value wins, defaults, Match. */
START_TEST(test_sshd) {
        const ComplianceResult *x;
        size_t n;
        Fixture f;

        cis_fixture_init(&f, "5.1.4 5.1.7 5.1.13 5.1.15 5.1.16 5.1.19 5.1.22");
        x = run(&f, "hardenctl-cis-sshd", &n);
        ck_assert_uint_eq(n, 8);
        ck_assert_int_eq(x[0].result, RULE_NOTAPPLICABLE);

        test_write(f.root, "etc/ssh/sshd_config",
                   "Include /etc/ssh/sshd_config.d/*.conf\n"
                   "MaxAuthTries 6\n"
                   "LoginGraceTime=1m\n"
                   "UsePAM yes\n"
                   "AllowGroups ssh-users\n"
                   "Match User backup\n"
                   "  PermitEmptyPasswords yes\n");
        test_write(f.root, "etc/ssh/sshd_config.d/50-cis.conf",
                   "# first value wins\nMaxAuthTries 4\nMACs hmac-sha2-512-etm@openssh.com,hmac-sha2-256\n"
                   "ClientAliveInterval 15\n");
        x = run(&f, "hardenctl-cis-sshd", &n);
        ck_assert_uint_eq(n, 8);
        ck_assert_str_eq(x[0].instance, "AllowUsers AllowGroups DenyUsers DenyGroups");
        ck_assert_int_eq(x[0].result, RULE_PASS);
        assert_evidence(x, 0, "/etc/ssh/sshd_config:5", "AllowUsers, AllowGroups, DenyUsers or DenyGroups set",
                        "AllowGroups ssh-users");
        ck_assert_int_eq(x[1].result, RULE_PASS); /* ClientAliveInterval */
        assert_evidence(x + 1, 0, "/etc/ssh/sshd_config.d/50-cis.conf:4", "more than 0", "ClientAliveInterval 15");
        ck_assert_int_eq(x[2].result, RULE_PASS); /* ClientAliveCountMax: default */
        assert_evidence(x + 2, 0, "/etc/ssh/sshd_config (default)", "more than 0", "ClientAliveCountMax 3");
        ck_assert_str_eq(x[2].message, "sshd uses ClientAliveCountMax 3 (its default)");
        ck_assert_int_eq(x[3].result, RULE_PASS); /* LoginGraceTime 1m */
        ck_assert_int_eq(x[4].result, RULE_PASS); /* MACs */
        ck_assert_int_eq(x[5].result, RULE_PASS); /* MaxAuthTries: the drop-in's 4 comes first */
        assert_evidence(x + 5, 0, "/etc/ssh/sshd_config.d/50-cis.conf:2", "4 or less", "MaxAuthTries 4");
        ck_assert_int_eq(x[6].result, RULE_FAIL); /* PermitEmptyPasswords in the Match block */
        ck_assert_str_eq(
                x[6].message,
                "PermitEmptyPasswords is weaker for the connections of Match User backup (/etc/ssh/sshd_config:6)");
        assert_evidence(x + 6, 1, "/etc/ssh/sshd_config:7", "no",
                        "PermitEmptyPasswords yes in Match User backup (/etc/ssh/sshd_config:6)");
        ck_assert_int_eq(x[7].result, RULE_PASS); /* UsePAM */

        test_write(f.root, "etc/ssh/sshd_config", "MACs +hmac-md5\nLoginGraceTime 2m\n");
        x = run(&f, "hardenctl-cis-sshd", &n);
        ck_assert_int_eq(x[0].result, RULE_FAIL);
        ck_assert_int_eq(x[3].result, RULE_FAIL);
        ck_assert_int_eq(x[4].result, RULE_FAIL);
        ck_assert_int_eq(x[5].result, RULE_FAIL); /* MaxAuthTries: the drop-in is no longer included */
        ck_assert_str_eq(x[5].message, "sshd uses MaxAuthTries 6 (its default), expected 4 or less");
        ck_assert_int_eq(x[7].result, RULE_FAIL);
        fixture_done(&f);
}
END_TEST

/* Password aging: login.defs (and useradd's INACTIVE) for new accounts, shadow for existing ones. */
START_TEST(test_password_aging) {
        const ComplianceResult *x;
        size_t n;
        Fixture f;

        cis_fixture_init(&f, "5.4.1.1 5.4.1.3 5.4.1.4 5.4.1.5 5.4.1.6");
        f.report.time_usec = 1700000000ULL * 1000000ULL; /* day 19675 */
        test_write(f.root, "etc/login.defs",
                   "# defaults\nPASS_MAX_DAYS\t99999\nPASS_WARN_AGE 7\nENCRYPT_METHOD SHA512\n");
        test_write(f.root, "etc/shadow",
                   "root:*:19000:0:99999:7:::\n"
                   "alice:$y$j9T$x$y:19000:1:365:7:30::\n"
                   "bob:$y$j9T$x$y:30000:1:99999:7:::\n");
        x = run(&f, "hardenctl-cis-password-aging", &n);
        ck_assert_uint_eq(n, 5);
        ck_assert_str_eq(x[0].instance, "PASS_MAX_DAYS");
        ck_assert_int_eq(x[0].result, RULE_FAIL);
        assert_evidence(x, 0, "/etc/login.defs:2", "1 to 365", "PASS_MAX_DAYS 99999");
        assert_evidence(x, 1, "/etc/shadow", "1 to 365", "bob (99999)");
        ck_assert_int_eq(x[1].result, RULE_PASS); /* PASS_WARN_AGE */
        assert_evidence(x + 1, 1, "/etc/shadow", "7 or more", "2 accounts with a password, all within");
        ck_assert_int_eq(x[2].result, RULE_PASS); /* ENCRYPT_METHOD */
        ck_assert_int_eq(x[3].result, RULE_FAIL); /* INACTIVE */
        assert_evidence(x + 3, 0, "/etc/default/useradd", "INACTIVE=0 to 45", "not set (-1: never)");
        assert_evidence(x + 3, 1, "/etc/shadow", "0 to 45", "bob (unset)");
        ck_assert_int_eq(x[4].result, RULE_FAIL); /* last change */
        assert_evidence(x + 4, 0, "/etc/shadow", "every last change in the past", "bob (day 30000)");

        test_write(f.root, "etc/login.defs",
                   "PASS_MAX_DAYS 365\nPASS_MAX_DAYS 99999\nPASS_WARN_AGE 7\nENCRYPT_METHOD MD5\n");
        test_write(f.root, "etc/default/useradd", "INACTIVE=30\n");
        test_write(f.root, "etc/shadow", "alice:$y$j9T$x$y:19000:1:365:7:30::\n");
        x = run(&f, "hardenctl-cis-password-aging", &n);
        ck_assert_int_eq(x[0].result, RULE_PASS); /* the first assignment counts */
        ck_assert_int_eq(x[2].result, RULE_FAIL);
        ck_assert_int_eq(x[3].result, RULE_PASS);
        ck_assert_int_eq(x[4].result, RULE_PASS);
        fixture_done(&f);
}
END_TEST

START_TEST(test_accounts) {
        _cleanup_free_ char *passwd = NULL;
        const ComplianceResult *x;
        size_t n;
        Fixture f;

        cis_fixture_init(&f, "7.2.1 7.2.2 7.2.3 7.2.4 7.2.5 7.2.7 5.4.2.2 5.4.2.3 5.4.2.4 5.4.2.7 5.4.2.8 5.4.3.1 7.2.9");
        test_write(f.root, "etc/passwd",
                   "root:x:0:0:root:/root:/bin/bash\n"
                   "daemon:x:1:1:daemon:/usr/sbin:/bin/sh\n"
                   "alice:x:1000:1000::/home/alice:/bin/bash\n"
                   "mallory:abc:1000:0::/home/mallory:/bin/bash\n"
                   "alice:x:1002:4243::/home/alice2:/usr/sbin/nologin\n");
        test_write(f.root, "etc/group", "root:x:0:\ntoor:x:0:\nshadow:x:4243:bob\ndaemon:x:1:\n");
        test_write(f.root, "etc/shadow", "root::19000::::::\ndaemon:*:19000::::::\nalice:$y$x:19000::::::\n");
        test_write(f.root, "etc/shells", "# shells\n/bin/sh\n/bin/bash\n/usr/sbin/nologin\n");
        x = run(&f, "hardenctl-cis-accounts", &n);
        ck_assert_uint_eq(n, 13);
        assert_evidence(x + 0, 0, "/etc/passwd", "every password field x", "mallory");
        assert_evidence(x + 1, 0, "/etc/shadow", "no empty password", "root");
        assert_evidence(x + 2, 0, "/etc/passwd /etc/group", "every primary group in /etc/group", "alice (gid 1000)");
        assert_evidence(x + 3, 0, "/etc/group", "no member", "bob alice (primary)");
        assert_evidence(x + 4, 0, "/etc/passwd", "no UID twice", "alice,mallory (1000)");
        assert_evidence(x + 5, 0, "/etc/passwd", "no user name twice", "alice,alice (alice)");
        assert_evidence(x + 6, 0, "/etc/passwd", "only root (and sync, shutdown, halt, operator) with GID 0", "mallory");
        assert_evidence(x + 7, 0, "/etc/group", "only group root with GID 0", "toor");
        assert_evidence(x + 8, 0, "/etc/shadow", "root's password set or locked", "root (empty)");
        assert_evidence(x + 9, 0, "/etc/passwd /etc/shells", "no system account with a login shell", "daemon (/bin/sh)");
        assert_evidence(x + 10, 0, "/etc/passwd /etc/shadow", "every account without a login shell locked", "alice");
        assert_evidence(x + 11, 0, "/etc/shells", "nologin not listed", "/usr/sbin/nologin");
        ck_assert_str_eq(x[12].instance, "home directories");
        ck_assert_ptr_nonnull(strstr(x[12].evidence[0].actual, "alice (/home/alice missing)"));
        for (size_t i = 0; i < n; i++)
                ck_assert_int_eq(x[i].result, RULE_FAIL);

        passwd = strprintf("root:x:%u:0:root:/root:/bin/bash\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n",
                           (unsigned) getuid());
        ck_assert_ptr_nonnull(passwd);
        test_write(f.root, "etc/passwd", passwd);
        test_write(f.root, "etc/group", "root:x:0:\nshadow:x:4243:\ndaemon:x:1:\n");
        test_write(f.root, "etc/shadow", "root:$y$x:19000::::::\ndaemon:*:19000::::::\n");
        test_write(f.root, "etc/shells", "/bin/sh\n/bin/bash\n");
        test_write(f.root, "root/.profile", "x\n");
        ck_assert_int_eq(fchmodat(f.root_fd, "root", 0700, 0), 0);
        fixture_recheck(&f);
        x = run(&f, "hardenctl-cis-accounts", &n);
        for (size_t i = 0; i < n; i++)
                ck_assert_msg(x[i].result == RULE_PASS, "%s: %s", x[i].instance, x[i].message);
        assert_evidence(x + 12, 0, "/etc/passwd",
                        "each interactive user's home: a directory they own, 0750 or stricter", "none");
        fixture_done(&f);
}
END_TEST

/* 20,000 accounts, as an LDAP-synced passwd has them: duplicates found by sorting (a comparison of every
 * pair took minutes under ASan), in the order of their first holders, and every lookup by name or id
 * through an index. */
START_TEST(test_accounts_many) {
        _cleanup_free_ char *passwd = NULL, *group = NULL, *shadow = NULL;
        const size_t n_users = 20000;
        const ComplianceResult *x;
        size_t n, size = 0;
        FILE *p, *g, *sh;
        Fixture f;

        cis_fixture_init(&f, "7.2.3 7.2.5 7.2.7 5.4.2.8");
        p = open_memstream(&passwd, &size);
        g = open_memstream(&group, &size);
        sh = open_memstream(&shadow, &size);
        ck_assert_ptr_nonnull(p);
        ck_assert_ptr_nonnull(g);
        ck_assert_ptr_nonnull(sh);
        for (size_t i = 0; i < n_users; i++) {
                /* u2 takes u1's UID, u19999 u3's; u19998 is a second u7; u19997's group is nowhere. */
                unsigned uid = i == 2 ? 10001 : i == 19999 ? 10003 : 10000 + (unsigned) i;
                unsigned gid = i == 19997 ? 99999 : 10000 + (unsigned) i;

                fprintf(p, "u%zu:x:%u:%u::/home/u%zu:/usr/sbin/nologin\n", i == 19998 ? (size_t) 7 : i, uid, gid, i);
                fprintf(g, "g%zu:x:%u:\n", i, 10000 + (unsigned) i);
                /* Without a login shell, every one locked but u15000. */
                fprintf(sh, "u%zu:%s:19000::::::\n", i, i == 15000 ? "$y$x" : "!");
        }
        ck_assert_int_eq(fclose(p), 0);
        ck_assert_int_eq(fclose(g), 0);
        ck_assert_int_eq(fclose(sh), 0);
        test_write(f.root, "etc/passwd", passwd);
        test_write(f.root, "etc/group", group);
        test_write(f.root, "etc/shadow", shadow);
        test_write(f.root, "etc/shells", "/bin/sh\n/bin/bash\n");
        x = run(&f, "hardenctl-cis-accounts", &n);
        ck_assert_uint_eq(n, 4);
        assert_evidence(x + 0, 0, "/etc/passwd /etc/group", "every primary group in /etc/group", "u19997 (gid 99999)");
        assert_evidence(x + 1, 0, "/etc/passwd", "no UID twice", "u1,u2 (10001) u3,u19999 (10003)");
        assert_evidence(x + 2, 0, "/etc/passwd", "no user name twice", "u7,u7 (u7)");
        assert_evidence(x + 3, 0, "/etc/passwd /etc/shadow", "every account without a login shell locked", "u15000");
        fixture_done(&f);
}
END_TEST

/* PAM: Debian's common stacks with @include, settings files and module arguments (which win). */
START_TEST(test_pam) {
        const ComplianceResult *x;
        size_t n;
        Fixture f;

        cis_fixture_init(
                &f, "5.3.1.3 5.3.2.2 5.3.2.3 5.3.3.1.1 5.3.3.1.2 5.3.3.2.2 5.3.3.2.4 5.3.3.3.3 5.3.3.4.1 5.3.3.4.3");
        test_write(f.root, "var/lib/dpkg/status",
                   "Package: libpam-pwquality\nStatus: install ok installed\nVersion: 1.4.5-1\n\n");
        test_write(f.root, "etc/pam.d/common-auth",
                   "auth required pam_faillock.so preauth\n"
                   "auth [success=1 default=ignore] pam_unix.so nullok\n"
                   "auth [default=die] pam_faillock.so authfail unlock_time=900\n");
        test_write(f.root, "etc/pam.d/common-password",
                   "@include pwquality-local\npassword required pam_unix.so obscure yescrypt\n");
        test_write(f.root, "etc/pam.d/pwquality-local", "password requisite pam_pwquality.so retry=3 minlen=8\n");
        test_write(f.root, "etc/security/faillock.conf", "# deny = 3\ndeny = 10\n");
        test_write(f.root, "etc/security/pwquality.conf", "minlen = 14\nmaxrepeat = 3\n");
        x = run(&f, "hardenctl-cis-pam", &n);
        ck_assert_uint_eq(n, 10);
        ck_assert_int_eq(x[0].result, RULE_PASS);
        assert_evidence(x, 0, "/var/lib/dpkg/status", "installed", "install ok installed 1.4.5-1");
        ck_assert_int_eq(x[1].result, RULE_PASS); /* pam_faillock */
        assert_evidence(x + 1, 0, "/etc/pam.d/common-auth:1", "auth pam_faillock.so", "auth required pam_faillock.so");
        ck_assert_int_eq(x[2].result, RULE_PASS); /* pam_pwquality, through @include */
        assert_evidence(x + 2, 0, "/etc/pam.d/pwquality-local:1", "password pam_pwquality.so",
                        "password requisite pam_pwquality.so");
        ck_assert_int_eq(x[3].result, RULE_FAIL); /* deny */
        assert_evidence(x + 3, 0, "/etc/security/faillock.conf:2", "1 to 5", "deny=10");
        ck_assert_int_eq(x[4].result, RULE_FAIL); /* unlock_time: set on the authfail line, not the preauth one */
        assert_evidence(x + 4, 0, "pam_faillock.so (default, at /etc/pam.d/common-auth:1)", "0 or 900 or more",
                        "unlock_time=600");
        assert_evidence(x + 4, 1, "/etc/pam.d/common-auth:3", "0 or 900 or more", "unlock_time=900");
        ck_assert_int_eq(x[5].result, RULE_FAIL); /* minlen: the argument wins over pwquality.conf */
        assert_evidence(x + 5, 0, "/etc/pam.d/pwquality-local:1", "14 or more", "minlen=8");
        ck_assert_int_eq(x[6].result, RULE_PASS); /* maxrepeat */
        assert_evidence(x + 6, 0, "/etc/security/pwquality.conf:2", "1 to 3", "maxrepeat=3");
        ck_assert_int_eq(x[7].result, RULE_FAIL); /* no pam_pwhistory line */
        ck_assert_int_eq(x[8].result, RULE_FAIL); /* nullok */
        assert_evidence(x + 8, 0, "/etc/pam.d/common-*", "no nullok", "nullok at /etc/pam.d/common-auth:2");
        ck_assert_int_eq(x[9].result, RULE_PASS); /* yescrypt */
        fixture_done(&f);
}
END_TEST

START_TEST(test_sudo) {
        const ComplianceResult *x;
        SudoDefault d = {};
        size_t n;
        Fixture f;

        ck_assert_int_eq(sudoers_defaults_get("/s", "Defaults env_reset, use_pty\n", "use_pty", &d), 0);
        ck_assert_str_eq(d.source, "/s:1");
        ck_assert_str_eq(d.value, "");
        sudo_default_done(&d);

        cis_fixture_init(&f, "5.2.1 5.2.2 5.2.3 5.2.6 5.2.7");
        test_write(f.root, "var/lib/dpkg/status", "Package: sudo\nStatus: install ok installed\nVersion: 1.9.13p3-1\n\n");
        test_write(f.root, "etc/sudoers", "Defaults env_reset, use_pty\n@includedir /etc/sudoers.d\n");
        test_write(f.root, "etc/sudoers.d/50-log",
                   "Defaults:alice !use_pty\nDefaults logfile=\"/var/log/sudo.log\", \\\n timestamp_timeout=-1\n");
        test_write(f.root, "etc/pam.d/su", "auth sufficient pam_rootok.so\n# auth required pam_wheel.so use_uid\n");
        x = run(&f, "hardenctl-cis-sudo", &n);
        ck_assert_uint_eq(n, 5);
        ck_assert_int_eq(x[0].result, RULE_PASS);
        assert_evidence(x, 0, "/var/lib/dpkg/status", "sudo or sudo-ldap installed", "sudo 1.9.13p3-1");
        ck_assert_msg(x[1].result == RULE_PASS, "%s %s %s", x[1].message, x[1].evidence[0].source,
                      x[1].evidence[0].actual); /* Defaults:alice does not count */
        assert_evidence(x + 1, 0, "/etc/sudoers:1", "Defaults use_pty", "Defaults use_pty");
        ck_assert_int_eq(x[2].result, RULE_PASS);
        assert_evidence(x + 2, 0, "/etc/sudoers.d/50-log:2", "Defaults logfile=FILE",
                        "Defaults logfile=/var/log/sudo.log");
        ck_assert_int_eq(x[3].result, RULE_FAIL);
        assert_evidence(x + 3, 0, "/etc/sudoers.d/50-log:2", "0 to 15 minutes", "Defaults timestamp_timeout=-1");
        ck_assert_int_eq(x[4].result, RULE_FAIL);
        assert_evidence(x + 4, 0, "/etc/pam.d/su", "auth required pam_wheel.so use_uid group=GROUP", "absent");

        test_write(f.root, "etc/pam.d/su", "auth required pam_wheel.so use_uid group=sugroup\n");
        test_write(f.root, "etc/group", "root:x:0:\nsugroup:x:4300:\n");
        test_write(f.root, "etc/sudoers.d/50-log", "Defaults !use_pty\n");
        check_context_done(&f.c);
        ck_assert_int_eq(check_context_init(&f.c, f.profile, &f.report, f.root_fd, f.root), 0);
        x = run(&f, "hardenctl-cis-sudo", &n);
        ck_assert_int_eq(x[1].result, RULE_FAIL); /* the last Defaults wins */
        assert_evidence(x + 1, 0, "/etc/sudoers.d/50-log:1", "Defaults use_pty", "Defaults !use_pty");
        ck_assert_int_eq(x[2].result, RULE_FAIL);
        ck_assert_int_eq(x[3].result, RULE_PASS);
        assert_evidence(x + 3, 0, "/etc/sudoers (default)", "0 to 15 minutes", "Defaults timestamp_timeout=15");
        ck_assert_int_eq(x[4].result, RULE_PASS);
        ck_assert_str_eq(x[4].message, "su is limited to the empty group sugroup");
        fixture_done(&f);
}
END_TEST

START_TEST(test_login) {
        const ComplianceResult *x;
        size_t n;
        Fixture f;

        cis_fixture_init(&f, "1.6.1 1.6.2 1.6.3 5.4.3.2 5.4.3.3 5.4.2.6 2.4.1.1");
        test_write(f.root, "etc/os-release", "ID=debian\n");
        test_write(f.root, "etc/issue", "Debian GNU/Linux 12 \\n \\l\n");
        test_write(f.root, "etc/issue.net", "Authorized use only.\n");
        test_write(f.root, "etc/profile", "umask 022\n");
        test_write(f.root, "etc/profile.d/tmout.sh", "TMOUT=900\nreadonly TMOUT\nexport TMOUT\n");
        test_write(f.root, "etc/login.defs", "UMASK 027\n");
        test_write(f.root, "root/.bashrc", "umask 077\n");
        test_write(f.root, "var/lib/dpkg/status", "Package: cron\nStatus: install ok installed\nVersion: 3.0pl1-162\n\n");
        x = run(&f, "hardenctl-cis-login", &n);
        ck_assert_uint_eq(n, 7);
        ck_assert_int_eq(x[0].result, RULE_NOTAPPLICABLE); /* no /etc/motd */
        ck_assert_int_eq(x[1].result, RULE_FAIL);
        assert_evidence(x + 1, 0, "/etc/issue", "no \\m, \\r, \\s, \\v or OS name", "contains debian");
        ck_assert_int_eq(x[2].result, RULE_PASS);
        ck_assert_int_eq(x[3].result, RULE_PASS); /* TMOUT */
        assert_evidence(x + 3, 0, "/etc/profile.d/tmout.sh:1", "TMOUT=1 to 900", "TMOUT=900");
        ck_assert_int_eq(x[4].result, RULE_FAIL); /* umask 022 in /etc/profile */
        assert_evidence(x + 4, 0, "/etc/profile:1", "027 or stricter", "umask 0022");
        assert_evidence(x + 4, 1, "/etc/login.defs:1", "027 or stricter", "UMASK 027");
        ck_assert_int_eq(x[5].result, RULE_PASS); /* root's 077 */
        ck_assert_int_eq(x[6].result, RULE_FAIL); /* cron not enabled */
        assert_evidence(x + 6, 1, "/etc/systemd/system/multi-user.target.wants/cron.service", "enabled", "not enabled");
        fixture_done(&f);
}
END_TEST

START_TEST(test_time_sync) {
        const ComplianceResult *x;
        size_t n;
        Fixture f;

        cis_fixture_init(&f, "2.3.1.1 2.3.2.1 2.3.3.1 2.3.3.2");
        test_write(f.root, "var/lib/dpkg/status",
                   "Package: chrony\nStatus: install ok installed\nVersion: 4.3-2\n\n"
                   "Package: systemd-timesyncd\nStatus: install ok installed\nVersion: 252.30-1\n\n");
        test_write(f.root, "etc/systemd/system/multi-user.target.wants/chrony.service", "[Unit]\n");
        test_write(f.root, "etc/systemd/system/sysinit.target.wants/systemd-timesyncd.service", "[Unit]\n");
        test_write(f.root, "etc/chrony/chrony.conf", "confdir /etc/chrony/conf.d\nuser root\n");
        test_write(f.root, "etc/chrony/sources.d/local.sources", "pool 2.debian.pool.ntp.org iburst\n");
        x = run(&f, "hardenctl-cis-time-sync", &n);
        ck_assert_uint_eq(n, 4);
        ck_assert_int_eq(x[0].result, RULE_FAIL);
        assert_evidence(x, 0, "/var/lib/dpkg/status /etc/systemd/system",
                        "exactly one of chrony, systemd-timesyncd, ntp", "chrony.service systemd-timesyncd.service");
        ck_assert_int_eq(x[1].result, RULE_FAIL); /* timesyncd names no server */
        ck_assert_int_eq(x[2].result, RULE_PASS);
        assert_evidence(x + 2, 0, "/etc/chrony/sources.d/local.sources:1", "a server or pool line",
                        "pool 2.debian.pool.ntp.org iburst");
        ck_assert_int_eq(x[3].result, RULE_FAIL);
        assert_evidence(x + 3, 0, "/etc/chrony/chrony.conf:2", "user _chrony", "user root");

        ck_assert_int_eq(unlinkat(f.root_fd, "etc/systemd/system/sysinit.target.wants/systemd-timesyncd.service", 0), 0);
        test_write(f.root, "etc/chrony/chrony.conf", "confdir /etc/chrony/conf.d\n");
        fixture_recheck(&f); /* the enablement links are listed once per check */
        x = run(&f, "hardenctl-cis-time-sync", &n);
        ck_assert_int_eq(x[0].result, RULE_PASS);
        ck_assert_int_eq(x[1].result, RULE_NOTAPPLICABLE);
        ck_assert_int_eq(x[3].result, RULE_PASS);
        fixture_done(&f);
}
END_TEST

/* One walk for the whole-tree items, with exact evidence. */
START_TEST(test_filesystem_walk) {
        const ComplianceResult *x;
        size_t n;
        Fixture f;

        cis_fixture_init(&f, "7.1.11 7.1.12 7.1.13");
        test_write(f.root, "srv/ok", "x\n");
        test_write(f.root, "srv/open", "x\n");
        chmod_in(&f, "srv/open", 0666);
        test_write(f.root, "tmp/keep", "x\n");
        chmod_in(&f, "tmp", 01777);
        test_write(f.root, "srv/drop/x", "x\n");
        chmod_in(&f, "srv/drop", 0777);
        test_write(f.root, "usr/bin/tool", "x\n");
        chmod_in(&f, "usr/bin/tool", 04755);
        chmod_in(&f, "srv/ok", 0644);
        x = run(&f, "hardenctl-cis-filesystem-walk", &n);
        ck_assert_uint_eq(n, 4);
        ck_assert_int_eq(x[0].result, RULE_FAIL);
        ck_assert_str_eq(x[0].evidence[0].expected, "none");
        ck_assert_str_eq(x[0].evidence[0].actual, "1: /srv/open");
        ck_assert_int_eq(x[1].result, RULE_FAIL);
        ck_assert_str_eq(x[1].evidence[0].actual, "1: /srv/drop");
        ck_assert_int_eq(x[2].result, RULE_PASS); /* every file is the test user's, "root" in the tree */
        ck_assert_int_eq(x[3].result, RULE_NOTCHECKED);
        ck_assert_str_eq(x[3].evidence[0].actual, "1: /usr/bin/tool");
        ck_assert_str_eq(x[3].message, "1 SUID or SGID files: a manual item, review each against what the host needs");

        test_write(f.root, "etc/passwd", "nobody:x:65534:65534::/:/usr/sbin/nologin\n");
        check_context_done(&f.c);
        ck_assert_int_eq(check_context_init(&f.c, f.profile, &f.report, f.root_fd, f.root), 0);
        x = run(&f, "hardenctl-cis-filesystem-walk", &n);
        ck_assert_int_eq(x[2].result, RULE_FAIL);
        fixture_done(&f);
}
END_TEST

/* journald.conf, then its drop-ins by name, the last assignment in [Journal] winning; defaults. */
START_TEST(test_journald) {
        const ComplianceResult *x;
        size_t n;
        Fixture f;

        cis_fixture_init(&f, "6.1.2.3 6.1.2.4");
        x = run(&f, "hardenctl-cis-journald", &n);
        ck_assert_uint_eq(n, 2);
        ck_assert_int_eq(x[0].result, RULE_PASS);
        assert_evidence(x, 0, "/etc/systemd/journald.conf (default)", "Compress=yes", "Compress=yes");
        ck_assert_int_eq(x[1].result, RULE_FAIL);
        assert_evidence(x + 1, 0, "/etc/systemd/journald.conf (default)", "Storage=persistent", "Storage=auto");

        test_write(f.root, "etc/systemd/journald.conf", "[Journal]\nStorage=persistent\nCompress=no\n");
        test_write(f.root, "usr/lib/systemd/journald.conf.d/10-x.conf", "[Journal]\nStorage=volatile\n");
        test_write(f.root, "etc/systemd/journald.conf.d/10-x.conf", "[Journal]\nCompress=yes\n[Other]\nStorage=none\n");
        x = run(&f, "hardenctl-cis-journald", &n);
        ck_assert_int_eq(x[0].result, RULE_PASS);
        assert_evidence(x, 0, "/etc/systemd/journald.conf.d/10-x.conf:2", "Compress=yes", "Compress=yes");
        ck_assert_int_eq(x[1].result, RULE_PASS); /* the /usr/lib drop-in is hidden by the one in /etc */
        assert_evidence(x + 1, 0, "/etc/systemd/journald.conf:2", "Storage=persistent", "Storage=persistent");
        fixture_done(&f);

        /* systemd's syntax: comments only at the start of a line, continued lines, blanks trimmed, an empty
         * assignment back to the default; a size for Compress= compresses too. The main file may be in
         * /usr/lib where /etc has none. */
        cis_fixture_init(&f, "6.1.2.3 6.1.2.4");
        test_write(f.root, "usr/lib/systemd/journald.conf",
                   "[Journal]\n"
                   "; Storage=persistent\n"
                   "Storage = persistent \n"
                   "Compress=no\n");
        test_write(f.root, "etc/systemd/journald.conf.d/50-a.conf",
                   "[Journal]\n"
                   "# a comment that ends in a backslash \\\n"
                   "Compress=no\n"
                   "Storage=\\\n"
                   "  volatile\n");
        x = run(&f, "hardenctl-cis-journald", &n);
        ck_assert_int_eq(x[0].result, RULE_FAIL);
        assert_evidence(x, 0, "/etc/systemd/journald.conf.d/50-a.conf:3", "Compress=yes", "Compress=no");
        ck_assert_int_eq(x[1].result, RULE_FAIL);
        assert_evidence(x + 1, 0, "/etc/systemd/journald.conf.d/50-a.conf:4", "Storage=persistent", "Storage=volatile");

        test_write(f.root, "etc/systemd/journald.conf.d/50-a.conf",
                   "[Journal]\nCompress= 64K # not a comment\nStorage=\n");
        x = run(&f, "hardenctl-cis-journald", &n);
        ck_assert_int_eq(x[0].result, RULE_FAIL);
        assert_evidence(x, 0, "/etc/systemd/journald.conf.d/50-a.conf:2", "Compress=yes", "Compress=64K # not a comment");
        ck_assert_int_eq(x[1].result, RULE_FAIL); /* reset: journald's default, not the main file's */
        assert_evidence(x + 1, 0, "/etc/systemd/journald.conf (default)", "Storage=persistent", "Storage=auto");

        test_write(f.root, "etc/systemd/journald.conf.d/50-a.conf", "[Journal]\nCompress= 64K # not a comment\n");
        test_write(f.root, "etc/systemd/journald.conf.d/60-b.conf", "[Journal]\nCompress=64K\n");
        x = run(&f, "hardenctl-cis-journald", &n);
        ck_assert_int_eq(x[0].result, RULE_PASS);
        assert_evidence(x, 0, "/etc/systemd/journald.conf.d/60-b.conf:2", "Compress=yes", "Compress=64K");
        ck_assert_int_eq(x[1].result, RULE_PASS);
        assert_evidence(x + 1, 0, "/usr/lib/systemd/journald.conf:3", "Storage=persistent", "Storage=persistent");
        fixture_done(&f);
}
END_TEST

/* auditd.conf: keys and values without regard to case, the last assignment winning, comments; defaults. */
START_TEST(test_auditd_conf) {
        const ComplianceResult *x;
        size_t n;
        Fixture f;

        cis_fixture_init(&f, "6.2.2.1 6.2.2.2 6.2.2.3 6.2.2.4");
        x = run(&f, "hardenctl-cis-auditd-conf", &n);
        ck_assert_uint_eq(n, 6);
        ck_assert_int_eq(x[0].result, RULE_FAIL);
        ck_assert_str_eq(x[0].message, "/etc/audit/auditd.conf is missing (auditd is not installed)");

        test_write(f.root, "etc/audit/auditd.conf",
                   "max_log_file = 8\nmax_log_file_action = ROTATE\n# disk_full_action = halt\n"
                   "space_left_action = email\nadmin_space_left_action = suspend\n");
        x = run(&f, "hardenctl-cis-auditd-conf", &n);
        ck_assert_uint_eq(n, 6);
        ck_assert_int_eq(x[0].result, RULE_PASS);
        assert_evidence(x, 0, "/etc/audit/auditd.conf:1", "max_log_file = a size in MiB", "max_log_file = 8");
        ck_assert_int_eq(x[1].result, RULE_FAIL);
        assert_evidence(x + 1, 0, "/etc/audit/auditd.conf:2", "max_log_file_action = keep_logs",
                        "max_log_file_action = ROTATE");
        ck_assert_int_eq(x[2].result, RULE_FAIL);
        assert_evidence(x + 2, 0, "/etc/audit/auditd.conf (default)", "disk_full_action = halt or single",
                        "disk_full_action = suspend");
        ck_assert_int_eq(x[3].result, RULE_FAIL);
        ck_assert_int_eq(x[4].result, RULE_PASS);
        ck_assert_int_eq(x[5].result, RULE_FAIL);

        test_write(f.root, "etc/audit/auditd.conf",
                   "max_log_file = 0\nmax_log_file_action=keep_logs # keep\nDISK_FULL_ACTION = Halt\n"
                   "disk_error_action = syslog\nspace_left_action = ignore\nspace_left_action = exec\n"
                   "admin_space_left_action = single\n");
        x = run(&f, "hardenctl-cis-auditd-conf", &n);
        ck_assert_int_eq(x[0].result, RULE_FAIL);
        for (size_t i = 1; i < 6; i++)
                ck_assert_int_eq(x[i].result, RULE_PASS);
        assert_evidence(x + 1, 0, "/etc/audit/auditd.conf:2", "max_log_file_action = keep_logs",
                        "max_log_file_action = keep_logs");
        assert_evidence(x + 4, 0, "/etc/audit/auditd.conf:6", "space_left_action = email or exec or single or halt",
                        "space_left_action = exec");
        fixture_done(&f);
}
END_TEST

/* AIDE: the package, then a timer, a crontab line or a periodic script that runs it. */
START_TEST(test_file_integrity) {
        const ComplianceResult *x;
        size_t n;
        Fixture f;

        cis_fixture_init(&f, "6.3.1 6.3.2");
        test_write(f.root, "var/lib/dpkg/status", "Package: cron\nStatus: install ok installed\nVersion: 3.0pl1-162\n\n");
        x = run(&f, "hardenctl-cis-file-integrity", &n);
        ck_assert_uint_eq(n, 2);
        ck_assert_int_eq(x[0].result, RULE_FAIL);
        assert_evidence(x, 0, "/var/lib/dpkg/status", "aide installed", "not installed");
        ck_assert_int_eq(x[1].result, RULE_FAIL);
        ck_assert_str_eq(x[1].message, "AIDE is not installed, so nothing checks file integrity");

        fixture_done(&f);

        /* The fixture reads the dpkg status file once. */
        cis_fixture_init(&f, "6.3.1 6.3.2");
        test_write(f.root, "var/lib/dpkg/status", "Package: aide\nStatus: install ok installed\nVersion: 0.18.3-1\n\n");
        test_write(f.root, "etc/crontab", "# 0 5 * * * root /usr/bin/aide --check\n");
        x = run(&f, "hardenctl-cis-file-integrity", &n);
        ck_assert_int_eq(x[0].result, RULE_PASS);
        assert_evidence(x, 0, "/var/lib/dpkg/status", "aide installed", "aide 0.18.3-1");
        ck_assert_int_eq(x[1].result, RULE_FAIL);
        assert_evidence(x + 1, 0, "/etc/systemd/system/timers.target.wants /etc/crontab /etc/cron.d /etc/cron.*",
                        "a timer or cron job that runs aide", "none");

        test_write(f.root, "etc/cron.d/aide",
                   "MAILTO=root\n0 5 * * * root /usr/bin/aide --config /etc/aide/aide.conf --check\n");
        x = run(&f, "hardenctl-cis-file-integrity", &n);
        ck_assert_int_eq(x[1].result, RULE_PASS);
        assert_evidence(x + 1, 0, "/etc/systemd/system/timers.target.wants /etc/crontab /etc/cron.d /etc/cron.*",
                        "a timer or cron job that runs aide", "/etc/cron.d/aide:2");

        fixture_done(&f);

        /* A timer wins over cron (a new check: the enablement links are listed once per check). */
        cis_fixture_init(&f, "6.3.2");
        test_write(f.root, "var/lib/dpkg/status", "Package: aide\nStatus: install ok installed\nVersion: 0.18.3-1\n\n");
        test_write(f.root, "etc/cron.d/aide", "0 5 * * * root /usr/bin/aide --check\n");
        test_write(f.root, "etc/systemd/system/timers.target.wants/dailyaidecheck.timer", "[Timer]\n");
        x = run(&f, "hardenctl-cis-file-integrity", &n);
        ck_assert_uint_eq(n, 1);
        ck_assert_int_eq(x[0].result, RULE_PASS);
        ck_assert_str_eq(x[0].evidence[0].actual, "/etc/systemd/system/timers.target.wants/dailyaidecheck.timer");
        fixture_done(&f);
}
END_TEST

/* grub.cfg: superusers and a PBKDF2 password; no grub.cfg, not applicable. */
START_TEST(test_boot_password) {
        const ComplianceResult *x;
        size_t n;
        Fixture f;

        cis_fixture_init(&f, "1.4.1");
        x = run(&f, "hardenctl-cis-boot-password", &n);
        ck_assert_uint_eq(n, 1);
        ck_assert_int_eq(x[0].result, RULE_NOTAPPLICABLE);

        test_write(f.root, "boot/grub/grub.cfg", "set default=0\nset timeout=5\nmenuentry 'Debian' {\n}\n");
        x = run(&f, "hardenctl-cis-boot-password", &n);
        ck_assert_int_eq(x[0].result, RULE_FAIL);
        ck_assert_str_eq(x[0].message, "GRUB sets no superusers");
        assert_evidence(x, 0, "/boot/grub/grub.cfg", "set superusers=USER", "none");
        assert_evidence(x, 1, "/boot/grub/grub.cfg", "password_pbkdf2 USER grub.pbkdf2.…", "none");

        test_write(f.root, "boot/grub/grub.cfg",
                   "set default=0\n### BEGIN /etc/grub.d/40_custom ###\nset superusers=\"boot\"\n"
                   "password_pbkdf2 boot grub.pbkdf2.sha512.10000.AB.CD\n");
        x = run(&f, "hardenctl-cis-boot-password", &n);
        ck_assert_int_eq(x[0].result, RULE_PASS);
        assert_evidence(x, 0, "/boot/grub/grub.cfg:3", "set superusers=USER", "set superusers=\"boot\"");
        assert_evidence(x, 1, "/boot/grub/grub.cfg:4", "password_pbkdf2 USER grub.pbkdf2.…", "password_pbkdf2 (hash)");
        fixture_done(&f);
}
END_TEST

/* root's PATH: ENV_SUPATH, then plain PATH= assignments of the shell files, each directory judged. */
START_TEST(test_root_path) {
        const ComplianceResult *x;
        size_t n;
        Fixture f;

        cis_fixture_init(&f, "5.4.2.5");
        test_write(f.root, "etc/login.defs", "ENV_SUPATH PATH=/usr/sbin:/usr/bin\n");
        ck_assert_int_eq(mkdirat(f.root_fd, "usr", 0755), 0);
        ck_assert_int_eq(mkdirat(f.root_fd, "usr/sbin", 0755), 0);
        ck_assert_int_eq(mkdirat(f.root_fd, "usr/bin", 0755), 0);
        x = run(&f, "hardenctl-cis-root-path", &n);
        ck_assert_uint_eq(n, 1);
        ck_assert_int_eq(x[0].result, RULE_PASS);
        assert_evidence(x, 0, "/etc/login.defs:1", "absolute directories owned by root, writable by no one else",
                        "/usr/sbin:/usr/bin");

        ck_assert_int_eq(mkdirat(f.root_fd, "opt", 0755), 0);
        ck_assert_int_eq(mkdirat(f.root_fd, "opt/tools", 0755), 0);
        chmod_in(&f, "opt/tools", 0777);
        test_write(f.root, "root/.profile", "# PATH=/nowhere\nexport PATH=\"$PATH:/opt/tools\"\n");
        test_write(f.root, "root/.bashrc", "PATH=${PATH}:.:\n");
        x = run(&f, "hardenctl-cis-root-path", &n);
        ck_assert_int_eq(x[0].result, RULE_FAIL);
        ck_assert_str_eq(x[0].message, "root's PATH has unsafe entries: /opt/tools . (empty)");
        assert_evidence(x, 0, "/root/.bashrc:1", "absolute directories owned by root, writable by no one else",
                        "/usr/sbin:/usr/bin:/opt/tools:.:");
        assert_evidence(x, 1, "/opt/tools", "a safe directory", "writable by group or others");
        assert_evidence(x, 3, "(empty)", "a safe directory", "an empty entry (the working directory)");
        fixture_done(&f);
}
END_TEST

/* Items the profile does not name are not checked. */
START_TEST(test_unnamed_items) {
        size_t n;
        Fixture f;

        cis_fixture_init(&f, "9.9.9");
        for (size_t i = 0; i < compliance_n_rules; i++)
                if (compliance_rules[i]->items)
                        (void) run(&f, compliance_rules[i]->id, &n);
        ck_assert_uint_eq(f.report.n_results, 0);
        fixture_done(&f);
}
END_TEST

static Suite *cis_suite(void) {
        Suite *s = suite_create("compliance-cis");
        TCase *tc = tcase_create("core");

        tcase_add_test(tc, test_file_access);
        tcase_add_test(tc, test_sshd);
        tcase_add_test(tc, test_password_aging);
        tcase_add_test(tc, test_accounts);
        tcase_add_test(tc, test_accounts_many);
        tcase_add_test(tc, test_pam);
        tcase_add_test(tc, test_sudo);
        tcase_add_test(tc, test_login);
        tcase_add_test(tc, test_time_sync);
        tcase_add_test(tc, test_filesystem_walk);
        tcase_add_test(tc, test_journald);
        tcase_add_test(tc, test_auditd_conf);
        tcase_add_test(tc, test_file_integrity);
        tcase_add_test(tc, test_boot_password);
        tcase_add_test(tc, test_root_path);
        tcase_add_test(tc, test_unnamed_items);
        suite_add_tcase(s, tc);
        return s;
}

TEST_MAIN(cis_suite)
