/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "macro.h"

struct stat;

/* Opens path relative to root_fd as if root_fd were "/": "..", absolute symlinks and magic links cannot
 * lead outside it (openat2() with RESOLVE_IN_ROOT). flags are open() flags; O_CLOEXEC is always added.
 * Returns the fd or a negative errno. */
int open_in_root(int root_fd, const char *path, int flags);

/* Whether the directory fd is the host's "/" (the same inode): then a path below it is the host's path. 1 or
 * 0, or a negative errno. */
int dir_fd_is_host_root(int fd);

/* The stat of path below root_fd, as open_in_root() resolves it (follow: the last component too, if it is
 * a symbolic link), through an O_PATH fd; root_fd AT_FDCWD: the host's path, through fstatat(). Returns 0 or
 * a negative errno. */
int stat_in_root(int root_fd, const char *path, bool follow, struct stat *ret);

/* What open_in_root() and open_beneath() do where openat2() is not there (ENOSYS: a kernel before 5.6,
 * or valgrind, which does not know it): the path walked one component at a time with openat(O_PATH |
 * O_NOFOLLOW), symbolic links followed by their text inside the walk (at most RESOLVE_WALK_LINKS_MAX;
 * an absolute one starts again at dir_fd, as does ".." there; with beneath, either is -EXDEV), ".."
 * taken back along the walk, never through the kernel; magic links are only the text they read as.
 * The last component is opened with flags and O_NOFOLLOW: a symbolic link swapped in late is not
 * followed. Exposed for tests, which compare it with openat2(). */
#define RESOLVE_WALK_LINKS_MAX 40U
#define RESOLVE_WALK_DEPTH_MAX 256U
int open_resolve_walk(int dir_fd, const char *path, int flags, bool beneath);

/* Opens a regular file below root_fd as open_in_root() does, and only a regular file: the path is
 * resolved with O_PATH first and checked with fstat(), so that a device node, FIFO or socket planted
 * in a tree is never opened (opening some devices has effects of its own). Returns the fd, -EISDIR for
 * a directory, -EBADFD for anything else that is not a regular file, or another negative errno. */
int open_in_root_regular(int root_fd, const char *path, int flags);

/* The same for a path relative to dir_fd (or AT_FDCWD), resolved as openat() does. */
int open_regular_at(int dir_fd, const char *path, int flags);

/* Reopens an O_PATH fd with flags (O_CLOEXEC added), through /proc/self/fd. */
int fd_reopen(int fd, int flags);

/* Opens a single name inside the directory dir_fd without following a symlink out of it
 * (RESOLVE_BENEATH). */
int open_beneath(int dir_fd, const char *name, int flags);

/* Reads a whole regular file from fd. Fails with -EFBIG when it is larger than max_size, -EBADFD when
 * it is not a regular file. The buffer is NUL-terminated; *ret_size excludes the terminator. */
int read_full_fd(int fd, size_t max_size, char **ret, size_t *ret_size);

/* The same for the file at path (opened O_NOCTTY; symlinks followed); ret_size may be NULL. */
int read_full_file(const char *path, size_t max_size, char **ret, size_t *ret_size);

/* Writes all n bytes to fd, across short writes and EINTR. Returns 0 or a negative errno. */
int write_all(int fd, const void *data, size_t n);

/* The names in the directory dir_fd for which filter (if set) says yes, "." and ".." never, sorted by
 * strcmp(), or by strverscmp() with version_sort (as ls -v orders them). dir_fd is not closed. At most
 * max names: -E2BIG beyond. */
int dir_fd_list(int dir_fd, bool (*filter)(const char *name, const void *userdata), const void *userdata, size_t max,
                bool version_sort, char ***ret);
