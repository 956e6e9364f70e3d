/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* [Benchmark] CIS=: what only a walk of the whole tree finds (CIS 7.1.11 world-writable files and
 * directories without the sticky bit, 7.1.12 files without a known owner or group, 7.1.13 the SUID
 * and SGID files to review). One walk serves them all: each directory read once (openat, getdents
 * through readdir), one fstatat per entry, pseudo and network file systems not entered (the mount
 * table says which), nothing outside the root. On a terminal it says how far it got. */

#include <dirent.h>
#include <fcntl.h>
#include <libmount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "compliance-rules.h"
#include "path-util.h"
#include "time-util.h"

#define WALK_LIST_MAX 20U /* paths named in the evidence, per item */
#define WALK_DEPTH_MAX 256U

typedef enum WalkItem {
        WALK_WW_FILES,
        WALK_WW_DIRS,
        WALK_UNOWNED,
        WALK_SUID,
        _WALK_ITEM_MAX,
} WalkItem;

/* ComplianceAsCode: file_permissions_unauthorized_world_writable, dir_perms_world_writable_sticky_bits,
 * no_files_unowned_by_user, file_permissions_ungroupowned (controls/cis_debian12.yml). */
static const ItemRef walk_refs[] = {
        [WALK_WW_FILES] = { "world-writable files", "7.1.11", NULL, NULL },
        [WALK_WW_DIRS] = { "world-writable directories without the sticky bit", "7.1.11", NULL, NULL },
        [WALK_UNOWNED] = { "files without a known owner or group", "7.1.12", "SRG-OS-000480-GPOS-00227", NULL },
        [WALK_SUID] = { "SUID and SGID files", "7.1.13", NULL, NULL },
};

typedef struct Walk {
        CheckContext *c;
        const Accounts *a;
        dev_t root_dev;
        size_t n_entries;
        size_t count[_WALK_ITEM_MAX];
        char **found[_WALK_ITEM_MAX]; /* the first WALK_LIST_MAX of each */
        uint64_t last_progress;
        bool tty;
        int r;
        bool done;
} Walk;

static void walk_done(Walk *w) {
        for (size_t i = 0; i < _WALK_ITEM_MAX; i++)
                strv_free(w->found[i]);
}

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

/* Whether the directory path, on another device than its parent, is one not to enter. */
static bool mount_skipped(Walk *w, const char *path) {
        struct libmnt_fs *fs;
        bool exact;

        if (probe_mount_for_path(w->c, path, &fs, &exact) < 0 || !exact)
                return false;
        return fstype_skipped(mnt_fs_get_fstype(fs));
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

static int walk_found(Walk *w, WalkItem k, const char *path) {
        if (w->count[k]++ >= WALK_LIST_MAX)
                return 0;
        return strv_extend(&w->found[k], path);
}

static void walk_progress(Walk *w, const char *path, bool last) {
        uint64_t t;

        if (!w->tty)
                return;
        if (last) {
                fputs("\r\033[K", stderr);
                return;
        }
        if ((w->n_entries & 1023) != 0)
                return;
        t = now(CLOCK_MONOTONIC);
        if (t - w->last_progress < 250000)
                return;
        w->last_progress = t;
        fprintf(stderr, "\r\033[Kwalking the file systems: %zu entries, %.60s", w->n_entries, path);
}

static int walk_dir(Walk *w, int dfd, const char *path, dev_t dev, unsigned depth) {
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
                w->n_entries++;
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
                if (r >= 0 && S_ISREG(m) && (m & (S_ISUID | S_ISGID)))
                        r = walk_found(w, WALK_SUID, child);
                if (r >= 0 && S_ISDIR(m) && (m & S_IWOTH) && !(m & S_ISVTX))
                        r = walk_found(w, WALK_WW_DIRS, child);
                if (r >= 0 && S_ISDIR(m)) {
                        int fd;

                        /* A mount boundary: another device than the directory it is in. */
                        if (st.st_dev != dev && mount_skipped(w, child))
                                continue;
                        fd = openat(dirfd(d), de->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY);
                        if (fd >= 0)
                                r = walk_dir(w, fd, child, st.st_dev, depth + 1);
                }
        }
        closedir(d);
        return r;
}

static int walk_run(CheckContext *c, Walk *w) {
        struct stat st;
        int fd;

        w->done = true;
        w->c = c;
        w->tty = isatty(STDERR_FILENO);
        if (probe_accounts(c, &w->a) < 0)
                w->a = NULL;
        if (fstat(c->root_fd, &st) < 0)
                return w->r = negative_errno();
        w->root_dev = st.st_dev;
        fd = openat(c->root_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0)
                return w->r = negative_errno();
        w->r = walk_dir(w, fd, "/", w->root_dev, 0);
        walk_progress(w, NULL, true);
        return w->r;
}

static const char *const walk_expected[_WALK_ITEM_MAX] = {
        [WALK_WW_FILES] = "none",
        [WALK_WW_DIRS] = "none",
        [WALK_UNOWNED] = "none",
        [WALK_SUID] = "each reviewed",
};

static int check_walk_one(CheckContext *c, const ComplianceRule *rule, Walk *w, size_t i) {
        _cleanup_free_ char *joined = NULL;
        ComplianceResult *x;
        size_t n;
        int r;

        r = check_begin(c, rule, rule->items[i].item, &x);
        if (r < 0)
                return r;
        if (!w->done && walk_run(c, w) == -ENOMEM)
                return -ENOMEM;
        if (w->r < 0)
                return result_errno(x, w->r, c->root);
        n = w->count[i];
        joined = w->found[i] ? strv_join(w->found[i], " ") : strdup("none");
        if (!joined)
                return -ENOMEM;
        r = result_evidence(x, check_tmp(c, "%zu entries walked", w->n_entries), walk_expected[i],
                            n > WALK_LIST_MAX ? check_tmp(c, "%zu, the first %u: %s", n, WALK_LIST_MAX, joined) :
                            n > 0             ? check_tmp(c, "%zu: %s", n, joined) :
                                                "none");
        if (r < 0)
                return r;
        if (i == WALK_SUID)
                return result_set(x, RULE_NOTCHECKED,
                                  "%zu SUID or SGID files: a manual item, review each against what the host needs", n);
        if (n > 0)
                return result_set(x, RULE_FAIL, "%zu %s", n, rule->items[i].item);
        return result_set(x, RULE_PASS, "No %s", rule->items[i].item);
}

static int check_walk(CheckContext *c, const ComplianceRule *rule) {
        Walk w = {};
        int r = 0;

        for (size_t i = 0; i < rule->n_items && r >= 0; i++) {
                if (!cis_wanted(c, rule->items[i].cis))
                        continue;
                r = check_walk_one(c, rule, &w, i);
                check_tmp_clear(c);
        }
        walk_done(&w);
        return r;
}

const ComplianceRule rule_cis_filesystem_walk = {
        .id = "hardenctl-cis-filesystem-walk",
        .title = "No world-writable files, open directories or unowned files; SUID and SGID files listed",
        .severity = SEVERITY_MEDIUM,
        .rationale =
                "A world-writable file or a directory without the sticky bit lets any user change or replace what others run or read; a file without a known owner goes to whoever gets that id next; every SUID or SGID program is a way to root.",
        .nist = "AC-6 CM-6 CM-7",
        .remediation =
                "chmod o-w the files listed, chmod +t the directories (or o-w), chown the unowned files to an account that exists, and remove the SUID or SGID bit from programs the host does not need.",
        .check = check_walk,
        .items = walk_refs,
        .n_items = ELEMENTSOF(walk_refs),
};
