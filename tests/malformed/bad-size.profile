[Etc]
Overlay=tmpfs
Size=12Q
