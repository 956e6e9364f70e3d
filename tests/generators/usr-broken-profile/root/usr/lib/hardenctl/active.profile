[Profile]
Inherit=immutable-host
[Usr]
Verity=requird
