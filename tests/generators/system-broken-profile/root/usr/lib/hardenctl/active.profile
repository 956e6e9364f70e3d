[Profile]
Inherit=immutable-host
[Audit]
Immutable=maybe
