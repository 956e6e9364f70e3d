[Profile]
Inherit=inherit-cycle-b
