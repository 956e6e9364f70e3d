# SPDX-License-Identifier: LGPL-2.1-or-later
# For the apply tests: a bit of every kind of change.
[Profile]
Description=apply test profile

[Audit]
Rules=@identity
Rule=-w /etc/hosts -p wa -k hosts
BacklogLimit=4096

[Kernel]
Sysctl=kernel.kptr_restrict=2
Sysctl=kernel.dmesg_restrict=1

[SELinux]
Mode=enforcing
Policy=targeted
Context=web.service system_u:system_r:httpd_t:s0

[Services]
Confine=web.service
NoNewPrivileges=yes
ProtectSystem=strict
Mask=debug-shell.service
