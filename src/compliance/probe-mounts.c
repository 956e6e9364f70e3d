/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <fcntl.h>
#include <libmount.h>

#include "fs-util.h"
#include "probe.h"
#include "string-util.h"

DEFINE_TRIVIAL_CLEANUP_FUNC(struct libmnt_table *, mnt_unref_table);

static int parse_table(CheckContext *c, const char *path, struct libmnt_table **ret) {
        _cleanup_(mnt_unref_tablep) struct libmnt_table *t = NULL;
        _cleanup_free_ char *text = NULL;
        _cleanup_fclose_ FILE *f = NULL;
        int r;

        /* Read below the root by the bounded reader, then handed to libmount as a stream of that text:
         * libmount itself never resolves a path here, nor reads a giant file whole. It tells mountinfo
         * from fstab by the content. */
        r = probe_read_file(c, path, MOUNTS_FILE_MAX, &text);
        if (r < 0)
                return r;
        t = mnt_new_table();
        if (!t)
                return -ENOMEM;
        if (!isempty(text)) {
                f = fmemopen(text, strlen(text), "r");
                if (!f)
                        return negative_errno();
                r = mnt_table_parse_stream(t, f, path);
                if (r < 0)
                        return r;
        }
        *ret = TAKE_PTR(t);
        return 0;
}

int probe_mounts(CheckContext *c, struct libmnt_table **ret) {
        if (!c->mounts_done) {
                c->mounts_done = true;
                c->mounts_source = "/proc/self/mountinfo";
                c->mounts_r = parse_table(c, c->mounts_source, &c->mounts);
                if (c->mounts_r == -ENOENT && !c->live) {
                        c->mounts_source = "/etc/fstab";
                        c->mounts_r = parse_table(c, c->mounts_source, &c->mounts);
                }
        }
        if (c->mounts_r < 0)
                return c->mounts_r;
        *ret = c->mounts;
        return 0;
}

int probe_mount_for_path(CheckContext *c, const char *path, struct libmnt_fs **ret, bool *ret_exact) {
        _cleanup_free_ char *p = NULL;
        struct libmnt_table *t;
        int r;

        r = probe_mounts(c, &t);
        if (r < 0)
                return r;
        p = strdup(path);
        if (!p)
                return -ENOMEM;

        for (bool exact = true;; exact = false) {
                struct libmnt_iter *it = mnt_new_iter(MNT_ITER_BACKWARD);
                struct libmnt_fs *fs, *found = NULL;
                char *slash;

                if (!it)
                        return -ENOMEM;
                /* The last mount on a target is the visible one. String comparison only: the path
                 * is not resolved on this system, it may name a fixture's or an image's mount. */
                while (mnt_table_next_fs(t, it, &fs) == 0) {
                        const char *target = mnt_fs_get_target(fs);

                        if (target && streq(target, p)) {
                                found = fs;
                                break;
                        }
                }
                mnt_free_iter(it);
                if (found) {
                        *ret = found;
                        if (ret_exact)
                                *ret_exact = exact;
                        return 0;
                }
                if (streq(p, "/"))
                        return -ENOENT;
                slash = strrchr(p, '/');
                if (!slash)
                        return -ENOENT;
                if (slash == p)
                        p[1] = 0;
                else
                        *slash = 0;
        }
}

bool mount_has_option(struct libmnt_fs *fs, const char *opt) {
        const char *sets[] = { mnt_fs_get_vfs_options(fs), mnt_fs_get_fs_options(fs) };

        for (size_t i = 0; i < ELEMENTSOF(sets); i++)
                if (sets[i] && mnt_optstr_get_option(sets[i], opt, NULL, NULL) == 0)
                        return true;
        return false;
}
