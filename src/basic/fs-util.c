/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <dirent.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <limits.h>
#include <linux/openat2.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "fs-util.h"
#include "string-util.h"
#include "strv.h"

/* The directories of a walk: the root (or the directory beneath which it stays) first, the current last;
 * ".." goes back one, never through the kernel's "..". */
typedef struct WalkStack {
        int *fds;
        size_t n;
} WalkStack;

static void walk_stack_done(WalkStack *w) {
        for (size_t i = 0; i < w->n; i++)
                safe_close(w->fds[i]);
        free(w->fds);
}

static int walk_stack_push(WalkStack *w, int fd) {
        int *l;

        if (w->n >= RESOLVE_WALK_DEPTH_MAX) {
                safe_close(fd);
                return -ENAMETOOLONG;
        }
        l = array_grow_pow2(w->fds, w->n, sizeof(int));
        if (!l) {
                safe_close(fd);
                return -ENOMEM;
        }
        w->fds = l;
        w->fds[w->n++] = fd;
        return 0;
}

/* Back to the first directory. */
static void walk_stack_reset(WalkStack *w) {
        while (w->n > 1)
                safe_close(w->fds[--w->n]);
}

int open_resolve_walk(int dir_fd, const char *path, int flags, bool beneath) {
        _cleanup_(walk_stack_done) WalkStack w = {};
        _cleanup_free_ char *todo = NULL;
        unsigned links = 0;
        char *p;
        int fd, r;

        assert(dir_fd >= 0);
        if (isempty(path))
                return -ENOENT;
        if (path[0] == '/' && beneath)
                return -EXDEV;
        fd = fcntl(dir_fd, F_DUPFD_CLOEXEC, 3);
        if (fd < 0)
                return negative_errno();
        r = walk_stack_push(&w, fd);
        if (r < 0)
                return r;
        todo = strdup(path);
        if (!todo)
                return -ENOMEM;

        for (p = todo;;) {
                _cleanup_free_ char *target = NULL, *next = NULL;
                char *name, *rest;
                struct stat st;
                bool last;
                ssize_t k;

                p += strspn(p, "/");
                if (!*p) /* "/", or a path that ends in "." or "..": the directory itself */
                        return RET_NERRNO(openat(w.fds[w.n - 1], ".", flags | O_CLOEXEC));
                name = p;
                rest = p + strcspn(p, "/");
                last = rest[strspn(rest, "/")] == 0;
                if (*rest)
                        *rest++ = 0;
                p = rest;

                if (streq(name, ".") || streq(name, "..")) {
                        if (streq(name, "..") && w.n > 1)
                                safe_close(w.fds[--w.n]);
                        else if (streq(name, "..") && beneath)
                                return -EXDEV;
                        continue; /* ".." of the root is the root */
                }

                if (fstatat(w.fds[w.n - 1], name, &st, AT_SYMLINK_NOFOLLOW) < 0)
                        return negative_errno();
                if (S_ISLNK(st.st_mode) && !(last && (flags & O_NOFOLLOW))) {
                        /* Followed by its text, inside the walk: an absolute target starts again at
                         * the root, and a magic link of /proc is only the text it reads as. */
                        if (++links > RESOLVE_WALK_LINKS_MAX)
                                return -ELOOP;
                        target = malloc(PATH_MAX);
                        if (!target)
                                return -ENOMEM;
                        k = readlinkat(w.fds[w.n - 1], name, target, PATH_MAX - 1);
                        if (k < 0)
                                return negative_errno();
                        target[k] = 0;
                        if (target[0] == '/') {
                                if (beneath)
                                        return -EXDEV;
                                walk_stack_reset(&w);
                        }
                        next = strprintf("%s/%s", target, rest);
                        if (!next)
                                return -ENOMEM;
                        free(todo);
                        todo = TAKE_PTR(next);
                        p = todo;
                        continue;
                }
                if (last)
                        /* Never follows what may have been swapped in since the fstatat(). */
                        return RET_NERRNO(openat(w.fds[w.n - 1], name, flags | O_NOFOLLOW | O_CLOEXEC));
                fd = openat(w.fds[w.n - 1], name, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
                if (fd < 0)
                        return negative_errno();
                r = walk_stack_push(&w, fd);
                if (r < 0)
                        return r;
        }
}

static int openat2_wrapper(int dir_fd, const char *path, int flags, uint64_t resolve) {
        struct open_how how = {
                .flags = (uint64_t) (flags | O_CLOEXEC),
                .resolve = resolve,
        };
        long fd;

        fd = syscall(SYS_openat2, dir_fd, path, &how, sizeof(how));
        /* A kernel before 5.6, or valgrind (which does not know openat2): the same rules, walked here. */
        if (fd < 0 && errno == ENOSYS)
                return open_resolve_walk(dir_fd, path, flags, FLAGS_SET(resolve, RESOLVE_BENEATH));
        if (fd < 0)
                return negative_errno();
        return (int) fd;
}

int open_in_root(int root_fd, const char *path, int flags) {
        if (isempty(path))
                return -EINVAL;
        return openat2_wrapper(root_fd, path, flags, RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS);
}

int dir_fd_is_host_root(int fd) {
        struct stat a, b;

        if (fstat(fd, &a) < 0 || stat("/", &b) < 0)
                return -errno;
        return a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

int stat_in_root(int root_fd, const char *path, bool follow, struct stat *ret) {
        _cleanup_close_ int fd = -EBADF;

        if (root_fd == AT_FDCWD)
                return RET_NERRNO(fstatat(AT_FDCWD, path, ret, follow ? 0 : AT_SYMLINK_NOFOLLOW));
        fd = open_in_root(root_fd, path, O_PATH | (follow ? 0 : O_NOFOLLOW));
        if (fd < 0)
                return fd;
        return RET_NERRNO(fstat(fd, ret));
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

int read_full_file(const char *path, size_t max_size, char **ret, size_t *ret_size) {
        _cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);

        if (fd < 0)
                return negative_errno();
        return read_full_fd(fd, max_size, ret, ret_size);
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

static int cmp_version(const void *a, const void *b) {
        return strverscmp(*(char *const *) a, *(char *const *) b);
}

int dir_fd_list(int dir_fd, bool (*filter)(const char *name, const void *userdata), const void *userdata, size_t max,
                bool version_sort, char ***ret) {
        _cleanup_(strv_builder_done) StrvBuilder names = {};
        union {
                struct dirent64 de; /* aligned */
                char bytes[32 * 1024];
        } buf;
        int r = 0;

        /* getdents64() on dir_fd itself: a DIR stream on a duplicate costs five system calls more, and
         * a check lists dozens of directories. From the start, whoever read it before. */
        if (lseek(dir_fd, 0, SEEK_SET) < 0)
                return -errno;
        for (;;) {
                ssize_t n = getdents64(dir_fd, buf.bytes, sizeof(buf.bytes));

                if (n < 0 && errno == EINTR)
                        continue;
                if (n < 0)
                        return -errno;
                if (n == 0)
                        break;
                for (ssize_t off = 0; off < n && r >= 0;) {
                        const struct dirent64 *de = (const struct dirent64 *) (buf.bytes + off);

                        off += de->d_reclen;
                        if (streq(de->d_name, ".") || streq(de->d_name, ".."))
                                continue;
                        if (filter && !filter(de->d_name, userdata))
                                continue;
                        r = names.n >= max ? -E2BIG : strv_builder_extend(&names, de->d_name);
                }
                if (r < 0)
                        return r;
        }

        *ret = strv_builder_take(&names);
        if (!*ret)
                return 0;
        if (version_sort)
                qsort(*ret, strv_length(*ret), sizeof(char *), cmp_version);
        else
                strv_sort(*ret);
        return 0;
}
