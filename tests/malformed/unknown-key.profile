[Usr]
Verity=required
VerifyAll=yes
