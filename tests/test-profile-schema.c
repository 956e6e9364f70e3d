/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <json-c/json.h>

#include "kernel-util.h"
#include "profile-lexer.h"
#include "profile-schema.h"
#include "strv.h"
#include "tests.h"

/* One row per key: a valid value and how it is stored (as JSON), and an invalid value with a part of
 * the reason it must give (NULL: only check that it fails). */
static const struct {
        const char *section, *key;
        const char *valid, *stored;
        const char *invalid, *reason;
} rows[] = {
        { "Profile", "Description", "A host", "\"A host\"", NULL, NULL },
        { "Profile", "Inherit", "base-line_2.0", "\"base-line_2.0\"", "../etc", "not a valid profile name" },
        { "Profile", "AllowKillSwitch", "no", "false", "perhaps", "invalid boolean" },
        { "Usr", "Verity", "required", "\"required\"", "yes", "expected one of: off, optional, required" },
        { "Usr", "RootHash", "00112233445566778899aabbccddeeff", "\"00112233445566778899aabbccddeeff\"", "0011",
          "neither 'cmdline'" },
        { "Usr", "Signature", "required", "\"required\"", "optional", "expected one of: off, required" },
        { "Usr", "SignatureFile", "/usr/lib/usr.p7s", "\"/usr/lib/usr.p7s\"", "usr.p7s", "absolute" },
        { "Usr", "DataDevice", "PARTLABEL=usr-a", "\"PARTLABEL=usr-a\"", "/tmp/usr.img", "under /dev" },
        { "Usr", "HashDevice", "/dev/disk/by-partlabel/usr-verity", "\"/dev/disk/by-partlabel/usr-verity\"", "UUID=a b",
          "invalid UUID value" },
        { "Usr", "OnCorruption", "panic", "\"panic\"", "halt", "eio, restart, panic" },
        { "Usr", "OnFailure", "poweroff", "\"poweroff\"", "ignore", "emergency, reboot, poweroff" },
        { "Usr", "FileSystem", "squashfs", "\"squashfs\"", "btrfs", "erofs, squashfs, ext4" },
        { "Etc", "Overlay", "tmpfs", "\"tmpfs\"", "ramfs", "off, tmpfs" },
        { "Etc", "Lower", "factory", "\"factory\"", "usr", "root, factory" },
        { "Etc", "FactoryDirectory", "/usr/share/factory/etc", "\"/usr/share/factory/etc\"", "/etc/factory",
          "not below /usr" },
        { "Etc", "Size", "25%", "\"25%\"", "0%", "invalid percentage" },
        { "Etc", "Persist", "/etc/machine-id ssh/ssh_host_ed25519_key", "[\"machine-id\",\"ssh/ssh_host_ed25519_key\"]",
          "/root/x", "not below /etc" },
        { "Etc", "ExpectedDrift", "resolv.conf *.lock [ab]?", "[\"resolv.conf\",\"*.lock\",\"[ab]?\"]", "../x",
          "not a normalized path below /etc" },
        { "SELinux", "Mode", "permissive", "\"permissive\"", "on", "disabled, permissive, enforcing" },
        { "SELinux", "Policy", "default", "\"default\"", "my policy", "not a valid name" },
        { "SELinux", "OnUnavailable", "fail", "\"fail\"", "panic", "warn, fail" },
        { "SELinux", "Context", "nginx.service  system_u:system_r:httpd_t:s0-s0:c0.c1023",
          "[\"nginx.service system_u:system_r:httpd_t:s0-s0:c0.c1023\"]", "nginx.service a:b",
          "not a valid SELinux context" },
        { "Audit", "Rules", "@identity session", "[\"identity\",\"session\"]", "@nope", "unknown audit rule set '@nope'" },
        { "Audit", "Rule", "-w /etc/passwd -p wa -k identity", "[\"-w /etc/passwd -p wa -k identity\"]",
          "-a always,exit -S notasyscall", NULL },
        { "Audit", "RulesFile", "/etc/audit/rules.d/stig.rules", "[\"/etc/audit/rules.d/stig.rules\"]", "stig.rules",
          "not an absolute path" },
        { "Audit", "Immutable", "yes", "true", "2", "invalid boolean" },
        { "Audit", "BacklogLimit", "8192", "8192", "-1", "invalid number" },
        { "Audit", "FailureMode", "printk", "\"printk\"", "loud", "silent, printk, panic" },
        { "Audit", "RateLimit", "0", "0", "4294967295", "expected 0 to 4294967294" },
        { "Audit", "BacklogWaitTime", "60000", "60000", "600001", "the kernel takes at most 600000 clock ticks" },
        { "Audit", "LoginUIDImmutable", "yes", "true", "locked", "invalid boolean" },
        { "Kernel", "Sysctl", " kernel/kptr_restrict = 2", "[\"kernel.kptr_restrict=2\"]", "kernel..x=1",
          "not a valid sysctl name" },
        { "Kernel", "Lockdown", "confidentiality", "\"confidentiality\"", "full", "none, integrity, confidentiality" },
        { "Kernel", "ModuleLoading", "locked", "\"locked\"", "off", "allow, signed, locked" },
        { "Kernel", "DenyModule", "usb-storage cramfs", "[\"usb_storage\",\"cramfs\"]", "a/b",
          "not a valid kernel module name" },
        { "Kernel", "CommandLine", "slab_nomerge init_on_alloc=1", "[\"slab_nomerge\",\"init_on_alloc=1\"]", "a;b",
          "not a valid kernel command line option" },
        { "Mounts", "Options", "/tmp noexec,nodev,noexec", "[\"/tmp noexec,nodev\"]", "/tmp exec",
          "unknown mount option 'exec'" },
        { "Mounts", "Separate", "/var /var/log", "[\"/var\",\"/var/log\"]", "/var/", "absolute, normalized" },
        { "Exec", "Mode", "audit", "\"audit\"", "on", "expected one of: off, audit, enforce" },
        { "Exec", "AllowVerityRootHash", "sha256:00112233445566778899AABBCCDDEEFF00112233445566778899aabbccddeeff",
          "[\"sha256:00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff\"]",
          "sha1:00112233445566778899aabbccddeeff00112233", "not a dm-verity root hash" },
        { "Exec", "AllowFsVerityDigest", "sha256:ffeeddccbbaa99887766554433221100ffeeddccbbaa99887766554433221100",
          "[\"sha256:ffeeddccbbaa99887766554433221100ffeeddccbbaa99887766554433221100\"]", "sha256:ff",
          "not a fs-verity digest" },
        { "Services", "Confine", "a.service b@x.service", "[\"a.service\",\"b@x.service\"]", "a.service b.socket",
          "'b.socket' is not a service" },
        { "Services", "Mask", "debug-shell.service", "[\"debug-shell.service\"]", "debug shell", "not a valid unit name" },
        { "Services", "AllowExec", "agent.service:/usr/bin/python3.11 *.service:/usr/lib/agent/*",
          "[\"agent.service:/usr/bin/python3.11\",\"*.service:/usr/lib/agent/*\"]", "agent.socket:/usr/bin/x",
          "not a service name or a glob of service names" },
        { "Services", "NoNewPrivileges", "yes", "true", "y e s", "invalid boolean" },
        { "Services", "ProtectSystem", "strict", "\"strict\"", "very", "no, yes, full, strict" },
        { "Services", "ProtectHome", "read-only", "\"read-only\"", "ro", "no, yes, read-only, tmpfs" },
        { "Services", "PrivateTmp", "on", "true", "x", "invalid boolean" },
        { "Services", "PrivateDevices", "off", "false", "x", "invalid boolean" },
        { "Services", "ProtectKernelTunables", "1", "true", "x", "invalid boolean" },
        { "Services", "ProtectKernelModules", "0", "false", "x", "invalid boolean" },
        { "Services", "ProtectKernelLogs", "true", "true", "x", "invalid boolean" },
        { "Services", "ProtectControlGroups", "false", "false", "x", "invalid boolean" },
        { "Services", "RestrictSUIDSGID", "y", "true", "x", "invalid boolean" },
        { "Services", "MemoryDenyWriteExecute", "n", "false", "x", "invalid boolean" },
        { "Services", "LockPersonality", "yes", "true", "x", "invalid boolean" },
        { "Services", "RestrictRealtime", "no", "false", "x", "invalid boolean" },
        { "Services", "CapabilityBoundingSet", "CAP_NET_BIND_SERVICE", "[\"CAP_NET_BIND_SERVICE\"]", "NET_ADMIN",
          "not a known capability" },
        { "Services", "RestrictAddressFamilies", "AF_UNIX ~AF_PACKET", "[\"AF_UNIX\",\"~AF_PACKET\"]", "AF_X",
          "not a known address family" },
        { "Services", "SystemCallFilter", "@system-service ~ptrace openat",
          "[\"@system-service\",\"~ptrace\",\"openat\"]", "@nope", "not a known system call group" },
        { "Access", "AdminGroups", "sudo wheel", "[\"sudo\",\"wheel\"]", "Admins", "not a valid user or group name" },
        { "Access", "AdminUsers", "alice _svc", "[\"alice\",\"_svc\"]", "9lives", "not a valid user or group name" },
        { "Access", "RootLogin", "console", "\"console\"", "ssh", "allow, console, deny" },
        { "Access", "AllowNoPasswordSudo", "no", "false", "x", "invalid boolean" },
        { "Packages", "Forbid", "gcc g++ libc6.1-dev", "[\"gcc\",\"g++\",\"libc6.1-dev\"]", "GCC",
          "not a valid package name" },
        { "Attest", "RequireTPM", "yes", "true", "maybe", "invalid boolean" },
        { "Benchmark", "CIS", "5.1.20 1.1.2.1.1", "[\"5.1.20\",\"1.1.2.1.1\"]", "5..1", "not a benchmark item number" },
};

static char *stored(const ProfileKey *k, const Profile *p) {
        struct json_object *j = NULL;
        char *s;

        ck_assert_int_eq(profile_key_to_json(k, p, &j), 0);
        s = strdup(j ? json_object_to_json_string_ext(j, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE) :
                       "null");
        json_object_put(j);
        ck_assert_ptr_nonnull(s);
        return s;
}

START_TEST(test_every_key_has_a_row) {
        PROFILE_FOREACH_KEY(k) {
                bool found = false;

                for (size_t j = 0; j < ELEMENTSOF(rows); j++)
                        found = found || (streq(rows[j].section, k->section) && streq(rows[j].key, k->key));
                ck_assert_msg(found, "%s.%s has no test row", k->section, k->key);
        }
        ck_assert_uint_eq(ELEMENTSOF(rows), profile_n_keys());
}
END_TEST

START_TEST(test_valid) {
        _cleanup_(profile_freep) Profile *p = profile_new();
        _cleanup_free_ char *reason = NULL, *s = NULL, *unset = NULL;
        const ProfileKey *k = profile_key_lookup(rows[_i].section, rows[_i].key);

        ck_assert_msg(k, "%s.%s not in the table", rows[_i].section, rows[_i].key);
        ck_assert_ptr_nonnull(p);

        unset = stored(k, p);
        ck_assert_str_eq(unset, profile_key_is_list(k) ? "[]" : "null");

        ck_assert_msg(profile_key_apply(k, p, rows[_i].valid, &reason) == 0, "%s.%s=%s: %s", rows[_i].section,
                      rows[_i].key, rows[_i].valid, strna(reason));
        s = stored(k, p);
        ck_assert_msg(streq(s, rows[_i].stored), "%s.%s: stored %s, expected %s", rows[_i].section, rows[_i].key, s,
                      rows[_i].stored);

        /* An empty assignment resets, lists and scalars alike. */
        free(s);
        ck_assert_int_eq(profile_key_apply(k, p, "", &reason), 0);
        s = stored(k, p);
        ck_assert_str_eq(s, profile_key_is_list(k) ? "[]" : "null");
}
END_TEST

START_TEST(test_invalid) {
        _cleanup_(profile_freep) Profile *p = profile_new();
        _cleanup_free_ char *reason = NULL, *before = NULL, *after = NULL;
        const ProfileKey *k = profile_key_lookup(rows[_i].section, rows[_i].key);
        int r;

        if (!rows[_i].invalid)
                return;

        ck_assert_int_eq(profile_key_apply(k, p, rows[_i].valid, &reason), 0);
        before = stored(k, p);

        r = profile_key_apply(k, p, rows[_i].invalid, &reason);
        ck_assert_msg(r == -EINVAL, "%s.%s=%s was accepted", rows[_i].section, rows[_i].key, rows[_i].invalid);
        ck_assert_ptr_nonnull(reason);
        if (rows[_i].reason)
                ck_assert_msg(strstr(reason, rows[_i].reason), "%s.%s: reason '%s' lacks '%s'", rows[_i].section,
                              rows[_i].key, reason, rows[_i].reason);

        /* A rejected assignment changes nothing. */
        after = stored(k, p);
        ck_assert_str_eq(before, after);
}
END_TEST

START_TEST(test_lists) {
        _cleanup_(profile_freep) Profile *p = profile_new();
        const ProfileKey *k = profile_key_lookup("Packages", "Forbid");
        _cleanup_free_ char *reason = NULL;

        ck_assert_int_eq(profile_key_apply(k, p, "gcc gdb", &reason), 0);
        ck_assert_int_eq(profile_key_apply(k, p, "gdb strace", &reason), 0);
        ck_assert_uint_eq(strv_length(p->packages.forbid), 3);
        ck_assert_str_eq(p->packages.forbid[2], "strace");

        /* One bad word: nothing of the assignment is applied. */
        ck_assert_int_eq(profile_key_apply(k, p, "tcpdump BAD", &reason), -EINVAL);
        ck_assert(!strv_contains(p->packages.forbid, "tcpdump"));
        ck_assert_uint_eq(strv_length(p->packages.forbid), 3);

        ck_assert_int_eq(profile_key_apply(k, p, "", &reason), 0);
        ck_assert_ptr_null(p->packages.forbid);

        /* At most PROFILE_LIST_MAX entries. */
        for (unsigned i = 0; i < PROFILE_LIST_MAX; i++) {
                char name[16];

                snprintf(name, sizeof(name), "pkg%u", i);
                ck_assert_int_eq(profile_key_apply(k, p, name, &reason), 0);
        }
        reason = mfree(reason);
        ck_assert_int_eq(profile_key_apply(k, p, "pkg0", &reason), -EINVAL);
        ck_assert(strstr(reason, "more than 1024 entries"));
        ck_assert_uint_eq(strv_length(p->packages.forbid), PROFILE_LIST_MAX);
}
END_TEST

START_TEST(test_etc_size) {
        _cleanup_(profile_freep) Profile *p = profile_new();
        const ProfileKey *k = profile_key_lookup("Etc", "Size");
        _cleanup_free_ char *reason = NULL;

        ck_assert_uint_eq(p->etc.size_bytes, NUMBER_UNSET);
        ck_assert_int_eq(profile_key_apply(k, p, "64M", &reason), 0);
        ck_assert_uint_eq(p->etc.size_bytes, 64 * 1024 * 1024);
        ck_assert_uint_eq(p->etc.size_percent, 0);
        ck_assert_int_eq(profile_key_apply(k, p, "10%", &reason), 0);
        ck_assert_uint_eq(p->etc.size_bytes, NUMBER_UNSET);
        ck_assert_uint_eq(p->etc.size_percent, 10);
        ck_assert_int_eq(profile_key_apply(k, p, "1023K", &reason), -EINVAL);
        ck_assert_uint_eq(p->etc.size_percent, 10);
}
END_TEST

START_TEST(test_enums) {
        ck_assert_int_eq(verity_mode_from_string("required"), VERITY_REQUIRED);
        ck_assert_int_eq(verity_mode_from_string("Required"), -EINVAL);
        ck_assert_str_eq(verity_mode_to_string(VERITY_OPTIONAL), "optional");
        ck_assert_ptr_null(verity_mode_to_string(-1));
        ck_assert_ptr_null(verity_mode_to_string(_VERITY_MODE_MAX));
        ck_assert_int_eq(selinux_mode_from_string("enforcing"), SELINUX_ENFORCING);
        ck_assert_str_eq(corruption_action_to_string(CORRUPTION_RESTART), "restart");
        ck_assert_str_eq(protect_home_to_string(PROTECT_HOME_READ_ONLY), "read-only");
        ck_assert_str_eq(root_login_to_string(ROOT_LOGIN_DENY), "deny");
}
END_TEST

/* Lockdown= as the kernel spells it in /sys/kernel/security/lockdown, the active mode in brackets: one
 * reader for hardenctl-kernel, apply and the check. */
static const struct {
        const char *text;
        int mode;
} lockdown_texts[] = {
        { "[none] integrity confidentiality\n", LOCKDOWN_NONE },
        { "none [integrity] confidentiality\n", LOCKDOWN_INTEGRITY },
        { "none integrity [confidentiality]", LOCKDOWN_CONFIDENTIALITY },
        { "none integrity confidentiality\n", -EBADMSG },
        { "", -EBADMSG },
        { "none [integrity", -EBADMSG },
        { "[]", -EBADMSG },
        { "[integ] none", -EBADMSG },
        { "[integrityx]", -EBADMSG },
        { "[bogus] none", -EBADMSG },
};

START_TEST(test_lockdown_text) {
        ck_assert_msg(kernel_lockdown_parse(lockdown_texts[_i].text) == lockdown_texts[_i].mode, "'%s'",
                      lockdown_texts[_i].text);
}
END_TEST

START_TEST(test_required) {
        _cleanup_(profile_freep) Profile *p = profile_new();
        const ProfileSection *usr = profile_section_lookup("Usr"), *etc = profile_section_lookup("Etc"),
                             *se = profile_section_lookup("SELinux"), *audit = profile_section_lookup("Audit"),
                             *kernel = profile_section_lookup("Kernel"), *pkg = profile_section_lookup("Packages");

        ck_assert(!usr->required(p) && !etc->required(p) && !se->required(p) && !audit->required(p) &&
                  !kernel->required(p));
        ck_assert_ptr_null(pkg->required);
        ck_assert_ptr_null(profile_section_lookup("Nope"));

        p->usr.verity = VERITY_OPTIONAL;
        ck_assert(!usr->required(p));
        p->usr.verity = VERITY_REQUIRED;
        ck_assert(usr->required(p));
        p->etc.overlay = ETC_OVERLAY_TMPFS;
        ck_assert(etc->required(p));
        p->selinux.mode = SELINUX_ENFORCING;
        ck_assert(!se->required(p));
        p->selinux.on_unavailable = UNAVAILABLE_FAIL;
        ck_assert(se->required(p));
        p->audit.immutable = 0;
        ck_assert(!audit->required(p));
        p->audit.immutable = 1;
        ck_assert(audit->required(p));
        p->kernel.lockdown = LOCKDOWN_NONE;
        ck_assert(!kernel->required(p));
        p->kernel.module_loading = MODULES_LOCKED;
        ck_assert(kernel->required(p));
}
END_TEST

START_TEST(test_table_sane) {
        size_t n = 0;

        PROFILE_FOREACH_KEY(k) {
                const ProfileSection *sec = profile_section_lookup(k->section);

                ck_assert_msg(sec && k >= sec->keys && k < sec->keys + sec->n_keys, "%s.%s: not in its section's table",
                              k->section, k->key);
                ck_assert_uint_eq(profile_key_index(k), n++);
                ck_assert_ptr_eq(profile_key_lookup(k->section, k->key), k); /* no duplicates */
                ck_assert_msg((k->type == PV_ENUM) == (k->enums != NULL), "%s.%s: enum table", k->section, k->key);
                ck_assert_ptr_nonnull(profile_value_type_to_string(k->type));
        }
}
END_TEST

static Suite *suite(void) {
        Suite *s = suite_create("profile-schema");
        TCase *tc = tcase_create("core");

        tcase_add_test(tc, test_every_key_has_a_row);
        tcase_add_loop_test(tc, test_valid, 0, ELEMENTSOF(rows));
        tcase_add_loop_test(tc, test_invalid, 0, ELEMENTSOF(rows));
        tcase_add_test(tc, test_lists);
        tcase_add_test(tc, test_etc_size);
        tcase_add_test(tc, test_enums);
        tcase_add_loop_test(tc, test_lockdown_text, 0, ELEMENTSOF(lockdown_texts));
        tcase_add_test(tc, test_required);
        tcase_add_test(tc, test_table_sane);
        suite_add_tcase(s, tc);
        return s;
}

TEST_MAIN(suite)
