[Kernel]
Sysctl=kernel.kptr_restrict
