/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <fcntl.h>
#include <limits.h>
#include <sys/stat.h>

#include "apply-fs.h"
#include "atomic-file.h"
#include "fs-util.h"
#include "label-util.h"
#include "path-util.h"
#include "string-util.h"
#include "strv.h"

void file_state_done(FileState *s) {
        s->content = mfree(s->content);
        *s = (FileState){};
}

int path_split_parent(const char *path, char **ret_dir, char **ret_name) {
        const char *slash;
        char *d, *n;

        if (!path_is_absolute(path) || !path_is_normalized(path) || streq(path, "/"))
                return -EINVAL;
        slash = strrchr(path, '/');
        d = slash == path ? strdup("/") : strndup(path, slash - path);
        n = strdup(slash + 1);
        if (!d || !n) {
                free(d);
                free(n);
                return -ENOMEM;
        }
        *ret_dir = d;
        *ret_name = n;
        return 0;
}

int root_open_dir(int root_fd, const char *dir, bool create, const ApplyHook *hook, char ***created) {
        _cleanup_free_ char *prefix = NULL;
        _cleanup_close_ int parent = -EBADF;
        const char *p = dir;
        int fd, r;

        if (!path_is_absolute(dir) || !path_is_normalized(dir))
                return -EINVAL;

        fd = open_in_root(root_fd, dir, O_RDONLY | O_DIRECTORY);
        if (fd >= 0 || fd != -ENOENT || !create)
                return fd;

        /* Walk down from the root, making what is missing. Each prefix is resolved inside the root
         * again, so that a symbolic link in the path cannot lead out of it. */
        parent = open_in_root(root_fd, "/", O_RDONLY | O_DIRECTORY);
        if (parent < 0)
                return parent;
        prefix = strdup("");
        if (!prefix)
                return -ENOMEM;

        for (;;) {
                _cleanup_free_ char *comp = NULL, *next = NULL;
                size_t n;

                p += strspn(p, "/");
                if (!*p)
                        break;
                n = strcspn(p, "/");
                comp = strndup(p, n);
                next = strprintf("%s/%s", prefix, comp);
                if (!comp || !next)
                        return -ENOMEM;
                p += n;

                fd = open_in_root(root_fd, next, O_RDONLY | O_DIRECTORY);
                if (fd == -ENOENT) {
                        r = apply_hook_call(hook, "mkdir", next);
                        if (r < 0)
                                return r;
                        /* mkdirat() does not follow a dangling symbolic link: that fails with EEXIST. */
                        if (mkdirat(parent, comp, 0755) < 0)
                                return negative_errno();
                        if (created && strv_extend(created, next) < 0)
                                return -ENOMEM;
                        (void) fsync(parent);
                        fd = open_in_root(root_fd, next, O_RDONLY | O_DIRECTORY);
                        /* 0755 whatever the umask: an image built with umask 077 must not get
                         * directories that only root can read. */
                        if (fd >= 0 && fchmod(fd, 0755) < 0) {
                                safe_close(fd);
                                return negative_errno();
                        }
                }
                if (fd < 0)
                        return fd;
                safe_close(parent);
                parent = fd;
                free(prefix);
                prefix = TAKE_PTR(next);
        }
        return TAKE_FD(parent);
}

int root_check_dir(int root_fd, const char *dir) {
        _cleanup_free_ char *prefix = strdup("");
        const char *p = dir;

        if (!prefix)
                return -ENOMEM;
        if (!path_is_absolute(dir) || !path_is_normalized(dir))
                return -EINVAL;

        for (;;) {
                _cleanup_close_ int parent = -EBADF, fd = -EBADF;
                _cleanup_free_ char *comp = NULL, *next = NULL;
                struct stat st;
                size_t n;

                p += strspn(p, "/");
                if (!*p)
                        return 0;
                n = strcspn(p, "/");
                comp = strndup(p, n);
                next = strprintf("%s/%s", prefix, comp);
                if (!comp || !next)
                        return -ENOMEM;
                p += n;

                fd = open_in_root(root_fd, next, O_RDONLY | O_DIRECTORY);
                if (fd >= 0) {
                        free(prefix);
                        prefix = TAKE_PTR(next);
                        continue;
                }
                if (fd != -ENOENT)
                        return fd;

                /* Missing: fine if nothing at all is there (the rest will be made). */
                parent = open_in_root(root_fd, isempty(prefix) ? "/" : prefix, O_RDONLY | O_DIRECTORY);
                if (parent < 0)
                        return parent;
                if (fstatat(parent, comp, &st, AT_SYMLINK_NOFOLLOW) < 0)
                        return errno == ENOENT ? 0 : negative_errno();
                return S_ISLNK(st.st_mode) ? -ELOOP : -ENOTDIR;
        }
}

int root_file_state(int root_fd, const char *path, size_t max_size, FileState *ret) {
        _cleanup_free_ char *dir = NULL, *name = NULL, *content = NULL;
        _cleanup_close_ int dir_fd = -EBADF, path_fd = -EBADF, fd = -EBADF;
        struct stat st;
        int r;

        r = path_split_parent(path, &dir, &name);
        if (r < 0)
                return r;
        dir_fd = root_open_dir(root_fd, dir, false, NULL, NULL);
        if (dir_fd == -ENOENT) {
                *ret = (FileState){};
                return 0;
        }
        if (dir_fd < 0)
                return dir_fd;

        /* Opened once, without following, and looked at through that fd: what is checked is what is
         * read, even if the name is swapped meanwhile. A device node or FIFO is never opened. */
        path_fd = openat(dir_fd, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
        if (path_fd < 0) {
                if (errno != ENOENT)
                        return negative_errno();
                *ret = (FileState){};
                return 0;
        }
        if (fstat(path_fd, &st) < 0)
                return negative_errno();

        if (S_ISLNK(st.st_mode)) {
                ssize_t k;

                content = malloc(PATH_MAX + 1);
                if (!content)
                        return -ENOMEM;
                k = readlinkat(path_fd, "", content, PATH_MAX + 1);
                if (k < 0)
                        return negative_errno();
                if (k > PATH_MAX)
                        return -ENAMETOOLONG; /* truncated: never act on a part of a target */
                content[k] = 0;
                *ret = (FileState){ .exists = true, .symlink = true, .content = TAKE_PTR(content) };
                return 0;
        }
        if (!S_ISREG(st.st_mode))
                return -EBADFD;

        fd = fd_reopen(path_fd, O_RDONLY | O_NONBLOCK | O_NOCTTY);
        if (fd < 0)
                return fd;
        r = read_full_fd(fd, max_size, &content, NULL);
        if (r < 0)
                return r;
        *ret = (FileState){
                .exists = true,
                .content = TAKE_PTR(content),
                .mode = st.st_mode & 07777,
                .uid = st.st_uid,
                .gid = st.st_gid,
        };
        return 0;
}

/* Renames the temporary file over name and syncs the directory; on a failure before the rename the
 * temporary file goes (the caller's atomic_file_done()). */
static int finish_rename(AtomicFile *a, const char *name, const char *path, const ApplyHook *hook, bool *ret_renamed) {
        int r;

        r = apply_hook_call(hook, "rename", path);
        if (r < 0)
                return r;
        r = atomic_file_rename(a, name, 0);
        if (r < 0)
                return r;
        *ret_renamed = true;

        r = apply_hook_call(hook, "sync-dir", path);
        if (r >= 0 && fsync(a->dir_fd) < 0)
                r = negative_errno();
        return r;
}

/* A file replaced by a new inode keeps its SELinux label: the one it had, not that of a new file. */
static int keep_label(int dir_fd, const char *name, int fd) {
        /* Only a regular file, checked before it is opened: never a device node swapped in. */
        _cleanup_close_ int old_fd = open_regular_at(dir_fd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY);
        int r;

        if (old_fd < 0)
                return old_fd == -ENOENT || old_fd == -EBADFD || old_fd == -EISDIR ? 0 :
                                                                                     old_fd; /* nothing, or not a file */
        r = fd_copy_selinux_label(old_fd, fd);
        return r < 0 ? r : 0;
}

int dir_write_atomic(int dir_fd, const char *name, const char *path, const char *content, mode_t mode, uid_t uid,
                     gid_t gid, const ApplyHook *hook, bool *ret_renamed) {
        _cleanup_(atomic_file_done) AtomicFile a = ATOMIC_FILE_NULL;
        int r, fd;

        *ret_renamed = false;
        r = apply_hook_call(hook, "create", path);
        if (r < 0)
                return r;
        fd = atomic_file_open(&a, dir_fd, name, mode);
        if (fd < 0)
                return fd;

        r = apply_hook_call(hook, "write", path);
        if (r >= 0)
                r = write_all(fd, content, strlen(content));
        if (r >= 0)
                r = keep_label(dir_fd, name, fd);
        if (r >= 0 && (uid != geteuid() || gid != getegid()) && fchown(fd, uid, gid) < 0)
                r = negative_errno();
        if (r >= 0)
                r = apply_hook_call(hook, "fsync", path);
        if (r >= 0 && fsync(fd) < 0)
                r = negative_errno();
        if (r < 0)
                return r;

        return finish_rename(&a, name, path, hook, ret_renamed);
}

int dir_symlink_atomic(int dir_fd, const char *name, const char *path, const char *target, const ApplyHook *hook,
                       bool *ret_renamed) {
        _cleanup_(atomic_file_done) AtomicFile a = ATOMIC_FILE_NULL;
        int r;

        *ret_renamed = false;
        r = apply_hook_call(hook, "symlink", path);
        if (r < 0)
                return r;
        r = atomic_file_symlink(&a, dir_fd, name, target);
        if (r < 0)
                return r;
        return finish_rename(&a, name, path, hook, ret_renamed);
}

int dir_remove(int dir_fd, const char *name, const char *path, const ApplyHook *hook, bool *ret_removed) {
        int r;

        *ret_removed = false;
        r = apply_hook_call(hook, "unlink", path);
        if (r < 0)
                return r;
        if (unlinkat(dir_fd, name, 0) < 0) {
                if (errno != ENOENT)
                        return negative_errno();
        } else
                *ret_removed = true;

        r = apply_hook_call(hook, "sync-dir", path);
        if (r >= 0 && fsync(dir_fd) < 0)
                r = negative_errno();
        return r;
}
