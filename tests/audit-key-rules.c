/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* For the apply and audit tests: "audit-key-rules KEY" prints how many loaded audit rules carry KEY;
 * "audit-key-rules --delete KEY" deletes them (cleanup). Only rules with that key are touched.
 * "audit-key-rules --status" prints "enabled=E failure=F backlog_limit=B rate_limit=R" (reads only). */

#include "audit-load.h"
#include "macro.h"

int main(int argc, char *argv[]) {
        bool del = argc == 3 && streq(argv[1], "--delete");
        bool status = argc == 2 && streq(argv[1], "--status");
        const char *key = argv[argc - 1];
        int fd, r;

        if (argc != 2 && !del)
                return 2;
        fd = audit_open();
        if (fd < 0)
                return 77;
        if (status) {
                AuditStatus st;

                r = audit_status_get(fd, &st);
                audit_close(fd);
                if (r < 0)
                        return 1;
                printf("enabled=%u failure=%u backlog_limit=%u rate_limit=%u\n", st.enabled, st.failure,
                       st.backlog_limit, st.rate_limit);
                return 0;
        }
        r = del ? audit_delete_with_key(fd, key) : audit_list_with_key(fd, key, NULL, NULL);
        audit_close(fd);
        if (r < 0)
                return 1;
        printf("%d\n", r);
        return 0;
}
