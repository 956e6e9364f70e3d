# SPDX-License-Identifier: LGPL-2.1-or-later
#
# cis-level1-workstation: the CIS Debian Linux 12 Benchmark v1.1.0 Level 1 workstation controls that
# hardenctl can check. They are the Level 1 server's but for those that are Level 2 on a workstation
# (1.1.1.9 usb-storage, 1.7.6 and 1.7.7 automount, 2.1.1 autofs, 2.1.2 avahi-daemon, 2.1.11 cups,
# 3.1.3 bluez) and one that is for servers alone (3.1.2 wireless interfaces), and with two that are
# Level 1 here (5.1.8, 5.1.9). See cis-level1-server.

[Profile]
Description=CIS Debian Linux 12 Level 1 workstation (the controls hardenctl checks)
Inherit=cis-level1-server

[Kernel]
# 1.1.1.1-1.1.1.5 (the empty assignment drops the server's list)
DenyModule=
DenyModule=cramfs freevxfs hfs hfsplus jffs2

[Packages]
# 2.1.3-2.1.10, 2.1.12-2.1.19, 2.2.1-2.2.6
Forbid=
Forbid=isc-dhcp-server bind9 dnsmasq vsftpd slapd dovecot-imapd dovecot-pop3d nfs-kernel-server ypserv
Forbid=rpcbind rsync samba snmpd tftpd-hpa squid apache2 nginx xinetd
Forbid=nis rsh-client talk telnet inetutils-telnet ldap-utils ftp tnftp

[Benchmark]
# 5.1.8, 5.1.9 (SSH forwarding, GSSAPI); not 3.1.2 (wireless interfaces), which the benchmark asks
# of servers alone, nor 1.7.6 and 1.7.7 (automount), Level 2 on a workstation
CIS=5.1.8 5.1.9 -3.1.2 -1.7.6 -1.7.7
