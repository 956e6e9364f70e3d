/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* The [Benchmark] firewall rules against fixture trees: which firewall is in use, nftables, iptables and
 * ufw from the files they load at boot, and rules for the listening sockets, with the exact evidence of
 * passing and failing variants. */

#include "cis-fixture.h"

/* The firewall from its boot files: one in use, nftables.conf and its includes, rules.v4/v6. */
START_TEST(test_firewall) {
        const char *nft_items = "4.1.1 4.3.1 4.3.2 4.3.4 4.3.5 4.3.6 4.3.8 4.3.9 4.4.1.1 4.4.2.1 4.4.2.2 4.4.3.1 4.4.3.2";
        const ComplianceResult *x;
        size_t n;
        Fixture f;

        cis_fixture_init(&f, nft_items);
        test_write(f.root, "var/lib/dpkg/status",
                   "Package: nftables\nStatus: install ok installed\nVersion: 1.0.6-2\n\n"
                   "Package: ufw\nStatus: install ok installed\nVersion: 0.36.2-1\n\n");
        test_write(f.root, "etc/systemd/system/sysinit.target.wants/nftables.service", "[Unit]\n");
        test_write(f.root, "etc/nftables.conf",
                   "#!/usr/sbin/nft -f\nflush ruleset\ntable inet filter {\n"
                   "  chain input {\n    type filter hook input priority filter; policy drop;\n"
                   "    iif \"lo\" accept\n    ip saddr 127.0.0.0/8 counter drop\n  }\n"
                   "  chain forward {\n    type filter hook forward priority filter; policy accept;\n  }\n}\n"
                   "include \"/etc/nftables.d/*.nft\"\n");
        test_write(f.root, "etc/nftables.d/10-out.nft",
                   "table inet filter {\n  chain output { type filter hook output priority 0; policy drop; }\n}\n");
        x = run(&f, "hardenctl-cis-firewall", &n);
        ck_assert_uint_eq(n, 13);
        ck_assert_int_eq(x[0].result, RULE_PASS);
        assert_evidence(x, 0, "/var/lib/dpkg/status /etc/systemd/system",
                        "exactly one of ufw, nftables, iptables-persistent", "nftables");
        ck_assert_int_eq(x[1].result, RULE_PASS);
        ck_assert_int_eq(x[2].result, RULE_PASS); /* ufw installed, not enabled */
        ck_assert_int_eq(x[3].result, RULE_PASS);
        assert_evidence(x + 3, 0, "/etc/nftables.conf:3", "a table", "present");
        ck_assert_int_eq(x[4].result, RULE_PASS);
        assert_evidence(x + 4, 2, "/etc/nftables.d/10-out.nft:2", "type filter hook output", "present");
        ck_assert_int_eq(x[5].result, RULE_FAIL);
        assert_evidence(x + 5, 0, "/etc/nftables.conf:6", "iif lo accept", "present");
        assert_evidence(x + 5, 2, "/etc/nftables.conf", "ip6 saddr ::1 drop", "missing");
        ck_assert_int_eq(x[6].result, RULE_FAIL);
        assert_evidence(x + 6, 1, "/etc/nftables.conf:10", "type filter hook forward policy drop", "policy accept");
        assert_evidence(x + 6, 2, "/etc/nftables.d/10-out.nft:2", "type filter hook output policy drop", "policy drop");
        ck_assert_int_eq(x[7].result, RULE_PASS);
        for (size_t i = 8; i < 13; i++)
                ck_assert_int_eq(x[i].result, RULE_NOTAPPLICABLE);
        fixture_done(&f);

        /* iptables-persistent in use (and ufw too: two firewalls). */
        cis_fixture_init(&f, nft_items);
        test_write(f.root, "var/lib/dpkg/status",
                   "Package: iptables\nStatus: install ok installed\nVersion: 1.8.9-2\n\n"
                   "Package: iptables-persistent\nStatus: install ok installed\nVersion: 1.0.20\n\n");
        test_write(f.root, "etc/systemd/system/multi-user.target.wants/netfilter-persistent.service", "[Unit]\n");
        test_write(f.root, "etc/iptables/rules.v4",
                   "*nat\n:INPUT DROP [0:0]\nCOMMIT\n*filter\n:INPUT DROP [0:0]\n:FORWARD DROP [0:0]\n"
                   ":OUTPUT ACCEPT [0:0]\n-A INPUT  -i lo -j ACCEPT\n-A OUTPUT -o lo -j ACCEPT\n"
                   "-A INPUT -s 127.0.0.0/8 -j DROP\nCOMMIT\n");
        x = run(&f, "hardenctl-cis-firewall", &n);
        ck_assert_uint_eq(n, 13);
        ck_assert_int_eq(x[0].result, RULE_PASS);
        for (size_t i = 1; i < 8; i++)
                ck_assert_int_eq(x[i].result, RULE_NOTAPPLICABLE);
        ck_assert_int_eq(x[8].result, RULE_PASS);
        assert_evidence(x + 8, 0, "/var/lib/dpkg/status", "iptables, iptables-persistent installed",
                        "iptables-persistent 1.0.20");
        ck_assert_int_eq(x[9].result, RULE_FAIL);
        assert_evidence(x + 9, 0, "/etc/iptables/rules.v4:5", ":INPUT DROP", "present");
        assert_evidence(x + 9, 2, "/etc/iptables/rules.v4", ":OUTPUT DROP", "missing");
        ck_assert_int_eq(x[10].result, RULE_PASS);
        assert_evidence(x + 10, 0, "/etc/iptables/rules.v4:8", "-A INPUT -i lo -j ACCEPT", "present");
        ck_assert_int_eq(x[11].result, RULE_FAIL);
        ck_assert_str_eq(x[11].message, "/etc/iptables/rules.v6 is missing: no rules are loaded at boot");
        fixture_done(&f);
}
END_TEST

/* The ruleset nftables.service loads at boot (4.3.10); a rules.v4/v6 INPUT rule for every port open on
 * IPv4/IPv6 (4.4.2.4, 4.4.3.4), --dport or a multiport --dports list. */
START_TEST(test_firewall_boot_and_ports) {
        const ComplianceResult *x;
        size_t n;
        Fixture f;

        cis_fixture_init(&f, "4.3.10");
        test_write(f.root, "var/lib/dpkg/status",
                   "Package: nftables\nStatus: install ok installed\nVersion: 1.0.6-2\n\n");
        enable_unit(&f, "nftables.service");
        test_write(f.root, "etc/nftables.conf",
                   "table inet filter {\n  chain input { type filter hook input priority 0; policy drop; }\n"
                   "  chain forward { type filter hook forward priority 0; policy drop; }\n}\n");
        x = run(&f, "hardenctl-cis-firewall", &n);
        ck_assert_uint_eq(n, 1);
        ck_assert_int_eq(x->result, RULE_FAIL);
        ck_assert_str_eq(x->message, "The ruleset loaded at boot lacks base chains for input, forward or output");
        assert_evidence(x, 0, "/etc/systemd/system/multi-user.target.wants/nftables.service",
                        "nftables.service enabled", "enabled");
        assert_evidence(x, 3, "/etc/nftables.conf", "type filter hook output", "no such chain");
        fixture_done(&f);

#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
        cis_fixture_init(&f, "4.4.2.4 4.4.3.4");
        test_write(f.root, "var/lib/dpkg/status",
                   "Package: iptables\nStatus: install ok installed\nVersion: 1.8.9-2\n\n"
                   "Package: iptables-persistent\nStatus: install ok installed\nVersion: 1.0.20\n\n");
        enable_unit(&f, "netfilter-persistent.service");
        test_write(f.root, "etc/iptables/rules.v4",
                   "*filter\n:INPUT DROP [0:0]\n"
                   "-A INPUT -p tcp -m tcp --dport 22 -j ACCEPT\n"
                   "-A INPUT -p udp -m multiport --dports 53,123 -j ACCEPT\n"
                   "-A OUTPUT -p tcp -m tcp --dport 443 -j ACCEPT\n"
                   "COMMIT\n");
        write_sockets(&f, "tcp",
                      "0: 00000000:0016 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1\n"
                      "   1: 00000000:01BB 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 2\n");
        write_sockets(&f, "udp",
                      "0: 00000000:0035 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 3\n");
        write_sockets(&f, "tcp6",
                      "0: 00000000000000000000000000000000:0016 00000000000000000000000000000000:0000 0A "
                      "00000000:00000000 00:00000000 00000000     0        0 4\n");
        x = run(&f, "hardenctl-cis-firewall", &n);
        ck_assert_uint_eq(n, 2);
        ck_assert_int_eq(x[0].result, RULE_FAIL);
        ck_assert_str_eq(x[0].message, "1 of 3 ports open on IPv4 have no rule in /etc/iptables/rules.v4");
        assert_evidence(x, 0, "/etc/iptables/rules.v4:3", "-A INPUT -p tcp --dport 22", "present");
        assert_evidence(x, 1, "/proc/1/net/tcp", "-A INPUT -p tcp --dport 443", "none");
        assert_evidence(x, 2, "/etc/iptables/rules.v4:4", "-A INPUT -p udp --dport 53", "present");
        ck_assert_int_eq(x[1].result, RULE_FAIL);
        ck_assert_str_eq(x[1].message, "1 of 1 ports open on IPv6 have no rule in /etc/iptables/rules.v6");
        fixture_done(&f);
#endif
}
END_TEST

/* ufw: the rules the ufw command keeps, its default policies and its switch, against the listening
 * sockets; not applicable where another firewall is the one in use. */
START_TEST(test_ufw) {
        const ComplianceResult *x;
        size_t n;
        Fixture f;

        cis_fixture_init(&f, "4.2.1 4.2.2 4.2.3 4.2.4 4.2.6 4.2.7");
        test_write(f.root, "var/lib/dpkg/status", "Package: ufw\nStatus: install ok installed\nVersion: 0.36.2-1\n\n");
        enable_unit(&f, "ufw.service");
        test_write(f.root, "etc/ufw/ufw.conf", "# comment\nENABLED=yes\nLOGLEVEL=low\n");
        test_write(f.root, "etc/default/ufw",
                   "IPV6=yes\nDEFAULT_INPUT_POLICY=\"DROP\"\nDEFAULT_OUTPUT_POLICY=\"ACCEPT\"\n"
                   "DEFAULT_FORWARD_POLICY=\"REJECT\"\n");
        test_write(f.root, "etc/ufw/user.rules",
                   "*filter\n"
                   "### RULES ###\n"
                   "\n"
                   "### tuple ### allow any any 0.0.0.0/0 any 0.0.0.0/0 in_lo\n"
                   "-A ufw-user-input -i lo -j ACCEPT\n"
                   "### tuple ### allow any any 0.0.0.0/0 any 0.0.0.0/0 out_lo\n"
                   "### tuple ### deny any any 0.0.0.0/0 any 127.0.0.0/8 in\n"
                   "### tuple ### allow_log tcp 22 0.0.0.0/0 any 0.0.0.0/0 OpenSSH - in comment=73736800\n"
                   "### tuple ### limit tcp 8000:8100,9000 0.0.0.0/0 any 0.0.0.0/0 in\n"
                   "### tuple ### allow udp 53 0.0.0.0/0 any 0.0.0.0/0 out\n"
                   "COMMIT\n");
        test_write(f.root, "etc/ufw/user6.rules", "### tuple ### allow any any ::/0 any ::/0 in_lo\n");
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
        write_sockets(&f, "tcp",
                      "   0: 00000000:0016 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1\n"
                      "   1: 00000000:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 2\n"
                      "   2: 0100007F:0CEA 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 3\n"
                      "   3: 00000000:01BB 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 4\n");
        write_sockets(&f, "tcp6",
                      "0: 00000000000000000000000000000000:0016 00000000000000000000000000000000:0000 0A "
                      "00000000:00000000 00:00000000 00000000     0        0 5\n");
        write_sockets(&f, "udp",
                      "0: 00000000:0035 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 6\n");
#endif
        x = run(&f, "hardenctl-cis-ufw", &n);
        ck_assert_uint_eq(n, 6);
        ck_assert_int_eq(x[0].result, RULE_PASS);
        ck_assert_int_eq(x[1].result, RULE_PASS);
        ck_assert_int_eq(x[2].result, RULE_PASS);
        ck_assert_str_eq(x[2].message, "ufw.service is installed and enabled (whether it runs is not checked offline)");
        assert_evidence(x + 2, 1, "/etc/ufw/ufw.conf ENABLED=", "yes", "yes");
        ck_assert_int_eq(x[3].result, RULE_FAIL);
        ck_assert_str_eq(x[3].message, "1 of ufw's loopback rules is missing");
        assert_evidence(x + 3, 0, "ufw rules", "ufw allow in on lo",
                        "/etc/ufw/user.rules:4 allow any any 0.0.0.0/0 any 0.0.0.0/0 in_lo");
        assert_evidence(x + 3, 3, "/etc/ufw/user.rules /etc/ufw/user6.rules", "ufw deny in from ::1", "missing");
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
        ck_assert_int_eq(x[4].result, RULE_FAIL);
        ck_assert_str_eq(x[4].message, "2 of 4 open ports have no ufw rule");
        assert_evidence(x + 4, 0, "ufw rules", "a ufw rule for tcp port 22",
                        "/etc/ufw/user.rules:8 allow_log tcp 22 0.0.0.0/0 any 0.0.0.0/0 OpenSSH - in comment=73736800");
        assert_evidence(x + 4, 1, "ufw rules", "a ufw rule for tcp port 8080",
                        "/etc/ufw/user.rules:9 limit tcp 8000:8100,9000 0.0.0.0/0 any 0.0.0.0/0 in");
        assert_evidence(x + 4, 2, "/proc/1/net/tcp", "a ufw rule for tcp port 443", "none");
        assert_evidence(x + 4, 3, "/proc/1/net/udp", "a ufw rule for udp port 53", "none");
        ck_assert_uint_eq(x[4].n_evidence, 4);
#endif
        ck_assert_int_eq(x[5].result, RULE_FAIL);
        ck_assert_str_eq(x[5].message, "ufw does not deny by default (DEFAULT_OUTPUT_POLICY)");
        assert_evidence(x + 5, 2, "/etc/default/ufw DEFAULT_FORWARD_POLICY=", "DROP or REJECT", "REJECT");
        fixture_done(&f);

        /* Another firewall in use: nothing of ufw applies. ufw absent, no firewall: only 4.2.1 fails. */
        cis_fixture_init(&f, "4.2.1 4.2.4");
        test_write(f.root, "var/lib/dpkg/status",
                   "Package: ufw\nStatus: install ok installed\nVersion: 0.36.2-1\n\n"
                   "Package: nftables\nStatus: install ok installed\nVersion: 1.0.6-2\n\n");
        enable_unit(&f, "nftables.service");
        x = run(&f, "hardenctl-cis-ufw", &n);
        ck_assert_int_eq(x[0].result, RULE_NOTAPPLICABLE);
        ck_assert_str_eq(x[1].message, "The firewall in use is nftables, not ufw");
        fixture_done(&f);
        cis_fixture_init(&f, "4.2.1 4.2.4");
        test_write(f.root, "var/lib/dpkg/status",
                   "Package: nftables\nStatus: install ok installed\nVersion: 1.0.6-2\n\n");
        x = run(&f, "hardenctl-cis-ufw", &n);
        ck_assert_int_eq(x[0].result, RULE_FAIL);
        ck_assert_str_eq(x[0].message, "ufw is not installed");
        ck_assert_int_eq(x[1].result, RULE_NOTAPPLICABLE);
        fixture_done(&f);
}
END_TEST

static Suite *cis_firewall_suite(void) {
        Suite *s = suite_create("compliance-cis-firewall");
        TCase *tc = tcase_create("core");

        tcase_add_test(tc, test_firewall);
        tcase_add_test(tc, test_firewall_boot_and_ports);
        tcase_add_test(tc, test_ufw);
        suite_add_tcase(s, tc);
        return s;
}

TEST_MAIN(cis_firewall_suite)
