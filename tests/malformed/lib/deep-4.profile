[Profile]
Inherit=deep-5
