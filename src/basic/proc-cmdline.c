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

/* WHITESPACE, without a strchr() per character. */
static bool is_space(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

int proc_cmdline_parse(const char *cmdline, bool initrd, proc_cmdline_cb_t cb, void *userdata) {
        _cleanup_free_ char *word = NULL;
        const char *p = cmdline;
        int r;

        /* Any word fits into a buffer the size of the whole line: one allocation, for all of them. */
        word = malloc(strlen(cmdline) + 1);
        if (!word)
                return -ENOMEM;

        for (;;) {
                char *key, *value = NULL, *w = word;
                bool quoted = false;

                while (is_space(*p))
                        p++;
                if (!*p)
                        return 0;

                /* The kernel groups with double quotes only and knows no escapes; an unterminated quote
                 * runs to the end of the line. */
                for (; *p && (quoted || !is_space(*p)); p++)
                        if (*p == '"')
                                quoted = !quoted;
                        else
                                *w++ = *p;
                *w = 0;

                key = word;
                if (startswith(key, "rd.")) {
                        if (!initrd)
                                continue;
                        key += 3;
                }

                for (char *c = key; *c; c++)
                        if (*c == '=') {
                                *c = 0;
                                value = c + 1;
                                break;
                        } else if (*c == '-')
                                *c = '_';

                r = cb(key, value, userdata);
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
