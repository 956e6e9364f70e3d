[Services]
Confine=sshd.service getty.target
NoNewPrivileges=yes
