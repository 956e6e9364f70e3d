[Profile]
Inherit=deep-10
