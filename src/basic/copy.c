/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>

#include "atomic-file.h"
#include "copy.h"
#include "label-util.h"
#include "path-util.h"
#include "string-util.h"

#define COPY_DEPTH_MAX 32

static int copy_entry_internal(int src_dir_fd, int dst_dir_fd, const char *name, CopyFlags flags, unsigned depth);

static int rm_rf_internal(int dir_fd, const char *name, unsigned depth) {
        _cleanup_close_ int fd = -EBADF;
        DIR *d;
        struct dirent *de;
        int r = 0;

        if (unlinkat(dir_fd, name, 0) >= 0)
                return 1;
        if (errno == ENOENT)
                return 0;
        if (errno != EISDIR && errno != EPERM)
                return negative_errno();
        if (depth >= COPY_DEPTH_MAX)
                return -ELOOP;

        fd = openat(dir_fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (fd < 0)
                return negative_errno();
        d = fdopendir(fcntl(fd, F_DUPFD_CLOEXEC, 3));
        if (!d)
                return negative_errno();
        while ((errno = 0, de = readdir(d))) {
                if (streq(de->d_name, ".") || streq(de->d_name, ".."))
                        continue;
                r = rm_rf_internal(fd, de->d_name, depth + 1);
                if (r < 0)
                        break;
                r = 0;
        }
        if (!de && errno != 0)
                r = negative_errno();
        closedir(d);
        if (r < 0)
                return r;

        if (unlinkat(dir_fd, name, AT_REMOVEDIR) < 0)
                return negative_errno();
        return 1;
}

int rm_rf_at(int dir_fd, const char *name) {
        return rm_rf_internal(dir_fd, name, 0);
}

static bool same_metadata(const struct stat *a, const struct stat *b) {
        return ((a->st_mode ^ b->st_mode) & (S_IFMT | 07777)) == 0 && a->st_uid == b->st_uid && a->st_gid == b->st_gid;
}

/* Owner before mode: chown clears the set-user-ID and set-group-ID bits. The label is carried where
 * the file system and the policy allow it; where they do not, the target keeps the label it was
 * created with, and a relabel fixes it. */
static int copy_attributes(int src_fd, const struct stat *st, int dst_fd) {
        struct timespec ts[2] = { st->st_atim, st->st_mtim };

        if (fchown(dst_fd, st->st_uid, st->st_gid) < 0)
                return negative_errno();
        if (fchmod(dst_fd, st->st_mode & 07777) < 0)
                return negative_errno();
        (void) fd_copy_selinux_label(src_fd, dst_fd); /* where it can be set */
        if (futimens(dst_fd, ts) < 0)
                return negative_errno();
        return 0;
}

static int same_content(int a, int b, off_t size) {
        char x[16384], y[16384];

        for (off_t off = 0; off < size;) {
                ssize_t k = pread(a, x, sizeof(x), off), l;

                if (k < 0)
                        return negative_errno();
                if (k == 0)
                        return 0;
                l = pread(b, y, (size_t) k, off);
                if (l < 0)
                        return negative_errno();
                if (l != k || memcmp(x, y, (size_t) k) != 0)
                        return 0;
                off += k;
        }
        return 1;
}

static int copy_bytes(int src, int dst) {
        char buf[65536];

        for (;;) {
                ssize_t k = read(src, buf, sizeof(buf));

                if (k < 0) {
                        if (errno == EINTR)
                                continue;
                        return negative_errno();
                }
                if (k == 0)
                        return 0;
                for (ssize_t w = 0; w < k;) {
                        ssize_t l = write(dst, buf + w, (size_t) (k - w));

                        if (l < 0) {
                                if (errno == EINTR)
                                        continue;
                                return negative_errno();
                        }
                        w += l;
                }
        }
}

/* Puts the temporary file in place of name: a directory of that name (the type changed) is removed
 * first. On failure the caller's atomic_file_done() removes the temporary file. */
static int replace_with(AtomicFile *a, const char *name, const struct stat *dst_st, CopyFlags flags) {
        int r;

        if (dst_st && S_ISDIR(dst_st->st_mode)) {
                r = rm_rf_at(a->dir_fd, name);
                if (r < 0)
                        return r;
        }
        r = atomic_file_rename(a, name, FLAGS_SET(flags, COPY_SYNC) ? ATOMIC_SYNC_DIR : 0);
        return r < 0 ? r : 1;
}

static int copy_regular(int src_dir_fd, int dst_dir_fd, const char *name, const struct stat *dst_st, CopyFlags flags) {
        _cleanup_(atomic_file_done) AtomicFile a = ATOMIC_FILE_NULL;
        _cleanup_close_ int src = -EBADF;
        struct stat st;
        int r, dst;

        /* O_NONBLOCK: should the entry have become a FIFO since it was looked at, do not hang on it. */
        src = openat(src_dir_fd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
        if (src < 0)
                return negative_errno();
        if (fstat(src, &st) < 0)
                return negative_errno();
        if (!S_ISREG(st.st_mode))
                return -EBADFD;

        if (dst_st && S_ISREG(dst_st->st_mode) && same_metadata(&st, dst_st) && st.st_size == dst_st->st_size) {
                _cleanup_close_ int old =
                        openat(dst_dir_fd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);

                if (old >= 0) {
                        r = same_content(src, old, st.st_size);
                        if (r != 0)
                                return r < 0 ? r : 0;
                }
        }

        dst = atomic_file_open(&a, dst_dir_fd, name, 0600);
        if (dst < 0)
                return dst;

        r = copy_bytes(src, dst);
        if (r >= 0)
                r = copy_attributes(src, &st, dst);
        if (r >= 0 && FLAGS_SET(flags, COPY_SYNC) && fsync(dst) < 0)
                r = negative_errno();
        if (r < 0)
                return r;
        return replace_with(&a, name, dst_st, flags);
}

static int read_link(int dir_fd, const char *name, size_t size_hint, char **ret) {
        size_t n = MAX(size_hint + 1, (size_t) 64);

        for (;;) {
                _cleanup_free_ char *buf = malloc(n);
                ssize_t k;

                if (!buf)
                        return -ENOMEM;
                k = readlinkat(dir_fd, name, buf, n);
                if (k < 0)
                        return negative_errno();
                if ((size_t) k < n) {
                        buf[k] = 0;
                        *ret = TAKE_PTR(buf);
                        return 0;
                }
                if (n >= 65536)
                        return -ENAMETOOLONG;
                n *= 2;
        }
}

static int copy_symlink(int src_dir_fd, int dst_dir_fd, const char *name, const struct stat *st,
                        const struct stat *dst_st, CopyFlags flags) {
        _cleanup_(atomic_file_done) AtomicFile a = ATOMIC_FILE_NULL;
        _cleanup_free_ char *target = NULL;
        int r;

        r = read_link(src_dir_fd, name, (size_t) st->st_size, &target);
        if (r < 0)
                return r;

        if (dst_st && S_ISLNK(dst_st->st_mode) && dst_st->st_uid == st->st_uid && dst_st->st_gid == st->st_gid) {
                _cleanup_free_ char *old = NULL;

                if (read_link(dst_dir_fd, name, (size_t) dst_st->st_size, &old) >= 0 && streq(old, target))
                        return 0;
        }

        r = atomic_file_symlink(&a, dst_dir_fd, name, target);
        if (r < 0)
                return r;
        if (fchownat(dst_dir_fd, a.tmp, st->st_uid, st->st_gid, AT_SYMLINK_NOFOLLOW) < 0)
                return negative_errno();
        return replace_with(&a, name, dst_st, flags);
}

static int copy_directory(int src_dir_fd, int dst_dir_fd, const char *name, const struct stat *dst_st, CopyFlags flags,
                          unsigned depth) {
        _cleanup_close_ int src = -EBADF, dst = -EBADF;
        struct dirent *de;
        struct stat st;
        bool changed = false;
        DIR *d;
        int r = 0;

        if (depth >= COPY_DEPTH_MAX)
                return -ELOOP;

        src = openat(src_dir_fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (src < 0)
                return negative_errno();
        if (fstat(src, &st) < 0)
                return negative_errno();

        if (dst_st && !S_ISDIR(dst_st->st_mode)) {
                r = rm_rf_at(dst_dir_fd, name);
                if (r < 0)
                        return r;
                dst_st = NULL;
        }
        if (!dst_st) {
                if (mkdirat(dst_dir_fd, name, 0700) < 0)
                        return negative_errno();
                changed = true;
        }
        dst = openat(dst_dir_fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (dst < 0)
                return negative_errno();

        d = fdopendir(fcntl(src, F_DUPFD_CLOEXEC, 3));
        if (!d)
                return negative_errno();
        while ((errno = 0, de = readdir(d))) {
                if (streq(de->d_name, ".") || streq(de->d_name, ".."))
                        continue;
                int k = copy_entry_internal(src, dst, de->d_name, flags, depth + 1);

                if (k == -EBADFD) /* a device node, FIFO or socket: not ours to carry */
                        continue;
                if (k < 0) {
                        r = k;
                        break;
                }
                changed = changed || k > 0;
        }
        if (!de && errno != 0)
                r = negative_errno();
        closedir(d);
        if (r < 0)
                return r;

        if (FLAGS_SET(flags, COPY_REMOVE_STALE)) {
                d = fdopendir(fcntl(dst, F_DUPFD_CLOEXEC, 3));
                if (!d)
                        return negative_errno();
                while ((errno = 0, de = readdir(d))) {
                        struct stat sst;

                        if (streq(de->d_name, ".") || streq(de->d_name, ".."))
                                continue;
                        if (fstatat(src, de->d_name, &sst, AT_SYMLINK_NOFOLLOW) >= 0 &&
                            (S_ISREG(sst.st_mode) || S_ISDIR(sst.st_mode) || S_ISLNK(sst.st_mode)))
                                continue;
                        r = rm_rf_at(dst, de->d_name);
                        if (r < 0)
                                break;
                        r = 0;
                        changed = true;
                }
                if (!de && errno != 0)
                        r = negative_errno();
                closedir(d);
                if (r < 0)
                        return r;
        }

        if (changed || !same_metadata(&st, dst_st)) {
                r = copy_attributes(src, &st, dst);
                if (r < 0)
                        return r;
                if (FLAGS_SET(flags, COPY_SYNC) && (fsync(dst) < 0 || fsync(dst_dir_fd) < 0))
                        return negative_errno();
                return 1;
        }
        return 0;
}

static int copy_entry_internal(int src_dir_fd, int dst_dir_fd, const char *name, CopyFlags flags, unsigned depth) {
        struct stat st, dst_st;
        bool have_dst;
        int r;

        if (fstatat(src_dir_fd, name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
                if (errno != ENOENT)
                        return negative_errno();
                if (!FLAGS_SET(flags, COPY_REMOVE_STALE))
                        return 0;
                r = rm_rf_at(dst_dir_fd, name);
                if (r > 0 && FLAGS_SET(flags, COPY_SYNC) && fsync(dst_dir_fd) < 0)
                        return negative_errno();
                return r;
        }

        if (fstatat(dst_dir_fd, name, &dst_st, AT_SYMLINK_NOFOLLOW) >= 0)
                have_dst = true;
        else if (errno == ENOENT)
                have_dst = false;
        else
                return negative_errno();

        if (S_ISREG(st.st_mode))
                return copy_regular(src_dir_fd, dst_dir_fd, name, have_dst ? &dst_st : NULL, flags);
        if (S_ISLNK(st.st_mode))
                return copy_symlink(src_dir_fd, dst_dir_fd, name, &st, have_dst ? &dst_st : NULL, flags);
        if (S_ISDIR(st.st_mode))
                return copy_directory(src_dir_fd, dst_dir_fd, name, have_dst ? &dst_st : NULL, flags, depth);
        return -EBADFD;
}

int copy_entry_at(int src_dir_fd, int dst_dir_fd, const char *name, CopyFlags flags) {
        if (!filename_is_valid(name))
                return -EINVAL;
        return copy_entry_internal(src_dir_fd, dst_dir_fd, name, flags, 0);
}
