[SELinux]
Context=nginx.service httpd_t
