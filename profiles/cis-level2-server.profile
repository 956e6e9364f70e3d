# SPDX-License-Identifier: LGPL-2.1-or-later
#
# cis-level2-server: cis-level1-server and the CIS Debian Linux 12 Benchmark v1.1.0 Level 2 server
# controls that hardenctl can check: separate partitions, more file system and the network protocol
# modules, auditing, and the stricter SSH, PAM, password and shell items. See cis-level1-server.

[Profile]
Description=CIS Debian Linux 12 Level 2 server (the controls hardenctl checks)
Inherit=cis-level1-server

[Audit]
# 6.2.3.x: changes to identity, privilege, time, modules, sessions, audit and MAC configuration,
# permission changes, failed access, mounts.
Rules=@identity @privilege @time-change @module-load @session @audit-config @mac-policy
Rules=@perm-mod @access-denied @mounts
Rule=-w /etc/sudoers -p wa -k scope
Rule=-w /etc/sudoers.d -p wa -k scope
Rule=-w /etc/hosts -p wa -k system-locale
Rule=-w /etc/hostname -p wa -k system-locale
Rule=-w /etc/issue -p wa -k system-locale
Rule=-w /etc/issue.net -p wa -k system-locale
Rule=-w /etc/network -p wa -k system-locale
Rule=-w /var/log/sudo.log -p wa -k sudo_log_file
Rule=-w /etc/networks -p wa -k system-locale
Rule=-a always,exit -F arch=b64 -S sethostname,setdomainname -k system-locale
Rule=-a always,exit -F arch=b32 -S sethostname,setdomainname -k system-locale
Rule=-a always,exit -F arch=b64 -C euid!=uid -F auid!=unset -S execve -k user_emulation
Rule=-a always,exit -F arch=b32 -C euid!=uid -F auid!=unset -S execve -k user_emulation
Rule=-w /etc/pam.conf -p wa -k identity
Rule=-a always,exit -F arch=b32 -S setxattr,lsetxattr,fsetxattr,removexattr,lremovexattr,fremovexattr -F auid>=1000 -F auid!=unset -k perm_mod
Rule=-w /var/run/faillock -p wa -k logins
Rule=-a always,exit -F arch=b64 -S rename,unlink,unlinkat,renameat -F auid>=1000 -F auid!=unset -k delete
Rule=-a always,exit -F arch=b32 -S rename,unlink,unlinkat,renameat -F auid>=1000 -F auid!=unset -k delete
Rule=-w /etc/apparmor -p wa -k MAC-policy
Rule=-w /etc/apparmor.d -p wa -k MAC-policy
Rule=-a always,exit -F path=/usr/bin/chcon -F perm=x -F auid>=1000 -F auid!=unset -k perm_chng
Rule=-a always,exit -F path=/usr/bin/setfacl -F perm=x -F auid>=1000 -F auid!=unset -k perm_chng
Rule=-a always,exit -F path=/usr/bin/chacl -F perm=x -F auid>=1000 -F auid!=unset -k perm_chng
Rule=-a always,exit -F path=/usr/sbin/usermod -F perm=x -F auid>=1000 -F auid!=unset -k usermod
Rule=-a always,exit -F arch=b64 -S init_module,finit_module,delete_module,create_module,query_module -F auid>=1000 -F auid!=unset -k kernel_modules
# 6.2.3.6: the benchmark's rule per SUID or SGID program depends on the host; this one records every
# program a user runs (-F perm=x on every system call), the privileged ones among them, at the price
# of a record per exec.
Rule=-a always,exit -F perm=x -F auid>=1000 -F auid!=unset -k privileged
# 6.2.1.4
BacklogLimit=8192
FailureMode=printk
# 6.2.3.20
Immutable=yes

[Kernel]
# 1.1.1.6-1.1.1.8 file systems, 3.2.1-3.2.4 network protocols
DenyModule=overlay squashfs udf
DenyModule=dccp tipc rds sctp

[Mounts]
# 1.1.2.3.1, 1.1.2.4.1, 1.1.2.5.1, 1.1.2.6.1, 1.1.2.7.1
Separate=/home /var /var/tmp /var/log /var/log/audit

[Packages]
# 1.7.1, 2.1.20
Forbid=gdm3 xserver-common

[Benchmark]
# 1.3.1.4 every AppArmor profile enforcing
CIS=1.3.1.4
# 5.1.8, 5.1.9 (SSH forwarding, GSSAPI), 5.3.3.1.3 (lockout includes root), 5.4.1.2 (minimum
# password days), 5.4.3.1 (nologin is not a shell)
CIS=5.1.8 5.1.9 5.3.3.1.3 5.4.1.2 5.4.3.1
# 6.2.1.1-6.2.1.3 auditd installed, enabled and running, audit=1 on the command line
CIS=6.2.1.1 6.2.1.2 6.2.1.3
# 6.2.2.1-6.2.2.4 auditd.conf: log size, logs kept, full disk and low space
CIS=6.2.2.1 6.2.2.2 6.2.2.3 6.2.2.4
# 6.2.3.1-6.2.3.19 the benchmark's audit rules, loaded now and at boot (the [Audit] rules above)
CIS=6.2.3.1 6.2.3.2 6.2.3.3 6.2.3.4 6.2.3.5 6.2.3.6 6.2.3.7 6.2.3.8 6.2.3.9 6.2.3.10 6.2.3.11 6.2.3.12
CIS=6.2.3.13 6.2.3.14 6.2.3.15 6.2.3.16 6.2.3.17 6.2.3.18 6.2.3.19
# 6.2.4.1-6.2.4.10 owner, group and mode of the audit logs, configuration and tools
CIS=6.2.4.1 6.2.4.2 6.2.4.3 6.2.4.4 6.2.4.5 6.2.4.6 6.2.4.7 6.2.4.8 6.2.4.9 6.2.4.10
# 6.3.3 AIDE checks the audit tools
CIS=6.3.3
