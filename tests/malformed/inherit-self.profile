[Profile]
Inherit=inherit-self
