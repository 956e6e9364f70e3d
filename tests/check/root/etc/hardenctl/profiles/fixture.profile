# SPDX-License-Identifier: LGPL-2.1-or-later
# Every section against the fixture tree around it (tests/check/root).

[Profile]
Description=Every rule against a fixture tree
AllowKillSwitch=yes

[Usr]
Verity=required
RootHash=cmdline
Signature=required
OnCorruption=restart
FileSystem=erofs

[Etc]
Overlay=tmpfs
Lower=root
Persist=machine-id ssh/ssh_host_ed25519_key
ExpectedDrift=resolv.conf

[SELinux]
Mode=enforcing
Policy=default
Context=sshd.service system_u:system_r:sshd_t:s0

[Audit]
Rules=@identity
Rule=-w /etc/sudoers -p wa -k privilege
Immutable=yes
BacklogLimit=8192
FailureMode=printk
RateLimit=0

[Kernel]
Sysctl=kernel.kptr_restrict=2
Sysctl=kernel.dmesg_restrict=1
Sysctl=kernel.yama.ptrace_scope=1
Sysctl=net.ipv4.conf.all.accept_redirects=0
Sysctl=net.ipv4.tcp_rmem=4096 87380 6291456
Sysctl=kernel.unprivileged_bpf_disabled=1
Lockdown=integrity
ModuleLoading=locked
DenyModule=cramfs hfs udf freevxfs squashfs
CommandLine=quiet init_on_alloc=1 slab_nomerge

[Mounts]
Options=/tmp nodev,nosuid,noexec
Options=/dev/shm nodev,noexec
Options=/home nodev
Separate=/var /var/log

[Services]
Confine=systemd-resolved.service
NoNewPrivileges=yes
ProtectSystem=strict
Mask=debug-shell.service ctrl-alt-del.target

[Access]
AdminGroups=sudo
AdminUsers=alice
RootLogin=deny
AllowNoPasswordSudo=no

[Packages]
Forbid=gcc gdb strace tcpdump telnet
