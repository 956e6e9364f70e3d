/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <ctype.h>
#include <limits.h>
#include <libaudit.h>
#include <stddef.h>

#include "audit-rule.h"
#include "parse-util.h"
#include "path-util.h"
#include "profile-lexer.h"
#include "profile-schema.h"
#include "string-table.h"
#include "string-util.h"
#include "strv.h"
#include "sysctl-util.h"

/* ---- enums ---- */

/* Each enum's names, and the EnumInfo the key tables refer to for them. */
#define DEFINE_ENUM(name, ...)                                                          \
        static const char *const name##_table[] = { __VA_ARGS__ };                      \
        static const EnumInfo name##_enum = { name##_table, ELEMENTSOF(name##_table) }; \
        DEFINE_STRING_TABLE_LOOKUP_TO_STRING(name, int)

DEFINE_ENUM(verity_mode, [VERITY_OFF] = "off", [VERITY_OPTIONAL] = "optional", [VERITY_REQUIRED] = "required");
DEFINE_ENUM(signature_mode, [SIGNATURE_OFF] = "off", [SIGNATURE_REQUIRED] = "required");
DEFINE_ENUM(corruption_action, [CORRUPTION_EIO] = "eio", [CORRUPTION_RESTART] = "restart", [CORRUPTION_PANIC] = "panic");
DEFINE_ENUM(failure_action, [FAILURE_EMERGENCY] = "emergency", [FAILURE_REBOOT] = "reboot", [FAILURE_POWEROFF] = "poweroff");
DEFINE_ENUM(usr_file_system, [USR_FS_EROFS] = "erofs", [USR_FS_SQUASHFS] = "squashfs", [USR_FS_EXT4] = "ext4");
DEFINE_ENUM(etc_overlay, [ETC_OVERLAY_OFF] = "off", [ETC_OVERLAY_TMPFS] = "tmpfs");
DEFINE_ENUM(etc_lower, [ETC_LOWER_ROOT] = "root", [ETC_LOWER_FACTORY] = "factory");
DEFINE_ENUM(selinux_mode, [SELINUX_DISABLED] = "disabled", [SELINUX_PERMISSIVE] = "permissive", [SELINUX_ENFORCING] = "enforcing");
DEFINE_ENUM(unavailable_action, [UNAVAILABLE_WARN] = "warn", [UNAVAILABLE_FAIL] = "fail");
DEFINE_ENUM(
        audit_failure_mode, [AUDIT_FAILURE_SILENT] = "silent", [AUDIT_FAILURE_PRINTK] = "printk", [AUDIT_FAILURE_PANIC] = "panic");
DEFINE_ENUM(lockdown_mode, [LOCKDOWN_NONE] = "none", [LOCKDOWN_INTEGRITY] = "integrity", [LOCKDOWN_CONFIDENTIALITY] = "confidentiality");
DEFINE_ENUM(module_loading, [MODULES_ALLOW] = "allow", [MODULES_SIGNED] = "signed", [MODULES_LOCKED] = "locked");
DEFINE_ENUM(protect_system, [PROTECT_SYSTEM_NO] = "no", [PROTECT_SYSTEM_YES] = "yes", [PROTECT_SYSTEM_FULL] = "full",
            [PROTECT_SYSTEM_STRICT] = "strict");
DEFINE_ENUM(protect_home, [PROTECT_HOME_NO] = "no", [PROTECT_HOME_YES] = "yes", [PROTECT_HOME_READ_ONLY] = "read-only",
            [PROTECT_HOME_TMPFS] = "tmpfs");
DEFINE_ENUM(exec_mode, [EXEC_OFF] = "off", [EXEC_AUDIT] = "audit", [EXEC_ENFORCE] = "enforce");
DEFINE_ENUM(root_login, [ROOT_LOGIN_ALLOW] = "allow", [ROOT_LOGIN_CONSOLE] = "console", [ROOT_LOGIN_DENY] = "deny");

int enum_from_string(const EnumInfo *e, const char *s) {
        return string_table_lookup_from_string(e->names, e->n, s);
}

const char *enum_to_string(const EnumInfo *e, int v) {
        return string_table_lookup_to_string(e->names, e->n, v);
}

DEFINE_STRING_TABLE_LOOKUP_FROM_STRING(verity_mode);
DEFINE_STRING_TABLE_LOOKUP_FROM_STRING(selinux_mode);
DEFINE_STRING_TABLE_LOOKUP_FROM_STRING(exec_mode);

/* ---- validators ---- */


static bool chars_in(const char *s, const char *extra) {
        if (isempty(s))
                return false;
        for (; *s; s++)
                if (!isascii((unsigned char) *s) || !(isalnum((unsigned char) *s) || strchr(extra, *s)))
                        return false;
        return true;
}

static int v_text(const char *v, char **ret_value, char **ret_reason) {
        if (strlen(v) > 1024)
                return reason_fail(ret_reason, "text longer than 1024 bytes");
        return 0;
}

static int v_profile_name(const char *v, char **ret_value, char **ret_reason) {
        if (strlen(v) > 64 || v[0] == '.' || v[0] == '-' || !chars_in(v, "_.-"))
                return reason_fail(ret_reason, "'%s' is not a valid profile name", v);
        return 0;
}

/* Paths end up in unit files and mount options: keep them to characters that need no quoting there. */
#define PATH_CHARS "/_.:+@-"

static int v_absolute_path(const char *v, char **ret_value, char **ret_reason) {
        if (!path_is_absolute(v) || !path_is_normalized(v) || strlen(v) > 4096)
                return reason_fail(ret_reason, "'%s' is not an absolute, normalized path", v);
        if (!chars_in(v, PATH_CHARS))
                return reason_fail(ret_reason, "'%s' contains characters other than letters, digits and " PATH_CHARS, v);
        return 0;
}

static int v_root_hash(const char *v, char **ret_value, char **ret_reason) {
        if (streq(v, "cmdline"))
                return 0;
        if (path_is_absolute(v))
                return v_absolute_path(v, ret_value, ret_reason);
        if (!hex_string_is_valid(v, 16, 64))
                return reason_fail(
                        ret_reason,
                        "'%s' is neither 'cmdline', an absolute path, nor a hexadecimal root hash of 16 to 64 bytes", v);
        return 0;
}

static int v_device(const char *v, char **ret_value, char **ret_reason) {
        static const char *const tags[] = { "PARTUUID=", "PARTLABEL=", "UUID=", "LABEL=" };

        for (size_t i = 0; i < ELEMENTSOF(tags); i++) {
                const char *t = startswith(v, tags[i]);
                if (t) {
                        if (!chars_in(t, "_.:-"))
                                return reason_fail(ret_reason, "'%s' has an invalid %.*s value", v,
                                                   (int) strlen(tags[i]) - 1, tags[i]);
                        return 0;
                }
        }
        if (!startswith(v, "/dev/") || !path_is_normalized(v) || strlen(v) > 4096)
                return reason_fail(
                        ret_reason,
                        "'%s' is neither a normalized path under /dev nor PARTUUID=, PARTLABEL=, UUID= or LABEL=", v);
        if (!chars_in(v, PATH_CHARS))
                return reason_fail(ret_reason, "'%s' contains characters other than letters, digits and " PATH_CHARS, v);
        return 0;
}

static int v_usr_path(const char *v, char **ret_value, char **ret_reason) {
        if (v_absolute_path(v, ret_value, ret_reason) < 0)
                return -EINVAL;
        if (!startswith(v, "/usr/"))
                return reason_fail(ret_reason, "'%s' is not below /usr", v);
        if (strchr(v, ':'))
                return reason_fail(ret_reason, "'%s' contains ':', which separates overlay layers", v);
        return 0;
}

/* Paths and patterns relative to /etc: "/etc/ssh/x" and "ssh/x" mean the same; stored without /etc/. */
static int etc_relative(const char *v, bool glob, char **ret_value, char **ret_reason) {
        const char *rel = startswith(v, "/etc/") ?: v;

        if (path_is_absolute(rel))
                return reason_fail(ret_reason, "'%s' is not below /etc", v);
        if (!path_is_normalized(rel) || !chars_in(rel, glob ? "/_.,:+@-*?[]!" : "/_.,:+@-"))
                return reason_fail(ret_reason, "'%s' is not a normalized path below /etc", v);
        if (rel != v) {
                *ret_value = strdup(rel);
                if (!*ret_value)
                        return -ENOMEM;
        }
        return 0;
}

static int v_etc_path(const char *v, char **ret_value, char **ret_reason) {
        return etc_relative(v, false, ret_value, ret_reason);
}

static int v_etc_glob(const char *v, char **ret_value, char **ret_reason) {
        return etc_relative(v, true, ret_value, ret_reason);
}

static int v_identifier(const char *v, char **ret_value, char **ret_reason) {
        if (strlen(v) > 64 || !chars_in(v, "_-"))
                return reason_fail(ret_reason, "'%s' is not a valid name (letters, digits, '_' and '-')", v);
        return 0;
}

static bool unit_name_is_valid(const char *s) {
        static const char *const suffixes[] = {
                ".service", ".socket", ".target", ".device", ".mount", ".automount",
                ".swap",    ".timer",  ".path",   ".slice",  ".scope",
        };
        const char *dot = strrchr(s, '.');

        if (!dot || dot == s || strlen(s) > 255)
                return false;
        for (const char *c = s; c < dot; c++)
                if (!isascii((unsigned char) *c) || !(isalnum((unsigned char) *c) || strchr(":-_.\\@", *c)))
                        return false;
        for (size_t i = 0; i < ELEMENTSOF(suffixes); i++)
                if (streq(dot, suffixes[i]))
                        return true;
        return false;
}

static int v_unit_name(const char *v, char **ret_value, char **ret_reason) {
        if (!unit_name_is_valid(v))
                return reason_fail(ret_reason, "'%s' is not a valid unit name", v);
        return 0;
}

/* Confine= and Context= become drop-ins with a [Service] section: only services can take them. */
static int v_service_name(const char *v, char **ret_value, char **ret_reason) {
        if (!unit_name_is_valid(v))
                return reason_fail(ret_reason, "'%s' is not a valid unit name", v);
        if (!endswith(v, ".service"))
                return reason_fail(ret_reason, "'%s' is not a service: only .service units can be confined", v);
        return 0;
}

/* AllowExec=UNIT:PATH: a service (or a glob of services, "*.service") and an absolute path (or a glob
 * of paths, fnmatch() with FNM_PATHNAME). The unit ends where ":/" begins the path. */
static int v_allow_exec(const char *v, char **ret_value, char **ret_reason) {
        const char *sep = strstr(v, ":/");
        _cleanup_free_ char *unit = NULL;

        if (!sep)
                return reason_fail(ret_reason, "'%s' is not UNIT:PATH (a service, a colon, an absolute path)", v);
        unit = strndup(v, sep - v);
        if (!unit)
                return -ENOMEM;
        if (!endswith(unit, ".service") || !chars_in(unit, ":-_.\\@*?[]") || strlen(unit) > 255)
                return reason_fail(ret_reason, "'%s' is not a service name or a glob of service names", unit);
        if (!path_is_normalized(sep + 1) || strlen(sep + 1) > 4096 || !chars_in(sep + 1, PATH_CHARS "*?[]"))
                return reason_fail(ret_reason,
                                   "'%s' is not an absolute, normalized path or glob (letters, digits, " PATH_CHARS
                                   " and *?[])",
                                   sep + 1);
        return 0;
}

static bool selinux_context_is_valid(const char *s) {
        /* user:role:type[:range], where the range may itself contain ':' (s0-s0:c0.c1023). */
        const char *p = s;

        for (int i = 0; i < 3; i++) {
                size_t n = strcspn(p, ":");
                if (n == 0)
                        return false;
                for (size_t j = 0; j < n; j++)
                        if (!isascii((unsigned char) p[j]) ||
                            !(isalnum((unsigned char) p[j]) || p[j] == '_' || p[j] == '.' || p[j] == '-'))
                                return false;
                p += n;
                if (i < 2) {
                        if (*p != ':')
                                return false;
                        p++;
                }
        }
        if (*p == 0)
                return true;
        return *p == ':' && chars_in(p + 1, ":,._-");
}

static int v_selinux_context(const char *v, char **ret_value, char **ret_reason) {
        _cleanup_free_ char *unit = NULL, *context = NULL, *extra = NULL;
        const char *p = v;
        int r;

        r = extract_first_word(&p, &unit);
        if (r == -ENOMEM)
                return r;
        if (r >= 0)
                r = extract_first_word(&p, &context);
        if (r == -ENOMEM)
                return r;
        if (r >= 0)
                r = extract_first_word(&p, &extra);
        if (r < 0 || !unit || !context || extra)
                return reason_fail(ret_reason, "expected 'UNIT CONTEXT', got '%s'", v);
        if (!unit_name_is_valid(unit))
                return reason_fail(ret_reason, "'%s' is not a valid unit name", unit);
        if (!endswith(unit, ".service"))
                return reason_fail(ret_reason, "'%s' is not a service: only .service units can be given a context", unit);
        if (!selinux_context_is_valid(context))
                return reason_fail(ret_reason, "'%s' is not a valid SELinux context (user:role:type[:range])", context);

        *ret_value = strjoin(unit, " ", context);
        return *ret_value ? 0 : -ENOMEM;
}

static int v_audit_rule_set(const char *v, char **ret_value, char **ret_reason) {
        const char *name = v[0] == '@' ? v + 1 : v;

        if (!audit_rule_set_lookup(name))
                return reason_fail(ret_reason, "unknown audit rule set '%s'", v);
        if (name != v) {
                *ret_value = strdup(name);
                if (!*ret_value)
                        return -ENOMEM;
        }
        return 0;
}

/* What can be said without a tree: the rule is built again, with its paths looked up below the profile's
 * root, when the profile is finalized. */
static int v_audit_rule(const char *v, char **ret_value, char **ret_reason) {
        _cleanup_(audit_rule_freep) AuditRule *rule = NULL;

        return audit_rule_parse_at(-EBADF, v, &rule, ret_reason);
}

/* The kernel refuses a wait longer than ten minutes of its clock ticks; HZ is at most 1000. */
static int v_backlog_wait_time(const char *v, char **ret_value, char **ret_reason) {
        uint64_t u;

        if (safe_atou64(v, &u) < 0 || u > 600U * 1000U)
                return reason_fail(ret_reason, "invalid wait time '%s': the kernel takes at most 600000 clock ticks", v);
        return 0;
}

static int v_audit_rules_file(const char *v, char **ret_value, char **ret_reason) {
        if (v[0] != '/' || string_has_cc(v) || strlen(v) >= PATH_MAX)
                return reason_fail(ret_reason, "'%s' is not an absolute path", v);
        return 0;
}

static int v_sysctl(const char *v, char **ret_value, char **ret_reason) {
        _cleanup_free_ char *copy = strdup(v);
        char *eq, *k, *value;
        size_t kn, vn;

        if (!copy)
                return -ENOMEM;

        eq = strchr(copy, '=');
        if (!eq)
                return reason_fail(ret_reason, "expected 'name=value', got '%s'", v);
        *eq = 0;
        k = strstrip(copy);
        value = strstrip(eq + 1);

        /* sysctl.d(5): "kernel/x" is "kernel.x"; "net/ipv4/conf/eth0.2/x" is "net.ipv4.conf.eth0/2.x". */
        if (!chars_in(k, "._-/") || sysctl_name_normalize_in_place(k) < 0)
                return reason_fail(ret_reason, "'%s' is not a valid sysctl name", k);
        if (isempty(value))
                return reason_fail(ret_reason, "sysctl '%s' has no value", k);

        /* "name=value", in the copy: both parts only move towards its start. */
        kn = strlen(k);
        vn = strlen(value);
        memmove(copy, k, kn);
        copy[kn] = '=';
        memmove(copy + kn + 1, value, vn + 1);
        *ret_value = TAKE_PTR(copy);
        return 0;
}

static int v_module_name(const char *v, char **ret_value, char **ret_reason) {
        if (strlen(v) > 56 || !chars_in(v, "_-"))
                return reason_fail(ret_reason, "'%s' is not a valid kernel module name", v);

        *ret_value = strdup(v);
        if (!*ret_value)
                return -ENOMEM;
        for (char *c = *ret_value; *c; c++)
                if (*c == '-')
                        *c = '_';
        return 0;
}

static int v_cmdline_word(const char *v, char **ret_value, char **ret_reason) {
        if (strlen(v) > 256 || !chars_in(v, "_.,:=/+-"))
                return reason_fail(ret_reason, "'%s' is not a valid kernel command line option", v);
        return 0;
}

static int v_mount_options(const char *v, char **ret_value, char **ret_reason) {
        static const char *const known[] = { "nodev", "nosuid", "noexec", "ro" };
        _cleanup_free_ char *path = NULL, *opts = NULL, *extra = NULL;
        _cleanup_strv_free_ char **list = NULL;
        _cleanup_free_ char *joined = NULL;
        const char *p = v;
        int r;

        r = extract_first_word(&p, &path);
        if (r == -ENOMEM)
                return r;
        if (r >= 0)
                r = extract_first_word(&p, &opts);
        if (r == -ENOMEM)
                return r;
        if (r >= 0)
                r = extract_first_word(&p, &extra);
        if (r < 0 || !path || !opts || extra)
                return reason_fail(ret_reason, "expected 'PATH OPTION[,OPTION…]', got '%s'", v);
        if (!path_is_absolute(path) || !path_is_normalized(path))
                return reason_fail(ret_reason, "'%s' is not an absolute, normalized path", path);

        for (char *s = opts, *t; (t = strsep(&s, ","));) {
                bool ok = false;

                for (size_t i = 0; i < ELEMENTSOF(known); i++)
                        ok = ok || streq(t, known[i]);
                if (!ok)
                        return reason_fail(ret_reason, "unknown mount option '%s' (known: nodev, nosuid, noexec, ro)", t);
                if (!strv_contains(list, t) && strv_extend(&list, t) < 0)
                        return -ENOMEM;
        }

        joined = strv_join(list, ",");
        if (!joined)
                return -ENOMEM;
        *ret_value = strjoin(path, " ", joined);
        return *ret_value ? 0 : -ENOMEM;
}

static int v_capability(const char *v, char **ret_value, char **ret_reason) {
        static const char *const caps[] = {
                "CHOWN",
                "DAC_OVERRIDE",
                "DAC_READ_SEARCH",
                "FOWNER",
                "FSETID",
                "KILL",
                "SETGID",
                "SETUID",
                "SETPCAP",
                "LINUX_IMMUTABLE",
                "NET_BIND_SERVICE",
                "NET_BROADCAST",
                "NET_ADMIN",
                "NET_RAW",
                "IPC_LOCK",
                "IPC_OWNER",
                "SYS_MODULE",
                "SYS_RAWIO",
                "SYS_CHROOT",
                "SYS_PTRACE",
                "SYS_PACCT",
                "SYS_ADMIN",
                "SYS_BOOT",
                "SYS_NICE",
                "SYS_RESOURCE",
                "SYS_TIME",
                "SYS_TTY_CONFIG",
                "MKNOD",
                "LEASE",
                "AUDIT_WRITE",
                "AUDIT_CONTROL",
                "SETFCAP",
                "MAC_OVERRIDE",
                "MAC_ADMIN",
                "SYSLOG",
                "WAKE_ALARM",
                "BLOCK_SUSPEND",
                "AUDIT_READ",
                "PERFMON",
                "BPF",
                "CHECKPOINT_RESTORE",
        };
        const char *n = startswith(v, "CAP_");

        if (n)
                for (size_t i = 0; i < ELEMENTSOF(caps); i++)
                        if (streq(n, caps[i]))
                                return 0;
        return reason_fail(ret_reason, "'%s' is not a known capability (CAP_…)", v);
}

static int v_address_family(const char *v, char **ret_value, char **ret_reason) {
        static const char *const families[] = {
                "none",   "AF_UNIX",      "AF_INET", "AF_INET6", "AF_NETLINK", "AF_PACKET",
                "AF_ALG", "AF_BLUETOOTH", "AF_CAN",  "AF_VSOCK", "AF_XDP",     "AF_KEY",
        };
        const char *n = v[0] == '~' ? v + 1 : v;

        for (size_t i = 0; i < ELEMENTSOF(families); i++)
                if (streq(n, families[i]))
                        return 0;
        return reason_fail(ret_reason, "'%s' is not a known address family", v);
}

static int v_syscall_filter(const char *v, char **ret_value, char **ret_reason) {
        static const char *const groups[] = {
                "@aio",       "@basic-io",       "@chown",    "@clock",      "@cpu-emulation",
                "@debug",     "@file-system",    "@io-event", "@ipc",        "@keyring",
                "@memlock",   "@module",         "@mount",    "@network-io", "@obsolete",
                "@pkey",      "@privileged",     "@process",  "@raw-io",     "@reboot",
                "@resources", "@sandbox",        "@setuid",   "@signal",     "@swap",
                "@sync",      "@system-service", "@timer",    "@known",      "@default",
        };
        const char *n = v[0] == '~' ? v + 1 : v;

        if (n[0] == '@') {
                for (size_t i = 0; i < ELEMENTSOF(groups); i++)
                        if (streq(n, groups[i]))
                                return 0;
                return reason_fail(ret_reason, "'%s' is not a known system call group", v);
        }
        if (!chars_in(n, "_") || audit_name_to_syscall(n, audit_detect_machine()) < 0)
                return reason_fail(ret_reason, "'%s' is not a known system call", v);
        return 0;
}

static int v_account_name(const char *v, char **ret_value, char **ret_reason) {
        if (strlen(v) > 32 || !(islower((unsigned char) v[0]) || v[0] == '_') || !chars_in(v, "_.-"))
                return reason_fail(ret_reason, "'%s' is not a valid user or group name", v);
        return 0;
}

static int v_package_name(const char *v, char **ret_value, char **ret_reason) {
        if (strlen(v) < 2 || strlen(v) > 128 || !(islower((unsigned char) v[0]) || isdigit((unsigned char) v[0])))
                goto bad;
        for (const char *c = v; *c; c++)
                if (!(islower((unsigned char) *c) || isdigit((unsigned char) *c) || strchr("+.-", *c)))
                        goto bad;
        return 0;
bad:
        return reason_fail(ret_reason, "'%s' is not a valid package name", v);
}

/* "sha256:HEX" (64 digits), as IPE's dmverity_roothash= and fsverity_digest= properties take it; stored in
 * lowercase. what names the kind of digest in the message. */
static int sha256_digest(const char *v, const char *what, char **ret_value, char **ret_reason) {
        const char *hex = startswith(v, "sha256:");

        if (!hex || strlen(hex) != 64 || !hex_string_is_valid(hex, 32, 32))
                return reason_fail(ret_reason, "'%s' is not a %s: expected sha256: and 64 hexadecimal digits", v, what);
        *ret_value = strdup(v);
        if (!*ret_value)
                return -ENOMEM;
        for (char *c = *ret_value; *c; c++)
                *c = (char) tolower((unsigned char) *c);
        return 0;
}

static int v_verity_root_hash(const char *v, char **ret_value, char **ret_reason) {
        return sha256_digest(v, "dm-verity root hash", ret_value, ret_reason);
}

static int v_fsverity_digest(const char *v, char **ret_value, char **ret_reason) {
        return sha256_digest(v, "fs-verity digest", ret_value, ret_reason);
}

/* A benchmark item number: "5.1.20", "1.1.2.1.1". */
static int v_benchmark_item(const char *v, char **ret_value, char **ret_reason) {
        bool digit = false;

        if (strlen(v) > 16)
                goto bad;
        for (const char *c = v; *c; c++) {
                if (isdigit((unsigned char) *c))
                        digit = true;
                else if (*c == '.' && digit)
                        digit = false;
                else
                        goto bad;
        }
        if (digit)
                return 0;
bad:
        return reason_fail(ret_reason, "'%s' is not a benchmark item number (such as 5.1.20)", v);
}

/* ---- sections ---- */

static bool usr_required(const Profile *p) {
        return p->usr.verity == VERITY_REQUIRED;
}

static bool etc_required(const Profile *p) {
        return p->etc.overlay == ETC_OVERLAY_TMPFS;
}

static bool selinux_required(const Profile *p) {
        return p->selinux.mode == SELINUX_ENFORCING && p->selinux.on_unavailable == UNAVAILABLE_FAIL;
}

static bool audit_required(const Profile *p) {
        return p->audit.immutable > 0;
}

static bool attest_required(const Profile *p) {
        return p->attest.require_tpm > 0;
}

static bool kernel_required(const Profile *p) {
        return p->kernel.lockdown > LOCKDOWN_NONE || p->kernel.module_loading == MODULES_SIGNED ||
               p->kernel.module_loading == MODULES_LOCKED;
}

static bool exec_required(const Profile *p) {
        return p->exec.mode == EXEC_ENFORCE;
}

/* ---- keys ---- */

#define F(field) offsetof(Profile, field)

/* One key table per section. */

static const ProfileKey meta_keys[] = {
        { "Profile", "Description", PV_STRING, F(meta.description), NULL, v_text, 0, NULL },
        { "Profile", "Inherit", PV_STRING, F(meta.inherit), NULL, v_profile_name, KEY_LOADER | KEY_FAIL_CLOSED, NULL },
        { "Profile", "AllowKillSwitch", PV_BOOL, F(meta.allow_kill_switch), NULL, NULL, KEY_FAIL_CLOSED,
          "boot-kill-switch" },
};

static const ProfileKey usr_keys[] = {
        { "Usr", "Verity", PV_ENUM, F(usr.verity), &verity_mode_enum, NULL, KEY_FAIL_CLOSED, "usr-verity usr-read-only" },
        { "Usr", "RootHash", PV_STRING, F(usr.root_hash), NULL, v_root_hash, 0, "usr-verity-root-hash" },
        { "Usr", "Signature", PV_ENUM, F(usr.signature), &signature_mode_enum, NULL, KEY_FAIL_CLOSED,
          "usr-verity-signature" },
        { "Usr", "SignatureFile", PV_STRING, F(usr.signature_file), NULL, v_absolute_path, 0, "usr-verity-signature" },
        { "Usr", "DataDevice", PV_STRING, F(usr.data_device), NULL, v_device, 0, "usr-verity" },
        { "Usr", "HashDevice", PV_STRING, F(usr.hash_device), NULL, v_device, 0, "usr-verity" },
        { "Usr", "OnCorruption", PV_ENUM, F(usr.on_corruption), &corruption_action_enum, NULL, 0,
          "usr-verity-corruption" },
        { "Usr", "OnFailure", PV_ENUM, F(usr.on_failure), &failure_action_enum, NULL, KEY_FAIL_CLOSED, "usr-verity" },
        { "Usr", "FileSystem", PV_ENUM, F(usr.file_system), &usr_file_system_enum, NULL, 0, "usr-read-only" },
};

static const ProfileKey etc_keys[] = {
        { "Etc", "Overlay", PV_ENUM, F(etc.overlay), &etc_overlay_enum, NULL, KEY_FAIL_CLOSED, "etc-overlay" },
        { "Etc", "Lower", PV_ENUM, F(etc.lower), &etc_lower_enum, NULL, 0, "etc-overlay-lower" },
        { "Etc", "FactoryDirectory", PV_STRING, F(etc.factory_directory), NULL, v_usr_path, 0, "etc-overlay-lower" },
        { "Etc", "Size", PV_ETC_SIZE, F(etc), NULL, NULL, 0, "etc-overlay" },
        { "Etc", "Persist", PV_WORDS, F(etc.persist), NULL, v_etc_path, 0, "etc-persist" },
        { "Etc", "ExpectedDrift", PV_WORDS, F(etc.expected_drift), NULL, v_etc_glob, 0, "etc-drift" },
};

static const ProfileKey selinux_keys[] = {
        { "SELinux", "Mode", PV_ENUM, F(selinux.mode), &selinux_mode_enum, NULL, KEY_FAIL_CLOSED,
          "selinux-mode selinux-config" },
        { "SELinux", "Policy", PV_STRING, F(selinux.policy), NULL, v_identifier, 0, "selinux-config" },
        { "SELinux", "OnUnavailable", PV_ENUM, F(selinux.on_unavailable), &unavailable_action_enum, NULL,
          KEY_FAIL_CLOSED, "selinux-mode" },
        { "SELinux", "Context", PV_LINES, F(selinux.contexts), NULL, v_selinux_context, 0, "selinux-service-context" },
};

static const ProfileKey audit_keys[] = {
        { "Audit", "Rules", PV_WORDS, F(audit.rule_sets), NULL, v_audit_rule_set, 0, "audit-rules" },
        { "Audit", "Rule", PV_LINES, F(audit.rules), NULL, v_audit_rule, 0, "audit-rules" },
        { "Audit", "RulesFile", PV_LINES, F(audit.rules_files), NULL, v_audit_rules_file, 0, "audit-rules" },
        { "Audit", "Immutable", PV_BOOL, F(audit.immutable), NULL, NULL, KEY_FAIL_CLOSED, "audit-immutable" },
        { "Audit", "BacklogLimit", PV_UINT64, F(audit.backlog_limit), NULL, NULL, 0, "audit-backlog" },
        { "Audit", "FailureMode", PV_ENUM, F(audit.failure_mode), &audit_failure_mode_enum, NULL, 0,
          "audit-failure-mode" },
        { "Audit", "RateLimit", PV_UINT64, F(audit.rate_limit), NULL, NULL, 0, "audit-rate-limit" },
        { "Audit", "BacklogWaitTime", PV_UINT64, F(audit.backlog_wait_time), NULL, v_backlog_wait_time, 0,
          "audit-backlog-wait-time" },
        { "Audit", "LoginUIDImmutable", PV_BOOL, F(audit.loginuid_immutable), NULL, NULL, KEY_FAIL_CLOSED,
          "audit-loginuid-immutable" },
};

static const ProfileKey kernel_keys[] = {
        { "Kernel", "Sysctl", PV_LINES, F(kernel.sysctls), NULL, v_sysctl, 0, "kernel-sysctl" },
        { "Kernel", "Lockdown", PV_ENUM, F(kernel.lockdown), &lockdown_mode_enum, NULL, KEY_FAIL_CLOSED,
          "kernel-lockdown" },
        { "Kernel", "ModuleLoading", PV_ENUM, F(kernel.module_loading), &module_loading_enum, NULL, KEY_FAIL_CLOSED,
          "kernel-module-loading" },
        { "Kernel", "DenyModule", PV_WORDS, F(kernel.deny_modules), NULL, v_module_name, 0, "kernel-deny-module" },
        { "Kernel", "CommandLine", PV_WORDS, F(kernel.command_line), NULL, v_cmdline_word, KEY_DASH_VALUES,
          "kernel-cmdline" },
};

static const ProfileKey mounts_keys[] = {
        { "Mounts", "Options", PV_LINES, F(mounts.options), NULL, v_mount_options, 0, "mount-options" },
        { "Mounts", "Separate", PV_WORDS, F(mounts.separate), NULL, v_absolute_path, 0, "mount-separate" },
};

static const ProfileKey exec_keys[] = {
        { "Exec", "Mode", PV_ENUM, F(exec.mode), &exec_mode_enum, NULL, KEY_FAIL_CLOSED,
          "exec-ipe-available exec-ipe-enforce exec-denials exec-noexec-mounts" },
        { "Exec", "AllowVerityRootHash", PV_WORDS, F(exec.allow_verity_root_hashes), NULL, v_verity_root_hash, 0,
          "exec-ipe-policy" },
        { "Exec", "AllowFsVerityDigest", PV_WORDS, F(exec.allow_fsverity_digests), NULL, v_fsverity_digest, 0,
          "exec-ipe-policy" },
};

static const ProfileKey services_keys[] = {
        { "Services", "Confine", PV_WORDS, F(services.confine), NULL, v_service_name, 0, "service-confinement" },
        { "Services", "Mask", PV_WORDS, F(services.mask), NULL, v_unit_name, KEY_DASH_VALUES, "service-masked" },
        { "Services", "AllowExec", PV_WORDS, F(services.allow_exec), NULL, v_allow_exec, 0, NULL },
        { "Services", "NoNewPrivileges", PV_BOOL, F(services.no_new_privileges), NULL, NULL, 0, "service-confinement" },
        { "Services", "ProtectSystem", PV_ENUM, F(services.protect_system), &protect_system_enum, NULL, 0,
          "service-confinement" },
        { "Services", "ProtectHome", PV_ENUM, F(services.protect_home), &protect_home_enum, NULL, 0,
          "service-confinement" },
        { "Services", "PrivateTmp", PV_BOOL, F(services.private_tmp), NULL, NULL, 0, "service-confinement" },
        { "Services", "PrivateDevices", PV_BOOL, F(services.private_devices), NULL, NULL, 0, "service-confinement" },
        { "Services", "ProtectKernelTunables", PV_BOOL, F(services.protect_kernel_tunables), NULL, NULL, 0,
          "service-confinement" },
        { "Services", "ProtectKernelModules", PV_BOOL, F(services.protect_kernel_modules), NULL, NULL, 0,
          "service-confinement" },
        { "Services", "ProtectKernelLogs", PV_BOOL, F(services.protect_kernel_logs), NULL, NULL, 0,
          "service-confinement" },
        { "Services", "ProtectControlGroups", PV_BOOL, F(services.protect_control_groups), NULL, NULL, 0,
          "service-confinement" },
        { "Services", "RestrictSUIDSGID", PV_BOOL, F(services.restrict_suid_sgid), NULL, NULL, 0, "service-confinement" },
        { "Services", "MemoryDenyWriteExecute", PV_BOOL, F(services.memory_deny_write_execute), NULL, NULL, 0,
          "service-confinement" },
        { "Services", "LockPersonality", PV_BOOL, F(services.lock_personality), NULL, NULL, 0, "service-confinement" },
        { "Services", "RestrictRealtime", PV_BOOL, F(services.restrict_realtime), NULL, NULL, 0, "service-confinement" },
        { "Services", "CapabilityBoundingSet", PV_WORDS, F(services.capability_bounding_set), NULL, v_capability, 0,
          "service-confinement" },
        { "Services", "RestrictAddressFamilies", PV_WORDS, F(services.restrict_address_families), NULL,
          v_address_family, 0, "service-confinement" },
        { "Services", "SystemCallFilter", PV_WORDS, F(services.system_call_filter), NULL, v_syscall_filter, 0,
          "service-confinement" },
};

static const ProfileKey access_keys[] = {
        { "Access", "AdminGroups", PV_WORDS, F(access.admin_groups), NULL, v_account_name, 0, "access-admin-members" },
        { "Access", "AdminUsers", PV_WORDS, F(access.admin_users), NULL, v_account_name, 0, "access-admin-members" },
        { "Access", "RootLogin", PV_ENUM, F(access.root_login), &root_login_enum, NULL, 0, "access-root-login" },
        { "Access", "AllowNoPasswordSudo", PV_BOOL, F(access.allow_nopasswd_sudo), NULL, NULL, 0,
          "access-sudo-authenticate" },
};

static const ProfileKey packages_keys[] = {
        { "Packages", "Forbid", PV_WORDS, F(packages.forbid), NULL, v_package_name, 0, "packages-forbidden" },
};

static const ProfileKey attest_keys[] = {
        { "Attest", "RequireTPM", PV_BOOL, F(attest.require_tpm), NULL, NULL, KEY_FAIL_CLOSED, "attest-measured" },
};

static const ProfileKey benchmark_keys[] = {
        { "Benchmark", "CIS", PV_WORDS, F(benchmark.cis), NULL, v_benchmark_item, 0,
          "cis-apparmor cis-file-access cis-exposure cis-sshd cis-password-aging cis-accounts cis-pam cis-sudo cis-login cis-time-sync cis-filesystem-walk cis-logging cis-journald"
          " cis-auditd cis-auditd-conf cis-audit-rules cis-file-integrity cis-boot-password cis-root-path cis-firewall cis-ufw cis-gdm" },
};

const ProfileSection profile_sections[] = {
        { "Profile", NULL, meta_keys, ELEMENTSOF(meta_keys) },
        { "Usr", usr_required, usr_keys, ELEMENTSOF(usr_keys) },
        { "Etc", etc_required, etc_keys, ELEMENTSOF(etc_keys) },
        { "SELinux", selinux_required, selinux_keys, ELEMENTSOF(selinux_keys) },
        { "Audit", audit_required, audit_keys, ELEMENTSOF(audit_keys) },
        { "Kernel", kernel_required, kernel_keys, ELEMENTSOF(kernel_keys) },
        { "Mounts", NULL, mounts_keys, ELEMENTSOF(mounts_keys) },
        { "Exec", exec_required, exec_keys, ELEMENTSOF(exec_keys) },
        { "Services", NULL, services_keys, ELEMENTSOF(services_keys) },
        { "Access", NULL, access_keys, ELEMENTSOF(access_keys) },
        { "Packages", NULL, packages_keys, ELEMENTSOF(packages_keys) },
        { "Attest", attest_required, attest_keys, ELEMENTSOF(attest_keys) },
        { "Benchmark", NULL, benchmark_keys, ELEMENTSOF(benchmark_keys) },
};
const size_t profile_n_sections = ELEMENTSOF(profile_sections);

const ProfileSection *profile_section_lookup(const char *name) {
        for (size_t i = 0; i < profile_n_sections; i++)
                if (streq(profile_sections[i].name, name))
                        return profile_sections + i;
        return NULL;
}

const ProfileKey *profile_section_key_lookup(const ProfileSection *s, const char *key) {
        for (size_t i = 0; i < s->n_keys; i++)
                if (streq(s->keys[i].key, key))
                        return s->keys + i;
        return NULL;
}

const ProfileKey *profile_key_lookup(const char *section, const char *key) {
        const ProfileSection *s = profile_section_lookup(section);

        return s ? profile_section_key_lookup(s, key) : NULL;
}

size_t profile_n_keys(void) {
        size_t n = 0;

        for (size_t i = 0; i < profile_n_sections; i++)
                n += profile_sections[i].n_keys;
        return n;
}

size_t profile_key_index(const ProfileKey *k) {
        size_t n = 0;

        for (size_t i = 0; i < profile_n_sections; i++) {
                const ProfileSection *s = profile_sections + i;

                if (k >= s->keys && k < s->keys + s->n_keys)
                        return n + (size_t) (k - s->keys);
                n += s->n_keys;
        }
        assert(false);
        return SIZE_MAX;
}

static const char *const profile_value_type_table[_PV_MAX] = {
        [PV_STRING] = "string",
        [PV_BOOL] = "boolean",
        [PV_ENUM] = "enumeration",
        [PV_UINT64] = "unsigned integer",
        [PV_ETC_SIZE] = "size or percentage",
        [PV_WORDS] = "list of words",
        [PV_LINES] = "list of lines",
};

DEFINE_STRING_TABLE_LOOKUP_TO_STRING(profile_value_type, ProfileValueType);
