/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdint.h>

#include "macro.h"

/* The parsed, merged hardening profile. Every field has an "unset" state (-1 for enums and
 * tristates, UINT64_MAX for numbers, NULL for strings and lists) meaning "the profile says nothing:
 * leave this alone and do not check it". The key tables in profile-schema.c map each
 * [Section] Key= to one field here.
 *
 * Lists whose entries have a structure of their own are also kept typed, derived from the text once
 * the whole profile is merged (profile_finalize()): consumers read those and never parse the text
 * again. The text stays, as written, for the JSON form and the compliance report. */

typedef struct AuditRule AuditRule;         /* audit-rule.h */
typedef struct SysctlSetting SysctlSetting; /* sysctl-util.h */

typedef enum VerityMode {
        VERITY_OFF,
        VERITY_OPTIONAL,
        VERITY_REQUIRED,
        _VERITY_MODE_MAX,
} VerityMode;

typedef enum SignatureMode {
        SIGNATURE_OFF,
        SIGNATURE_REQUIRED,
        _SIGNATURE_MODE_MAX,
} SignatureMode;

typedef enum CorruptionAction {
        CORRUPTION_EIO,
        CORRUPTION_RESTART,
        CORRUPTION_PANIC,
        _CORRUPTION_ACTION_MAX,
} CorruptionAction;

typedef enum FailureAction {
        FAILURE_EMERGENCY,
        FAILURE_REBOOT,
        FAILURE_POWEROFF,
        _FAILURE_ACTION_MAX,
} FailureAction;

typedef enum UsrFileSystem {
        USR_FS_EROFS,
        USR_FS_SQUASHFS,
        USR_FS_EXT4,
        _USR_FS_MAX,
} UsrFileSystem;

typedef enum EtcOverlay {
        ETC_OVERLAY_OFF,
        ETC_OVERLAY_TMPFS,
        _ETC_OVERLAY_MAX,
} EtcOverlay;

typedef enum EtcLower {
        ETC_LOWER_ROOT,
        ETC_LOWER_FACTORY,
        _ETC_LOWER_MAX,
} EtcLower;

typedef enum SELinuxMode {
        SELINUX_DISABLED,
        SELINUX_PERMISSIVE,
        SELINUX_ENFORCING,
        _SELINUX_MODE_MAX,
} SELinuxMode;

typedef enum UnavailableAction {
        UNAVAILABLE_WARN,
        UNAVAILABLE_FAIL,
        _UNAVAILABLE_ACTION_MAX,
} UnavailableAction;

typedef enum AuditFailureMode {
        AUDIT_FAILURE_SILENT,
        AUDIT_FAILURE_PRINTK,
        AUDIT_FAILURE_PANIC,
        _AUDIT_FAILURE_MODE_MAX,
} AuditFailureMode;

typedef enum LockdownMode {
        LOCKDOWN_NONE,
        LOCKDOWN_INTEGRITY,
        LOCKDOWN_CONFIDENTIALITY,
        _LOCKDOWN_MODE_MAX,
} LockdownMode;

typedef enum ModuleLoading {
        MODULES_ALLOW,
        MODULES_SIGNED,
        MODULES_LOCKED,
        _MODULE_LOADING_MAX,
} ModuleLoading;

typedef enum ProtectSystem {
        PROTECT_SYSTEM_NO,
        PROTECT_SYSTEM_YES,
        PROTECT_SYSTEM_FULL,
        PROTECT_SYSTEM_STRICT,
        _PROTECT_SYSTEM_MAX,
} ProtectSystem;

typedef enum ProtectHome {
        PROTECT_HOME_NO,
        PROTECT_HOME_YES,
        PROTECT_HOME_READ_ONLY,
        PROTECT_HOME_TMPFS,
        _PROTECT_HOME_MAX,
} ProtectHome;

typedef enum ExecMode {
        EXEC_OFF,
        EXEC_AUDIT,
        EXEC_ENFORCE,
        _EXEC_MODE_MAX,
} ExecMode;

typedef enum RootLogin {
        ROOT_LOGIN_ALLOW,
        ROOT_LOGIN_CONSOLE,
        ROOT_LOGIN_DENY,
        _ROOT_LOGIN_MAX,
} RootLogin;

#define ENUM_UNSET (-1)
#define TRISTATE_UNSET (-1)
#define NUMBER_UNSET UINT64_MAX

typedef struct ProfileMeta {
        char *description;
        char *inherit;
        int allow_kill_switch; /* tristate */
} ProfileMeta;

typedef struct ProfileUsr {
        int verity;           /* VerityMode */
        char *root_hash;      /* "cmdline", hex digits, or an absolute path to a file */
        int signature;        /* SignatureMode */
        char *signature_file; /* absolute path of the PKCS#7 signature */
        char *data_device;    /* NULL: discovered by partition UUID */
        char *hash_device;
        int on_corruption; /* CorruptionAction */
        int on_failure;    /* FailureAction */
        int file_system;   /* UsrFileSystem */
} ProfileUsr;

typedef struct ProfileEtc {
        int overlay;             /* EtcOverlay */
        int lower;               /* EtcLower */
        char *factory_directory; /* absolute path under /usr */
        uint64_t size_bytes;     /* exclusive with size_percent */
        unsigned size_percent;   /* 0: unset */
        char **persist;          /* paths relative to /etc */
        char **expected_drift;   /* glob patterns relative to /etc */
} ProfileEtc;

typedef struct ProfileSELinux {
        int mode; /* SELinuxMode */
        char *policy;
        int on_unavailable; /* UnavailableAction */
        char **contexts;    /* "UNIT CONTEXT" */
} ProfileSELinux;

/* What RulesFile= reads at most: of one file, and files of one directory. */
#define AUDIT_RULES_FILE_MAX (4U * 1024U * 1024U)
#define AUDIT_RULES_DIR_MAX 256U

typedef struct ProfileAudit {
        char **rule_sets;   /* names of built-in rule sets, without '@' */
        char **rules;       /* auditctl syntax, one rule per entry */
        char **rules_files; /* RulesFile=: absolute paths of auditctl rules files or rules.d directories */
        int immutable;      /* tristate */
        uint64_t backlog_limit;
        int failure_mode; /* AuditFailureMode */
        uint64_t rate_limit;
        uint64_t backlog_wait_time; /* in the kernel's clock ticks, as auditctl --backlog_wait_time */
        int loginuid_immutable;     /* tristate */

        /* Typed: every rule of the sets of rule_sets, set by set, then rules, in order; as loaded. */
        AuditRule **parsed_rules;
        size_t n_parsed_rules;
        char *rules_error;           /* why the rules could not all be built (none are then); NULL if they were */
        const char *rules_error_key; /* the key of the rule that could not be built: "RulesFile" or "Rule" */
} ProfileAudit;

typedef struct ProfileKernel {
        char **sysctls;     /* "key=value", key with dots */
        int lockdown;       /* LockdownMode */
        int module_loading; /* ModuleLoading */
        char **deny_modules;
        char **command_line; /* "word" or "key=value" that must be on the kernel command line */

        /* Typed: sysctls merged, each setting once by its canonical name (sysctl_merge()). */
        SysctlSetting *sysctl_settings;
        size_t n_sysctl_settings;
} ProfileKernel;

typedef struct ProfileMounts {
        char **options;  /* "PATH opt,opt" */
        char **separate; /* paths that must be mount points of their own */
} ProfileMounts;

/* [Services] AllowExec=: a program a service may run, typed. Both may be globs (fnmatch()). */
typedef struct ServiceExec {
        char *unit;
        char *path;
} ServiceExec;
/* What may execute (IPE, hardenctl.profile(5) [Exec]). The lists hold "sha256:HEX", lowercase, validated
 * and normalized when the profile is read: the policy compiler and the compliance rules use them as they
 * are. */
typedef struct ProfileExec {
        int mode;                        /* ExecMode */
        char **allow_verity_root_hashes; /* AllowVerityRootHash= */
        char **allow_fsverity_digests;   /* AllowFsVerityDigest= */
} ProfileExec;

typedef struct ProfileServices {
        char **confine;    /* unit names the settings below apply to */
        char **allow_exec; /* "UNIT:PATH": what the runtime watcher lets a service run */
        char **mask;       /* unit names that must be masked */
        int no_new_privileges;
        int protect_system; /* ProtectSystem */
        int protect_home;   /* ProtectHome */
        int private_tmp;
        int private_devices;
        int protect_kernel_tunables;
        int protect_kernel_modules;
        int protect_kernel_logs;
        int protect_control_groups;
        int restrict_suid_sgid;
        int memory_deny_write_execute;
        int lock_personality;
        int restrict_realtime;
        char **capability_bounding_set;
        char **restrict_address_families;
        char **system_call_filter;

        /* Typed: allow_exec split, in order. */
        ServiceExec *exec_allowed;
        size_t n_exec_allowed;
} ProfileServices;

typedef struct ProfileAccess {
        char **admin_groups;
        char **admin_users;
        int root_login;          /* RootLogin */
        int allow_nopasswd_sudo; /* tristate */
} ProfileAccess;

typedef struct ProfilePackages {
        char **forbid;
} ProfilePackages;

typedef struct ProfileAttest {
        int require_tpm; /* tristate */
} ProfileAttest;
/* [Benchmark]: benchmark items the host is held to beyond what the other sections state. */
typedef struct ProfileBenchmark {
        char **cis; /* CIS Debian Linux 12 v1.1.0 item numbers ("5.1.20") */
} ProfileBenchmark;

typedef struct Profile {
        char *name;          /* as resolved: the NAME of NAME.profile */
        char **sources;      /* every file that contributed, in the order applied */
        char **source_texts; /* their contents as parsed, with PROFILE_LOAD_KEEP_TEXT; "" if unreadable */

        ProfileMeta meta;
        ProfileUsr usr;
        ProfileEtc etc;
        ProfileSELinux selinux;
        ProfileAudit audit;
        ProfileKernel kernel;
        ProfileMounts mounts;
        ProfileExec exec;
        ProfileServices services;
        ProfileAccess access;
        ProfilePackages packages;
        ProfileAttest attest;
        ProfileBenchmark benchmark;
} Profile;

Profile *profile_new(void);
Profile *profile_free(Profile *p);
DEFINE_TRIVIAL_CLEANUP_FUNC(Profile *, profile_free);

/* Derives the typed values from the lists as they are: called by the loader once inheritance and
 * drop-ins are merged (so that an empty assignment that reset a list has had its effect), and by
 * whoever fills in a Profile by hand, after the lists. Replaces what an earlier call derived.
 *
 * Audit rules that cannot be built (an unknown rule set, a rule libaudit here rejects) are not an
 * error of this call: none are kept, and audit.rules_error says why, for the consumers of the rules
 * to report. Returns 0, -EINVAL for an invalid sysctl name (which the loader has already refused),
 * or -ENOMEM. */
int profile_finalize(Profile *p);

/* The same, with the files RulesFile= names read below root_fd (an O_PATH fd of the directory that stands
 * for "/", or negative for the host's own). */
int profile_finalize_in_root(Profile *p, int root_fd);

/* Whether [Audit] asks for anything at all: rules, the lock, or one of the settings. */
bool profile_wants_audit(const Profile *p) _pure_;

/* Enum names as they appear in profiles, for each enum above. */
const char *verity_mode_to_string(int v) _const_;
int verity_mode_from_string(const char *s) _pure_;
const char *signature_mode_to_string(int v) _const_;
const char *corruption_action_to_string(int v) _const_;
const char *failure_action_to_string(int v) _const_;
const char *usr_file_system_to_string(int v) _const_;
const char *etc_overlay_to_string(int v) _const_;
const char *etc_lower_to_string(int v) _const_;
const char *selinux_mode_to_string(int v) _const_;
int selinux_mode_from_string(const char *s) _pure_;
const char *unavailable_action_to_string(int v) _const_;
const char *audit_failure_mode_to_string(int v) _const_;
const char *lockdown_mode_to_string(int v) _const_;
const char *module_loading_to_string(int v) _const_;
const char *protect_system_to_string(int v) _const_;
const char *protect_home_to_string(int v) _const_;
const char *root_login_to_string(int v) _const_;
const char *exec_mode_to_string(int v) _const_;
int exec_mode_from_string(const char *s) _pure_;
