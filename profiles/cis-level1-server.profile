# SPDX-License-Identifier: LGPL-2.1-or-later
#
# cis-level1-server: the settings of a CIS Debian Linux 12 Level 1 server that a profile can state,
# on top of baseline. Item numbers of the benchmark are given per group; hardenctl check reports
# them per rule. It does not change how the host boots (no verity, no /etc overlay), so it suits
# conventional, package-managed servers. Partitioning items (1.1.2.x "separate partition") are
# checked, not created: give /tmp, /var, /var/tmp, /var/log, /var/log/audit and /home their own file
# systems when the host is installed.
# See hardenctl.profile(5).

[Profile]
Description=CIS Debian Linux 12 Level 1 server (what a profile can state)
Inherit=baseline

[Audit]
# 6.2.3.x: changes to identity, privilege, time, modules, sessions, audit and MAC configuration,
# permission changes, failed access, mounts.
Rules=@perm-mod @access-denied @mounts
Rule=-w /etc/sudoers -p wa -k scope
Rule=-w /etc/sudoers.d -p wa -k scope
Rule=-w /etc/hosts -p wa -k system-locale
Rule=-w /etc/hostname -p wa -k system-locale
Rule=-w /etc/issue -p wa -k system-locale
Rule=-w /etc/issue.net -p wa -k system-locale
Rule=-w /etc/network -p wa -k system-locale
Rule=-w /var/log/sudo.log -p wa -k sudo_log_file
# 6.2.1.4
BacklogLimit=8192
FailureMode=printk

[Kernel]
# 1.5.x process hardening, 3.3.x network parameters.
Sysctl=net.ipv4.ip_forward=0
Sysctl=net.ipv4.conf.default.send_redirects=0
Sysctl=net.ipv4.icmp_ignore_bogus_error_responses=1
Sysctl=net.ipv4.conf.all.secure_redirects=0
Sysctl=net.ipv4.conf.default.secure_redirects=0
Sysctl=net.ipv4.conf.default.rp_filter=1
Sysctl=net.ipv4.conf.default.accept_source_route=0
Sysctl=net.ipv4.conf.default.log_martians=1
Sysctl=net.ipv6.conf.all.forwarding=0
Sysctl=net.ipv6.conf.default.accept_redirects=0
Sysctl=net.ipv6.conf.default.accept_source_route=0
Sysctl=net.ipv6.conf.all.accept_ra=0
Sysctl=net.ipv6.conf.default.accept_ra=0
Sysctl=kernel.perf_event_paranoid=2
# 1.1.1.x file system modules (the 3.2.x network protocols come with baseline).
DenyModule=squashfs overlay afs ceph cifs exfat ext2 fat gfs2 nfs_common nfsd smbfs_common vfat
# Beyond the benchmark: bus and protocol modules a server does not need.
DenyModule=can atm firewire-core bluetooth

[Mounts]
# 1.1.2.x
Options=/var nodev,nosuid
Options=/var/log nodev,nosuid,noexec
Options=/var/log/audit nodev,nosuid,noexec
Separate=/tmp /var /var/tmp /var/log /var/log/audit /home

[Services]
Mask=debug-shell.service ctrl-alt-del.target

[Access]
# 5.1.20, 5.2.4, 5.2.5, 5.2.x
RootLogin=deny
AllowNoPasswordSudo=no

[Packages]
# 2.1.x servers and 2.2.x clients that CIS Level 1 wants absent.
Forbid=autofs avahi-daemon isc-dhcp-server bind9 dnsmasq vsftpd slapd nfs-kernel-server ypserv
Forbid=cups rpcbind rsync samba snmpd tftpd-hpa squid apache2 nginx dovecot-imapd dovecot-pop3d
Forbid=xserver-common ldap-utils ftp tnftp
# Beyond the benchmark (v1.1.0 has no item for them): prelink rewrites binaries, apport collects
# crash data.
Forbid=prelink apport
