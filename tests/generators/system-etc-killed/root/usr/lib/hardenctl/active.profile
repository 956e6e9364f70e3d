[Profile]
Inherit=immutable-host
AllowKillSwitch=yes
