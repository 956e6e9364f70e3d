[Services]
SystemCallFilter=@system-service frobnicate
