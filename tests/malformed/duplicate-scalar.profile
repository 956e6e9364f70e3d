[SELinux]
Mode=enforcing
Mode=permissive
