/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* Prints 1 if SELinux is enabled in this kernel, 0 if not: for tests that must not change a host. */

#include <selinux/selinux.h>
#include <stdio.h>

int main(void) {
        printf("%d\n", is_selinux_enabled() > 0);
        return 0;
}
