/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "macro.h"

/* Mirroring file system entries between two directory trees, without following a symlink anywhere:
 * regular files (content, owner, mode, times and the SELinux label where it can be set), symlinks (as
 * symlinks) and directories (recursively). Files are written to a temporary name in the target
 * directory and renamed over the old entry (atomic-file.h), so the target is always wholly old or wholly
 * new. Device nodes, FIFOs and sockets are not copied. */

typedef enum CopyFlags {
        COPY_SYNC = 1 << 0,         /* fsync every file and directory written */
        COPY_REMOVE_STALE = 1 << 1, /* remove what a target directory holds and the source does not */
} CopyFlags;

/* Makes dst_dir_fd/name a copy of src_dir_fd/name; name is a single component. If the source does not
 * exist, the target is removed (with COPY_REMOVE_STALE) or left alone. Returns 1 if anything was
 * written or removed, 0 if the target was already equal, -EBADFD if the source is of a type that is
 * not copied, or another negative errno. */
int copy_entry_at(int src_dir_fd, int dst_dir_fd, const char *name, CopyFlags flags);

/* Removes dir_fd/name and, if it is a directory, everything below it, never following a symlink.
 * Returns 1 if removed, 0 if it did not exist. */
int rm_rf_at(int dir_fd, const char *name);
