/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <sys/types.h>

#include "macro.h"

/* Files below a root directory, for hardenctl apply. Every path is absolute as seen inside the root
 * and resolved with openat2(RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS): ".." and absolute symbolic links
 * in it stay inside the root. The last component is never followed: a target that is a symbolic link
 * (where a regular file is wanted), a directory or a device is refused. */

/* Called before each elementary step of a change (what: "create", "write", "fsync", "rename",
 * "sync-dir", "unlink", "symlink", "mkdir", "rmdir"; path: the file concerned). A negative return fails
 * the step with that error; a positive return from the hook of a live change (apply-exec.h) counts the
 * step as done without carrying it out. For tests: failure injection, crash points, and standing in for
 * systemd. */
typedef int (*apply_hook_t)(void *userdata, const char *what, const char *path);

typedef struct ApplyHook {
        apply_hook_t fn;
        void *userdata;
} ApplyHook;

static inline int apply_hook_call(const ApplyHook *h, const char *what, const char *path) {
        return h && h->fn ? h->fn(h->userdata, what, path) : 0;
}

typedef struct FileState {
        bool exists;
        bool symlink;  /* it is a symbolic link; content is its target */
        char *content; /* regular file: its content */
        mode_t mode;
        uid_t uid;
        gid_t gid;
} FileState;

void file_state_done(FileState *s);

/* Splits an absolute, normalized path into its directory and its last component (both allocated). */
int path_split_parent(const char *path, char **ret_dir, char **ret_name);

/* Opens directory dir below root_fd. With create, missing directories are made (0755), each one
 * announced to the hook as "mkdir" and appended to *created (absolute paths, outermost first). */
int root_open_dir(int root_fd, const char *dir, bool create, const ApplyHook *hook, char ***created);

/* Whether directory dir below root_fd exists or could be made: 0 if so, -ELOOP if a symbolic link that
 * leads nowhere inside the root is in the way, -ENOTDIR if a file is. Changes nothing. */
int root_check_dir(int root_fd, const char *dir);

/* What is at path below root_fd: exists=false if it or its directory is missing. Fails with -EBADFD
 * if it is neither a regular file nor a symbolic link, -EFBIG if it is larger than max_size. */
int root_file_state(int root_fd, const char *path, size_t max_size, FileState *ret);

/* Replaces (or creates) name in dir_fd with content, atomically (atomic-file.h): a temporary file in
 * the same directory, written, fsync'd, renamed over name, and the directory fsync'd; path is for the
 * hook. Returns 0 if name now has the new content (the directory sync may still have failed: see
 * *ret_renamed), or a negative errno; *ret_renamed says whether name was replaced. The temporary files
 * a crash leaves behind are removed by the next apply (atomic_file_remove_stale_at()). */
int dir_write_atomic(int dir_fd, const char *name, const char *path, const char *content, mode_t mode, uid_t uid,
                     gid_t gid, const ApplyHook *hook, bool *ret_renamed);

/* The same for a symbolic link name → target. */
int dir_symlink_atomic(int dir_fd, const char *name, const char *path, const char *target, const ApplyHook *hook,
                       bool *ret_renamed);

/* Removes name (a file or symbolic link), then syncs the directory. *ret_removed as above. */
int dir_remove(int dir_fd, const char *name, const char *path, const ApplyHook *hook, bool *ret_removed);
