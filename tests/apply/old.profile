# SPDX-License-Identifier: LGPL-2.1-or-later
# For the apply tests: what was in force before web.
[Kernel]
Sysctl=kernel.kptr_restrict=1

[Services]
Confine=old.service
PrivateTmp=yes
Mask=telnet.socket
