[Kernel]
Sysctl kernel.sysrq=0
