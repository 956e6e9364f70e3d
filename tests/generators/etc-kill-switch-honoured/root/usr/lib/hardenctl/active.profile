[Profile]
Inherit=baseline
[Etc]
Overlay=tmpfs
