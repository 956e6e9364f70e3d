[Audit]
Rule=-e 2
