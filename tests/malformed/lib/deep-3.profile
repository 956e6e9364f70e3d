[Profile]
Inherit=deep-4
