[Services]
Confine=nginx
