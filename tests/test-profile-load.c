/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <fcntl.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>

#include "audit-rule.h"
#include "profile-lexer.h"
#include "profile-load.h"
#include "profile-schema.h"
#include "strv.h"
#include "sysctl-util.h"
#include "tests.h"

static char *const search_path[] = { "/etc/hardenctl/profiles", "/usr/lib/hardenctl/profiles", NULL };

typedef struct Fixture {
        char *root;
        int root_fd;
        ProfileLoadOptions o;
        ProfileDiags diags;
} Fixture;

static void fixture_init(Fixture *f, unsigned flags) {
        f->root = test_tmpdir();
        f->root_fd = open(f->root, O_PATH | O_DIRECTORY | O_CLOEXEC);
        ck_assert_int_ge(f->root_fd, 0);
        f->o = (ProfileLoadOptions){ .root_fd = f->root_fd, .search_path = search_path, .flags = flags };
        f->diags = (ProfileDiags){};
}

static void fixture_done(Fixture *f) {
        profile_diags_done(&f->diags);
        safe_close(f->root_fd);
        test_tmpdir_remove(f->root);
}

/* All diagnostics, formatted, one per line. */
static char *diags_text(const ProfileDiags *d) {
        _cleanup_strv_free_ char **l = NULL;
        char *s;

        for (size_t i = 0; i < d->n; i++)
                ck_assert_int_eq(strv_consume(&l, profile_diag_format(d->items + i)), 0);
        s = l ? strv_join(l, "\n") : strdup("");
        ck_assert_ptr_nonnull(s);
        return s;
}

#define ETC "etc/hardenctl/profiles/"
#define USR "usr/lib/hardenctl/profiles/"

START_TEST(test_precedence_and_dropins) {
        _cleanup_(profile_freep) Profile *p = NULL;
        _cleanup_free_ char *srcs = NULL;
        Fixture f;

        fixture_init(&f, PROFILE_LOAD_STRICT);
        test_write(f.root, USR "web.profile", "[SELinux]\nMode=disabled\n[Packages]\nForbid=vendor\n");
        test_write(f.root, ETC "web.profile", "[SELinux]\nMode=permissive\n[Packages]\nForbid=local\n");
        test_write(f.root, USR "web.profile.d/20-b.conf", "[Packages]\nForbid=vendor-b\n");
        test_write(f.root, ETC "web.profile.d/10-a.conf", "[Packages]\nForbid=local-a\n");
        test_write(f.root, USR "web.profile.d/30-c.conf", "[SELinux]\nMode=enforcing\n");
        test_write(f.root, ETC "web.profile.d/30-c.conf", "[Packages]\nForbid=masked-c\n");
        test_write(f.root, ETC "web.profile.d/README", "[Nope]\n");

        ck_assert_int_eq(profile_load(&f.o, "web", &p, &f.diags), 0);
        ck_assert_uint_eq(f.diags.n, 0);
        ck_assert_str_eq(p->name, "web");

        /* /etc wins for the profile; drop-ins in name order across directories; /etc's 30-c masks /usr's. */
        srcs = strv_join(p->sources, " ");
        ck_assert_str_eq(srcs, "/" ETC "web.profile /" ETC "web.profile.d/10-a.conf /" USR
                               "web.profile.d/20-b.conf /" ETC "web.profile.d/30-c.conf");
        ck_assert_int_eq(p->selinux.mode, SELINUX_PERMISSIVE);
        ck_assert_uint_eq(strv_length(p->packages.forbid), 4);
        ck_assert_str_eq(p->packages.forbid[0], "local");
        ck_assert_str_eq(p->packages.forbid[1], "local-a");
        ck_assert_str_eq(p->packages.forbid[2], "vendor-b");
        ck_assert_str_eq(p->packages.forbid[3], "masked-c");
        ck_assert_ptr_null(p->source_texts);
        fixture_done(&f);
}
END_TEST

START_TEST(test_inherit) {
        _cleanup_(profile_freep) Profile *p = NULL;
        _cleanup_free_ char *srcs = NULL;
        Fixture f;

        fixture_init(&f, PROFILE_LOAD_STRICT | PROFILE_LOAD_KEEP_TEXT);
        test_write(
                f.root, USR "base.profile",
                "[Profile]\nDescription=base\n[Packages]\nForbid=pa pb\n[Kernel]\nDenyModule=x\n[Audit]\nImmutable=yes\n");
        test_write(f.root, USR "base.profile.d/10.conf", "[Packages]\nForbid=pc\n");
        test_write(f.root, USR "mid.profile", "[Profile]\nInherit=base\n[Packages]\nForbid=pd\n[Kernel]\nDenyModule=\n");
        test_write(f.root, ETC "top.profile", "[Profile]\nDescription=top\nInherit=mid\n[Audit]\nImmutable=no\n");

        ck_assert_int_eq(profile_load(&f.o, "top", &p, &f.diags), 0);
        ck_assert_uint_eq(f.diags.n, 0);
        srcs = strv_join(p->sources, " ");
        ck_assert_str_eq(srcs,
                         "/" USR "base.profile /" USR "base.profile.d/10.conf /" USR "mid.profile /" ETC "top.profile");
        ck_assert_str_eq(p->name, "top");
        ck_assert_str_eq(p->meta.description, "top");
        ck_assert_str_eq(p->meta.inherit, "mid");
        ck_assert_int_eq(p->audit.immutable, 0);
        ck_assert_uint_eq(strv_length(p->packages.forbid), 4); /* lists append across inheritance */
        ck_assert_ptr_null(p->kernel.deny_modules);            /* and an empty assignment resets them */
        ck_assert_uint_eq(strv_length(p->source_texts), 4);
        ck_assert_str_eq(p->source_texts[2], "[Profile]\nInherit=base\n[Packages]\nForbid=pd\n[Kernel]\nDenyModule=\n");
        fixture_done(&f);
}
END_TEST

/* "-VALUE" in a list drops one entry, inherited or not: the only way a child keeps all but a few of a
 * long list. Dropping what is not there is an error that names file, line and key. */
START_TEST(test_list_drop) {
        _cleanup_(profile_freep) Profile *p = NULL, *q = NULL;
        _cleanup_free_ char *cis = NULL, *text = NULL;
        Fixture f;

        fixture_init(&f, PROFILE_LOAD_STRICT);
        test_write(f.root, USR "base.profile",
                   "[Benchmark]\nCIS=1.1.1.1 3.1.2 3.1.3\n[Kernel]\nDenyModule=usb-storage\n");
        test_write(f.root, USR "top.profile",
                   "[Profile]\nInherit=base\n[Benchmark]\nCIS=-3.1.2 5.1.8 -3.1.3\n[Kernel]\nDenyModule=-usb-storage\n");
        ck_assert_int_eq(profile_load(&f.o, "top", &p, &f.diags), 0);
        ck_assert_uint_eq(f.diags.n, 0);
        cis = strv_join(p->benchmark.cis, " ");
        ck_assert_str_eq(cis, "1.1.1.1 5.1.8");
        ck_assert_ptr_null(p->kernel.deny_modules);

        test_write(f.root, USR "bad.profile", "[Profile]\nInherit=base\n[Benchmark]\nCIS=5.1.8\nCIS=-3.1.22\n");
        ck_assert_int_eq(profile_load(&f.o, "bad", &q, &f.diags), -EBADMSG);
        text = diags_text(&f.diags);
        ck_assert_str_eq(text,
                         "/" USR "bad.profile:5: Benchmark.CIS: '-3.1.22' drops '3.1.22', which is not in the list");
        fixture_done(&f);
}
END_TEST

/* The typed values, derived once the profile is merged: resets in a child or a drop-in have had their
 * effect, and a value skipped in lenient mode is not among them. */
static const struct {
        const char *name;
        unsigned flags;
        const char *base, *top, *dropin; /* base.profile, top.profile (Inherit=base), top.profile.d/10.conf */
        size_t n_diags;
        size_t n_rules;
        const char *rules;   /* the texts of the first and the last audit rule, "FIRST|LAST" */
        const char *sysctls; /* the settings, "KEY=VALUE|…" */
} typed[] = {
        { "resets in the child and in its drop-in", PROFILE_LOAD_STRICT,
          "[Audit]\nRules=@identity\nRule=-w /etc/hosts -p wa -k hosts\n"
          "[Kernel]\nSysctl=kernel.kptr_restrict=1\n",
          "[Profile]\nInherit=base\n[Audit]\nRules=\nRules=@mac-policy\nRule=-w /etc/fstab -p wa -k fstab\n"
          "[Kernel]\nSysctl=kernel.dmesg_restrict=1\n",
          "[Audit]\nRule=\nRule=-w /etc/issue -p wa -k issue\n[Kernel]\nSysctl=\nSysctl=kernel.yama.ptrace_scope=1\n",
          0, 3, "-w /etc/selinux -p wa -k mac-policy|-w /etc/issue -p wa -k issue", "kernel.yama.ptrace_scope=1" },
        { "lists appended across inheritance, each setting once", PROFILE_LOAD_STRICT,
          "[Audit]\nRules=@mac-policy\nRule=-w /etc/hosts -p wa -k hosts\n"
          "[Kernel]\nSysctl=kernel.kptr_restrict=1\nSysctl=net.core.bpf_jit_harden=2\n",
          "[Profile]\nInherit=base\n[Audit]\nRules=@session @mac-policy\nRule=-w /etc/hosts -p wa -k hosts\n"
          "[Kernel]\nSysctl=kernel/kptr_restrict=2\nSysctl=kernel.yama.ptrace_scope = 3\n",
          "[Kernel]\nSysctl=net/core/bpf_jit_harden=1\n", 0, 2 + 5 + 1,
          "-w /etc/selinux -p wa -k mac-policy|-w /etc/hosts -p wa -k hosts",
          "kernel.kptr_restrict=2|net.core.bpf_jit_harden=1|kernel.yama.ptrace_scope=3" },
        { "a drop-in that resets everything", PROFILE_LOAD_STRICT,
          "[Audit]\nRules=@identity\nRule=-w /etc/hosts -p wa -k hosts\n[Kernel]\nSysctl=kernel.kptr_restrict=1\n",
          "[Profile]\nInherit=base\n", "[Audit]\nRules=\nRule=\n[Kernel]\nSysctl=\n", 0, 0, NULL, NULL },
        { "lenient: bad values skipped, the others kept", 0,
          "[Audit]\nRule=-w /etc/hosts -p wa -k hosts\n[Kernel]\nSysctl=kernel.kptr_restrict=1\n",
          "[Profile]\nInherit=base\n[Audit]\nRule=-a always,exit -S nosuchcall\nRule=-w /etc/fstab -p wa -k fstab\n"
          "[Kernel]\nSysctl=../x=1\nSysctl=kernel.kptr_restrict=2\n",
          NULL, 2, 2, "-w /etc/hosts -p wa -k hosts|-w /etc/fstab -p wa -k fstab", "kernel.kptr_restrict=2" },
};

START_TEST(test_typed_values) {
        _cleanup_(profile_freep) Profile *p = NULL;
        _cleanup_strv_free_ char **l = NULL;
        _cleanup_free_ char *rules = NULL, *sysctls = NULL;
        Fixture f;

        fixture_init(&f, typed[_i].flags);
        test_write(f.root, USR "base.profile", typed[_i].base);
        test_write(f.root, USR "top.profile", typed[_i].top);
        if (typed[_i].dropin)
                test_write(f.root, USR "top.profile.d/10.conf", typed[_i].dropin);

        ck_assert_int_eq(profile_load(&f.o, "top", &p, &f.diags), 0);
        ck_assert_msg(f.diags.n == typed[_i].n_diags, "%s: %zu diagnostics", typed[_i].name, f.diags.n);

        /* Consumers need the text no more: the typed values stand on their own. */
        p->audit.rule_sets = strv_free(p->audit.rule_sets);
        p->audit.rules = strv_free(p->audit.rules);
        p->kernel.sysctls = strv_free(p->kernel.sysctls);

        ck_assert_ptr_null(p->audit.rules_error);
        ck_assert_msg(p->audit.n_parsed_rules == typed[_i].n_rules, "%s: %zu rules", typed[_i].name,
                      p->audit.n_parsed_rules);
        if (typed[_i].n_rules > 0) {
                rules = strprintf("%s|%s", p->audit.parsed_rules[0]->text,
                                  p->audit.parsed_rules[p->audit.n_parsed_rules - 1]->text);
                ck_assert_str_eq(rules, typed[_i].rules);
        } else
                ck_assert_ptr_null(p->audit.parsed_rules);

        for (size_t i = 0; i < p->kernel.n_sysctl_settings; i++)
                ck_assert_int_eq(strv_consume(&l, strprintf("%s=%s", p->kernel.sysctl_settings[i].key,
                                                            p->kernel.sysctl_settings[i].value)),
                                 0);
        sysctls = l ? strv_join(l, "|") : NULL;
        ck_assert_pstr_eq(sysctls, typed[_i].sysctls);
        ck_assert(!p->kernel.sysctl_settings == !typed[_i].sysctls);

        fixture_done(&f);
}
END_TEST

/* Whether the profile asks for audit at all: what pulls in hardenctl-audit.service and what apply
 * plans the audit rules file for. */
static const struct {
        const char *text;
        bool wanted;
} wants_audit[] = {
        { "", false },
        { "[Audit]\n", false },
        { "[Audit]\nImmutable=no\n", false },
        { "[Audit]\nImmutable=yes\n", true },
        { "[Audit]\nBacklogLimit=0\n", true },
        { "[Audit]\nFailureMode=silent\n", true },
        { "[Audit]\nRateLimit=1\n", true },
        { "[Audit]\nRules=@identity\n", true },
        { "[Audit]\nRule=-w /etc/hosts -p wa -k hosts\n", true },
        { "[Audit]\nRules=@identity\nRule=-w /etc/hosts -p wa -k hosts\nRules=\nRule=\n", false },
        { "[Kernel]\nLockdown=integrity\n", false },
};

START_TEST(test_wants_audit) {
        _cleanup_(profile_diags_done) ProfileDiags d = {};
        _cleanup_(profile_freep) Profile *p = NULL;
        const char *t = wants_audit[_i].text;

        ck_assert_int_eq(profile_parse_buffer("t.profile", t, strlen(t), PROFILE_LOAD_STRICT, &p, &d), 0);
        ck_assert_msg(profile_wants_audit(p) == wants_audit[_i].wanted, "'%s'", t);
}
END_TEST

START_TEST(test_inherit_errors) {
        static const struct {
                const char *files[3][2];
                const char *load;
                int r;
                const char *diag;
        } cases[] = {
                { { { ETC "a.profile", "[Profile]\nInherit=b\n" }, { ETC "b.profile", "[Profile]\nInherit=a\n" } },
                  "a",
                  -EBADMSG,
                  "/" ETC "b.profile:2: Profile.Inherit: inheritance cycle: 'a' is already being loaded" },
                { { { ETC "s.profile", "\n[Profile]\nInherit=s\n" } },
                  "s",
                  -EBADMSG,
                  "/" ETC "s.profile:3: Profile.Inherit: inheritance cycle: 's' is already being loaded" },
                { { { ETC "m.profile", "[Profile]\nInherit=gone\n" } },
                  "m",
                  -ENOENT,
                  "/" ETC "m.profile:2: Profile.Inherit: no profile 'gone' in the search path" },
                { { { ETC "n.profile", "[Profile]\nInherit=/etc/passwd\n" } },
                  "n",
                  -EBADMSG,
                  "/" ETC "n.profile:2: Profile.Inherit: '/etc/passwd' is not a valid profile name" },
                { { { ETC "x.profile", "[Usr]\nVerity=on\n" } },
                  "nothere",
                  -ENOENT,
                  "no profile 'nothere' in the search path" },
        };

        for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
                _cleanup_(profile_freep) Profile *p = NULL;
                _cleanup_free_ char *text = NULL;
                Fixture f;

                fixture_init(&f, PROFILE_LOAD_STRICT);
                for (size_t j = 0; j < 3 && cases[i].files[j][0]; j++)
                        test_write(f.root, cases[i].files[j][0], cases[i].files[j][1]);
                ck_assert_int_eq(profile_load(&f.o, cases[i].load, &p, &f.diags), cases[i].r);
                ck_assert_ptr_null(p);
                text = diags_text(&f.diags);
                ck_assert_str_eq(text, cases[i].diag);
                fixture_done(&f);
        }
}
END_TEST

START_TEST(test_inherit_depth) {
        _cleanup_(profile_freep) Profile *p = NULL;
        _cleanup_free_ char *text = NULL;
        Fixture f;

        fixture_init(&f, PROFILE_LOAD_STRICT);
        for (int i = 0; i < 10; i++) {
                _cleanup_free_ char *name = strprintf(ETC "p%d.profile", i),
                                    *body = i < 9 ? strprintf("[Profile]\nInherit=p%d\n", i + 1) : strdup("[Profile]\n");
                test_write(f.root, name, body);
        }
        /* p1 … p9 is a chain of 9 profiles: 8 levels of inheritance, the limit. */
        ck_assert_int_eq(profile_load(&f.o, "p1", &p, &f.diags), 0);
        profile_free(TAKE_PTR(p));
        ck_assert_int_eq(profile_load(&f.o, "p0", &p, &f.diags), -EBADMSG);
        text = diags_text(&f.diags);
        ck_assert_str_eq(text, "/" ETC "p8.profile:2: Profile.Inherit: profiles inherit more than 8 levels deep");
        fixture_done(&f);
}
END_TEST

START_TEST(test_root_confinement) {
        _cleanup_(profile_freep) Profile *p = NULL;
        _cleanup_free_ char *link = NULL;
        Fixture f;

        fixture_init(&f, PROFILE_LOAD_STRICT);
        /* An absolute symlink to a file that exists on the host resolves inside the root. */
        test_write(f.root, "etc/hardenctl/real.profile", "[Profile]\nDescription=inside the root\n");
        test_write(f.root, ETC ".keep", "");
        link = path_join(f.root, ETC "escape.profile");
        ck_assert_int_eq(symlink("/etc/hardenctl/real.profile", link), 0);
        ck_assert_int_eq(profile_load(&f.o, "escape", &p, &f.diags), 0);
        ck_assert_str_eq(p->meta.description, "inside the root");
        profile_free(TAKE_PTR(p));
        free(link);

        link = path_join(f.root, ETC "passwd.profile");
        ck_assert_int_eq(symlink("../../../../../../etc/passwd", link), 0);
        ck_assert_int_eq(profile_load(&f.o, "passwd", &p, &f.diags), -ENOENT);
        fixture_done(&f);
}
END_TEST

START_TEST(test_bad_dropins) {
        _cleanup_(profile_freep) Profile *p = NULL;
        _cleanup_free_ char *loop = NULL, *dangling = NULL, *text = NULL;
        Fixture f;

        fixture_init(&f, PROFILE_LOAD_STRICT);
        test_write(f.root, ETC "d.profile", "[Packages]\nForbid=gcc\n");
        test_write(f.root, USR "d.profile.d/.keep", "");
        {
                _cleanup_free_ char *d = path_join(f.root, USR "d.profile.d/10-dir.conf");
                ck_assert_int_eq(mkdir(d, 0755), 0);
        }
        dangling = path_join(f.root, USR "d.profile.d/20-dangling.conf");
        ck_assert_int_eq(symlink("/nowhere", dangling), 0);
        loop = path_join(f.root, ETC "d.profile.d");
        ck_assert_int_eq(symlink("d.profile.d", loop), 0);

        ck_assert_int_eq(profile_load(&f.o, "d", &p, &f.diags), -EBADMSG);
        text = diags_text(&f.diags);
        ck_assert_str_eq(text, "/" ETC "d.profile.d: cannot open drop-in directory: Too many levels of symbolic links\n"
                               "/" USR "d.profile.d/10-dir.conf: cannot open drop-in: Is a directory\n"
                               "/" USR "d.profile.d/20-dangling.conf: cannot open drop-in: No such file or directory");
        for (size_t i = 0; i < f.diags.n; i++)
                ck_assert(f.diags.items[i].file_level);

        /* Lenient: nothing is required, so the profile loads with warnings. */
        profile_diags_done(&f.diags);
        f.o.flags = 0;
        ck_assert_int_eq(profile_load(&f.o, "d", &p, &f.diags), 0);
        ck_assert_uint_eq(f.diags.n, 3);
        ck_assert(!f.diags.items[0].fatal);
        fixture_done(&f);
}
END_TEST

START_TEST(test_unreadable_files) {
        _cleanup_(profile_freep) Profile *p = NULL;
        _cleanup_free_ char *fifo = NULL, *text = NULL, *big = NULL, *secret = NULL;
        Fixture f;

        fixture_init(&f, PROFILE_LOAD_STRICT);
        test_write(f.root, ETC "u.profile", "[Packages]\nForbid=gcc\n");
        test_write(f.root, USR "u.profile.d/.keep", "");
        /* A FIFO must be refused at once, not block the loader; a device node is not even opened. */
        fifo = path_join(f.root, USR "u.profile.d/10-fifo.conf");
        ck_assert_int_eq(mkfifo(fifo, 0644), 0);
        if (geteuid() == 0) {
                _cleanup_free_ char *dev = path_join(f.root, USR "u.profile.d/15-dev.conf");
                ck_assert_int_eq(mknod(dev, S_IFCHR | 0644, makedev(1, 3)), 0);
        }
        /* Larger than the limit. */
        big = malloc(PROFILE_FILE_SIZE_MAX + 2);
        ck_assert_ptr_nonnull(big);
        memset(big, '#', PROFILE_FILE_SIZE_MAX + 1);
        big[PROFILE_FILE_SIZE_MAX + 1] = 0;
        test_write(f.root, USR "u.profile.d/20-big.conf", big);
        /* Not readable by whoever runs the loader. */
        test_write(f.root, USR "u.profile.d/30-secret.conf", "[Packages]\nForbid=x\n");
        secret = path_join(f.root, USR "u.profile.d/30-secret.conf");
        ck_assert_int_eq(chmod(secret, 0), 0);
        /* Root reads anything: load as nobody then, in a child, so that the tree can still be removed. */
        ck_assert_int_eq(chmod(f.root, 0755), 0);
        bool as_root = geteuid() == 0;
        pid_t pid = fork();
        ck_assert_int_ge(pid, 0);
        if (pid == 0) {
                int r;

                if (as_root && (setresgid(65534, 65534, 65534) < 0 || setresuid(65534, 65534, 65534) < 0))
                        _exit(2);
                r = profile_load(&f.o, "u", &p, &f.diags);
                text = diags_text(&f.diags);
                _cleanup_free_ char *want = strprintf(
                        "/" USR "u.profile.d/10-fifo.conf: cannot open drop-in: not a regular file\n"
                        "%s"
                        "/" USR "u.profile.d/20-big.conf: file is larger than 256 KiB\n"
                        "/" USR "u.profile.d/30-secret.conf: cannot open drop-in: Permission denied",
                        as_root ? "/" USR "u.profile.d/15-dev.conf: cannot open drop-in: not a regular file\n" : "");

                if (!want || r != -EBADMSG || !streq(text, want)) {
                        fprintf(stderr, "profile_load() = %d, diagnostics:\n%s\n", r, text);
                        _exit(1);
                }
                _exit(0);
        }
        int status;
        ck_assert_int_eq(waitpid(pid, &status, 0), pid);
        ck_assert(WIFEXITED(status));
        ck_assert_int_eq(WEXITSTATUS(status), 0);
        fixture_done(&f);
}
END_TEST

START_TEST(test_lenient) {
        static const struct {
                const char *text;
                int r;
                size_t fatal;
        } cases[] = {
                /* A bad value in a section nothing requires: skipped. */
                { "[Packages]\nForbid=BAD\n[Kernel]\nSysctl=a.b=1\n", 0, 0 },
                /* The same in a required section: fatal. */
                { "[Usr]\nVerity=required\nOnCorruption=sometimes\n", -EBADMSG, 1 },
                /* An unknown key in a required section: fatal too. */
                { "[Audit]\nImmutable=yes\nImutable=yes\n", -EBADMSG, 1 },
                /* ... but not in one that is not required. */
                { "[Audit]\nImmutable=no\nImutable=yes\n", 0, 0 },
                /* A key that says how strict to be: fatal wherever it is. */
                { "[Usr]\nVerity=mandatory\n", -EBADMSG, 1 },
                { "[SELinux]\nMode=enforcing\nOnUnavailable=fail\nPolicy=bad policy\n", -EBADMSG, 1 },
                /* Duplicate scalars: a warning, the last one wins. */
                { "[Kernel]\nLockdown=none\nLockdown=none\n", 0, 0 },
                /* A line too long in a required section. */
                { "[Etc]\nOverlay=tmpfs\nPersist=@LONG@\n", -EBADMSG, 1 },
        };

        for (size_t i = 0; i < ELEMENTSOF(cases); i++) {
                _cleanup_(profile_diags_done) ProfileDiags d = {};
                _cleanup_(profile_freep) Profile *p = NULL;
                _cleanup_free_ char *text = NULL, *long_word = malloc(5000);
                size_t fatal = 0;

                ck_assert_ptr_nonnull(long_word);
                memset(long_word, 'x', 4999);
                long_word[4999] = 0;
                {
                        const char *at = strstr(cases[i].text, "@LONG@");

                        text = at ? strprintf("%.*s%s%s", (int) (at - cases[i].text), cases[i].text, long_word, at + 6) :
                                    strdup(cases[i].text);
                        ck_assert_ptr_nonnull(text);
                }

                ck_assert_msg(profile_parse_buffer("t.profile", text, strlen(text), 0, &p, &d) == cases[i].r,
                              "case %zu", i);
                for (size_t j = 0; j < d.n; j++)
                        fatal += d.items[j].fatal;
                ck_assert_msg(fatal == cases[i].fatal, "case %zu: %zu fatal", i, fatal);
                ck_assert_msg(d.n > 0, "case %zu: no diagnostics", i);

                /* Strict mode rejects every one of them. */
                profile_free(TAKE_PTR(p));
                profile_diags_done(&d);
                ck_assert_int_eq(profile_parse_buffer("t.profile", text, strlen(text), PROFILE_LOAD_STRICT, &p, &d),
                                 -EBADMSG);
        }
}
END_TEST

START_TEST(test_nul_dropin_lenient) {
        _cleanup_(profile_freep) Profile *p = NULL;
        Fixture f;

        /* A drop-in rejected as a whole is fatal only when some section is required. */
        fixture_init(&f, 0);
        test_write(f.root, ETC "a.profile", "[Packages]\nForbid=gcc\n");
        test_write(f.root, ETC "a.profile.d/x.conf", "[Packages]\nForbid=gdb\n");
        {
                _cleanup_free_ char *path = path_join(f.root, ETC "a.profile.d/x.conf");
                FILE *w = fopen(path, "ae");
                ck_assert_ptr_nonnull(w);
                fputc(0, w);
                fclose(w);
        }
        ck_assert_int_eq(profile_load(&f.o, "a", &p, &f.diags), 0);
        ck_assert(!strv_contains(p->packages.forbid, "gdb"));
        profile_free(TAKE_PTR(p));
        profile_diags_done(&f.diags);

        test_write(f.root, ETC "a.profile", "[Audit]\nImmutable=yes\n");
        ck_assert_int_eq(profile_load(&f.o, "a", &p, &f.diags), -EBADMSG);
        ck_assert_uint_eq(f.diags.n, 1);
        ck_assert(f.diags.items[0].fatal && f.diags.items[0].file_level);
        fixture_done(&f);
}
END_TEST

START_TEST(test_diags_order_and_format) {
        _cleanup_(profile_diags_done) ProfileDiags d = {};
        _cleanup_(profile_freep) Profile *p = NULL;
        _cleanup_free_ char *text = NULL;
        const char *in = "[Usr]\nVerity=required\nVerty=x\n[Foo]\nA=b\n[Usr]\nVerity=off\nbroken\n";

        ck_assert_int_eq(profile_parse_buffer("x.profile", in, strlen(in), PROFILE_LOAD_STRICT, &p, &d), -EBADMSG);
        text = diags_text(&d);
        ck_assert_str_eq(text, "x.profile:3: Usr.Verty: unknown key (did you mean Verity=?)\n"
                               "x.profile:4: [Foo]: unknown section\n"
                               "x.profile:6: [Usr]: section appears again in this file (first at line 1); merge them\n"
                               "x.profile:7: Usr.Verity: assigned more than once in this file (first at line 2)\n"
                               "x.profile:8: [Usr]: missing '=' in assignment");
}
END_TEST

START_TEST(test_by_path) {
        _cleanup_(profile_freep) Profile *p = NULL;
        _cleanup_free_ char *path = NULL, *srcs = NULL;
        Fixture f;

        fixture_init(&f, PROFILE_LOAD_STRICT);
        test_write(f.root, "work/parent.profile", "[Packages]\nForbid=pa\n");
        test_write(f.root, "work/child.profile", "[Profile]\nInherit=parent\n[Packages]\nForbid=pb\n");
        test_write(f.root, "work/child.profile.d/1.conf", "[Packages]\nForbid=pc\n");
        path = path_join(f.root, "work/child.profile");

        ck_assert_int_eq(profile_load(&f.o, path, &p, &f.diags), 0);
        ck_assert_str_eq(p->name, "child");
        ck_assert_uint_eq(strv_length(p->packages.forbid), 3);
        ck_assert_uint_eq(strv_length(p->sources), 3);
        ck_assert(endswith(p->sources[0], "/work/parent.profile"));
        ck_assert(endswith(p->sources[2], "/work/child.profile.d/1.conf"));
        fixture_done(&f);
}
END_TEST

START_TEST(test_list) {
        ProfileEntry *e = NULL;
        size_t n = 0;
        Fixture f;

        fixture_init(&f, 0);
        test_write(f.root, USR "b.profile", "");
        test_write(f.root, USR "a.profile", "");
        test_write(f.root, ETC "b.profile", "");
        test_write(f.root, ETC "not-a-profile.conf", "");
        test_write(f.root, ETC ".hidden.profile", "");
        ck_assert_int_eq(profile_list(&f.o, &e, &n), 0);
        ck_assert_uint_eq(n, 2);
        ck_assert_str_eq(e[0].name, "a");
        ck_assert_str_eq(e[0].path, "/" USR "a.profile");
        ck_assert_str_eq(e[1].name, "b");
        ck_assert_str_eq(e[1].path, "/" ETC "b.profile");
        profile_entries_free(e, n);
        fixture_done(&f);
}
END_TEST

static Suite *suite(void) {
        Suite *s = suite_create("profile-load");
        TCase *tc = tcase_create("core");

        tcase_add_test(tc, test_precedence_and_dropins);
        tcase_add_test(tc, test_inherit);
        tcase_add_test(tc, test_list_drop);
        tcase_add_loop_test(tc, test_typed_values, 0, ELEMENTSOF(typed));
        tcase_add_loop_test(tc, test_wants_audit, 0, ELEMENTSOF(wants_audit));
        tcase_add_test(tc, test_inherit_errors);
        tcase_add_test(tc, test_inherit_depth);
        tcase_add_test(tc, test_root_confinement);
        tcase_add_test(tc, test_bad_dropins);
        tcase_add_test(tc, test_unreadable_files);
        tcase_add_test(tc, test_lenient);
        tcase_add_test(tc, test_nul_dropin_lenient);
        tcase_add_test(tc, test_diags_order_and_format);
        tcase_add_test(tc, test_by_path);
        tcase_add_test(tc, test_list);
        suite_add_tcase(s, tc);
        return s;
}

TEST_MAIN(suite)
