/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "macro.h"

/* Sysctl= settings, one way for every part of hardenctl that writes, plans or checks them.
 *
 * Names follow sysctl.d(5): either '.' or '/' separates the components. If the first separator is a
 * '/', the name is a path as it is ("net/ipv4/conf/enp3s0.200/forwarding"); if it is a '.', dots and
 * slashes are interchanged ("net.ipv4.conf.enp3s0/200.forwarding"). Both spell the same setting; the
 * canonical form used here is the dotted one. */

/* The canonical (dotted) form of a sysctl name. Returns 0, or -EINVAL if the name is empty or has an
 * empty, "." or ".." component. */
int sysctl_name_normalize(const char *name, char **ret);
/* The same, in place: name is left untouched if it is not valid (-EINVAL). */
int sysctl_name_normalize_in_place(char *name);

/* The path of a sysctl relative to /proc/sys, e.g. "kernel/kptr_restrict". Errors as above. */
int sysctl_name_to_path(const char *name, char **ret);

/* One setting as hardenctl writes, plans and checks it: the canonical name and the value. */
typedef struct SysctlSetting {
        char *key;   /* canonical (dotted) */
        char *value; /* as assigned */
} SysctlSetting;

void sysctl_settings_free(SysctlSetting *s, size_t n);

/* Merges "name=value" entries (Sysctl= in profile order): each setting once, by its canonical name, at
 * the place it first appears, with the value of its last assignment. Entries without '=' are skipped.
 * Returns 0 and a new array of *ret_n settings (NULL and 0 if there are none), -EINVAL if a name is
 * invalid, or -ENOMEM. The profile loader does this once (ProfileKernel.sysctl_settings). */
int sysctl_merge(char *const *entries, SysctlSetting **ret, size_t *ret_n);

/* Whitespace as the kernel's output is compared: leading and trailing whitespace dropped, each run of
 * blanks, tabs and newlines inside made a single space ("4\t4\t1\t7\n" → "4 4 1 7"). In place;
 * returns s. */
char *sysctl_value_normalize(char *s);

/* Whether two values are the same setting once normalised. */
bool sysctl_value_equal(const char *a, const char *b) _pure_;

/* Reads a sysctl below a root: the file DIR/PATH below root_fd, where DIR is "/proc/sys" for a root
 * tree, or "/" when root_fd is /proc/sys itself. Only a regular file is opened (open_in_root_regular()).
 * Returns 0 with the normalised value and, if ret_path is not NULL, the path read (DIR/PATH); -EINVAL
 * for a bad name, -ENOENT if the sysctl does not exist, or another negative errno. */
int sysctl_read(int root_fd, const char *dir, const char *name, char **ret_value, char **ret_path);
