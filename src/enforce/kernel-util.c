/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <stdio.h>

#include "kernel-util.h"
#include "string-util.h"
#include "strv.h"

int modprobe_deny_text(const char *header, char *const *modules, char **ret) {
        _cleanup_strv_free_ char **seen = NULL;
        char *text = NULL;
        size_t size = 0;
        FILE *f;
        int r = 0;

        f = open_memstream(&text, &size);
        if (!f)
                return -ENOMEM;
        fputs(header, f);
        STRV_FOREACH(m, modules) {
                if (strv_contains(seen, *m))
                        continue;
                if (strv_extend(&seen, *m) < 0) {
                        r = -ENOMEM;
                        break;
                }
                fprintf(f, "blacklist %s\ninstall %s /bin/false\n", *m, *m);
        }
        if (memstream_close(f, &text) < 0)
                return -ENOMEM;
        if (r < 0) {
                free(text);
                return r;
        }
        *ret = text;
        return 0;
}

int kernel_lockdown_parse(const char *text) {
        const char *a = strchr(text, '['), *e = a ? strchr(a, ']') : NULL;

        if (!e)
                return -EBADMSG;
        for (int m = 0; m < _LOCKDOWN_MODE_MAX; m++) {
                const char *s = lockdown_mode_to_string(m);

                if (s && (size_t) (e - a - 1) == strlen(s) && strneq(a + 1, s, e - a - 1))
                        return m;
        }
        return -EBADMSG;
}
