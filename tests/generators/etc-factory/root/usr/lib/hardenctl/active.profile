[Profile]
Inherit=baseline
[Etc]
Overlay=tmpfs
Lower=factory
Size=25%
