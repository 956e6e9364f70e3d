/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* The [Benchmark] rules about auditing against fixture trees: the benchmark's audit rules (6.2.3.x) in
 * the rules the next boot loads, the audit files' owners and modes (6.2.4.x), with the exact evidence of passing and
 * failing variants. The trees are offline: what the kernel has loaded is not checked here. */

#include "boot.h"
#include "cis-fixture.h"

#define TIME_B64 "-a always,exit -F arch=b64 -S adjtimex,settimeofday -k time-change"
#define TIME_B32 "-a always,exit -F arch=b32 -S adjtimex,settimeofday -k time-change"

/* auditd.service installed and enabled in the tree: augenrules loads rules.d at boot. */
static void enable_auditd(Fixture *f) {
        enable_unit(f, "auditd.service");
}

/* Which rules of rules.d and the boot profile meet which rule of the benchmark: the same rule under
 * another key, a broader one (more system calls, fewer fields), not one with a field more. */
START_TEST(test_audit_rules_coverage) {
        const ComplianceResult *x;
        size_t n;
        Fixture f;

        cis_fixture_init(&f, "6.2.3.4");
        enable_auditd(&f);
        x = run(&f, "hardenctl-cis-audit-rules", &n);
        ck_assert_uint_eq(n, 1);
        ck_assert_str_eq(x->instance, "time-change");
        ck_assert_int_eq(x->result, RULE_FAIL);
        ck_assert_str_eq(x->message, "5 of 5 rules are not among the rules the next boot loads");
        assert_evidence(x, 0, "next boot", TIME_B64, "not in the rules the boot loads");

        /* A broader rule covers two of the benchmark's; one with an extra field covers none; a line auditctl
         * refuses and a setting are passed over. */
        test_write(f.root, "etc/audit/rules.d/10-time.rules",
                   "-D\n"
                   "-a always,exit -F arch=b64 -S adjtimex,settimeofday,clock_settime -k t\n"
                   "-a always,exit -F arch=b32 -S adjtimex,settimeofday -F auid>=1000 -k t\n"
                   "-a always,exit -F arch=b32 -S no_such_call -k t\n"
                   "-e 2\n");
        test_write(f.root, "etc/audit/rules.d/README", "-w /etc/localtime -p wa\n");
        x = run(&f, "hardenctl-cis-audit-rules", &n);
        ck_assert_int_eq(x->result, RULE_FAIL);
        ck_assert_str_eq(x->message, "3 of 5 rules are not among the rules the next boot loads");
        ck_assert_uint_eq(x->n_evidence, 5);
        assert_evidence(x, 0, "/etc/audit/rules.d/10-time.rules:2", TIME_B64,
                        "-a always,exit -F arch=b64 -S adjtimex,settimeofday,clock_settime -k t");
        assert_evidence(x, 1, "next boot", TIME_B32, "not in the rules the boot loads");
        assert_evidence(x, 2, "/etc/audit/rules.d/10-time.rules:2",
                        "-a always,exit -F arch=b64 -S clock_settime -F a0=0x0 -k time-change",
                        "-a always,exit -F arch=b64 -S adjtimex,settimeofday,clock_settime -k t");
        assert_evidence(x, 4, "next boot", "-w /etc/localtime -p wa -k time-change", "not in the rules the boot loads");

        fixture_done(&f);

        /* The rest from the boot profile, the same rules under other keys (and the watch with a slash):
         * met at boot, and what the kernel has is for the running system to say. (A new check: the boot
         * profile is read once per check.) */
        cis_fixture_init(&f, "6.2.3.4");
        enable_auditd(&f);
        test_write(f.root, "etc/audit/rules.d/10-time.rules",
                   "-a always,exit -F arch=b64 -S adjtimex,settimeofday,clock_settime -k t\n");
        test_write(f.root, BOOT_PROFILE_PATH + 1,
                   "[Audit]\n"
                   "Rule=" TIME_B32 "\n"
                   "Rule=-a always,exit -F arch=b32 -S clock_settime -F a0=0x0 -k clock\n"
                   "Rule=-w /etc/localtime/ -p wa -k clock\n");
        x = run(&f, "hardenctl-cis-audit-rules", &n);
        ck_assert_int_eq(x->result, RULE_NOTCHECKED);
        assert_evidence(x, 1, BOOT_PROFILE_PATH " [Audit]", TIME_B32, TIME_B32);
        assert_evidence(x, 4, BOOT_PROFILE_PATH " [Audit]", "-w /etc/localtime -p wa -k time-change",
                        "-w /etc/localtime/ -p wa -k clock");
        fixture_done(&f);
}
END_TEST

/* Watches: a path= watch of a directory sees the directory alone and does not meet the benchmark's
 * recursive one; a dir= tree above the files meets them all. -w builds dir= where the directory exists on
 * this machine (it does for /etc/pam.d); where it is not a directory in the tree checked, the kernel can
 * hold only a path= watch, and that meets the rule. */
START_TEST(test_audit_rules_watches) {
        const ComplianceResult *x;
        struct stat st;
        size_t n;
        Fixture f;

        ck_assert_int_eq(stat("/etc/pam.d", &st), 0);
        ck_assert(S_ISDIR(st.st_mode));
        cis_fixture_init(&f, "6.2.3.8");
        enable_auditd(&f);
        test_write(f.root, "etc/pam.d/other", "auth required pam_deny.so\n");
        test_write(f.root, "etc/audit/rules.d/30-identity.rules",
                   "-w /etc/group -p wa -k identity\n"
                   "-w /etc/passwd -p wa -k identity\n"
                   "-w /etc/gshadow -p wa -k identity\n"
                   "-w /etc/shadow -p wa -k identity\n"
                   "-w /etc/security/opasswd -p wa -k identity\n"
                   "-w /etc/nsswitch.conf -p wa -k identity\n"
                   "-w /etc/pam.conf -p wa -k identity\n"
                   "-a always,exit -F path=/etc/pam.d -F perm=wa -k identity\n");
        x = run(&f, "hardenctl-cis-audit-rules", &n);
        ck_assert_uint_eq(n, 1);
        ck_assert_int_eq(x->result, RULE_FAIL);
        ck_assert_str_eq(x->message, "1 of 8 rules are not among the rules the next boot loads");
        assert_evidence(x, 7, "next boot", "-w /etc/pam.d -p wa -k identity", "not in the rules the boot loads");
        ck_assert_int_eq(unlink(check_tmp(&f.c, "%s/etc/pam.d/other", f.root)), 0);
        ck_assert_int_eq(rmdir(check_tmp(&f.c, "%s/etc/pam.d", f.root)), 0);
        x = run(&f, "hardenctl-cis-audit-rules", &n);
        ck_assert_int_eq(x->result, RULE_NOTCHECKED);
        assert_evidence(x, 7, "/etc/audit/rules.d/30-identity.rules:8", "-w /etc/pam.d -p wa -k identity",
                        "-a always,exit -F path=/etc/pam.d -F perm=wa -k identity");

        test_write(f.root, "etc/audit/rules.d/30-identity.rules", "-w /etc/ -p wa -k etc\n");
        x = run(&f, "hardenctl-cis-audit-rules", &n);
        ck_assert_int_eq(x->result, RULE_NOTCHECKED);
        assert_evidence(x, 0, "/etc/audit/rules.d/30-identity.rules:1", "-w /etc/group -p wa -k identity",
                        "-w /etc/ -p wa -k etc");
        assert_evidence(x, 7, "/etc/audit/rules.d/30-identity.rules:1", "-w /etc/pam.d -p wa -k identity",
                        "-w /etc/ -p wa -k etc");

        /* Another tree, or a watch that only shares a prefix, meets none. */
        test_write(f.root, "etc/audit/rules.d/30-identity.rules", "-w /etc/pam -p wa -k etc\n-w /var/ -p wa\n");
        x = run(&f, "hardenctl-cis-audit-rules", &n);
        ck_assert_int_eq(x->result, RULE_FAIL);
        ck_assert_str_eq(x->message, "8 of 8 rules are not among the rules the next boot loads");
        fixture_done(&f);
}
END_TEST

/* A watch of /run/X meets the benchmark's /var/run/X where /var/run is /run in the tree (the kernel
 * watches the same inode), and only there. */
START_TEST(test_audit_rules_var_run) {
        const char *rules = "-w /run/utmp -p wa -k s\n-w /var/log/wtmp -p wa -k s\n-w /var/log/btmp -p wa -k s\n";
        const ComplianceResult *x;
        size_t n;
        Fixture f;

        cis_fixture_init(&f, "6.2.3.11");
        enable_auditd(&f);
        test_write(f.root, "etc/audit/rules.d/40-session.rules", rules);
        ck_assert_int_eq(mkdirat(f.root_fd, "var", 0755), 0);
        ck_assert_int_eq(mkdirat(f.root_fd, "var/run", 0755), 0);
        ck_assert_int_eq(mkdirat(f.root_fd, "run", 0755), 0);
        x = run(&f, "hardenctl-cis-audit-rules", &n);
        ck_assert_int_eq(x->result, RULE_FAIL);
        ck_assert_str_eq(x->message, "1 of 3 rules are not among the rules the next boot loads");
        fixture_done(&f);

        cis_fixture_init(&f, "6.2.3.11");
        enable_auditd(&f);
        test_write(f.root, "etc/audit/rules.d/40-session.rules", rules);
        ck_assert_int_eq(mkdirat(f.root_fd, "var", 0755), 0);
        ck_assert_int_eq(mkdirat(f.root_fd, "run", 0755), 0);
        ck_assert_int_eq(symlinkat("/run", f.root_fd, "var/run"), 0);
        x = run(&f, "hardenctl-cis-audit-rules", &n);
        ck_assert_int_eq(x->result, RULE_NOTCHECKED);
        assert_evidence(x, 0, "/etc/audit/rules.d/40-session.rules:1", "-w /var/run/utmp -p wa -k session",
                        "-w /run/utmp -p wa -k s");
        fixture_done(&f);
}
END_TEST

/* What the boot loads from rules.d: nothing when no unit runs augenrules; a later -D deletes what came
 * before it in rules.d, not the boot profile's rules, which are loaded after augenrules. */
START_TEST(test_audit_rules_boot_order) {
        const ComplianceResult *x;
        size_t n;
        Fixture f;

        cis_fixture_init(&f, "6.2.3.10");
        test_write(f.root, "etc/audit/rules.d/20-mounts.rules",
                   "-a always,exit -F arch=b64 -S mount -F auid>=1000 -F auid!=unset -k mounts\n"
                   "-a always,exit -F arch=b32 -S mount -F auid>=1000 -F auid!=unset -k mounts\n");
        x = run(&f, "hardenctl-cis-audit-rules", &n);
        ck_assert_uint_eq(n, 1);
        ck_assert_int_eq(x->result, RULE_FAIL);
        ck_assert_str_eq(x->message, "2 of 2 rules are not among the rules the next boot loads");
        assert_evidence(x, 2, "/etc/audit/rules.d", "loaded at boot by augenrules",
                        "neither auditd.service nor audit-rules.service is enabled");

        fixture_done(&f);

        /* (A new check: which units are enabled is read once per check.) */
        cis_fixture_init(&f, "6.2.3.10");
        enable_auditd(&f);
        test_write(f.root, "etc/audit/rules.d/20-mounts.rules",
                   "-a always,exit -F arch=b64 -S mount -F auid>=1000 -F auid!=unset -k mounts\n"
                   "-a always,exit -F arch=b32 -S mount -F auid>=1000 -F auid!=unset -k mounts\n");
        test_write(f.root, "etc/audit/rules.d/99-finalize.rules", "-D\n");
        test_write(f.root, BOOT_PROFILE_PATH + 1,
                   "[Audit]\n"
                   "Rule=-a always,exit -F arch=b32 -S mount,umount2 -F auid>=1000 -F auid!=unset -k m\n");
        x = run(&f, "hardenctl-cis-audit-rules", &n);
        ck_assert_int_eq(x->result, RULE_FAIL);
        ck_assert_str_eq(x->message, "1 of 2 rules are not among the rules the next boot loads");
        assert_evidence(x, 0, "next boot", "-a always,exit -F arch=b64 -S mount -F auid>=1000 -F auid!=unset -k mounts",
                        "not in the rules the boot loads");
        assert_evidence(x, 1, BOOT_PROFILE_PATH " [Audit]",
                        "-a always,exit -F arch=b32 -S mount -F auid>=1000 -F auid!=unset -k mounts",
                        "-a always,exit -F arch=b32 -S mount,umount2 -F auid>=1000 -F auid!=unset -k m");
        fixture_done(&f);

        /* An unusable boot profile loads nothing (the boot fails closed), and the evidence says why. */
        cis_fixture_init(&f, "6.2.3.10");
        test_write(f.root, BOOT_PROFILE_PATH + 1,
                   "[Audit]\n"
                   "Rule=-a always,exit -F arch=b64 -S mount -F auid>=1000 -F auid!=unset -k m\n"
                   "Immutable=maybe\n");
        x = run(&f, "hardenctl-cis-audit-rules", &n);
        ck_assert_int_eq(x->result, RULE_FAIL);
        ck_assert_str_eq(x->message, "2 of 2 rules are not among the rules the next boot loads");
        assert_evidence(x, 2, BOOT_PROFILE_PATH, "a usable boot profile",
                        BOOT_PROFILE_PATH ":3: Audit.Immutable: invalid boolean 'maybe', expected yes or no");
        fixture_done(&f);
}
END_TEST

/* The privileged commands: a rule per SUID or SGID program the walk finds, met one by one or by a rule
 * that records every user's exec; none to audit passes. */
START_TEST(test_audit_rules_privileged) {
        const ComplianceResult *x;
        size_t n;
        Fixture f;

        cis_fixture_init(&f, "6.2.3.6");
        x = run(&f, "hardenctl-cis-audit-rules", &n);
        ck_assert_uint_eq(n, 1);
        ck_assert_str_eq(x->instance, "privileged");
        ck_assert_int_eq(x->result, RULE_PASS);
        ck_assert_str_eq(x->message, "No SUID or SGID program where set-id bits count: nothing to audit");
        fixture_done(&f);

        cis_fixture_init(&f, "6.2.3.6");
        enable_auditd(&f);
        test_write(f.root, "usr/bin/tool", "x\n");
        test_write(f.root, "usr/sbin/my tool", "x\n");
        chmod_in(&f, "usr/bin/tool", 04755);
        chmod_in(&f, "usr/sbin/my tool", 02755);
        test_write(f.root, "etc/audit/rules.d/50-privileged.rules",
                   "-a always,exit -F path=/usr/bin/tool -F perm=x -F auid>=1000 -F auid!=unset -k priv\n");
        x = run(&f, "hardenctl-cis-audit-rules", &n);
        ck_assert_int_eq(x->result, RULE_FAIL);
        ck_assert_str_eq(x->message, "1 of 2 rules are not among the rules the next boot loads");
        assert_evidence(x, 0, "/etc/audit/rules.d/50-privileged.rules:1",
                        "-a always,exit -F path=/usr/bin/tool -F perm=x -F auid>=1000 -F auid!=unset -k privileged",
                        "-a always,exit -F path=/usr/bin/tool -F perm=x -F auid>=1000 -F auid!=unset -k priv");
        assert_evidence(x, 1, "next boot",
                        "-a always,exit -F path=/usr/sbin/my\\ tool -F perm=x -F auid>=1000 -F auid!=unset -k privileged",
                        "not in the rules the boot loads");
        fixture_done(&f);

        cis_fixture_init(&f, "6.2.3.6");
        enable_auditd(&f);
        test_write(f.root, "usr/bin/tool", "x\n");
        chmod_in(&f, "usr/bin/tool", 04755);
        test_write(f.root, "etc/audit/rules.d/50-privileged.rules",
                   "-a always,exit -F perm=x -F auid>=1000 -F auid!=unset -k exec\n");
        x = run(&f, "hardenctl-cis-audit-rules", &n);
        ck_assert_int_eq(x->result, RULE_NOTCHECKED);
        assert_evidence(x, 0, "/etc/audit/rules.d/50-privileged.rules:1",
                        "-a always,exit -F path=/usr/bin/tool -F perm=x -F auid>=1000 -F auid!=unset -k privileged",
                        "-a always,exit -F perm=x -F auid>=1000 -F auid!=unset -k exec");
        fixture_done(&f);
}
END_TEST

/* The sudo log's watch follows sudoers' Defaults logfile=. */
START_TEST(test_audit_rules_sudo_log) {
        const ComplianceResult *x;
        size_t n;
        Fixture f;

        cis_fixture_init(&f, "6.2.3.3");
        enable_auditd(&f);
        test_write(f.root, "etc/sudoers", "Defaults use_pty\n");
        x = run(&f, "hardenctl-cis-audit-rules", &n);
        ck_assert_uint_eq(n, 1);
        ck_assert_str_eq(x->instance, "sudo_log_file");
        ck_assert_int_eq(x->result, RULE_FAIL);
        ck_assert_str_eq(x->message, "sudo keeps no log file (Defaults logfile= is not set)");

        test_write(f.root, "etc/sudoers", "Defaults logfile=\"/var/log/sudo-site.log\"\n");
        test_write(f.root, "etc/audit/rules.d/50-sudo.rules", "-w /var/log/sudo.log -p wa -k sudo_log_file\n");
        x = run(&f, "hardenctl-cis-audit-rules", &n);
        ck_assert_int_eq(x->result, RULE_FAIL);
        assert_evidence(x, 0, "next boot", "-w /var/log/sudo-site.log -p wa -k sudo_log_file",
                        "not in the rules the boot loads");

        test_write(f.root, "etc/audit/rules.d/50-sudo.rules", "-w /var/log/sudo-site.log -p wa -k sudo\n");
        x = run(&f, "hardenctl-cis-audit-rules", &n);
        ck_assert_int_eq(x->result, RULE_NOTCHECKED);
        assert_evidence(x, 0, "/etc/audit/rules.d/50-sudo.rules:1", "-w /var/log/sudo-site.log -p wa -k sudo_log_file",
                        "-w /var/log/sudo-site.log -p wa -k sudo");
        fixture_done(&f);

        /* Without sudo the item does not apply; sudoers that cannot be read is an error, not "no log". */
        cis_fixture_init(&f, "6.2.3.3");
        x = run(&f, "hardenctl-cis-audit-rules", &n);
        ck_assert_int_eq(x->result, RULE_NOTAPPLICABLE);
        ck_assert_str_eq(x->message, "There is no /etc/sudoers");
        fixture_done(&f);
        cis_fixture_init(&f, "6.2.3.3");
        ck_assert_int_eq(mkdirat(f.root_fd, "etc/sudoers", 0755), 0);
        x = run(&f, "hardenctl-cis-audit-rules", &n);
        ck_assert_int_eq(x->result, RULE_ERROR);
        fixture_done(&f);
}
END_TEST

/* The audit logs, configuration and tools: the log directory's mode alone, logs readable by adm, a
 * configuration file others can read, a tool that is not there. */
START_TEST(test_audit_files) {
        const ComplianceResult *x;
        size_t n;
        Fixture f;

        cis_fixture_init(&f, "6.2.4.1 6.2.4.4 6.2.4.5 6.2.4.8");
        test_write(f.root, "etc/group",
                   check_tmp(&f.c, "root:x:%u:\nadm:x:%u:\n", (unsigned) getgid(), (unsigned) getgid() + 1));
        test_write(f.root, "var/log/audit/audit.log", "type=DAEMON_START\n");
        test_write(f.root, "var/log/audit/audit.log.1", "type=DAEMON_START\n");
        test_write(f.root, "etc/audit/auditd.conf", "log_group = root\n");
        test_write(f.root, "etc/audit/rules.d/audit.rules", "-D\n");
        test_write(f.root, "sbin/auditctl", "");
        chmod_in(&f, "var/log/audit", 0755);
        chmod_in(&f, "var/log/audit/audit.log", 0600);
        chmod_in(&f, "var/log/audit/audit.log.1", 0640);
        chmod_in(&f, "etc/audit/auditd.conf", 0644);
        chmod_in(&f, "etc/audit/rules.d/audit.rules", 0640);
        chmod_in(&f, "sbin/auditctl", 0755);
        x = run(&f, "hardenctl-cis-file-access", &n);
        ck_assert_uint_eq(n, 12);
        ck_assert_str_eq(x[0].instance, "/var/log/audit");
        ck_assert_int_eq(x[0].result, RULE_FAIL);
        assert_evidence(x, 0, "/var/log/audit", "any:any, 0750 or stricter", "root:root, 0755");
        ck_assert_int_eq(x[1].result, RULE_PASS);
        ck_assert_str_eq(x[1].message, "2 files match /var/log/audit/*, each root-owned with mode 0640 or stricter");
        assert_evidence(x + 1, 1, "/var/log/audit/audit.log.1", "root:{root adm}, 0640 or stricter", "root:root, 0640");
        ck_assert_int_eq(x[2].result, RULE_FAIL);
        ck_assert_str_eq(x[2].message, "Owner, group or mode too open: /etc/audit/auditd.conf");
        ck_assert_int_eq(x[3].result, RULE_NOTAPPLICABLE);
        ck_assert_int_eq(x[4].result, RULE_PASS);
        ck_assert_int_eq(x[5].result, RULE_NOTAPPLICABLE);
        ck_assert_str_eq(x[6].instance, "/sbin/auditctl");
        ck_assert_int_eq(x[6].result, RULE_PASS);
        ck_assert_int_eq(x[7].result, RULE_NOTAPPLICABLE);
        ck_assert_str_eq(x[7].message, "/sbin/aureport does not exist");

        chmod_in(&f, "var/log/audit", 0700);
        chmod_in(&f, "sbin/auditctl", 04755);
        x = run(&f, "hardenctl-cis-file-access", &n);
        ck_assert_int_eq(x[0].result, RULE_PASS);
        ck_assert_str_eq(x[0].message, "/var/log/audit has mode 0750 or stricter");
        ck_assert_int_eq(x[6].result, RULE_FAIL);
        assert_evidence(x + 6, 0, "/sbin/auditctl", "root:root, 0755 or stricter", "root:root, 4755");
        fixture_done(&f);
}
END_TEST

/* auditd installed (with the plugins), enabled, and audit=1 on the next boot's command line: from
 * /etc/kernel/cmdline when the tree has one, else from GRUB_CMDLINE_LINUX* of /etc/default/grub and
 * grub.d. */
START_TEST(test_auditd_on) {
        const ComplianceResult *x;
        size_t n;
        Fixture f;

        cis_fixture_init(&f, "6.2.1.1 6.2.1.2 6.2.1.3");
        test_write(f.root, "var/lib/dpkg/status",
                   "Package: auditd\nStatus: install ok installed\nVersion: 1:3.0.9-1\n\n");
        test_write(f.root, "etc/default/grub", "GRUB_CMDLINE_LINUX_DEFAULT=\"quiet\"\nGRUB_CMDLINE_LINUX=\"\"\n");
        x = run(&f, "hardenctl-cis-auditd", &n);
        ck_assert_uint_eq(n, 3);
        ck_assert_int_eq(x[0].result, RULE_FAIL);
        assert_evidence(x, 0, "/var/lib/dpkg/status", "auditd installed", "auditd 1:3.0.9-1");
        assert_evidence(x, 1, "/var/lib/dpkg/status", "audispd-plugins installed", "not installed");
        ck_assert_int_eq(x[1].result, RULE_FAIL);
        ck_assert_str_eq(x[1].message, "auditd.service is not enabled");
        assert_evidence(x + 1, 1, "/etc/systemd/system/multi-user.target.wants/auditd.service",
                        "a link to auditd.service", "missing");
        ck_assert_int_eq(x[2].result, RULE_FAIL);
        ck_assert_str_eq(x[2].message, "audit=1 is not on the next boot's command line");
        assert_evidence(x + 2, 0, "/etc/default/grub GRUB_CMDLINE_LINUX=", "audit=1", "");
        assert_evidence(x + 2, 1, "/etc/default/grub GRUB_CMDLINE_LINUX_DEFAULT=", "audit=1", "quiet");
        fixture_done(&f);

        cis_fixture_init(&f, "6.2.1.1 6.2.1.2 6.2.1.3");
        test_write(f.root, "var/lib/dpkg/status",
                   "Package: auditd\nStatus: install ok installed\nVersion: 1:3.0.9-1\n\n"
                   "Package: audispd-plugins\nStatus: install ok installed\nVersion: 1:3.0.9-1\n\n");
        enable_auditd(&f);
        test_write(f.root, "etc/default/grub", "GRUB_CMDLINE_LINUX=\"quiet\"\n");
        test_write(f.root, "etc/default/grub.d/audit.cfg", "GRUB_CMDLINE_LINUX=\"$GRUB_CMDLINE_LINUX audit=1\"\n");
        x = run(&f, "hardenctl-cis-auditd", &n);
        ck_assert_int_eq(x[0].result, RULE_PASS);
        ck_assert_int_eq(x[1].result, RULE_PASS);
        ck_assert_str_eq(x[1].message,
                         "auditd.service is installed and enabled (whether it runs is not checked offline)");
        ck_assert_int_eq(x[2].result, RULE_PASS);
        ck_assert_str_eq(x[2].message, "The next boot's command line has audit=1");
        assert_evidence(x + 2, 0, "/etc/default/grub.d/audit.cfg GRUB_CMDLINE_LINUX=", "audit=1", "quiet audit=1");

        /* kernel-install's command line is the one that counts when there is one. */
        test_write(f.root, "etc/kernel/cmdline", "root=LABEL=root ro\n");
        x = run(&f, "hardenctl-cis-auditd", &n);
        ck_assert_int_eq(x[2].result, RULE_FAIL);
        assert_evidence(x + 2, 0, "/etc/kernel/cmdline", "audit=1", "root=LABEL=root ro");
        fixture_done(&f);
}
END_TEST

/* GRUB's defaults as grub-mkconfig sources them: the last assignment wins across /etc/default/grub and
 * grub.d, quotes and $VARIABLES as the shell reads them; GRUB_CMDLINE_LINUX_DEFAULT alone leaves the
 * recovery entries without the word unless there are none. The running kernel's command line counts
 * where there is one. */
START_TEST(test_cmdline_grub) {
        const ComplianceResult *x;
        size_t n;
        Fixture f;

        cis_fixture_init(&f, "6.2.1.3");
        test_write(f.root, "etc/default/grub",
                   "# audit=1 in a comment\n"
                   "GRUB_CMDLINE_LINUX='audit=1'\n"
                   "export GRUB_CMDLINE_LINUX_DEFAULT=\"quiet \\\"audit=0\\\"\"\n");
        test_write(f.root, "etc/default/grub.d/50-cloud.cfg", "GRUB_CMDLINE_LINUX=\"console=ttyS0\"  # audit=1\n");
        x = run(&f, "hardenctl-cis-auditd", &n);
        ck_assert_uint_eq(n, 1);
        ck_assert_int_eq(x->result, RULE_FAIL);
        ck_assert_str_eq(x->message, "audit=1 is not on the next boot's command line");
        assert_evidence(x, 0, "/etc/default/grub.d/50-cloud.cfg GRUB_CMDLINE_LINUX=", "audit=1", "console=ttyS0");
        assert_evidence(x, 1, "/etc/default/grub GRUB_CMDLINE_LINUX_DEFAULT=", "audit=1", "quiet \"audit=0\"");

        test_write(f.root, "etc/default/grub.d/50-cloud.cfg",
                   "GRUB_CMDLINE_LINUX=\"console=ttyS0\"\n"
                   "GRUB_CMDLINE_LINUX_DEFAULT=\"${GRUB_CMDLINE_LINUX_DEFAULT} audit=1\"\n");
        x = run(&f, "hardenctl-cis-auditd", &n);
        ck_assert_int_eq(x->result, RULE_FAIL);
        assert_evidence(x, 1, "/etc/default/grub.d/50-cloud.cfg GRUB_CMDLINE_LINUX_DEFAULT=", "audit=1",
                        "quiet \"audit=0\" audit=1");
        assert_evidence(x, 2, "/etc/default/grub", "GRUB_DISABLE_RECOVERY=true, or audit=1 in GRUB_CMDLINE_LINUX",
                        "GRUB_DISABLE_RECOVERY=: the recovery entries boot without audit=1");

        test_write(f.root, "etc/default/grub.d/90-norecovery.cfg", "GRUB_DISABLE_RECOVERY=\"true\"\n");
        x = run(&f, "hardenctl-cis-auditd", &n);
        ck_assert_int_eq(x->result, RULE_PASS);
        ck_assert_str_eq(x->message, "The next boot's command line has audit=1");

        fixture_done(&f);

        /* The running kernel's, where there is one (a new check: it is read once per check). */
        cis_fixture_init(&f, "6.2.1.3");
        test_write(f.root, "etc/default/grub", "GRUB_CMDLINE_LINUX=\"audit=1\"\n");
        test_write(f.root, "proc/cmdline", "BOOT_IMAGE=/vmlinuz root=/dev/vda1 ro quiet\n");
        x = run(&f, "hardenctl-cis-auditd", &n);
        ck_assert_int_eq(x->result, RULE_FAIL);
        ck_assert_str_eq(x->message, "audit=1 is not on the running kernel's command line");
        assert_evidence(x, 1, "/proc/cmdline", "audit=1", "absent");
        fixture_done(&f);

        cis_fixture_init(&f, "6.2.1.3");
        test_write(f.root, "proc/cmdline", "BOOT_IMAGE=/vmlinuz root=/dev/vda1 ro audit=1\n");
        x = run(&f, "hardenctl-cis-auditd", &n);
        ck_assert_int_eq(x->result, RULE_PASS);
        ck_assert_str_eq(x->message,
                         "The running kernel's command line has audit=1 (the tree keeps none for the next boot)");
        assert_evidence(x, 0, "/etc/kernel/cmdline /etc/default/grub", "audit=1", "neither sets a command line");
        fixture_done(&f);
}
END_TEST

/* AIDE's selection lines for the audit tools: in aide.conf or an included file, /sbin or /usr/sbin, the
 * attributes written out or through a group, one taken away. */
START_TEST(test_aide_audit_tools) {
        const ComplianceResult *x;
        size_t n;
        Fixture f;

        cis_fixture_init(&f, "6.3.3");
        test_write(f.root, "var/lib/dpkg/status", "Package: aide\nStatus: install ok installed\nVersion: 0.18.3-1\n\n");
        test_write(f.root, "etc/aide/aide.conf",
                   "# audit tools\n"
                   "AuditTools = p+i+n+u+g+s+b+acl+xattrs+sha512\n"
                   "/sbin/auditctl p+i+n+u+g+s+b+acl+xattrs+sha512\n"
                   "/usr/sbin/auditd AuditTools\n"
                   "/sbin/ausearch AuditTools-sha512+sha256\n"
                   "/sbin/aureport p+i+n+u+g+s+b+acl+xattrs\n"
                   "@@x_include /etc/aide/aide.conf.d ^[a-zA-Z0-9_-]+$\n");
        test_write(f.root, "etc/aide/aide.conf.d/31_audit", "/sbin/autrace AuditTools\n");
        test_write(f.root, "etc/aide/aide.conf.d/README.txt", "/sbin/augenrules AuditTools\n");
        x = run(&f, "hardenctl-cis-file-integrity", &n);
        ck_assert_uint_eq(n, 1);
        ck_assert_str_eq(x->instance, "AIDE checks the audit tools");
        ck_assert_int_eq(x->result, RULE_FAIL);
        ck_assert_str_eq(x->message,
                         "AIDE does not check every audit tool as it should: ausearch (no sha512), aureport (no sha512), "
                         "augenrules");
        assert_evidence(x, 0, "/etc/aide/aide.conf:3", "/sbin/auditctl p+i+n+u+g+s+b+acl+xattrs+sha512",
                        "/sbin/auditctl p+i+n+u+g+s+b+acl+xattrs+sha512");
        assert_evidence(x, 1, "/etc/aide/aide.conf:4", "/sbin/auditd p+i+n+u+g+s+b+acl+xattrs+sha512",
                        "/usr/sbin/auditd AuditTools");
        assert_evidence(x, 4, "/etc/aide/aide.conf.d/31_audit:1", "/sbin/autrace p+i+n+u+g+s+b+acl+xattrs+sha512",
                        "/sbin/autrace AuditTools");
        assert_evidence(x, 5, "/etc/aide/aide.conf", "/sbin/augenrules p+i+n+u+g+s+b+acl+xattrs+sha512", "not selected");

        test_write(f.root, "etc/aide/aide.conf",
                   "AuditTools = p+i+n+u+g+s+b+acl+xattrs+sha512\n"
                   "/sbin/auditctl AuditTools\n/sbin/auditd AuditTools\n/sbin/ausearch AuditTools\n"
                   "/sbin/aureport AuditTools\n/sbin/augenrules AuditTools\n");
        x = run(&f, "hardenctl-cis-file-integrity", &n);
        ck_assert_int_eq(x->result, RULE_PASS);
        ck_assert_str_eq(x->message, "AIDE checks the 6 audit tools");
        fixture_done(&f);
}
END_TEST

/* AIDE's predefined groups (aide.conf(5) of AIDE 0.18): R, L and > with X in them, H every hashsum, E
 * none; a group the configuration defines replaces the predefined one of its name, not the X in R. */
START_TEST(test_aide_predefined_groups) {
        const ComplianceResult *x;
        size_t n;
        Fixture f;

        cis_fixture_init(&f, "6.3.3");
        test_write(f.root, "var/lib/dpkg/status", "Package: aide\nStatus: install ok installed\nVersion: 0.18.3-1\n\n");
        test_write(f.root, "etc/aide/aide.conf",
                   "/sbin/auditctl R+b+sha512\n"
                   "/sbin/auditd L+s+b+H\n"
                   "/sbin/ausearch >+b+sha512\n"
                   "/sbin/aureport p+i+n+u+g+s+b+X+H-sha512\n"
                   "/sbin/autrace R+b+H-X\n"
                   "/sbin/augenrules E+p+i+n+u+g+s+b+acl+xattrs+sha512\n");
        x = run(&f, "hardenctl-cis-file-integrity", &n);
        ck_assert_uint_eq(n, 1);
        ck_assert_int_eq(x->result, RULE_FAIL);
        ck_assert_str_eq(x->message,
                         "AIDE does not check every audit tool as it should: aureport (no sha512), autrace (no acl)");
        assert_evidence(x, 0, "/etc/aide/aide.conf:1", "/sbin/auditctl p+i+n+u+g+s+b+acl+xattrs+sha512",
                        "/sbin/auditctl R+b+sha512");
        assert_evidence(x, 1, "/etc/aide/aide.conf:2", "/sbin/auditd p+i+n+u+g+s+b+acl+xattrs+sha512",
                        "/sbin/auditd L+s+b+H");

        /* The configuration's own H and X replace AIDE's; R keeps the X it was defined with. */
        test_write(f.root, "etc/aide/aide.conf",
                   "H = sha256\nX = acl\n"
                   "/sbin/auditctl R+b+sha512\n"
                   "/sbin/auditd L+s+b+H\n"
                   "/sbin/ausearch p+i+n+u+g+s+b+X+sha512\n"
                   "/sbin/aureport R+b+H+sha512\n"
                   "/sbin/autrace >+b+sha512\n"
                   "/sbin/augenrules R+b+sha512\n");
        x = run(&f, "hardenctl-cis-file-integrity", &n);
        ck_assert_int_eq(x->result, RULE_FAIL);
        ck_assert_str_eq(x->message,
                         "AIDE does not check every audit tool as it should: auditd (no sha512), ausearch (no xattrs)");
        assert_evidence(x, 1, "/etc/aide/aide.conf:4", "/sbin/auditd p+i+n+u+g+s+b+acl+xattrs+sha512",
                        "/sbin/auditd L+s+b+H");

        test_write(f.root, "etc/aide/aide.conf",
                   "AuditTools = R+b+H\n/sbin/auditctl AuditTools\n/sbin/auditd AuditTools\n/sbin/ausearch AuditTools\n"
                   "/sbin/aureport AuditTools\n/sbin/autrace AuditTools\n/sbin/augenrules AuditTools\n");
        x = run(&f, "hardenctl-cis-file-integrity", &n);
        ck_assert_int_eq(x->result, RULE_PASS);
        ck_assert_str_eq(x->message, "AIDE checks the 6 audit tools");
        fixture_done(&f);
}
END_TEST

static Suite *cis_audit_suite(void) {
        Suite *s = suite_create("compliance-cis-audit");
        TCase *tc = tcase_create("core");

        tcase_add_test(tc, test_audit_rules_coverage);
        tcase_add_test(tc, test_audit_rules_watches);
        tcase_add_test(tc, test_audit_rules_boot_order);
        tcase_add_test(tc, test_audit_rules_var_run);
        tcase_add_test(tc, test_audit_rules_privileged);
        tcase_add_test(tc, test_audit_rules_sudo_log);
        tcase_add_test(tc, test_audit_files);
        tcase_add_test(tc, test_auditd_on);
        tcase_add_test(tc, test_cmdline_grub);
        tcase_add_test(tc, test_aide_audit_tools);
        tcase_add_test(tc, test_aide_predefined_groups);
        suite_add_tcase(s, tc);
        return s;
}

TEST_MAIN(cis_audit_suite)
