[Profile]
Description=end
