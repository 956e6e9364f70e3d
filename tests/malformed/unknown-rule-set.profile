[Audit]
Rules=@identity @firewall
