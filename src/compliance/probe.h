/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <sys/types.h>

#include "audit-load.h"
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
        char *password; /* the second field: "x" when the hash is in /etc/shadow */
        char *home;
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

/* A socket listening beyond loopback: TCP in LISTEN, or UDP bound and not connected. */
typedef struct ListenSocket {
        const char *proto;  /* "tcp" or "udp" */
        const char *source; /* the socket table ("/proc/1/net/tcp6") */
        unsigned port;
        bool v6;
        char address[33]; /* the local address as the table prints it, hexadecimal */
} ListenSocket;

/* What the walk of the whole tree finds (probe_walk()). */
typedef enum WalkFinding {
        WALK_WW_FILES, /* world-writable regular files */
        WALK_WW_DIRS,  /* world-writable directories without the sticky bit */
        WALK_UNOWNED,  /* files whose owner or group the tree's passwd or group does not know */
        WALK_SUID,     /* SUID and SGID regular files where the bits count (not nosuid or noexec) */
        _WALK_FINDING_MAX,
} WalkFinding;

#define WALK_LIST_MAX 20U   /* paths kept of each finding */
#define WALK_SUID_MAX 4096U /* but of the SUID and SGID files, which audit rules name one by one */

typedef struct WalkResult {
        size_t n_entries;
        size_t count[_WALK_FINDING_MAX];
        StrvBuilder found[_WALK_FINDING_MAX]; /* the first WALK_LIST_MAX (WALK_SUID_MAX) of each, in walk order
                                               * (.l the list) */
} WalkResult;

/* A set of drop-in directories read once per check (probe_conf_texts()). */
typedef enum ConfSet {
        CONF_SYSCTL_D,   /* /etc, /run, /usr/local/lib, /usr/lib, /lib sysctl.d, as systemd-sysctl */
        CONF_MODPROBE_D, /* the same modprobe.d, as modprobe */
        _CONF_SET_MAX,
} ConfSet;

typedef struct ConfTexts {
        char **paths, **texts;
        int r;
        bool done;
} ConfTexts;

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
        AuditStatus audit_status; /* as read at open */

        struct audit_rule_data **audit_rules; /* the kernel's rule list */
        size_t n_audit_rules;
        int audit_rules_r;
        bool audit_rules_done;

        char **unit_links; /* the links of /etc/systemd/system's .wants and .requires directories */
        bool unit_links_done;

        Profile *boot_profile;    /* the tree's boot profile */
        char *boot_profile_error; /* why it is unusable (its first fatal problem), or NULL */
        int boot_profile_r;
        bool boot_profile_done;

        sd_bus *bus;
        int bus_r;
        bool bus_done;

        int usr_posture_r;
        bool usr_posture_done;

        ConfTexts conf[_CONF_SET_MAX];

        struct ProbeFile *files; /* what probe_read_file() read, once each */
        size_t n_files;
        size_t files_bytes;

        unsigned exec_dirs_mask; /* probe_executable()'s directories that exist, each once */
        bool exec_dirs_done;

        struct SysctlAssignment *sysctl_d; /* the assignments of conf[CONF_SYSCTL_D], in order */
        size_t n_sysctl_d;
        int sysctl_d_r;
        bool sysctl_d_done;

        WalkResult walk;
        int walk_r;
        bool walk_done;

        ListenSocket *listening; /* the sockets listening beyond loopback */
        size_t n_listening;
        int listening_r;
        bool listening_done;

        StrvBuilder scratch; /* strings of check_tmp(), freed after each rule */
} CheckContext;

/* The tree's boot profile (BOOT_PROFILE_PATH, what the boot's helpers enforce), loaded once, leniently,
 * as boot_profile_load_at() loads it; -ENOENT if the tree has none, -EBADMSG if it is unusable (the
 * boot then fails closed; c->boot_profile_error says why), or -ENOMEM. */
int probe_boot_profile(CheckContext *c, const Profile **ret);

/* root_fd is borrowed and must stay open; root is its path for messages. */
int check_context_init(CheckContext *c, const Profile *p, ComplianceReport *report, int root_fd, const char *root);
void check_context_done(CheckContext *c);

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
/* Each file is read once per check: a second read gets the first's text (or -ENOENT) again, the
 * rules of one check see one state of the tree. */
struct ProbeFile;
void probe_files_free(struct ProbeFile *f, size_t n);

/* The paths (DIR/NAME) of the entries of the directory dir below the root whose names filter accepts
 * (every one if filter is NULL), sorted; an empty list (NULL) if dir does not exist; -E2BIG if more than
 * PROBE_DIR_ENTRIES_MAX are accepted. */
/* A filter for probe_list_dir(): names that end in the suffix userdata points to (".conf") and have
 * something before it, hidden ones ('.') left out, as the readers of *.conf directories do. */
bool probe_suffix_filter(const char *name, const void *suffix);
/* Names the shell pattern userdata points to matches ("*.conf"; a leading '.' only by a '.'). */
bool probe_glob_filter(const char *name, const void *pattern);
int probe_list_dir(CheckContext *c, const char *dir, bool (*filter)(const char *name, const void *userdata),
                   const void *userdata, char ***ret);

/* A file's first line, stripped, such as a /proc/sys or /sys value. */
int probe_read_line(CheckContext *c, const char *path, char **ret);

/* The value of a sysctl ("kernel.kptr_restrict") from ROOT/proc/sys, with runs of whitespace collapsed
 * to one space, and the path it was read from. */
int probe_sysctl(CheckContext *c, const char *name, char **ret_value, char **ret_path);

/* ---- the kernel command line (probe-cmdline.c) ---- */

/* ROOT/proc/cmdline, cached. The returned string is owned by the context. */
int probe_cmdline(CheckContext *c, const char **ret);

/* Whether the command line has word ("quiet") or assignment ("init_on_alloc=1"): the last assignment of
 * a key counts, as the kernel and systemd read it. Returns 1/0, and *ret_actual the last value seen
 * for the key ("" for a bare word), or NULL. */
int cmdline_has(const char *cmdline, const char *want, char **ret_actual);

/* The command line of the next boot, where the tree keeps it: kernel-install's /etc/kernel/cmdline, or
 * what grub-mkconfig makes of /etc/default/grub and its grub.d/\*.cfg (sourced as shell in that order:
 * the last assignment counts, $GRUB_CMDLINE_LINUX expanded). word must be in GRUB_CMDLINE_LINUX, which
 * every entry boots with, or in GRUB_CMDLINE_LINUX_DEFAULT with GRUB_DISABLE_RECOVERY=true. Adds what
 * was read to x as evidence; returns 1 if word is on it, 0 if not, -ENOENT if the tree keeps none, or
 * -ENOMEM. */
int result_next_boot_cmdline(CheckContext *c, ComplianceResult *x, const char *word);

/* The verdict on words (n of them, named what in the messages: "audit=1") that must be on the kernel
 * command line: on the next boot's (result_next_boot_cmdline()) and, where there is one, the running
 * kernel's. Where the tree keeps no command line the running one decides; an offline tree with neither
 * is not checked. */
int result_cmdline_words(CheckContext *c, ComplianceResult *x, const char *const *words, size_t n, const char *what);

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
/* Adds a "/var/lib/dpkg/status" evidence for each of the n packages ("NAME installed": "NAME VERSION" or
 * "not installed"). Returns 1 if all are installed, 0 if not, or a negative errno (the status file's,
 * which the caller reports). */
int result_packages_installed(CheckContext *c, ComplianceResult *x, const char *const *packages, size_t n);
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

/* A global "Defaults" option of sudoers: its value ("" for a flag, "!" for a negated one) and where. */
typedef struct SudoDefault {
        char *value;
        char *source; /* FILE:LINE */
} SudoDefault;

/* Applies one sudoers text's global Defaults lines for option to *d: the last one wins, as sudo
 * reads them (logical lines joined at '\', options separated by ',', quoted values). */
int sudoers_defaults_get(const char *path, const char *text, const char *option, SudoDefault *d);
void sudo_default_done(SudoDefault *d);
/* The global Defaults value of option across every sudoers file of f (from probe_sudoers()). */
int probe_sudo_default(CheckContext *c, const SudoFindings *f, const char *option, SudoDefault *d);

/* The effective value of an sshd_config keyword in ROOT/etc/ssh/sshd_config and the files it includes
 * (the first value wins, as sshd reads it; Match blocks are not evaluated). Returns 1 and the value
 * and the file it came from, 0 if not set anywhere, -ENOENT if there is no sshd_config. */
int probe_sshd_option(CheckContext *c, const char *keyword, char **ret_value, char **ret_source);

/* One line of the SSH server's configuration, in the order sshd reads them (Include expanded where it
 * stands). */
typedef struct SshdEntry {
        char *keyword; /* as written */
        char *value;   /* the rest of the line, whitespace collapsed */
        char *source;  /* FILE:LINE */
        char *match;   /* "Match CRITERIA (FILE:LINE)" of the block it is in, or NULL for every connection */
} SshdEntry;

typedef struct SshdConfig {
        SshdEntry *entries;
        size_t n;
} SshdConfig;

/* Every setting of ROOT/etc/ssh/sshd_config and the files it includes: a Match block lasts until the
 * next Match or the end of its file ("Match all" ends it), as sshd reads them. -ENOENT without
 * sshd_config. */
int probe_sshd_config(CheckContext *c, SshdConfig *ret);
void sshd_config_done(SshdConfig *s);
/* The setting that applies to every connection: the first one outside Match blocks (keywords compare
 * case-insensitively), or NULL, when sshd's default applies. */
const SshdEntry *sshd_config_get(const SshdConfig *s, const char *keyword) _pure_;

/* ---- live state (probe-live.c) ---- */

/* netlink audit socket, opened once; -EPERM without CAP_AUDIT_CONTROL. */
int probe_audit_fd(CheckContext *c, int *ret);
/* The audit status, read once when the socket opens. */
int probe_audit_status(CheckContext *c, AuditStatus *ret);
/* Every rule the kernel has loaded, listed once (-EREMOTE offline). */
int probe_audit_rules(CheckContext *c, struct audit_rule_data *const **ret, size_t *ret_n);
int probe_bus(CheckContext *c, sd_bus **ret);

/* A unit's property as text through sd-bus: booleans "yes"/"no", strings as they are, string lists
 * space-separated (with a leading "~" for deny lists), capability sets as names. */
int probe_unit_property(CheckContext *c, const char *unit, const char *interface, const char *property, char **ret);

/* Whether unit is enabled in the tree, as systemctl enable leaves it: the path of its link in one of
 * the /etc/systemd/system/UNIT.wants or .requires directories (the string lives until the end of the
 * rule, as check_tmp()'s), or NULL; never when it is masked, its unit file in /etc/systemd/system a
 * link to /dev/null (probe_unit_masked()). */
const char *probe_unit_enabled(CheckContext *c, const char *unit);
bool probe_unit_masked(CheckContext *c, const char *unit);

/* The verdict on a unit found installed and enabled: pass if it is active (its ActiveState, as evidence),
 * fail if not; offline, pass with a message that says what was not checked. */
int result_unit_active(CheckContext *c, ComplianceResult *x, const char *unit);

/* The posture of the dm-verity device NAME through libcryptsetup (type, activation flags, root hash,
 * signature) and device-mapper (the target's status). Fills p; -EMEDIUMTYPE if NAME is not verity. */
int probe_verity(CheckContext *c, const char *name, BootPosture *p);

/* ---- the network (probe-net.c) ---- */

/* The sockets listening on an address but loopback (127.0.0.0/8, ::1, ::ffff:127.0.0.0/104), from the
 * socket tables of PID 1's network namespace, read once per check. The v6 tables may be missing
 * (no IPv6); the error reading the others, otherwise. */
int probe_listening(CheckContext *c, const ListenSocket **ret, size_t *ret_n);

/* Finds the firewall rule for one listening socket: returns 1 and where it is (*ret_source) and what it
 * says (*ret_actual), or 0; *ret_expected always, the rule wanted (strings that live as check_tmp()'s). */
typedef int (*port_rule_t)(CheckContext *c, const ListenSocket *s, const void *userdata, const char **ret_expected,
                           const char **ret_source, const char **ret_actual);
/* A firewall rule for every port listening beyond loopback (of family AF_INET or AF_INET6, or both with
 * AF_UNSPEC), each protocol and port once: one evidence each, and how many ports there are and how many
 * have no rule. Returns 0; 1 with the result set when the sockets cannot be read; or -ENOMEM. */
int result_port_rules(CheckContext *c, ComplianceResult *x, int family, port_rule_t find, const void *userdata,
                      unsigned *ret_missing, unsigned *ret_ports);

/* Whether a list of ports as firewalls write them ("22", "80,443", "8000:8100,9000") holds port. Anything
 * else ("any", a service name) holds none. */
bool port_list_has(const char *list, unsigned port) _pure_;

/* ---- the walk of the whole tree (probe-walk.c) ---- */

/* Walks the tree once per check: every directory but those of pseudo and network file systems, no
 * symbolic link followed. Returns what it found, or the error that stopped it. */
int probe_walk(CheckContext *c, const WalkResult **ret);
void walk_result_done(WalkResult *r);

/* ---- IPE's audit records (probe-ipe.c) ---- */

typedef struct IpeCount {
        char *name;
        unsigned count;
} IpeCount;

typedef struct IpeDenials {
        unsigned total;      /* executions refused by a DENY rule (or, with enforcing=0, that would have been) */
        unsigned audit_only; /* of those, with enforcement off: the program ran */
        IpeCount *by_path;   /* most first, then by name; at most 1024 names */
        size_t n_by_path;
        IpeCount *by_comm;
        size_t n_by_comm;
} IpeDenials;

void ipe_denials_done(IpeDenials *d);

/* The denials in an audit log's text (records of type 1420, which auditd 4.0 prints as UNKNOWN[1420])
 * stamped at or after since (seconds since the epoch). */
int ipe_denials_parse(const char *text, uint64_t since, IpeDenials *ret);

/* The same for ROOT/var/log/audit/audit.log, since the kernel booted (btime of ROOT/proc/stat, else all
 * of it); *ret_source names the log. */
int probe_ipe_denials(CheckContext *c, IpeDenials *ret, const char **ret_source);

/* ---- /etc drift (probe-drift.c) ---- */

/* Reads the overlay upper dir (upper, below the root) against the lower layer lower (below the root;
 * NULL when it cannot be reached, as for a root lower under a live overlay: the overlay's own xattrs
 * decide then), and classifies every entry. Entries matching one of expected (fnmatch patterns
 * relative to /etc) are marked expected. Sorted by path. */
int drift_read(int root_fd, const char *upper, const char *lower, char *const *expected, DriftEntry **ret, size_t *ret_n);
/* The same with the lower layer as an open directory (-EBADF: it cannot be reached). */
int drift_read_at(int root_fd, const char *upper, int lower_fd, char *const *expected, DriftEntry **ret, size_t *ret_n);

/* ---- drop-in configuration (probe-conf.c) ---- */

/* The *SUFFIX files of n_dirs directories (highest priority first) as systemd and kmod take them: a
 * file name in an earlier directory hides the same name in later ones (a link to /dev/null masks it,
 * since the bounded reader opens no device), and the list is sorted by file name, the order the files
 * are applied in. */
int probe_conf_files(CheckContext *c, const char *const *dirs, size_t n_dirs, const char *suffix, char ***ret);

/* The files of a drop-in set, in the order their owner applies them (probe_conf_files()), and their
 * texts, read once per check; unreadable ones (a mask to /dev/null) left out. Owned by the context. */
int probe_conf_texts(CheckContext *c, ConfSet set, char *const **ret_paths, char *const **ret_texts);
void conf_texts_done(ConfTexts *t);

/* A setting of a systemd daemon's configuration (name "journald": the first journald.conf of
 * /etc/systemd, /run/systemd, /usr/local/lib/systemd and /usr/lib/systemd, then the drop-ins of
 * journald.conf.d in those directories in the order of their names), as the daemon reads it: the last
 * "KEY=VALUE" in [section] wins, its value whole (blanks trimmed, continuation lines joined, '#' a
 * comment only where a line starts with it), and an empty one resets the key. *ret_value and
 * *ret_source (FILE:LINE) are NULL when none sets it. Returns 0, or a negative errno listing the
 * drop-ins. */
int probe_systemd_conf(CheckContext *c, const char *name, const char *section, const char *key, char **ret_value,
                       char **ret_source);

/* What sysctl.d sets for one sysctl: the value of the assignment that wins and where it is
 * ("/etc/sysctl.d/60-x.conf:3"), or both NULL. */
typedef struct SysctlSource {
        char *value;
        char *source;
        bool glob; /* set by a glob pattern ("net.ipv4.conf.*.rp_filter") */
} SysctlSource;

void sysctl_source_done(SysctlSource *s);

/* One assignment of a sysctl.d file: the name normalized (dotted; a glob pattern if glob), where it is. */
typedef struct SysctlAssignment {
        char *key;
        char *value;
        const char *path; /* borrowed from the check's ConfTexts */
        unsigned line;
        bool glob;
} SysctlAssignment;

void sysctl_assignments_free(SysctlAssignment *a, size_t n);
/* Applies one sysctl.d file's assignments to name (canonical, dotted) to *s: the last one wins, an
 * explicit one over any glob, "-" prefixes ignored, as systemd-sysctl reads them. */
int sysctl_d_scan(const char *path, const char *text, const char *name, SysctlSource *s);
/* The files of /etc, /run, /usr/local/lib, /usr/lib and /lib sysctl.d scanned for name
 * (probe_conf_texts()). */
int probe_sysctl_d(CheckContext *c, const char *name, SysctlSource *ret);

/* What modprobe.d says of one module, as modprobe applies it: the first "install" command whose module
 * pattern matches (the one modprobe runs) and the first blacklist entry, each with its FILE:LINE. */
typedef struct ModprobeVerdict {
        char *blacklist;      /* FILE:LINE, or NULL */
        char *install;        /* the command, or NULL */
        char *install_source; /* FILE:LINE */
} ModprobeVerdict;

void modprobe_verdict_done(ModprobeVerdict *v);
/* Applies one modprobe.d file (logical lines joined at '\', '#' comments, names with '-' and '_' alike,
 * patterns as fnmatch()) to *v for module. */
int modprobe_scan(const char *path, const char *text, const char *module, ModprobeVerdict *v);
/* Whether an install command refuses the module: nothing but false or true (a command that goes on to
 * load it, "/bin/true; modprobe --ignore-install x", does not). */
bool modprobe_install_refuses(const char *command);


/* ---- password aging and logins (probe-login.c) ---- */

/* The value of KEY in a login.defs(5) text ("KEY VALUE"; the first assignment counts, as the shadow
 * tools read it): returns 1 and the value and its line, 0 if not set. */
int login_defs_get(const char *text, const char *key, char **ret_value, unsigned *ret_line);

/* UID_MIN of ROOT/etc/login.defs, where regular users' ids begin (1000 where it is not set). */
int probe_uid_min(CheckContext *c, unsigned *ret);

typedef struct ShadowEntry {
        char *name;
        char *hash; /* "" (no password), "!…" or "*" (locked), or a crypt(3) hash */
        long last_change, min_days, max_days, warn_days, inactive_days; /* days; -1 when empty */
} ShadowEntry;

/* Parses /etc/shadow: every line of at least 8 fields with a name. */
int shadow_parse(const char *text, ShadowEntry **ret, size_t *ret_n);
void shadow_entries_free(ShadowEntry *e, size_t n);
bool shadow_hash_locked(const char *hash) _pure_;

/* The shells /etc/shells lists (absolute paths; comments and blank lines skipped). */
int shells_parse(const char *text, char ***ret);

/* ---- PAM (probe-pam.c) ---- */

typedef struct PamLine {
        char *source;  /* FILE:LINE */
        char *type;    /* auth, account, password, session (a leading '-' dropped), or "@include" */
        char *control; /* "required", "[success=1 default=ignore]", … */
        char *module;  /* as written: "pam_unix.so" or a path */
        char **args;
} PamLine;

typedef struct PamStack {
        PamLine *lines;
        size_t n;
} PamStack;

void pam_stack_done(PamStack *s);
/* Parses one /etc/pam.d file, appending its lines to *s; the file names of its @include lines are
 * appended to *ret_includes, in order, and stay as "@include" lines where they stand. */
int pam_parse(const char *path, const char *text, PamStack *s, char ***ret_includes);
/* The stack of ROOT/etc/pam.d/SERVICE with every @include expanded where it stands, as libpam reads it. */
int probe_pam_stack(CheckContext *c, const char *service, PamStack *ret);
/* Whether l is a line of type for module (compared without its directory: "pam_unix.so"). */
bool pam_line_is(const PamLine *l, const char *type, const char *module) _pure_;
/* The value of argument name= of l ("" for a bare flag), or NULL. */
const char *pam_line_arg(const PamLine *l, const char *name) _pure_;
/* The value of key in a module's settings file ("key = value", or a bare flag as ""; the last one
 * counts): returns 1, the value and its line; 0 if not set. */
int pam_conf_get(const char *text, const char *key, char **ret_value, unsigned *ret_line);
