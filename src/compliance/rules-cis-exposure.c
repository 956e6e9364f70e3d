/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* [Benchmark] CIS=: what the host exposes beyond the services it is for (CIS 2.1.21 the mail transfer
 * agent answers only the host itself), from the kernel's socket tables of PID 1's network namespace
 * (ROOT/proc/1/net/tcp, tcp6). Not /proc/net: that is the checker's own namespace, and
 * hardenctl-check.service runs with PrivateNetwork=yes, where nothing ever listens. */

#include <strings.h>

#include "compliance-rules.h"

/* ComplianceAsCode: has_nonlocal_mta, postfix_network_listening_disabled (controls/cis_debian12.yml). */
static const ItemRef exposure_refs[] = {
        { "mail transfer agent local only", "2.1.21", NULL, NULL },
};

#define TCP_LISTEN 0x0A

/* Whether the hexadecimal local address of a /proc/net/tcp{,6} line is a loopback address. The kernel
 * prints each 32-bit word of the address in the host's byte order. */
static bool address_is_loopback(const char *hex, size_t n) {
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
        const size_t first_octet = 6; /* 127.0.0.1 is "0100007F" */
        const char *one = "01000000";
#else
        const size_t first_octet = 0;
        const char *one = "00000001";
#endif
        if (n == 8) /* 127.0.0.0/8 */
                return strneq(hex + first_octet, "7F", 2);
        if (n != 32)
                return false;
        if (strneq(hex, "000000000000000000000000", 24)) /* ::1 */
                return strneq(hex + 24, one, 8);
        /* ::ffff:127.0.0.0/104 */
        return strneq(hex, "0000000000000000", 16) &&
               strncasecmp(hex + 16, first_octet ? "FFFF0000" : "0000FFFF", 8) == 0 &&
               strneq(hex + 24 + first_octet, "7F", 2);
}

/* The listening sockets on the mail ports (25, 465, 587) of one socket table, not on loopback. */
static int mail_listeners(CheckContext *c, ComplianceResult *x, const char *path, unsigned *n) {
        _cleanup_free_ char *text = NULL;
        int r;

        r = probe_read_file(c, path, 0, &text);
        if (r < 0)
                return r;
        for (char *l = strchr(text, '\n'); l && *l;) {
                char *line = l + 1, *end = strchrnul(line, '\n'), addr[33];
                unsigned port, state;

                l = *end ? end : NULL;
                if (sscanf(line, " %*u: %32[0-9A-Fa-f]:%x %*32[0-9A-Fa-f]:%*x %x", addr, &port, &state) != 3)
                        continue;
                if (state != TCP_LISTEN || (port != 25 && port != 465 && port != 587) ||
                    address_is_loopback(addr, strlen(addr)))
                        continue;
                (*n)++;
                r = result_evidence(x, path, "no listener on port 25, 465 or 587 but on loopback",
                                    check_tmp(c, "listening on %s port %u", addr, port));
                if (r < 0)
                        return r;
        }
        return 0;
}

static int check_mta(CheckContext *c, ComplianceResult *x) {
        unsigned n = 0;
        int r;

        r = mail_listeners(c, x, "/proc/1/net/tcp", &n);
        if (r == -ENOMEM)
                return r;
        if (r < 0)
                return result_missing_state(c, x, r, "/proc/1/net/tcp");
        r = mail_listeners(c, x, "/proc/1/net/tcp6", &n);
        if (r == -ENOMEM)
                return r;
        if (n > 0)
                return result_set(x, RULE_FAIL, "A mail port is open to the network (%u listener%s)", n,
                                  n == 1 ? "" : "s");
        r = result_evidence(x, "/proc/1/net/tcp /proc/1/net/tcp6", "no listener on port 25, 465 or 587 but on loopback",
                            "none");
        if (r < 0)
                return r;
        return result_set(x, RULE_PASS, "No mail port is open beyond the host itself");
}

static int check_exposure_one(CheckContext *c, const ComplianceRule *rule, size_t i) {
        ComplianceResult *x;
        int r;

        r = check_begin(c, rule, rule->items[i].item, &x);
        if (r < 0)
                return r;
        return check_mta(c, x);
}

static int check_exposure(CheckContext *c, const ComplianceRule *rule) {
        return check_cis_items(c, rule, check_exposure_one);
}

const ComplianceRule rule_cis_exposure = {
        .id = "hardenctl-cis-exposure",
        .title = "The host's mail transfer agent answers only the host itself",
        .severity = SEVERITY_MEDIUM,
        .rationale =
                "A mail server reachable from the network is a way in, and a relay for others, that a host sending only its own mail does not need.",
        .nist = "CM-7 AC-18 SC-7",
        .remediation =
                "Set inet_interfaces = loopback-only in /etc/postfix/main.cf (dc_local_interfaces='127.0.0.1 ; ::1' for exim4) and restart the mail server.",
        .check = check_exposure,
        .items = exposure_refs,
        .n_items = ELEMENTSOF(exposure_refs),
};
