[Packages]
Forbid=gcc Telnet_Server
