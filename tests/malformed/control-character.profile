[Profile]
Description=bell
