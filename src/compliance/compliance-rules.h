/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* What the rules files (rules-SECTION.c, one per profile section) share, and the rules they define,
 * which compliance-catalog.c puts in order. */

#include "compliance-catalog.h"
#include "probe.h"
#include "string-util.h"

/* Records the result of one item of a rule that applies to many (a sysctl, a path, a unit, …). Returns 0
 * or a negative errno, as a rule's check does. */
typedef int (*check_item_t)(CheckContext *c, const ComplianceRule *rule, const char *item);

/* Checks each of items in turn, in order; stops at the first error and returns it. */
static inline int check_each(CheckContext *c, const ComplianceRule *rule, char *const *items, check_item_t check_item) {
        int r;

        STRV_FOREACH(i, items) {
                r = check_item(c, rule, *i);
                if (r < 0)
                        return r;
        }
        return 0;
}

/* Whether the mount table is the tree's /etc/fstab (an offline tree), not the mounts of a running system. */
static inline bool mounts_from_fstab(CheckContext *c) {
        return c->mounts_source && streq(c->mounts_source, "/etc/fstab");
}

/* Whether the profile's [Benchmark] CIS= holds one of the (space-separated) benchmark items of cis. */
static inline bool cis_wanted(const CheckContext *c, const char *cis) {
        for (const char *p = cis; p && *p;) {
                size_t n = strcspn(p, " ");

                STRV_FOREACH(i, c->profile->benchmark.cis)
                        if (strlen(*i) == n && strneq(*i, p, n))
                                return true;
                p += n;
                p += strspn(p, " ");
        }
        return false;
}

/* Checks one item of a [Benchmark] rule: rule->items[i]. */
typedef int (*check_index_t)(CheckContext *c, const ComplianceRule *rule, size_t i);

/* Checks each item of rule->items whose benchmark items the profile names, in order; stops at the
 * first error and returns it. */
static inline int check_cis_items(CheckContext *c, const ComplianceRule *rule, check_index_t check_item) {
        for (size_t i = 0; i < rule->n_items; i++) {
                int r;

                if (!cis_wanted(c, rule->items[i].cis))
                        continue;
                r = check_item(c, rule, i);
                if (r < 0)
                        return r;
                check_tmp_clear(c);
        }
        return 0;
}

/* rules-profile.c */
extern const ComplianceRule rule_boot_kill_switch;

/* rules-usr.c */
extern const ComplianceRule rule_usr_verity;
extern const ComplianceRule rule_usr_verity_root_hash;
extern const ComplianceRule rule_usr_verity_signature;
extern const ComplianceRule rule_usr_verity_corruption;
extern const ComplianceRule rule_usr_read_only;

/* rules-etc.c */
extern const ComplianceRule rule_etc_overlay;
extern const ComplianceRule rule_etc_overlay_lower;
extern const ComplianceRule rule_etc_persist;
extern const ComplianceRule rule_etc_drift;

/* rules-selinux.c */
extern const ComplianceRule rule_selinux_mode;
extern const ComplianceRule rule_selinux_config;
extern const ComplianceRule rule_selinux_service_context;

/* rules-audit.c */
extern const ComplianceRule rule_audit_rules;
extern const ComplianceRule rule_audit_immutable;
extern const ComplianceRule rule_audit_backlog;
extern const ComplianceRule rule_audit_failure_mode;
extern const ComplianceRule rule_audit_rate_limit;
extern const ComplianceRule rule_audit_backlog_wait_time;
extern const ComplianceRule rule_audit_loginuid_immutable;

/* rules-kernel.c */
extern const ComplianceRule rule_kernel_sysctl;
extern const ComplianceRule rule_kernel_lockdown;
extern const ComplianceRule rule_kernel_module_loading;
extern const ComplianceRule rule_kernel_deny_module;
extern const ComplianceRule rule_kernel_cmdline;

/* rules-mounts.c */
extern const ComplianceRule rule_mount_options;
extern const ComplianceRule rule_mount_separate;

/* rules-exec.c */
extern const ComplianceRule rule_exec_ipe_available;
extern const ComplianceRule rule_exec_ipe_policy;
extern const ComplianceRule rule_exec_ipe_enforce;
extern const ComplianceRule rule_exec_denials;
extern const ComplianceRule rule_exec_noexec_mounts;

/* rules-services.c */
extern const ComplianceRule rule_service_confinement;
extern const ComplianceRule rule_service_masked;

/* rules-access.c */
extern const ComplianceRule rule_access_uid0;
extern const ComplianceRule rule_access_admin_members;
extern const ComplianceRule rule_access_root_login;
extern const ComplianceRule rule_access_sudo_authenticate;

/* rules-attest.c */
extern const ComplianceRule rule_attest_measured;

/* rules-packages.c */
extern const ComplianceRule rule_packages_forbidden;

/* [Benchmark]: rules-cis-apparmor.c */
extern const ComplianceRule rule_cis_apparmor;

/* rules-cis-exposure.c */
extern const ComplianceRule rule_cis_exposure;

/* rules-cis-files.c */
extern const ComplianceRule rule_cis_file_access;

/* rules-cis-sshd.c */
extern const ComplianceRule rule_cis_sshd;

/* rules-cis-aging.c */
extern const ComplianceRule rule_cis_password_aging;

/* rules-cis-accounts.c */
extern const ComplianceRule rule_cis_accounts;

/* rules-cis-pam.c */
extern const ComplianceRule rule_cis_pam;

/* rules-cis-sudo.c */
extern const ComplianceRule rule_cis_sudo;

/* rules-cis-shell.c */
extern const ComplianceRule rule_cis_login;

/* rules-cis-time.c */
extern const ComplianceRule rule_cis_time_sync;

/* rules-cis-walk.c */
extern const ComplianceRule rule_cis_filesystem_walk;

/* rules-cis-journald.c */
extern const ComplianceRule rule_cis_journald;

/* rules-cis-logging.c */
extern const ComplianceRule rule_cis_logging;

/* rules-cis-auditd.c */
extern const ComplianceRule rule_cis_auditd;
extern const ComplianceRule rule_cis_auditd_conf;

/* rules-cis-audit-rules.c */
extern const ComplianceRule rule_cis_audit_rules;

/* rules-cis-integrity.c */
extern const ComplianceRule rule_cis_file_integrity;

/* rules-cis-boot.c */
extern const ComplianceRule rule_cis_boot_password;

/* rules-cis-path.c */
extern const ComplianceRule rule_cis_root_path;

/* rules-cis-firewall.c */
extern const ComplianceRule rule_cis_firewall;
/* The host firewalls in use, installed and their unit enabled: the packages of ufw, nftables and
 * iptables-persistent that are (NULL: none). */
int firewalls_in_use(CheckContext *c, const DpkgDatabase *db, char ***ret);

/* rules-cis-ufw.c */
extern const ComplianceRule rule_cis_ufw;

/* rules-cis-gdm.c */
extern const ComplianceRule rule_cis_gdm;
