Description=no section
[Profile]
Description=x
