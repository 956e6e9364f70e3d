/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* The [Usr] section's rules: /usr on dm-verity, opened with the expected root hash and signature, acting on
 * corruption as asked, mounted read-only. What is read of /usr fills the boot posture of the report. */

#include <libmount.h>
#include <sys/sysmacros.h>

#include "compliance-rules.h"
#include "path-util.h"
#include "verity.h"

static int posture_read_usr(CheckContext *c);

/* The mount of /usr. Returns 1 and the mount if it is one of its own; 0 when it is not, or cannot be
 * told, with the result recorded; or a negative errno. */
static int usr_mount(CheckContext *c, ComplianceResult *x, struct libmnt_fs **ret) {
        bool exact = false;
        int r;

        r = probe_mount_for_path(c, "/usr", ret, &exact);
        if (r >= 0 && mounts_from_fstab(c))
                return result_set(x, RULE_NOTCHECKED,
                                  "How /usr is mounted is decided at boot, not by the tree's /etc/fstab");
        if (r >= 0 && posture_read_usr(c) == -ENOMEM)
                return -ENOMEM;
        if (r == -ENOENT && !c->live)
                return result_offline(x, "The mount table");
        if (r < 0)
                return result_errno(x, r, "/proc/self/mountinfo");
        if (!exact) {
                r = result_evidence(x, "/proc/self/mountinfo", "a mount on /usr", mnt_fs_get_target(*ret));
                if (r < 0)
                        return r;
                return result_set(x, RULE_FAIL, "/usr is not a mount of its own (part of %s)", mnt_fs_get_target(*ret));
        }
        return 1;
}

/* Begins the result of a rule about the mount of /usr, as usr_mount() returns. */
static int usr_mount_begin(CheckContext *c, const ComplianceRule *rule, ComplianceResult **ret,
                           struct libmnt_fs **ret_fs) {
        int r;

        r = check_begin(c, rule, NULL, ret);
        if (r < 0)
                return r;
        return usr_mount(c, *ret, ret_fs);
}

/* The dm name of a mount's device, from ROOT/sys/dev/block/MAJ:MIN/dm/name; NULL if not a dm device. */
static int dm_name_of(CheckContext *c, struct libmnt_fs *fs, char **ret_name, char **ret_uuid) {
        _cleanup_free_ char *p = NULL, *u = NULL;
        dev_t devno = mnt_fs_get_devno(fs);
        int r;

        p = strprintf("/sys/dev/block/%u:%u/dm/name", major(devno), minor(devno));
        u = strprintf("/sys/dev/block/%u:%u/dm/uuid", major(devno), minor(devno));
        if (!p || !u)
                return -ENOMEM;
        r = probe_read_line(c, p, ret_name);
        if (r < 0)
                return r;
        r = probe_read_line(c, u, ret_uuid);
        if (r < 0)
                *ret_uuid = NULL;
        return 0;
}

static int posture_read_usr_once(CheckContext *c) {
        BootPosture *p = &c->report->posture;
        _cleanup_free_ char *name = NULL, *uuid = NULL;
        struct libmnt_fs *fs;
        bool exact;
        int r;

        r = probe_mount_for_path(c, "/usr", &fs, &exact);
        if (r < 0)
                return r;
        p->usr_source = strdup(strempty(mnt_fs_get_source(fs)));
        p->usr_fstype = strdup(strempty(mnt_fs_get_fstype(fs)));
        if (!p->usr_source || !p->usr_fstype)
                return -ENOMEM;
        p->usr_read_only = mount_has_option(fs, "ro");
        if (!exact)
                return 0;

        r = dm_name_of(c, fs, &name, &uuid);
        if (r < 0)
                return 0; /* not a device-mapper device */
        p->verity_name = strdup(name);
        if (!p->verity_name)
                return -ENOMEM;
        if (dm_uuid_is_verity(uuid))
                p->usr_verity = true;
        if (c->live) {
                r = probe_verity(c, name, p);
                if (r == -EMEDIUMTYPE)
                        p->usr_verity = false;
                else if (r < 0)
                        return r;
        }
        return 0;
}

/* Fills the /usr half of the boot posture, once; returns what reading it returned. */
static int posture_read_usr(CheckContext *c) {
        if (!c->usr_posture_done) {
                c->usr_posture_done = true;
                c->usr_posture_r = posture_read_usr_once(c);
        }
        return c->usr_posture_r;
}

static int check_usr_verity(CheckContext *c, const ComplianceRule *rule) {
        const ProfileUsr *u = &c->profile->usr;
        BootPosture *p = &c->report->posture;
        ComplianceResult *x;
        struct libmnt_fs *fs;
        int r;

        if (u->verity < 0 || u->verity == VERITY_OFF)
                return 0;
        r = usr_mount_begin(c, rule, &x, &fs);
        if (r <= 0)
                return r;
        r = posture_read_usr(c);
        if (r == -EACCES || r == -EPERM)
                return result_set(x, RULE_ERROR, "Reading the device-mapper state of /usr needs root (CAP_SYS_ADMIN)");
        if (r < 0) {
                errno = -r;
                return result_set(x, RULE_ERROR, "Cannot read the state of /usr's device: %m");
        }
        r = result_evidence(x, "/proc/self/mountinfo", "/usr on a dm-verity device",
                            check_tmp(c, p->verity_name ? "%s (%s, device-mapper %s)" : "%s (%s)", p->usr_source,
                                      p->usr_fstype, p->verity_name));
        if (r < 0)
                return r;
        if (p->usr_verity && p->verity_status) {
                r = result_evidence(x, "device-mapper status", "verified", p->verity_status);
                if (r < 0)
                        return r;
                if (!streq(p->verity_status, "verified"))
                        return result_set(x, RULE_FAIL, "/usr is on dm-verity, but corruption has been seen");
        }
        if (p->usr_verity && !c->live)
                return result_set(x, RULE_PASS, "/usr is on a dm-verity device (%s)", p->verity_name);
        if (p->usr_verity)
                return result_set(x, RULE_PASS, "/usr is on the dm-verity device %s, verified", p->verity_name);
        if (u->verity == VERITY_OPTIONAL)
                return result_set(x, RULE_NOTAPPLICABLE, "/usr is not on dm-verity, which Verity=optional allows");
        return result_set(x, RULE_FAIL, "/usr is not on a dm-verity device: every read of /usr goes unverified");
}

/* Begins the result of a rule about the active verity device of /usr. Returns 1 and the result when
 * there is one to judge; 0 when there is none, with the result recorded; or a negative errno. */
static int verity_subrule_begin(CheckContext *c, const ComplianceRule *rule, ComplianceResult **ret) {
        BootPosture *p = &c->report->posture;
        ComplianceResult *x;
        struct libmnt_fs *fs;
        int r;

        r = check_begin(c, rule, NULL, &x);
        if (r < 0)
                return r;
        *ret = x;
        if (!c->live)
                return result_offline(x, "The active dm-verity device");
        r = usr_mount(c, x, &fs);
        if (r <= 0)
                return r;
        r = posture_read_usr(c);
        if (r < 0) {
                errno = -r;
                return result_set(x, RULE_ERROR, "Cannot read the state of /usr's device: %m");
        }
        if (!p->usr_verity) {
                r = result_evidence(x, "/proc/self/mountinfo", "/usr on a dm-verity device", p->usr_source);
                if (r < 0)
                        return r;
                return result_set(x, RULE_FAIL, "/usr is not on a dm-verity device");
        }
        return 1;
}

static int check_usr_root_hash(CheckContext *c, const ComplianceRule *rule) {
        const ProfileUsr *u = &c->profile->usr;
        BootPosture *p = &c->report->posture;
        _cleanup_free_ char *expected = NULL, *source = NULL;
        ComplianceResult *x;
        int r;

        if (!u->root_hash || u->verity < 0 || u->verity == VERITY_OFF)
                return 0;
        r = verity_subrule_begin(c, rule, &x);
        if (r <= 0)
                return r;

        if (streq(u->root_hash, "cmdline")) {
                const char *cmdline;

                source = strdup("/proc/cmdline usrhash=");
                r = probe_cmdline(c, &cmdline);
                if (r >= 0)
                        r = cmdline_has(cmdline, "usrhash", &expected);
                if (r < 0)
                        return result_errno(x, r, "/proc/cmdline");
        } else if (path_is_absolute(u->root_hash)) {
                source = strdup(u->root_hash);
                r = probe_read_line(c, u->root_hash, &expected);
                if (r < 0)
                        return result_errno(x, r, u->root_hash);
        } else {
                source = strdup("profile RootHash=");
                expected = strdup(u->root_hash);
        }
        if (!source)
                return -ENOMEM;
        if (isempty(expected))
                return result_set(x, RULE_FAIL, "No expected root hash (%s is empty)", source);
        free(p->expected_root_hash);
        p->expected_root_hash = strdup(expected);
        r = result_evidence(x, source, expected, p->root_hash ?: "unknown");
        if (r < 0)
                return r;
        if (!p->root_hash)
                return result_set(x, RULE_ERROR, "The active root hash could not be read");
        if (strcasecmp(expected, p->root_hash) != 0)
                return result_set(x, RULE_FAIL, "/usr was opened with a root hash other than the expected one");
        return result_set(x, RULE_PASS, "/usr was opened with the expected root hash");
}

static int check_usr_signature(CheckContext *c, const ComplianceRule *rule) {
        const ProfileUsr *u = &c->profile->usr;
        BootPosture *p = &c->report->posture;
        _cleanup_free_ char *require = NULL;
        ComplianceResult *x;
        int r;

        if (u->signature != SIGNATURE_REQUIRED)
                return 0;
        r = verity_subrule_begin(c, rule, &x);
        if (r <= 0)
                return r;
        r = result_evidence(x, "libcryptsetup verity parameters", "root hash signature checked by the kernel",
                            p->signature > 0  ? "signed" :
                            p->signature == 0 ? "unsigned" :
                                                "unknown");
        if (r < 0)
                return r;
        if (p->signature <= 0)
                return result_set(x, RULE_FAIL, "/usr was activated without a root hash signature");

        /* And the kernel refuses every verity table without one (hardenctl-verity attach sees to it at boot). */
        r = probe_read_line(c, "/sys/module/dm_verity/parameters/require_signatures", &require);
        if (r < 0 && r != -ENOENT)
                return result_missing_state(c, x, r, "/sys/module/dm_verity/parameters/require_signatures");
        r = result_evidence(x, "/sys/module/dm_verity/parameters/require_signatures", "Y", require ?: "absent");
        if (r < 0)
                return r;
        if (!streq_ptr(require, "Y"))
                return result_set(x, RULE_FAIL,
                                  "/usr is signed, but the kernel accepts verity tables without a signature "
                                  "(dm_verity.require_signatures is off)");
        return result_set(x, RULE_PASS,
                          "The root hash signature was checked against the kernel keyring, which refuses unsigned tables");
}

static int check_usr_corruption(CheckContext *c, const ComplianceRule *rule) {
        const ProfileUsr *u = &c->profile->usr;
        BootPosture *p = &c->report->posture;
        const char *want;
        ComplianceResult *x;
        int r;

        if (u->on_corruption < 0 || u->verity < 0 || u->verity == VERITY_OFF)
                return 0;
        r = verity_subrule_begin(c, rule, &x);
        if (r <= 0)
                return r;
        want = corruption_action_to_string(u->on_corruption);
        r = result_evidence(x, "device-mapper activation flags", want, p->on_corruption);
        if (r < 0)
                return r;
        if (p->on_corruption && streq(p->on_corruption, want))
                return result_set(x, RULE_PASS, "On corruption: %s", want);
        return result_set(x, RULE_FAIL, "On corruption the device does '%s', not '%s'", strna(p->on_corruption), want);
}

static int check_usr_read_only(CheckContext *c, const ComplianceRule *rule) {
        const ProfileUsr *u = &c->profile->usr;
        ComplianceResult *x;
        struct libmnt_fs *fs;
        const char *fstype;
        bool ro;
        int r;

        if ((u->verity < 0 || u->verity == VERITY_OFF) && u->file_system < 0)
                return 0;
        r = usr_mount_begin(c, rule, &x, &fs);
        if (r <= 0)
                return r;
        ro = mount_has_option(fs, "ro");
        fstype = mnt_fs_get_fstype(fs);
        r = result_evidence(x, "/proc/self/mountinfo", "ro", mnt_fs_get_vfs_options(fs));
        if (r < 0)
                return r;
        if (u->file_system >= 0) {
                const char *want = usr_file_system_to_string(u->file_system);

                r = result_evidence(x, "/proc/self/mountinfo", want, fstype);
                if (r < 0)
                        return r;
                if (!fstype || !streq(fstype, want))
                        return result_set(x, RULE_FAIL, "/usr is %s, not %s", strna(fstype), want);
        }
        if (!ro)
                return result_set(x, RULE_FAIL, "/usr is mounted read-write");
        return result_set(x, RULE_PASS, "/usr is mounted read-only (%s)", strna(fstype));
}

/* ---- the rules ---- */

const ComplianceRule rule_usr_verity = {
        .id = "hardenctl-usr-verity",
        .title = "/usr is a dm-verity device, verified block by block",
        .severity = SEVERITY_HIGH,
        .rationale =
                "With dm-verity every block of /usr is checked against a hash tree whose root hash is fixed at boot: a changed binary cannot be read, it is detected.",
        .nist = "SI-7 SI-7(1) SI-7(6) CM-14",
        .remediation =
                "Build /usr as an image with its hash tree (hardenctl verity format), boot with usrhash= and hardenctl-usr-generator in the initrd.",
        .check = check_usr_verity,
};

const ComplianceRule rule_usr_verity_root_hash = {
        .id = "hardenctl-usr-verity-root-hash",
        .title = "/usr was opened with the expected root hash",
        .severity = SEVERITY_HIGH,
        .rationale =
                "A verity device proves only what its root hash says; the hash must be the one the image was built with.",
        .nist = "SI-7 SI-7(6)",
        .remediation = "Boot with the root hash of the released image (usrhash= or [Usr] RootHash=).",
        .check = check_usr_root_hash,
};

const ComplianceRule rule_usr_verity_signature = {
        .id = "hardenctl-usr-verity-signature",
        .title = "The root hash of /usr is signed, the signature was checked, and the kernel refuses unsigned tables",
        .severity = SEVERITY_HIGH,
        .rationale =
                "A signed root hash ties /usr to the vendor's key: a command line edited to carry another root hash does not activate, and with dm_verity.require_signatures no verity device activates without a signature.",
        .nist = "SI-7(15) CM-14",
        .remediation =
                "Ship the signature of the root hash (hardenctl verity sign: a usr-verity signature partition, or [Usr] SignatureFile=) and the signing certificate in the kernel keyring (the UEFI db for the platform keyring); where dm_verity is built in or loaded before /usr is set up, put dm_verity.require_signatures=1 on the kernel command line.",
        .check = check_usr_signature,
};

const ComplianceRule rule_usr_verity_corruption = {
        .id = "hardenctl-usr-verity-corruption",
        .title = "Corruption of /usr is acted on as the profile says",
        .severity = SEVERITY_MEDIUM,
        .rationale =
                "The kernel's reaction to a block that fails verification decides whether tampering stops the host or only the read.",
        .nist = "SI-7(5) SI-7(8)",
        .remediation = "Set [Usr] OnCorruption= and reboot, so that the device is activated with that flag.",
        .check = check_usr_corruption,
};

const ComplianceRule rule_usr_read_only = {
        .id = "hardenctl-usr-read-only",
        .title = "/usr is mounted read-only, with the expected file system",
        .severity = SEVERITY_MEDIUM,
        .rationale =
                "A read-only /usr cannot be changed at run time without remounting it, which the audit trail records.",
        .nist = "CM-5 SI-7",
        .remediation = "Mount /usr read-only ([Usr] Verity= does, through hardenctl-usr-generator).",
        .check = check_usr_read_only,
};
