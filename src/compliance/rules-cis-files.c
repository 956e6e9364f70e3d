/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* [Benchmark] CIS=: owner, group and mode of the files the benchmark names (cron and at, the account
 * databases and their backups, the SSH server's configuration and host keys, the login banners, the
 * audit logs, configuration and tools), and of every log file below /var/log by the benchmark's table
 * of log names. */

#include <fcntl.h>
#include <fnmatch.h>
#include <sys/stat.h>

#include "compliance-rules.h"
#include "fs-util.h"
#include "path-util.h"

#define SRG_CM "SRG-OS-000480-GPOS-00227"

typedef enum FileNeed {
        FILE_OPTIONAL, /* judged if it is there */
        FILE_REQUIRED, /* missing fails */
        FILE_LOG_TREE, /* every file below, as the benchmark's table of log names says (log_specs) */
} FileNeed;

/* What a file must be: owned by owner, its group one of groups, no mode bit beyond max_mode. */
typedef struct FileSpec {
        const char *owner;  /* NULL: any */
        const char *groups; /* space-separated; NULL: any */
        mode_t max_mode;
        FileNeed need;
} FileSpec;

/* Each item is a path, or a glob in its last component (every file it matches). ComplianceAsCode:
 * file_owner_*, file_groupowner_*, file_permissions_* of each item (controls/cis_debian12.yml). */
static const ItemRef file_refs[] = {
        { "/boot/grub/grub.cfg", "1.4.2", NULL, NULL },
        { "/etc/crontab", "2.4.1.2", SRG_CM, NULL },
        { "/etc/cron.hourly", "2.4.1.3", SRG_CM, NULL },
        { "/etc/cron.daily", "2.4.1.4", SRG_CM, NULL },
        { "/etc/cron.weekly", "2.4.1.5", SRG_CM, NULL },
        { "/etc/cron.monthly", "2.4.1.6", SRG_CM, NULL },
        { "/etc/cron.d", "2.4.1.7", SRG_CM, NULL },
        { "/etc/cron.allow", "2.4.1.8", SRG_CM, NULL },
        { "/etc/cron.deny", "2.4.1.8", SRG_CM, NULL },
        { "/etc/at.allow", "2.4.2.1", NULL, NULL },
        { "/etc/at.deny", "2.4.2.1", NULL, NULL },
        { "/etc/ssh/sshd_config", "5.1.1", SRG_CM, NULL },
        { "/etc/ssh/sshd_config.d/*.conf", "5.1.1", SRG_CM, NULL },
        { "/etc/ssh/ssh_host_*_key", "5.1.2", SRG_CM, NULL },
        { "/etc/ssh/ssh_host_*_key.pub", "5.1.3", SRG_CM, NULL },
        { "/etc/motd", "1.6.4", NULL, NULL },
        { "/etc/issue", "1.6.5", NULL, NULL },
        { "/etc/issue.net", "1.6.6", NULL, NULL },
        { "/etc/passwd", "7.1.1", SRG_CM, NULL },
        { "/etc/passwd-", "7.1.2", SRG_CM, NULL },
        { "/etc/group", "7.1.3", SRG_CM, NULL },
        { "/etc/group-", "7.1.4", SRG_CM, NULL },
        { "/etc/shadow", "7.1.5", SRG_CM, NULL },
        { "/etc/shadow-", "7.1.6", SRG_CM, NULL },
        { "/etc/gshadow", "7.1.7", SRG_CM, NULL },
        { "/etc/gshadow-", "7.1.8", SRG_CM, NULL },
        { "/etc/shells", "7.1.9", NULL, NULL },
        { "/etc/security/opasswd", "7.1.10", "SRG-OS-000077-GPOS-00045", NULL },
        { "/etc/security/opasswd.old", "7.1.10", "SRG-OS-000077-GPOS-00045", NULL },
        /* Debian's auditd.conf: log_file = /var/log/audit/audit.log. */
        { "/var/log/audit", "6.2.4.4", NULL, NULL },
        { "/var/log/audit/*", "6.2.4.1 6.2.4.2 6.2.4.3", NULL, NULL },
        { "/etc/audit/*.conf", "6.2.4.5 6.2.4.6 6.2.4.7", NULL, NULL },
        { "/etc/audit/*.rules", "6.2.4.5 6.2.4.6 6.2.4.7", NULL, NULL },
        { "/etc/audit/rules.d/*.rules", "6.2.4.5 6.2.4.6 6.2.4.7", NULL, NULL },
        { "/etc/audit/plugins.d/*.conf", "6.2.4.5 6.2.4.6 6.2.4.7", NULL, NULL },
        { "/sbin/auditctl", "6.2.4.8 6.2.4.9 6.2.4.10", NULL, NULL },
        { "/sbin/aureport", "6.2.4.8 6.2.4.9 6.2.4.10", NULL, NULL },
        { "/sbin/ausearch", "6.2.4.8 6.2.4.9 6.2.4.10", NULL, NULL },
        { "/sbin/autrace", "6.2.4.8 6.2.4.9 6.2.4.10", NULL, NULL },
        { "/sbin/auditd", "6.2.4.8 6.2.4.9 6.2.4.10", NULL, NULL },
        { "/sbin/augenrules", "6.2.4.8 6.2.4.9 6.2.4.10", NULL, NULL },
        { "/var/log", "6.1.4.1", NULL, NULL },
};

static const FileSpec file_specs[] = {
        { "root", "root", 0600, FILE_OPTIONAL },          /* /boot/grub/grub.cfg (not there on other boot loaders) */
        { "root", "root", 0600, FILE_REQUIRED },          /* /etc/crontab */
        { "root", "root", 0700, FILE_REQUIRED },          /* /etc/cron.hourly */
        { "root", "root", 0700, FILE_REQUIRED },          /* /etc/cron.daily */
        { "root", "root", 0700, FILE_REQUIRED },          /* /etc/cron.weekly */
        { "root", "root", 0700, FILE_REQUIRED },          /* /etc/cron.monthly */
        { "root", "root", 0700, FILE_REQUIRED },          /* /etc/cron.d */
        { "root", "root crontab", 0640, FILE_REQUIRED },  /* /etc/cron.allow */
        { "root", "root crontab", 0640, FILE_OPTIONAL },  /* /etc/cron.deny */
        { "root", "root daemon", 0640, FILE_REQUIRED },   /* /etc/at.allow */
        { "root", "root daemon", 0640, FILE_OPTIONAL },   /* /etc/at.deny */
        { "root", "root", 0600, FILE_REQUIRED },          /* sshd_config */
        { "root", "root", 0600, FILE_OPTIONAL },          /* sshd_config.d */
        { "root", "root ssh_keys", 0600, FILE_OPTIONAL }, /* private host keys; 0640 with ssh_keys, below */
        { "root", "root", 0644, FILE_OPTIONAL },          /* public host keys */
        { "root", "root", 0644, FILE_OPTIONAL },          /* /etc/motd */
        { "root", "root", 0644, FILE_REQUIRED },          /* /etc/issue */
        { "root", "root", 0644, FILE_REQUIRED },          /* /etc/issue.net */
        { "root", "root", 0644, FILE_REQUIRED },          /* /etc/passwd */
        { "root", "root", 0644, FILE_OPTIONAL },          /* /etc/passwd- */
        { "root", "root", 0644, FILE_REQUIRED },          /* /etc/group */
        { "root", "root", 0644, FILE_OPTIONAL },          /* /etc/group- */
        { "root", "root shadow", 0640, FILE_REQUIRED },   /* /etc/shadow */
        { "root", "root shadow", 0640, FILE_OPTIONAL },   /* /etc/shadow- */
        { "root", "root shadow", 0640, FILE_REQUIRED },   /* /etc/gshadow */
        { "root", "root shadow", 0640, FILE_OPTIONAL },   /* /etc/gshadow- */
        { "root", "root", 0644, FILE_REQUIRED },          /* /etc/shells */
        { "root", "root", 0600, FILE_OPTIONAL },          /* /etc/security/opasswd */
        { "root", "root", 0600, FILE_OPTIONAL },          /* /etc/security/opasswd.old */
        { NULL, NULL, 0750, FILE_OPTIONAL },              /* the audit log directory */
        { "root", "root adm", 0640, FILE_OPTIONAL },      /* audit logs (auditd.conf's log_group) */
        { "root", "root", 0640, FILE_OPTIONAL },          /* auditd.conf, audisp and plugin configuration */
        { "root", "root", 0640, FILE_OPTIONAL },          /* audit.rules */
        { "root", "root", 0640, FILE_OPTIONAL },          /* rules.d */
        { "root", "root", 0640, FILE_OPTIONAL },          /* plugins.d */
        { "root", "root", 0755, FILE_OPTIONAL },          /* the audit tools */
        { "root", "root", 0755, FILE_OPTIONAL },
        { "root", "root", 0755, FILE_OPTIONAL },
        { "root", "root", 0755, FILE_OPTIONAL },
        { "root", "root", 0755, FILE_OPTIONAL },
        { "root", "root", 0755, FILE_OPTIONAL },
        { NULL, NULL, 0, FILE_LOG_TREE }, /* /var/log */
};

_Static_assert(ELEMENTSOF(file_refs) == ELEMENTSOF(file_specs), "one spec per item");

static const char *user_name(const Accounts *a, uid_t uid, char *buf, size_t n) {
        for (size_t i = 0; a && i < a->n_users; i++)
                if (a->users[i].uid == uid)
                        return a->users[i].name;
        snprintf(buf, n, "%u", (unsigned) uid);
        return buf;
}

static const char *group_name(const Accounts *a, gid_t gid, char *buf, size_t n) {
        for (size_t i = 0; a && i < a->n_groups; i++)
                if (a->groups[i].gid == gid)
                        return a->groups[i].name;
        snprintf(buf, n, "%u", (unsigned) gid);
        return buf;
}

static bool word_in(const char *words, const char *w) {
        size_t n = strlen(w);

        for (const char *p = words; p && *p;) {
                size_t k = strcspn(p, " ");

                if (k == n && strneq(p, w, n))
                        return true;
                p += k;
                p += strspn(p, " ");
        }
        return false;
}

/* A list of names as the evidence shows it: "root", or "{root adm}". */
static const char *word_set(CheckContext *c, const char *words) {
        return strchr(words, ' ') ? check_tmp(c, "{%s}", words) : words;
}

/* Judges one file: adds its evidence; returns 1 if it is as spec asks, 0 if not, or a negative errno. */
static int judge_file(CheckContext *c, ComplianceResult *x, const Accounts *a, const char *path, const FileSpec *spec,
                      char ***failed) {
        _cleanup_close_ int fd = open_in_root(c->root_fd, path, O_PATH | O_NOFOLLOW);
        char ub[16], gb[16];
        const char *owner, *group;
        mode_t mode, max = spec->max_mode;
        struct stat st;
        bool ok;
        int r;

        if (fd < 0 || fstat(fd, &st) < 0) {
                r = fd < 0 ? fd : negative_errno();
                if (r == -ENOMEM)
                        return r;
                r = result_evidence(x, path, "present",
                                    r == -ENOENT ? "missing" : check_tmp(c, "unreadable: %s", strerror(-r)));
                return r < 0 ? r : 0;
        }
        owner = user_name(a, st.st_uid, ub, sizeof ub);
        group = group_name(a, st.st_gid, gb, sizeof gb);
        mode = st.st_mode & 07777;
        /* A private host key may be readable by the ssh_keys group that ssh-keysign runs as. */
        if (streq(group, "ssh_keys") && max == 0600)
                max = 0640;
        ok = (!spec->owner || streq(owner, spec->owner)) && (!spec->groups || word_in(spec->groups, group)) &&
             (mode & ~max) == 0 && !S_ISLNK(st.st_mode);
        r = result_evidence(x, path,
                            check_tmp(c, "%s:%s, %04o or stricter", spec->owner ?: "any",
                                      spec->groups ? word_set(c, spec->groups) : "any", max),
                            S_ISLNK(st.st_mode) ? "a symbolic link" : check_tmp(c, "%s:%s, %04o", owner, group, mode));
        if (r < 0)
                return r;
        if (!ok && strv_extend(failed, path) < 0)
                return -ENOMEM;
        return ok;
}

/* ---- the log files (CIS 6.1.4.1) ---- */

/* The benchmark's table: by a log file's name, the mode bits it must not have, its owners and groups. */
static const struct {
        const char *patterns; /* space-separated shell patterns of the file's name; NULL: any other */
        mode_t deny;
        const char *owners, *groups;
} log_specs[] = {
        { "lastlog lastlog.* wtmp wtmp.* wtmp-* btmp btmp.* btmp-* README", 0113, "root", "root utmp" },
        { "secure auth.log syslog messages", 0137, "root syslog", "root adm" },
        { "SSSD sssd", 0117, "root SSSD", "root SSSD" },
        { "gdm gdm3", 0117, "root", "root gdm gdm3" },
        { "*.journal *.journal~", 0137, "root", "root systemd-journal" },
        { NULL, 0137, "root syslog", "root adm" },
};

#define LOG_FILES_MAX 100000U
#define LOG_DEPTH_MAX 16U
#define LOG_EVIDENCE_MAX 20U

typedef struct LogWalk {
        const Accounts *a;
        unsigned uid_min, files, bad;
} LogWalk;

static bool name_matches(const char *patterns, const char *name) {
        for (const char *p = patterns; *p;) {
                size_t k = strcspn(p, " ");
                char pattern[64];

                if (k < sizeof pattern) {
                        memcpy(pattern, p, k);
                        pattern[k] = '\0';
                        if (fnmatch(pattern, name, 0) == 0)
                                return true;
                }
                p += k;
                p += strspn(p, " ");
        }
        return false;
}

/* The benchmark's leeway for the other logs: a system account (below UID_MIN) may own its own logs
 * where the file's group lists no members, and that group may hold them too when it is no regular
 * user's primary group. */
static void log_leeway(const LogWalk *w, const struct stat *st, bool *owner_ok, bool *group_ok) {
        const GroupEntry *g = NULL;

        if (st->st_uid >= w->uid_min || !w->a)
                return;
        for (size_t i = 0; i < w->a->n_groups && !g; i++)
                if (w->a->groups[i].gid == st->st_gid)
                        g = w->a->groups + i;
        if (g && strv_length(g->members) > 0)
                return;
        *owner_ok = true;
        for (size_t i = 0; i < w->a->n_users; i++)
                if (w->a->users[i].gid == st->st_gid && w->a->users[i].uid >= w->uid_min)
                        return;
        *group_ok = true;
}

static int judge_log(CheckContext *c, ComplianceResult *x, LogWalk *w, const char *path, const struct stat *st) {
        const char *name = path_basename(path), *owner, *group;
        char ub[16], gb[16];
        size_t k = 0;
        bool owner_ok, group_ok;

        while (log_specs[k].patterns && !name_matches(log_specs[k].patterns, name))
                k++;
        owner = user_name(w->a, st->st_uid, ub, sizeof ub);
        group = group_name(w->a, st->st_gid, gb, sizeof gb);
        owner_ok = word_in(log_specs[k].owners, owner);
        group_ok = word_in(log_specs[k].groups, group);
        if (!log_specs[k].patterns && (!owner_ok || !group_ok))
                log_leeway(w, st, &owner_ok, &group_ok);
        w->files++;
        if (owner_ok && group_ok && (st->st_mode & log_specs[k].deny) == 0)
                return 0;
        if (w->bad++ >= LOG_EVIDENCE_MAX)
                return 0;
        return result_evidence(x, path,
                               check_tmp(c, "%s:%s, %04o or stricter", word_set(c, log_specs[k].owners),
                                         word_set(c, log_specs[k].groups), 0777 & ~log_specs[k].deny),
                               check_tmp(c, "%s:%s, %04o", owner, group, st->st_mode & 07777));
}

/* Every regular file below the directory at fd (path), not following symbolic links. */
static int walk_logs(CheckContext *c, ComplianceResult *x, LogWalk *w, int fd, const char *path, unsigned depth) {
        _cleanup_strv_free_ char **names = NULL;
        int r;

        if (depth > LOG_DEPTH_MAX)
                return -ELOOP;
        r = dir_fd_list(fd, NULL, NULL, PROBE_DIR_ENTRIES_MAX, false, &names);
        if (r < 0)
                return r;
        STRV_FOREACH(n, names) {
                _cleanup_free_ char *p = path_join(path, *n);
                struct stat st;

                if (!p)
                        return -ENOMEM;
                if (fstatat(fd, *n, &st, AT_SYMLINK_NOFOLLOW) < 0)
                        continue; /* gone since it was listed */
                if (S_ISDIR(st.st_mode)) {
                        _cleanup_close_ int sub = openat(fd, *n, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

                        if (sub < 0)
                                return -errno;
                        r = walk_logs(c, x, w, sub, p, depth + 1);
                } else if (S_ISREG(st.st_mode))
                        r = w->files >= LOG_FILES_MAX ? -E2BIG : judge_log(c, x, w, p, &st);
                else
                        r = 0;
                if (r < 0)
                        return r;
        }
        return 0;
}

static int check_log_files(CheckContext *c, ComplianceResult *x, const Accounts *a, const char *dir) {
        _cleanup_close_ int fd = open_in_root(c->root_fd, dir, O_RDONLY | O_DIRECTORY);
        LogWalk w = { .a = a };
        int r;

        if (fd == -ENOENT)
                return result_set(x, RULE_NOTAPPLICABLE, "%s does not exist", dir);
        if (fd < 0)
                return fd == -ENOMEM ? fd : result_errno(x, fd, dir);
        r = probe_uid_min(c, &w.uid_min);
        if (r < 0)
                return r;
        r = walk_logs(c, x, &w, fd, dir, 0);
        if (r == -ENOMEM)
                return r;
        if (r < 0)
                return result_errno(x, r, check_tmp(c, "the files below %s", dir));
        if (w.bad > 0)
                return result_set(x, RULE_FAIL, "%u of %u log files have a mode, owner or group too open%s", w.bad,
                                  w.files, w.bad > LOG_EVIDENCE_MAX ? " (the first ones listed)" : "");
        r = result_evidence(x, dir, "every log file as the benchmark's table of names allows",
                            check_tmp(c, "%u files", w.files));
        if (r < 0)
                return r;
        return result_set(x, RULE_PASS, "All %u log files below %s have their mode, owner and group", w.files, dir);
}

static int check_file_one(CheckContext *c, const ComplianceRule *rule, size_t i) {
        const ItemRef *ref = rule->items + i;
        const FileSpec *spec = file_specs + i;
        _cleanup_strv_free_ char **paths = NULL, **failed = NULL;
        _cleanup_free_ char *joined = NULL;
        const Accounts *a = NULL;
        ComplianceResult *x;
        size_t missing = 0, n;
        int r;

        r = check_begin(c, rule, ref->item, &x);
        if (r < 0)
                return r;
        if (probe_accounts(c, &a) < 0)
                a = NULL; /* ids shown as numbers */
        if (spec->need == FILE_LOG_TREE)
                return check_log_files(c, x, a, ref->item);
        if (strpbrk(ref->item, "*?[")) {
                _cleanup_free_ char *dir = strndup(ref->item, path_basename(ref->item) - ref->item);

                if (!dir)
                        return -ENOMEM;
                r = probe_list_dir(c, dir, probe_glob_filter, path_basename(ref->item), &paths);
                if (r == -ENOMEM)
                        return r;
                if (r < 0)
                        return result_errno(x, r, dir);
                if (!paths)
                        return result_set(x, RULE_NOTAPPLICABLE, "No file matches %s", ref->item);
        } else {
                struct stat st;
                _cleanup_close_ int fd = open_in_root(c->root_fd, ref->item, O_PATH | O_NOFOLLOW);

                if (fd == -ENOENT || (fd >= 0 && fstat(fd, &st) < 0 && errno == ENOENT)) {
                        if (spec->need == FILE_OPTIONAL)
                                return result_set(x, RULE_NOTAPPLICABLE, "%s does not exist", ref->item);
                        missing = 1;
                }
                r = strv_extend(&paths, ref->item);
                if (r < 0)
                        return r;
        }
        STRV_FOREACH(p, paths) {
                r = judge_file(c, x, a, *p, spec, &failed);
                if (r < 0)
                        return r;
        }
        n = strv_length(paths);
        if (missing)
                return result_set(x, RULE_FAIL, "%s is missing", ref->item);
        if (failed) {
                joined = strv_join(failed, " ");
                if (!joined)
                        return -ENOMEM;
                return result_set(x, RULE_FAIL, "Owner, group or mode too open: %s", joined);
        }
        if (!spec->owner)
                return result_set(x, RULE_PASS, "%s has mode %04o or stricter", paths[0], spec->max_mode);
        if (n == 1)
                return result_set(x, RULE_PASS, "%s is %s-owned with mode %04o or stricter", paths[0], spec->owner,
                                  spec->max_mode);
        return result_set(x, RULE_PASS, "%zu files match %s, each %s-owned with mode %04o or stricter", n, ref->item,
                          spec->owner, spec->max_mode);
}

static int check_file_access(CheckContext *c, const ComplianceRule *rule) {
        return check_cis_items(c, rule, check_file_one);
}

const ComplianceRule rule_cis_file_access = {
        .id = "hardenctl-cis-file-access",
        .title = "Configuration and account files have their owner, group and mode",
        .severity = SEVERITY_MEDIUM,
        .rationale =
                "Who can read the password hashes, change the scheduled jobs, the SSH server's configuration or its keys, or the banners decides who controls the host.",
        .nist = "CM-6 AC-6(1) AC-17",
        .remediation =
                "chown and chmod each file as the evidence expects (for example chown root:shadow /etc/shadow; chmod 0640 /etc/shadow; chmod 0700 /etc/cron.d), and create /etc/cron.allow and /etc/at.allow.",
        .check = check_file_access,
        .items = file_refs,
        .n_items = ELEMENTSOF(file_refs),
};
