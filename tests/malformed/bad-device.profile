[Usr]
DataDevice=/mnt/usr.img
