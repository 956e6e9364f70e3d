[Profile]
Inherit=deep-7
