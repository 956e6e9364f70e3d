/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <fcntl.h>

#include "fs-util.h"
#include "parse-util.h"
#include "proc-cmdline.h"
#include "string-util.h"

#define CMDLINE_MAX (64U * 1024U)

int proc_cmdline_read(char **ret) {
        _cleanup_close_ int fd = -EBADF;
        const char *e;
        char *s;
        size_t n;
        int r;

        e = getenv("SYSTEMD_PROC_CMDLINE");
        if (e) {
                s = strdup(e);
                if (!s)
                        return -ENOMEM;
                *ret = s;
                return 0;
        }

        fd = open("/proc/cmdline", O_RDONLY | O_CLOEXEC | O_NOCTTY);
        if (fd < 0)
                return negative_errno();

        /* /proc files report a size of 0: read_full_fd() reads until EOF. */
        r = read_full_fd(fd, CMDLINE_MAX, &s, &n);
        if (r < 0)
                return r;

        *ret = s;
        return 0;
}

int proc_cmdline_parse(const char *cmdline, bool initrd, proc_cmdline_cb_t cb, void *userdata) {
        const char *p = cmdline;
        int r;

        for (;;) {
                _cleanup_free_ char *word = NULL;
                const char *key;
                char *eq;
                size_t n;

                /* The kernel groups with double quotes only and knows no escapes. */
                p += strspn(p, WHITESPACE);
                if (!*p)
                        return 0;

                word = malloc(strlen(p) + 1);
                if (!word)
                        return -ENOMEM;
                for (n = 0; *p && !strchr(WHITESPACE, *p); p++) {
                        if (*p == '"') {
                                const char *q = strchr(p + 1, '"');
                                size_t k = q ? (size_t) (q - p - 1) : strlen(p + 1);

                                memcpy(word + n, p + 1, k);
                                n += k;
                                p += k + (q ? 1 : 0);
                                if (!q)
                                        p = strchr(p, 0) - 1;
                                continue;
                        }
                        word[n++] = *p;
                }
                word[n] = 0;

                key = word;
                if (startswith(key, "rd.")) {
                        if (!initrd)
                                continue;
                        key += 3;
                }

                eq = strchr(key, '=');
                if (eq)
                        *eq = 0;
                for (char *c = (char *) key; *c; c++)
                        if (*c == '-')
                                *c = '_';

                r = cb(key, eq ? eq + 1 : NULL, userdata);
                if (r < 0)
                        return r;
        }
}

bool in_initrd(void) {
        const char *e = getenv("SYSTEMD_IN_INITRD");

        if (e) {
                int b = parse_boolean(e);
                if (b >= 0)
                        return b;
        }
        return access("/etc/initrd-release", F_OK) >= 0;
}
