/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* One line of an audit rules file, read as auditctl(8) reads it: split at spaces, options as getopt_long()
 * finds them, and the rule built option by option with libaudit's own functions, in the order auditctl
 * calls them and with the checks it makes between them. A line auditctl accepts gives the same
 * struct audit_rule_data it would send (list, action, system call mask, fields, operators, values,
 * strings); a line it refuses is refused here too, with the reason. tests/test-auditctl-diff.sh holds the
 * two side by side for every line of auditd's example rule files. */

#include <ctype.h>
#include <libgen.h>
#include <limits.h>
#include <linux/audit.h>
#include <sys/stat.h>

#include <fcntl.h>

#include "audit-line-split.h"
#include "audit-rule.h"
#include "fs-util.h"
#include "string-table.h"
#include "string-util.h"
#include "strv.h"

/* auditctl reads lines into a buffer of this size; a longer line is cut there. */
#define AUDIT_LINE_MAX 6143

/* libaudit keeps per-rule parse state in process-wide variables (the architecture given with
 * "-F arch=", and whether a system call, permission, arch, exe or filesystem field was added). They are
 * exported but not declared in libaudit.h; auditctl resets them before each rule, and so must we, or one
 * rule's "-F arch=b32" would leak into the next. */
extern unsigned int _audit_elf;
extern int _audit_syscalladded, _audit_permadded, _audit_archadded, _audit_exeadded, _audit_filterfsadded;

/* The io_uring list takes io_uring operations for -S, which only libaudit 4.0 names (audit 3.0 has no
 * io_uring list). Weak: hardenctl runs with either; without it, "io_uring" is no list (audit_name_to_flag()
 * says so) and this is never called. */
int audit_rule_io_uringbyname_data(struct audit_rule_data *rule, const char *scall) __attribute__((weak));

static void libaudit_reset_rule_state(void) {
        _audit_elf = 0;
        _audit_syscalladded = 0;
        _audit_permadded = 0;
        _audit_archadded = 0;
        _audit_exeadded = 0;
        _audit_filterfsadded = 0;
}

static const char *const audit_control_table[_AUDIT_CONTROL_MAX] = {
        [AUDIT_CONTROL_BACKLOG_LIMIT] = "-b",
        [AUDIT_CONTROL_FAILURE_MODE] = "-f",
        [AUDIT_CONTROL_RATE_LIMIT] = "-r",
        [AUDIT_CONTROL_ENABLED] = "-e",
        [AUDIT_CONTROL_BACKLOG_WAIT_TIME] = "--backlog_wait_time",
        [AUDIT_CONTROL_LOGINUID_IMMUTABLE] = "--loginuid-immutable",
        [AUDIT_CONTROL_DELETE_ALL] = "-D",
        [AUDIT_CONTROL_IGNORE_ERRORS] = "-i",
        [AUDIT_CONTROL_CONTINUE] = "-c",
};

DEFINE_STRING_TABLE_LOOKUP_TO_STRING(audit_control, AuditControl);

/* What libaudit's negative return codes from audit_rule_fieldpair_data() and
 * audit_rule_interfield_comp_data() mean, in our words. */
static const char *libaudit_error(int code) {
        switch (code) {
        case -1:
                return "missing operator";
        case -2:
        case -26:
                return "unknown field";
        case -3:
                return "arch must be given before -S";
        case -4:
                return "unknown machine type";
        case -5:
                return "architecture not supported";
        case -6:
                return "bit width not supported by this machine";
        case -7:
                return "field can only be used with the exit list";
        case -8:
                return "unknown message type";
        case -9:
                return "msgtype can only be used with the exclude or user list";
        case -11:
                return "value too long";
        case -12:
                return "only msgtype, pid, uid, gid, auid, subj_* and exe can be used with the exclude list";
        case -13:
                return "field only takes the = and != operators";
        case -14:
                return "permissions may only contain r, w, x and a";
        case -15:
                return "unknown errno name";
        case -16:
                return "unknown file type";
        case -17:
                return "field can only be used with the exit list";
        case -19:
                return "a key needs a watch, system call or exe before it";
        case -20:
        case -25:
                return "missing value after the operator";
        case -21:
                return "value must be a number";
        case -22:
        case -24:
                return "missing field name before the operator";
        case -27:
                return "unknown field to compare with";
        case -28:
                return "too many fields in one rule";
        case -29:
                return "field only takes the = operator";
        case -30:
        case -34:
                return "field not supported by this kernel";
        case -31:
                return "field can only be used with the exclude, user or exit list";
        case -32:
                return "the rule has no list";
        case -33:
                return "these fields cannot be compared";
        case -35:
                return "the list is not supported by this kernel";
        case -36:
                return "unknown file system type";
        case -37:
                return "value too big";
        case -39:
                return "perm= cannot be used with -S";
        default:
                return "invalid field";
        }
}

static bool field_is_uid(int f) {
        return f == AUDIT_UID || f == AUDIT_EUID || f == AUDIT_SUID || f == AUDIT_FSUID || f == AUDIT_LOGINUID ||
               f == AUDIT_OBJ_UID;
}

static bool field_is_gid(int f) {
        return f == AUDIT_GID || f == AUDIT_EGID || f == AUDIT_SGID || f == AUDIT_FSGID || f == AUDIT_OBJ_GID;
}

/* Explains why libaudit refused "-F arg": where it printed its own message (an unknown user or group), in
 * the same words. */
static int field_fail(char **ret_reason, const char *opt, const char *arg, int code) {
        size_t n = strcspn(arg, "=!<>&");
        _cleanup_free_ char *name = strndup_safe(arg, n);
        const char *v = arg + n + strspn(arg + n, "=!<>&");
        int f;

        if (!name)
                return -ENOMEM;
        f = audit_name_to_field(name);
        /* libaudit says "unknown user" itself, and returns EAU_PRINT_NOTHING (38). */
        if (code == -38 && f >= 0 && *v) {
                if (field_is_uid(f))
                        return reason_fail(ret_reason, "%s %s: unknown user '%s'", opt, arg, v);
                if (field_is_gid(f))
                        return reason_fail(ret_reason, "%s %s: unknown group '%s'", opt, arg, v);
        }
        if (code == -2 && f < 0)
                return reason_fail(ret_reason, "%s %s: unknown field '%s'", opt, arg, name);
        return reason_fail(ret_reason, "%s %s: %s", opt, arg, libaudit_error(code));
}

/* A rule as auditctl builds it, option by option. */
typedef struct RuleBuilder {
        int root_fd; /* where -w paths are looked up (audit_line_parse_at()) */
        struct audit_rule_data *data;
        int add;    /* the list, with AUDIT_FILTER_PREPEND for -A; AUDIT_FILTER_UNSET before -a/-A/-w */
        int action; /* -1 before -a/-A/-w */
        bool exclude, have_rule_option;
        unsigned multiple;
        char key[AUDIT_MAX_KEY_LEN + 1];
} RuleBuilder;

/* The lists libaudit knows (audit_name_to_flag()): exit, task, user, exclude, filesystem, and with audit 4.0
 * io_uring. */
static int lookup_list(const char *s, int *ret) {
        int list = audit_name_to_flag(s);

        if (list < 0)
                return -EINVAL;
        *ret = list;
        return 0;
}

static int lookup_action(const char *s, int *ret) {
        if (streq(s, "always"))
                *ret = AUDIT_ALWAYS;
        else if (streq(s, "never"))
                *ret = AUDIT_NEVER;
        else
                return streq(s, "possible") ? -EOPNOTSUPP : -EINVAL;
        return 0;
}

/* "-a always,exit" or "-a exit,always", as auditctl takes them (it tries the first word as an action,
 * then as a list; the list may already be set by -w). An action followed by a list that does not exist
 * ("-a always,entry") auditctl 3.0 refuses, while auditctl 4.0 sends the rule with the list 0xffffffff,
 * which the kernel refuses: refused here, as the kernel's refusal. */
static int rule_setup(RuleBuilder *b, const char *opt, const char *arg, char **ret_reason) {
        _cleanup_free_ char *first = NULL;
        const char *comma = strchr(arg, ','), *second;
        int r;

        if (++b->multiple != 1)
                return reason_fail(ret_reason, "only one -a or -A per rule");
        if (!comma || strchr(comma + 1, ','))
                return reason_fail(ret_reason, "%s %s: expected ACTION,LIST (e.g. always,exit)", opt, arg);
        first = strndup_safe(arg, comma - arg);
        if (!first)
                return -ENOMEM;
        second = comma + 1;

        r = lookup_action(first, &b->action);
        if (r == -EINVAL) {
                if (lookup_list(first, &b->add) < 0)
                        goto bad;
        } else if (r < 0)
                goto deprecated;
        if (b->add == AUDIT_FILTER_UNSET) {
                if (lookup_list(second, &b->add) < 0) {
                        if (streq(second, "entry"))
                                return reason_fail(ret_reason,
                                                   "the kernel has no entry list any more (%s %s); use exit", opt, arg);
                        return reason_fail(ret_reason,
                                           "the kernel has no list '%s' (%s %s; lists: exit, task, user, exclude, "
                                           "filesystem%s)",
                                           second, opt, arg, audit_rule_io_uringbyname_data ? ", io_uring" : "");
                }
        } else {
                r = lookup_action(second, &b->action);
                if (r == -EOPNOTSUPP)
                        goto deprecated;
                if (r < 0)
                        goto bad;
        }
        if (b->add == AUDIT_FILTER_UNSET || b->action < 0)
                goto bad;
        b->exclude = b->add == AUDIT_FILTER_EXCLUDE;
        return 0;

bad:
        if (streq(first, "entry") || streq(second, "entry"))
                return reason_fail(ret_reason, "%s %s: the entry list is gone from the kernel; use exit", opt, arg);
        return reason_fail(ret_reason,
                           "%s %s: not ACTION,LIST (actions: always, never; lists: exit, task, user, exclude, "
                           "filesystem%s)",
                           opt, arg, audit_rule_io_uringbyname_data ? ", io_uring" : "");
deprecated:
        return reason_fail(ret_reason, "%s %s: the action 'possible' is no longer supported (auditctl skips the rule)",
                           opt, arg);
}

/* -S on the io_uring list: io_uring operations, as auditctl 4.0 takes them (names, numbers or "all";
 * empty names between commas skipped). */
static int rule_io_uring_ops(RuleBuilder *b, const char *arg, char **ret_reason) {
        _cleanup_free_ char *copy = strdup(arg);
        char *saved = NULL;
        unsigned n = 0;

        assert(audit_rule_io_uringbyname_data);
        if (!copy)
                return -ENOMEM;
        for (char *s = strtok_r(copy, ",", &saved); s; s = strtok_r(NULL, ",", &saved), n++)
                if (audit_rule_io_uringbyname_data(b->data, s) != 0)
                        return reason_fail(ret_reason, "-S %s: unknown io_uring operation '%s'", arg, s);
        /* Unlike system calls, auditctl refuses a list of nothing but commas here. */
        if (n == 0)
                return reason_fail(ret_reason, "-S %s: no io_uring operation", arg);
        _audit_syscalladded = 1;
        return 0;
}

static int rule_syscalls(RuleBuilder *b, const char *arg, char **ret_reason) {
        int list = b->add & (AUDIT_FILTER_MASK | AUDIT_FILTER_UNSET);

        if (list == AUDIT_FILTER_URING_EXIT)
                return rule_io_uring_ops(b, arg, ret_reason);
        if (list == AUDIT_FILTER_TASK || list == AUDIT_FILTER_USER || list == AUDIT_FILTER_FS || b->exclude)
                return reason_fail(ret_reason, "-S %s: system calls can only be given on the exit list", arg);
        if (!_audit_elf) {
                int machine = audit_detect_machine();
                unsigned elf = machine < 0 ? 0 : audit_machine_to_elf(machine);

                if (elf == 0)
                        return reason_fail(ret_reason, "-S %s: cannot tell this machine's architecture", arg);
                _audit_elf = elf;
        }

        if (strchr(arg, ',')) {
                /* As auditctl does, with strtok(): empty names between commas are skipped. */
                _cleanup_free_ char *copy = strdup(arg);
                char *saved = NULL;

                if (!copy)
                        return -ENOMEM;
                for (char *s = strtok_r(copy, ",", &saved); s; s = strtok_r(NULL, ",", &saved)) {
                        int r = audit_rule_syscallbyname_data(b->data, s);

                        if (r == -1)
                                return reason_fail(ret_reason, "-S %s: unknown system call '%s'", arg, s);
                        if (r < 0)
                                return reason_fail(ret_reason, "-S %s: unknown architecture", arg);
                }
        } else {
                int r = audit_rule_syscallbyname_data(b->data, arg);

                if (r == -1)
                        return reason_fail(ret_reason, "-S %s: unknown system call '%s'", arg, arg);
                if (r < 0)
                        return reason_fail(ret_reason, "-S %s: unknown architecture", arg);
        }
        _audit_syscalladded = 1;
        return 0;
}

static int rule_key(RuleBuilder *b, const char *opt, const char *arg, char **ret_reason) {
        size_t have = strlen(b->key);

        if (strlen(arg) + have + !!have > AUDIT_MAX_KEY_LEN)
                return reason_fail(ret_reason, "%s %s: the keys of a rule are longer than %d bytes together", opt, arg,
                                   AUDIT_MAX_KEY_LEN);
        if (have)
                b->key[have++] = AUDIT_KEY_SEPARATOR;
        strcpy(b->key + have, arg);
        return 0;
}

static int rule_watch(RuleBuilder *b, const char *arg, char **ret_reason) {
        _cleanup_free_ char *path = NULL;
        struct stat st;
        size_t len;
        int type = AUDIT_WATCH;

        if (b->add != AUDIT_FILTER_UNSET)
                return reason_fail(ret_reason, "-w %s: a watch cannot be combined with -a/-A (use -F path= or -F dir=)",
                                   arg);
        b->add = AUDIT_FILTER_EXIT;
        b->action = AUDIT_ALWAYS;
        _audit_syscalladded = 1;

        len = strlen(arg);
        if (len >= PATH_MAX)
                return reason_fail(ret_reason, "-w: the path is longer than %d bytes", PATH_MAX - 1);
        if (arg[0] != '/')
                return reason_fail(ret_reason, "-w %s: the path must start with '/'", arg);
        path = strdup(arg);
        if (!path)
                return -ENOMEM;
        {
                _cleanup_free_ char *copy = strdup(arg);

                if (!copy)
                        return -ENOMEM;
                if (strlen(basename(copy)) > NAME_MAX)
                        return reason_fail(ret_reason, "-w %s: the last component is longer than %d bytes", arg,
                                           NAME_MAX);
        }
        /* auditctl drops trailing slashes; the kernel refuses a watch that ends in one. */
        if (len > 2)
                while (len > 1 && path[len - 1] == '/')
                        path[--len] = 0;
        /* A directory that exists is watched with everything below it (dir=), anything else as that path
         * (path=): the kernel lists the two apart. */
        if (audit_path_stat(b->root_fd, path, &st) == 0 && S_ISDIR(st.st_mode))
                type = AUDIT_DIR;
        if (audit_add_watch_dir(type, &b->data, path) < 0)
                return b->data ? reason_fail(ret_reason, "-w %s: cannot be added to this rule", arg) : -ENOMEM;
        b->have_rule_option = true;
        return 0;
}

static int rule_perms(RuleBuilder *b, const char *arg, char **ret_reason) {
        unsigned val = 0;

        if (b->add == AUDIT_FILTER_UNSET)
                return reason_fail(ret_reason, "-p %s: permissions need a watch (-w) or a rule (-a) before them", arg);
        if (strlen(arg) > 4)
                return reason_fail(ret_reason, "-p %s: too long (permissions are some of r, w, x, a)", arg);
        for (const char *c = arg; *c; c++)
                switch (tolower((unsigned char) *c)) {
                case 'r':
                        val |= AUDIT_PERM_READ;
                        break;
                case 'w':
                        val |= AUDIT_PERM_WRITE;
                        break;
                case 'x':
                        val |= AUDIT_PERM_EXEC;
                        break;
                case 'a':
                        val |= AUDIT_PERM_ATTR;
                        break;
                default:
                        return reason_fail(ret_reason, "-p %s: permission '%c' is not one of r, w, x, a", arg, *c);
                }
        if (audit_update_watch_perms(b->data, (int) val) != 0)
                return reason_fail(ret_reason, "-p %s: permissions need a path, dir or watch before them", arg);
        _audit_permadded = 1;
        b->have_rule_option = true;
        return 0;
}

static int rule_option(RuleBuilder *b, const Option *o, char **ret_reason) {
        int flags = b->add == AUDIT_FILTER_UNSET ? AUDIT_FILTER_UNSET : b->add & AUDIT_FILTER_MASK;
        char opt[3] = { '-', (char) o->c, 0 };
        _cleanup_free_ char *copy = NULL;
        int r;

        switch (o->c) {
        case 'a':
        case 'A':
                if (strstr(o->arg, "task") && _audit_syscalladded)
                        return reason_fail(ret_reason, "%s %s: system calls cannot be audited on the task list", opt,
                                           o->arg);
                r = rule_setup(b, opt, o->arg, ret_reason);
                if (r < 0)
                        return r;
                if (o->c == 'A')
                        b->add |= AUDIT_FILTER_PREPEND;
                b->have_rule_option = true;
                return 0;
        case 'S':
                return rule_syscalls(b, o->arg, ret_reason);
        case 'F':
                if (b->add == AUDIT_FILTER_UNSET)
                        return reason_fail(ret_reason, "-F %s: a field needs -a ACTION,LIST before it", o->arg);
                if (startswith(o->arg, "key="))
                        return rule_key(b, "-F key=", o->arg + 4, ret_reason);
                /* libaudit cuts its argument apart in place: give it a copy. */
                copy = strdup(o->arg);
                if (!copy)
                        return -ENOMEM;
                r = audit_rule_fieldpair_data(&b->data, copy, flags);
                if (r != 0)
                        return field_fail(ret_reason, "-F", o->arg, r);
                if (b->data->fields[b->data->field_count - 1] == AUDIT_PERM)
                        _audit_permadded = 1;
                if (b->data->fields[b->data->field_count - 1] == AUDIT_EXE)
                        _audit_exeadded = 1;
                return 0;
        case 'C':
                copy = strdup(o->arg);
                if (!copy)
                        return -ENOMEM;
                r = audit_rule_interfield_comp_data(&b->data, copy, flags);
                if (r != 0)
                        return field_fail(ret_reason, "-C", o->arg, r);
                return 0;
        case 'w':
                return rule_watch(b, o->arg, ret_reason);
        case 'k':
                if (!(_audit_syscalladded || _audit_permadded || _audit_exeadded || _audit_filterfsadded) ||
                    b->add == AUDIT_FILTER_UNSET)
                        return reason_fail(ret_reason,
                                           "-k %s: a key needs a watch, a system call (-S), perm= or exe= before it "
                                           "(or give it as -F key=)",
                                           o->arg);
                return rule_key(b, "-k", o->arg, ret_reason);
        case 'p':
                return rule_perms(b, o->arg, ret_reason);
        default:
                assert(false);
                return -EINVAL;
        }
}

/* A control line: one setting (the value as auditctl reads it: digits first, then strtoul()). */
static int control_option(const Option *o, AuditControl *ret, uint32_t *ret_value, char **ret_reason) {
        unsigned long v = 0;

        switch (o->c) {
        case 'e':
        case 'f':
                if (!(o->arg[0] >= '0' && o->arg[0] <= '2' && o->arg[1] == 0))
                        return reason_fail(ret_reason, "-%c %s: must be 0, 1 or 2", o->c, o->arg);
                v = o->arg[0] - '0';
                *ret = o->c == 'e' ? AUDIT_CONTROL_ENABLED : AUDIT_CONTROL_FAILURE_MODE;
                break;
        case 'b':
        case 'r':
        case LONG_BACKLOG_WAIT_TIME:
                if (!isdigit((unsigned char) o->arg[0]))
                        return reason_fail(ret_reason, "%s %s: must be a number",
                                           o->c == 'b' ? "-b" :
                                           o->c == 'r' ? "-r" :
                                                         "--backlog_wait_time",
                                           o->arg);
                errno = 0;
                v = strtoul(o->arg, NULL, 0);
                if (errno != 0)
                        return reason_fail(ret_reason, "%s: number out of range", o->arg);
                *ret = o->c == 'b' ? AUDIT_CONTROL_BACKLOG_LIMIT :
                       o->c == 'r' ? AUDIT_CONTROL_RATE_LIMIT :
                                     AUDIT_CONTROL_BACKLOG_WAIT_TIME;
                break;
        case LONG_LOGINUID_IMMUTABLE:
                *ret = AUDIT_CONTROL_LOGINUID_IMMUTABLE;
                break;
        case 'D':
                *ret = AUDIT_CONTROL_DELETE_ALL;
                break;
        case 'i':
                *ret = AUDIT_CONTROL_IGNORE_ERRORS;
                break;
        case 'c':
                *ret = AUDIT_CONTROL_CONTINUE;
                break;
        default:
                assert(false);
                return -EINVAL;
        }
        *ret_value = (uint32_t) v;
        return 0;
}

static bool is_rule_option(int c) {
        return c < 256 && strchr("aASFCwkp", c);
}

static bool is_control_option(int c) {
        return (c < 256 && strchr("efbrDic", c)) || c == LONG_BACKLOG_WAIT_TIME || c == LONG_LOGINUID_IMMUTABLE;
}

static int build_rule(int root_fd, const Option *opts, size_t n, const char *text, AuditRule **ret, char **ret_reason) {
        _cleanup_(audit_rule_freep) AuditRule *rule = NULL;
        RuleBuilder b = { .root_fd = root_fd, .add = AUDIT_FILTER_UNSET, .action = -1 };
        int r;

        rule = new0(AuditRule, 1);
        if (!rule)
                return -ENOMEM;
        b.data = audit_rule_create_data();
        if (!b.data)
                return -ENOMEM;

        libaudit_reset_rule_state();
        for (size_t i = 0; i < n; i++) {
                r = rule_option(&b, &opts[i], ret_reason);
                if (r < 0)
                        goto finish;
        }
        r = 0;
        if (b.add == AUDIT_FILTER_UNSET || !b.have_rule_option) {
                r = reason_fail(ret_reason, "missing -a ACTION,LIST (or -w PATH)");
                goto finish;
        }
        if (b.key[0]) {
                _cleanup_free_ char *pair = strprintf("key=%s", b.key);
                int k;

                if (!pair) {
                        r = -ENOMEM;
                        goto finish;
                }
                k = audit_rule_fieldpair_data(&b.data, pair, b.add & AUDIT_FILTER_MASK);
                if (k != 0) {
                        r = field_fail(ret_reason, "-k", b.key, k);
                        goto finish;
                }
        }
        /* As auditctl does when it sends the rule: a rule that names no system call applies to all of
         * them, on every list but the task list. */
        if ((b.add & AUDIT_FILTER_MASK) != AUDIT_FILTER_TASK && _audit_syscalladded != 1)
                (void) audit_rule_syscallbyname_data(b.data, "all");
        b.data->flags = (uint32_t) b.add;
        b.data->action = (uint32_t) b.action;
        r = audit_rule_check_kernel(root_fd, b.data, ret_reason);
        if (r < 0)
                goto finish;

        rule->data = TAKE_PTR(b.data);
        rule->filter = b.add & AUDIT_FILTER_MASK;
        rule->action = b.action;
        rule->prepend = b.add & AUDIT_FILTER_PREPEND;
        if (b.key[0]) {
                rule->key = strdup(b.key);
                if (!rule->key) {
                        r = -ENOMEM;
                        goto finish;
                }
        }
        rule->text = strdup(text);
        if (!rule->text) {
                r = -ENOMEM;
                goto finish;
        }
        *ret = TAKE_PTR(rule);
finish:
        libaudit_reset_rule_state();
        free(b.data);
        return r;
}

int audit_line_parse_at(int root_fd, const char *line, AuditRule **ret_rule, AuditControl *ret_control,
                        uint32_t *ret_value, char **ret_reason) {
        _cleanup_strv_free_ char **words = NULL;
        _cleanup_free_ Option *opts = NULL;
        _cleanup_free_ char *text = NULL;
        size_t n = 0, n_rule = 0, n_control = 0;
        int r;

        assert(line);
        assert(ret_rule);
        assert(ret_control);
        assert(ret_value);
        assert(ret_reason);

        if (strlen(line) > AUDIT_LINE_MAX)
                return reason_fail(ret_reason, "line longer than %d bytes", AUDIT_LINE_MAX);
        r = audit_line_split_words(line, &words, ret_reason);
        if (r < 0)
                return r;
        if (!words || words[0][0] == '#')
                return AUDIT_LINE_EMPTY;

        r = audit_line_split_options(words, &opts, &n, ret_reason);
        if (r < 0)
                return r;
        /* -D may name a key; it is ignored with it. */
        if (n == 2 && opts[0].c == 'D' && opts[1].c == 'k')
                n = 1;
        for (size_t i = 0; i < n; i++) {
                char buf[3];

                if (is_rule_option(opts[i].c))
                        n_rule++;
                else if (is_control_option(opts[i].c))
                        n_control++;
                else if (opts[i].c == 'd' || opts[i].c == 'W')
                        return reason_fail(ret_reason, "'%s' deletes a rule; a profile only adds rules",
                                           audit_option_name(&opts[i], buf));
                else
                        return reason_fail(ret_reason, "'%s' is neither a rule nor a setting",
                                           audit_option_name(&opts[i], buf));
        }

        if (n_control > 0) {
                if (n_rule > 0 || n > 1)
                        return reason_fail(ret_reason, "a line holds one rule or one setting");
                r = control_option(&opts[0], ret_control, ret_value, ret_reason);
                if (r < 0)
                        return r;
                return AUDIT_LINE_CONTROL;
        }

        text = audit_line_normalize(line);
        if (!text)
                return -ENOMEM;
        r = build_rule(root_fd, opts, n, text, ret_rule, ret_reason);
        if (r < 0)
                return r;
        return AUDIT_LINE_RULE;
}

int audit_line_parse(const char *line, AuditRule **ret_rule, AuditControl *ret_control, uint32_t *ret_value,
                     char **ret_reason) {
        return audit_line_parse_at(AT_FDCWD, line, ret_rule, ret_control, ret_value, ret_reason);
}

int audit_path_stat(int root_fd, const char *path, struct stat *ret) {
        if (root_fd < 0 && root_fd != AT_FDCWD)
                return -ENOENT; /* no file system to look at */
        return stat_in_root(root_fd, path, true, ret);
}

int audit_rule_parse_at(int root_fd, const char *text, AuditRule **ret, char **ret_reason) {
        AuditControl control;
        uint32_t value;
        int r;

        assert(text);
        assert(ret);
        assert(ret_reason);

        r = audit_line_parse_at(root_fd, text, ret, &control, &value, ret_reason);
        if (r < 0)
                return r;
        if (r == AUDIT_LINE_EMPTY)
                return reason_fail(ret_reason, "empty rule");
        if (r == AUDIT_LINE_CONTROL)
                return reason_fail(ret_reason,
                                   "'%s' is a setting, not a rule: the profile has keys for the settings (Immutable=, "
                                   "FailureMode=, BacklogLimit=, RateLimit=, BacklogWaitTime=, LoginUIDImmutable=)",
                                   audit_control_to_string(control));
        return 0;
}

int audit_rule_parse(const char *text, AuditRule **ret, char **ret_reason) {
        return audit_rule_parse_at(AT_FDCWD, text, ret, ret_reason);
}
