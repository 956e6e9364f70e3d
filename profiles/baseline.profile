# SPDX-License-Identifier: LGPL-2.1-or-later
#
# baseline: a sane default for any systemd server. It changes nothing about how the host boots
# (no verity, no /etc overlay), but audits the events every regulator asks for, sets the kernel
# settings that cost nothing, and confines what it can. Other profiles inherit it.
# See hardenctl.profile(5).

[Profile]
Description=Baseline hardening for systemd servers

[Audit]
Rules=@identity @privilege @time-change @module-load @session @audit-config @mac-policy
BacklogLimit=8192
FailureMode=printk
RateLimit=0

[Kernel]
Sysctl=kernel.kptr_restrict=2
Sysctl=kernel.dmesg_restrict=1
Sysctl=kernel.yama.ptrace_scope=1
Sysctl=kernel.randomize_va_space=2
Sysctl=kernel.unprivileged_bpf_disabled=1
Sysctl=kernel.sysrq=0
Sysctl=fs.protected_hardlinks=1
Sysctl=fs.protected_symlinks=1
Sysctl=fs.protected_fifos=2
Sysctl=fs.protected_regular=2
Sysctl=fs.suid_dumpable=0
Sysctl=net.ipv4.conf.all.accept_redirects=0
Sysctl=net.ipv4.conf.default.accept_redirects=0
Sysctl=net.ipv4.conf.all.send_redirects=0
Sysctl=net.ipv4.conf.all.accept_source_route=0
Sysctl=net.ipv4.conf.all.rp_filter=1
Sysctl=net.ipv4.conf.all.log_martians=1
Sysctl=net.ipv4.icmp_echo_ignore_broadcasts=1
Sysctl=net.ipv4.tcp_syncookies=1
Sysctl=net.ipv6.conf.all.accept_redirects=0
Sysctl=net.ipv6.conf.all.accept_source_route=0
DenyModule=cramfs freevxfs hfs hfsplus jffs2 udf usb-storage dccp sctp rds tipc

[Mounts]
Options=/tmp nodev,nosuid,noexec
Options=/var/tmp nodev,nosuid,noexec
Options=/dev/shm nodev,nosuid,noexec
Options=/home nodev,nosuid

[Access]
AdminGroups=sudo
RootLogin=console
AllowNoPasswordSudo=no

[Packages]
Forbid=telnet telnetd rsh-client rsh-server nis talk talkd tftp tftpd-hpa xinetd
