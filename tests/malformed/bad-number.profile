[Audit]
BacklogLimit=lots
