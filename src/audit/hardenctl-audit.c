/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* hardenctl-audit load: puts the boot profile's [Audit] section in force through libaudit, in the
 * order that keeps each step effective: backlog limit, failure mode and rate limit first, then the
 * rules (built-in sets, then Rule=), and the lock (enabled 2) last, when Immutable=yes. Run by
 * hardenctl-audit.service, after auditd.service, whose augenrules --load starts with -D and would
 * otherwise delete these rules. Works without auditd: the kernel keeps the rules either way. */

#include "audit-load.h"
#include "boot.h"
#include "log.h"
#include "string-util.h"

static int load(void) {
        _cleanup_(profile_freep) Profile *p = NULL;
        _cleanup_free_ char *error = NULL;
        AuditRule **rules = NULL;
        size_t n = 0, added = 0, present = 0, failed = 0;
        int fd, r;

        r = boot_profile_load(&p);
        if (r < 0)
                return r;
        if (r == 0) {
                log_info("No boot profile, nothing to load.");
                return 0;
        }

        r = audit_rules_from_profile(p, &rules, &n, &error);
        if (r < 0)
                return log_error_errno(r, "Audit rules of the profile are invalid: %s", strna(error));

        fd = audit_open();
        if (fd < 0) {
                r = log_error_errno(errno, "Cannot talk to the kernel's audit subsystem: %m");
                goto finish;
        }

        r = audit_apply_settings(fd, &p->audit);
        if (r < 0)
                log_error_errno(r, "Failed to set the audit backlog limit, failure mode or rate limit: %m");

        for (size_t i = 0; i < n; i++) {
                int k = audit_add(fd, rules[i]);

                if (k < 0) {
                        log_error_errno(k, "Failed to load audit rule '%s': %m", rules[i]->text);
                        failed++;
                } else if (k > 0)
                        present++;
                else
                        added++;
        }

        if (p->audit.immutable > 0) {
                int k = audit_lock(fd);
                if (k < 0)
                        r = log_error_errno(k, "Failed to lock the audit configuration: %m");
        }

        log_info("Audit: %zu rules loaded, %zu already present, %zu failed%s.", added, present, failed,
                 p->audit.immutable > 0 && r >= 0 ? "; configuration locked until reboot" : "");
        audit_close(fd);
        if (failed > 0 && r >= 0)
                r = -EINVAL;

finish:
        audit_rules_free(rules, n);
        return r;
}

int main(int argc, char *argv[]) {
        int r;

        log_set_prefix("hardenctl-audit");
        log_parse_environment();

        if (argc == 2 && streq(argv[1], "load"))
                r = load();
        else
                r = log_error_errno(-EINVAL, "Usage: hardenctl-audit load");

        return r < 0 ? EXIT_FAILURE : EXIT_SUCCESS;
}
