[Profile]
Inherit=immutable-host
[Usr]
RootHash=/usr/lib/hardenctl/usr.hash
