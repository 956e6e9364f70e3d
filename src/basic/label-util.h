/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "macro.h"

#define SELINUX_XATTR "security.selinux"

/* Gives dst_fd the SELinux label (the security.selinux extended attribute) that src_fd has, so that a
 * file replaced by a new inode keeps its label. Works without libselinux and whether or not SELinux is
 * active. Returns 1 if a label was copied, 0 if src_fd has none (or its file system keeps no extended
 * attributes), or a negative errno if it could not be read or set (the kernel refuses a context that
 * the loaded policy does not know; the target file system may keep no labels). */
int fd_copy_selinux_label(int src_fd, int dst_fd);
