[Audit]
Immutable=maybe
