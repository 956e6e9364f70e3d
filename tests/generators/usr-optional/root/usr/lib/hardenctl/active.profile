[Profile]
Inherit=baseline
[Usr]
Verity=optional
