# SPDX-License-Identifier: LGPL-2.1-or-later
#
# agent-host: an immutable host that runs autonomous agents and AI workloads. Everything of
# immutable-host (verified /usr, volatile /etc, SELinux enforcing, locked audit), and on top: every
# program that a service account runs is audited (execve with no login user behind it), no compilers,
# debuggers or tracing tools are installed, and the agent services run strictly confined, without
# network access beyond IP and local sockets.
#
# The services below are the names this profile assumes; name your own in a drop-in
# (agent-host.profile.d/50-services.conf: an empty "Confine=" line, then your units).
# See hardenctl.profile(5).

[Profile]
Description=Agent and AI workload host: immutable, every service execve audited, agents confined
Inherit=immutable-host

[Audit]
# Programs run by services: no login user (auid unset), not root.
Rule=-a always,exit -F arch=b64 -S execve,execveat -F auid=unset -F uid!=0 -k agent-exec
Rule=-a always,exit -F arch=b32 -S execve,execveat -F auid=unset -F uid!=0 -k agent-exec
# Who changes the models and the agents' configuration.
Rule=-w /etc/agent -p wa -k agent-config
Rule=-w /var/lib/models -p wa -k agent-models
Immutable=yes

[Kernel]
Sysctl=kernel.unprivileged_userns_clone=0
Sysctl=user.max_user_namespaces=0
Sysctl=kernel.kexec_load_disabled=1
ModuleLoading=locked

[Services]
Confine=agent.service model-server.service
NoNewPrivileges=yes
ProtectSystem=strict
ProtectHome=yes
PrivateTmp=yes
PrivateDevices=yes
ProtectKernelTunables=yes
ProtectKernelModules=yes
ProtectKernelLogs=yes
ProtectControlGroups=yes
RestrictSUIDSGID=yes
MemoryDenyWriteExecute=yes
LockPersonality=yes
RestrictRealtime=yes
CapabilityBoundingSet=CAP_NET_BIND_SERVICE
RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6
SystemCallFilter=@system-service ~@privileged ~@resources

[Access]
RootLogin=deny
AllowNoPasswordSudo=no

[Packages]
Forbid=gcc g++ cpp clang make binutils gdb strace ltrace valgrind tcpdump nmap netcat-openbsd
Forbid=netcat-traditional socat ncat python3-pip
