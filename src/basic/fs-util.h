/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <sys/types.h>

#include "macro.h"

/* Opens path relative to root_fd as if root_fd were "/": "..", absolute symlinks and magic links cannot
 * lead outside it (openat2() with RESOLVE_IN_ROOT). flags are open() flags; O_CLOEXEC is always added.
 * Returns the fd or a negative errno. */
int open_in_root(int root_fd, const char *path, int flags);

/* Opens a single name inside the directory dir_fd without following a symlink out of it
 * (RESOLVE_BENEATH). */
int open_beneath(int dir_fd, const char *name, int flags);

/* Reads a whole regular file from fd. Fails with -EFBIG when it is larger than max_size, -EBADFD when
 * it is not a regular file. The buffer is NUL-terminated; *ret_size excludes the terminator. */
int read_full_fd(int fd, size_t max_size, char **ret, size_t *ret_size);

/* Writes all n bytes to fd, across short writes and EINTR. Returns 0 or a negative errno. */
int write_all(int fd, const void *data, size_t n);
