/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* Prints the audit rules a profile asks for, one per line as "KEY<TAB>RULE", in the order
 * hardenctl-audit loads them: what the VM tests expect `auditctl -l` in the guest to list.
 * Usage: audit-expect ROOT NAME */

#include <fcntl.h>
#include <stdio.h>

#include "audit-load.h"
#include "fs-util.h"
#include "macro.h"
#include "profile-load.h"

int main(int argc, char *argv[]) {
        _cleanup_(profile_diags_done) ProfileDiags diags = {};
        _cleanup_(profile_freep) Profile *p = NULL;
        _cleanup_close_ int root_fd = -EBADF;
        ProfileLoadOptions o;
        int r;

        if (argc != 3) {
                fprintf(stderr, "Usage: audit-expect ROOT NAME\n");
                return 2;
        }

        root_fd = open(argv[1], O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (root_fd < 0) {
                fprintf(stderr, "Cannot open %s: %m\n", argv[1]);
                return 1;
        }
        o = (ProfileLoadOptions){ .root_fd = root_fd, .flags = PROFILE_LOAD_STRICT };
        r = profile_load(&o, argv[2], &p, &diags);
        if (r < 0) {
                fprintf(stderr, "Cannot load profile %s: %s\n", argv[2], strerror(-r));
                return 1;
        }

        if (p->audit.rules_error) {
                fprintf(stderr, "Invalid audit rules: %s\n", p->audit.rules_error);
                return 1;
        }
        for (size_t i = 0; i < p->audit.n_parsed_rules; i++)
                printf("%s\t%s\n", p->audit.parsed_rules[i]->key ?: "-", p->audit.parsed_rules[i]->text);

        return fflush(stdout) == 0 ? 0 : 1;
}
