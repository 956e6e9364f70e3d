[Profile]
Description=x

[Firewall]
Policy=drop
