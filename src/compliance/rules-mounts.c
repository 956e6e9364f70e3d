/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* The [Mounts] section's rules: the options of mount points, and directories that are mounts of their own. */

#include <libmount.h>

#include "compliance-rules.h"

/* Begins the result of a rule about the mount that holds path. Returns 1 and the result and the mount
 * (*ret_exact: mounted on path itself); 0 when the mount table cannot be read, with the result
 * recorded; or a negative errno. */
static int mount_begin(CheckContext *c, const ComplianceRule *rule, const char *instance, const char *path,
                       ComplianceResult **ret, struct libmnt_fs **ret_fs, bool *ret_exact) {
        ComplianceResult *x;
        int r;

        r = check_begin(c, rule, instance, &x);
        if (r < 0)
                return r;
        *ret = x;
        r = probe_mount_for_path(c, path, ret_fs, ret_exact);
        if (r == -ENOENT && !c->live)
                return result_offline(x, "The mount table");
        if (r < 0)
                return result_errno(x, r, "/proc/self/mountinfo");
        return 1;
}

static int check_mount_option(CheckContext *c, const ComplianceRule *rule, const char *path, const char *opt) {
        _cleanup_free_ char *inst = strprintf("%s %s", path, opt);
        ComplianceResult *x;
        struct libmnt_fs *fs;
        bool exact;
        int r;

        if (!inst)
                return -ENOMEM;
        r = mount_begin(c, rule, inst, path, &x, &fs, &exact);
        if (r <= 0)
                return r;
        r = result_evidence(x, c->mounts_source, opt,
                            check_tmp(c, "%s on %s: %s", strna(mnt_fs_get_fstype(fs)), strna(mnt_fs_get_target(fs)),
                                      strna(mnt_fs_get_vfs_options(fs))));
        if (r < 0)
                return r;
        if (mount_has_option(fs, opt))
                return result_set(x, RULE_PASS, "%s is mounted %s%s", path, opt,
                                  exact ? "" : check_tmp(c, " (through %s)", mnt_fs_get_target(fs)));
        return result_set(x, RULE_FAIL, "%s is not mounted %s%s", path, opt,
                          exact ? "" : check_tmp(c, " (it is part of %s)", mnt_fs_get_target(fs)));
}

/* One result per option: entry is "PATH OPTION,OPTION…". */
static int check_mount_options_entry(CheckContext *c, const ComplianceRule *rule, const char *entry) {
        _cleanup_free_ char *path = NULL;
        const char *opts = strchr(entry, ' ');
        int r;

        if (!opts)
                return 0;
        path = strndup(entry, opts - entry);
        if (!path)
                return -ENOMEM;
        for (const char *o = opts + 1; *o;) {
                size_t n = strcspn(o, ",");
                _cleanup_free_ char *opt = strndup(o, n);

                o += n + (o[n] == ',');
                if (!opt)
                        return -ENOMEM;
                r = check_mount_option(c, rule, path, opt);
                if (r < 0)
                        return r;
        }
        return 0;
}

static int check_mount_options(CheckContext *c, const ComplianceRule *rule) {
        return check_each(c, rule, c->profile->mounts.options, check_mount_options_entry);
}

static int check_mount_separate_one(CheckContext *c, const ComplianceRule *rule, const char *path) {
        ComplianceResult *x;
        struct libmnt_fs *fs;
        bool exact;
        int r;

        r = mount_begin(c, rule, path, path, &x, &fs, &exact);
        if (r <= 0)
                return r;
        r = result_evidence(x, c->mounts_source, check_tmp(c, "a mount on %s", path),
                            check_tmp(c, "%s on %s", strna(mnt_fs_get_source(fs)), strna(mnt_fs_get_target(fs))));
        if (r < 0)
                return r;
        return result_set(x, exact ? RULE_PASS : RULE_FAIL,
                          exact ? "%s is a mount of its own" : "%s is not a mount of its own", path);
}

static int check_mount_separate(CheckContext *c, const ComplianceRule *rule) {
        return check_each(c, rule, c->profile->mounts.separate, check_mount_separate_one);
}

/* ---- the rules ---- */

const ComplianceRule rule_mount_options = {
        /* ComplianceAsCode: mount_option_tmp_nodev, mount_option_tmp_noexec; CIS 1.1.2.x per item. */
        .id = "hardenctl-mount-options",
        .title = "Mount points carry the options the profile asks for",
        .severity = SEVERITY_MEDIUM,
        .rationale =
                "nodev, nosuid and noexec on writable file systems stop device nodes, set-id programs and executables planted there.",
        .srg = "SRG-OS-000368-GPOS-00154",
        .nist = "CM-7(a) CM-7(b) CM-6(a) AC-6 AC-6(1) MP-7",
        .remediation = "Add the options to the mount (fstab or mount unit Options=) and remount.",
        .check = check_mount_options,
};

const ComplianceRule rule_mount_separate = {
        /* ComplianceAsCode: partition_for_var; CIS 1.1.2.x per item. */
        .id = "hardenctl-mount-separate",
        .title = "Directories are mounts of their own",
        .severity = SEVERITY_LOW,
        .rationale =
                "Separate file systems keep logs and temporary files from filling the root file system, and allow their own mount options.",
        .srg = "SRG-OS-000480-GPOS-00227",
        .nist = "CM-6(a) SC-5(2)",
        .remediation = "Give the directory its own partition, volume or tmpfs.",
        .check = check_mount_separate,
};
