[Usr]
Verty=required
