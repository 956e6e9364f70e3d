/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <sys/xattr.h>

#include "label-util.h"

/* A context is a short string; this bounds what a hostile file system could make us allocate. */
#define LABEL_SIZE_MAX 4096U

int fd_copy_selinux_label(int src_fd, int dst_fd) {
        _cleanup_free_ char *buf = NULL;
        ssize_t n;

        n = fgetxattr(src_fd, SELINUX_XATTR, NULL, 0);
        if (n < 0)
                return (errno == ENODATA || errno == EOPNOTSUPP) ? 0 : negative_errno();
        if (n == 0)
                return 0;
        if ((size_t) n > LABEL_SIZE_MAX)
                return -E2BIG;

        buf = malloc(LABEL_SIZE_MAX);
        if (!buf)
                return -ENOMEM;
        n = fgetxattr(src_fd, SELINUX_XATTR, buf, LABEL_SIZE_MAX);
        if (n < 0)
                return (errno == ENODATA || errno == EOPNOTSUPP) ? 0 : negative_errno();
        if (n == 0)
                return 0;

        if (fsetxattr(dst_fd, SELINUX_XATTR, buf, (size_t) n, 0) < 0)
                return negative_errno();
        return 1;
}
