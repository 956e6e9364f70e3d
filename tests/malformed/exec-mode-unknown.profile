[Exec]
Mode=enforced
