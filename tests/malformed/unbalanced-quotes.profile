[Packages]
Forbid="gcc gdb
