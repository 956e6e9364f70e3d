/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* The sockets the host listens on, in PID 1's network namespace. Not the reader's own: hardenctl-check.service
 * runs with PrivateNetwork=yes, where nothing ever listens. In that namespace, sock_diag over netlink asks
 * the kernel for the listening sockets alone; from another one (or in a tree that is not the running
 * system) the socket tables ROOT/proc/1/net/{tcp,tcp6,udp,udp6} are read, through which the kernel lists
 * every socket (its whole established table, which costs more than the rest of a check). */

#include <arpa/inet.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include "fs-util.h"
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

static int listen_add(CheckContext *c, const char *source, const char *proto, bool v6, unsigned port, const char *addr) {
        ListenSocket *n;

        if (port == 0 || port > 65535 || address_is_loopback(addr, strlen(addr)))
                return 0;
        /* Room for powers of two: a host may listen on thousands of ports. */
        n = array_grow_pow2(c->listening, c->n_listening, sizeof(ListenSocket));
        if (!n)
                return -ENOMEM;
        c->listening = n;
        n[c->n_listening] = (ListenSocket){ .proto = proto, .source = source, .port = port, .v6 = v6 };
        strncpy(n[c->n_listening].address, addr, sizeof(n->address) - 1);
        c->n_listening++;
        return 0;
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

                l = *end ? end : NULL;
                if (sscanf(line, " %*u: %32[0-9A-Fa-f]:%x %*32[0-9A-Fa-f]:%x %x", addr, &port, &rport, &state) != 4)
                        continue;
                if (streq(proto, "tcp") ? state != TCP_LISTEN : state != UDP_UNCONNECTED || rport != 0)
                        continue;
                r = listen_add(c, path, proto, v6, port, addr);
                if (r < 0)
                        return r;
        }
        return 0;
}

/* Whether the reader runs in PID 1's network namespace (of the running system). Each namespace has proc
 * entries of its own, with inode numbers of their own; /proc/1/ns/net would need ptrace access to PID 1. */
static bool netns_is_pid1(CheckContext *c) {
        struct stat a, b;

        return c->live && stat("/proc/self/net/tcp", &a) == 0 && stat("/proc/1/net/tcp", &b) == 0 &&
               a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

/* The listening sockets of one family and protocol through sock_diag: TCP in LISTEN, UDP unconnected
 * (TCP_CLOSE, no peer). The addresses are shown as the socket tables print them. Returns 0, or a
 * negative errno (the caller then reads the tables). */
static int listen_diag(CheckContext *c, int fd, const char *proto, bool v6) {
        struct {
                struct nlmsghdr nlh;
                struct inet_diag_req_v2 req;
        } msg = {
                .nlh = { .nlmsg_len = sizeof(msg),
                         .nlmsg_type = SOCK_DIAG_BY_FAMILY,
                         .nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP,
                         .nlmsg_seq = 1 },
                .req = { .sdiag_family = v6 ? AF_INET6 : AF_INET,
                         .sdiag_protocol = streq(proto, "tcp") ? IPPROTO_TCP : IPPROTO_UDP,
                         .idiag_states = streq(proto, "tcp") ? 1U << TCP_LISTEN : 1U << UDP_UNCONNECTED },
        };
        const char *source = v6 ? (streq(proto, "tcp") ? "netlink:sock_diag tcp6" : "netlink:sock_diag udp6") :
                                  (streq(proto, "tcp") ? "netlink:sock_diag tcp" : "netlink:sock_diag udp");
        _Alignas(struct nlmsghdr) char buf[16384];
        int r;

        if (send(fd, &msg, sizeof(msg), 0) < 0)
                return negative_errno();
        for (;;) {
                ssize_t n = recv(fd, buf, sizeof(buf), 0);

                if (n < 0)
                        return negative_errno();
                if (n == 0)
                        return -EIO; /* the dump ended without NLMSG_DONE */
                for (struct nlmsghdr *h = (struct nlmsghdr *) buf; NLMSG_OK(h, (size_t) n); h = NLMSG_NEXT(h, n)) {
                        const struct inet_diag_msg *d = NLMSG_DATA(h);
                        char addr[33] = {};

                        if (h->nlmsg_type == NLMSG_DONE)
                                return 0;
                        if (h->nlmsg_type == NLMSG_ERROR)
                                return h->nlmsg_len >= NLMSG_LENGTH(sizeof(int)) ? -abs(*(int *) NLMSG_DATA(h)) : -EIO;
                        if (h->nlmsg_len < NLMSG_LENGTH(sizeof(*d)) || d->id.idiag_dport != 0)
                                continue;
                        for (size_t k = 0; k < (v6 ? 4U : 1U); k++)
                                snprintf(addr + 8 * k, 9, "%08X", (unsigned) d->id.idiag_src[k]);
                        r = listen_add(c, source, proto, v6, ntohs(d->id.idiag_sport), addr);
                        if (r < 0)
                                return r;
                }
        }
}

static int listen_netlink(CheckContext *c) {
        _cleanup_close_ int fd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
        int r = 0;

        if (fd < 0)
                return negative_errno();
        for (unsigned k = 0; k < 4 && r >= 0; k++) {
                r = listen_diag(c, fd, k < 2 ? "tcp" : "udp", k % 2);
                if (r == -ENOENT || r == -EAFNOSUPPORT) /* no IPv6, or no UDP diag module */
                        r = k % 2 ? 0 : r;
        }
        return r;
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
                if (netns_is_pid1(c)) {
                        c->listening_r = listen_netlink(c);
                        if (c->listening_r >= 0 || c->listening_r == -ENOMEM)
                                goto done;
                        /* Refused (a filter, no sock_diag): the tables say the same, more slowly. */
                        c->n_listening = 0;
                        c->listening_r = 0;
                }
                for (size_t i = 0; i < ELEMENTSOF(tables) && c->listening_r >= 0; i++) {
                        int r = listen_table(c, tables[i].path, tables[i].proto, tables[i].v6);

                        /* Without IPv6 the v6 tables are missing: only the first table must be there. */
                        if (r < 0 && (i == 0 || r != -ENOENT))
                                c->listening_r = r;
                }
        }
done:
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

int result_port_rules(CheckContext *c, ComplianceResult *x, int family, port_rule_t find, const void *userdata,
                      unsigned *ret_missing, unsigned *ret_ports) {
        const ListenSocket *l;
        unsigned missing = 0, ports = 0;
        size_t n;
        int r;

        r = probe_listening(c, &l, &n);
        if (r == -ENOMEM)
                return r;
        if (r < 0)
                return result_missing_state(c, x, r, "/proc/1/net/tcp") ?: 1;
        for (size_t i = 0; i < n; i++) {
                const char *expected = NULL, *source = NULL, *actual = NULL;
                bool seen = false;

                if (family != AF_UNSPEC && l[i].v6 != (family == AF_INET6))
                        continue;
                for (size_t j = 0; j < i && !seen; j++) /* each port once, whatever its addresses */
                        seen = l[j].v6 == l[i].v6 && streq(l[j].proto, l[i].proto) && l[j].port == l[i].port;
                for (size_t j = 0; j < i && !seen && family == AF_UNSPEC; j++)
                        seen = streq(l[j].proto, l[i].proto) && l[j].port == l[i].port;
                if (seen)
                        continue;
                ports++;
                r = find(c, l + i, userdata, &expected, &source, &actual);
                if (r < 0)
                        return r;
                r = result_evidence(x, r > 0 ? source : l[i].source, expected, r > 0 ? actual : "none");
                if (r < 0)
                        return r;
                missing += !actual;
        }
        *ret_missing = missing;
        *ret_ports = ports;
        return 0;
}
