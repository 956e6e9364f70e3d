/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "audit-rule.h"
#include "compliance.h"


/* The per-item references of rule (a table of *ret_n entries), or NULL if it has none. Such a rule has
 * no CIS items of its own: each result carries those of its instance. */
const ItemRef *compliance_rule_item_refs(const ComplianceRule *rule, size_t *ret_n);

/* The references of rule applied to instance, or NULL if the catalog has none of its own. */
const ItemRef *compliance_item_refs(const ComplianceRule *rule, const char *instance);

typedef struct ComplianceOptions {
        /* When non-zero: the time the report states, and no duration (reproducible output). */
        uint64_t fixed_time_usec;
        /* The watcher's state file to read for the runtime section; NULL: WATCH_STATE_PATH, on a live
         * check only. */
        const char *watch_state;
} ComplianceOptions;

/* Evaluates every rule of the catalog against the tree below root_fd (root is its path, for the
 * report), for profile p (loaded with PROFILE_LOAD_KEEP_TEXT, for its digest). Returns 0 and the
 * report, whatever the rules' results; <0 only if the check could not be carried out. */
int compliance_check(const Profile *p, int root_fd, const char *root, const ComplianceOptions *o, ComplianceReport **ret);

/* Whether rule is among the n rules the kernel listed: compared as audit_rule_is_loaded_as() does, so
 * that the syscall-class bits the kernel clears in what it lists do not count. */
bool audit_rule_loaded(const AuditRule *rule, struct audit_rule_data *const *loaded, size_t n) _pure_;
