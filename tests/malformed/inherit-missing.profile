[Profile]
Inherit=no-such-profile
