[Audit]
Rule=-a always,exit -F path=/etc/shadow -F dir=/etc -F perm=wa -k x
Rule=-a always,exit -F exe=usr/bin/sudo -F arch=b64 -S execve -k x
Rule=-a always,exit -F path=/etc/sudoers.d/ -F perm=wa -k x
