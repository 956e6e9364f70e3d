[Etc]
Lower=factory
FactoryDirectory=/var/factory
