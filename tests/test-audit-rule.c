/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <fcntl.h>
#include <linux/audit.h>

#include <linux/netlink.h>
#include <limits.h>
#include <stdio.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "audit-load.h"
#include "audit-rule.h"
#include "profile-load.h"
#include "profile.h"
#include "strv.h"
#include "tests.h"

static const struct {
        const char *text;
        int filter, action;
        const char *key; /* keys joined by \001, or NULL */
} valid[] = {
        { "-a always,exit -F arch=b64 -S execve -k exec", AUDIT_FILTER_EXIT, AUDIT_ALWAYS, "exec" },
        { "-a exit,always -F arch=b64 -S execve", AUDIT_FILTER_EXIT, AUDIT_ALWAYS, NULL },
        { "-A always,exit -F arch=b32 -S execve,execveat -k x", AUDIT_FILTER_EXIT, AUDIT_ALWAYS, "x" },
        { "-a never,exit -F arch=b64 -S all -F auid=4294967295", AUDIT_FILTER_EXIT, AUDIT_NEVER, NULL },
        { "-a always,exit -F arch=b32 -S socketcall -k net", AUDIT_FILTER_EXIT, AUDIT_ALWAYS, "net" },
        { "-a always,exit -F auid>=1000 -F auid!=unset -S all -k a -k b", AUDIT_FILTER_EXIT, AUDIT_ALWAYS, "a\001b" },
        { "-a always,exit -F arch=b64 -S open -F key=a -k b", AUDIT_FILTER_EXIT, AUDIT_ALWAYS, "a\001b" },
        { "-a always,exit -F arch=b64 -S open,,openat -k x", AUDIT_FILTER_EXIT, AUDIT_ALWAYS, "x" },
        { "-w /etc/passwd -p WA -p r -k id", AUDIT_FILTER_EXIT, AUDIT_ALWAYS, "id" },
        { "-a always,exit -F path=/etc/shadow -p wa -k id", AUDIT_FILTER_EXIT, AUDIT_ALWAYS, "id" },
        { "-Aalways,exit -Farch=b64 -Sopen -kx", AUDIT_FILTER_EXIT, AUDIT_ALWAYS, "x" },
        { "-a never,filesystem -F fstype=debugfs", AUDIT_FILTER_FS, AUDIT_NEVER, NULL },
        { "-a always,exit -F arch=b64 -S openat -F exit=-EACCES -k denied", AUDIT_FILTER_EXIT, AUDIT_ALWAYS, "denied" },
        { "-a always,exit -F arch=b64 -S openat -F exit=-EPERM -k denied", AUDIT_FILTER_EXIT, AUDIT_ALWAYS, "denied" },
        { "-a always,exit -F arch=b64 -S chmod -F uid<1000", AUDIT_FILTER_EXIT, AUDIT_ALWAYS, NULL },
        { "-a always,exit -F arch=b64 -S chmod -F uid<=999 -F gid>0", AUDIT_FILTER_EXIT, AUDIT_ALWAYS, NULL },
        { "-a always,exit -F arch=b64 -S open -F a1&0100", AUDIT_FILTER_EXIT, AUDIT_ALWAYS, NULL },
        { "-a always,exit -F arch=b64 -S open -F a1&=3", AUDIT_FILTER_EXIT, AUDIT_ALWAYS, NULL },
        { "-a always,exit -F path=/usr/bin/sudo -F perm=x -k priv", AUDIT_FILTER_EXIT, AUDIT_ALWAYS, "priv" },
        { "-a always,exit -F dir=/etc/ssh -F perm=wa -k ssh", AUDIT_FILTER_EXIT, AUDIT_ALWAYS, "ssh" },
        { "-a always,exit -F arch=b64 -S execve -C uid!=euid -F euid=0 -k setuid", AUDIT_FILTER_EXIT, AUDIT_ALWAYS,
          "setuid" },
        { "-a never,exclude -F msgtype=CWD", AUDIT_FILTER_EXCLUDE, AUDIT_NEVER, NULL },
        { "-a always,user -F uid=0", AUDIT_FILTER_USER, AUDIT_ALWAYS, NULL },
        { "-a always,task -F uid=0", AUDIT_FILTER_TASK, AUDIT_ALWAYS, NULL },
        { "-a always,exit -F arch=b64 -S init_module,finit_module,delete_module -k modules", AUDIT_FILTER_EXIT,
          AUDIT_ALWAYS, "modules" },
        { "-w /etc/passwd -p wa -k identity", AUDIT_FILTER_EXIT, AUDIT_ALWAYS, "identity" },
        { "-w /etc/sudoers.d/ -p wa -k priv", AUDIT_FILTER_EXIT, AUDIT_ALWAYS, "priv" },
        { "-w /usr/sbin/auditctl -p x", AUDIT_FILTER_EXIT, AUDIT_ALWAYS, NULL },
        { "-w /var/log/wtmp", AUDIT_FILTER_EXIT, AUDIT_ALWAYS, NULL },
        { "  -w   /etc/group   -p wa   -k identity  ", AUDIT_FILTER_EXIT, AUDIT_ALWAYS, "identity" },
        { "-a always,exit -F arch=b64 -S adjtimex,settimeofday,clock_settime -k time", AUDIT_FILTER_EXIT, AUDIT_ALWAYS,
          "time" },
        { "-a always,exit -F arch=b64 -S mount -F auid>=1000 -F auid!=-1 -k mounts", AUDIT_FILTER_EXIT, AUDIT_ALWAYS,
          "mounts" },
};

static const struct {
        const char *text;
        const char *reason;
} invalid[] = {
        { "", "empty rule" },
        { "   ", "empty rule" },
        { "-e 2", "'-e' is a setting, not a rule" },
        { "-f 2", "'-f' is a setting" },
        { "-b 8192", "'-b' is a setting" },
        { "-D", "'-D' is a setting" },
        { "-r 100", "'-r' is a setting" },
        { "-W /etc/passwd", "'-W' deletes a rule" },
        { "-l", "'-l' is neither a rule nor a setting" },
        { "--backlog_wait_time 60000", "'--backlog_wait_time' is a setting, not a rule: the profile has keys" },
        { "--loginuid-immutable", "BacklogWaitTime=, LoginUIDImmutable=)" },
        { "-x foo", "unknown option '-x'" },
        { "always,exit", "unexpected word 'always,exit'" },
        { "-a always,exit -F arch=b64 -S open # comment", "unexpected word '#'" },
        { "-w\t/etc/passwd", "a tab between words" },
        { "-a always,exit -S opnat", "unknown system call 'opnat'" },
        { "-a always,exit -F arch=b64 -k x -S open", "-k x: a key needs a watch, a system call" },
        { "-a always,exit -F auid>=1000 -F key=x", "-k x: a key needs a watch, system call or exe before it" },
        { "-a always,exit -F auid=nosuchuser-hardenctl", "unknown user 'nosuchuser-hardenctl'" },
        { "-a always,exit -F gid=nosuchgroup-hardenctl", "unknown group 'nosuchgroup-hardenctl'" },
        { "-a always,entry -S open", "the kernel has no entry list" },
        { "-a possible,exit -S open", "'possible' is no longer supported" },
        { "-w /etc/passwd -p \"wa\"", "permission '\"' is not one of r, w, x, a" },
        { "-p wa -w /etc/passwd", "permissions need a watch (-w) or a rule (-a) before them" },
        { "-a always", "expected ACTION,LIST" },
        { "-a sometimes,exit", "-a sometimes,exit: not ACTION,LIST" },
        { "-a always,nowhere", "the kernel has no list 'nowhere'" },
        { "-a always,possible -S open", "the kernel has no list 'possible'" },
        { "-a always,exit -a always,exit", "only one -a or -A per rule" },
        { "-F arch=b64 -S execve -k exec", "-F arch=b64: a field needs -a ACTION,LIST before it" },
        { "-S execve", "missing -a ACTION,LIST" },
        { "-a always,exit -F uidd=0", "-F uidd=0: unknown field" },
        { "-a always,exit -F uid", "-F uid: missing operator" },
        { "-a always,exit -F arch=b64 -S execve -F arch=b32", "arch must be given before -S" },
        { "-a never,exclude -F msgtype=CWD -k x", "-k x: a key needs" },
        { "-a always,user -S open", "-S open: system calls can only be given on the exit list" },
        { "-a always,exit -S", "option '-S' needs a value" },
        { "-w etc/passwd", "-w etc/passwd: the path must start with '/'" },
        { "-w /etc/passwd -p rwq", "permission 'q' is not one of r, w, x, a" },
        { "-w /etc/passwd -w /etc/group", "a watch cannot be combined with -a/-A" },
        { "-w /etc/passwd -a always,exit", "-a always,exit: not ACTION,LIST" },
        { "-a always,exit -p wa", "permissions need a path, dir or watch before them" },
        { "-a always,exit -F arch=b64 -S open 'unbalanced", "unexpected word" },
        { "-a always,exit -C uid=nope", "-C uid=nope" },
        /* auditctl sends these; the kernel refuses them. */
        { "-a always,exit -F path=etc/shadow -F perm=wa",
          "the kernel refuses path=etc/shadow: the path must be absolute" },
        { "-a always,exit -F exe=sudo -S all -k x", "the kernel refuses exe=sudo: the path must be absolute" },
        { "-a always,exit -F path=/etc/x -F dir=/etc -F perm=wa", "the kernel refuses dir= together with path=" },
        { "-a always,exit -F path=/etc/sudoers.d/ -F perm=wa", "drop the trailing slash" },
        { "-w /etc/passwd/x -p wa", "/etc/passwd is not a directory" },
};

START_TEST(test_valid) {
        _cleanup_(audit_rule_freep) AuditRule *r = NULL;
        _cleanup_free_ char *reason = NULL;

        ck_assert_msg(audit_rule_parse(valid[_i].text, &r, &reason) == 0, "'%s': %s", valid[_i].text, strna(reason));
        ck_assert_int_eq(r->filter, valid[_i].filter);
        ck_assert_int_eq(r->action, valid[_i].action);
        if (valid[_i].key)
                ck_assert_str_eq(r->key, valid[_i].key);
        else
                ck_assert_ptr_null(r->key);
        ck_assert_ptr_nonnull(r->data);
        ck_assert(!strstr(r->text, "  "));
        /* The normalized text is the rule as written, whitespace aside. */
        {
                _cleanup_free_ char *squeezed = strdup(valid[_i].text), *t = NULL;
                char *o = squeezed;
                bool space = true;

                for (const char *c = valid[_i].text; *c; c++) {
                        if (*c == ' ' && space)
                                continue;
                        if (*c != '"')
                                *o++ = *c;
                        space = *c == ' ';
                }
                *o = 0;
                t = strdup(strstrip(squeezed));
                ck_assert_str_eq(r->text, t);
        }
        ck_assert_int_eq(r->prepend, startswith(valid[_i].text, "-A") != NULL);
}
END_TEST

START_TEST(test_invalid) {
        _cleanup_(audit_rule_freep) AuditRule *r = NULL;
        _cleanup_free_ char *reason = NULL;

        ck_assert_msg(audit_rule_parse(invalid[_i].text, &r, &reason) == -EINVAL, "'%s' was accepted", invalid[_i].text);
        ck_assert_ptr_null(r);
        ck_assert_ptr_nonnull(reason);
        ck_assert_msg(strstr(reason, invalid[_i].reason), "'%s': reason '%s' lacks '%s'", invalid[_i].text, reason,
                      invalid[_i].reason);
}
END_TEST

static bool has_syscall(const AuditRule *r, int nr) {
        return r->data->mask[nr / 32] & (1U << (nr % 32));
}

static int field_value(const AuditRule *r, int field) {
        for (unsigned i = 0; i < r->data->field_count; i++)
                if ((int) r->data->fields[i] == field)
                        return (int) r->data->values[i];
        return -1;
}

START_TEST(test_rule_data) {
        _cleanup_(audit_rule_freep) AuditRule *a = NULL, *b = NULL, *w = NULL, *all = NULL, *d = NULL, *nx = NULL;
        _cleanup_free_ char *reason = NULL;
        int m64 = audit_determine_machine("b64"), m32 = audit_determine_machine("b32");
        int execve64 = audit_name_to_syscall("execve", m64), execve32 = audit_name_to_syscall("execve", m32);

        ck_assert_int_ge(execve64, 0);
        ck_assert_int_ge(execve32, 0);
        ck_assert_int_ne(execve64, execve32);

        /* A b32 rule, then a b64 one: libaudit's arch state must not leak from one to the next. */
        ck_assert_int_eq(audit_rule_parse("-a always,exit -F arch=b32 -S execve -k x", &a, &reason), 0);
        ck_assert_int_eq(audit_rule_parse("-a always,exit -F arch=b64 -S execve -k x", &b, &reason), 0);
        ck_assert(has_syscall(a, execve32));
        ck_assert(has_syscall(b, execve64));
        ck_assert(!has_syscall(b, execve32) || execve32 == execve64);
        ck_assert_uint_eq(b->data->field_count, 2); /* arch, key */
        ck_assert_int_eq(field_value(b, AUDIT_ARCH), (int) audit_machine_to_elf(m64));

        ck_assert_int_eq(audit_rule_parse("-w /etc/shadow -p wa -k id", &w, &reason), 0);
        ck_assert_int_eq(field_value(w, AUDIT_PERM), AUDIT_PERM_WRITE | AUDIT_PERM_ATTR);
        ck_assert_int_ge(field_value(w, AUDIT_WATCH), 0);
        ck_assert_ptr_nonnull(memmem(w->data->buf, w->data->buflen, "/etc/shadow", 11));

        /* A directory that exists is watched with what is below it (dir=), as auditctl does; anything
         * else by its path. */
        ck_assert_int_eq(audit_rule_parse("-w /tmp -p wa -k tmp", &d, &reason), 0);
        ck_assert_int_ge(field_value(d, AUDIT_DIR), 0);
        ck_assert_int_lt(field_value(d, AUDIT_WATCH), 0);
        ck_assert_int_eq(audit_rule_parse("-w /nonexistent-hardenctl-test/x -p wa -k x", &nx, &reason), 0);
        ck_assert_int_ge(field_value(nx, AUDIT_WATCH), 0);
        ck_assert_int_lt(field_value(nx, AUDIT_DIR), 0);

        /* An exit rule without -S covers every system call, as with auditctl. */
        ck_assert_int_eq(audit_rule_parse("-a always,exit -F auid>=1000", &all, &reason), 0);
        for (size_t i = 0; i < AUDIT_BITMASK_SIZE; i++)
                ck_assert_uint_eq(all->data->mask[i], ~0U);
}
END_TEST

/* The io_uring list is libaudit's to name: audit 4.0 has it (-S then takes io_uring operations), 3.0 not,
 * and auditctl of each release does the same. */
/* The paths of -w are looked up in the tree the rules are for (--root, an image), never on the host's:
 * /watched is a directory in the tree and nowhere on the host; /plain a file in the tree. */
START_TEST(test_watch_in_root) {
        _cleanup_(audit_rule_freep) AuditRule *in_root = NULL, *host = NULL, *no_fs = NULL, *no_fs_dir = NULL,
                                              *below = NULL;
        _cleanup_free_ char *r1 = NULL, *r2 = NULL, *r3 = NULL;
        _cleanup_close_ int root_fd = -EBADF;
        char *root = test_tmpdir();

        test_write(root, "watched/x", "");
        test_write(root, "plain", "");
        root_fd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC);
        ck_assert_int_ge(root_fd, 0);

        ck_assert_int_eq(audit_rule_parse_at(root_fd, "-w /watched -p wa -k w", &in_root, &r1), 0);
        ck_assert_int_ge(field_value(in_root, AUDIT_DIR), 0);
        ck_assert_int_eq(audit_rule_parse("-w /watched -p wa -k w", &host, &r1), 0);
        ck_assert_int_ge(field_value(host, AUDIT_WATCH), 0);

        /* A watch below what is a file in the tree: the kernel would refuse it there. */
        ck_assert_int_eq(audit_rule_parse_at(root_fd, "-w /plain/x -p wa", &below, &r2), -EINVAL);
        ck_assert_str_eq(r2, "the kernel refuses path=/plain/x: /plain is not a directory");

        /* Without a tree: a path= watch, whatever the host has there. */
        ck_assert_int_eq(audit_rule_parse_at(-EBADF, "-w /plain/x -p wa", &no_fs, &r3), 0);
        ck_assert_int_eq(audit_rule_parse_at(-EBADF, "-w /tmp -p wa", &no_fs_dir, &r3), 0);
        ck_assert_int_ge(field_value(no_fs_dir, AUDIT_WATCH), 0);
        ck_assert_int_lt(field_value(no_fs_dir, AUDIT_DIR), 0);

        /* A profile of the tree: its rules are built there; validation (strict) names the key. */
        test_write(root, "usr/lib/hardenctl/profiles/w.profile",
                   "[Audit]\nRule=-w /watched -p wa -k w\nRule=-w /plain/x -p wa -k p\n");
        {
                _cleanup_(profile_diags_done) ProfileDiags diags = {};
                _cleanup_(profile_freep) Profile *p = NULL;
                ProfileLoadOptions o = { .root_fd = root_fd };

                ck_assert_int_eq(profile_load(&o, "w", &p, &diags), 0);
                ck_assert_ptr_nonnull(p->audit.rules_error);
                ck_assert_str_eq(p->audit.rules_error_key, "Rule");
                profile_free(TAKE_PTR(p));
                test_write(root, "usr/lib/hardenctl/profiles/w.profile", "[Audit]\nRule=-w /watched -p wa -k w\n");
                ck_assert_int_eq(profile_load(&o, "w", &p, &diags), 0);
                ck_assert_uint_eq(p->audit.n_parsed_rules, 1);
                ck_assert_int_ge(field_value(p->audit.parsed_rules[0], AUDIT_DIR), 0);
        }
        {
                _cleanup_(profile_diags_done) ProfileDiags diags = {};
                _cleanup_(profile_freep) Profile *p = NULL;
                ProfileLoadOptions o = { .root_fd = root_fd, .flags = PROFILE_LOAD_STRICT };

                test_write(root, "usr/lib/hardenctl/profiles/w.profile", "[Audit]\nRule=-w /plain/x -p wa -k p\n");
                ck_assert_int_eq(profile_load(&o, "w", &p, &diags), -EBADMSG);
                ck_assert_uint_eq(diags.n, 1);
                ck_assert_str_eq(diags.items[0].key, "Rule");
                ck_assert_ptr_nonnull(strstr(diags.items[0].message, "/plain is not a directory"));
        }
        test_tmpdir_remove(root);
}
END_TEST

START_TEST(test_io_uring) {
        _cleanup_(audit_rule_freep) AuditRule *r = NULL, *all = NULL;
        _cleanup_free_ char *reason = NULL, *reason2 = NULL;
        int openat = audit_name_to_syscall("openat", audit_detect_machine());

        if (audit_name_to_flag("io_uring") < 0) {
                ck_assert_int_eq(audit_rule_parse("-a always,io_uring -S openat", &r, &reason), -EINVAL);
                ck_assert_ptr_nonnull(strstr(reason, "the kernel has no list 'io_uring'"));
                return;
        }
        ck_assert_int_eq(audit_rule_parse("-a always,io_uring -S openat,,close -k x", &r, &reason), 0);
        ck_assert_int_eq(r->filter, AUDIT_FILTER_URING_EXIT);
        ck_assert_uint_eq(r->data->flags, AUDIT_FILTER_URING_EXIT);
        /* openat is io_uring operation 18, not the system call */
        ck_assert(has_syscall(r, 18));
        ck_assert(openat == 18 || !has_syscall(r, openat));
        ck_assert_int_eq(audit_rule_parse("-a always,io_uring -S nosuchop", &all, &reason2), -EINVAL);
        ck_assert_ptr_nonnull(strstr(reason2, "unknown io_uring operation 'nosuchop'"));
}
END_TEST

/* What the kernel refuses on the io_uring list (perm=) and takes there (path=), whatever libaudit lets
 * through. */
START_TEST(test_kernel_io_uring) {
        _cleanup_free_ struct audit_rule_data *d = calloc(1, sizeof(struct audit_rule_data) + 16);
        _cleanup_free_ char *reason = NULL, *reason2 = NULL, *reason3 = NULL;

        ck_assert_ptr_nonnull(d);
        d->flags = AUDIT_FILTER_URING_EXIT;
        d->field_count = 1;
        d->fields[0] = AUDIT_PERM;
        d->fieldflags[0] = AUDIT_EQUAL;
        d->values[0] = AUDIT_PERM_WRITE;
        ck_assert_int_eq(audit_rule_check_kernel(AT_FDCWD, d, &reason), -EINVAL);
        ck_assert_ptr_nonnull(strstr(reason, "perm= on the io_uring list"));

        d->fields[0] = AUDIT_WATCH;
        d->values[0] = 11;
        d->buflen = 11;
        memcpy(d->buf, "/etc/shadow", 11);
        ck_assert_int_eq(audit_rule_check_kernel(AT_FDCWD, d, &reason2), 0);
        d->flags = AUDIT_FILTER_USER;
        ck_assert_int_eq(audit_rule_check_kernel(AT_FDCWD, d, &reason3), -EINVAL);
        ck_assert_ptr_nonnull(strstr(reason3, "only on the exit and io_uring lists"));
}
END_TEST

START_TEST(test_rule_sets) {
        const char *const *names = audit_rule_set_names();
        size_t n = 0;

        for (const char *const *name = names; *name; name++) {
                const char *const *rules = audit_rule_set_lookup(*name);

                ck_assert_msg(rules && *rules, "set %s is empty", *name);
                for (const char *const *t = rules; *t; t++) {
                        _cleanup_(audit_rule_freep) AuditRule *r = NULL;
                        _cleanup_free_ char *reason = NULL;

                        ck_assert_msg(audit_rule_parse(*t, &r, &reason) == 0, "%s: '%s': %s", *name, *t, strna(reason));
                        /* Every rule of a set carries the set's name as its key, but OSPP's, which keep
                         * the keys of auditd's files. */
                        if (streq(*name, "ospp"))
                                ck_assert_msg(r->key, "%s: '%s' has no key", *name, *t);
                        else
                                ck_assert_msg(r->key && streq(r->key, *name), "%s: '%s' has key %s", *name, *t,
                                              strna(r->key));
                }
                n++;
        }
        ck_assert_uint_eq(n, 13);
        ck_assert_ptr_null(audit_rule_set_lookup("nope"));
        ck_assert_ptr_null(audit_rule_set_lookup(""));
        ck_assert_ptr_nonnull(audit_rule_set_lookup("exec-monitoring"));
}
END_TEST

/* The typed rules of a profile (profile_finalize()): the sets of Rules= expanded set by set, then
 * Rule=, in that order, each parsed once; all of them or, with a reason, none. */
static const struct {
        const char *name;
        const char *rule_sets[3];
        const char *rules[3];
        size_t n;          /* rules built */
        const char *first; /* text of the first one built */
        const char *last;  /* text of the last one built */
        const char *error; /* part of rules_error, or NULL for none */
} profile_rules[] = {
        { "nothing", {}, {}, 0, NULL, NULL, NULL },
        { "rule only",
          {},
          { "-w /etc/hosts -p wa -k hosts" },
          1,
          "-w /etc/hosts -p wa -k hosts",
          "-w /etc/hosts -p wa -k hosts",
          NULL },
        { "normalized",
          {},
          { "-a  always,exit -F arch=b64 -S execve   -k x" },
          1,
          "-a always,exit -F arch=b64 -S execve -k x",
          "-a always,exit -F arch=b64 -S execve -k x",
          NULL },
        { "set only",
          { "mac-policy" },
          {},
          2,
          "-w /etc/selinux -p wa -k mac-policy",
          "-w /usr/share/selinux -p wa -k mac-policy",
          NULL },
        { "sets, then rules",
          { "identity", "mac-policy" },
          { "-w /etc/hosts -p wa -k hosts", "-w /etc/fstab -p wa -k fstab" },
          7 + 2 + 2,
          "-w /etc/passwd -p wa -k identity",
          "-w /etc/fstab -p wa -k fstab",
          NULL },
        { "unknown set",
          { "identity", "no-such-set" },
          { "-w /etc/hosts -p wa -k hosts" },
          0,
          NULL,
          NULL,
          "unknown rule set 'no-such-set'" },
        { "bad rule",
          { "identity" },
          { "-w /etc/hosts -p wa -k hosts", "-a always,exit -S nosuchcall" },
          0,
          NULL,
          NULL,
          "'-a always,exit -S nosuchcall': -S nosuchcall: unknown system call 'nosuchcall'" },
};

START_TEST(test_profile_rules) {
        _cleanup_(profile_freep) Profile *p = profile_new();
        AuditRule **copy = NULL;

        ck_assert_ptr_nonnull(p);
        for (size_t i = 0; i < ELEMENTSOF(profile_rules[_i].rule_sets) && profile_rules[_i].rule_sets[i]; i++)
                ck_assert_int_eq(strv_extend(&p->audit.rule_sets, profile_rules[_i].rule_sets[i]), 0);
        for (size_t i = 0; i < ELEMENTSOF(profile_rules[_i].rules) && profile_rules[_i].rules[i]; i++)
                ck_assert_int_eq(strv_extend(&p->audit.rules, profile_rules[_i].rules[i]), 0);

        /* Nothing is derived until the lists are final. */
        ck_assert_ptr_null(p->audit.parsed_rules);
        ck_assert_uint_eq(p->audit.n_parsed_rules, 0);

        ck_assert_int_eq(profile_finalize(p), 0);
        ck_assert_msg(p->audit.n_parsed_rules == profile_rules[_i].n, "%s: %zu rules", profile_rules[_i].name,
                      p->audit.n_parsed_rules);
        if (profile_rules[_i].error) {
                ck_assert_ptr_nonnull(p->audit.rules_error);
                ck_assert_msg(strstr(p->audit.rules_error, profile_rules[_i].error), "%s: %s", profile_rules[_i].name,
                              p->audit.rules_error);
                ck_assert_ptr_null(p->audit.parsed_rules);
        } else
                ck_assert_ptr_null(p->audit.rules_error);
        if (profile_rules[_i].n > 0) {
                ck_assert_str_eq(p->audit.parsed_rules[0]->text, profile_rules[_i].first);
                ck_assert_str_eq(p->audit.parsed_rules[profile_rules[_i].n - 1]->text, profile_rules[_i].last);
        }

        /* Again: the same, and what the first call built is freed (the sanitizer build checks). */
        ck_assert_int_eq(profile_finalize(p), 0);
        ck_assert_uint_eq(p->audit.n_parsed_rules, profile_rules[_i].n);
        ck_assert(!!p->audit.rules_error == !!profile_rules[_i].error);

        /* A copy for an owner of its own is the same rule, in memory of its own. */
        ck_assert_int_eq(audit_rules_copy(p->audit.parsed_rules, p->audit.n_parsed_rules, &copy), 0);
        ck_assert(!copy == (profile_rules[_i].n == 0));
        for (size_t i = 0; i < p->audit.n_parsed_rules; i++) {
                const AuditRule *a = p->audit.parsed_rules[i], *b = copy[i];

                ck_assert_ptr_ne(a, b);
                ck_assert_ptr_ne(a->data, b->data);
                ck_assert_uint_eq(a->data->buflen, b->data->buflen);
                ck_assert_mem_eq(a->data, b->data, sizeof(struct audit_rule_data) + a->data->buflen);
                ck_assert_int_eq(a->filter, b->filter);
                ck_assert_int_eq(a->action, b->action);
                ck_assert(a->prepend == b->prepend);
                ck_assert_str_eq(a->text, b->text);
                ck_assert_pstr_eq(a->key, b->key);
        }
        audit_rules_free(copy, p->audit.n_parsed_rules);

        /* Emptied lists, finalized again: nothing. */
        p->audit.rule_sets = strv_free(p->audit.rule_sets);
        p->audit.rules = strv_free(p->audit.rules);
        ck_assert_int_eq(profile_finalize(p), 0);
        ck_assert_ptr_null(p->audit.parsed_rules);
        ck_assert_uint_eq(p->audit.n_parsed_rules, 0);
        ck_assert_ptr_null(p->audit.rules_error);
}
END_TEST

/* audit_apply_settings() against a socket that refuses every request: a routing netlink socket, which
 * answers each audit message with an error, so that nothing of the host's audit configuration is
 * touched. Every setting must still be tried, each failure reported with libaudit's own error. */
typedef struct Failures {
        AuditSetting settings[8];
        int errors[8];
        size_t n;
} Failures;

static void record(AuditSetting s, uint32_t value, int error, void *userdata) {
        Failures *f = userdata;

        ck_assert_uint_lt(f->n, ELEMENTSOF(f->settings));
        f->settings[f->n] = s;
        f->errors[f->n++] = error;
}

/* RulesFile=: the rules of a rules file, in order after the sets, and its settings where the profile
 * has none; a conflicting setting or a bad line is an error naming the file and line. */
START_TEST(test_rules_file) {
        _cleanup_(profile_freep) Profile *p = profile_new();
        char path[] = "/tmp/hardenctl-test-rules-XXXXXX";
        const char *text = "# a comment\n"
                           "-D\n"
                           "-b 8192\n"
                           "-e 2\n"
                           "--backlog_wait_time 60000\n"
                           "--loginuid-immutable\n"
                           "-w /etc/sudoers.d/ -p wa -F key=actions\n"
                           "-a always,exit -F arch=b64 -S sethostname -F key=system-locale\n";
        int fd = mkstemp(path);

        ck_assert_int_ge(fd, 0);
        ck_assert_int_eq(write(fd, text, strlen(text)), (ssize_t) strlen(text));
        close(fd);

        ck_assert_ptr_nonnull(p);
        ck_assert_int_eq(strv_extend(&p->audit.rule_sets, "mac-policy"), 0);
        ck_assert_int_eq(strv_extend(&p->audit.rules_files, path), 0);
        ck_assert_int_eq(strv_extend(&p->audit.rules, "-w /etc/hosts -p wa -k hosts"), 0);
        ck_assert_int_eq(profile_finalize(p), 0);
        ck_assert_ptr_null(p->audit.rules_error);
        ck_assert_uint_eq(p->audit.n_parsed_rules, 2 + 2 + 1);
        ck_assert_str_eq(p->audit.parsed_rules[2]->text, "-w /etc/sudoers.d/ -p wa -F key=actions");
        ck_assert_str_eq(p->audit.parsed_rules[2]->key, "actions");
        ck_assert_str_eq(p->audit.parsed_rules[4]->text, "-w /etc/hosts -p wa -k hosts");
        ck_assert_uint_eq(p->audit.backlog_limit, 8192);
        ck_assert_int_eq(p->audit.immutable, 1);
        ck_assert_uint_eq(p->audit.backlog_wait_time, 60000);
        ck_assert_int_eq(p->audit.loginuid_immutable, 1);

        /* The same value again is no conflict; another one is. */
        ck_assert_int_eq(profile_finalize(p), 0);
        ck_assert_ptr_null(p->audit.rules_error);
        p->audit.backlog_limit = 100;
        ck_assert_int_eq(profile_finalize(p), 0);
        ck_assert_ptr_nonnull(p->audit.rules_error);
        ck_assert_ptr_nonnull(strstr(p->audit.rules_error, ":3: -b 8192 conflicts with BacklogLimit=100"));
        ck_assert_uint_eq(p->audit.n_parsed_rules, 0);
        p->audit.backlog_limit = 8192;
        p->audit.backlog_wait_time = 1;
        ck_assert_int_eq(profile_finalize(p), 0);
        ck_assert_ptr_nonnull(
                strstr(p->audit.rules_error, ":5: --backlog_wait_time 60000 conflicts with BacklogWaitTime=1"));
        p->audit.backlog_wait_time = NUMBER_UNSET;
        p->audit.loginuid_immutable = 0;
        ck_assert_int_eq(profile_finalize(p), 0);
        ck_assert_ptr_nonnull(
                strstr(p->audit.rules_error, ":6: --loginuid-immutable conflicts with LoginUIDImmutable=no"));
        p->audit.loginuid_immutable = TRISTATE_UNSET;

        unlink(path);
        p->audit.rules_files[0][0] = 0;
        p->audit.backlog_limit = NUMBER_UNSET;
        ck_assert_int_eq(profile_finalize(p), 0);
        ck_assert_ptr_nonnull(strstr(p->audit.rules_error, "cannot read the rules file"));
}
END_TEST

/* RulesFile= a rules.d directory: its *.rules files in augenrules' order (ls -v), nothing else. */
START_TEST(test_rules_dir) {
        _cleanup_(profile_freep) Profile *p = profile_new();
        char dir[] = "/tmp/hardenctl-test-rulesd-XXXXXX";
        static const struct {
                const char *name, *text;
        } files[] = {
                { "10-base-config.rules", "-D\n-b 8192\n--backlog_wait_time 60000\n" },
                { "9-first.rules", "-w /etc/hosts -p wa -k nine\n" },
                { "30-stig.rules", "-w /etc/passwd -p wa -F key=identity\n" },
                { "99-finalize.rules", "-e 2\n" },
                { "50-skipped.rules.disabled", "-w /etc/shadow -p wa -k skipped\n" },
                { ".hidden.rules", "-w /etc/group -p wa -k hidden\n" },
        };
        char path[PATH_MAX];

        ck_assert_ptr_nonnull(p);
        ck_assert_ptr_nonnull(mkdtemp(dir));
        for (size_t i = 0; i < ELEMENTSOF(files); i++) {
                FILE *f;

                snprintf(path, sizeof(path), "%s/%s", dir, files[i].name);
                f = fopen(path, "we");
                ck_assert_ptr_nonnull(f);
                fputs(files[i].text, f);
                ck_assert_int_eq(fclose(f), 0);
        }
        snprintf(path, sizeof(path), "%s/20-subdir.rules", dir);
        ck_assert_int_eq(mkdir(path, 0755), 0);

        ck_assert_int_eq(strv_extend(&p->audit.rules_files, dir), 0);
        ck_assert_int_eq(profile_finalize(p), 0);
        ck_assert_ptr_nonnull(p->audit.rules_error);
        ck_assert_ptr_nonnull(strstr(p->audit.rules_error, "20-subdir.rules: a directory, not a rules file"));
        ck_assert_int_eq(rmdir(path), 0);

        ck_assert_int_eq(profile_finalize(p), 0);
        ck_assert_ptr_null(p->audit.rules_error);
        ck_assert_uint_eq(p->audit.n_parsed_rules, 2);
        ck_assert_str_eq(p->audit.parsed_rules[0]->key, "nine"); /* 9 before 10, as ls -v orders */
        ck_assert_str_eq(p->audit.parsed_rules[1]->key, "identity");
        ck_assert_uint_eq(p->audit.backlog_limit, 8192);
        ck_assert_uint_eq(p->audit.backlog_wait_time, 60000);
        ck_assert_int_eq(p->audit.immutable, 1);

        for (size_t i = 0; i < ELEMENTSOF(files); i++) {
                snprintf(path, sizeof(path), "%s/%s", dir, files[i].name);
                ck_assert_int_eq(unlink(path), 0);
        }
        ck_assert_int_eq(rmdir(dir), 0);
}
END_TEST

START_TEST(test_settings_all_tried) {
        _cleanup_(profile_freep) Profile *p = profile_new();
        struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
        Failures f = {};
        AuditSetting settings[_AUDIT_SETTING_MAX];
        uint32_t values[_AUDIT_SETTING_MAX];
        int fd, r;

        ck_assert_ptr_nonnull(p);
        p->audit.backlog_limit = 8192;
        p->audit.failure_mode = AUDIT_FAILURE_PRINTK;
        p->audit.rate_limit = 100;
        p->audit.backlog_wait_time = 60000;
        p->audit.loginuid_immutable = 1;

        ck_assert_uint_eq(audit_settings_from_profile(&p->audit, settings, values), 5);
        ck_assert_int_eq(settings[0], AUDIT_SETTING_BACKLOG_LIMIT);
        ck_assert_uint_eq(values[0], 8192);
        ck_assert_int_eq(settings[1], AUDIT_SETTING_FAILURE_MODE);
        ck_assert_uint_eq(values[1], 1);
        ck_assert_int_eq(settings[2], AUDIT_SETTING_RATE_LIMIT);
        ck_assert_uint_eq(values[2], 100);
        ck_assert_int_eq(settings[3], AUDIT_SETTING_BACKLOG_WAIT_TIME);
        ck_assert_uint_eq(values[3], 60000);
        ck_assert_int_eq(settings[4], AUDIT_SETTING_LOGINUID_IMMUTABLE);
        ck_assert_uint_eq(values[4], 1);
        /* The kernel's lock cannot be undone: there is no "0" to send. */
        ck_assert_int_eq(audit_setting_set(-1, AUDIT_SETTING_LOGINUID_IMMUTABLE, 0), -EINVAL);

        fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
        ck_assert_int_ge(fd, 0);
        ck_assert_int_eq(bind(fd, (struct sockaddr *) &sa, sizeof(sa)), 0);

        errno = 0;
        r = audit_apply_settings(fd, &p->audit, record, &f);
        ck_assert_int_lt(r, 0);
        ck_assert_uint_eq(f.n, 5);
        for (size_t i = 0; i < 5; i++) {
                ck_assert_int_eq(f.settings[i], settings[i]);
                ck_assert_int_lt(f.errors[i], 0);
        }
        ck_assert_int_eq(r, f.errors[0]);

        /* Only what the profile sets is tried. */
        p->audit.failure_mode = ENUM_UNSET;
        p->audit.backlog_limit = NUMBER_UNSET;
        p->audit.backlog_wait_time = NUMBER_UNSET;
        p->audit.loginuid_immutable = 0;
        f = (Failures){};
        ck_assert_int_lt(audit_apply_settings(fd, &p->audit, record, &f), 0);
        ck_assert_uint_eq(f.n, 1);
        ck_assert_int_eq(f.settings[0], AUDIT_SETTING_RATE_LIMIT);

        p->audit.rate_limit = NUMBER_UNSET;
        ck_assert_int_eq(audit_apply_settings(fd, &p->audit, record, &f), 0);
        close(fd);
}
END_TEST

static Suite *suite(void) {
        Suite *s = suite_create("audit-rule");
        TCase *tc = tcase_create("core");

        tcase_add_loop_test(tc, test_valid, 0, ELEMENTSOF(valid));
        tcase_add_loop_test(tc, test_invalid, 0, ELEMENTSOF(invalid));
        tcase_add_test(tc, test_rule_data);
        tcase_add_test(tc, test_watch_in_root);
        tcase_add_test(tc, test_io_uring);
        tcase_add_test(tc, test_kernel_io_uring);
        tcase_add_test(tc, test_rule_sets);
        tcase_add_loop_test(tc, test_profile_rules, 0, ELEMENTSOF(profile_rules));
        tcase_add_test(tc, test_settings_all_tried);
        tcase_add_test(tc, test_rules_file);
        tcase_add_test(tc, test_rules_dir);
        suite_add_tcase(s, tc);
        return s;
}

TEST_MAIN(suite)
