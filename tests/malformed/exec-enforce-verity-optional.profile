[Profile]
Inherit=verity-optional

[Exec]
Mode=enforce
