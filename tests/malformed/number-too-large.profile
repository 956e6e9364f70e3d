[Audit]
RateLimit=99999999999
