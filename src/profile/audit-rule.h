/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <libaudit.h>

#include "macro.h"

/* One audit rule in auditctl syntax, parsed into the kernel's rule format through libaudit, so that it
 * can be validated when a profile is read and later loaded as it is (audit_add_rule_data()). */
typedef struct AuditRule {
        struct audit_rule_data *data; /* as built by libaudit; free() */
        int filter;                   /* AUDIT_FILTER_EXIT, AUDIT_FILTER_USER, … (the "list"); data->flags too */
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

/* What a line of an audit rules file can set besides rules (auditctl's control options). */
typedef enum AuditControl {
        AUDIT_CONTROL_BACKLOG_LIMIT,      /* -b N */
        AUDIT_CONTROL_FAILURE_MODE,       /* -f 0|1|2 */
        AUDIT_CONTROL_RATE_LIMIT,         /* -r N */
        AUDIT_CONTROL_ENABLED,            /* -e 0|1|2 */
        AUDIT_CONTROL_BACKLOG_WAIT_TIME,  /* --backlog_wait_time N */
        AUDIT_CONTROL_LOGINUID_IMMUTABLE, /* --loginuid-immutable */
        AUDIT_CONTROL_DELETE_ALL,         /* -D [-k KEY] */
        AUDIT_CONTROL_IGNORE_ERRORS,      /* -i */
        AUDIT_CONTROL_CONTINUE,           /* -c */
        _AUDIT_CONTROL_MAX,
} AuditControl;

/* "-b", "--loginuid-immutable", … */
const char *audit_control_to_string(AuditControl c) _const_;

enum {
        AUDIT_LINE_EMPTY,   /* blank, or a comment */
        AUDIT_LINE_RULE,    /* a rule: *ret_rule */
        AUDIT_LINE_CONTROL, /* a setting: *ret_control, *ret_value */
};

/* Parses one line of an audit rules file exactly as auditctl(8) (audit 3.0 and 4.0) reads it: words split
 * at spaces ("\ " a space inside a word; no quoting), its options (short ones grouped or with the value
 * attached, long ones abbreviated), and the rule built by libaudit's functions in auditctl's order, so
 * that a line auditctl accepts gives the struct audit_rule_data it would send ("-F key=" as "-k", trailing
 * slashes of a watch dropped, "all" system calls on every list but task, "-p" in any case). A line
 * auditctl refuses is refused, and so are lines that delete rules (-d, -W) or ask the kernel something
 * (-l, -s, …), and lines that mix a rule and a setting.
 *
 * Returns AUDIT_LINE_* (>= 0), or -EINVAL with *ret_reason saying what is wrong (the option, the unknown
 * system call, field, user or group), or -ENOMEM. Does not talk to the kernel (libaudit asks it which
 * fields the exclude and filesystem lists take). */
int audit_line_parse(const char *line, AuditRule **ret_rule, AuditControl *ret_control, uint32_t *ret_value,
                     char **ret_reason);

/* The same, with the paths of -w (a directory that exists is watched as dir=, anything else as path=) and
 * the parents of path= looked up below root_fd, the tree the rules are for: AT_FDCWD the host, as auditctl
 * does (audit_line_parse()); any other negative value none at all (every -w a path=, no parent refused),
 * for what can be said of a rule without a tree. */
int audit_line_parse_at(int root_fd, const char *line, AuditRule **ret_rule, AuditControl *ret_control,
                        uint32_t *ret_value, char **ret_reason);

/* What the rules' paths are below root_fd, as audit_line_parse_at() takes it; -ENOENT without a tree. */
struct stat;
int audit_path_stat(int root_fd, const char *path, struct stat *ret);

/* Whether the kernel would take the rule d: refused are a relative path=, dir= or exe=, a path= that ends
 * in '/', two of path=, dir= and inode= in one rule (or on another list than exit), a second exe=, a
 * path= whose parent exists below root_fd (as audit_line_parse_at() takes it) but is not a directory,
 * fields the list does not take. Returns 0, or
 * -EINVAL with *ret_reason; -ENOMEM. audit_line_parse() calls it for every rule it builds. */
int audit_rule_check_kernel(int root_fd, const struct audit_rule_data *d, char **ret_reason);

/* Parses one rule, as audit_line_parse(); an empty line or a setting is an error (-EINVAL): the profile
 * has keys of its own for the settings. */
int audit_rule_parse(const char *text, AuditRule **ret, char **ret_reason);
int audit_rule_parse_at(int root_fd, const char *text, AuditRule **ret, char **ret_reason);

/* Built-in named rule sets ("Rules=@exec-monitoring"). Returns a NULL-terminated list of rules in
 * auditctl syntax, or NULL if there is no set of that name. */
const char *const *audit_rule_set_lookup(const char *name);

/* NULL-terminated list of the names of all built-in rule sets. */
const char *const *audit_rule_set_names(void);
