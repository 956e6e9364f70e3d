[Profile]
Inherit=baseline
[Usr]
Verity=required
