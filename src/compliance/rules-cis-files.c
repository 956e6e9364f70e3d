/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* [Benchmark] CIS=: owner, group and mode of the files the benchmark names (cron and at, the account
 * databases and their backups, the SSH server's configuration and host keys, the login banners, the
 * audit logs, configuration and tools). */

#include <fcntl.h>
#include <sys/stat.h>

#include "compliance-rules.h"
#include "fs-util.h"
#include "path-util.h"

#define SRG_CM "SRG-OS-000480-GPOS-00227"

typedef enum FileNeed {
        FILE_OPTIONAL, /* judged if it is there */
        FILE_REQUIRED, /* missing fails */
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
                                      !spec->groups             ? "any" :
                                      strchr(spec->groups, ' ') ? check_tmp(c, "{%s}", spec->groups) :
                                                                  spec->groups,
                                      max),
                            S_ISLNK(st.st_mode) ? "a symbolic link" : check_tmp(c, "%s:%s, %04o", owner, group, mode));
        if (r < 0)
                return r;
        if (!ok && strv_extend(failed, path) < 0)
                return -ENOMEM;
        return ok;
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
