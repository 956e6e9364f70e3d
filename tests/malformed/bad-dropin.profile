[Profile]
Description=fine on its own
