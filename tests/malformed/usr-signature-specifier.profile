[Usr]
Verity=optional
Signature=required
SignatureFile=/usr/lib/hardenctl/%n.p7s
