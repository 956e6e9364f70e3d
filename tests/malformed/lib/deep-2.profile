[Profile]
Inherit=deep-3
