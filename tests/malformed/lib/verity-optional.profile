[Usr]
Verity=optional
