[Profile]
Description=café
