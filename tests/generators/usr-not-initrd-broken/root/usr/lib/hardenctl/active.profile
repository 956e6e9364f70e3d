[Usr]
Verity=bogus
