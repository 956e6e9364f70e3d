[Kernel]
Lockdown=integrity

[Audit]
Immutable=yes

[Kernel]
Sysctl=kernel.sysrq=0
