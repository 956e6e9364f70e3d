/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "audit-rule.h"
#include "profile.h"

/* Talking to the kernel's audit subsystem over netlink, through libaudit. fd is from audit_open(); all
 * of these need CAP_AUDIT_CONTROL. The rules a profile asks for are in it, parsed when it was loaded
 * (ProfileAudit.parsed_rules). */

/* The kernel's audit settings hardenctl changes. */
typedef enum AuditSetting {
        AUDIT_SETTING_ENABLED, /* 0 off, 1 on, 2 on and locked */
        AUDIT_SETTING_BACKLOG_LIMIT,
        AUDIT_SETTING_FAILURE_MODE,
        AUDIT_SETTING_RATE_LIMIT,
        AUDIT_SETTING_BACKLOG_WAIT_TIME,
        AUDIT_SETTING_LOGINUID_IMMUTABLE, /* 1 only: the kernel's feature, set and locked until reboot */
        _AUDIT_SETTING_MAX,
} AuditSetting;

/* "backlog limit", … for messages. */
const char *audit_setting_to_string(AuditSetting s) _const_;

/* Sets one setting. Returns 0 or the negative errno libaudit (or the kernel's acknowledgement)
 * returned; never a stale errno. */
int audit_setting_set(int fd, AuditSetting s, uint32_t value);

/* The settings the profile sets, in the order they are applied: backlog limit, failure mode, rate
 * limit, backlog wait time, loginuid immutable (AUDIT_SETTING_ENABLED is never among them). Fills
 * settings[] and values[] (room for _AUDIT_SETTING_MAX each) and returns how many. */
size_t audit_settings_from_profile(const ProfileAudit *a, AuditSetting settings[static _AUDIT_SETTING_MAX],
                                   uint32_t values[static _AUDIT_SETTING_MAX]);

/* Called for each setting that could not be applied, with the negative errno. */
typedef void (*audit_setting_error_cb_t)(AuditSetting s, uint32_t value, int error, void *userdata);

/* Applies the settings of audit_settings_from_profile(), in that order. One that fails does not keep
 * the others from being applied: cb (if set) hears of each failure. Returns 0, or the first error. */
int audit_apply_settings(int fd, const ProfileAudit *a, audit_setting_error_cb_t cb, void *userdata);

/* Turns auditing on (enabled 1): without it, loaded rules never fire. Refused by the kernel when the
 * configuration is locked. */
int audit_enable(int fd);

/* Adds one rule. A rule the kernel already has is not an error: returns 0 if added, 1 if present. */
int audit_add(int fd, const AuditRule *r);

/* Locks the configuration until reboot (enabled 2). */
int audit_lock(int fd);

/* The current status: enabled (0, 1, 2), failure mode, backlog limit, rate limit, backlog wait time
 * (as auditctl -s lists them), and whether the loginuid-immutable feature is on (1) or not (0). */
typedef struct AuditStatus {
        unsigned enabled, failure, backlog_limit, rate_limit, backlog_wait_time, loginuid_immutable;
} AuditStatus;
int audit_status_get(int fd, AuditStatus *ret);

/* The value of setting s in st. */
unsigned audit_status_value(const AuditStatus *st, AuditSetting s) _pure_;

/* Lists the loaded rules that carry key (one of their keys equal to it; every rule if key is NULL). Calls cb with each,
 * in the kernel's format; returns the number found or a negative errno. */
typedef int (*audit_rule_cb_t)(const struct audit_rule_data *r, void *userdata);
int audit_list_with_key(int fd, const char *key, audit_rule_cb_t cb, void *userdata);

/* Deletes every loaded rule that carries key. Returns the number deleted. */
int audit_delete_with_key(int fd, const char *key);

/* Every loaded rule, copied, in the kernel's format. Free each entry and the array with free(). */
int audit_list_all(int fd, struct audit_rule_data ***ret, size_t *ret_n);

/* Whether loaded, a rule as the kernel lists it, is rule: the same list, action, fields, operators,
 * values, system calls and strings (the prepend flag aside). */
bool audit_rule_is_loaded_as(const AuditRule *rule, const struct audit_rule_data *loaded) _pure_;

/* How rule a covers rule b (both in the kernel's format, as listed or as audit_rule_parse() built them):
 * AUDIT_COVERS_SAME if it is the same rule but for its key, a watched path with or without a trailing
 * slash; AUDIT_COVERS_BROADER if it records every event b records: the same list and action "always",
 * every system call of b, and no field that b does not have (a watch without arch= covers the same watch
 * per arch=), where a dir= tree covers a path= or dir= watch of itself or below it, but a path= watch
 * never covers a dir= one (it sees the directory, not what is in it); AUDIT_COVERS_NOT otherwise.
 * root_fd is the tree the rules are for: path= and dir= of a path that is not a directory there are the
 * same watch (-w gives dir= only where the directory exists, and the kernel refuses dir= elsewhere), and
 * so are /var/run/X and /run/X where /var/run is /run there. */
enum {
        AUDIT_COVERS_NOT,
        AUDIT_COVERS_BROADER,
        AUDIT_COVERS_SAME,
};
int audit_rule_covers(const struct audit_rule_data *a, const struct audit_rule_data *b, int root_fd);

/* Deletes one rule, given as audit_rule_parse() built it (to undo audit_add()). */
int audit_delete(int fd, const AuditRule *r);
