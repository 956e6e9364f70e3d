[Profile]
Inherit=deep-2
