/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* The helper behind the volatile /etc:
 *
 *   hardenctl-etc prepare DIR [[--root-fs=FS] STORE PATH…]
 *     In the initrd, before the overlay is mounted: creates DIR/upper and DIR/work on the tmpfs mounted
 *     at DIR. With STORE, also DIR/persist, the overlay's top lower layer, filled with the PATHs of
 *     [Etc] Persist= as they were saved in STORE (relative to the file system at FS, see save): so
 *     they are in /etc from the first moment, without being drift. A PATH that cannot be restored is left out with a
 * warning: the host then starts with the file as the image has it, which is what a volatile /etc means anyway.
 *
 *   hardenctl-etc save [--root-fs=DIR] ETC STORE PATH…
 *     In the main system, after boot and again at shutdown: makes STORE/PATH the same as ETC/PATH for
 *     every PATH (removing it from STORE when it is gone from ETC), each file written atomically and
 *     synced. With --root-fs=DIR, STORE is relative to the file system mounted at DIR itself, seen
 *     through a detached clone of that one mount: so the store is where the initrd finds it even when a
 *     separate file system is mounted on /var.
 *
 *   hardenctl-etc relabel UPPER TARGET [PERSIST]
 *     In the main system, once the policy is loaded: SELinux labels for what the initrd put into the
 *     volatile /etc (see etc-relabel.h).
 *
 * PATHs are relative to /etc and were validated by the profile parser (normalized, no "..").
 * Symlinks are never followed, neither in DIR, in STORE nor in ETC: a symlink planted where a
 * directory is expected is refused. */

#include <fcntl.h>
#include <linux/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#include "copy.h"
#include "etc-relabel.h"
#include "fs-util.h"
#include "log.h"
#include "path-util.h"
#include "string-util.h"
#include "verbs.h"

#define PERSIST_PATH_MAX 256

static int make_dir(int dir_fd, const char *dir, const char *name, mode_t mode) {
        struct stat st;

        if (mkdirat(dir_fd, name, mode) >= 0)
                return 0;
        if (errno != EEXIST)
                return log_error_errno(errno, "Failed to create %s/%s: %m", dir, name);
        if (fstatat(dir_fd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
                return log_error_errno(errno, "Failed to check %s/%s: %m", dir, name);
        if (!S_ISDIR(st.st_mode))
                return log_error_errno(-ENOTDIR, "%s/%s exists and is not a directory, refusing.", dir, name);
        return 0;
}

static bool persist_path_is_valid(const char *p) {
        return !isempty(p) && !path_is_absolute(p) && path_is_normalized(p) && strlen(p) < PERSIST_PATH_MAX;
}

/* Makes dst_fd/PATH what src_fd/PATH is. The directories on the way are created in dst as they are in
 * src (owner, mode); where src lacks one, PATH is gone from src. Returns as copy_entry_at(), and -ENOTDIR
 * for a component on the way that is not a directory (a symlink, say) on either side. */
static int mirror_path(int src_fd, int dst_fd, const char *path, CopyFlags flags) {
        _cleanup_close_ int s = fcntl(src_fd, F_DUPFD_CLOEXEC, 3), d = fcntl(dst_fd, F_DUPFD_CLOEXEC, 3);
        const char *p = path;

        if (s < 0 || d < 0)
                return negative_errno();

        for (;;) {
                _cleanup_free_ char *c = NULL;
                const char *slash = strchr(p, '/');
                struct stat st, dst_st;
                int ns, nd;

                if (!slash)
                        return copy_entry_at(s, d, p, flags);

                c = strndup(p, slash - p);
                if (!c)
                        return -ENOMEM;

                ns = openat(s, c, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
                if (ns < 0) {
                        if (errno == ELOOP)
                                return -ENOTDIR;
                        if (errno != ENOENT)
                                return negative_errno();
                        /* Gone from the source, and with it everything below. */
                        if (!FLAGS_SET(flags, COPY_REMOVE_STALE))
                                return 0;
                        nd = openat(d, c, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
                        if (nd < 0)
                                return errno == ENOENT ? 0 : errno == ELOOP ? -ENOTDIR : negative_errno();
                        safe_close(s);
                        safe_close(d);
                        s = ns;
                        d = nd;
                        /* Walk on down the target alone, removing only the leaf. */
                        for (p = slash + 1; (slash = strchr(p, '/')); p = slash + 1) {
                                _cleanup_free_ char *cc = strndup(p, slash - p);

                                if (!cc)
                                        return -ENOMEM;
                                nd = openat(d, cc, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
                                if (nd < 0)
                                        return errno == ENOENT ? 0 : errno == ELOOP ? -ENOTDIR : negative_errno();
                                safe_close(d);
                                d = nd;
                        }
                        return rm_rf_at(d, p);
                }
                safe_close(s);
                s = ns;
                if (fstat(s, &st) < 0)
                        return negative_errno();

                if (mkdirat(d, c, st.st_mode & 07777) < 0 && errno != EEXIST)
                        return negative_errno();
                nd = openat(d, c, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
                if (nd < 0)
                        return errno == ELOOP ? -ENOTDIR : negative_errno();
                safe_close(d);
                d = nd;
                if (fstat(d, &dst_st) < 0)
                        return negative_errno();
                if (dst_st.st_uid != st.st_uid || dst_st.st_gid != st.st_gid ||
                    (dst_st.st_mode & 07777) != (st.st_mode & 07777)) {
                        if (fchown(d, st.st_uid, st.st_gid) < 0 || fchmod(d, st.st_mode & 07777) < 0)
                                return negative_errno();
                }
                p = slash + 1;
        }
}

/* A detached clone of the mount at dir, without the mounts below it: the file system itself, as the
 * initrd sees it before anything else is mounted on it. */
static int open_file_system(const char *dir) {
        long fd = syscall(SYS_open_tree, AT_FDCWD, dir, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);

        if (fd < 0)
                return log_error_errno(errno, "Failed to open the file system at %s: %m", dir);
        return (int) fd;
}

static int restore(int dir_fd, const char *dir, const char *root_fs, const char *store, char **paths) {
        _cleanup_close_ int fs_fd = -EBADF, store_fd = -EBADF, persist_fd = -EBADF;
        unsigned n = 0;
        int r;

        r = make_dir(dir_fd, dir, "persist", 0755);
        if (r < 0)
                return r;
        persist_fd = openat(dir_fd, "persist", O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (persist_fd < 0)
                return log_error_errno(errno, "Failed to open %s/persist: %m", dir);

        if (root_fs) {
                if (!persist_path_is_valid(store))
                        return log_error_errno(-EINVAL, "Invalid store directory '%s'.", store);
                fs_fd = open_file_system(root_fs);
                if (fs_fd < 0) {
                        log_warning("Persistent files start out as in the image.");
                        return 0;
                }
                store_fd = openat(fs_fd, store, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        } else
                store_fd = open(store, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (store_fd < 0) {
                if (errno == ENOENT) {
                        log_info("%s does not exist yet: no persistent files to restore.", store);
                        return 0;
                }
                log_warning_errno(errno, "Failed to open %s, persistent files start out as in the image: %m", store);
                return 0;
        }

        for (char **p = paths; *p; p++) {
                if (!persist_path_is_valid(*p)) {
                        log_warning("Invalid persistent path '%s', ignoring.", *p);
                        continue;
                }
                r = mirror_path(store_fd, persist_fd, *p, 0);
                if (r == -ENOTDIR || r == -EBADFD)
                        log_warning("%s/%s: not a regular file, directory or symlink, or a symlink on the way; "
                                    "not restored, /etc/%s starts out as in the image.",
                                    store, *p, *p);
                else if (r < 0)
                        log_warning_errno(r, "Failed to restore /etc/%s from %s, it starts out as in the image: %m", *p,
                                          store);
                else
                        n++;
        }
        log_debug("Restored %u persistent paths from %s.", n, store);
        return 0;
}

static int prepare(const char *dir, const char *root_fs, const char *store, char **paths) {
        _cleanup_close_ int fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        int r;

        if (fd < 0)
                return log_error_errno(errno, "Failed to open %s: %m", dir);

        r = make_dir(fd, dir, "upper", 0755);
        if (r < 0)
                return r;
        r = make_dir(fd, dir, "work", 0755);
        if (r < 0)
                return r;
        if (!store)
                return 0;
        return restore(fd, dir, root_fs, store, paths);
}

/* Opens the relative path store below dir_fd, creating what is missing: the store itself mode 0700
 * (it may hold private keys), the directories on the way 0755. */
static int open_store(int dir_fd, const char *store) {
        _cleanup_close_ int fd = fcntl(dir_fd, F_DUPFD_CLOEXEC, 3);
        const char *p = store;

        if (fd < 0)
                return negative_errno();
        for (;;) {
                _cleanup_free_ char *c = NULL;
                const char *slash = strchr(p, '/');
                int nfd;

                c = slash ? strndup(p, slash - p) : strdup(p);
                if (!c)
                        return -ENOMEM;
                if (mkdirat(fd, c, slash ? 0755 : 0700) < 0 && errno != EEXIST)
                        return negative_errno();
                nfd = openat(fd, c, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
                if (nfd < 0)
                        return errno == ELOOP ? -ENOTDIR : negative_errno();
                safe_close(fd);
                fd = nfd;
                if (!slash)
                        return TAKE_FD(fd);
                p = slash + 1;
        }
}

/* STORE is relative to the file system mounted at root_fs (its own directories, not what is mounted
 * on them, such as a separate /var), or, without root_fs, an absolute path. */
static int save(const char *root_fs, const char *etc, const char *store, char **paths) {
        _cleanup_close_ int etc_fd = -EBADF, fs_fd = -EBADF, store_fd = -EBADF;
        unsigned changed = 0, failed = 0;
        int r;

        if (root_fs ? !persist_path_is_valid(store) : !path_is_absolute(store) || !path_is_normalized(store))
                return log_error_errno(-EINVAL, "Invalid store directory '%s'.", store);

        etc_fd = open(etc, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (etc_fd < 0)
                return log_error_errno(errno, "Failed to open %s: %m", etc);
        if (root_fs) {
                fs_fd = open_file_system(root_fs);
                if (fs_fd < 0)
                        return fs_fd;
        } else {
                fs_fd = open("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
                if (fs_fd < 0)
                        return log_error_errno(errno, "Failed to open /: %m");
        }
        store_fd = open_store(fs_fd, root_fs ? store : store + 1);
        if (store_fd < 0)
                return log_error_errno(store_fd, "Failed to open the store %s%s%s: %m", store,
                                       root_fs ? " on the file system at " : "", strempty(root_fs));

        for (char **p = paths; *p; p++) {
                if (!persist_path_is_valid(*p)) {
                        log_error("Invalid persistent path '%s'.", *p);
                        failed++;
                        continue;
                }
                r = mirror_path(etc_fd, store_fd, *p, COPY_SYNC | COPY_REMOVE_STALE);
                if (r == -ENOTDIR || r == -EBADFD) {
                        log_error("%s/%s: not a regular file, directory or symlink, or a symlink on the way; not saved.",
                                  etc, *p);
                        failed++;
                } else if (r < 0) {
                        log_error_errno(r, "Failed to save %s/%s to %s: %m", etc, *p, store);
                        failed++;
                } else if (r > 0) {
                        log_info("Saved %s/%s.", etc, *p);
                        changed++;
                }
        }
        if (failed > 0)
                return log_error_errno(-EIO, "%u of the persistent paths could not be saved.", failed);
        log_debug("%u persistent paths saved to %s.", changed, store);
        return 0;
}

static int verb_prepare(int argc, char *argv[]);
static int verb_save(int argc, char *argv[]);
static int verb_relabel(int argc, char *argv[]);

/* --root-fs= is an argument in its place, not an option: a PATH may begin with '-'. */
static const Verb verbs[] = {
        { "prepare", 1, VERB_ANY, verb_prepare, "DIR [[--root-fs=FS] STORE PATH…]" },
        { "save", 3, VERB_ANY, verb_save, "[--root-fs=DIR] ETC STORE PATH…" },
        { "relabel", 2, 3, verb_relabel, "UPPER TARGET [PERSIST]" },
};

static const VerbTable verb_table = {
        .verbs = verbs,
        .n_verbs = ELEMENTSOF(verbs),
};

static int verb_prepare(int argc, char *argv[]) {
        const char *root_fs = argc > 2 ? startswith(argv[2], "--root-fs=") : NULL;

        if (argc == 2)
                return prepare(argv[1], NULL, NULL, NULL);
        if (argc < (root_fs ? 5 : 4)) /* a STORE, and at least one PATH */
                return verbs_log_bad_args(&verb_table, argv[0], /* too_few= */ true);
        return root_fs ? prepare(argv[1], root_fs, argv[3], argv + 4) : prepare(argv[1], NULL, argv[2], argv + 3);
}

static int verb_save(int argc, char *argv[]) {
        const char *root_fs = startswith(argv[1], "--root-fs=");

        if (root_fs && argc < 5)
                return verbs_log_bad_args(&verb_table, argv[0], /* too_few= */ true);
        return root_fs ? save(root_fs, argv[2], argv[3], argv + 4) : save(NULL, argv[1], argv[2], argv + 3);
}

static int verb_relabel(int argc, char *argv[]) {
        return etc_relabel(argv[1], argv[2], argc == 4 ? argv[3] : NULL);
}

int main(int argc, char *argv[]) {
        int r;

        log_set_prefix("hardenctl-etc");
        log_parse_environment();

        r = verbs_dispatch(&verb_table, argc - 1, argv + 1, 0);
        return r < 0 ? EXIT_FAILURE : EXIT_SUCCESS;
}
