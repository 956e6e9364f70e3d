[Usr]
Verity=required
DataDevice=/dev/disk/by-id/a b ; /bin/sh
