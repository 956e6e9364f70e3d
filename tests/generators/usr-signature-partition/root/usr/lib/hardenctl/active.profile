[Profile]
Inherit=immutable-host
[Usr]
Signature=required
