/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdio.h>
#include <sys/types.h>

#include "audit-load.h"
#include "digest.h"
#include "profile.h"

/* hardenctl apply, as data: every change a profile implies for a host or an image tree, each with what
 * is there now and what must be there. A plan is built (plan_build()) from the profile, the files below
 * the root and the live state; shown (plan_show()); and only then carried out (plan_execute(), in
 * apply-exec.h). A plan holds only real changes: applying a profile twice plans nothing the second
 * time. */

typedef enum ApplyScope {
        APPLY_HOST,    /* files in /etc, and the live state */
        APPLY_RUNTIME, /* files in /run, and the live state: nothing survives a reboot */
        APPLY_IMAGE,   /* files in /etc below --root=DIR; no live state */
        _APPLY_SCOPE_MAX,
} ApplyScope;

#define APPLY_AUDIT_RULES_PATH "/etc/audit/rules.d/50-hardenctl.rules"
#define APPLY_SYSCTL_NAME "zz-hardenctl-apply.conf"
#define APPLY_MODPROBE_NAME "50-hardenctl.conf"
#define APPLY_RECORD_NAME "applied"
#define APPLY_LOCK_PATH "/run/hardenctl/apply.lock"
#define APPLY_FILE_SIZE_MAX (1024U * 1024U)

typedef enum PlanFileType {
        PLAN_FILE_REGULAR,
        PLAN_FILE_SYMLINK, /* a mask: UNIT → /dev/null */
} PlanFileType;

typedef struct PlanFile {
        char *path;          /* absolute, as seen inside the root */
        const char *purpose; /* static: "audit rules", "sysctl settings", … */
        PlanFileType type;
        bool record; /* the record of the applied profile: written last */
        bool exists; /* what is there now: */
        char *old;   /*   its content, or the target of the symlink */
        mode_t old_mode;
        uid_t old_uid;
        gid_t old_gid;
        char *new;  /* what must be there; NULL: remove the file */
        char *unit; /* the unit a drop-in or mask belongs to, or NULL */
} PlanFile;

typedef enum PlanLiveType {
        PLAN_AUDIT_BACKLOG_LIMIT,
        PLAN_AUDIT_FAILURE_MODE,
        PLAN_AUDIT_RATE_LIMIT,
        PLAN_AUDIT_BACKLOG_WAIT_TIME,
        PLAN_AUDIT_DELETE_RULE, /* a rule of the audit rules file an earlier apply wrote, no longer wanted */
        PLAN_AUDIT_RULE,
        PLAN_SYSCTL,
        PLAN_SELINUX_MODE,
        PLAN_DAEMON_RELOAD,
        PLAN_UNIT_RESTART,
        /* These cannot be undone: they come last, in this order, after the record. */
        PLAN_MODULE_SIG_ENFORCE,       /* ModuleLoading=signed: /sys/module/module/parameters/sig_enforce */
        PLAN_LOCKDOWN,                 /* Lockdown=: /sys/kernel/security/lockdown, raised */
        PLAN_MODULES_DISABLED,         /* ModuleLoading=locked: kernel.modules_disabled=1 */
        PLAN_AUDIT_LOGINUID_IMMUTABLE, /* LoginUIDImmutable=yes: the kernel's feature, locked */
        PLAN_AUDIT_LOCK,               /* Immutable=yes: always the very last step */
        _PLAN_LIVE_TYPE_MAX,
} PlanLiveType;

typedef struct PlanLive {
        PlanLiveType type;
        char *name;      /* sysctl key, unit, rule text; NULL otherwise */
        char *old_value; /* as shown, and as restored (sysctl); as shown (kernel settings) */
        char *new_value;
        uint32_t old_number; /* audit settings; SELinux: 1 enforcing, 0 permissive */
        uint32_t new_number;
        AuditRule *rule; /* PLAN_AUDIT_RULE, PLAN_AUDIT_DELETE_RULE */
} PlanLive;

typedef struct Plan {
        ApplyScope scope;
        char *profile_name;
        char *spec;   /* as given to apply, made absolute if it is a path */
        char *digest; /* "sha256:HEX" of the profile's sources */
        PlanFile *files;
        size_t n_files;
        PlanLive *live;
        size_t n_live;
        char **notes; /* what is not done, and why */
        /* The record written before the first change (Incomplete=yes, owning what the old record and the
         * new one own), so that a killed apply leaves no file that no record names; NULL if nothing but
         * the record changes, or the record does not. */
        char *record_interim;
        /* Every directory an apply may have written to (by the old record, the new one and the plan):
         * swept of the temporary files a killed apply left (plan_sweep()). */
        char **sweep_dirs;
} Plan;

Plan *plan_free(Plan *p);
DEFINE_TRIVIAL_CLEANUP_FUNC(Plan *, plan_free);

/* Whether a live change cannot be undone (a rollback after it is incomplete). */
static inline bool plan_live_irreversible(PlanLiveType t) {
        return t == PLAN_MODULE_SIG_ENFORCE || t == PLAN_LOCKDOWN || t == PLAN_MODULES_DISABLED ||
               t == PLAN_AUDIT_LOGINUID_IMMUTABLE || t == PLAN_AUDIT_LOCK;
}

static inline size_t plan_n_changes(const Plan *p) {
        return p->n_files + p->n_live;
}

/* The live state the plan is made against. For tests, every part can come from a fake: a /proc/sys
 * tree, a made-up audit state, no systemd. */
typedef struct LiveState {
        int proc_sys_fd;         /* /proc/sys; <0: sysctls are not planned live */
        int sys_fd;              /* /sys, for lockdown and module signatures; <0: not there */
        bool test_keep_sys;      /* test only: the real /sys must not change: refuse what would */
        bool test_keep_proc_sys; /* test only: the same for the real /proc/sys (modules_disabled) */
        bool audit;              /* the audit fields below are known */
        AuditStatus audit_status;
        struct audit_rule_data **audit_rules; /* every loaded rule, kernel format */
        size_t n_audit_rules;
        const char *audit_key; /* test only: refuse to plan audit changes but rules with this key */
        int selinux;           /* -1: not enabled in the kernel; 0 permissive; 1 enforcing */
        bool systemd;          /* systemd runs the host: plan daemon-reload and restarts */
} LiveState;

#define LIVE_STATE_NULL \
        { .proc_sys_fd = -EBADF, .sys_fd = -EBADF, .selinux = -1 }

void live_state_done(LiveState *s);

typedef struct PlanContext {
        ApplyScope scope;
        int root_fd;           /* "/" or --root */
        const LiveState *live; /* NULL with APPLY_IMAGE */
        uint64_t now_usec;     /* time for the record */
} PlanContext;

/* Builds the plan. Returns 0 and the plan; or -EINVAL, -ELOOP (a target that is a symbolic link),
 * -EBADFD (a target that is not a regular file), -EPERM (audit locked), … with *ret_error saying what
 * and where. Reads but changes nothing. */
int plan_build(const Profile *p, const char *spec, const PlanContext *c, Plan **ret, char **ret_error);

/* Writes the plan: a unified diff of the files (labels a/PATH and b/PATH, or /dev/null), then the live
 * changes, one a line, then the notes. */
int plan_show(const Plan *p, FILE *f);

/* One line describing a live change, e.g. "sysctl kernel.kptr_restrict: 0 → 2". */
char *plan_live_describe(const PlanLive *l);

/* The record of an applied profile (APPLY_RECORD_NAME in /etc/hardenctl or /run/hardenctl). */
typedef struct ApplyRecord {
        char *profile;
        char *spec;
        char *digest;
        char *applied;   /* ISO 8601, UTC */
        char **files;    /* files the apply owns, removed when a later profile no longer wants them */
        bool incomplete; /* Incomplete=yes: written before the first change of an apply that has not completed */
} ApplyRecord;

/* The most File= lines a record may have (three full lists of the profile, and some). */
#define APPLY_RECORD_FILES_MAX 8192U

void apply_record_done(ApplyRecord *r);
/* Parses a record: 0, or -EBADMSG (malformed), -E2BIG (more than APPLY_RECORD_FILES_MAX files), -ENOMEM. */
int apply_record_parse(const char *text, ApplyRecord *ret);
/* The record's directory for a scope: /etc/hardenctl, or /run/hardenctl for APPLY_RUNTIME. */
const char *apply_record_dir(ApplyScope scope) _const_;
