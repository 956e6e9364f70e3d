[Profile]
Inherit=deep-8
