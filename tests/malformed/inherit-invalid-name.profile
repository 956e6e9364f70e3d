[Profile]
Inherit=../etc/passwd
