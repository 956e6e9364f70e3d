[Etc]
Overlay=tmpfs
Lower=factory
FactoryDirectory=/usr/share/fac,upperdir=/tmp:evil
