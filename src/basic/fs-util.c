/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "fs-util.h"

static int openat2_wrapper(int dir_fd, const char *path, int flags, uint64_t resolve) {
        struct open_how how = {
                .flags = (uint64_t) (flags | O_CLOEXEC),
                .resolve = resolve,
        };
        long fd;

        fd = syscall(SYS_openat2, dir_fd, path, &how, sizeof(how));
        if (fd < 0)
                return negative_errno();
        return (int) fd;
}

int open_in_root(int root_fd, const char *path, int flags) {
        if (isempty(path))
                return -EINVAL;
        return openat2_wrapper(root_fd, path, flags, RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS);
}

int fd_reopen(int fd, int flags) {
        char path[STRLEN("/proc/self/fd/") + 11];
        int r;

        snprintf(path, sizeof(path), "/proc/self/fd/%i", fd);
        r = open(path, flags | O_CLOEXEC);
        if (r < 0)
                return errno == ENOENT && access("/proc/self/fd", F_OK) < 0 ? -ENOSYS : negative_errno();
        return r;
}

/* 0 for a regular file; -EISDIR for a directory, -EBADFD for anything else. */
static int stat_verify_regular(const struct stat *st) {
        if (S_ISDIR(st->st_mode))
                return -EISDIR;
        return S_ISREG(st->st_mode) ? 0 : -EBADFD;
}

/* Takes an O_PATH fd; reopens it with flags if it is a regular file. */
static int reopen_regular(int path_fd, int flags) {
        _cleanup_close_ int fd = path_fd;
        struct stat st;
        int r;

        if (fd < 0)
                return fd;
        if (fstat(fd, &st) < 0)
                return negative_errno();
        r = stat_verify_regular(&st);
        if (r < 0)
                return r;
        return fd_reopen(fd, flags & ~O_NOFOLLOW);
}

int open_in_root_regular(int root_fd, const char *path, int flags) {
        return reopen_regular(open_in_root(root_fd, path, O_PATH | (flags & O_NOFOLLOW)), flags);
}

int open_regular_at(int dir_fd, const char *path, int flags) {
        return reopen_regular(RET_NERRNO(openat(dir_fd, path, O_PATH | O_CLOEXEC | (flags & O_NOFOLLOW))), flags);
}

int open_beneath(int dir_fd, const char *name, int flags) {
        if (isempty(name))
                return -EINVAL;
        return openat2_wrapper(dir_fd, name, flags, RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS);
}

int read_full_fd(int fd, size_t max_size, char **ret, size_t *ret_size) {
        _cleanup_free_ char *buf = NULL;
        struct stat st;
        size_t n = 0, allocated;
        int r;

        if (fstat(fd, &st) < 0)
                return negative_errno();
        r = stat_verify_regular(&st);
        if (r < 0)
                return r;
        if ((uint64_t) st.st_size > max_size)
                return -EFBIG;

        /* The size may change under us; read until EOF, but never past max_size. */
        allocated = (size_t) st.st_size + 1;
        buf = malloc(allocated);
        if (!buf)
                return -ENOMEM;

        for (;;) {
                ssize_t k;

                if (n + 1 >= allocated) {
                        char *b;

                        if (allocated > max_size + 1)
                                return -EFBIG;
                        allocated = MIN(allocated * 2 + 64, max_size + 2);
                        b = realloc(buf, allocated);
                        if (!b)
                                return -ENOMEM;
                        buf = b;
                }

                k = read(fd, buf + n, allocated - n - 1);
                if (k < 0) {
                        if (errno == EINTR)
                                continue;
                        return negative_errno();
                }
                if (k == 0)
                        break;
                n += (size_t) k;
                if (n > max_size)
                        return -EFBIG;
        }

        buf[n] = 0;
        *ret = TAKE_PTR(buf);
        if (ret_size)
                *ret_size = n;
        return 0;
}

int write_all(int fd, const void *data, size_t n) {
        const char *p = data;

        while (n > 0) {
                ssize_t k = write(fd, p, n);

                if (k < 0) {
                        if (errno == EINTR)
                                continue;
                        return negative_errno();
                }
                if (k == 0)
                        return -EIO;
                p += k, n -= (size_t) k;
        }
        return 0;
}
