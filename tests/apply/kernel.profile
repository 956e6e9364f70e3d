# SPDX-License-Identifier: LGPL-2.1-or-later
# For the apply tests: [Kernel] beyond Sysctl=.
[Kernel]
DenyModule=cramfs usb-storage
Lockdown=integrity
ModuleLoading=signed
