[Profile]
Inherit=deep-6
