# SPDX-License-Identifier: LGPL-2.1-or-later
# The profile the watcher's stream tests run with.

[Profile]
Description=Runtime watch test profile

[Usr]
Verity=required

[Etc]
Overlay=tmpfs
ExpectedDrift=resolv.conf

[Audit]
Rule=-a always,exit -F arch=b64 -S execve,execveat -F auid=unset -F uid!=0 -k agent-exec
Rule=-w /etc/agent -p wa -k agent-config
Rule=-w /var/lib/models -p wa -k agent-models
Rule=-w /etc/hosts -p wa -k etc-hosts

[Services]
Confine=agent.service
AllowExec=agent.service:/usr/bin/python3.11 agent.service:/usr/lib/agent/*
AllowExec=model-server.service:/usr/bin/model-server
