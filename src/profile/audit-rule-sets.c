/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include "audit-rule.h"

/* Built-in rule sets, named in profiles as Rules=@NAME. Each rule carries the set's name as its key,
 * so that auditctl -l, ausearch -k and the compliance check can tell them apart. Rules that concern
 * people, not daemons, are limited to login sessions (auid>=1000, auid set). */

#define HUMAN "-F auid>=1000 -F auid!=unset"

/* Every program run: NIST 800-53 AU-2, AU-12, CM-7; what agents and services actually execute. */
static const char *const exec_monitoring[] = {
        "-a always,exit -F arch=b64 -S execve,execveat -k exec-monitoring",
        "-a always,exit -F arch=b32 -S execve,execveat -k exec-monitoring",
        NULL,
};

/* Accounts and groups: CIS 6.3.3.x, STIG "identity", NIST AC-2, AU-2. */
static const char *const identity[] = {
        "-w /etc/passwd -p wa -k identity",
        "-w /etc/group -p wa -k identity",
        "-w /etc/shadow -p wa -k identity",
        "-w /etc/gshadow -p wa -k identity",
        "-w /etc/security/opasswd -p wa -k identity",
        "-w /etc/nsswitch.conf -p wa -k identity",
        "-w /etc/pam.d -p wa -k identity",
        NULL,
};

/* Privilege: sudo configuration and every use of su and sudo. NIST AC-6(9), AU-2. */
static const char *const privilege[] = {
        "-w /etc/sudoers -p wa -k privilege",
        "-w /etc/sudoers.d -p wa -k privilege",
        "-a always,exit -F path=/usr/bin/sudo -F perm=x " HUMAN " -k privilege",
        "-a always,exit -F path=/usr/bin/su -F perm=x " HUMAN " -k privilege",
        "-a always,exit -F arch=b64 -S setuid,setgid,setreuid,setregid,setresuid,setresgid " HUMAN
        " -F euid=0 -k privilege",
        NULL,
};

/* Changes of the system clock: CIS 6.3.3.4, NIST AU-8. */
static const char *const time_change[] = {
        "-a always,exit -F arch=b64 -S adjtimex,settimeofday,clock_settime -k time-change",
        "-a always,exit -F arch=b32 -S adjtimex,settimeofday,clock_settime,stime -k time-change",
        "-w /etc/localtime -p wa -k time-change",
        NULL,
};

/* Kernel modules loaded or removed, and the tools that do it: CIS 6.3.3.19, NIST CM-7, SI-7. */
static const char *const module_load[] = {
        "-a always,exit -F arch=b64 -S init_module,finit_module,delete_module -k module-load",
        "-a always,exit -F arch=b32 -S init_module,finit_module,delete_module -k module-load",
        "-a always,exit -F path=/usr/bin/kmod -F perm=x -k module-load",
        NULL,
};

/* File systems mounted by people: CIS 6.3.3.10, NIST AU-2, MP-7. */
static const char *const mounts[] = {
        "-a always,exit -F arch=b64 -S mount,umount2,fsmount,move_mount " HUMAN " -k mounts",
        "-a always,exit -F arch=b32 -S mount,umount,umount2 " HUMAN " -k mounts",
        NULL,
};

/* Discretionary access control changes: CIS 6.3.3.9, NIST AU-2, AC-3. */
static const char *const perm_mod[] = {
        "-a always,exit -F arch=b64 -S chmod,fchmod,fchmodat " HUMAN " -k perm-mod",
        "-a always,exit -F arch=b64 -S chown,fchown,lchown,fchownat " HUMAN " -k perm-mod",
        "-a always,exit -F arch=b64 -S setxattr,lsetxattr,fsetxattr,removexattr,lremovexattr,fremovexattr " HUMAN
        " -k perm-mod",
        "-a always,exit -F arch=b32 -S chmod,fchmod,fchmodat,chown,fchown,lchown,fchownat " HUMAN " -k perm-mod",
        NULL,
};

/* Attempts to open files without permission: CIS 6.3.3.8, NIST AC-3, AU-2. */
static const char *const access_denied[] = {
        "-a always,exit -F arch=b64 -S open,openat,openat2,creat,truncate,ftruncate -F exit=-EACCES " HUMAN
        " -k access-denied",
        "-a always,exit -F arch=b64 -S open,openat,openat2,creat,truncate,ftruncate -F exit=-EPERM " HUMAN
        " -k access-denied",
        "-a always,exit -F arch=b32 -S open,openat,creat,truncate,ftruncate -F exit=-EACCES " HUMAN " -k access-denied",
        "-a always,exit -F arch=b32 -S open,openat,creat,truncate,ftruncate -F exit=-EPERM " HUMAN " -k access-denied",
        NULL,
};

/* Logins and sessions: CIS 6.3.3.11–12, NIST AC-7, AU-14. */
static const char *const session[] = {
        "-w /var/run/utmp -p wa -k session",    "-w /var/log/wtmp -p wa -k session",
        "-w /var/log/btmp -p wa -k session",    "-w /var/log/lastlog -p wa -k session",
        "-w /var/log/faillog -p wa -k session", NULL,
};

/* The audit trail's own configuration and tools, and the hardening profiles: NIST AU-9. */
static const char *const audit_config[] = {
        "-w /etc/audit -p wa -k audit-config",          "-w /etc/hardenctl -p wa -k audit-config",
        "-w /usr/sbin/auditctl -p x -k audit-config",   "-w /usr/sbin/auditd -p x -k audit-config",
        "-w /usr/sbin/augenrules -p x -k audit-config", NULL,
};

/* Mandatory access control policy: CIS 6.3.3.14, NIST AC-3(3), CM-5. */
static const char *const mac_policy[] = {
        "-w /etc/selinux -p wa -k mac-policy",
        "-w /usr/share/selinux -p wa -k mac-policy",
        NULL,
};

/* The DISA STIG's audit rules, rule for rule as auditd 3.0's example 30-stig.rules states them, for both
 * architectures (auditd 4.0's file states each watch as two rules, one per arch=, which the watch covers,
 * and adds two rules, at the end): clock, accounts, host name and network configuration, MAC policy, permission and owner
 * changes, failed access, mounts, deletions, sudo configuration. Directories are watched with -w, which
 * gives dir= where the directory exists and path= where it does not yet (the kernel refuses a dir= of a
 * missing directory). */
static const char *const stig[] = {
        "-a always,exit -F arch=b32 -S adjtimex,settimeofday,stime -k stig",
        "-a always,exit -F arch=b64 -S adjtimex,settimeofday -k stig",
        "-a always,exit -F arch=b32 -S clock_settime -F a0=0x0 -k stig",
        "-a always,exit -F arch=b64 -S clock_settime -F a0=0x0 -k stig",
        "-w /etc/localtime -p wa -k stig",
        "-w /etc/group -p wa -k stig",
        "-w /etc/passwd -p wa -k stig",
        "-w /etc/gshadow -p wa -k stig",
        "-w /etc/shadow -p wa -k stig",
        "-w /etc/security/opasswd -p wa -k stig",
        "-a always,exit -F arch=b32 -S sethostname,setdomainname -k stig",
        "-a always,exit -F arch=b64 -S sethostname,setdomainname -k stig",
        "-w /etc/issue -p wa -k stig",
        "-w /etc/issue.net -p wa -k stig",
        "-w /etc/hosts -p wa -k stig",
        "-w /etc/hostname -p wa -k stig",
        "-w /etc/NetworkManager/ -p wa -k stig",
        "-w /etc/selinux/ -p wa -k stig",
        "-a always,exit -F arch=b32 -S chmod,fchmod,fchmodat " HUMAN " -k stig",
        "-a always,exit -F arch=b64 -S chmod,fchmod,fchmodat " HUMAN " -k stig",
        "-a always,exit -F arch=b32 -S chown,fchown,lchown,fchownat " HUMAN " -k stig",
        "-a always,exit -F arch=b64 -S chown,fchown,lchown,fchownat " HUMAN " -k stig",
        "-a always,exit -F arch=b32 -S setxattr,lsetxattr,fsetxattr,removexattr,lremovexattr,fremovexattr " HUMAN
        " -k stig",
        "-a always,exit -F arch=b64 -S setxattr,lsetxattr,fsetxattr,removexattr,lremovexattr,fremovexattr " HUMAN
        " -k stig",
        "-a always,exit -F arch=b32 -S open,openat,openat2,open_by_handle_at,creat,truncate,ftruncate -F exit=-EACCES " HUMAN
        " -k stig",
        "-a always,exit -F arch=b32 -S open,openat,openat2,open_by_handle_at,creat,truncate,ftruncate -F exit=-EPERM " HUMAN
        " -k stig",
        "-a always,exit -F arch=b64 -S open,openat,openat2,open_by_handle_at,creat,truncate,ftruncate -F exit=-EACCES " HUMAN
        " -k stig",
        "-a always,exit -F arch=b64 -S open,openat,openat2,open_by_handle_at,creat,truncate,ftruncate -F exit=-EPERM " HUMAN
        " -k stig",
        "-a always,exit -F arch=b32 -S mount " HUMAN " -k stig",
        "-a always,exit -F arch=b64 -S mount " HUMAN " -k stig",
        "-a always,exit -F arch=b32 -S unlink,unlinkat,rename,renameat " HUMAN " -k stig",
        "-a always,exit -F arch=b64 -S unlink,unlinkat,rename,renameat " HUMAN " -k stig",
        "-w /etc/sudoers -p wa -k stig",
        "-w /etc/sudoers.d/ -p wa -k stig",
        /* auditd 4.0's file adds these (per arch=; one rule for both records the same): programs that
         * raise privileges without being audit aware. */
        "-a always,exit -F path=/usr/bin/systemd-run -F perm=x -F auid!=unset -k stig",
        "-a always,exit -F path=/usr/bin/pkexec -F perm=x -k stig",
        NULL,
};

/* The Operating System Protection Profile v4.2's audit rules, rule for rule as auditd 3.0's example
 * 30-ospp-v42.rules and its twelve 30-ospp-v42-*.rules files state them (4.0's: as for @stig) (what the main file says
 * it depends on), with their keys: account files, set-uid programs that change the configuration, sudo's configuration,
 * the audit trail, sessions, the MAC policy, and every failed and successful creation, modification, access, deletion,
 * permission and owner change by a user. The settings of the 10-base-config and 11-loginuid files are [Audit]
 * BacklogLimit=, BacklogWaitTime=, FailureMode= and LoginUIDImmutable=. The rule on /etc/sudoers.d is a watch (-w),
 * which is that rule where the directory exists and one on the path where it does not (without sudo); the audit trail's
 * and the MAC policy's directories carry auid fields, which a watch cannot, and stay dir=: they exist wherever auditd
 * and SELinux are installed. */
static const char *const ospp[] = {
        "-a always,exit -F arch=b32 -S openat,open_by_handle_at -F a2&03 -F path=/etc/passwd " HUMAN
        " -F key=user-modify",
        "-a always,exit -F arch=b64 -S openat,open_by_handle_at -F a2&03 -F path=/etc/passwd " HUMAN
        " -F key=user-modify",
        "-a always,exit -F arch=b32 -S open -F a1&03 -F path=/etc/passwd " HUMAN " -F key=user-modify",
        "-a always,exit -F arch=b64 -S open -F a1&03 -F path=/etc/passwd " HUMAN " -F key=user-modify",
        "-a always,exit -F arch=b32 -S openat,open_by_handle_at -F a2&03 -F path=/etc/shadow " HUMAN
        " -F key=user-modify",
        "-a always,exit -F arch=b64 -S openat,open_by_handle_at -F a2&03 -F path=/etc/shadow " HUMAN
        " -F key=user-modify",
        "-a always,exit -F arch=b32 -S open -F a1&03 -F path=/etc/shadow " HUMAN " -F key=user-modify",
        "-a always,exit -F arch=b64 -S open -F a1&03 -F path=/etc/shadow " HUMAN " -F key=user-modify",
        "-a always,exit -F path=/etc/passwd -F perm=wa " HUMAN " -F key=user-modify",
        "-a always,exit -F path=/etc/shadow -F perm=wa " HUMAN " -F key=user-modify",
        "-a always,exit -F path=/etc/group -F perm=wa " HUMAN " -F key=group-modify",
        "-a always,exit -F path=/etc/gshadow -F perm=wa " HUMAN " -F key=group-modify",
        "-a always,exit -F path=/usr/sbin/unix_chkpwd -F perm=x " HUMAN " -F key=special-config-changes",
        "-a always,exit -F path=/usr/sbin/usernetctl -F perm=x " HUMAN " -F key=special-config-changes",
        "-a always,exit -F path=/usr/sbin/userhelper -F perm=x " HUMAN " -F key=special-config-changes",
        "-a always,exit -F path=/usr/sbin/seunshare -F perm=x " HUMAN " -F key=special-config-changes",
        "-a always,exit -F path=/usr/bin/mount -F perm=x " HUMAN " -F key=special-config-changes",
        "-a always,exit -F path=/usr/bin/newgrp -F perm=x " HUMAN " -F key=special-config-changes",
        "-a always,exit -F path=/usr/bin/newuidmap -F perm=x " HUMAN " -F key=special-config-changes",
        "-a always,exit -F path=/usr/bin/gpasswd -F perm=x " HUMAN " -F key=special-config-changes",
        "-a always,exit -F path=/usr/bin/newgidmap -F perm=x " HUMAN " -F key=special-config-changes",
        "-a always,exit -F path=/usr/bin/umount -F perm=x " HUMAN " -F key=special-config-changes",
        "-a always,exit -F path=/usr/bin/passwd -F perm=x " HUMAN " -F key=special-config-changes",
        "-a always,exit -F path=/usr/bin/crontab -F perm=x " HUMAN " -F key=special-config-changes",
        "-a always,exit -F path=/usr/bin/at -F perm=x " HUMAN " -F key=special-config-changes",
        "-a always,exit -F path=/usr/sbin/grub2-set-bootflag -F perm=x " HUMAN " -F key=special-config-changes",
        "-a always,exit -F path=/etc/sudoers -F perm=wa -F key=special-config-changes",
        "-a always,exit -F path=/usr/bin/systemd-run -F perm=x -F auid!=unset -F key=maybe-escalation", /* 4.0 */
        "-a always,exit -F path=/usr/bin/pkexec -F perm=x -F key=maybe-escalation",                     /* 4.0 */
        "-w /etc/sudoers.d/ -p wa -k special-config-changes", /* dir= only where it exists, as for @stig */
        "-a always,exit -F dir=/var/log/audit/ -F perm=r " HUMAN " -F key=access-audit-trail",
        "-a always,exit -F path=/var/run/utmp -F perm=wa " HUMAN " -F key=session",
        "-a always,exit -F path=/var/log/btmp -F perm=wa " HUMAN " -F key=session",
        "-a always,exit -F path=/var/log/wtmp -F perm=wa " HUMAN " -F key=session",
        "-a always,exit -F dir=/etc/selinux/ -F perm=wa " HUMAN " -F key=MAC-policy",
        "-a always,exit -F arch=b32 -S openat,open_by_handle_at -F a2&0100 -F exit=-EACCES " HUMAN
        " -F key=unsuccessful-create",
        "-a always,exit -F arch=b64 -S openat,open_by_handle_at -F a2&0100 -F exit=-EACCES " HUMAN
        " -F key=unsuccessful-create",
        "-a always,exit -F arch=b32 -S open -F a1&0100 -F exit=-EACCES " HUMAN " -F key=unsuccessful-create",
        "-a always,exit -F arch=b64 -S open -F a1&0100 -F exit=-EACCES " HUMAN " -F key=unsuccessful-create",
        "-a always,exit -F arch=b32 -S creat -F exit=-EACCES " HUMAN " -F key=unsuccessful-create",
        "-a always,exit -F arch=b64 -S creat -F exit=-EACCES " HUMAN " -F key=unsuccessful-create",
        "-a always,exit -F arch=b32 -S openat,open_by_handle_at -F a2&0100 -F exit=-EPERM " HUMAN
        " -F key=unsuccessful-create",
        "-a always,exit -F arch=b64 -S openat,open_by_handle_at -F a2&0100 -F exit=-EPERM " HUMAN
        " -F key=unsuccessful-create",
        "-a always,exit -F arch=b32 -S open -F a1&0100 -F exit=-EPERM " HUMAN " -F key=unsuccessful-create",
        "-a always,exit -F arch=b64 -S open -F a1&0100 -F exit=-EPERM " HUMAN " -F key=unsuccessful-create",
        "-a always,exit -F arch=b32 -S creat -F exit=-EPERM " HUMAN " -F key=unsuccessful-create",
        "-a always,exit -F arch=b64 -S creat -F exit=-EPERM " HUMAN " -F key=unsuccessful-create",
        "-a always,exit -F arch=b32 -S openat,open_by_handle_at -F a2&0100 -F success=1 " HUMAN
        " -F key=successful-create",
        "-a always,exit -F arch=b64 -S openat,open_by_handle_at -F a2&0100 -F success=1 " HUMAN
        " -F key=successful-create",
        "-a always,exit -F arch=b32 -S open -F a1&0100 -F success=1 " HUMAN " -F key=successful-create",
        "-a always,exit -F arch=b64 -S open -F a1&0100 -F success=1 " HUMAN " -F key=successful-create",
        "-a always,exit -F arch=b32 -S creat -F success=1 " HUMAN " -F key=successful-create",
        "-a always,exit -F arch=b64 -S creat -F success=1 " HUMAN " -F key=successful-create",
        "-a always,exit -F arch=b32 -S openat,open_by_handle_at -F a2&01003 -F exit=-EACCES " HUMAN
        " -F key=unsuccessful-modification",
        "-a always,exit -F arch=b64 -S openat,open_by_handle_at -F a2&01003 -F exit=-EACCES " HUMAN
        " -F key=unsuccessful-modification",
        "-a always,exit -F arch=b32 -S open -F a1&01003 -F exit=-EACCES " HUMAN " -F key=unsuccessful-modification",
        "-a always,exit -F arch=b64 -S open -F a1&01003 -F exit=-EACCES " HUMAN " -F key=unsuccessful-modification",
        "-a always,exit -F arch=b32 -S truncate,ftruncate -F exit=-EACCES " HUMAN " -F key=unsuccessful-modification",
        "-a always,exit -F arch=b64 -S truncate,ftruncate -F exit=-EACCES " HUMAN " -F key=unsuccessful-modification",
        "-a always,exit -F arch=b32 -S openat,open_by_handle_at -F a2&01003 -F exit=-EPERM " HUMAN
        " -F key=unsuccessful-modification",
        "-a always,exit -F arch=b64 -S openat,open_by_handle_at -F a2&01003 -F exit=-EPERM " HUMAN
        " -F key=unsuccessful-modification",
        "-a always,exit -F arch=b32 -S open -F a1&01003 -F exit=-EPERM " HUMAN " -F key=unsuccessful-modification",
        "-a always,exit -F arch=b64 -S open -F a1&01003 -F exit=-EPERM " HUMAN " -F key=unsuccessful-modification",
        "-a always,exit -F arch=b32 -S truncate,ftruncate -F exit=-EPERM " HUMAN " -F key=unsuccessful-modification",
        "-a always,exit -F arch=b64 -S truncate,ftruncate -F exit=-EPERM " HUMAN " -F key=unsuccessful-modification",
        "-a always,exit -F arch=b32 -S openat,open_by_handle_at -F a2&01003 -F success=1 " HUMAN
        " -F key=successful-modification",
        "-a always,exit -F arch=b64 -S openat,open_by_handle_at -F a2&01003 -F success=1 " HUMAN
        " -F key=successful-modification",
        "-a always,exit -F arch=b32 -S open -F a1&01003 -F success=1 " HUMAN " -F key=successful-modification",
        "-a always,exit -F arch=b64 -S open -F a1&01003 -F success=1 " HUMAN " -F key=successful-modification",
        "-a always,exit -F arch=b32 -S truncate,ftruncate -F success=1 " HUMAN " -F key=successful-modification",
        "-a always,exit -F arch=b64 -S truncate,ftruncate -F success=1 " HUMAN " -F key=successful-modification",
        "-a always,exit -F arch=b32 -S open,openat,openat2,open_by_handle_at -F exit=-EACCES " HUMAN
        " -F key=unsuccessful-access",
        "-a always,exit -F arch=b64 -S open,openat,openat2,open_by_handle_at -F exit=-EACCES " HUMAN
        " -F key=unsuccessful-access",
        "-a always,exit -F arch=b32 -S open,openat,openat2,open_by_handle_at -F exit=-EPERM " HUMAN
        " -F key=unsuccessful-access",
        "-a always,exit -F arch=b64 -S open,openat,openat2,open_by_handle_at -F exit=-EPERM " HUMAN
        " -F key=unsuccessful-access",
        "-a always,exit -F arch=b32 -S open,openat,openat2,open_by_handle_at -F success=1 " HUMAN
        " -F key=successful-access",
        "-a always,exit -F arch=b64 -S open,openat,openat2,open_by_handle_at -F success=1 " HUMAN
        " -F key=successful-access",
        "-a always,exit -F arch=b32 -S unlink,unlinkat,rename,renameat -F exit=-EACCES " HUMAN
        " -F key=unsuccessful-delete",
        "-a always,exit -F arch=b64 -S unlink,unlinkat,rename,renameat -F exit=-EACCES " HUMAN
        " -F key=unsuccessful-delete",
        "-a always,exit -F arch=b32 -S unlink,unlinkat,rename,renameat -F exit=-EPERM " HUMAN
        " -F key=unsuccessful-delete",
        "-a always,exit -F arch=b64 -S unlink,unlinkat,rename,renameat -F exit=-EPERM " HUMAN
        " -F key=unsuccessful-delete",
        "-a always,exit -F arch=b32 -S unlink,unlinkat,rename,renameat -F success=1 " HUMAN " -F key=successful-delete",
        "-a always,exit -F arch=b64 -S unlink,unlinkat,rename,renameat -F success=1 " HUMAN " -F key=successful-delete",
        "-a always,exit -F arch=b32 -S chmod,fchmod,fchmodat,setxattr,lsetxattr,fsetxattr,removexattr,lremovexattr,fremovexattr -F exit=-EACCES " HUMAN
        " -F key=unsuccessful-perm-change",
        "-a always,exit -F arch=b64 -S chmod,fchmod,fchmodat,setxattr,lsetxattr,fsetxattr,removexattr,lremovexattr,fremovexattr -F exit=-EACCES " HUMAN
        " -F key=unsuccessful-perm-change",
        "-a always,exit -F arch=b32 -S chmod,fchmod,fchmodat,setxattr,lsetxattr,fsetxattr,removexattr,lremovexattr,fremovexattr -F exit=-EPERM " HUMAN
        " -F key=unsuccessful-perm-change",
        "-a always,exit -F arch=b64 -S chmod,fchmod,fchmodat,setxattr,lsetxattr,fsetxattr,removexattr,lremovexattr,fremovexattr -F exit=-EPERM " HUMAN
        " -F key=unsuccessful-perm-change",
        "-a always,exit -F arch=b32 -S chmod,fchmod,fchmodat,setxattr,lsetxattr,fsetxattr,removexattr,lremovexattr,fremovexattr -F success=1 " HUMAN
        " -F key=successful-perm-change",
        "-a always,exit -F arch=b64 -S chmod,fchmod,fchmodat,setxattr,lsetxattr,fsetxattr,removexattr,lremovexattr,fremovexattr -F success=1 " HUMAN
        " -F key=successful-perm-change",
        "-a always,exit -F arch=b32 -S lchown,fchown,chown,fchownat -F exit=-EACCES " HUMAN
        " -F key=unsuccessful-owner-change",
        "-a always,exit -F arch=b64 -S lchown,fchown,chown,fchownat -F exit=-EACCES " HUMAN
        " -F key=unsuccessful-owner-change",
        "-a always,exit -F arch=b32 -S lchown,fchown,chown,fchownat -F exit=-EPERM " HUMAN
        " -F key=unsuccessful-owner-change",
        "-a always,exit -F arch=b64 -S lchown,fchown,chown,fchownat -F exit=-EPERM " HUMAN
        " -F key=unsuccessful-owner-change",
        "-a always,exit -F arch=b32 -S lchown,fchown,chown,fchownat -F success=1 " HUMAN
        " -F key=successful-owner-change",
        "-a always,exit -F arch=b64 -S lchown,fchown,chown,fchownat -F success=1 " HUMAN
        " -F key=successful-owner-change",
        NULL,
};

static const struct {
        const char *name;
        const char *const *rules;
} sets[] = {
        { "access-denied", access_denied },
        { "audit-config", audit_config },
        { "exec-monitoring", exec_monitoring },
        { "identity", identity },
        { "mac-policy", mac_policy },
        { "module-load", module_load },
        { "mounts", mounts },
        { "ospp", ospp },
        { "perm-mod", perm_mod },
        { "privilege", privilege },
        { "session", session },
        { "stig", stig },
        { "time-change", time_change },
};

static const char *const names[] = {
        "access-denied", "audit-config", "exec-monitoring", "identity", "mac-policy", "module-load", "mounts",
        "ospp",          "perm-mod",     "privilege",       "session",  "stig",       "time-change", NULL,
};

const char *const *audit_rule_set_lookup(const char *name) {
        for (size_t i = 0; i < ELEMENTSOF(sets); i++)
                if (streq(sets[i].name, name))
                        return sets[i].rules;
        return NULL;
}

const char *const *audit_rule_set_names(void) {
        return names;
}
