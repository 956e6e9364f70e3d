[Profile]
Inherit=deep-9
