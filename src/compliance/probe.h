/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <sys/types.h>

#include "compliance.h"
#include "macro.h"
#include "profile.h"
#include "strv.h"

/* Probes read the state a rule judges. Files are read below a root directory fd (openat2 with
 * RESOLVE_IN_ROOT: no symlink or ".." leads out of it), so the same probes judge the running system
 * ("/"), an offline image tree, or a fixture tree in a test. What only the running kernel or service
 * manager can tell (audit over netlink, SELinux, sd-bus, device-mapper) is read only when the root is
 * the running system, "live"; offline, rules that need it are reported as not checked.
 *
 * Each source is read at most once per check and cached in the context: one mountinfo parse, one
 * pass over the dpkg status file. Functions return 0 or a negative errno; -ENOENT when the file is not
 * there. */

struct libmnt_table;
struct libmnt_fs;
typedef struct sd_bus sd_bus;

typedef struct PasswdEntry {
        char *name;
        uid_t uid;
        gid_t gid;
        char *shell;
} PasswdEntry;

typedef struct GroupEntry {
        char *name;
        gid_t gid;
        char **members;
} GroupEntry;

typedef struct Accounts {
        PasswdEntry *users;
        size_t n_users;
        GroupEntry *groups;
        size_t n_groups;
} Accounts;

typedef enum SudoFindingKind {
        SUDO_NOPASSWD,
        SUDO_NOT_AUTHENTICATE,
} SudoFindingKind;

typedef struct SudoFinding {
        char *file; /* path below the root */
        unsigned line;
        SudoFindingKind kind;
        char *text; /* the logical line, whitespace-collapsed */
} SudoFinding;

typedef struct SudoFindings {
        SudoFinding *items;
        size_t n;
        char **files; /* every file read */
} SudoFindings;

typedef struct DpkgPackage {
        char *name;
        char *version;
        char *status;  /* "install ok installed", … */
        size_t stanza; /* its place in the status file */
} DpkgPackage;

typedef struct DpkgDatabase {
        DpkgPackage *packages; /* sorted by name; only those not "not-installed" */
        size_t n;
} DpkgDatabase;

typedef struct CheckContext {
        const Profile *profile;
        ComplianceReport *report;
        int root_fd;
        const char *root; /* for messages */
        bool live;
        size_t read_left; /* what probe_read_file() may still read in this check (CHECK_READ_BUDGET) */

        /* caches: *_r is the result of the first read (0 or a negative errno), *_done whether it ran */
        struct libmnt_table *mounts;
        int mounts_r;
        bool mounts_done;
        const char *mounts_source; /* "/proc/self/mountinfo", or "/etc/fstab" for an offline tree */

        char *cmdline;
        int cmdline_r;
        bool cmdline_done;

        DpkgDatabase dpkg;
        int dpkg_r;
        bool dpkg_done;

        Accounts accounts;
        int accounts_r;
        bool accounts_done;

        SudoFindings sudo;
        int sudo_r;
        bool sudo_done;

        int audit_fd;
        int audit_r;
        bool audit_done;
        unsigned audit_status[4]; /* enabled, failure, backlog_limit, rate_limit, as read at open */

        sd_bus *bus;
        int bus_r;
        bool bus_done;

        int usr_posture_r;
        bool usr_posture_done;

        StrvBuilder scratch; /* strings of check_tmp(), freed after each rule */
} CheckContext;

/* root_fd is borrowed and must stay open; root is its path for messages. */
int check_context_init(CheckContext *c, const Profile *p, ComplianceReport *report, int root_fd, const char *root);
void check_context_done(CheckContext *c);

/* True if dir_fd refers to the running system's "/". */
int root_fd_is_live(int root_fd);

/* ---- results in a check (check-context.c) ---- */

/* A rule records each of its results in three steps, each returning 0 or a negative errno that the rule
 * returns at once: check_begin() appends the result, result_evidence() adds what was read (any number
 * of times), and result_set() (or result_offline(), result_errno(), …; compliance.h) gives the verdict
 * and says why.
 *
 * check_begin() appends a result for rule (instance may be NULL), initially RULE_ERROR without message,
 * and returns it in *ret: valid until the next check_begin(). Returns 0 or -ENOMEM. */
int check_begin(CheckContext *c, const ComplianceRule *rule, const char *instance, ComplianceResult **ret);
/* A formatted string that lives until the end of the current rule; NULL on OOM. */
const char *check_tmp(CheckContext *c, const char *format, ...) _printf_(2, 3);
void check_tmp_clear(CheckContext *c);

/* A file of live kernel state that an offline tree does not have is "not checked"; the running system
 * not having it is an error, or a failure when its absence means the feature is off. */
int result_missing_state(CheckContext *c, ComplianceResult *x, int error, const char *what);

/* ---- files (probe-fs.c) ---- */

/* The bounded reader. Reads a regular file below the root, at most max bytes (-EFBIG beyond; 0: 4 MiB),
 * and within what is left of the check's CHECK_READ_BUDGET (-E2BIG beyond). Anything else is never
 * opened: -EISDIR for a directory, -EBADFD for a device node, FIFO or socket. */
int probe_read_file(CheckContext *c, const char *path, size_t max, char **ret);

/* The paths (DIR/NAME) of the entries of the directory dir below the root whose names filter accepts
 * (every one if filter is NULL), sorted; an empty list (NULL) if dir does not exist; -E2BIG if more than
 * PROBE_DIR_ENTRIES_MAX are accepted. */
int probe_list_dir(CheckContext *c, const char *dir, bool (*filter)(const char *name, const void *userdata),
                   const void *userdata, char ***ret);

/* A file's first line, stripped, such as a /proc/sys or /sys value. */
int probe_read_line(CheckContext *c, const char *path, char **ret);

/* The value of a sysctl ("kernel.kptr_restrict") from ROOT/proc/sys, with runs of whitespace collapsed
 * to one space, and the path it was read from. */
int probe_sysctl(CheckContext *c, const char *name, char **ret_value, char **ret_path);

/* ROOT/proc/cmdline, cached. The returned string is owned by the context. */
int probe_cmdline(CheckContext *c, const char **ret);

/* Whether the command line has word ("quiet") or assignment ("init_on_alloc=1"): the last assignment of
 * a key counts, as the kernel and systemd read it. Returns 1/0, and *ret_actual the last value seen
 * for the key ("" for a bare word), or NULL. */
int cmdline_has(const char *cmdline, const char *want, char **ret_actual);

/* The active lockdown mode from ROOT/sys/kernel/security/lockdown, read by kernel_lockdown_parse(). */
int probe_lockdown(CheckContext *c, LockdownMode *ret);

/* Reads KEY=VALUE files (os-release, /etc/selinux/config): the value of key, unquoted. -ENXIO if the
 * key is not there. */
int env_file_get(const char *text, const char *key, char **ret);

/* ---- mounts (probe-mounts.c), through libmount ---- */

/* ROOT/proc/self/mountinfo, parsed once; for an offline tree without it, ROOT/etc/fstab (what the
 * image will mount), and c->mounts_source says which. */
int probe_mounts(CheckContext *c, struct libmnt_table **ret);

/* The mount that holds path: the last one mounted on it (*ret_exact true), or on its closest parent. */
int probe_mount_for_path(CheckContext *c, const char *path, struct libmnt_fs **ret, bool *ret_exact);

/* Whether the VFS or file system options of fs include opt ("nodev", "ro", …). */
bool mount_has_option(struct libmnt_fs *fs, const char *opt);

/* ---- packages (probe-dpkg.c) ---- */

int probe_dpkg(CheckContext *c, const DpkgDatabase **ret);
const DpkgPackage *dpkg_lookup(const DpkgDatabase *db, const char *name);
void dpkg_database_done(DpkgDatabase *db);

/* Parses a dpkg status file in one pass. */
int dpkg_parse(const char *text, DpkgDatabase *ret);

/* An executable of that name in the standard binary directories below the root; returns 1 and its
 * path, 0 if none. */
int probe_executable(CheckContext *c, const char *name, char **ret_path);

/* The bounded reader's limits (probe-fs.c). What one check reads of the tree's files, in all: a tree of many files just
 * under each file's limit (1,500 files of 1 MiB in modprobe.d) costs no more than this. */
#define CHECK_READ_BUDGET (128U * 1024U * 1024U)
/* The most entries probe_list_dir() takes from one directory. */
#define PROBE_DIR_ENTRIES_MAX 4096U
/* The largest mount table (mountinfo or fstab) read. */
#define MOUNTS_FILE_MAX (4U * 1024U * 1024U)

/* ---- accounts and access (probe-accounts.c, probe-sudoers.c, probe-sshd.c) ---- */

/* Limits of what is read of them: a file's size, how deep includes nest, how many files they reach. */
#define ACCOUNTS_FILE_MAX (16U * 1024U * 1024U)
#define INCLUDE_DEPTH_MAX 8U
#define INCLUDE_FILES_MAX 256U

int probe_accounts(CheckContext *c, const Accounts **ret);
void accounts_done(Accounts *a);
int accounts_parse(const char *passwd, const char *group, Accounts *ret);
const GroupEntry *accounts_group(const Accounts *a, const char *name);

/* NOPASSWD tags and !authenticate defaults in ROOT/etc/sudoers and the files of its @includedir /
 * #includedir directories (names with a '.' or ending in '~' skipped, as sudo does). */
int probe_sudoers(CheckContext *c, const SudoFindings **ret);
void sudo_findings_done(SudoFindings *s);
/* Scans one sudoers text; files it includes (directories) are appended to *ret_includedirs. */
int sudoers_scan(const char *path, const char *text, SudoFindings *f, char ***ret_includedirs);

/* The effective value of an sshd_config keyword in ROOT/etc/ssh/sshd_config and the files it includes
 * (the first value wins, as sshd reads it; Match blocks are not evaluated). Returns 1 and the value
 * and the file it came from, 0 if not set anywhere, -ENOENT if there is no sshd_config. */
int probe_sshd_option(CheckContext *c, const char *keyword, char **ret_value, char **ret_source);

/* ---- live state (probe-live.c) ---- */

/* netlink audit socket, opened once; -EPERM without CAP_AUDIT_CONTROL. */
int probe_audit_fd(CheckContext *c, int *ret);
/* The audit status (enabled, failure, backlog_limit, rate_limit), read once when the socket opens. */
int probe_audit_status(CheckContext *c, unsigned *ret_enabled, unsigned *ret_failure, unsigned *ret_backlog_limit,
                       unsigned *ret_rate_limit);
int probe_bus(CheckContext *c, sd_bus **ret);

/* A unit's property as text through sd-bus: booleans "yes"/"no", strings as they are, string lists
 * space-separated (with a leading "~" for deny lists), capability sets as names. */
int probe_unit_property(CheckContext *c, const char *unit, const char *interface, const char *property, char **ret);

/* The posture of the dm-verity device NAME through libcryptsetup (type, activation flags, root hash,
 * signature) and device-mapper (the target's status). Fills p; -EMEDIUMTYPE if NAME is not verity. */
int probe_verity(CheckContext *c, const char *name, BootPosture *p);

/* ---- /etc drift (probe-drift.c) ---- */

/* Reads the overlay upper dir (upper, below the root) against the lower layer lower (below the root;
 * NULL when it cannot be reached, as for a root lower under a live overlay: the overlay's own xattrs
 * decide then), and classifies every entry. Entries matching one of expected (fnmatch patterns
 * relative to /etc) are marked expected. Sorted by path. */
int drift_read(int root_fd, const char *upper, const char *lower, char *const *expected, DriftEntry **ret, size_t *ret_n);
/* The same with the lower layer as an open directory (-EBADF: it cannot be reached). */
int drift_read_at(int root_fd, const char *upper, int lower_fd, char *const *expected, DriftEntry **ret, size_t *ret_n);
