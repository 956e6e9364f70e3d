/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <linux/audit.h>
#include <sys/stat.h>

#include "audit-rule.h"
#include "string-util.h"
#include "strv.h"

/* libaudit keeps per-rule parse state in process-wide variables (the architecture given with
 * "-F arch=", and whether a system call, permission, arch, exe or filesystem field was added). They are
 * exported but not declared in libaudit.h; auditctl resets them before each rule, and so must we, or one
 * rule's "-F arch=b32" would leak into the next. */
extern unsigned int _audit_elf;
extern int _audit_syscalladded, _audit_permadded, _audit_archadded, _audit_exeadded, _audit_filterfsadded;

static void libaudit_reset_rule_state(void) {
        _audit_elf = 0;
        _audit_syscalladded = 0;
        _audit_permadded = 0;
        _audit_archadded = 0;
        _audit_exeadded = 0;
        _audit_filterfsadded = 0;
}

AuditRule *audit_rule_free(AuditRule *r) {
        if (!r)
                return NULL;
        free(r->data);
        free(r->key);
        free(r->text);
        return mfree(r);
}

void audit_rules_free(AuditRule **rules, size_t n) {
        for (size_t i = 0; i < n; i++)
                audit_rule_free(rules[i]);
        free(rules);
}

AuditRule *audit_rule_copy(const AuditRule *r) {
        _cleanup_(audit_rule_freep) AuditRule *c = NULL;
        size_t size;

        assert(r);

        c = new0(AuditRule, 1);
        if (!c)
                return NULL;
        size = sizeof(struct audit_rule_data) + r->data->buflen;
        c->data = malloc(size);
        if (!c->data)
                return NULL;
        memcpy(c->data, r->data, size);
        c->filter = r->filter;
        c->action = r->action;
        c->prepend = r->prepend;
        if ((r->key && !(c->key = strdup(r->key))) || !(c->text = strdup(r->text)))
                return NULL;
        return TAKE_PTR(c);
}

int audit_rules_copy(AuditRule *const *rules, size_t n, AuditRule ***ret) {
        AuditRule **l = NULL;

        assert(rules || n == 0);
        assert(ret);

        if (n > 0) {
                l = new0(AuditRule *, n);
                if (!l)
                        return -ENOMEM;
        }
        for (size_t i = 0; i < n; i++) {
                l[i] = audit_rule_copy(rules[i]);
                if (!l[i]) {
                        audit_rules_free(l, i);
                        return -ENOMEM;
                }
        }
        *ret = l;
        return 0;
}


/* What libaudit's negative return codes from audit_rule_fieldpair_data() and
 * audit_rule_interfield_comp_data() mean, in our words. */
static const char *libaudit_error(int code) {
        switch (code) {
        case -1:
                return "missing operator";
        case -2:
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
                return "field can only be used with the exit filter";
        case -8:
                return "unknown message type";
        case -9:
                return "msgtype can only be used with the exclude or user filter";
        case -11:
                return "value too long";
        case -12:
                return "field cannot be used with the exclude filter";
        case -13:
                return "field only takes the = and != operators";
        case -14:
                return "permissions may only contain r, w, x and a";
        case -15:
                return "unknown errno name";
        case -16:
                return "unknown file type";
        case -17:
                return "field can only be used with the exit and entry filters";
        case -19:
                return "a key needs a watch, system call or exe before it";
        case -20:
                return "missing value after the operator";
        case -21:
                return "value must be a number";
        case -22:
                return "missing field name before the operator";
        case -24:
                return "missing field name before the operator";
        case -25:
                return "missing value after the operator";
        case -26:
                return "unknown field";
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
                return "field can only be used with the exclude, user or exit filter";
        case -32:
                return "the rule has no filter list";
        case -33:
                return "these fields cannot be compared";
        default:
                return "invalid field";
        }
}

static bool is_control_option(const char *t) {
        static const char *const control[] = {
                "-e",
                "-f",
                "-b",
                "-r",
                "-D",
                "-W",
                "-d",
                "-l",
                "-s",
                "-t",
                "-R",
                "-i",
                "-c",
                "-q",
                "-Q",
                "-m",
                "-v",
                "-h",
                "--backlog_wait_time",
                "--reset-lost",
                "--reset_backlog_wait_time_actual",
                "--signal",
                "--loginuid-immutable",
        };
        for (size_t i = 0; i < ELEMENTSOF(control); i++)
                if (streq(t, control[i]))
                        return true;
        return false;
}

/* "always,exit" or "exit,always". */
static int parse_action_list(const char *arg, int *ret_filter, int *ret_action, char **ret_reason) {
        _cleanup_free_ char *a = NULL;
        const char *comma = strchr(arg, ',');
        const char *b;
        int f, act;

        if (!comma || strchr(comma + 1, ','))
                return reason_fail(ret_reason, "expected ACTION,LIST after -a, got '%s'", arg);

        a = strndup(arg, comma - arg);
        if (!a)
                return -ENOMEM;
        b = comma + 1;

        act = audit_name_to_action(a);
        f = audit_name_to_flag(b);
        if (act < 0 || f < 0) {
                act = audit_name_to_action(b);
                f = audit_name_to_flag(a);
        }
        if (act < 0 || f < 0)
                return reason_fail(
                        ret_reason,
                        "'%s' is not a valid ACTION,LIST (actions: always, never; lists: exit, user, task, exclude, filesystem)",
                        arg);
        if (act != AUDIT_ALWAYS && act != AUDIT_NEVER)
                return reason_fail(ret_reason, "unsupported action in '%s'", arg);

        *ret_filter = f;
        *ret_action = act;
        return 0;
}

static int parse_perms(const char *s, int *ret, char **ret_reason) {
        int p = 0;

        if (isempty(s) || strlen(s) > 4)
                return reason_fail(ret_reason, "invalid permissions '%s' (use r, w, x and a)", strempty(s));
        for (; *s; s++)
                switch (*s) {
                case 'r':
                        p |= AUDIT_PERM_READ;
                        break;
                case 'w':
                        p |= AUDIT_PERM_WRITE;
                        break;
                case 'x':
                        p |= AUDIT_PERM_EXEC;
                        break;
                case 'a':
                        p |= AUDIT_PERM_ATTR;
                        break;
                default:
                        return reason_fail(ret_reason, "invalid permission '%c' (use r, w, x and a)", *s);
                }
        *ret = p;
        return 0;
}

int audit_rule_parse(const char *text, AuditRule **ret, char **ret_reason) {
        _cleanup_strv_free_ char **tokens = NULL, **syscalls = NULL, **keys = NULL;
        _cleanup_free_ char *watch = NULL, *perms = NULL, *normalized = NULL, *key = NULL;
        _cleanup_(audit_rule_freep) AuditRule *rule = NULL;
        struct audit_rule_data *d = NULL;
        int filter = -1, action = -1, r;
        bool prepend = false;
        size_t n;

        assert(text);
        assert(ret);
        assert(ret_reason);

        /* Split into words; every option takes exactly one argument. */
        for (const char *p = text;;) {
                char *w;

                r = extract_first_word(&p, &w);
                if (r == -ENOMEM)
                        return r;
                if (r < 0)
                        return reason_fail(ret_reason, "unbalanced quotes or trailing backslash");
                if (r == 0)
                        break;
                if (string_has_cc(w) || strpbrk(w, " \t")) {
                        free(w);
                        return reason_fail(ret_reason, "words may not contain whitespace or control characters");
                }
                r = strv_consume(&tokens, w);
                if (r < 0)
                        return r;
        }

        n = strv_length(tokens);
        if (n == 0)
                return reason_fail(ret_reason, "empty rule");

        /* First pass: the list and action (needed before any field), the watch, and the shape. */
        for (size_t i = 0; i < n; i += 2) {
                const char *o = tokens[i], *arg = i + 1 < n ? tokens[i + 1] : NULL;

                if (is_control_option(o))
                        return reason_fail(ret_reason,
                                           "control option '%s' is not a rule; the profile has keys of its own "
                                           "(Immutable=, FailureMode=, BacklogLimit=, RateLimit=)",
                                           o);
                if (!streq(o, "-a") && !streq(o, "-A") && !streq(o, "-S") && !streq(o, "-F") && !streq(o, "-C") &&
                    !streq(o, "-k") && !streq(o, "-w") && !streq(o, "-p"))
                        return reason_fail(ret_reason, o[0] == '-' ? "unknown option '%s'" : "unexpected word '%s'", o);
                if (!arg)
                        return reason_fail(ret_reason, "option '%s' needs an argument", o);

                if (streq(o, "-a") || streq(o, "-A")) {
                        if (filter >= 0)
                                return reason_fail(ret_reason, "more than one -a/-A in one rule");
                        r = parse_action_list(arg, &filter, &action, ret_reason);
                        if (r < 0)
                                return r;
                        prepend = streq(o, "-A");
                } else if (streq(o, "-w")) {
                        if (watch)
                                return reason_fail(ret_reason, "more than one -w in one rule");
                        if (arg[0] != '/')
                                return reason_fail(ret_reason, "watch path '%s' is not absolute", arg);
                        watch = strdup(arg);
                        if (!watch)
                                return -ENOMEM;
                } else if (streq(o, "-p")) {
                        if (perms)
                                return reason_fail(ret_reason, "more than one -p in one rule");
                        perms = strdup(arg);
                        if (!perms)
                                return -ENOMEM;
                } else if (streq(o, "-k")) {
                        if (strlen(arg) > AUDIT_MAX_KEY_LEN)
                                return reason_fail(ret_reason, "key '%s' longer than %d bytes", arg, AUDIT_MAX_KEY_LEN);
                        r = strv_extend(&keys, arg);
                        if (r < 0)
                                return r;
                } else if (streq(o, "-S")) {
                        if (strv_extend(&syscalls, arg) < 0)
                                return -ENOMEM;
                }
        }

        if (watch && filter >= 0)
                return reason_fail(
                        ret_reason,
                        "a watch (-w) cannot be combined with -a/-A; write it as -a always,exit -F path=… instead");
        if (!watch && filter < 0)
                return reason_fail(ret_reason, "missing -a ACTION,LIST (or -w PATH)");
        if (perms && !watch)
                return reason_fail(ret_reason, "-p only applies to watches (-w); use -F perm= with -a");
        if (syscalls && filter != AUDIT_FILTER_EXIT && filter != AUDIT_FILTER_ENTRY)
                return reason_fail(ret_reason, "-S needs -a with the exit filter");

        if (keys) {
                key = strv_join(keys, "\001");
                if (!key)
                        return -ENOMEM;
                if (strlen(key) > AUDIT_MAX_KEY_LEN)
                        return reason_fail(ret_reason, "keys together longer than %d bytes", AUDIT_MAX_KEY_LEN);
        }

        libaudit_reset_rule_state();
        d = audit_rule_create_data();
        if (!d)
                return -ENOMEM;
        rule = new0(AuditRule, 1);
        if (!rule) {
                free(d);
                return -ENOMEM;
        }
        rule->data = d;

        if (watch) {
                int p = AUDIT_PERM_READ | AUDIT_PERM_WRITE | AUDIT_PERM_EXEC | AUDIT_PERM_ATTR;

                struct stat st;

                /* As auditctl(8) does: a directory that exists is watched with everything below it
                 * (dir=), anything else as that path (path=). The kernel lists the two apart, so a rule
                 * loaded from a rules file by auditctl is compared with one made here the same way. */
                r = audit_add_watch_dir(stat(watch, &st) >= 0 && S_ISDIR(st.st_mode) ? AUDIT_DIR : AUDIT_WATCH,
                                        &rule->data, watch);
                if (r < 0)
                        return reason_fail(ret_reason, "cannot watch '%s'", watch);
                if (perms) {
                        r = parse_perms(perms, &p, ret_reason);
                        if (r < 0)
                                return r;
                }
                r = audit_update_watch_perms(rule->data, p);
                if (r < 0)
                        return reason_fail(ret_reason, "invalid permissions '%s'", perms);
                filter = AUDIT_FILTER_EXIT;
                action = AUDIT_ALWAYS;
        } else {
                /* Second pass, in the order written: fields, comparisons, system calls. */
                for (size_t i = 0; i < n; i += 2) {
                        const char *o = tokens[i], *arg = tokens[i + 1];

                        if (streq(o, "-F") || streq(o, "-C")) {
                                /* libaudit cuts its argument apart in place: give it a copy. */
                                _cleanup_free_ char *copy = strdup(arg);

                                if (!copy)
                                        return -ENOMEM;
                                if (streq(o, "-F") && startswith(arg, "key="))
                                        return reason_fail(ret_reason, "give keys with -k, not -F key=");
                                r = streq(o, "-F") ? audit_rule_fieldpair_data(&rule->data, copy, filter) :
                                                     audit_rule_interfield_comp_data(&rule->data, copy, filter);
                                if (r < 0)
                                        return reason_fail(ret_reason, "%s %s: %s", o, arg, libaudit_error(r));
                        } else if (streq(o, "-S")) {
                                _cleanup_free_ char *copy = strdup(arg);
                                char *s = copy, *sc;

                                if (!copy)
                                        return -ENOMEM;
                                while ((sc = strsep(&s, ","))) {
                                        if (isempty(sc))
                                                return reason_fail(ret_reason, "empty system call name in '-S %s'", arg);
                                        r = audit_rule_syscallbyname_data(rule->data, sc);
                                        if (r < 0)
                                                return reason_fail(ret_reason, "unknown system call '%s'", sc);
                                }
                                /* libaudit leaves this to its caller; a key needs it set. */
                                _audit_syscalladded = 1;
                        }
                }

                /* As auditctl does: an exit rule without -S applies to every system call. */
                if (filter == AUDIT_FILTER_EXIT && !syscalls) {
                        r = audit_rule_syscallbyname_data(rule->data, "all");
                        if (r < 0)
                                return reason_fail(ret_reason, "cannot select all system calls");
                        _audit_syscalladded = 1;
                }
        }

        if (key) {
                _cleanup_free_ char *pair = strprintf("key=%s", key);

                if (!pair)
                        return -ENOMEM;
                r = audit_rule_fieldpair_data(&rule->data, pair, filter);
                if (r < 0)
                        return reason_fail(ret_reason, "-k %s: %s", keys[0], libaudit_error(r));
        }
        libaudit_reset_rule_state();

        normalized = strv_join(tokens, " ");
        if (!normalized)
                return -ENOMEM;

        rule->filter = filter;
        rule->action = action;
        rule->prepend = prepend;
        rule->key = TAKE_PTR(key);
        rule->text = TAKE_PTR(normalized);
        *ret = TAKE_PTR(rule);
        return 0;
}
