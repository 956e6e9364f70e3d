[Usr]
Verity!=required
