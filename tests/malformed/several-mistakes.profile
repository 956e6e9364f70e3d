[Usr]
Verity=yes
OnCorruption=reboot
[Audit]
Immutable=sure
[Nope]
A=b
