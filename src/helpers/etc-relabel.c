/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* The volatile /etc under SELinux. The tmpfs, the overlay's upper directory (which is /etc's root) and
 * whatever the initrd writes to /etc come into being before the policy is loaded, and a tmpfs keeps the
 * label it had then (tmpfs_t) whatever extended attributes it is given: confined services would be
 * denied /etc. Relabelling all of /etc (systemd's relabel-extra.d) would copy every file of the lower
 * layer up into the tmpfs, turning all of /etc into drift. So only what is in the upper directory is
 * relabelled, through its path below /etc; and the files of [Etc] Persist=, restored by the initrd into
 * the persist directory on the same tmpfs (a lower layer), are labelled in place there, with the label
 * of their path below /etc — through /etc, setting a label would copy them up. */

#include <dirent.h>
#include <fcntl.h>
#include <selinux/label.h>
#include <selinux/selinux.h>
#include <sys/stat.h>

#include "etc-relabel.h"
#include "log.h"
#include "string-util.h"

#define RELABEL_DEPTH_MAX 64U

DEFINE_TRIVIAL_CLEANUP_FUNC(DIR *, closedir);
DEFINE_TRIVIAL_CLEANUP_FUNC(char *, freecon);

/* Gives path the label the policy names for as_path. 1 if relabelled, 0 if right already (or gone: a
 * whiteout, or no context for it), <0 on error. */
static int fix(struct selabel_handle *h, const char *as_path, const char *path) {
        _cleanup_(freeconp) char *want = NULL, *have = NULL;
        struct stat st;

        if (lstat(path, &st) < 0)
                return errno == ENOENT ? 0 : log_error_errno(errno, "Cannot stat %s: %m", path);
        if (selabel_lookup_raw(h, &want, as_path, st.st_mode) < 0)
                return errno == ENOENT ? 0 :
                                         log_error_errno(errno, "Cannot look up the SELinux label of %s: %m", as_path);
        if (lgetfilecon_raw(path, &have) >= 0 && streq(have, want))
                return 0;
        if (lsetfilecon_raw(path, want) < 0)
                return log_error_errno(errno, "Cannot label %s as %s: %m", path, want);
        log_debug("Labelled %s as %s.", path, want);
        return 1;
}

/* Walks the directory dir_fd (rel below the layer's root); each entry is labelled as target/rel/NAME,
 * through that path, or, with in_place set to the layer's root, where it is. */
static int walk(struct selabel_handle *h, int dir_fd, const char *rel, const char *target, const char *in_place,
                unsigned depth, unsigned *n) {
        _cleanup_(closedirp) DIR *d = NULL;
        struct dirent *de;
        int r = 0;

        if (depth > RELABEL_DEPTH_MAX)
                return log_error_errno(-ELOOP, "%s%s is nested too deep.", target, rel);
        d = fdopendir(dir_fd);
        if (!d) {
                (void) close(dir_fd);
                return log_error_errno(errno, "Cannot read %s%s in the upper directory: %m", target, rel);
        }

        while ((errno = 0, de = readdir(d))) {
                _cleanup_free_ char *sub = NULL, *as_path = NULL, *path = NULL;
                int k;

                if (streq(de->d_name, ".") || streq(de->d_name, ".."))
                        continue;
                sub = strprintf("%s/%s", rel, de->d_name);
                as_path = sub ? strprintf("%s%s", target, sub) : NULL;
                path = as_path ? (in_place ? strprintf("%s%s", in_place, sub) : strdup(as_path)) : NULL;
                if (!path)
                        return log_oom();

                k = fix(h, as_path, path);
                if (k > 0)
                        (*n)++;
                if (k < 0 && r == 0)
                        r = k;

                if (de->d_type == DT_DIR) {
                        int fd = openat(dirfd(d), de->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
                        if (fd < 0)
                                k = log_error_errno(errno, "Cannot open %s in the upper directory: %m", sub);
                        else
                                k = walk(h, fd, sub, target, in_place, depth + 1, n);
                        if (k < 0 && r == 0)
                                r = k;
                }
        }
        if (errno != 0)
                return log_error_errno(errno, "Cannot read %s%s in the upper directory: %m", target, rel);
        return r;
}

int etc_relabel(const char *upper, const char *target, const char *persist) {
        struct selabel_handle *h;
        unsigned n = 0;
        int fd, r, k;

        if (is_selinux_enabled() <= 0) {
                log_debug("SELinux is off, nothing to relabel.");
                return 0;
        }

        h = selabel_open(SELABEL_CTX_FILE, NULL, 0);
        if (!h)
                return log_error_errno(errno, "Cannot open the SELinux file contexts: %m");

        r = fix(h, target, target);
        if (r > 0)
                n++;
        fd = open(upper, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (fd < 0)
                k = log_error_errno(errno, "Cannot open %s: %m", upper);
        else
                k = walk(h, fd, "", target, NULL, 0, &n);
        if (k >= 0 && persist) {
                fd = open(persist, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
                if (fd >= 0)
                        k = walk(h, fd, "", target, persist, 0, &n);
                else if (errno != ENOENT)
                        k = log_error_errno(errno, "Cannot open %s: %m", persist);
        }
        selabel_close(h);
        if (r >= 0 && k < 0)
                r = k;
        if (r < 0)
                return r;

        log_info("Labelled %u entries of %s for SELinux.", n, target);
        return (int) n;
}
