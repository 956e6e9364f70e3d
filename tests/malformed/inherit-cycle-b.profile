[Profile]
Inherit=inherit-cycle-a
