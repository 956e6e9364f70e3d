# SPDX-License-Identifier: LGPL-2.1-or-later
#
# cis-level1-server: the CIS Debian Linux 12 Benchmark v1.1.0 Level 1 server controls that hardenctl
# can check, and only those (Level 2 items are in cis-level2-server). Item numbers are given per
# group; hardenctl check reports them per result. It does not change how the host boots (no verity,
# no /etc overlay), so it suits conventional, package-managed servers. The level of each item is
# the one ComplianceAsCode's controls/cis_debian12.yml assigns (tests/cis/cis-debian12-levels.tsv);
# the test suite compares this profile with it.
#
# Not here: 1.1.1.10 (file systems the host does not use) is a manual item: list them with
# DenyModule= in a drop-in, minding that the EFI system partition needs vfat. Auditing (6.2) and the
# separate partitions for /home, /var, /var/tmp, /var/log and /var/log/audit are Level 2.
# See hardenctl.profile(5).

[Profile]
Description=CIS Debian Linux 12 Level 1 server (the controls hardenctl checks)

[Kernel]
# 1.5.1-1.5.3 process hardening
Sysctl=kernel.randomize_va_space=2
Sysctl=kernel.yama.ptrace_scope=1
Sysctl=fs.suid_dumpable=0
# 3.3.1-3.3.11 network parameters
Sysctl=net.ipv4.ip_forward=0
Sysctl=net.ipv6.conf.all.forwarding=0
Sysctl=net.ipv4.conf.all.send_redirects=0
Sysctl=net.ipv4.conf.default.send_redirects=0
Sysctl=net.ipv4.icmp_ignore_bogus_error_responses=1
Sysctl=net.ipv4.icmp_echo_ignore_broadcasts=1
Sysctl=net.ipv4.conf.all.accept_redirects=0
Sysctl=net.ipv4.conf.default.accept_redirects=0
Sysctl=net.ipv6.conf.all.accept_redirects=0
Sysctl=net.ipv6.conf.default.accept_redirects=0
Sysctl=net.ipv4.conf.all.secure_redirects=0
Sysctl=net.ipv4.conf.default.secure_redirects=0
Sysctl=net.ipv4.conf.all.rp_filter=1
Sysctl=net.ipv4.conf.default.rp_filter=1
Sysctl=net.ipv4.conf.all.accept_source_route=0
Sysctl=net.ipv4.conf.default.accept_source_route=0
Sysctl=net.ipv6.conf.all.accept_source_route=0
Sysctl=net.ipv6.conf.default.accept_source_route=0
Sysctl=net.ipv4.conf.all.log_martians=1
Sysctl=net.ipv4.conf.default.log_martians=1
Sysctl=net.ipv4.tcp_syncookies=1
Sysctl=net.ipv6.conf.all.accept_ra=0
Sysctl=net.ipv6.conf.default.accept_ra=0
# 1.1.1.1-1.1.1.5, 1.1.1.9
DenyModule=cramfs freevxfs hfs hfsplus jffs2 usb-storage

[Mounts]
# 1.1.2.1.x-1.1.2.7.x: /tmp and /dev/shm on their own, and the options of each mount point.
Separate=/tmp /dev/shm
Options=/tmp nodev,nosuid,noexec
Options=/dev/shm nodev,nosuid,noexec
Options=/home nodev,nosuid
Options=/var nodev,nosuid
Options=/var/tmp nodev,nosuid,noexec
Options=/var/log nodev,nosuid,noexec
Options=/var/log/audit nodev,nosuid,noexec

[Access]
# 5.1.20, 5.4.2.1, 5.2.5
RootLogin=deny
AllowNoPasswordSudo=no

[Packages]
# 2.1.1-2.1.19 servers, 2.2.1-2.2.6 clients, 3.1.3 bluetooth
Forbid=autofs avahi-daemon isc-dhcp-server bind9 dnsmasq vsftpd slapd dovecot-imapd dovecot-pop3d
Forbid=nfs-kernel-server ypserv cups rpcbind rsync samba snmpd tftpd-hpa squid apache2 nginx xinetd
Forbid=nis rsh-client talk telnet inetutils-telnet ldap-utils ftp tnftp
Forbid=bluez

[Benchmark]
# 1.3.1.1-1.3.1.3 AppArmor installed, enabled at boot, every profile enforcing or complaining
CIS=1.3.1.1 1.3.1.2 1.3.1.3
# 1.4.1 the boot loader's password, 1.4.2 its configuration's owner and mode
CIS=1.4.1 1.4.2
# 1.6.1-1.6.6 banners
CIS=1.6.1 1.6.2 1.6.3 1.6.4 1.6.5 1.6.6
# 1.7.2-1.7.10 GNOME's login screen and sessions, where gdm3 is installed
CIS=1.7.2 1.7.3 1.7.4 1.7.5 1.7.6 1.7.7 1.7.8 1.7.9 1.7.10
# 2.1.21 the mail transfer agent answers only the host itself, 3.1.2 no wireless interface
CIS=2.1.21 3.1.2
# 2.3.1.1-2.3.3.3 time synchronisation (the items of the daemon not in use are not applicable)
CIS=2.3.1.1 2.3.2.1 2.3.2.2 2.3.3.1 2.3.3.2 2.3.3.3
# 2.4.1.1-2.4.1.8, 2.4.2.1 cron and at
CIS=2.4.1.1 2.4.1.2 2.4.1.3 2.4.1.4 2.4.1.5 2.4.1.6 2.4.1.7 2.4.1.8 2.4.2.1
# 5.1.x the SSH server (5.1.8 and 5.1.9 are Level 2 for servers)
CIS=5.1.1 5.1.2 5.1.3 5.1.4 5.1.5 5.1.6 5.1.7 5.1.10 5.1.11 5.1.12 5.1.13 5.1.14 5.1.15 5.1.16
CIS=5.1.17 5.1.18 5.1.19 5.1.21 5.1.22
# 5.2.1-5.2.3, 5.2.6, 5.2.7 sudo and su
CIS=5.2.1 5.2.2 5.2.3 5.2.6 5.2.7
# 5.3.x PAM (5.3.3.1.3 is Level 2)
CIS=5.3.1.1 5.3.1.2 5.3.1.3 5.3.2.1 5.3.2.2 5.3.2.3 5.3.2.4 5.3.3.1.1 5.3.3.1.2
CIS=5.3.3.2.1 5.3.3.2.2 5.3.3.2.3 5.3.3.2.4 5.3.3.2.5 5.3.3.2.6 5.3.3.2.7 5.3.3.2.8
CIS=5.3.3.3.1 5.3.3.3.2 5.3.3.3.3 5.3.3.4.1 5.3.3.4.2 5.3.3.4.3 5.3.3.4.4
# 5.4.1.x password aging (5.4.1.2 is Level 2), 5.4.2.x accounts
CIS=5.4.1.1 5.4.1.3 5.4.1.4 5.4.1.5 5.4.1.6
CIS=5.4.2.2 5.4.2.3 5.4.2.4 5.4.2.5 5.4.2.6 5.4.2.7 5.4.2.8
# 5.4.3.2, 5.4.3.3 shell timeout and umask
CIS=5.4.3.2 5.4.3.3
# 6.1.1.1, 6.1.1.4 journald running, one logging system; 6.1.2.x journald alone, shipping its logs
# with systemd-journal-upload; 6.1.3.x rsyslog fed by journald (the items of the system not in use are
# not applicable); 6.1.2.3, 6.1.2.4 journald compression and storage
CIS=6.1.1.1 6.1.1.4 6.1.2.1.1 6.1.2.1.2 6.1.2.1.3 6.1.2.1.4 6.1.2.2 6.1.2.3 6.1.2.4
CIS=6.1.3.1 6.1.3.2 6.1.3.3 6.1.3.4 6.1.3.7
# 6.1.4.1 the log files' modes, owners and groups
CIS=6.1.4.1
# 6.3.1, 6.3.2 AIDE installed, its check scheduled
CIS=6.3.1 6.3.2
# 4.1.1 one firewall; 4.2.x ufw, 4.3.x nftables, 4.4.x iptables-persistent (those of the firewall in
# use)
CIS=4.1.1 4.2.1 4.2.2 4.2.3 4.2.4 4.2.6 4.2.7 4.3.1 4.3.2 4.3.4 4.3.5 4.3.6 4.3.8 4.3.9 4.3.10
CIS=4.4.1.1 4.4.1.2 4.4.1.3 4.4.2.1 4.4.2.2 4.4.2.4 4.4.3.1 4.4.3.2 4.4.3.4
# 7.1.1-7.1.10 account files, 7.2.1-7.2.10 accounts and home directories
CIS=7.1.1 7.1.2 7.1.3 7.1.4 7.1.5 7.1.6 7.1.7 7.1.8 7.1.9 7.1.10
# 7.1.11-7.1.13: one walk of the local file systems (7.1.13, the SUID and SGID files, is a manual item:
# listed, not judged)
CIS=7.1.11 7.1.12 7.1.13
CIS=7.2.1 7.2.2 7.2.3 7.2.4 7.2.5 7.2.6 7.2.7 7.2.8 7.2.9 7.2.10
