/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* The sockets the host listens on, from the kernel's socket tables of PID 1's network namespace
 * (ROOT/proc/1/net/{tcp,tcp6,udp,udp6}). Not /proc/net: that is the reader's own namespace, and
 * hardenctl-check.service runs with PrivateNetwork=yes, where nothing ever listens. */

#include <strings.h>

#include "probe.h"
#include "string-util.h"

#define TCP_LISTEN 0x0A
#define UDP_UNCONNECTED 0x07

/* Whether the hexadecimal local address of a socket table line is a loopback address. The kernel prints
 * each 32-bit word of the address in the host's byte order. */
static bool address_is_loopback(const char *hex, size_t n) {
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
        const size_t first_octet = 6; /* 127.0.0.1 is "0100007F" */
        const char *one = "01000000";
#else
        const size_t first_octet = 0;
        const char *one = "00000001";
#endif
        if (n == 8) /* 127.0.0.0/8 */
                return strncasecmp(hex + first_octet, "7F", 2) == 0;
        if (n != 32)
                return false;
        if (strneq(hex, "000000000000000000000000", 24)) /* ::1 */
                return strneq(hex + 24, one, 8);
        /* ::ffff:127.0.0.0/104 */
        return strneq(hex, "0000000000000000", 16) &&
               strncasecmp(hex + 16, first_octet ? "FFFF0000" : "0000FFFF", 8) == 0 &&
               strncasecmp(hex + 24 + first_octet, "7F", 2) == 0;
}

static int listen_table(CheckContext *c, const char *path, const char *proto, bool v6) {
        _cleanup_free_ char *text = NULL;
        int r;

        r = probe_read_file(c, path, 0, &text);
        if (r < 0)
                return r;
        for (char *l = strchr(text, '\n'); l && *l;) {
                char *line = l + 1, *end = strchrnul(line, '\n'), addr[33];
                unsigned port, rport, state;
                ListenSocket *n;

                l = *end ? end : NULL;
                if (sscanf(line, " %*u: %32[0-9A-Fa-f]:%x %*32[0-9A-Fa-f]:%x %x", addr, &port, &rport, &state) != 4)
                        continue;
                if (port == 0 || port > 65535 ||
                    (streq(proto, "tcp") ? state != TCP_LISTEN : state != UDP_UNCONNECTED || rport != 0) ||
                    address_is_loopback(addr, strlen(addr)))
                        continue;
                n = reallocarray(c->listening, c->n_listening + 1, sizeof(ListenSocket));
                if (!n)
                        return -ENOMEM;
                c->listening = n;
                n[c->n_listening] = (ListenSocket){ .proto = proto, .port = port, .v6 = v6 };
                memcpy(n[c->n_listening].address, addr, strlen(addr) + 1);
                n[c->n_listening].source = path;
                c->n_listening++;
        }
        return 0;
}

int probe_listening(CheckContext *c, const ListenSocket **ret, size_t *ret_n) {
        static const struct {
                const char *path, *proto;
                bool v6;
        } tables[] = {
                { "/proc/1/net/tcp", "tcp", false },
                { "/proc/1/net/tcp6", "tcp", true },
                { "/proc/1/net/udp", "udp", false },
                { "/proc/1/net/udp6", "udp", true },
        };

        if (!c->listening_done) {
                c->listening_done = true;
                for (size_t i = 0; i < ELEMENTSOF(tables) && c->listening_r >= 0; i++) {
                        int r = listen_table(c, tables[i].path, tables[i].proto, tables[i].v6);

                        /* Without IPv6 the v6 tables are missing: only the first table must be there. */
                        if (r < 0 && (i == 0 || r != -ENOENT))
                                c->listening_r = r;
                }
        }
        if (c->listening_r < 0)
                return c->listening_r;
        *ret = c->listening;
        *ret_n = c->n_listening;
        return 0;
}

bool port_list_has(const char *list, unsigned port) {
        for (const char *p = list; *p;) {
                unsigned a, b;
                int k = 0;

                if (sscanf(p, "%u:%u%n", &a, &b, &k) == 2 && k > 0) {
                        if (port >= a && port <= b)
                                return true;
                } else if (sscanf(p, "%u%n", &a, &k) == 1 && k > 0) {
                        if (port == a)
                                return true;
                } else
                        return false;
                p += k;
                if (*p != ',')
                        return false;
                p++;
        }
        return false;
}
