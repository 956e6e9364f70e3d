[Mounts]
Separate=var/log
