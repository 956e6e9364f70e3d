[Etc]
Overlay=tmpfs
Lower=factory
FactoryDirectory=/usr/share/factory:/tmp/evil
