[Audit]
Rule=-a always,exit -F arch=b64 -S opnat -k files
