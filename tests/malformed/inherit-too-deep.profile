[Profile]
Inherit=deep-1
