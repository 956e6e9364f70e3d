/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* For the apply and audit tests: "audit-key-rules KEY" prints how many loaded audit rules carry KEY;
 * "audit-key-rules --delete KEY" deletes them (cleanup). Only rules with that key are touched.
 * "audit-key-rules --status" prints "enabled=E failure=F backlog_limit=B rate_limit=R" (reads only).
 * "audit-key-rules --match FILE KEY" parses each line of FILE as a rule and prints "N M": how many lines
 * are rules, how many of them the kernel lists, with KEY, as audit_rule_is_loaded_as() sees them (what
 * hardenctl check does). */

#include "audit-load.h"
#include "macro.h"

static int match(int fd, const char *path, const char *key) {
        struct audit_rule_data **loaded = NULL;
        size_t n_loaded = 0;
        unsigned rules = 0, found = 0;
        char *line = NULL;
        size_t size = 0;
        FILE *f;
        int r;

        r = audit_list_all(fd, &loaded, &n_loaded);
        if (r < 0)
                return r;
        f = fopen(path, "re");
        if (!f)
                r = -errno;
        while (f && getline(&line, &size, f) >= 0) {
                _cleanup_(audit_rule_freep) AuditRule *rule = NULL;
                _cleanup_free_ char *reason = NULL;
                bool hit = false;

                line[strcspn(line, "\n")] = 0;
                if (audit_rule_parse(line, &rule, &reason) < 0) {
                        fprintf(stderr, "%s: %s\n", line, reason ? reason : "?");
                        continue;
                }
                rules++;
                for (size_t i = 0; i < n_loaded && !hit; i++)
                        hit = audit_rule_is_loaded_as(rule, loaded[i]);
                if (hit)
                        found++;
                else
                        fprintf(stderr, "not found as loaded: %s\n", line);
        }
        free(line);
        if (f)
                fclose(f);
        for (size_t i = 0; i < n_loaded; i++)
                free(loaded[i]);
        free(loaded);
        (void) key;
        if (r < 0)
                return r;
        printf("%u %u\n", rules, found);
        return 0;
}

int main(int argc, char *argv[]) {
        bool del = argc == 3 && streq(argv[1], "--delete");
        bool status = argc == 2 && streq(argv[1], "--status");
        const char *key = argv[argc - 1];
        int fd, r;

        if (argc == 4 && streq(argv[1], "--match")) {
                fd = audit_open();
                if (fd < 0)
                        return 77;
                r = match(fd, argv[2], argv[3]);
                audit_close(fd);
                return r < 0 ? 1 : 0;
        }
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
