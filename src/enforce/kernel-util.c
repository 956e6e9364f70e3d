/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <linux/keyctl.h>
#include <stdio.h>
#include <stdlib.h>
#include <strings.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "fs-util.h"
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

int kernel_keyring_find(const char *proc_keys, const char *name, int32_t *ret) {
        size_t n = strlen(name);

        for (const char *l = proc_keys; l && *l;) {
                const char *e = strchrnul(l, '\n'), *f = l;
                char type[16] = "";
                unsigned serial;
                int k = 0;

                /* Serial, then flags, usage, expiry, permissions, uid, gid: the type is the 8th field. A
                 * line that does not parse is skipped. */
                if (sscanf(l, "%x %*s %*s %*s %*s %*s %*s %15s %n", &serial, type, &k) == 2 && k > 0 && l + k <= e &&
                    streq(type, "keyring") && (size_t) (e - (f = l + k)) > n && strneq(f, name, n) && f[n] == ':') {
                        *ret = (int32_t) serial;
                        return 0;
                }
                l = *e ? e + 1 : e;
        }
        return -ENOKEY;
}

/* Whether the keyring with this serial holds, directly, an asymmetric key described "…: key_id". */
static int keyring_holds(int32_t keyring, const char *key_id) {
        _cleanup_free_ int32_t *keys = NULL;
        size_t id_len = strlen(key_id);
        long size, n;

        size = syscall(SYS_keyctl, KEYCTL_READ, keyring, NULL, 0);
        if (size < 0)
                return -errno;
        if (size == 0)
                return 0;
        keys = malloc((size_t) size);
        if (!keys)
                return -ENOMEM;
        /* What the keyring holds now, which may have grown since: as much as fits. */
        n = syscall(SYS_keyctl, KEYCTL_READ, keyring, keys, (size_t) size);
        if (n < 0)
                return -errno;
        for (size_t i = 0; i < (size_t) MIN(n, size) / sizeof(int32_t); i++) {
                char d[512];
                const char *desc;
                long m;

                /* "type;uid;gid;perm;description": a key this process may not view is skipped. */
                m = syscall(SYS_keyctl, KEYCTL_DESCRIBE, keys[i], d, sizeof(d));
                if (m <= 0 || (size_t) m > sizeof(d) || !startswith(d, "asymmetric;"))
                        continue;
                desc = d;
                for (int field = 0; field < 4 && desc; field++)
                        desc = strchr(desc, ';') ? strchr(desc, ';') + 1 : NULL;
                if (!desc)
                        continue;
                /* "SUBJECT: KEY-ID" */
                if (strlen(desc) > id_len + 2 && strcasecmp(desc + strlen(desc) - id_len, key_id) == 0 &&
                    strneq(desc + strlen(desc) - id_len - 2, ": ", 2))
                        return 1;
        }
        return 0;
}

int kernel_keyring_holding(const char *const *keyrings, const char *key_id, const char **ret_keyring) {
        _cleanup_free_ char *text = NULL;
        int r;

        r = read_full_file("/proc/keys", 4U * 1024U * 1024U, &text, NULL);
        if (r < 0)
                return r;
        for (const char *const *k = keyrings; *k; k++) {
                int32_t serial;

                if (kernel_keyring_find(text, *k, &serial) < 0)
                        continue;
                r = keyring_holds(serial, key_id);
                if (r > 0) {
                        *ret_keyring = *k;
                        return 0;
                }
        }
        return -ENOKEY;
}
