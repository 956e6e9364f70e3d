[Audit]
RulesFile=audit.rules
