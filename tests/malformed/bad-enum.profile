[Usr]
Verity=requird
