/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* Preloaded into auditctl(8) by tests/test-auditctl-diff.sh: takes the place of every libaudit call that
 * would reach the kernel, and writes what auditctl would have sent (each rule, each setting) to the file
 * $AUDITCTL_SHIM_OUT instead. Nothing reaches the kernel: audit_open() hands out /dev/null, and a netlink
 * socket cannot even be opened while this is loaded. */

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include "rule-dump.h"

int audit_send(int fd, int type, const void *data, unsigned size);

static void out(const char *format, ...) {
        const char *path = getenv("AUDITCTL_SHIM_OUT");
        FILE *f;
        va_list ap;

        if (!path)
                return;
        f = fopen(path, "ae");
        if (!f)
                return;
        va_start(ap, format);
        vfprintf(f, format, ap);
        va_end(ap);
        fclose(f);
}

static void out_rule(const char *what, const struct audit_rule_data *r) {
        const char *path = getenv("AUDITCTL_SHIM_OUT");
        FILE *f;

        if (!path)
                return;
        f = fopen(path, "ae");
        if (!f)
                return;
        fputs(what, f);
        rule_dump(f, r);
        fclose(f);
}

int socket(int domain, int type, int protocol) {
        static int (*real)(int, int, int);

        if (domain == AF_NETLINK) {
                errno = EPERM;
                return -1;
        }
        if (!real)
                real = (int (*)(int, int, int)) dlsym(RTLD_NEXT, "socket");
        return real(domain, type, protocol);
}

int audit_open(void) {
        return open("/dev/null", O_RDWR | O_CLOEXEC);
}

void audit_close(int fd) {
        if (fd >= 0)
                close(fd);
}

int audit_can_control(void) {
        return 1;
}

int audit_is_enabled(int fd) {
        (void) fd;
        return 1;
}

uint32_t audit_get_features(void) {
        return RULE_DUMP_FEATURES;
}

int audit_send(int fd, int type, const void *data, unsigned size) {
        (void) fd, (void) type, (void) data, (void) size;
        return -EPERM;
}

int audit_get_reply(int fd, struct audit_reply *rep, reply_t block, int peek) {
        (void) fd, (void) rep, (void) block, (void) peek;
        return 0;
}

int audit_request_status(int fd) {
        (void) fd;
        return 1;
}

int audit_add_rule_data(int fd, struct audit_rule_data *rule, int flags, int action) {
        (void) fd;
        rule->flags = (uint32_t) flags;
        rule->action = (uint32_t) action;
        out_rule("", rule);
        return 1;
}

int audit_delete_rule_data(int fd, struct audit_rule_data *rule, int flags, int action) {
        (void) fd;
        rule->flags = (uint32_t) flags;
        rule->action = (uint32_t) action;
        out_rule("delete ", rule);
        return 1;
}

int audit_request_rules_list_data(int fd) {
        static int done;

        (void) fd;
        if (!done++)
                out("control -D 0\n");
        return 1;
}

#define SETTING(fn, name)                            \
        int fn(int fd, uint32_t value) {             \
                (void) fd;                           \
                out("control " name " %u\n", value); \
                return 1;                            \
        }

SETTING(audit_set_enabled, "-e")
SETTING(audit_set_failure, "-f")
SETTING(audit_set_rate_limit, "-r")
SETTING(audit_set_backlog_limit, "-b")
SETTING(audit_set_backlog_wait_time, "--backlog_wait_time")

int audit_set_loginuid_immutable(int fd) {
        (void) fd;
        out("control --loginuid-immutable 0\n");
        return 1;
}
