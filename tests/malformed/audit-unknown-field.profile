[Audit]
Rule=-a always,exit -F uidd=0 -k x
