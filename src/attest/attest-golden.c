/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>

#include "attest-golden.h"
#include "digest.h"
#include "fs-util.h"
#include "string-util.h"


int attest_golden_posture(const Profile *p, const AttestGoldenInput *in, Posture *ret) {
        _cleanup_(posture_done) Posture g = {};
        const char *mode;
        int r;

        assert(p);
        assert(in);
        assert(ret);

        r = profile_digest(p, &g.profile_digest);
        if (r < 0)
                return r;
        if (in->root_hash) {
                g.usr_root_hash = strdup(in->root_hash);
                if (!g.usr_root_hash)
                        return -ENOMEM;
                g.usr_verified = true;
                g.usr_signed = !!in->usr_signer;
                if (in->usr_signer) {
                        g.usr_signer = strdup(in->usr_signer);
                        if (!g.usr_signer)
                                return -ENOMEM;
                }
        }
        if (in->ipe_digest) {
                g.ipe_available = true;
                g.ipe_enforce = true;
                g.ipe_digest = strdup(in->ipe_digest);
                if (!g.ipe_digest)
                        return -ENOMEM;
        }
        /* The profile's SELinux modes and the posture's have the same names. */
        mode = p->selinux.mode >= 0 ? selinux_mode_to_string(p->selinux.mode) : "disabled";
        g.selinux = posture_selinux_from_string(mode);
        if (g.selinux < 0)
                return -EINVAL;
        g.audit_locked = p->audit.immutable > 0;

        *ret = g;
        g = (Posture){};
        return 0;
}

static int read_file(const char *path, size_t max, char **ret, size_t *ret_size) {
        _cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);

        if (fd < 0)
                return -errno;
        return read_full_fd(fd, max, ret, ret_size);
}

int attest_file_digest(const char *path, char **ret) {
        _cleanup_free_ char *data = NULL;
        char hex[65];
        size_t size;
        int r;

        r = read_file(path, 16 * 1024 * 1024, &data, &size);
        if (r < 0)
                return r;
        r = sha256_hex(data, size, hex);
        if (r < 0)
                return r;
        *ret = strprintf("sha256:%s", hex);
        return *ret ? 0 : -ENOMEM;
}
