[Usr Settings]
Verity=required
