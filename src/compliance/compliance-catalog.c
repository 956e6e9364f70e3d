/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* The rule catalog: the rules of the rules-SECTION.c files in the order they are checked and reported,
 * and the references per item. Every key of the profile's key tables names the rules it drives (the
 * "rules" column of profile-schema.c, without the "hardenctl-" prefix); each rule judges the live
 * state, or an image tree, against what the profile asks for, and says nothing when the profile leaves
 * the setting unset. Rules that apply to many items (sysctls, modules, packages, mount points, units)
 * report one result per item, the item being the result's instance.
 *
 * References, verified against the ComplianceAsCode project's data: CIS Debian Linux 12 Benchmark
 * v1.1.0 item numbers as controls/cis_debian12.yml (version 1.1.0) lists them; DISA General Purpose
 * Operating System SRG ids and NIST SP 800-53 rev5 controls as the references: of the rule named at
 * the head of each rule's definition (linux_os/guide/…/rule.yml); Canonical Ubuntu 22.04 LTS STIG ids
 * (the Debian-family STIG closest to Debian 12) as controls/stig_ubuntu2204.yml (V2R3) maps them. A
 * rule with no such comment has no counterpart there: it carries no CIS, SRG or STIG reference, and
 * its NIST controls are this catalog's own reading of SP 800-53. Rules that apply to items carry their
 * CIS items per item, in the tables below, and no CIS item of their own. */

#include "compliance-rules.h"

/* ---- per-item references ----
 *
 * Each entry is the ComplianceAsCode rule of that item (the sysctl_*, kernel_module_*_disabled,
 * package_*_removed, mount_option_* and partition_for_* rules) as controls/cis_debian12.yml and
 * controls/stig_ubuntu2204.yml map it; package names are Debian's for the package the rule removes. */

static const ItemRef sysctl_refs[] = {
        { "kernel.randomize_va_space", "1.5.1", "SRG-OS-000433-GPOS-00193 SRG-OS-000480-GPOS-00227", "UBTU-22-213020" },
        { "kernel.yama.ptrace_scope", "1.5.2", NULL, NULL },
        { "fs.suid_dumpable", "1.5.3", NULL, NULL },
        { "kernel.kptr_restrict", NULL, "SRG-OS-000132-GPOS-00067", NULL },
        { "kernel.dmesg_restrict", NULL, "SRG-OS-000132-GPOS-00067 SRG-OS-000138-GPOS-00069", "UBTU-22-213010" },
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
        { "bluez", "3.1.3", NULL, NULL },
        { "gdm3", "1.7.1", NULL, NULL },
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

#define ITEM_TABLE(id, t, ...) \
        { id, t, ELEMENTSOF(t), __VA_ARGS__ }
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

        if (rule->items) {
                *ret_n = rule->n_items;
                return rule->items;
        }

        *ret_n = t ? t->n : 0;
        return t ? t->refs : NULL;
}

const ItemRef *compliance_item_refs(const ComplianceRule *rule, const char *instance) {
        const ItemTable *t = item_table(rule);

        if (rule->items && instance) {
                for (size_t i = 0; i < rule->n_items; i++)
                        if (streq(rule->items[i].item, instance))
                                return rule->items + i;
                return NULL;
        }

        if (!t || !instance)
                return NULL;
        for (size_t i = 0; i < t->n; i++)
                if (t->module_names ? module_name_equal(t->refs[i].item, instance) : streq(t->refs[i].item, instance))
                        return t->refs + i;
        return NULL;
}

/* ---- the catalog ---- */

/* Every rule, in the order they are checked and reported: section by section, as profiles list them. */
const ComplianceRule *const compliance_rules[] = {
        &rule_boot_kill_switch,
        &rule_usr_verity,
        &rule_usr_verity_root_hash,
        &rule_usr_verity_signature,
        &rule_usr_verity_corruption,
        &rule_usr_read_only,
        &rule_etc_overlay,
        &rule_etc_overlay_lower,
        &rule_etc_persist,
        &rule_etc_drift,
        &rule_selinux_mode,
        &rule_selinux_config,
        &rule_selinux_service_context,
        &rule_audit_rules,
        &rule_audit_immutable,
        &rule_audit_backlog,
        &rule_audit_failure_mode,
        &rule_audit_rate_limit,
        &rule_audit_backlog_wait_time,
        &rule_audit_loginuid_immutable,
        &rule_kernel_sysctl,
        &rule_kernel_lockdown,
        &rule_kernel_module_loading,
        &rule_kernel_deny_module,
        &rule_kernel_cmdline,
        &rule_mount_options,
        &rule_mount_separate,
        &rule_exec_ipe_available,
        &rule_exec_ipe_policy,
        &rule_exec_ipe_enforce,
        &rule_exec_denials,
        &rule_exec_noexec_mounts,
        &rule_service_confinement,
        &rule_service_masked,
        &rule_access_uid0,
        &rule_access_admin_members,
        &rule_access_root_login,
        &rule_access_sudo_authenticate,
        &rule_packages_forbidden,
        &rule_attest_measured,
        &rule_cis_apparmor,
        &rule_cis_file_access,
        &rule_cis_exposure,
        &rule_cis_sshd,
        &rule_cis_password_aging,
        &rule_cis_accounts,
        &rule_cis_pam,
        &rule_cis_sudo,
        &rule_cis_login,
        &rule_cis_time_sync,
        &rule_cis_filesystem_walk,
        &rule_cis_logging,
        &rule_cis_journald,
        &rule_cis_auditd,
        &rule_cis_auditd_conf,
        &rule_cis_audit_rules,
        &rule_cis_file_integrity,
        &rule_cis_boot_password,
        &rule_cis_root_path,
        &rule_cis_firewall,
        &rule_cis_ufw,
        &rule_cis_gdm,
};
const size_t compliance_n_rules = ELEMENTSOF(compliance_rules);

const ComplianceRule *compliance_rule_lookup(const char *id) {
        for (size_t i = 0; i < compliance_n_rules; i++)
                if (streq(compliance_rules[i]->id, id))
                        return compliance_rules[i];
        return NULL;
}
