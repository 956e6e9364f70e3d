/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <stdio.h>

#include "selinux-config.h"
#include "string-util.h"

int selinux_config_update(const char *old, const ProfileSELinux *s, char **ret) {
        _cleanup_free_ char *copy = NULL;
        bool mode_done = false, type_done = false;
        char *buf = NULL;
        size_t size = 0;
        FILE *f;
        int r = 0;

        assert(s->mode >= 0);

        if (old) {
                copy = strdup(old);
                if (!copy)
                        return -ENOMEM;
        }
        f = open_memstream(&buf, &size);
        if (!f)
                return -ENOMEM;

        for (char *p = copy, *line; p && (line = strsep(&p, "\n"));) {
                const char *l = line + strspn(line, " \t");

                if (!p && !*line)
                        break; /* after the last newline */
                if (startswith(l, "SELINUX=")) {
                        fprintf(f, "SELINUX=%s\n", selinux_mode_to_string(s->mode));
                        mode_done = true;
                } else if (startswith(l, "SELINUXTYPE=") && s->policy) {
                        fprintf(f, "SELINUXTYPE=%s\n", s->policy);
                        type_done = true;
                } else
                        fprintf(f, "%s\n", line);
        }
        if (!mode_done)
                fprintf(f, "SELINUX=%s\n", selinux_mode_to_string(s->mode));
        if (s->policy && !type_done)
                fprintf(f, "SELINUXTYPE=%s\n", s->policy);

        r = memstream_close(f, &buf);
        if (r < 0)
                return r;
        *ret = buf;
        return 0;
}
