# SPDX-License-Identifier: LGPL-2.1-or-later
#
# immutable-host: an image-based container or Kubernetes node. /usr is a read-only image checked
# block by block by dm-verity, and the host does not boot without it; /etc is rebuilt at every boot
# on a tmpfs overlay, so run-time edits vanish; SELinux is enforcing; the audit trail is on and
# locked until reboot. No kill switches: recovery means booting another image.
# See hardenctl.profile(5).

[Profile]
Description=Immutable host: verified /usr, volatile /etc, SELinux enforcing, audit locked
Inherit=baseline
AllowKillSwitch=no

[Usr]
Verity=required
RootHash=cmdline
Signature=off
OnCorruption=restart
OnFailure=emergency
FileSystem=erofs

[Etc]
Overlay=tmpfs
Lower=root
Size=64M
Persist=machine-id ssh/ssh_host_ed25519_key ssh/ssh_host_ed25519_key.pub
ExpectedDrift=resolv.conf .updated adjtime .pwd.lock

[SELinux]
Mode=enforcing
Policy=default
OnUnavailable=fail

[Audit]
Rules=@exec-monitoring @perm-mod @access-denied @mounts
Rule=-w /etc/sudoers -p wa -k privilege
Immutable=yes
FailureMode=printk

[Kernel]
Lockdown=integrity
ModuleLoading=signed
Sysctl=kernel.kexec_load_disabled=1
Sysctl=kernel.perf_event_paranoid=3
Sysctl=dev.tty.ldisc_autoload=0
CommandLine=slab_nomerge init_on_alloc=1 page_alloc.shuffle=1

[Mounts]
Options=/usr ro,nodev
Separate=/var /var/log /var/log/audit /tmp

[Services]
Confine=systemd-networkd.service systemd-resolved.service systemd-timesyncd.service
NoNewPrivileges=yes
ProtectSystem=strict
ProtectHome=yes
PrivateTmp=yes
ProtectKernelTunables=yes
ProtectKernelModules=yes
ProtectKernelLogs=yes
ProtectControlGroups=yes
RestrictSUIDSGID=yes
LockPersonality=yes
RestrictRealtime=yes
Mask=debug-shell.service

[Access]
RootLogin=deny

[Packages]
Forbid=gcc gdb strace tcpdump
