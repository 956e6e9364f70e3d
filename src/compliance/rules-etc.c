/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* The [Etc] section's rules: /etc as a volatile overlay over the lower layer the profile names, the files
 * it keeps, and its drift since boot. What is read of /etc fills the boot posture of the report. */

#include <fcntl.h>
#include <libmount.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/xattr.h>

#include "compliance-rules.h"
#include "fs-util.h"
#include "label-util.h"

#define ETC_OVERLAY_DIR "/run/hardenctl/etc"
#define ETC_UPPER_DIR ETC_OVERLAY_DIR "/upper"
#define FACTORY_ETC_DEFAULT "/usr/share/factory/etc"

static int posture_read_etc(CheckContext *c, struct libmnt_fs **ret_fs) {
        BootPosture *p = &c->report->posture;
        struct libmnt_fs *fs;
        const char *fstype, *opts;
        bool exact;
        int r;

        r = probe_mount_for_path(c, "/etc", &fs, &exact);
        if (r < 0)
                return r;
        *ret_fs = fs;
        fstype = mnt_fs_get_fstype(fs);
        opts = mnt_fs_get_fs_options(fs);
        if (!exact || !fstype || !streq(fstype, "overlay") || !opts)
                return 0;
        /* Read once per check, whichever of the two the overlay names (a read-only overlay has no upper
         * dir, and its lower dirs must not be read again over the first copy). */
        if (!p->etc_read) {
                char *v = NULL;
                size_t n = 0;

                if (mnt_optstr_get_option(opts, "upperdir", &v, &n) == 0 && !(p->etc_upper = strndup(v, n)))
                        return -ENOMEM;
                if (mnt_optstr_get_option(opts, "lowerdir", &v, &n) == 0 && !(p->etc_lower = strndup(v, n)))
                        return -ENOMEM;
                p->etc_read = true;
        }
        p->etc_overlay = p->etc_upper && startswith(p->etc_upper, ETC_OVERLAY_DIR "/");
        return 1;
}

/* Begins the result of a rule about the mount on /etc. Returns 1 and the result and the mount when
 * there is one to judge; 0 when it cannot be told, with the result recorded; or a negative errno. */
static int etc_mount_begin(CheckContext *c, const ComplianceRule *rule, ComplianceResult **ret,
                           struct libmnt_fs **ret_fs) {
        ComplianceResult *x;
        int r;

        r = check_begin(c, rule, NULL, &x);
        if (r < 0)
                return r;
        *ret = x;
        r = posture_read_etc(c, ret_fs);
        if (r >= 0 && mounts_from_fstab(c))
                return result_set(x, RULE_NOTCHECKED,
                                  "The /etc overlay is set up at boot by the initrd, not by the tree's /etc/fstab");
        if (r == -ENOENT && !c->live)
                return result_offline(x, "The mount table");
        if (r < 0)
                return result_errno(x, r, "/proc/self/mountinfo");
        return 1;
}

static int check_etc_overlay(CheckContext *c, const ComplianceRule *rule) {
        const ProfileEtc *e = &c->profile->etc;
        BootPosture *p = &c->report->posture;
        ComplianceResult *x;
        struct libmnt_fs *fs;
        int r;

        if (e->overlay < 0)
                return 0;
        r = etc_mount_begin(c, rule, &x, &fs);
        if (r <= 0)
                return r;
        r = result_evidence(x, "/proc/self/mountinfo",
                            e->overlay == ETC_OVERLAY_TMPFS ? "overlay on /etc, upper dir below " ETC_OVERLAY_DIR :
                                                              "no overlay on /etc",
                            check_tmp(c, "%s on %s%s%s", strna(mnt_fs_get_fstype(fs)), strna(mnt_fs_get_target(fs)),
                                      p->etc_upper ? ", upperdir=" : "", strempty(p->etc_upper)));
        if (r < 0)
                return r;
        if (e->overlay == ETC_OVERLAY_OFF)
                return result_set(x, p->etc_overlay ? RULE_FAIL : RULE_PASS,
                                  p->etc_overlay ? "/etc is an overlay, but the profile says Overlay=off" :
                                                   "/etc is not an overlay");
        if (!p->etc_overlay)
                return result_set(x, RULE_FAIL, "/etc is persistent: run-time changes survive a reboot");
        if (e->size_bytes != NUMBER_UNSET || e->size_percent > 0) {
                struct libmnt_fs *t = NULL;

                if (probe_mount_for_path(c, ETC_OVERLAY_DIR, &t, NULL) >= 0) {
                        r = result_evidence(x, "/proc/self/mountinfo", "tmpfs at " ETC_OVERLAY_DIR,
                                            check_tmp(c, "%s on %s (%s)", strna(mnt_fs_get_fstype(t)),
                                                      strna(mnt_fs_get_target(t)), strna(mnt_fs_get_fs_options(t))));
                        if (r < 0)
                                return r;
                }
        }
        return result_set(x, RULE_PASS, "/etc is a volatile overlay (upper dir %s)", p->etc_upper);
}

static const char *etc_lower_wanted(const ProfileEtc *e) {
        return e->lower == ETC_LOWER_FACTORY ? (e->factory_directory ?: FACTORY_ETC_DEFAULT) : "/etc";
}

static int check_etc_lower(CheckContext *c, const ComplianceRule *rule) {
        const ProfileEtc *e = &c->profile->etc;
        BootPosture *p = &c->report->posture;
        const char *want = etc_lower_wanted(e);
        ComplianceResult *x;
        struct libmnt_fs *fs;
        int r;

        if (e->lower < 0 || e->overlay != ETC_OVERLAY_TMPFS)
                return 0;
        r = etc_mount_begin(c, rule, &x, &fs);
        if (r <= 0)
                return r;
        if (!p->etc_overlay)
                return result_set(x, RULE_FAIL, "/etc is not an overlay");
        /* Mounted from the initrd, the lower dir is named below /sysroot; with Persist= the persist
         * directory is stacked on it, so the bottom layer (the last of lowerdir=) is the one that says. */
        r = result_evidence(x, "/proc/self/mountinfo lowerdir=", want, p->etc_lower);
        if (r < 0)
                return r;
        const char *bottom = p->etc_lower ? strrchr(p->etc_lower, ':') : NULL;
        bottom = bottom ? bottom + 1 : p->etc_lower;
        if (bottom && (streq(bottom, want) || (startswith(bottom, "/sysroot") && streq(bottom + 8, want))))
                return result_set(x, RULE_PASS, "The lower layer of /etc is %s", want);
        return result_set(x, RULE_FAIL, "The lower layer of /etc is %s, not %s", strna(p->etc_lower), want);
}

static int check_etc_persist_one(CheckContext *c, const ComplianceRule *rule, const char *path) {
        _cleanup_free_ char *full = strprintf("/etc/%s", path), *content = NULL;
        ComplianceResult *x;
        int r, k;

        r = check_begin(c, rule, path, &x);
        if (r < 0)
                return r;
        if (!full)
                return -ENOMEM;
        r = probe_read_file(c, full, 0, &content);
        if (r == -EISDIR)
                r = 0;
        k = result_evidence(x, full, "present", r >= 0 ? "present" : r == -ENOENT ? "missing" : "unreadable");
        if (k < 0)
                return k;
        if (r == -ENOENT)
                return result_set(x, RULE_FAIL, "%s is missing: it did not persist", full);
        if (r < 0)
                return result_errno(x, r, full);
        return result_set(x, RULE_PASS, "%s is present", full);
}

static int check_etc_persist(CheckContext *c, const ComplianceRule *rule) {
        return check_each(c, rule, c->profile->etc.persist, check_etc_persist_one);
}

/* The root file system's own /etc, which the running system's overlay hides (Lower=root): a clone of the
 * root mount alone, without the mounts on it, shows it. -EBADF if it cannot be had (no privilege, or a
 * kernel without open_tree()): drift is then told by the overlay's own marks. */
static int etc_lower_root_open(int root_fd) {
        _cleanup_close_ int tree = open_tree(root_fd, "", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_EMPTY_PATH);

        if (tree < 0)
                return -EBADF;
        return openat(tree, "etc", O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
}

/* A metadata-only entry that is no change at all: the upper copy has the lower entry's content, mode,
 * owner and SELinux label. What the boot's tmpfiles and relabelling copy up (an "L+" symlink made again
 * with the same target, a "z" line) looks like that. */
static bool copied_up_unchanged(const DriftEntry *d, int upper_fd, int lower_fd) {
        char ul[256], ll[256], up[64], lp[64];
        _cleanup_close_ int u = -EBADF, l = -EBADF;
        struct stat st;
        ssize_t un, ln;

        if (d->kind != DRIFT_METADATA_ONLY || d->type == 'd' || upper_fd < 0 || lower_fd < 0)
                return false;
        u = open_beneath(upper_fd, d->path, O_PATH | O_NOFOLLOW);
        l = open_beneath(lower_fd, d->path, O_PATH | O_NOFOLLOW);
        if (u < 0 || l < 0 || fstat(l, &st) < 0)
                return false;
        if ((st.st_mode & 07777) != d->mode || st.st_uid != d->uid || st.st_gid != d->gid)
                return false;
        /* O_PATH descriptors take no fgetxattr(); their /proc links do, and lead to the entry itself
         * (a symlink, too, is not followed past it). */
        snprintf(up, sizeof(up), "/proc/self/fd/%d", u);
        snprintf(lp, sizeof(lp), "/proc/self/fd/%d", l);
        un = getxattr(up, SELINUX_XATTR, ul, sizeof(ul));
        ln = getxattr(lp, SELINUX_XATTR, ll, sizeof(ll));
        if (un < 0 && ln < 0)
                return errno == ENODATA || errno == EOPNOTSUPP;
        return un == ln && memcmp(ul, ll, (size_t) un) == 0;
}

static int check_etc_drift(CheckContext *c, const ComplianceRule *rule) {
        const ProfileEtc *e = &c->profile->etc;
        BootPosture *p = &c->report->posture;
        struct libmnt_fs *fs;
        const char *lower = NULL;
        _cleanup_close_ int lower_fd = -EBADF, upper_fd = -EBADF;
        ComplianceResult *x;
        size_t unexpected = 0, expected = 0, unchanged = 0;
        int r;

        if (e->overlay != ETC_OVERLAY_TMPFS)
                return 0;
        r = check_begin(c, rule, NULL, &x);
        if (r < 0)
                return r;

        /* On the running system with a root lower layer, the lower /etc is hidden under the overlay:
         * the overlay's own marks classify the entries then. Offline, the tree's /etc is the lower
         * layer as the initrd would find it. */
        r = c->live ? posture_read_etc(c, &fs) : 0;
        if (r < 0 && r != -ENOENT)
                return result_errno(x, r, "/proc/self/mountinfo");
        if (e->lower == ETC_LOWER_FACTORY || !(c->live && p->etc_overlay))
                lower = etc_lower_wanted(e);

        /* The files of Persist= are written at run time on purpose (a machine ID made at first boot, say)
         * and saved: changes to them are expected. */
        _cleanup_strv_free_ char **expected_drift = strv_copy(e->expected_drift);
        if (e->expected_drift && !expected_drift)
                return -ENOMEM;
        STRV_FOREACH(path, e->persist)
                if (strv_extend(&expected_drift, *path) < 0 || strv_consume(&expected_drift, strprintf("%s/*", *path)) < 0)
                        return -ENOMEM;

        if (lower) {
                lower_fd = open_in_root(c->root_fd, lower, O_RDONLY | O_DIRECTORY);
                if (lower_fd < 0 && lower_fd != -ENOENT)
                        return result_errno(x, lower_fd, lower);
        } else
                lower_fd = etc_lower_root_open(c->root_fd);
        r = drift_read_at(c->root_fd, ETC_UPPER_DIR, lower_fd, expected_drift, &p->drift, &p->n_drift);
        if (r == -ENOENT) {
                r = result_evidence(x, ETC_UPPER_DIR, "the overlay's upper dir", "missing");
                if (r < 0)
                        return r;
                if (!c->live)
                        return result_set(x, RULE_NOTCHECKED,
                                          "No overlay upper dir in this tree: drift exists only on a running system");
                return result_set(x, RULE_FAIL,
                                  "There is no overlay upper dir at " ETC_UPPER_DIR ": drift cannot be told");
        }
        if (r < 0)
                return result_errno(x, r, ETC_UPPER_DIR);
        p->drift_read = true;
        upper_fd = open_in_root(c->root_fd, ETC_UPPER_DIR, O_RDONLY | O_DIRECTORY);

        for (size_t i = 0; i < p->n_drift; i++) {
                DriftEntry *d = p->drift + i;
                bool same;

                if (d->expected) {
                        expected++;
                        continue;
                }
                /* Copied up with nothing changed: evidence, not drift. */
                same = copied_up_unchanged(d, upper_fd, lower_fd);
                if (same)
                        unchanged++;
                else
                        unexpected++;
                r = result_evidence(x, check_tmp(c, "/etc/%s", d->path), "no change",
                                    check_tmp(c, "%s %s%s", drift_kind_to_string(d->kind), d->digest ?: "",
                                              same ? " (copied up; content, mode, owner and label unchanged)" : ""));
                if (r < 0)
                        return r;
        }
        const char *copied = unchanged > 0 ? strempty(check_tmp(c, ", %zu copied up unchanged", unchanged)) : "";
        if (unexpected == 0)
                return result_set(x, RULE_PASS, "No unexpected change to /etc since boot (%zu expected%s)", expected,
                                  copied);
        return result_set(x, RULE_FAIL, "%zu unexpected change%s to /etc since boot (%zu expected%s)", unexpected,
                          unexpected == 1 ? "" : "s", expected, copied);
}

/* ---- the rules ---- */

const ComplianceRule rule_etc_overlay = {
        .id = "hardenctl-etc-overlay",
        .title = "/etc is a volatile overlay rebuilt at every boot",
        .severity = SEVERITY_MEDIUM,
        .rationale =
                "Changes to /etc on a volatile overlay vanish at reboot, and everything changed since boot can be listed.",
        .nist = "CM-2 CM-3 CM-6",
        .remediation = "Set [Etc] Overlay=tmpfs and boot with hardenctl-etc-generator in the initrd.",
        .check = check_etc_overlay,
};

const ComplianceRule rule_etc_overlay_lower = {
        .id = "hardenctl-etc-overlay-lower",
        .title = "The lower layer of /etc is the one the profile names",
        .severity = SEVERITY_MEDIUM,
        .rationale =
                "With the factory copy below a verified /usr as the lower layer, even the baseline of /etc is covered by verity.",
        .nist = "CM-2 SI-7",
        .remediation = "Set [Etc] Lower= (and FactoryDirectory=) and reboot.",
        .check = check_etc_lower,
};

const ComplianceRule rule_etc_persist = {
        .id = "hardenctl-etc-persist",
        .title = "Files the profile keeps across boots are present",
        .severity = SEVERITY_LOW,
        .rationale = "Machine identity and host keys must survive the volatile /etc.",
        .nist = "CM-6",
        .remediation = "Make sure each [Etc] Persist= path exists in the lower layer or is restored at boot.",
        .check = check_etc_persist,
};

const ComplianceRule rule_etc_drift = {
        .id = "hardenctl-etc-drift",
        .title = "/etc has not drifted since boot beyond what is expected",
        .severity = SEVERITY_MEDIUM,
        .rationale =
                "Every file added, changed or deleted in /etc since boot is in the overlay's upper dir; unexpected changes are configuration drift or tampering.",
        .nist = "CM-3 CM-6 SI-7",
        .remediation =
                "Review the changes listed; declare legitimate ones in [Etc] ExpectedDrift=, revert the rest (a reboot does).",
        .check = check_etc_drift,
};
