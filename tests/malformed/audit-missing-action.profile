[Audit]
Rule=-F arch=b64 -S execve -k exec
