/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* The rule catalog. Every key of the profile's key tables names the rules it drives (the "rules" column
 * of profile-schema.c, without the "hardenctl-" prefix); each rule here judges the live state, or an
 * image tree, against what the profile asks for, and says nothing when the profile leaves the setting
 * unset. Rules that apply to many items (sysctls, modules, packages, mount points, units) report one
 * result per item, the item being the result's instance.
 *
 * References, verified against the ComplianceAsCode project's data: CIS Debian Linux 12 Benchmark
 * v1.1.0 item numbers as controls/cis_debian12.yml (version 1.1.0) lists them; DISA General Purpose
 * Operating System SRG ids and NIST SP 800-53 rev5 controls as the references: of the rule named at
 * the head of each entry (linux_os/guide/…/rule.yml); Canonical Ubuntu 22.04 LTS STIG ids (the
 * Debian-family STIG closest to Debian 12) as controls/stig_ubuntu2204.yml (V2R3) maps them. A rule
 * with no such comment has no counterpart there: it carries no CIS, SRG or STIG reference, and its
 * NIST controls are this catalog's own reading of SP 800-53. Rules that apply to items carry their
 * CIS items per item, in the tables below, and no CIS item of their own. */

#include <dirent.h>
#include <fcntl.h>
#include <inttypes.h>
#include <libmount.h>
#include <selinux/selinux.h>
#include <sys/sysmacros.h>

#include "audit-load.h"
#include "compliance-catalog.h"
#include "fs-util.h"
#include "path-util.h"
#include "probe.h"
#include "proc-cmdline.h"
#include "profile-schema.h"
#include "string-util.h"
#include "strv.h"
#include "sysctl-util.h"

#define ETC_OVERLAY_DIR "/run/hardenctl/etc"
#define ETC_UPPER_DIR ETC_OVERLAY_DIR "/upper"
#define FACTORY_ETC_DEFAULT "/usr/share/factory/etc"

/* ---- per-item references ----
 *
 * Each entry is the ComplianceAsCode rule of that item (the sysctl_*, kernel_module_*_disabled,
 * package_*_removed, mount_option_* and partition_for_* rules) as controls/cis_debian12.yml and
 * controls/stig_ubuntu2204.yml map it; package names are Debian's for the package the rule removes. */

static const ItemRef sysctl_refs[] = {
        { "kernel.randomize_va_space", "1.5.1", "SRG-OS-000433-GPOS-00193 SRG-OS-000480-GPOS-00227",
          "UBTU-22-213020" },
        { "kernel.yama.ptrace_scope", "1.5.2", NULL, NULL },
        { "fs.suid_dumpable", "1.5.3", NULL, NULL },
        { "kernel.kptr_restrict", NULL, "SRG-OS-000132-GPOS-00067", NULL },
        { "kernel.dmesg_restrict", NULL, "SRG-OS-000132-GPOS-00067 SRG-OS-000138-GPOS-00069",
          "UBTU-22-213010" },
        { "net.ipv4.ip_forward", "3.3.1", NULL, NULL },
        { "net.ipv6.conf.all.forwarding", "3.3.1", NULL, NULL },
        { "net.ipv4.conf.all.send_redirects", "3.3.2", NULL, NULL },
        { "net.ipv4.conf.default.send_redirects", "3.3.2", NULL, NULL },
        { "net.ipv4.icmp_ignore_bogus_error_responses", "3.3.3", NULL, NULL },
        { "net.ipv4.icmp_echo_ignore_broadcasts", "3.3.4", NULL, NULL },
        { "net.ipv4.conf.all.accept_redirects", "3.3.5", NULL, NULL },
        { "net.ipv4.conf.default.accept_redirects", "3.3.5", NULL, NULL },
        { "net.ipv6.conf.all.accept_redirects", "3.3.5", NULL, NULL },
        { "net.ipv6.conf.default.accept_redirects", "3.3.5", NULL, NULL },
        { "net.ipv4.conf.all.secure_redirects", "3.3.6", NULL, NULL },
        { "net.ipv4.conf.default.secure_redirects", "3.3.6", NULL, NULL },
        { "net.ipv4.conf.all.rp_filter", "3.3.7", NULL, NULL },
        { "net.ipv4.conf.default.rp_filter", "3.3.7", NULL, NULL },
        { "net.ipv4.conf.all.accept_source_route", "3.3.8", NULL, NULL },
        { "net.ipv4.conf.default.accept_source_route", "3.3.8", NULL, NULL },
        { "net.ipv6.conf.all.accept_source_route", "3.3.8", NULL, NULL },
        { "net.ipv6.conf.default.accept_source_route", "3.3.8", NULL, NULL },
        { "net.ipv4.conf.all.log_martians", "3.3.9", NULL, NULL },
        { "net.ipv4.conf.default.log_martians", "3.3.9", NULL, NULL },
        { "net.ipv4.tcp_syncookies", "3.3.10", NULL, "UBTU-22-253010" },
        { "net.ipv6.conf.all.accept_ra", "3.3.11", NULL, NULL },
        { "net.ipv6.conf.default.accept_ra", "3.3.11", NULL, NULL },
};

/* Module names compare with "-" and "_" alike, as the kernel does. 1.1.1.10 is the benchmark's item for
 * file system modules it does not name one by one. */
static const ItemRef module_refs[] = {
        { "cramfs", "1.1.1.1", NULL, NULL },
        { "freevxfs", "1.1.1.2", NULL, NULL },
        { "hfs", "1.1.1.3", NULL, NULL },
        { "hfsplus", "1.1.1.4", NULL, NULL },
        { "jffs2", "1.1.1.5", NULL, NULL },
        { "overlay", "1.1.1.6", NULL, NULL },
        { "squashfs", "1.1.1.7", NULL, NULL },
        { "udf", "1.1.1.8", NULL, NULL },
        { "usb-storage", "1.1.1.9", "SRG-OS-000114-GPOS-00059 SRG-OS-000378-GPOS-00163 SRG-OS-000480-GPOS-00227",
          "UBTU-22-291010" },
        { "afs", "1.1.1.10", NULL, NULL },
        { "ceph", "1.1.1.10", NULL, NULL },
        { "cifs", "1.1.1.10", NULL, NULL },
        { "exfat", "1.1.1.10", NULL, NULL },
        { "ext2", "1.1.1.10", NULL, NULL },
        { "fat", "1.1.1.10", NULL, NULL },
        { "gfs2", "1.1.1.10", NULL, NULL },
        { "nfs_common", "1.1.1.10", NULL, NULL },
        { "nfsd", "1.1.1.10", NULL, NULL },
        { "smbfs_common", "1.1.1.10", NULL, NULL },
        { "vfat", "1.1.1.10", NULL, NULL },
        { "dccp", "3.2.1", NULL, NULL },
        { "tipc", "3.2.2", NULL, NULL },
        { "rds", "3.2.3", NULL, NULL },
        { "sctp", "3.2.4", NULL, NULL },
};

static const ItemRef package_refs[] = {
        { "autofs", "2.1.1", NULL, NULL },
        { "avahi-daemon", "2.1.2", NULL, NULL },
        { "isc-dhcp-server", "2.1.3", NULL, NULL },
        { "bind9", "2.1.4", NULL, NULL },
        { "dnsmasq", "2.1.5", NULL, NULL },
        { "vsftpd", "2.1.6", NULL, NULL },
        { "slapd", "2.1.7", NULL, NULL },
        { "dovecot-imapd", "2.1.8", NULL, NULL },
        { "dovecot-pop3d", "2.1.8", NULL, NULL },
        { "nfs-kernel-server", "2.1.9", NULL, "UBTU-22-215040" },
        { "ypserv", "2.1.10", NULL, NULL },
        { "cups", "2.1.11", NULL, NULL },
        { "rpcbind", "2.1.12", NULL, NULL },
        { "rsync", "2.1.13", NULL, NULL },
        { "samba", "2.1.14", NULL, NULL },
        { "snmpd", "2.1.15", NULL, NULL },
        { "tftpd-hpa", "2.1.16", NULL, NULL },
        { "squid", "2.1.17", NULL, NULL },
        { "apache2", "2.1.18", NULL, NULL },
        { "nginx", "2.1.18", NULL, NULL },
        { "xinetd", "2.1.19", NULL, NULL },
        { "xserver-common", "2.1.20", NULL, NULL },
        { "nis", "2.2.1", NULL, NULL },
        { "rsh-client", "2.2.2", NULL, NULL },
        { "talk", "2.2.3", NULL, NULL },
        { "telnet", "2.2.4", NULL, NULL },
        { "inetutils-telnet", "2.2.4", NULL, NULL },
        { "ldap-utils", "2.2.5", NULL, NULL },
        { "ftp", "2.2.6", NULL, NULL },
        { "tnftp", "2.2.6", NULL, NULL },
        { "rsh-server", NULL, "SRG-OS-000095-GPOS-00049", "UBTU-22-215030" },
        { "telnetd", NULL, NULL, "UBTU-22-215035" },
};

/* "PATH OPTION": the CIS item for an option on a mount point; "PATH": the one for its own partition. */
static const ItemRef mount_refs[] = {
        { "/tmp", "1.1.2.1.1", NULL, NULL },
        { "/tmp nodev", "1.1.2.1.2", NULL, NULL },
        { "/tmp nosuid", "1.1.2.1.3", NULL, NULL },
        { "/tmp noexec", "1.1.2.1.4", NULL, NULL },
        { "/dev/shm", "1.1.2.2.1", NULL, NULL },
        { "/dev/shm nodev", "1.1.2.2.2", NULL, NULL },
        { "/dev/shm nosuid", "1.1.2.2.3", NULL, NULL },
        { "/dev/shm noexec", "1.1.2.2.4", NULL, NULL },
        { "/home", "1.1.2.3.1", NULL, NULL },
        { "/home nodev", "1.1.2.3.2", NULL, NULL },
        { "/home nosuid", "1.1.2.3.3", NULL, NULL },
        { "/var", "1.1.2.4.1", NULL, NULL },
        { "/var nodev", "1.1.2.4.2", NULL, NULL },
        { "/var nosuid", "1.1.2.4.3", NULL, NULL },
        { "/var/tmp", "1.1.2.5.1", NULL, NULL },
        { "/var/tmp nodev", "1.1.2.5.2", NULL, NULL },
        { "/var/tmp nosuid", "1.1.2.5.3", NULL, NULL },
        { "/var/tmp noexec", "1.1.2.5.4", NULL, NULL },
        { "/var/log", "1.1.2.6.1", NULL, NULL },
        { "/var/log nodev", "1.1.2.6.2", NULL, NULL },
        { "/var/log nosuid", "1.1.2.6.3", NULL, NULL },
        { "/var/log noexec", "1.1.2.6.4", NULL, NULL },
        { "/var/log/audit", "1.1.2.7.1", NULL, NULL },
        { "/var/log/audit nodev", "1.1.2.7.2", NULL, NULL },
        { "/var/log/audit nosuid", "1.1.2.7.3", NULL, NULL },
        { "/var/log/audit noexec", "1.1.2.7.4", NULL, NULL },
};

static const ItemRef unit_refs[] = {
        { "ctrl-alt-del.target", NULL, "SRG-OS-000324-GPOS-00125 SRG-OS-000480-GPOS-00227", "UBTU-22-211015" },
};

typedef struct ItemTable {
        const char *rule_id;
        const ItemRef *refs;
        size_t n;
        bool module_names;
} ItemTable;

#define ITEM_TABLE(id, t, ...) { id, t, ELEMENTSOF(t), __VA_ARGS__ }
static const ItemTable item_tables[] = {
        ITEM_TABLE("hardenctl-kernel-sysctl", sysctl_refs),
        ITEM_TABLE("hardenctl-kernel-deny-module", module_refs, .module_names = true),
        ITEM_TABLE("hardenctl-packages-forbidden", package_refs),
        ITEM_TABLE("hardenctl-mount-options", mount_refs),
        ITEM_TABLE("hardenctl-mount-separate", mount_refs),
        ITEM_TABLE("hardenctl-service-masked", unit_refs),
};

static bool module_name_equal(const char *a, const char *b) {
        for (; *a && *b; a++, b++)
                if (*a != *b && !(strchr("-_", *a) && strchr("-_", *b)))
                        return false;
        return *a == *b;
}

static const ItemTable *item_table(const ComplianceRule *rule) {
        for (size_t i = 0; i < ELEMENTSOF(item_tables); i++)
                if (streq(item_tables[i].rule_id, rule->id))
                        return item_tables + i;
        return NULL;
}

const ItemRef *compliance_rule_item_refs(const ComplianceRule *rule, size_t *ret_n) {
        const ItemTable *t = item_table(rule);

        *ret_n = t ? t->n : 0;
        return t ? t->refs : NULL;
}

const ItemRef *compliance_item_refs(const ComplianceRule *rule, const char *instance) {
        const ItemTable *t = item_table(rule);

        if (!t || !instance)
                return NULL;
        for (size_t i = 0; i < t->n; i++)
                if (t->module_names ? module_name_equal(t->refs[i].item, instance)
                                    : streq(t->refs[i].item, instance))
                        return t->refs + i;
        return NULL;
}

static size_t words_count(const char *s) {
        size_t n = 0;

        for (const char *p = s + (s[0] == '~'); *p;) {
                p += strspn(p, " ");
                if (!*p)
                        break;
                n++;
                p += strcspn(p, " ");
        }
        return n;
}

/* ---- helpers ---- */

#define BEGIN(c, rule, instance)                                        \
        ({                                                              \
                ComplianceResult *_r_ = check_begin((c), (rule), (instance)); \
                if (!_r_)                                               \
                        return -ENOMEM;                                 \
                _r_;                                                    \
        })

#define TRY(expr)                               \
        do {                                    \
                int _k_ = (expr);               \
                if (_k_ < 0)                    \
                        return _k_;             \
        } while (false)

static int result_errno(ComplianceResult *x, int error, const char *what) {
        errno = -error;
        if (startswith(what, "the ") && strstr(what, "over D-Bus") &&
            (error == -ENOENT || error == -ECONNREFUSED || error == -ENOMEDIUM))
                return result_set(x, RULE_ERROR, "Cannot reach the service manager on the system bus to read %s: %m", what);
        if (error == -ENOENT)
                return result_set(x, RULE_ERROR, "%s does not exist", what);
        if (error == -EBADFD)
                return result_set(x, RULE_ERROR, "%s is not a regular file: not opened", what);
        return result_set(x, RULE_ERROR, "cannot read %s: %m", what);
}

/* A file of live kernel state that an offline tree does not have is "not checked"; the running system
 * not having it is an error, or a failure when its absence means the feature is off. */
static int result_missing_state(CheckContext *c, ComplianceResult *x, int error, const char *what) {
        if (error == -ENOENT && !c->live)
                return result_offline(x, what);
        return result_errno(x, error, what);
}

/* ---- [Profile] ---- */

typedef struct KillSwitches {
        char **found;
} KillSwitches;

static int kill_switch_cb(const char *key, const char *value, void *userdata) {
        KillSwitches *k = userdata;
        const char *topic = streq(key, "hardenctl") ? "" : startswith(key, "hardenctl.");

        if (!topic || !value)
                return 0;
        if (!streq(value, "0") && !streq(value, "no") && !streq(value, "false") && !streq(value, "off"))
                return 0;
        return strv_consume(&k->found, strprintf("%s=%s", key, value));
}

static int check_kill_switch(CheckContext *c, const ComplianceRule *rule) {
        _cleanup_strv_free_ char **found = NULL;
        _cleanup_free_ char *joined = NULL;
        KillSwitches k = {};
        ComplianceResult *x;
        const char *cmdline;
        int r;

        if (c->profile->meta.allow_kill_switch < 0)
                return 0;
        x = BEGIN(c, rule, NULL);
        r = probe_cmdline(c, &cmdline);
        if (r < 0)
                return result_missing_state(c, x, r, "/proc/cmdline");
        r = proc_cmdline_parse(cmdline, false, kill_switch_cb, &k);
        found = k.found;
        if (r < 0)
                return r;
        joined = found ? strv_join(found, " ") : strdup("none");
        if (!joined)
                return -ENOMEM;
        TRY(result_evidence(x, "/proc/cmdline", "no hardenctl=0 or hardenctl.TOPIC=0", joined));
        if (!found)
                return result_set(x, RULE_PASS, "No kill switch on the kernel command line");
        if (c->profile->meta.allow_kill_switch == 0)
                return result_set(x, RULE_PASS, "Kill switches on the command line (%s) are refused by AllowKillSwitch=no", joined);
        return result_set(x, RULE_FAIL, "Enforcement is switched off on the kernel command line: %s", joined);
}

/* ---- [Usr] ---- */

static int posture_read_usr(CheckContext *c);

static bool mounts_from_fstab(CheckContext *c) {
        return c->mounts_source && streq(c->mounts_source, "/etc/fstab");
}

static int usr_mount(CheckContext *c, ComplianceResult *x, struct libmnt_fs **ret) {
        bool exact = false;
        int r;

        r = probe_mount_for_path(c, "/usr", ret, &exact);
        if (r >= 0 && mounts_from_fstab(c))
                return result_set(x, RULE_NOTCHECKED, "How /usr is mounted is decided at boot, not by the tree's /etc/fstab"), 0;
        if (r >= 0 && posture_read_usr(c) == -ENOMEM)
                return -ENOMEM;
        if (r == -ENOENT && !c->live)
                return result_offline(x, "The mount table"), 0;
        if (r < 0)
                return result_errno(x, r, "/proc/self/mountinfo"), 0;
        if (!exact) {
                TRY(result_evidence(x, "/proc/self/mountinfo", "a mount on /usr", mnt_fs_get_target(*ret)));
                return result_set(x, RULE_FAIL, "/usr is not a mount of its own (part of %s)", mnt_fs_get_target(*ret)), 0;
        }
        return 1;
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
        if (uuid && startswith(uuid, "CRYPT-VERITY-"))
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
        x = BEGIN(c, rule, NULL);
        r = usr_mount(c, x, &fs);
        if (r <= 0)
                return r;
        r = posture_read_usr(c);
        if (r == -EACCES || r == -EPERM)
                return result_set(x, RULE_ERROR, "Reading the device-mapper state of /usr needs root (CAP_SYS_ADMIN)");
        if (r < 0) {
                errno = -r;
                return result_set(x, RULE_ERROR, "Cannot read the state of /usr's device: %m");
        }
        TRY(result_evidence(x, "/proc/self/mountinfo", "/usr on a dm-verity device",
                            check_tmp(c, p->verity_name ? "%s (%s, device-mapper %s)" : "%s (%s)", p->usr_source,
                                          p->usr_fstype, p->verity_name)));
        if (p->usr_verity && p->verity_status) {
                TRY(result_evidence(x, "device-mapper status", "verified", p->verity_status));
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

static int verity_subrule_begin(CheckContext *c, const ComplianceRule *rule, ComplianceResult **ret) {
        BootPosture *p = &c->report->posture;
        ComplianceResult *x;
        struct libmnt_fs *fs;
        int r;

        x = BEGIN(c, rule, NULL);
        *ret = x;
        if (!c->live)
                return result_offline(x, "The active dm-verity device"), 0;
        r = usr_mount(c, x, &fs);
        if (r <= 0)
                return r;
        r = posture_read_usr(c);
        if (r < 0) {
                errno = -r;
                return result_set(x, RULE_ERROR, "Cannot read the state of /usr's device: %m"), 0;
        }
        if (!p->usr_verity) {
                TRY(result_evidence(x, "/proc/self/mountinfo", "/usr on a dm-verity device", p->usr_source));
                return result_set(x, RULE_FAIL, "/usr is not on a dm-verity device"), 0;
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
        TRY(result_evidence(x, source, expected, p->root_hash ?: "unknown"));
        if (!p->root_hash)
                return result_set(x, RULE_ERROR, "The active root hash could not be read");
        if (strcasecmp(expected, p->root_hash) != 0)
                return result_set(x, RULE_FAIL, "/usr was opened with a root hash other than the expected one");
        return result_set(x, RULE_PASS, "/usr was opened with the expected root hash");
}

static int check_usr_signature(CheckContext *c, const ComplianceRule *rule) {
        const ProfileUsr *u = &c->profile->usr;
        BootPosture *p = &c->report->posture;
        ComplianceResult *x;
        int r;

        if (u->signature != SIGNATURE_REQUIRED)
                return 0;
        r = verity_subrule_begin(c, rule, &x);
        if (r <= 0)
                return r;
        TRY(result_evidence(x, "libcryptsetup verity parameters", "root hash signature checked by the kernel",
                            p->signature > 0 ? "signed" : p->signature == 0 ? "unsigned" : "unknown"));
        if (p->signature > 0)
                return result_set(x, RULE_PASS, "The root hash signature was checked against the kernel keyring");
        return result_set(x, RULE_FAIL, "/usr was activated without a root hash signature");
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
        TRY(result_evidence(x, "device-mapper activation flags", want, p->on_corruption));
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
        x = BEGIN(c, rule, NULL);
        r = usr_mount(c, x, &fs);
        if (r <= 0)
                return r;
        ro = mount_has_option(fs, "ro");
        fstype = mnt_fs_get_fstype(fs);
        TRY(result_evidence(x, "/proc/self/mountinfo", "ro", mnt_fs_get_vfs_options(fs)));
        if (u->file_system >= 0) {
                const char *want = usr_file_system_to_string(u->file_system);

                TRY(result_evidence(x, "/proc/self/mountinfo", want, fstype));
                if (!fstype || !streq(fstype, want))
                        return result_set(x, RULE_FAIL, "/usr is %s, not %s", strna(fstype), want);
        }
        if (!ro)
                return result_set(x, RULE_FAIL, "/usr is mounted read-write");
        return result_set(x, RULE_PASS, "/usr is mounted read-only (%s)", strna(fstype));
}

/* ---- [Etc] ---- */

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
        if (!p->etc_upper) {
                char *v = NULL;
                size_t n = 0;

                if (mnt_optstr_get_option(opts, "upperdir", &v, &n) == 0)
                        p->etc_upper = strndup(v, n);
                if (mnt_optstr_get_option(opts, "lowerdir", &v, &n) == 0)
                        p->etc_lower = strndup(v, n);
        }
        p->etc_overlay = p->etc_upper && startswith(p->etc_upper, ETC_OVERLAY_DIR "/");
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
        x = BEGIN(c, rule, NULL);
        r = posture_read_etc(c, &fs);
        if (r >= 0 && mounts_from_fstab(c))
                return result_set(x, RULE_NOTCHECKED, "The /etc overlay is set up at boot by the initrd, not by the tree's /etc/fstab");
        if (r == -ENOENT && !c->live)
                return result_offline(x, "The mount table");
        if (r < 0)
                return result_errno(x, r, "/proc/self/mountinfo");
        TRY(result_evidence(x, "/proc/self/mountinfo",
                            e->overlay == ETC_OVERLAY_TMPFS ? "overlay on /etc, upper dir below " ETC_OVERLAY_DIR
                                                            : "no overlay on /etc",
                            check_tmp(c, "%s on %s%s%s", strna(mnt_fs_get_fstype(fs)), strna(mnt_fs_get_target(fs)),
                                          p->etc_upper ? ", upperdir=" : "", strempty(p->etc_upper))));
        if (e->overlay == ETC_OVERLAY_OFF)
                return result_set(x, p->etc_overlay ? RULE_FAIL : RULE_PASS,
                                  p->etc_overlay ? "/etc is an overlay, but the profile says Overlay=off" : "/etc is not an overlay");
        if (!p->etc_overlay)
                return result_set(x, RULE_FAIL, "/etc is persistent: run-time changes survive a reboot");
        if (e->size_bytes != NUMBER_UNSET || e->size_percent > 0) {
                struct libmnt_fs *t = NULL;

                if (probe_mount_for_path(c, ETC_OVERLAY_DIR, &t, NULL) >= 0)
                        TRY(result_evidence(x, "/proc/self/mountinfo", "tmpfs at " ETC_OVERLAY_DIR,
                                            check_tmp(c, "%s on %s (%s)", strna(mnt_fs_get_fstype(t)),
                                                          strna(mnt_fs_get_target(t)), strna(mnt_fs_get_fs_options(t)))));
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
        x = BEGIN(c, rule, NULL);
        r = posture_read_etc(c, &fs);
        if (r >= 0 && mounts_from_fstab(c))
                return result_set(x, RULE_NOTCHECKED, "The /etc overlay is set up at boot by the initrd, not by the tree's /etc/fstab");
        if (r == -ENOENT && !c->live)
                return result_offline(x, "The mount table");
        if (r < 0)
                return result_errno(x, r, "/proc/self/mountinfo");
        if (!p->etc_overlay)
                return result_set(x, RULE_FAIL, "/etc is not an overlay");
        /* Mounted from the initrd, the lower dir is named below /sysroot; with Persist= the persist
         * directory is stacked on it, so the bottom layer (the last of lowerdir=) is the one that says. */
        TRY(result_evidence(x, "/proc/self/mountinfo lowerdir=", want, p->etc_lower));
        const char *bottom = p->etc_lower ? strrchr(p->etc_lower, ':') : NULL;
        bottom = bottom ? bottom + 1 : p->etc_lower;
        if (bottom && (streq(bottom, want) || (startswith(bottom, "/sysroot") && streq(bottom + 8, want))))
                return result_set(x, RULE_PASS, "The lower layer of /etc is %s", want);
        return result_set(x, RULE_FAIL, "The lower layer of /etc is %s, not %s", strna(p->etc_lower), want);
}

static int check_etc_persist(CheckContext *c, const ComplianceRule *rule) {
        STRV_FOREACH(path, c->profile->etc.persist) {
                _cleanup_free_ char *full = strprintf("/etc/%s", *path), *content = NULL;
                ComplianceResult *x = BEGIN(c, rule, *path);
                int r;

                if (!full)
                        return -ENOMEM;
                r = probe_read_file(c, full, 0, &content);
                if (r == -EISDIR)
                        r = 0;
                TRY(result_evidence(x, full, "present", r >= 0 ? "present" : r == -ENOENT ? "missing" : "unreadable"));
                if (r == -ENOENT)
                        TRY(result_set(x, RULE_FAIL, "%s is missing: it did not persist", full));
                else if (r < 0)
                        TRY(result_errno(x, r, full));
                else
                        TRY(result_set(x, RULE_PASS, "%s is present", full));
        }
        return 0;
}

static int check_etc_drift(CheckContext *c, const ComplianceRule *rule) {
        const ProfileEtc *e = &c->profile->etc;
        BootPosture *p = &c->report->posture;
        struct libmnt_fs *fs;
        const char *lower = NULL;
        ComplianceResult *x;
        size_t unexpected = 0, expected = 0;
        int r;

        if (e->overlay != ETC_OVERLAY_TMPFS)
                return 0;
        x = BEGIN(c, rule, NULL);

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

        r = drift_read(c->root_fd, ETC_UPPER_DIR, lower, expected_drift, &p->drift, &p->n_drift);
        if (r == -ENOENT) {
                TRY(result_evidence(x, ETC_UPPER_DIR, "the overlay's upper dir", "missing"));
                if (!c->live)
                        return result_set(x, RULE_NOTCHECKED, "No overlay upper dir in this tree: drift exists only on a running system");
                return result_set(x, RULE_FAIL, "There is no overlay upper dir at " ETC_UPPER_DIR ": drift cannot be told");
        }
        if (r < 0)
                return result_errno(x, r, ETC_UPPER_DIR);
        p->drift_read = true;

        for (size_t i = 0; i < p->n_drift; i++) {
                DriftEntry *d = p->drift + i;

                if (d->expected) {
                        expected++;
                        continue;
                }
                unexpected++;
                TRY(result_evidence(x, check_tmp(c, "/etc/%s", d->path), "no change", check_tmp(c, "%s %s", drift_kind_to_string(d->kind), d->digest ?: "")));
        }
        if (unexpected == 0)
                return result_set(x, RULE_PASS, "No unexpected change to /etc since boot (%zu expected)", expected);
        return result_set(x, RULE_FAIL, "%zu unexpected change%s to /etc since boot (%zu expected)", unexpected,
                          unexpected == 1 ? "" : "s", expected);
}

/* ---- [SELinux] ---- */

static int check_selinux_mode(CheckContext *c, const ComplianceRule *rule) {
        const ProfileSELinux *s = &c->profile->selinux;
        const char *want, *actual;
        ComplianceResult *x;
        int enabled, enforce = -1;

        if (s->mode < 0)
                return 0;
        x = BEGIN(c, rule, NULL);
        if (!c->live)
                return result_offline(x, "The running SELinux mode");
        want = selinux_mode_to_string(s->mode);
        enabled = is_selinux_enabled();
        if (enabled > 0)
                enforce = security_getenforce();
        actual = enabled <= 0 ? "disabled" : enforce > 0 ? "enforcing" : enforce == 0 ? "permissive" : "unknown";
        TRY(result_evidence(x, "libselinux (selinuxfs)", want, actual));
        if (streq(actual, want))
                return result_set(x, RULE_PASS, "SELinux is %s", actual);
        return result_set(x, RULE_FAIL, "SELinux is %s, not %s", actual, want);
}

static int check_selinux_config(CheckContext *c, const ComplianceRule *rule) {
        const ProfileSELinux *s = &c->profile->selinux;
        _cleanup_free_ char *text = NULL, *mode = NULL, *type = NULL;
        ComplianceResult *x;
        bool ok = true;
        int r;

        if (s->mode < 0 && !s->policy)
                return 0;
        x = BEGIN(c, rule, NULL);
        r = probe_read_file(c, "/etc/selinux/config", 0, &text);
        if (r == -ENOENT) {
                TRY(result_evidence(x, "/etc/selinux/config", "present", "missing"));
                return result_set(x, s->mode == SELINUX_DISABLED ? RULE_PASS : RULE_FAIL, "/etc/selinux/config does not exist");
        }
        if (r < 0)
                return result_errno(x, r, "/etc/selinux/config");
        if (s->mode >= 0) {
                const char *want = selinux_mode_to_string(s->mode);

                (void) env_file_get(text, "SELINUX", &mode);
                TRY(result_evidence(x, "/etc/selinux/config SELINUX=", want, mode ?: "unset"));
                ok = ok && mode && streq(mode, want);
        }
        if (s->policy) {
                (void) env_file_get(text, "SELINUXTYPE", &type);
                TRY(result_evidence(x, "/etc/selinux/config SELINUXTYPE=", s->policy, type ?: "unset"));
                ok = ok && type && streq(type, s->policy);
        }
        return result_set(x, ok ? RULE_PASS : RULE_FAIL,
                          ok ? "The SELinux configuration the next boot reads agrees with the profile"
                             : "The SELinux configuration the next boot reads disagrees with the profile");
}

static int check_selinux_context(CheckContext *c, const ComplianceRule *rule) {
        STRV_FOREACH(entry, c->profile->selinux.contexts) {
                _cleanup_free_ char *unit = NULL, *actual = NULL;
                const char *want = strchr(*entry, ' ');
                ComplianceResult *x;
                int r;

                if (!want)
                        continue;
                unit = strndup(*entry, want - *entry);
                if (!unit)
                        return -ENOMEM;
                want++;
                x = BEGIN(c, rule, unit);
                if (!c->live) {
                        TRY(result_offline(x, "A unit's SELinux context"));
                        continue;
                }
                r = probe_unit_property(c, unit, "org.freedesktop.systemd1.Service", "SELinuxContext", &actual);
                if (r < 0) {
                        TRY(result_errno(x, r, check_tmp(c, "the SELinuxContext of %s over D-Bus", unit)));
                        continue;
                }
                TRY(result_evidence(x, check_tmp(c, "dbus:%s SELinuxContext", unit), want, actual));
                TRY(result_set(x, streq(actual, want) ? RULE_PASS : RULE_FAIL, "%s runs %s %s", unit,
                               streq(actual, want) ? "in" : "not in", want));
        }
        return 0;
}

/* ---- [Audit] ---- */

typedef struct LoadedRules {
        struct audit_rule_data **rules;
        size_t n;
} LoadedRules;

static int collect_rule(const struct audit_rule_data *r, void *userdata) {
        LoadedRules *l = userdata;
        size_t size = sizeof(struct audit_rule_data) + r->buflen;
        struct audit_rule_data *copy, **n;

        copy = malloc(size);
        if (!copy)
                return -ENOMEM;
        memcpy(copy, r, size);
        n = reallocarray(l->rules, l->n + 1, sizeof(*n));
        if (!n) {
                free(copy);
                return -ENOMEM;
        }
        l->rules = n;
        l->rules[l->n++] = copy;
        return 0;
}

static void loaded_rules_done(LoadedRules *l) {
        for (size_t i = 0; i < l->n; i++)
                free(l->rules[i]);
        free(l->rules);
}

bool audit_rule_loaded(const AuditRule *rule, struct audit_rule_data *const *loaded, size_t n) {
        for (size_t i = 0; i < n; i++)
                if (audit_rule_is_loaded_as(rule, loaded[i]))
                        return true;
        return false;
}

static int check_audit_rules(CheckContext *c, const ComplianceRule *rule) {
        const ProfileAudit *a = &c->profile->audit;
        _cleanup_(loaded_rules_done) LoadedRules loaded = {};
        AuditRule *const *want = a->parsed_rules;
        size_t n_want = a->n_parsed_rules, k = 0;
        int fd, r, probe_r;

        if (!a->rule_sets && !a->rules)
                return 0;
        if (a->rules_error) {
                /* A profile read leniently, or libaudit here not knowing what it names: say so rather
                 * than leave the rules out of the report. */
                ComplianceResult *x = BEGIN(c, rule, NULL);

                return result_set(x, RULE_ERROR, "The profile's audit rules cannot be built: %s", a->rules_error);
        }

        probe_r = c->live ? probe_audit_fd(c, &fd) : -EREMOTE;
        if (probe_r >= 0) {
                /* Every loaded rule, whatever its key. */
                probe_r = audit_list_with_key(fd, NULL, collect_rule, &loaded);
        }

        /* One result per named set, and one per Rule= line. */
        for (char **s = a->rule_sets; s && *s; s++) {
                const char *const *set = audit_rule_set_lookup(*s);
                _cleanup_free_ char *inst = strprintf("@%s", *s);
                ComplianceResult *x;
                size_t missing = 0, total = 0;

                if (!inst) {
                        r = -ENOMEM;
                        goto finish;
                }
                x = check_begin(c, rule, inst);
                if (!x) {
                        r = -ENOMEM;
                        goto finish;
                }
                for (; set && *set; set++, k++, total++) {
                        if (probe_r >= 0 && !audit_rule_loaded(want[k], loaded.rules, loaded.n)) {
                                missing++;
                                r = result_evidence(x, "netlink:audit rule list", want[k]->text, "not loaded");
                                if (r < 0)
                                        goto finish;
                        }
                }
                if (probe_r == -EREMOTE)
                        r = result_offline(x, "The kernel's audit rules");
                else if (probe_r == -EPERM || probe_r == -EACCES)
                        r = result_set(x, RULE_ERROR, "Listing the audit rules needs CAP_AUDIT_CONTROL (run as root)");
                else if (probe_r < 0) {
                        errno = -probe_r;
                        r = result_set(x, RULE_ERROR, "Cannot list the audit rules: %m");
                } else if (missing == 0)
                        r = result_set(x, RULE_PASS, "All %zu rules of @%s are loaded", total, *s);
                else
                        r = result_set(x, RULE_FAIL, "%zu of %zu rules of @%s are not loaded", missing, total, *s);
                if (r < 0)
                        goto finish;
        }
        for (; k < n_want; k++) {
                ComplianceResult *x = check_begin(c, rule, want[k]->text);
                bool found = probe_r >= 0 && audit_rule_loaded(want[k], loaded.rules, loaded.n);

                if (!x) {
                        r = -ENOMEM;
                        goto finish;
                }
                if (probe_r == -EREMOTE)
                        r = result_offline(x, "The kernel's audit rules");
                else if (probe_r == -EPERM || probe_r == -EACCES)
                        r = result_set(x, RULE_ERROR, "Listing the audit rules needs CAP_AUDIT_CONTROL (run as root)");
                else if (probe_r < 0) {
                        errno = -probe_r;
                        r = result_set(x, RULE_ERROR, "Cannot list the audit rules: %m");
                } else {
                        r = result_evidence(x, "netlink:audit rule list", want[k]->text, found ? "loaded" : "not loaded");
                        if (r >= 0)
                                r = result_set(x, found ? RULE_PASS : RULE_FAIL, found ? "The rule is loaded" : "The rule is not loaded");
                }
                if (r < 0)
                        goto finish;
        }
        r = 0;
finish:
        return r;
}

/* [Audit] settings read from the kernel's audit status. */
static int audit_status_result(CheckContext *c, ComplianceResult *x, AuditStatus *ret) {
        int r;

        if (!c->live)
                return result_offline(x, "The kernel's audit status"), 0;
        r = probe_audit_status(c, &ret->enabled, &ret->failure, &ret->backlog_limit, &ret->rate_limit);
        if (r == -EPERM || r == -EACCES)
                return result_set(x, RULE_ERROR, "Reading the audit status needs CAP_AUDIT_CONTROL (run as root)"), 0;
        if (r < 0) {
                errno = -r;
                return result_set(x, RULE_ERROR, "Cannot read the audit status: %m"), 0;
        }
        return 1;
}

static int check_audit_immutable(CheckContext *c, const ComplianceRule *rule) {
        ComplianceResult *x;
        AuditStatus s;
        int r;

        if (c->profile->audit.immutable < 0)
                return 0;
        x = BEGIN(c, rule, NULL);
        r = audit_status_result(c, x, &s);
        if (r <= 0)
                return r;
        TRY(result_evidence(x, "netlink:audit status enabled", c->profile->audit.immutable ? "2" : "0 or 1",
                            check_tmp(c, "%u", s.enabled)));
        if (c->profile->audit.immutable)
                return result_set(x, s.enabled == 2 ? RULE_PASS : RULE_FAIL,
                                  s.enabled == 2 ? "The audit configuration is locked until reboot"
                                                 : "The audit configuration is not locked (enabled=%u)", s.enabled);
        return result_set(x, s.enabled == 2 ? RULE_FAIL : RULE_PASS, "enabled=%u", s.enabled);
}

static int check_audit_number(CheckContext *c, const ComplianceRule *rule, uint64_t want, const char *field, bool at_least) {
        ComplianceResult *x;
        AuditStatus s;
        unsigned v;
        int r;

        if (want == NUMBER_UNSET)
                return 0;
        x = BEGIN(c, rule, NULL);
        r = audit_status_result(c, x, &s);
        if (r <= 0)
                return r;
        v = streq(field, "backlog_limit") ? s.backlog_limit : s.rate_limit;
        TRY(result_evidence(x, check_tmp(c, "netlink:audit status %s", field),
                            check_tmp(c, "%s%" PRIu64, at_least ? ">= " : "", want), check_tmp(c, "%u", v)));
        if (at_least ? v >= want : v == want)
                return result_set(x, RULE_PASS, "%s is %u", field, v);
        return result_set(x, RULE_FAIL, "%s is %u, expected %s%" PRIu64, field, v, at_least ? "at least " : "", want);
}

static int check_audit_backlog(CheckContext *c, const ComplianceRule *rule) {
        return check_audit_number(c, rule, c->profile->audit.backlog_limit, "backlog_limit", true);
}

static int check_audit_rate_limit(CheckContext *c, const ComplianceRule *rule) {
        return check_audit_number(c, rule, c->profile->audit.rate_limit, "rate_limit", false);
}

static int check_audit_failure_mode(CheckContext *c, const ComplianceRule *rule) {
        int want = c->profile->audit.failure_mode;
        ComplianceResult *x;
        AuditStatus s;
        int r;

        if (want < 0)
                return 0;
        x = BEGIN(c, rule, NULL);
        r = audit_status_result(c, x, &s);
        if (r <= 0)
                return r;
        TRY(result_evidence(x, "netlink:audit status failure", audit_failure_mode_to_string(want),
                            audit_failure_mode_to_string((int) s.failure) ?: check_tmp(c, "%u", s.failure)));
        return result_set(x, (int) s.failure == want ? RULE_PASS : RULE_FAIL, "The audit failure mode is %s",
                          audit_failure_mode_to_string((int) s.failure) ?: "unknown");
}

/* ---- [Kernel] ---- */

/* The settings as apply plans them: each once, with the value of its last assignment, compared as the
 * kernel prints values. */
static int check_sysctl(CheckContext *c, const ComplianceRule *rule) {
        const ProfileKernel *k = &c->profile->kernel;

        for (size_t i = 0; i < k->n_sysctl_settings; i++) {
                const char *name = k->sysctl_settings[i].key, *want = k->sysctl_settings[i].value;
                _cleanup_free_ char *value = NULL, *path = NULL;
                ComplianceResult *x;
                int r;

                x = BEGIN(c, rule, name);
                r = probe_sysctl(c, name, &value, &path);
                if (r == -ENOENT) {
                        _cleanup_free_ char *dir = NULL;

                        /* Offline trees have no /proc/sys; a running kernel without the knob
                         * cannot be set to the value. */
                        if (!c->live && probe_read_file(c, "/proc/sys/kernel/osrelease", 0, &dir) < 0) {
                                TRY(result_offline(x, "A kernel setting"));
                                continue;
                        }
                        TRY(result_evidence(x, check_tmp(c, "/proc/sys/%s", name), want, "missing"));
                        TRY(result_set(x, RULE_FAIL, "The kernel has no setting %s", name));
                        continue;
                }
                if (r < 0) {
                        TRY(result_errno(x, r, check_tmp(c, "sysctl %s", name)));
                        continue;
                }
                TRY(result_evidence(x, path, want, value));
                if (sysctl_value_equal(value, want))
                        TRY(result_set(x, RULE_PASS, "%s = %s", name, value));
                else
                        TRY(result_set(x, RULE_FAIL, "%s = %s, expected %s", name, value, want));
        }
        return 0;
}

static int check_lockdown(CheckContext *c, const ComplianceRule *rule) {
        int want = c->profile->kernel.lockdown;
        _cleanup_free_ char *mode = NULL;
        ComplianceResult *x;
        int r, have;

        if (want < 0)
                return 0;
        x = BEGIN(c, rule, NULL);
        r = probe_lockdown(c, &mode);
        if (r == -ENOENT && c->live) {
                TRY(result_evidence(x, "/sys/kernel/security/lockdown", lockdown_mode_to_string(want), "missing (no lockdown LSM)"));
                return result_set(x, want == LOCKDOWN_NONE ? RULE_PASS : RULE_FAIL, "The kernel has no lockdown LSM");
        }
        if (r < 0)
                return result_missing_state(c, x, r, "/sys/kernel/security/lockdown");
        TRY(result_evidence(x, "/sys/kernel/security/lockdown", check_tmp(c, "%s or stricter", lockdown_mode_to_string(want)), mode));
        have = streq(mode, "confidentiality") ? LOCKDOWN_CONFIDENTIALITY : streq(mode, "integrity") ? LOCKDOWN_INTEGRITY : LOCKDOWN_NONE;
        if (have >= want)
                return result_set(x, RULE_PASS, "Kernel lockdown is %s", mode);
        return result_set(x, RULE_FAIL, "Kernel lockdown is %s, expected %s", mode, lockdown_mode_to_string(want));
}

/* Whether the running kernel supports loadable modules at all. */
static bool kernel_has_modules(CheckContext *c) {
        _cleanup_close_ int fd = open_in_root(c->root_fd, "/proc/modules", O_PATH);

        return fd >= 0;
}

static int check_module_loading(CheckContext *c, const ComplianceRule *rule) {
        int want = c->profile->kernel.module_loading;
        _cleanup_free_ char *disabled = NULL, *sig = NULL, *lockdown = NULL;
        ComplianceResult *x;
        int r;

        if (want < 0)
                return 0;
        x = BEGIN(c, rule, NULL);
        if (want == MODULES_ALLOW)
                return result_set(x, RULE_PASS, "ModuleLoading=allow asks for nothing");
        r = probe_sysctl(c, "kernel.modules_disabled", &disabled, NULL);
        if (r == -ENOENT && c->live && !kernel_has_modules(c)) {
                TRY(result_evidence(x, "/proc/modules", "module loading restricted", "missing: no loadable module support"));
                return result_set(x, RULE_PASS, "The kernel cannot load modules at all");
        }
        if (r < 0)
                return result_missing_state(c, x, r, "/proc/sys/kernel/modules_disabled");
        TRY(result_evidence(x, "/proc/sys/kernel/modules_disabled", want == MODULES_LOCKED ? "1" : "0 or 1", disabled));
        if (want == MODULES_LOCKED)
                return result_set(x, streq(disabled, "1") ? RULE_PASS : RULE_FAIL,
                                  streq(disabled, "1") ? "Module loading is locked" : "Modules can still be loaded");
        if (streq(disabled, "1"))
                return result_set(x, RULE_PASS, "Module loading is locked, which is stricter than signed");
        /* Signed only: the module.sig_enforce parameter, or lockdown (which enforces signatures). */
        r = probe_read_line(c, "/sys/module/module/parameters/sig_enforce", &sig);
        TRY(result_evidence(x, "/sys/module/module/parameters/sig_enforce", "Y", r >= 0 ? sig : "missing"));
        if (r >= 0 && streq(sig, "Y"))
                return result_set(x, RULE_PASS, "Only signed modules can be loaded");
        if (probe_lockdown(c, &lockdown) >= 0 && !streq(lockdown, "none")) {
                TRY(result_evidence(x, "/sys/kernel/security/lockdown", "integrity or confidentiality", lockdown));
                return result_set(x, RULE_PASS, "Lockdown (%s) enforces module signatures", lockdown);
        }
        if (r == -ENOENT && !c->live)
                return result_offline(x, "The module signature policy");
        return result_set(x, RULE_FAIL, "Unsigned modules can be loaded");
}

static bool modprobe_denies(const char *text, const char *module, bool *ret_blacklisted) {
        bool install = false;

        for (const char *l = text; l && *l;) {
                const char *end = strchrnul(l, '\n');
                _cleanup_free_ char *line = strndup(l, end - l);
                const char *p, *rest;

                l = *end ? end + 1 : NULL;
                if (!line)
                        return false;
                p = line + strspn(line, " \t");
                if ((rest = startswith(p, "blacklist"))) {
                        rest += strspn(rest, " \t");
                        if (strneq(rest, module, strlen(module)) && strchr(" \t", rest[strlen(module)]))
                                *ret_blacklisted = true;
                } else if ((rest = startswith(p, "install"))) {
                        rest += strspn(rest, " \t");
                        if (strneq(rest, module, strlen(module)) && strchr(" \t", rest[strlen(module)]) && rest[strlen(module)]) {
                                const char *cmd = rest + strlen(module);

                                cmd += strspn(cmd, " \t");
                                if (startswith(cmd, "/bin/false") || startswith(cmd, "/bin/true") ||
                                    startswith(cmd, "/usr/bin/false") || startswith(cmd, "/usr/bin/true"))
                                        install = true;
                        }
                }
        }
        return install;
}

static int check_deny_module(CheckContext *c, const ComplianceRule *rule) {
        static const char *const dirs[] = { "/etc/modprobe.d", "/run/modprobe.d", "/usr/local/lib/modprobe.d", "/usr/lib/modprobe.d", "/lib/modprobe.d" };
        _cleanup_strv_free_ char **texts = NULL, **names = NULL;
        _cleanup_free_ char *modules = NULL;
        int modules_r;

        if (!c->profile->kernel.deny_modules)
                return 0;

        /* Every modprobe.d file, read once. */
        for (size_t i = 0; i < ELEMENTSOF(dirs); i++) {
                _cleanup_close_ int fd = open_in_root(c->root_fd, dirs[i], O_RDONLY | O_DIRECTORY);
                DIR *d;

                if (fd < 0)
                        continue;
                d = fdopendir(fd);
                if (!d)
                        continue;
                TAKE_FD(fd);
                for (struct dirent *de; (de = readdir(d));) {
                        _cleanup_free_ char *p = NULL, *t = NULL;

                        if (!endswith(de->d_name, ".conf"))
                                continue;
                        p = strprintf("%s/%s", dirs[i], de->d_name);
                        if (!p || probe_read_file(c, p, 1024 * 1024, &t) < 0)
                                continue;
                        if (strv_extend(&names, p) < 0 || strv_consume(&texts, TAKE_PTR(t)) < 0) {
                                closedir(d);
                                return -ENOMEM;
                        }
                }
                closedir(d);
        }
        modules_r = probe_read_file(c, "/proc/modules", 0, &modules);

        STRV_FOREACH(m, c->profile->kernel.deny_modules) {
                ComplianceResult *x = BEGIN(c, rule, *m);
                const char *denied_by = NULL;
                bool blacklisted = false, loaded = false;

                for (size_t i = 0; texts && texts[i] && !denied_by; i++)
                        if (modprobe_denies(texts[i], *m, &blacklisted))
                                denied_by = names[i];
                TRY(result_evidence(x, "modprobe.d", check_tmp(c, "install %s /bin/false", *m),
                                    denied_by ? check_tmp(c, "in %s", denied_by) : blacklisted ? "blacklisted only" : "not denied"));
                if (modules_r >= 0) {
                        size_t n = strlen(*m);

                        for (const char *l = modules; l && *l && !loaded; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL)
                                loaded = strneq(l, *m, n) && l[n] == ' ';
                        TRY(result_evidence(x, "/proc/modules", "not loaded", loaded ? "loaded" : "not loaded"));
                }
                if (loaded)
                        TRY(result_set(x, RULE_FAIL, "%s is loaded", *m));
                else if (c->live && modules_r == -ENOENT)
                        TRY(result_set(x, RULE_PASS, "The kernel cannot load modules at all, %s included", *m));
                else if (!denied_by)
                        TRY(result_set(x, RULE_FAIL, "Nothing stops %s from being loaded%s", *m, blacklisted ? " (a blacklist entry stops only aliases)" : ""));
                else
                        TRY(result_set(x, RULE_PASS, "%s cannot be loaded (%s)", *m, denied_by));
        }
        return 0;
}

static int check_cmdline(CheckContext *c, const ComplianceRule *rule) {
        const char *cmdline = NULL;
        int cr;

        if (!c->profile->kernel.command_line)
                return 0;
        cr = probe_cmdline(c, &cmdline);
        STRV_FOREACH(w, c->profile->kernel.command_line) {
                _cleanup_free_ char *actual = NULL;
                ComplianceResult *x = BEGIN(c, rule, *w);
                int r;

                if (cr < 0) {
                        TRY(result_missing_state(c, x, cr, "/proc/cmdline"));
                        continue;
                }
                r = cmdline_has(cmdline, *w, &actual);
                if (r < 0)
                        return r;
                TRY(result_evidence(x, "/proc/cmdline", *w, !actual ? "absent" : strchr(*w, '=') ? check_tmp(c, "%.*s=%s", (int) strcspn(*w, "="), *w, actual) : "present"));
                TRY(result_set(x, r > 0 ? RULE_PASS : RULE_FAIL, r > 0 ? "%s is on the kernel command line" : "%s is not on the kernel command line", *w));
        }
        return 0;
}

/* ---- [Mounts] ---- */

static int check_mount_options(CheckContext *c, const ComplianceRule *rule) {
        STRV_FOREACH(entry, c->profile->mounts.options) {
                _cleanup_free_ char *path = NULL;
                const char *opts = strchr(*entry, ' ');
                ComplianceResult *x;
                struct libmnt_fs *fs;
                bool exact;
                int r;

                if (!opts)
                        continue;
                path = strndup(*entry, opts - *entry);
                if (!path)
                        return -ENOMEM;
                opts++;
                r = probe_mount_for_path(c, path, &fs, &exact);
                for (const char *o = opts; *o;) {
                        size_t n = strcspn(o, ",");
                        _cleanup_free_ char *opt = strndup(o, n), *inst = NULL;

                        o += n + (o[n] == ',');
                        if (!opt)
                                return -ENOMEM;
                        inst = strprintf("%s %s", path, opt);
                        if (!inst)
                                return -ENOMEM;
                        x = BEGIN(c, rule, inst);
                        if (r == -ENOENT && !c->live) {
                                TRY(result_offline(x, "The mount table"));
                                continue;
                        }
                        if (r < 0) {
                                TRY(result_errno(x, r, "/proc/self/mountinfo"));
                                continue;
                        }
                        TRY(result_evidence(x, c->mounts_source, opt,
                                            check_tmp(c, "%s on %s: %s", strna(mnt_fs_get_fstype(fs)), strna(mnt_fs_get_target(fs)),
                                                          strna(mnt_fs_get_vfs_options(fs)))));
                        if (mount_has_option(fs, opt))
                                TRY(result_set(x, RULE_PASS, "%s is mounted %s%s", path, opt, exact ? "" : check_tmp(c, " (through %s)", mnt_fs_get_target(fs))));
                        else
                                TRY(result_set(x, RULE_FAIL, "%s is not mounted %s%s", path, opt,
                                               exact ? "" : check_tmp(c, " (it is part of %s)", mnt_fs_get_target(fs))));
                }
        }
        return 0;
}

static int check_mount_separate(CheckContext *c, const ComplianceRule *rule) {
        STRV_FOREACH(path, c->profile->mounts.separate) {
                ComplianceResult *x = BEGIN(c, rule, *path);
                struct libmnt_fs *fs;
                bool exact;
                int r;

                r = probe_mount_for_path(c, *path, &fs, &exact);
                if (r == -ENOENT && !c->live) {
                        TRY(result_offline(x, "The mount table"));
                        continue;
                }
                if (r < 0) {
                        TRY(result_errno(x, r, "/proc/self/mountinfo"));
                        continue;
                }
                TRY(result_evidence(x, c->mounts_source, check_tmp(c, "a mount on %s", *path),
                                    check_tmp(c, "%s on %s", strna(mnt_fs_get_source(fs)), strna(mnt_fs_get_target(fs)))));
                TRY(result_set(x, exact ? RULE_PASS : RULE_FAIL, exact ? "%s is a mount of its own" : "%s is not a mount of its own", *path));
        }
        return 0;
}

/* ---- [Services] ---- */

typedef struct ServiceProperty {
        const char *property;
        size_t offset;  /* into ProfileServices: an int (tristate or enum) */
        const char *(*to_string)(int v);
        unsigned weight; /* exposure weight, as systemd-analyze security weighs similar settings */
} ServiceProperty;

static const char *yes_no(int v) {
        return v ? "yes" : "no";
}

#define SP(name, field, str, w) { name, offsetof(ProfileServices, field), str, w }
static const ServiceProperty service_properties[] = {
        SP("NoNewPrivileges", no_new_privileges, yes_no, 1000),
        SP("ProtectSystem", protect_system, protect_system_to_string, 1000),
        SP("ProtectHome", protect_home, protect_home_to_string, 1000),
        SP("PrivateTmp", private_tmp, yes_no, 1000),
        SP("PrivateDevices", private_devices, yes_no, 1000),
        SP("ProtectKernelTunables", protect_kernel_tunables, yes_no, 1000),
        SP("ProtectKernelModules", protect_kernel_modules, yes_no, 1000),
        SP("ProtectKernelLogs", protect_kernel_logs, yes_no, 1000),
        SP("ProtectControlGroups", protect_control_groups, yes_no, 1000),
        SP("RestrictSUIDSGID", restrict_suid_sgid, yes_no, 1000),
        SP("MemoryDenyWriteExecute", memory_deny_write_execute, yes_no, 100),
        SP("LockPersonality", lock_personality, yes_no, 100),
        SP("RestrictRealtime", restrict_realtime, yes_no, 500),
};

/* Whether the unit's value meets the wanted one: for ProtectSystem and ProtectHome, stricter also counts. */
static bool property_meets(const char *property, const char *want, const char *have) {
        static const char *const system_order[] = { "no", "yes", "full", "strict" };
        static const char *const home_order[] = { "no", "read-only", "tmpfs", "yes" };
        const char *const *order = streq(property, "ProtectSystem") ? system_order : streq(property, "ProtectHome") ? home_order : NULL;

        if (streq(want, have))
                return true;
        if (!order)
                return streq(want, "no"); /* a boolean that is on where "no" was asked for is no weakness */
        for (size_t i = 0; i < 4; i++) {
                if (streq(order[i], have))
                        return false;
                if (streq(order[i], want))
                        break;
        }
        for (size_t i = 0; i < 4; i++)
                if (streq(order[i], have))
                        return true;
        return false;
}

static bool list_subset(const char *have, char *const *allowed) {
        _cleanup_free_ char *copy = strdup(have);

        if (!copy || have[0] == '~' || isempty(have))
                return false;
        for (char *s = copy, *t; (t = strsep(&s, " "));)
                if (!isempty(t) && !strv_contains(allowed, t))
                        return false;
        return true;
}

static int check_service_confinement(CheckContext *c, const ComplianceRule *rule) {
        const ProfileServices *s = &c->profile->services;

        STRV_FOREACH(unit, s->confine) {
                ComplianceResult *x = BEGIN(c, rule, *unit);
                unsigned exposure = 0, weights = 0, bad = 0, read = 0;
                int error = 0;

                if (!c->live) {
                        TRY(result_offline(x, "A service's sandboxing"));
                        continue;
                }
                {
                        _cleanup_free_ char *state = NULL;

                        /* A unit the host does not have runs nowhere: nothing to confine. */
                        if (probe_unit_property(c, *unit, "org.freedesktop.systemd1.Unit", "LoadState", &state) >= 0 &&
                            streq(state, "not-found")) {
                                TRY(result_evidence(x, check_tmp(c, "dbus:%s LoadState", *unit), "loaded", state));
                                TRY(result_set(x, RULE_NOTAPPLICABLE, "%s is not installed on this host", *unit));
                                continue;
                        }
                }
                for (size_t i = 0; i < ELEMENTSOF(service_properties); i++) {
                        const ServiceProperty *sp = service_properties + i;
                        int want = *(const int *) ((const uint8_t *) s + sp->offset);
                        _cleanup_free_ char *have = NULL;
                        int r;

                        r = probe_unit_property(c, *unit, "org.freedesktop.systemd1.Service", sp->property, &have);
                        if (r < 0) {
                                error = r;
                                break;
                        }
                        read++;
                        weights += sp->weight;
                        if (streq(have, "no") || streq(have, "false"))
                                exposure += sp->weight;
                        if (want < 0)
                                continue;
                        TRY(result_evidence(x, check_tmp(c, "dbus:%s %s", *unit, sp->property), sp->to_string(want), have));
                        if (!property_meets(sp->property, sp->to_string(want), have))
                                bad++;
                }
                if (!error && s->capability_bounding_set) {
                        _cleanup_free_ char *have = NULL, *want = strv_join(s->capability_bounding_set, " ");
                        int r = probe_unit_property(c, *unit, "org.freedesktop.systemd1.Service", "CapabilityBoundingSet", &have);

                        if (r < 0)
                                error = r;
                        else {
                                TRY(result_evidence(x, check_tmp(c, "dbus:%s CapabilityBoundingSet", *unit),
                                                    check_tmp(c, "at most %s", strna(want)), have));
                                if (!isempty(have) && !list_subset(have, s->capability_bounding_set))
                                        bad++;
                        }
                }
                if (!error && s->restrict_address_families) {
                        _cleanup_free_ char *have = NULL, *want = strv_join(s->restrict_address_families, " ");
                        int r = probe_unit_property(c, *unit, "org.freedesktop.systemd1.Service", "RestrictAddressFamilies", &have);

                        if (r < 0)
                                error = r;
                        else {
                                bool deny = s->restrict_address_families[0][0] == '~';

                                TRY(result_evidence(x, check_tmp(c, "dbus:%s RestrictAddressFamilies", *unit), want, have));
                                if (deny ? isempty(have) : !list_subset(have, s->restrict_address_families))
                                        bad++;
                        }
                }
                if (!error && s->system_call_filter) {
                        _cleanup_free_ char *have = NULL, *want = strv_join(s->system_call_filter, " ");
                        int r = probe_unit_property(c, *unit, "org.freedesktop.systemd1.Service", "SystemCallFilter", &have);

                        if (r < 0)
                                error = r;
                        else {
                                /* Groups are expanded by the service manager: only the presence of a
                                 * filter is compared. */
                                TRY(result_evidence(x, check_tmp(c, "dbus:%s SystemCallFilter", *unit), want,
                                                    isempty(have) ? "none" : check_tmp(c, "%zu system calls %s", words_count(have), have[0] == '~' ? "denied" : "allowed")));
                                if (isempty(have))
                                        bad++;
                        }
                }
                if (error) {
                        TRY(result_errno(x, error, check_tmp(c, "the properties of %s over D-Bus", *unit)));
                        continue;
                }
                TRY(result_evidence(x, "exposure (0 = fully sandboxed, 10 = not at all)", NULL,
                                    check_tmp(c, "%.1f", weights ? 10.0 * exposure / weights : 10.0)));
                if (bad == 0)
                        TRY(result_set(x, RULE_PASS, "%s is confined as the profile asks", *unit));
                else
                        TRY(result_set(x, RULE_FAIL, "%s misses %u of the profile's sandboxing settings", *unit, bad));
        }
        return 0;
}

static int check_service_masked(CheckContext *c, const ComplianceRule *rule) {
        static const char *const dirs[] = { "/etc/systemd/system", "/run/systemd/system", "/run/systemd/generator.early" };

        STRV_FOREACH(unit, c->profile->services.mask) {
                ComplianceResult *x = BEGIN(c, rule, *unit);
                _cleanup_free_ char *state = NULL;
                const char *masked_by = NULL;

                sd_bus *bus;

                /* The service manager knows best; without it (offline, or not running) the unit
                 * directories tell. */
                if (c->live && probe_bus(c, &bus) >= 0) {
                        int r = probe_unit_property(c, *unit, "org.freedesktop.systemd1.Unit", "LoadState", &state);

                        if (r < 0) {
                                TRY(result_errno(x, r, check_tmp(c, "the LoadState of %s over D-Bus", *unit)));
                                continue;
                        }
                        TRY(result_evidence(x, check_tmp(c, "dbus:%s LoadState", *unit), "masked", state));
                        TRY(result_set(x, streq(state, "masked") ? RULE_PASS : RULE_FAIL, "%s is %s", *unit, state));
                        continue;
                }
                for (size_t i = 0; i < ELEMENTSOF(dirs) && !masked_by; i++) {
                        _cleanup_free_ char *p = strprintf("%s/%s", dirs[i], *unit);
                        char target[PATH_MAX];
                        _cleanup_close_ int dfd = -EBADF;
                        ssize_t k;

                        if (!p)
                                return -ENOMEM;
                        dfd = open_in_root(c->root_fd, dirs[i], O_PATH | O_DIRECTORY);
                        if (dfd < 0)
                                continue;
                        k = readlinkat(dfd, *unit, target, sizeof(target) - 1);
                        if (k > 0) {
                                target[k] = 0;
                                if (streq(target, "/dev/null"))
                                        masked_by = dirs[i];
                        }
                }
                TRY(result_evidence(x, "unit directories", "a symlink to /dev/null", masked_by ?: "none"));
                TRY(result_set(x, masked_by ? RULE_PASS : RULE_FAIL, masked_by ? "%s is masked" : "%s is not masked", *unit));
        }
        return 0;
}

/* ---- [Access] ---- */

static bool access_managed(const ProfileAccess *a) {
        return a->admin_groups || a->admin_users || a->root_login >= 0 || a->allow_nopasswd_sudo >= 0;
}

static int check_uid0(CheckContext *c, const ComplianceRule *rule) {
        _cleanup_strv_free_ char **others = NULL;
        _cleanup_free_ char *joined = NULL;
        const Accounts *a;
        ComplianceResult *x;
        int r;

        if (!access_managed(&c->profile->access))
                return 0;
        x = BEGIN(c, rule, NULL);
        r = probe_accounts(c, &a);
        if (r < 0)
                return result_errno(x, r, "/etc/passwd");
        for (size_t i = 0; i < a->n_users; i++)
                if (a->users[i].uid == 0 && !streq(a->users[i].name, "root") && strv_extend(&others, a->users[i].name) < 0)
                        return -ENOMEM;
        joined = others ? strv_join(others, " ") : strdup("root only");
        if (!joined)
                return -ENOMEM;
        TRY(result_evidence(x, "/etc/passwd", "root only", joined));
        return result_set(x, others ? RULE_FAIL : RULE_PASS, others ? "Accounts other than root have UID 0: %s" : "Only root has UID 0", joined);
}

static int str_ptr_compare(const void *a, const void *b) {
        return strcmp(*(char *const *) a, *(char *const *) b);
}

static int check_admin_members(CheckContext *c, const ComplianceRule *rule) {
        const ProfileAccess *p = &c->profile->access;
        const Accounts *a;
        int r;

        if (!p->admin_groups)
                return 0;
        r = probe_accounts(c, &a);
        STRV_FOREACH(g, p->admin_groups) {
                _cleanup_(strv_builder_done) StrvBuilder mb = {}, ib = {};
                _cleanup_strv_free_ char **members = NULL, **intruders = NULL;
                _cleanup_free_ char *all = NULL, *bad = NULL, *allowed = NULL;
                _cleanup_free_ char **sorted_allowed = NULL;
                ComplianceResult *x = BEGIN(c, rule, *g);
                size_t n_allowed = strv_length(p->admin_users);
                const GroupEntry *ge;

                if (r < 0) {
                        TRY(result_errno(x, r, "/etc/passwd and /etc/group"));
                        continue;
                }
                ge = accounts_group(a, *g);
                if (!ge) {
                        TRY(result_evidence(x, "/etc/group", check_tmp(c, "group %s", *g), "missing"));
                        TRY(result_set(x, RULE_PASS, "There is no group %s, so it has no members", *g));
                        continue;
                }
                /* Members: listed in /etc/group, or with the group as their primary group; each once, in
                 * the order first seen. Sorting, not pairwise comparison, so that large account
                 * databases take O(n log n). */
                STRV_FOREACH(m, ge->members)
                        if (strv_builder_extend(&mb, *m) < 0)
                                return -ENOMEM;
                for (size_t i = 0; i < a->n_users; i++)
                        if (a->users[i].gid == ge->gid && strv_builder_extend(&mb, a->users[i].name) < 0)
                                return -ENOMEM;
                members = strv_builder_take(&mb);
                if (strv_uniq_stable(members) < 0)
                        return -ENOMEM;
                if (n_allowed > 0) {
                        sorted_allowed = new(char *, n_allowed);
                        if (!sorted_allowed)
                                return -ENOMEM;
                        memcpy(sorted_allowed, p->admin_users, n_allowed * sizeof(char *));
                        qsort(sorted_allowed, n_allowed, sizeof(char *), str_ptr_compare);
                }
                STRV_FOREACH(m, members)
                        if (!(n_allowed > 0 && bsearch(m, sorted_allowed, n_allowed, sizeof(char *), str_ptr_compare)) &&
                            strv_builder_extend(&ib, *m) < 0)
                                return -ENOMEM;
                intruders = strv_builder_take(&ib);
                all = members ? strv_join(members, " ") : strdup("none");
                allowed = p->admin_users ? strv_join(p->admin_users, " ") : strdup("none");
                bad = intruders ? strv_join(intruders, " ") : NULL;
                if (!all || !allowed)
                        return -ENOMEM;
                TRY(result_evidence(x, "/etc/group", check_tmp(c, "members among: %s", allowed), all));
                if (intruders)
                        TRY(result_set(x, RULE_FAIL, "Members of %s not in AdminUsers=: %s", *g, bad));
                else
                        TRY(result_set(x, RULE_PASS, "Every member of %s is allowed", *g));
        }
        return 0;
}

static int check_root_login(CheckContext *c, const ComplianceRule *rule) {
        int want = c->profile->access.root_login;
        _cleanup_free_ char *value = NULL, *source = NULL;
        ComplianceResult *x;
        int r;

        if (want < 0)
                return 0;
        x = BEGIN(c, rule, NULL);
        if (want == ROOT_LOGIN_ALLOW)
                return result_set(x, RULE_PASS, "RootLogin=allow asks for nothing");
        r = probe_sshd_option(c, "PermitRootLogin", &value, &source);
        if (r == -ENOENT) {
                TRY(result_evidence(x, "/etc/ssh/sshd_config", "PermitRootLogin no", "no sshd_config"));
                return result_set(x, RULE_NOTAPPLICABLE, "The SSH server is not installed");
        }
        if (r < 0)
                return result_errno(x, r, "/etc/ssh/sshd_config");
        if (r == 0) {
                /* OpenSSH's default since 7.0. */
                value = strdup("prohibit-password");
                source = strdup("/etc/ssh/sshd_config (default)");
                if (!value || !source)
                        return -ENOMEM;
        }
        TRY(result_evidence(x, source, "PermitRootLogin no", check_tmp(c, "PermitRootLogin %s", value)));
        if (strcasecmp(value, "no") == 0)
                return result_set(x, RULE_PASS, "root cannot log in over SSH");
        return result_set(x, RULE_FAIL, "root can log in over SSH (PermitRootLogin %s)", value);
}

static int check_sudo_authenticate(CheckContext *c, const ComplianceRule *rule) {
        const SudoFindings *f;
        ComplianceResult *x;
        size_t n = 0;
        int r;

        if (c->profile->access.allow_nopasswd_sudo != 0)
                return 0;
        x = BEGIN(c, rule, NULL);
        r = probe_sudoers(c, &f);
        if (r == -ENOENT) {
                TRY(result_evidence(x, "/etc/sudoers", "no NOPASSWD, no !authenticate", "no sudoers"));
                return result_set(x, RULE_NOTAPPLICABLE, "sudo is not installed");
        }
        if (r < 0)
                return result_errno(x, r, "/etc/sudoers");
        for (size_t i = 0; i < f->n; i++, n++)
                TRY(result_evidence(x, check_tmp(c, "%s:%u", f->items[i].file, f->items[i].line),
                                    f->items[i].kind == SUDO_NOPASSWD ? "no NOPASSWD" : "no !authenticate", f->items[i].text));
        if (n > 0)
                return result_set(x, RULE_FAIL, "%zu sudoers entr%s let%s users escalate without a password", n,
                                  n == 1 ? "y" : "ies", n == 1 ? "s" : "");
        TRY(result_evidence(x, check_tmp(c, "%zu sudoers file%s", strv_length(f->files), strv_length(f->files) == 1 ? "" : "s"),
                            "no NOPASSWD, no !authenticate", "none"));
        return result_set(x, RULE_PASS, "sudo asks for a password everywhere");
}

/* ---- [Packages] ---- */

static int check_packages(CheckContext *c, const ComplianceRule *rule) {
        const DpkgDatabase *db = NULL;
        int dr;

        if (!c->profile->packages.forbid)
                return 0;
        dr = probe_dpkg(c, &db);
        STRV_FOREACH(name, c->profile->packages.forbid) {
                ComplianceResult *x = BEGIN(c, rule, *name);
                _cleanup_free_ char *exe = NULL;
                const DpkgPackage *pkg = NULL;
                int er;

                if (dr >= 0) {
                        pkg = dpkg_lookup(db, *name);
                        TRY(result_evidence(x, "/var/lib/dpkg/status", "not installed",
                                            pkg ? check_tmp(c, "%s %s (%s)", pkg->name, pkg->version, pkg->status) : "not installed"));
                } else if (dr != -ENOENT) {
                        TRY(result_errno(x, dr, "/var/lib/dpkg/status"));
                        continue;
                }
                er = probe_executable(c, *name, &exe);
                if (er < 0 && er != -EINVAL)
                        return er;
                TRY(result_evidence(x, "executables", check_tmp(c, "no %s", *name), er > 0 ? exe : "none"));
                if (pkg)
                        TRY(result_set(x, RULE_FAIL, "%s is installed (%s)", *name, pkg->version));
                else if (er > 0)
                        TRY(result_set(x, RULE_FAIL, "%s is on disk at %s, outside the package database", *name, exe));
                else
                        TRY(result_set(x, RULE_PASS, "%s is not installed", *name));
        }
        return 0;
}

/* ---- the catalog ---- */

const ComplianceRule compliance_rules[] = {
        {
                .id = "hardenctl-boot-kill-switch",
                .title = "Hardening cannot be switched off from the boot loader",
                .severity = SEVERITY_HIGH,
                .rationale = "Whoever can edit the kernel command line could otherwise boot without verity, the /etc overlay or the audit rules.",
                .nist = "CM-6 CM-5",
                .remediation = "Set [Profile] AllowKillSwitch=no, remove hardenctl=0 and hardenctl.*=0 from the command line and protect the boot loader configuration.",
                .check = check_kill_switch,
        },
        {
                .id = "hardenctl-usr-verity",
                .title = "/usr is a dm-verity device, verified block by block",
                .severity = SEVERITY_HIGH,
                .rationale = "With dm-verity every block of /usr is checked against a hash tree whose root hash is fixed at boot: a changed binary cannot be read, it is detected.",
                .nist = "SI-7 SI-7(1) SI-7(6) CM-14",
                .remediation = "Build /usr as an image with its hash tree (hardenctl verity format), boot with usrhash= and hardenctl-usr-generator in the initrd.",
                .check = check_usr_verity,
        },
        {
                .id = "hardenctl-usr-verity-root-hash",
                .title = "/usr was opened with the expected root hash",
                .severity = SEVERITY_HIGH,
                .rationale = "A verity device proves only what its root hash says; the hash must be the one the image was built with.",
                .nist = "SI-7 SI-7(6)",
                .remediation = "Boot with the root hash of the released image (usrhash= or [Usr] RootHash=).",
                .check = check_usr_root_hash,
        },
        {
                .id = "hardenctl-usr-verity-signature",
                .title = "The root hash of /usr is signed and the signature was checked",
                .severity = SEVERITY_HIGH,
                .rationale = "A signed root hash ties /usr to the vendor's key: a command line edited to carry another root hash does not activate.",
                .nist = "SI-7(15) CM-14",
                .remediation = "Ship the PKCS#7 signature of the root hash ([Usr] SignatureFile=) and the signing certificate in the kernel keyring.",
                .check = check_usr_signature,
        },
        {
                .id = "hardenctl-usr-verity-corruption",
                .title = "Corruption of /usr is acted on as the profile says",
                .severity = SEVERITY_MEDIUM,
                .rationale = "The kernel's reaction to a block that fails verification decides whether tampering stops the host or only the read.",
                .nist = "SI-7(5) SI-7(8)",
                .remediation = "Set [Usr] OnCorruption= and reboot, so that the device is activated with that flag.",
                .check = check_usr_corruption,
        },
        {
                .id = "hardenctl-usr-read-only",
                .title = "/usr is mounted read-only, with the expected file system",
                .severity = SEVERITY_MEDIUM,
                .rationale = "A read-only /usr cannot be changed at run time without remounting it, which the audit trail records.",
                .nist = "CM-5 SI-7",
                .remediation = "Mount /usr read-only ([Usr] Verity= does, through hardenctl-usr-generator).",
                .check = check_usr_read_only,
        },
        {
                .id = "hardenctl-etc-overlay",
                .title = "/etc is a volatile overlay rebuilt at every boot",
                .severity = SEVERITY_MEDIUM,
                .rationale = "Changes to /etc on a volatile overlay vanish at reboot, and everything changed since boot can be listed.",
                .nist = "CM-2 CM-3 CM-6",
                .remediation = "Set [Etc] Overlay=tmpfs and boot with hardenctl-etc-generator in the initrd.",
                .check = check_etc_overlay,
        },
        {
                .id = "hardenctl-etc-overlay-lower",
                .title = "The lower layer of /etc is the one the profile names",
                .severity = SEVERITY_MEDIUM,
                .rationale = "With the factory copy below a verified /usr as the lower layer, even the baseline of /etc is covered by verity.",
                .nist = "CM-2 SI-7",
                .remediation = "Set [Etc] Lower= (and FactoryDirectory=) and reboot.",
                .check = check_etc_lower,
        },
        {
                .id = "hardenctl-etc-persist",
                .title = "Files the profile keeps across boots are present",
                .severity = SEVERITY_LOW,
                .rationale = "Machine identity and host keys must survive the volatile /etc.",
                .nist = "CM-6",
                .remediation = "Make sure each [Etc] Persist= path exists in the lower layer or is restored at boot.",
                .check = check_etc_persist,
        },
        {
                .id = "hardenctl-etc-drift",
                .title = "/etc has not drifted since boot beyond what is expected",
                .severity = SEVERITY_MEDIUM,
                .rationale = "Every file added, changed or deleted in /etc since boot is in the overlay's upper dir; unexpected changes are configuration drift or tampering.",
                .nist = "CM-3 CM-6 SI-7",
                .remediation = "Review the changes listed; declare legitimate ones in [Etc] ExpectedDrift=, revert the rest (a reboot does).",
                .check = check_etc_drift,
        },
        {
                /* ComplianceAsCode: selinux_state (the running side of it). */
                .id = "hardenctl-selinux-mode",
                .title = "SELinux runs in the mode the profile asks for",
                .severity = SEVERITY_HIGH,
                .rationale = "Mandatory access control confines what a compromised service can reach.",
                .srg = "SRG-OS-000445-GPOS-00199",
                .nist = "AC-3 AC-3(3) AC-3(4) AC-4 AC-6 AU-9 SI-6(a)",
                .remediation = "Install a policy, set [SELinux] Mode=enforcing and boot with hardenctl-selinux.service.",
                .check = check_selinux_mode,
        },
        {
                /* ComplianceAsCode: selinux_state. */
                .id = "hardenctl-selinux-config",
                .title = "/etc/selinux/config agrees with the profile",
                .severity = SEVERITY_MEDIUM,
                .rationale = "The next boot reads the mode and policy from /etc/selinux/config.",
                .srg = "SRG-OS-000445-GPOS-00199",
                .nist = "AC-3 AC-3(3) AC-3(4) AC-4 AC-6 AU-9 SI-6(a)",
                .remediation = "Set SELINUX= and SELINUXTYPE= as the profile says (hardenctl-selinux-config.service does at boot).",
                .check = check_selinux_config,
        },
        {
                .id = "hardenctl-selinux-service-context",
                .title = "Services run in their SELinux contexts",
                .severity = SEVERITY_MEDIUM,
                .rationale = "A service in its own domain can do only what the policy grants that domain.",
                .nist = "AC-3(3) SC-39",
                .remediation = "Set SELinuxContext= for the unit ([SELinux] Context=) and restart it.",
                .check = check_selinux_context,
        },
        {
                /* ComplianceAsCode: the SRG ids every audit_rules_* rule carries (audit_rules_sysadmin_actions,
                 * …). CIS 6.2.3.x and the STIG name single audit rules, not "the profile's rules". */
                .id = "hardenctl-audit-rules",
                .title = "The audit rules the profile asks for are loaded",
                .severity = SEVERITY_MEDIUM,
                .rationale = "Without the rules the kernel records none of the events that regulators ask for.",
                .srg = "SRG-OS-000037-GPOS-00015 SRG-OS-000062-GPOS-00031",
                .nist = "AU-2 AU-12 AU-3",
                .remediation = "Start hardenctl-audit.service, which loads [Audit] Rules= and Rule= through libaudit.",
                .check = check_audit_rules,
        },
        {
                /* ComplianceAsCode: audit_rules_immutable; CIS 6.2.3.20. */
                .id = "hardenctl-audit-immutable",
                .title = "The audit configuration is locked until reboot",
                .severity = SEVERITY_HIGH,
                .rationale = "Locked rules cannot be removed by an attacker who gained root: turning auditing off takes a reboot, which is itself recorded.",
                .cis = "6.2.3.20",
                .srg = "SRG-OS-000057-GPOS-00027 SRG-OS-000058-GPOS-00028 SRG-OS-000059-GPOS-00029",
                .nist = "AC-6(9) CM-6(a)",
                .remediation = "Set [Audit] Immutable=yes; hardenctl-audit.service locks the configuration after loading the rules.",
                .check = check_audit_immutable,
        },
        {
                /* ComplianceAsCode: grub2_audit_backlog_limit_argument; CIS 6.2.1.4. */
                .id = "hardenctl-audit-backlog",
                .title = "The audit backlog can hold bursts of events",
                .severity = SEVERITY_LOW,
                .rationale = "A small backlog loses events, or blocks, under load.",
                .cis = "6.2.1.4",
                .srg = "SRG-OS-000037-GPOS-00015 SRG-OS-000042-GPOS-00020 SRG-OS-000062-GPOS-00031 SRG-OS-000254-GPOS-00095 SRG-OS-000341-GPOS-00132 SRG-OS-000392-GPOS-00172 SRG-OS-000462-GPOS-00206 SRG-OS-000471-GPOS-00215",
                .nist = "CM-6(a)",
                .remediation = "Set [Audit] BacklogLimit= (and audit_backlog_limit= on the command line for early boot).",
                .check = check_audit_backlog,
        },
        {
                .id = "hardenctl-audit-failure-mode",
                .title = "The kernel acts on audit failures as the profile says",
                .severity = SEVERITY_MEDIUM,
                .rationale = "Whether a failure to record is silent, logged or fatal decides whether audit gaps go unnoticed.",
                .nist = "AU-5",
                .remediation = "Set [Audit] FailureMode= and start hardenctl-audit.service.",
                .check = check_audit_failure_mode,
        },
        {
                .id = "hardenctl-audit-rate-limit",
                .title = "The audit rate limit is as the profile says",
                .severity = SEVERITY_LOW,
                .rationale = "A rate limit drops events beyond it.",
                .nist = "AU-5",
                .remediation = "Set [Audit] RateLimit= and start hardenctl-audit.service.",
                .check = check_audit_rate_limit,
        },
        {
                /* ComplianceAsCode: per item (sysctl_* rules, CIS 1.5.x, 3.3.x); the NIST controls are our own. */
                .id = "hardenctl-kernel-sysctl",
                .title = "Kernel settings have the values the profile asks for",
                .severity = SEVERITY_MEDIUM,
                .rationale = "Kernel settings close information leaks (pointers, logs), harden the network stack and restrict debugging interfaces.",
                .nist = "CM-6 CM-7 SC-5 SC-7 SC-30 SC-39",
                .remediation = "Start hardenctl-kernel.service, which writes [Kernel] Sysctl= after systemd-sysctl.",
                .check = check_sysctl,
        },
        {
                .id = "hardenctl-kernel-lockdown",
                .title = "Kernel lockdown is at least at the profile's level",
                .severity = SEVERITY_HIGH,
                .rationale = "Lockdown stops root from changing the running kernel (kexec of unsigned kernels, /dev/mem, unsigned modules, hibernation).",
                .nist = "SI-7 AC-6 CM-7",
                .remediation = "Boot with lockdown=integrity, or start hardenctl-kernel-early.service with [Kernel] Lockdown=.",
                .check = check_lockdown,
        },
        {
                .id = "hardenctl-kernel-module-loading",
                .title = "Kernel module loading is restricted",
                .severity = SEVERITY_HIGH,
                .rationale = "A loaded module runs with the kernel's rights: only signed modules, or none after boot.",
                .nist = "CM-7 CM-14 SI-7",
                .remediation = "Set [Kernel] ModuleLoading=signed (module.sig_enforce=1 or lockdown) or locked (kernel.modules_disabled=1 after boot).",
                .check = check_module_loading,
        },
        {
                /* ComplianceAsCode: per item (kernel_module_*_disabled rules, CIS 1.1.1.x, 3.2.x); the NIST
                 * controls are our own. */
                .id = "hardenctl-kernel-deny-module",
                .title = "Unneeded kernel modules cannot be loaded",
                .severity = SEVERITY_MEDIUM,
                .rationale = "Every file system and protocol module that can be loaded on demand is attack surface.",
                .nist = "CM-7 CM-7(1)",
                .remediation = "List the module in [Kernel] DenyModule=; hardenctl-kernel-early.service writes an install rule that refuses it.",
                .check = check_deny_module,
        },
        {
                .id = "hardenctl-kernel-cmdline",
                .title = "The kernel command line carries the profile's options",
                .severity = SEVERITY_MEDIUM,
                .rationale = "Some hardening (memory initialization, slab merging, early audit) can only be set at boot.",
                .nist = "CM-6 SI-16",
                .remediation = "Add the options to the boot loader entry (or the UKI's command line) and reboot.",
                .check = check_cmdline,
        },
        {
                /* ComplianceAsCode: mount_option_tmp_nodev, mount_option_tmp_noexec; CIS 1.1.2.x per item. */
                .id = "hardenctl-mount-options",
                .title = "Mount points carry the options the profile asks for",
                .severity = SEVERITY_MEDIUM,
                .rationale = "nodev, nosuid and noexec on writable file systems stop device nodes, set-id programs and executables planted there.",
                .srg = "SRG-OS-000368-GPOS-00154",
                .nist = "CM-7(a) CM-7(b) CM-6(a) AC-6 AC-6(1) MP-7",
                .remediation = "Add the options to the mount (fstab or mount unit Options=) and remount.",
                .check = check_mount_options,
        },
        {
                /* ComplianceAsCode: partition_for_var; CIS 1.1.2.x per item. */
                .id = "hardenctl-mount-separate",
                .title = "Directories are mounts of their own",
                .severity = SEVERITY_LOW,
                .rationale = "Separate file systems keep logs and temporary files from filling the root file system, and allow their own mount options.",
                .srg = "SRG-OS-000480-GPOS-00227",
                .nist = "CM-6(a) SC-5(2)",
                .remediation = "Give the directory its own partition, volume or tmpfs.",
                .check = check_mount_separate,
        },
        {
                .id = "hardenctl-service-confinement",
                .title = "Services run with the sandboxing the profile asks for",
                .severity = SEVERITY_MEDIUM,
                .rationale = "Sandboxed services see less of the system, so a compromise reaches less; the exposure figure weighs the settings in the spirit of systemd-analyze security.",
                .nist = "AC-6 SC-39 CM-7",
                .remediation = "Boot with hardenctl-system-generator, which writes the [Services] drop-ins, and restart the service.",
                .check = check_service_confinement,
        },
        {
                /* ComplianceAsCode: per item (disable_ctrlaltdel_reboot); the NIST controls are our own. */
                .id = "hardenctl-service-masked",
                .title = "Units the profile forbids are masked",
                .severity = SEVERITY_MEDIUM,
                .rationale = "A masked unit cannot be started, not even as a dependency.",
                .nist = "CM-7",
                .remediation = "systemctl mask UNIT (hardenctl-system-generator masks [Services] Mask= at boot).",
                .check = check_service_masked,
        },
        {
                /* ComplianceAsCode: accounts_no_uid_except_zero; CIS 5.4.2.1. */
                .id = "hardenctl-access-uid0",
                .title = "root is the only account with UID 0",
                .severity = SEVERITY_HIGH,
                .rationale = "Any other UID 0 account is a second root that escapes accountability.",
                .cis = "5.4.2.1",
                .srg = "SRG-OS-000480-GPOS-00227",
                .nist = "IA-2 AC-6(5) IA-4(b)",
                .remediation = "Remove the other UID 0 accounts or give them their own UIDs.",
                .check = check_uid0,
        },
        {
                /* ComplianceAsCode: ensure_sudo_group_restricted (STIG UBTU-22-432015); the NIST controls are
                 * our own. */
                .id = "hardenctl-access-admin-members",
                .title = "Only allowed accounts are members of administrative groups",
                .severity = SEVERITY_HIGH,
                .rationale = "Membership of sudo and similar groups grants root; it must match the approved list.",
                .stig = "UBTU-22-432015",
                .nist = "AC-2 AC-6(5) AC-6(7)",
                .remediation = "Remove the accounts not in [Access] AdminUsers= from the group (gpasswd -d USER GROUP).",
                .check = check_admin_members,
        },
        {
                /* ComplianceAsCode: sshd_disable_root_login; CIS 5.1.20. */
                .id = "hardenctl-access-root-login",
                .title = "root cannot log in over SSH",
                .severity = SEVERITY_HIGH,
                .rationale = "Direct root logins are anonymous in the audit trail and expose the most powerful account to the network.",
                .cis = "5.1.20",
                .srg = "SRG-OS-000109-GPOS-00056 SRG-OS-000480-GPOS-00227",
                .nist = "AC-6(2) AC-17(a) IA-2 IA-2(5) CM-7(a) CM-7(b) CM-6(a)",
                .remediation = "Set PermitRootLogin no in /etc/ssh/sshd_config (before any Match block) and reload sshd.",
                .check = check_root_login,
        },
        {
                /* ComplianceAsCode: sudo_require_authentication (CIS 5.2.4, STIG UBTU-22-432010) and
                 * sudo_remove_no_authenticate (CIS 5.2.5). */
                .id = "hardenctl-access-sudo-authenticate",
                .title = "sudo always asks for a password",
                .severity = SEVERITY_HIGH,
                .rationale = "NOPASSWD and !authenticate let anything running as the user become root unnoticed.",
                .cis = "5.2.4 5.2.5",
                .srg = "SRG-OS-000373-GPOS-00156 SRG-OS-000373-GPOS-00157 SRG-OS-000373-GPOS-00158",
                .stig = "UBTU-22-432010",
                .nist = "IA-11 CM-6(a)",
                .remediation = "Remove NOPASSWD tags and !authenticate defaults from /etc/sudoers and /etc/sudoers.d.",
                .check = check_sudo_authenticate,
        },
        {
                /* ComplianceAsCode: per item (package_*_removed rules, CIS 2.1.x, 2.2.x); the NIST controls are
                 * our own. */
                .id = "hardenctl-packages-forbidden",
                .title = "Software the profile forbids is not installed",
                .severity = SEVERITY_MEDIUM,
                .rationale = "Compilers, debuggers, legacy clear-text clients and servers widen what an intruder can do.",
                .nist = "CM-7 CM-7(4) CM-11",
                .remediation = "apt-get purge PACKAGE; remove binaries installed outside the package manager.",
                .check = check_packages,
        },
};
const size_t compliance_n_rules = ELEMENTSOF(compliance_rules);
