/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* The [Benchmark] rules about the system's own protections against fixture trees: AppArmor (1.3.1.x),
 * GNOME's login screen (1.7.x), the mail transfer agent (2.1.21), wireless interfaces (3.1.2), with the
 * exact evidence of passing and failing variants. The kernel's view (securityfs) is a file of
 * the tree here. */

#include <fcntl.h>
#include <time.h>

#include "cis-fixture.h"

START_TEST(test_apparmor) {
        const ComplianceResult *x;
        size_t n;
        Fixture f;

        cis_fixture_init(&f, "1.3.1.1 1.3.1.2 1.3.1.3 1.3.1.4");
        test_write(f.root, "var/lib/dpkg/status",
                   "Package: apparmor\nStatus: install ok installed\nVersion: 3.0.8-3\n\n");
        test_write(f.root, "etc/default/grub", "GRUB_CMDLINE_LINUX=\"apparmor=1\"\n");
        test_write(f.root, "sys/kernel/security/apparmor/profiles",
                   "/usr/sbin/cupsd (enforce)\nnvidia_modprobe (complain)\n/usr/bin/man (unconfined)\n");
        x = run(&f, "hardenctl-cis-apparmor", &n);
        ck_assert_uint_eq(n, 4);
        ck_assert_int_eq(x[0].result, RULE_FAIL);
        assert_evidence(x, 0, "/var/lib/dpkg/status", "apparmor installed", "apparmor 3.0.8-3");
        assert_evidence(x, 1, "/var/lib/dpkg/status", "apparmor-utils installed", "not installed");
        ck_assert_int_eq(x[1].result, RULE_FAIL);
        ck_assert_str_eq(x[1].message, "security=apparmor is not on the next boot's command line");
        assert_evidence(x + 1, 1, "/etc/default/grub GRUB_CMDLINE_LINUX=", "security=apparmor", "apparmor=1");
        ck_assert_int_eq(x[2].result, RULE_FAIL);
        ck_assert_str_eq(x[2].message, "1 of 3 AppArmor profiles are not enforcing or complaining");
        assert_evidence(x + 2, 0, "/sys/kernel/security/apparmor/profiles", "every profile (enforce) or (complain)",
                        "1 of 3 not: /usr/bin/man (unconfined)");
        ck_assert_int_eq(x[3].result, RULE_FAIL);
        ck_assert_str_eq(x[3].message, "2 of 3 AppArmor profiles are not enforcing");
        fixture_done(&f);

        cis_fixture_init(&f, "1.3.1.1 1.3.1.2 1.3.1.3 1.3.1.4");
        test_write(f.root, "var/lib/dpkg/status",
                   "Package: apparmor\nStatus: install ok installed\nVersion: 3.0.8-3\n\n"
                   "Package: apparmor-utils\nStatus: install ok installed\nVersion: 3.0.8-3\n\n");
        test_write(f.root, "etc/kernel/cmdline", "root=LABEL=root security=apparmor apparmor=1\n");
        test_write(f.root, "sys/kernel/security/apparmor/profiles", "/usr/sbin/cupsd (enforce)\nman_filter (enforce)\n");
        x = run(&f, "hardenctl-cis-apparmor", &n);
        for (size_t i = 0; i < 4; i++)
                ck_assert_int_eq(x[i].result, RULE_PASS);
        ck_assert_str_eq(x[1].message, "The next boot's command line has apparmor=1 and security=apparmor");
        ck_assert_str_eq(x[3].message, "All 2 AppArmor profiles are enforcing");
        fixture_done(&f);
}
END_TEST

/* The mail ports: listeners on loopback (127.0.0.0/8, ::1) pass, one on every address fails; an offline
 * tree without socket tables is not checked. The tables are the kernel's format, on this host's byte
 * order. */
START_TEST(test_mta_local) {
        const ComplianceResult *x;
        size_t n;
        Fixture f;

        cis_fixture_init(&f, "2.1.21");
        x = run(&f, "hardenctl-cis-exposure", &n);
        ck_assert_uint_eq(n, 1);
        ck_assert_int_eq(x->result, RULE_NOTCHECKED);
        fixture_done(&f);

#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
        /* (New checks: the socket tables are read once per check.) A UDP socket is no mail port. */
        cis_fixture_init(&f, "2.1.21");
        write_sockets(&f, "udp",
                      "0: 00000000:0019 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 5\n");
        write_sockets(&f, "tcp",
                      "0: 0100007F:0019 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1\n"
                      "   1: 00000000:024B 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 2\n"
                      "   2: 0F02000A:0019 0A000001:D431 01 00000000:00000000 00:00000000 00000000     0        0 3\n");
        write_sockets(&f, "tcp6",
                      "0: 00000000000000000000000001000000:0019 00000000000000000000000000000000:0000 0A "
                      "00000000:00000000 00:00000000 00000000     0        0 4\n");
        x = run(&f, "hardenctl-cis-exposure", &n);
        ck_assert_int_eq(x->result, RULE_FAIL);
        ck_assert_str_eq(x->message, "A mail port is open to the network (1 listener)");
        assert_evidence(x, 0, "/proc/1/net/tcp", "no listener on port 25, 465 or 587 but on loopback",
                        "listening on 00000000 port 587");
        ck_assert_uint_eq(x->n_evidence, 1);
        fixture_done(&f);

        cis_fixture_init(&f, "2.1.21");
        write_sockets(&f, "tcp",
                      "0: 0100007F:0019 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1\n");
        x = run(&f, "hardenctl-cis-exposure", &n);
        ck_assert_int_eq(x->result, RULE_PASS);
        ck_assert_str_eq(x->message, "No mail port is open beyond the host itself");
        fixture_done(&f);
#endif
}
END_TEST

/* Wireless interfaces: one with a wireless directory fails, with its driver and whether modprobe.d
 * keeps that from the next boot; wired ones pass; an offline tree without /sys is not checked. */
START_TEST(test_wireless) {
        const ComplianceResult *x;
        size_t n;
        Fixture f;

        cis_fixture_init(&f, "3.1.2");
        x = run(&f, "hardenctl-cis-exposure", &n);
        ck_assert_uint_eq(n, 1);
        ck_assert_str_eq(x->instance, "wireless interfaces");
        ck_assert_int_eq(x->result, RULE_NOTCHECKED);
        fixture_done(&f);

        cis_fixture_init(&f, "3.1.2");
        test_write(f.root, "sys/class/net/eth0/address", "52:54:00:12:34:56\n");
        test_write(f.root, "sys/class/net/wlan0/wireless/.keep", "");
        test_write(f.root, "sys/class/net/wlan0/device/driver/.keep", "");
        ck_assert_int_eq(symlinkat("../../../../module/iwlwifi", f.root_fd, "sys/class/net/wlan0/device/driver/module"),
                         0);
        x = run(&f, "hardenctl-cis-exposure", &n);
        ck_assert_int_eq(x->result, RULE_FAIL);
        ck_assert_str_eq(x->message, "1 wireless interface is up (wlan0)");
        assert_evidence(x, 0, "/sys/class/net/wlan0", "no wireless interface",
                        "wireless, driver iwlwifi, not refused in modprobe.d");
        ck_assert_uint_eq(x->n_evidence, 1);
        fixture_done(&f);

        cis_fixture_init(&f, "3.1.2");
        test_write(f.root, "sys/class/net/wlan0/wireless/.keep", "");
        test_write(f.root, "sys/class/net/wlan1/wireless/.keep", "");
        test_write(f.root, "sys/class/net/wlan0/device/driver/.keep", "");
        ck_assert_int_eq(symlinkat("../../../../module/iwlwifi", f.root_fd, "sys/class/net/wlan0/device/driver/module"),
                         0);
        test_write(f.root, "etc/modprobe.d/wireless.conf", "blacklist iwlwifi\ninstall iwlwifi /bin/false\n");
        x = run(&f, "hardenctl-cis-exposure", &n);
        ck_assert_int_eq(x->result, RULE_FAIL);
        ck_assert_str_eq(x->message, "2 wireless interfaces are up (wlan0, …)");
        assert_evidence(x, 0, "/sys/class/net/wlan0", "no wireless interface",
                        "wireless, driver iwlwifi, refused from the next boot on: install iwlwifi /bin/false "
                        "(/etc/modprobe.d/wireless.conf:2)");
        assert_evidence(x, 1, "/sys/class/net/wlan1", "no wireless interface",
                        "wireless, its driver built into the kernel");
        fixture_done(&f);

        cis_fixture_init(&f, "3.1.2");
        test_write(f.root, "sys/class/net/eth0/address", "52:54:00:12:34:56\n");
        test_write(f.root, "sys/class/net/lo/address", "00:00:00:00:00:00\n");
        x = run(&f, "hardenctl-cis-exposure", &n);
        ck_assert_int_eq(x->result, RULE_PASS);
        ck_assert_str_eq(x->message, "The host has no wireless interface");
        assert_evidence(x, 0, "/sys/class/net", "no wireless interface", "2 interfaces, none wireless");
        fixture_done(&f);
}
END_TEST

static void set_mtime(Fixture *f, const char *path, time_t t) {
        const struct timespec ts[2] = { { .tv_sec = t }, { .tv_sec = t } };

        ck_assert_int_eq(utimensat(f->root_fd, path, ts, 0), 0);
}

/* GNOME's login screen and sessions from dconf's keyfiles and locks, in the databases the gdm and user
 * profiles name, and only once compiled; XDMCP from daemon.conf; nothing where gdm3 is not installed. */
START_TEST(test_gdm) {
        const char *all = "1.7.2 1.7.3 1.7.4 1.7.5 1.7.6 1.7.7 1.7.8 1.7.9 1.7.10";
        time_t now = time(NULL);
        const ComplianceResult *x;
        size_t n;
        Fixture f;

        cis_fixture_init(&f, all);
        x = run(&f, "hardenctl-cis-gdm", &n);
        ck_assert_uint_eq(n, 9);
        for (size_t i = 0; i < n; i++)
                ck_assert_int_eq(x[i].result, RULE_NOTAPPLICABLE);
        fixture_done(&f);

        cis_fixture_init(&f, all);
        test_write(f.root, "var/lib/dpkg/status", "Package: gdm3\nStatus: install ok installed\nVersion: 43.0-3\n\n");
        test_write(f.root, "etc/dconf/profile/gdm",
                   "user-db:user\nsystem-db:gdm\nfile-db:/usr/share/gdm/greeter-dconf-defaults\n");
        test_write(f.root, "etc/dconf/profile/user", "user-db:user\nsystem-db:local\n");
        test_write(f.root, "etc/dconf/db/gdm.d/01-banner",
                   "[org/gnome/login-screen]\nbanner-message-enable=true\n"
                   "banner-message-text='Authorized uses only'\n# disable-user-list=true\n");
        test_write(f.root, "etc/dconf/db/gdm.d/02-users", "[org/gnome/login-screen]\ndisable-user-list=true\n");
        test_write(f.root, "etc/dconf/db/gdm", "compiled");
        set_mtime(&f, "etc/dconf/db/gdm", now - 3600);
        test_write(f.root, "etc/dconf/db/local.d/00-screensaver",
                   "[org/gnome/desktop/session]\nidle-delay=uint32 900\n"
                   "[org/gnome/desktop/screensaver]\nlock-delay=uint32 10\n");
        test_write(f.root, "etc/dconf/db/local.d/01-media",
                   "[org/gnome/desktop/media-handling]\nautomount=false\nautomount-open=false\nautorun-never=true\n");
        test_write(f.root, "etc/dconf/db/local.d/locks/screensaver", "/org/gnome/desktop/session/idle-delay\n");
        test_write(f.root, "etc/dconf/db/local", "compiled");
        set_mtime(&f, "etc/dconf/db/local", now + 60);
        test_write(f.root, "etc/gdm3/daemon.conf", "[daemon]\n[xdmcp]\nEnable=true\n");
        x = run(&f, "hardenctl-cis-gdm", &n);
        ck_assert_uint_eq(n, 9);
        ck_assert_int_eq(x[0].result, RULE_FAIL); /* written after the database was compiled */
        assert_evidence(x, 0, "/etc/dconf/db/gdm.d/01-banner (not compiled into /etc/dconf/db/gdm: run dconf update)",
                        "/org/gnome/login-screen/banner-message-enable true", "true");
        ck_assert_int_eq(x[2].result, RULE_FAIL);
        ck_assert_str_eq(x[2].message, "/org/gnome/desktop/screensaver/lock-delay is not as the benchmark asks");
        assert_evidence(x + 2, 0, "/etc/dconf/db/local.d/00-screensaver",
                        "/org/gnome/desktop/session/idle-delay 1 to 900", "uint32 900");
        assert_evidence(x + 2, 1, "/etc/dconf/db/local.d/00-screensaver",
                        "/org/gnome/desktop/screensaver/lock-delay 0 to 5", "uint32 10");
        ck_assert_int_eq(x[3].result, RULE_FAIL);
        assert_evidence(x + 3, 0, "/etc/dconf/db/local.d/locks/screensaver",
                        "/org/gnome/desktop/session/idle-delay locked", "locked");
        assert_evidence(x + 3, 1, "/etc/dconf/db/local.d", "/org/gnome/desktop/screensaver/lock-delay locked",
                        "not locked");
        ck_assert_int_eq(x[4].result, RULE_PASS);
        ck_assert_int_eq(x[5].result, RULE_FAIL);
        ck_assert_int_eq(x[6].result, RULE_PASS);
        ck_assert_int_eq(x[7].result, RULE_FAIL);
        ck_assert_int_eq(x[8].result, RULE_FAIL);
        ck_assert_str_eq(x[8].message, "GDM offers XDMCP (/etc/gdm3/daemon.conf)");

        set_mtime(&f, "etc/dconf/db/gdm", now + 60);
        test_write(f.root, "etc/gdm3/daemon.conf", "[xdmcp]\n#Enable=true\n");
        x = run(&f, "hardenctl-cis-gdm", &n);
        ck_assert_int_eq(x[0].result, RULE_PASS);
        assert_evidence(x, 1, "/etc/dconf/db/gdm.d/01-banner", "/org/gnome/login-screen/banner-message-text a message",
                        "'Authorized uses only'");
        ck_assert_int_eq(x[1].result, RULE_PASS);
        assert_evidence(x + 1, 0, "/etc/dconf/db/gdm.d/02-users", "/org/gnome/login-screen/disable-user-list true",
                        "true");
        ck_assert_int_eq(x[8].result, RULE_PASS);
        fixture_done(&f);

        /* No system database for the sessions. */
        cis_fixture_init(&f, "1.7.8");
        test_write(f.root, "var/lib/dpkg/status", "Package: gdm3\nStatus: install ok installed\nVersion: 43.0-3\n\n");
        x = run(&f, "hardenctl-cis-gdm", &n);
        ck_assert_int_eq(x->result, RULE_FAIL);
        ck_assert_str_eq(x->message, "The user dconf profile names no system database");
        fixture_done(&f);
}
END_TEST

static Suite *cis_system_suite(void) {
        Suite *s = suite_create("compliance-cis-system");
        TCase *tc = tcase_create("core");

        tcase_add_test(tc, test_apparmor);
        tcase_add_test(tc, test_mta_local);
        tcase_add_test(tc, test_wireless);
        tcase_add_test(tc, test_gdm);
        suite_add_tcase(s, tc);
        return s;
}

TEST_MAIN(cis_system_suite)
