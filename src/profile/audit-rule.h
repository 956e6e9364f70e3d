/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <libaudit.h>

#include "macro.h"

/* One audit rule in auditctl syntax, parsed into the kernel's rule format through libaudit, so that it
 * can be validated when a profile is read and later loaded as it is (audit_add_rule_data()). */
typedef struct AuditRule {
        struct audit_rule_data *data; /* as built by libaudit; free() */
        int filter;                   /* AUDIT_FILTER_EXIT, AUDIT_FILTER_USER, … (the "list") */
        int action;                   /* AUDIT_ALWAYS or AUDIT_NEVER */
        bool prepend;                 /* -A rather than -a */
        char *key;                    /* -k / -F key=, or NULL */
        char *text;                   /* the rule as written, whitespace-normalized */
} AuditRule;

AuditRule *audit_rule_free(AuditRule *r);
DEFINE_TRIVIAL_CLEANUP_FUNC(AuditRule *, audit_rule_free);

/* Frees n rules and the array. */
void audit_rules_free(AuditRule **rules, size_t n);

/* A deep copy of a rule, for an owner of its own (apply's plan, which frees what it carries out);
 * NULL if out of memory. */
AuditRule *audit_rule_copy(const AuditRule *r);

/* Deep copies of n rules, in a new array (NULL if n is 0). Returns 0 or -ENOMEM. */
int audit_rules_copy(AuditRule *const *rules, size_t n, AuditRule ***ret);

/* Parses one rule in auditctl syntax: "-a action,list [-F f=v]… [-S syscall[,syscall]]… [-C f1=f2] [-k key]",
 * "-A …", or the watch forms "-w PATH [-p rwxa] [-k key]". Control options (-e, -f, -b, -r, -D, -W,
 * -d…) are not rules and are rejected: the profile has keys of its own for them.
 *
 * Returns 0 and the rule, or -EINVAL with *ret_reason saying what is wrong (the unknown syscall, field,
 * operator or value), or -ENOMEM. Does not talk to the kernel. */
int audit_rule_parse(const char *text, AuditRule **ret, char **ret_reason);

/* Built-in named rule sets ("Rules=@exec-monitoring"). Returns a NULL-terminated list of rules in
 * auditctl syntax, or NULL if there is no set of that name. */
const char *const *audit_rule_set_lookup(const char *name);

/* NULL-terminated list of the names of all built-in rule sets. */
const char *const *audit_rule_set_names(void);
