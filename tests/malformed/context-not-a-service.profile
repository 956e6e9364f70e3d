[SELinux]
Context=sshd.socket system_u:system_r:sshd_t:s0
