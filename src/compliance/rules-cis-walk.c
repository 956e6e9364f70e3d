/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* [Benchmark] CIS=: what only a walk of the whole tree finds (CIS 7.1.11 world-writable files and
 * directories without the sticky bit, 7.1.12 files without a known owner or group, 7.1.13 the SUID
 * and SGID files to review), from the one walk per check (probe_walk()). */

#include "compliance-rules.h"

/* ComplianceAsCode: file_permissions_unauthorized_world_writable, dir_perms_world_writable_sticky_bits,
 * no_files_unowned_by_user, file_permissions_ungroupowned (controls/cis_debian12.yml). */
static const ItemRef walk_refs[] = {
        [WALK_WW_FILES] = { "world-writable files", "7.1.11", NULL, NULL },
        [WALK_WW_DIRS] = { "world-writable directories without the sticky bit", "7.1.11", NULL, NULL },
        [WALK_UNOWNED] = { "files without a known owner or group", "7.1.12", "SRG-OS-000480-GPOS-00227", NULL },
        [WALK_SUID] = { "SUID and SGID files", "7.1.13", NULL, NULL },
};

static const char *const walk_expected[_WALK_FINDING_MAX] = {
        [WALK_WW_FILES] = "none",
        [WALK_WW_DIRS] = "none",
        [WALK_UNOWNED] = "none",
        [WALK_SUID] = "each reviewed",
};

static int check_walk_one(CheckContext *c, const ComplianceRule *rule, size_t i) {
        _cleanup_free_ char *joined = NULL, **shown = NULL;
        const WalkResult *w;
        ComplianceResult *x;
        size_t n;
        int r;

        r = check_begin(c, rule, rule->items[i].item, &x);
        if (r < 0)
                return r;
        r = probe_walk(c, &w);
        if (r == -ENOMEM)
                return r;
        if (r < 0)
                return result_errno(x, r, c->root);
        n = w->count[i];
        /* The first WALK_LIST_MAX of the list, a view of it. */
        shown = new0(char *, WALK_LIST_MAX + 1);
        if (!shown)
                return -ENOMEM;
        for (size_t k = 0; k < WALK_LIST_MAX && k < w->found[i].n; k++)
                shown[k] = w->found[i].l[k];
        joined = strv_join(shown, " ");
        if (!joined)
                return -ENOMEM;
        r = result_evidence(x, check_tmp(c, "%zu entries walked", w->n_entries), walk_expected[i],
                            n > WALK_LIST_MAX ? check_tmp(c, "%zu, the first %u: %s", n, WALK_LIST_MAX, joined) :
                            n > 0             ? check_tmp(c, "%zu: %s", n, joined) :
                                                "none");
        if (r < 0)
                return r;
        if (i == WALK_SUID)
                return result_set(x, RULE_NOTCHECKED,
                                  "%zu SUID or SGID files: a manual item, review each against what the host needs", n);
        if (n > 0)
                return result_set(x, RULE_FAIL, "%zu %s", n, rule->items[i].item);
        return result_set(x, RULE_PASS, "No %s", rule->items[i].item);
}

static int check_walk(CheckContext *c, const ComplianceRule *rule) {
        return check_cis_items(c, rule, check_walk_one);
}

const ComplianceRule rule_cis_filesystem_walk = {
        .id = "hardenctl-cis-filesystem-walk",
        .title = "No world-writable files, open directories or unowned files; SUID and SGID files listed",
        .severity = SEVERITY_MEDIUM,
        .rationale =
                "A world-writable file or a directory without the sticky bit lets any user change or replace what others run or read; a file without a known owner goes to whoever gets that id next; every SUID or SGID program is a way to root.",
        .nist = "AC-6 CM-6 CM-7",
        .remediation =
                "chmod o-w the files listed, chmod +t the directories (or o-w), chown the unowned files to an account that exists, and remove the SUID or SGID bit from programs the host does not need.",
        .check = check_walk,
        .items = walk_refs,
        .n_items = ELEMENTSOF(walk_refs),
};
