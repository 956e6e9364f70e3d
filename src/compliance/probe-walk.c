/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* One walk of the whole tree for what only a walk finds: each directory read once (openat, getdents
 * through readdir), one fstatat per entry, pseudo and network file systems not entered (the mount table
 * says which), nothing outside the root. On a terminal it says how far it got. */

#include <dirent.h>
#include <fcntl.h>
#include <libmount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "path-util.h"
#include "probe.h"
#include "string-util.h"
#include "strv.h"
#include "time-util.h"

#define WALK_DEPTH_MAX 256U

typedef struct WalkState {
        CheckContext *c;
        WalkResult *res;
        const Accounts *a;
        uint64_t last_progress;
        bool tty;
} WalkState;

/* File systems the walk does not enter: the kernel's and the network's. */
static bool fstype_skipped(const char *t) {
        static const char *const skip[] = { "proc",       "sysfs",   "devtmpfs",   "devpts", "cgroup",      "cgroup2",
                                            "securityfs", "debugfs", "tracefs",    "pstore", "bpf",         "configfs",
                                            "fusectl",    "mqueue",  "hugetlbfs",  "autofs", "binfmt_misc", "efivarfs",
                                            "selinuxfs",  "nfs",     "nfs4",       "cifs",   "smb3",        "ceph",
                                            "9p",         "afs",     "rpc_pipefs", "nsfs" };

        if (!t)
                return false;
        if (startswith(t, "fuse."))
                return true;
        for (size_t i = 0; i < ELEMENTSOF(skip); i++)
                if (streq(t, skip[i]))
                        return true;
        return false;
}

/* At a mount boundary (path on another device than its parent): whether to enter it, and whether set-id
 * bits count on it (not where it is mounted nosuid or noexec). */
static bool mount_entered(WalkState *w, const char *path, bool *suid) {
        struct libmnt_fs *fs;
        bool exact;

        if (probe_mount_for_path(w->c, path, &fs, &exact) < 0 || !exact)
                return true; /* no entry of its own: as its parent */
        if (fstype_skipped(mnt_fs_get_fstype(fs)))
                return false;
        *suid = !mount_has_option(fs, "nosuid") && !mount_has_option(fs, "noexec");
        return true;
}

static bool known_uid(const Accounts *a, uid_t u) {
        for (size_t i = 0; a && i < a->n_users; i++)
                if (a->users[i].uid == u)
                        return true;
        return false;
}

static bool known_gid(const Accounts *a, gid_t g) {
        for (size_t i = 0; a && i < a->n_groups; i++)
                if (a->groups[i].gid == g)
                        return true;
        return false;
}

static int walk_found(WalkState *w, WalkFinding k, const char *path) {
        if (w->res->count[k]++ >= (k == WALK_SUID ? WALK_SUID_MAX : WALK_LIST_MAX))
                return 0;
        return strv_builder_extend(&w->res->found[k], path);
}

static void walk_progress(WalkState *w, const char *path, bool last) {
        uint64_t t;

        if (!w->tty)
                return;
        if (last) {
                fputs("\r\033[K", stderr);
                return;
        }
        if ((w->res->n_entries & 1023) != 0)
                return;
        t = now(CLOCK_MONOTONIC);
        if (t - w->last_progress < 250000)
                return;
        w->last_progress = t;
        fprintf(stderr, "\r\033[Kwalking the file systems: %zu entries, %.60s", w->res->n_entries, path);
}

static int walk_dir(WalkState *w, int dfd, const char *path, dev_t dev, bool suid, unsigned depth) {
        DIR *d;
        int r = 0;

        if (depth > WALK_DEPTH_MAX)
                return 0;
        d = fdopendir(dfd);
        if (!d) {
                safe_close(dfd);
                return 0;
        }
        for (struct dirent *de; r >= 0 && (de = readdir(d));) {
                _cleanup_free_ char *child = NULL;
                struct stat st;
                mode_t m;

                if (streq(de->d_name, ".") || streq(de->d_name, ".."))
                        continue;
                if (fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0)
                        continue;
                w->res->n_entries++;
                child = path_join(path, de->d_name);
                if (!child) {
                        r = -ENOMEM;
                        break;
                }
                walk_progress(w, child, false);
                m = st.st_mode;
                if (!known_uid(w->a, st.st_uid) || !known_gid(w->a, st.st_gid))
                        r = walk_found(w, WALK_UNOWNED, child);
                if (r >= 0 && S_ISREG(m) && (m & S_IWOTH))
                        r = walk_found(w, WALK_WW_FILES, child);
                if (r >= 0 && suid && S_ISREG(m) && (m & (S_ISUID | S_ISGID)))
                        r = walk_found(w, WALK_SUID, child);
                if (r >= 0 && S_ISDIR(m) && (m & S_IWOTH) && !(m & S_ISVTX))
                        r = walk_found(w, WALK_WW_DIRS, child);
                if (r >= 0 && S_ISDIR(m)) {
                        bool child_suid = suid;
                        int fd;

                        /* A mount boundary: another device than the directory it is in. */
                        if (st.st_dev != dev && !mount_entered(w, child, &child_suid))
                                continue;
                        fd = openat(dirfd(d), de->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY);
                        if (fd >= 0)
                                r = walk_dir(w, fd, child, st.st_dev, child_suid, depth + 1);
                }
        }
        closedir(d);
        return r;
}

int probe_walk(CheckContext *c, const WalkResult **ret) {
        WalkState w = { .c = c, .res = &c->walk, .tty = isatty(STDERR_FILENO) };
        struct stat st;
        bool suid = true;
        int fd;

        if (!c->walk_done) {
                c->walk_done = true;
                if (probe_accounts(c, &w.a) < 0)
                        w.a = NULL;
                if (fstat(c->root_fd, &st) < 0)
                        c->walk_r = negative_errno();
                else if ((fd = openat(c->root_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
                        c->walk_r = negative_errno();
                else {
                        (void) mount_entered(&w, "/", &suid);
                        c->walk_r = walk_dir(&w, fd, "/", st.st_dev, suid, 0);
                        walk_progress(&w, NULL, true);
                        /* Kept whole (up to WALK_SUID_MAX): in the order of names, not of the disk. */
                        if (c->walk_r >= 0)
                                c->walk_r = strv_sort(c->walk.found[WALK_SUID].l);
                }
        }
        if (c->walk_r < 0)
                return c->walk_r;
        *ret = &c->walk;
        return 0;
}

void walk_result_done(WalkResult *r) {
        for (size_t i = 0; i < _WALK_FINDING_MAX; i++)
                strv_builder_done(r->found + i);
}
