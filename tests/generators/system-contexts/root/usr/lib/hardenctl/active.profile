[SELinux]
Mode=enforcing
Context=nginx.service system_u:system_r:httpd_t:s0
Context=agent@1.service system_u:system_r:unconfined_service_t:s0-s0:c0.c1023
[Services]
Confine=agent@1.service
NoNewPrivileges=yes
CapabilityBoundingSet=CAP_NET_BIND_SERVICE
SystemCallFilter=@system-service ~@privileged
RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6
MemoryDenyWriteExecute=yes
