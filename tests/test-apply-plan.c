/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* hardenctl apply as a library, building the plan: SHA-256, the line diff, and the plan against
 * fixture trees and a made-up live state. Carrying a plan out is in test-apply-execute.c. Nothing here
 * touches the host: files live in a temporary directory, sysctls in a fake /proc/sys tree, and the
 * audit and SELinux state are data. */

#include "apply-fixture.h"
#include "diff.h"
#include "digest.h"
#include "strv.h"

/* ---- the profile digest: paths and texts, through libcrypto */

START_TEST(test_profile_digest) {
        _cleanup_(profile_freep) Profile *p = profile_new(), *q = profile_new();
        _cleanup_free_ char *a = NULL, *b = NULL, *c = NULL;
        char hex[65];

        ck_assert_int_eq(sha256_hex("abc", 3, hex), 0);
        ck_assert_str_eq(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");

        ck_assert_ptr_nonnull(p);
        ck_assert_ptr_nonnull(q);
        ck_assert_int_eq(strv_extend(&p->sources, "/usr/lib/hardenctl/profiles/a.profile"), 0);
        ck_assert_int_eq(profile_digest(p, &a), -EINVAL); /* loaded without the texts */
        ck_assert_int_eq(strv_extend(&p->source_texts, "[Profile]\n"), 0);
        ck_assert_int_eq(profile_digest(p, &a), 0);
        /* sha256 of "/usr/lib/hardenctl/profiles/a.profile\0[Profile]\n\0" */
        ck_assert_str_eq(a, "sha256:e184298d10cd1576a0ca8c3ca70591c3315882d7b1d4f7e22dcedd76af29a33c");
        /* The same text from elsewhere is another profile. */
        ck_assert_int_eq(strv_extend(&q->sources, "/etc/hardenctl/profiles/a.profile"), 0);
        ck_assert_int_eq(strv_extend(&q->source_texts, "[Profile]\n"), 0);
        ck_assert_int_eq(profile_digest(q, &b), 0);
        ck_assert_str_ne(a, b);
        ck_assert_int_eq(profile_digest(p, &c), 0);
        ck_assert_str_eq(a, c);
}
END_TEST

/* The same digests with libcrypto set up for digests alone (check, report and the boot helpers do
 * that), and a second set-up call is harmless. Check runs each test in a process of its own. */
START_TEST(test_digest_crypto_init) {
        _cleanup_(profile_freep) Profile *p = profile_new();
        _cleanup_free_ char *a = NULL;
        char hex[65];

        ck_assert_int_eq(digest_crypto_init(), 0);
        ck_assert_int_eq(digest_crypto_init(), 0);
        ck_assert_int_eq(sha256_hex("abc", 3, hex), 0);
        ck_assert_str_eq(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        ck_assert_ptr_nonnull(p);
        ck_assert_int_eq(strv_extend(&p->sources, "/usr/lib/hardenctl/profiles/a.profile"), 0);
        ck_assert_int_eq(strv_extend(&p->source_texts, "[Profile]\n"), 0);
        ck_assert_int_eq(profile_digest(p, &a), 0);
        ck_assert_str_eq(a, "sha256:e184298d10cd1576a0ca8c3ca70591c3315882d7b1d4f7e22dcedd76af29a33c");
}
END_TEST

/* ---- the diff */

static char *diff_str(const char *a, const char *b) {
        char *buf = NULL;
        size_t size = 0;
        FILE *f = open_memstream(&buf, &size);

        ck_assert_ptr_nonnull(f);
        ck_assert_int_ge(diff_unified(f, a ? "a/x" : "/dev/null", a, b ? "b/x" : "/dev/null", b, 3), 0);
        ck_assert_int_eq(fclose(f), 0);
        return buf;
}

static const struct {
        const char *a, *b, *expected;
} diff_cases[] = {
        { "same\n", "same\n", "" },
        { NULL, "one\ntwo\n", "--- /dev/null\n+++ b/x\n@@ -0,0 +1,2 @@\n+one\n+two\n" },
        { "one\n", NULL, "--- a/x\n+++ /dev/null\n@@ -1 +0,0 @@\n-one\n" },
        { "a\nb\nc\n", "a\nB\nc\n", "--- a/x\n+++ b/x\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n" },
        { "a\n", "a", "--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n+a\n\\ No newline at end of file\n" },
        /* Two changes far apart make two hunks, with three lines of context each. */
        { "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n", "X\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\nY\n",
          "--- a/x\n+++ b/x\n@@ -1,4 +1,4 @@\n-1\n+X\n 2\n 3\n 4\n@@ -9,4 +9,4 @@\n 9\n 10\n 11\n-12\n+Y\n" },
        /* …and close ones share a hunk. */
        { "1\n2\n3\n4\n5\n6\n7\n", "X\n2\n3\n4\n5\n6\nY\n",
          "--- a/x\n+++ b/x\n@@ -1,7 +1,7 @@\n-1\n+X\n 2\n 3\n 4\n 5\n 6\n-7\n+Y\n" },
        { "a\nb\n", "a\nb\nc\n", "--- a/x\n+++ b/x\n@@ -1,2 +1,3 @@\n a\n b\n+c\n" },
        { "x\na\nb\n", "a\nb\n", "--- a/x\n+++ b/x\n@@ -1,3 +1,2 @@\n-x\n a\n b\n" },
};

START_TEST(test_diff_golden) {
        for (size_t i = 0; i < ELEMENTSOF(diff_cases); i++) {
                _cleanup_free_ char *d = diff_str(diff_cases[i].a, diff_cases[i].b);
                ck_assert_msg(streq(d, diff_cases[i].expected), "case %zu:\n%s", i, d);
        }
}
END_TEST

/* Applies a unified diff of ours to a and returns the result: the diff must turn a into b. */
static char *patch(const char *a, const char *d) {
        _cleanup_strv_free_ char **old = NULL;
        _cleanup_free_ char *copy = strdup(a), *dcopy = strdup(d);
        char *out = strdup(""), *p = copy, *line, *q = dcopy;
        size_t pos = 0;

        while ((line = strsep(&p, "\n")))
                if (p)
                        ck_assert_int_eq(strv_extend(&old, line), 0);
        while ((line = strsep(&q, "\n"))) {
                unsigned sa;
                char *t = NULL;

                if (startswith(line, "---") || startswith(line, "+++") || !*line)
                        continue;
                if (startswith(line, "@@ -")) {
                        unsigned ca = 1;
                        size_t start;

                        ck_assert_int_ge(sscanf(line, "@@ -%u,%u", &sa, &ca), 1);
                        start = ca == 0 ? sa : sa - 1; /* an empty range names the line before it */
                        for (; pos < start; pos++)
                                t = strprintf("%s%s\n", out, old[pos]), free(out), out = t;
                        continue;
                }
                if (line[0] == ' ' || line[0] == '+')
                        t = strprintf("%s%s\n", out, line + 1), free(out), out = t;
                if (line[0] == ' ' || line[0] == '-')
                        pos++;
        }
        for (; old && old[pos]; pos++) {
                char *t = strprintf("%s%s\n", out, old[pos]);
                free(out);
                out = t;
        }
        return out;
}

START_TEST(test_diff_random) {
        /* Random texts over a small alphabet of lines, so that there is much to match. */
        srand(4242);
        for (unsigned round = 0; round < 400; round++) {
                _cleanup_free_ char *a = strdup(""), *b = strdup(""), *d = NULL, *got = NULL;
                unsigned na = (unsigned) rand() % 40, nb = (unsigned) rand() % 40;

                for (unsigned i = 0; i < na; i++) {
                        char *t = strprintf("%sl%d\n", a, rand() % 6);
                        free(a);
                        a = t;
                }
                for (unsigned i = 0; i < nb; i++) {
                        char *t = strprintf("%sl%d\n", b, rand() % 6);
                        free(b);
                        b = t;
                }
                d = diff_str(a, b);
                got = patch(a, d);
                ck_assert_msg(streq(got, b), "round %u: patching\n%s\nwith\n%s\ngave\n%s\nnot\n%s", round, a, d, got, b);
        }
}
END_TEST

/* old: N lines; new: every other line changed, so that there are N differences. */
static void every_other(size_t n, char **ret_a, char **ret_b) {
        _cleanup_free_ char *a = NULL, *b = NULL;
        size_t sa = 0, sb = 0;
        FILE *fa = open_memstream(&a, &sa), *fb = open_memstream(&b, &sb);

        ck_assert_ptr_nonnull(fa);
        ck_assert_ptr_nonnull(fb);
        for (size_t i = 0; i < n; i++) {
                fprintf(fa, "-a always,exit -F path=/usr/bin/p%zu -k k\n", i);
                fprintf(fb, i % 2 ? "-w /etc/f%zu -p wa -k k\n" : "-a always,exit -F path=/usr/bin/p%zu -k k\n", i);
        }
        ck_assert_int_eq(fclose(fa), 0);
        ck_assert_int_eq(fclose(fb), 0);
        *ret_a = TAKE_PTR(a);
        *ret_b = TAKE_PTR(b);
}

START_TEST(test_diff_bounded) {
        _cleanup_free_ char *a = NULL, *b = NULL, *d = NULL, *got = NULL;

        /* Few differences: an exact diff, with context. */
        every_other(300, &a, &b);
        d = diff_str(a, b);
        ck_assert(strstr(d, "\n -a always,exit -F path=/usr/bin/p0 -k k\n"));
        ck_assert_str_eq(got = patch(a, d), b);
        a = mfree(a), b = mfree(b), d = mfree(d), got = mfree(got);

        /* Many differences: the trace would need memory quadratic in them; the whole file is replaced
         * instead, still a correct diff. */
        every_other(1200, &a, &b);
        d = diff_str(a, b);
        ck_assert(startswith(d, "--- a/x\n+++ b/x\n@@ -1,1200 +1,1200 @@\n-"));
        ck_assert(!strstr(d, "\n "));
        ck_assert_str_eq(got = patch(a, d), b);
}
END_TEST

/* ---- the plan */

START_TEST(test_plan_image) {
        _cleanup_(profile_freep) Profile *p = load(profile_text);
        _cleanup_(plan_freep) Plan *plan = NULL;
        const PlanFile *f;

        test_write(root, "etc/selinux/config", "# keep\nSELINUX=permissive\n");
        plan = build(p, APPLY_IMAGE, NULL, 0);

        ck_assert_uint_eq(plan->n_live, 0);
        ck_assert(startswith(plan->digest, "sha256:"));
        ck_assert_ptr_nonnull(f = find_file(plan, APPLY_AUDIT_RULES_PATH));
        ck_assert(strstr(f->new, "\n-b 8192\n-w /etc/hosts -p wa -k hosts\n"));
        ck_assert_ptr_nonnull(f = find_file(plan, "/etc/sysctl.d/zz-hardenctl-apply.conf"));
        /* Each key once, the last assignment winning, in the order first seen. */
        ck_assert(strstr(f->new, "\nkernel.kptr_restrict = 2\nnet.core.bpf_jit_harden = 2\nkernel.missing = 1\n"));
        ck_assert(!strstr(f->new, "= 1\nkernel.kptr"));
        ck_assert_ptr_nonnull(f = find_file(plan, "/etc/selinux/config"));
        ck_assert(f->exists);
        ck_assert_str_eq(f->new, "# keep\nSELINUX=enforcing\n");
        ck_assert_ptr_nonnull(f = find_file(plan, "/etc/systemd/system/web.service.d/99-hardenctl-confine.conf"));
        ck_assert(strstr(f->new, "[Service]\nNoNewPrivileges=yes\n"));
        ck_assert_str_eq(f->unit, "web.service");
        ck_assert_ptr_nonnull(f = find_file(plan, "/etc/systemd/system/web.service.d/99-hardenctl-selinux.conf"));
        ck_assert(strstr(f->new, "SELinuxContext=system_u:system_r:httpd_t:s0\n"));
        ck_assert_ptr_nonnull(f = find_file(plan, "/etc/systemd/system/debug-shell.service"));
        ck_assert_int_eq(f->type, PLAN_FILE_SYMLINK);
        ck_assert_str_eq(f->new, "/dev/null");
        ck_assert_ptr_nonnull(f = find_file(plan, "/etc/hardenctl/applied"));
        ck_assert(f->record);
        ck_assert(strstr(f->new, "Applied=2023-11-14T22:13:20Z\n"));
        ck_assert(strstr(f->new, "File=/etc/systemd/system/debug-shell.service\n"));
        ck_assert(!strstr(f->new, "File=/etc/selinux/config"));
        ck_assert_uint_eq(plan->n_files, 7);
}
END_TEST

START_TEST(test_plan_runtime_live) {
        _cleanup_(profile_freep) Profile *p = load(profile_text);
        _cleanup_(plan_freep) Plan *plan = NULL;
        _cleanup_(live_state_done) LiveState live = LIVE_STATE_NULL;
        _cleanup_free_ char *sys = NULL;
        _cleanup_free_ AuditRule *unused = NULL;

        /* A fake /proc/sys: kptr_restrict differs (and its tab-separated neighbour matches). */
        test_write(root, "proc-sys/kernel/kptr_restrict", "0\n");
        test_write(root, "proc-sys/net/core/bpf_jit_harden", "2\n");
        sys = path_join(root, "proc-sys");
        live.proc_sys_fd = open(sys, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        ck_assert_int_ge(live.proc_sys_fd, 0);
        live.audit = true;
        live.audit_status = (AuditStatus){ .enabled = 1, .backlog_limit = 64 };
        live.selinux = 0;
        live.systemd = true;

        plan = build(p, APPLY_RUNTIME, &live, 0);

        /* /run only: no audit rules file, no SELinux config. */
        ck_assert_ptr_null(find_file(plan, APPLY_AUDIT_RULES_PATH));
        ck_assert_ptr_null(find_file(plan, "/etc/selinux/config"));
        ck_assert_ptr_nonnull(find_file(plan, "/run/sysctl.d/zz-hardenctl-apply.conf"));
        ck_assert_ptr_nonnull(find_file(plan, "/run/systemd/system/web.service.d/99-hardenctl-confine.conf"));
        ck_assert_ptr_nonnull(find_file(plan, "/run/hardenctl/applied"));

        ck_assert_uint_eq(count_live(plan, PLAN_AUDIT_BACKLOG_LIMIT), 1);
        ck_assert_uint_eq(count_live(plan, PLAN_AUDIT_RULE), 1);
        ck_assert_uint_eq(count_live(plan, PLAN_SYSCTL), 1);
        ck_assert_uint_eq(count_live(plan, PLAN_SELINUX_MODE), 1);
        ck_assert_uint_eq(count_live(plan, PLAN_DAEMON_RELOAD), 1);
        ck_assert_uint_eq(count_live(plan, PLAN_UNIT_RESTART), 1);
        ck_assert_uint_eq(count_live(plan, PLAN_AUDIT_LOCK), 0);
        for (size_t i = 0; i < plan->n_live; i++)
                if (plan->live[i].type == PLAN_SYSCTL) {
                        ck_assert_str_eq(plan->live[i].name, "kernel.kptr_restrict");
                        ck_assert_str_eq(plan->live[i].old_value, "0");
                        ck_assert_str_eq(plan->live[i].new_value, "2");
                }
        ck_assert(strv_contains(plan->notes, "sysctl kernel.missing does not exist in the running kernel; not set live"));
        plan = plan_free(plan);

        /* A locked audit configuration cannot take new rules: refused before anything changes. */
        live.audit_status.enabled = 2;
        build(p, APPLY_RUNTIME, &live, -EPERM);

        /* Test mode: only rules with the test's key. */
        live.audit_status.enabled = 1;
        live.audit_status.backlog_limit = 8192;
        live.audit_key = "other";
        build(p, APPLY_RUNTIME, &live, -EPERM);
}
END_TEST

START_TEST(test_plan_sysctl_names) {
        /* sysctl.d(5) names: a VLAN interface's dot stays a dot in the path, both spellings are one
         * setting (the last wins), and the kernel's tabs are not a difference. */
        _cleanup_(profile_freep) Profile *p = load("[Kernel]\n"
                                                   "Sysctl=net/ipv4/conf/enp3s0.200/forwarding=0\n"
                                                   "Sysctl=net.ipv4.ip_local_port_range=32768 60999\n"
                                                   "Sysctl=net.ipv4.conf.enp3s0/200.forwarding=1\n");
        _cleanup_(plan_freep) Plan *plan = NULL;
        _cleanup_(live_state_done) LiveState live = LIVE_STATE_NULL;
        _cleanup_free_ char *sys = NULL;
        const PlanFile *f;

        test_write(root, "proc-sys/net/ipv4/conf/enp3s0.200/forwarding", "0\n");
        test_write(root, "proc-sys/net/ipv4/ip_local_port_range", "32768\t60999\n");
        sys = path_join(root, "proc-sys");
        live.proc_sys_fd = open(sys, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        ck_assert_int_ge(live.proc_sys_fd, 0);

        plan = build(p, APPLY_RUNTIME, &live, 0);
        ck_assert_ptr_nonnull(f = find_file(plan, "/run/sysctl.d/zz-hardenctl-apply.conf"));
        ck_assert(strstr(f->new,
                         "\nnet.ipv4.conf.enp3s0/200.forwarding = 1\nnet.ipv4.ip_local_port_range = 32768 60999\n"));
        ck_assert_ptr_null(plan->notes);
        ck_assert_uint_eq(count_live(plan, PLAN_SYSCTL), 1);
        ck_assert_str_eq(plan->live[0].name, "net.ipv4.conf.enp3s0/200.forwarding");
        ck_assert_str_eq(plan->live[0].old_value, "0");
        ck_assert_str_eq(plan->live[0].new_value, "1");

        /* Set live, in the file of the interface, and back. */
        {
                _cleanup_free_ char *v = NULL;
                _cleanup_close_ int fd = -EBADF;

                ck_assert_int_eq(live_sysctl_write(live.proc_sys_fd, plan->live[0].name, "1"), 0);
                fd = openat(live.proc_sys_fd, "net/ipv4/conf/enp3s0.200/forwarding", O_RDONLY | O_CLOEXEC);
                ck_assert_int_ge(fd, 0);
                ck_assert_int_eq(read_full_fd(fd, 64, &v, NULL), 0);
                ck_assert_str_eq(v, "1\n");
        }
}
END_TEST

START_TEST(test_plan_refuses) {
        _cleanup_(profile_freep) Profile *p = load(profile_text);
        _cleanup_free_ char *out = NULL, *target = NULL;

        /* A spec that would forge lines in the record. */
        {
                _cleanup_free_ char *error = NULL;
                PlanContext c = { .scope = APPLY_IMAGE, .root_fd = root_fd, .now_usec = 1 };
                Plan *plan = NULL;

                ck_assert_int_eq(plan_build(p, "/x\nFile=/etc/passwd", &c, &plan, &error), -EINVAL);
                ck_assert_ptr_null(plan);
                ck_assert(strstr(error, "control character"));
                error = mfree(error);
                ck_assert_int_eq(plan_build(p, "/x\tb", &c, &plan, &error), -EINVAL);
        }

        /* A symlinked target is never followed, even when it points inside the root. */
        test_write(root, "etc/elsewhere", "x\n");
        ck_assert_int_eq(mkdir(target = path_join(root, "etc/sysctl.d"), 0755), 0);
        free(target);
        ck_assert_int_eq(symlink("../elsewhere", target = path_join(root, "etc/sysctl.d/zz-hardenctl-apply.conf")), 0);
        build(p, APPLY_IMAGE, NULL, -ELOOP);
        ck_assert_int_eq(unlink(target), 0);

        /* Nor a directory where a file must go. */
        ck_assert_int_eq(mkdir(target, 0755), 0);
        build(p, APPLY_IMAGE, NULL, -EBADFD);
        ck_assert_int_eq(rmdir(target), 0);

        /* A unit file where a mask must go is not replaced. */
        test_write(root, "etc/systemd/system/debug-shell.service", "[Service]\nExecStart=/bin/sh\n");
        build(p, APPLY_IMAGE, NULL, -EEXIST);
}
END_TEST

START_TEST(test_plan_modprobe) {
        _cleanup_(profile_freep) Profile *p = load("[Kernel]\nDenyModule=cramfs usb-storage\nDenyModule=cramfs\n"),
                                         *q = NULL;
        _cleanup_(plan_freep) Plan *plan = NULL;
        _cleanup_free_ char *c = NULL;
        const PlanFile *f;

        /* The deny list: owned and recorded like the sysctl file, in the form hardenctl-kernel writes. */
        plan = build(p, APPLY_IMAGE, NULL, 0);
        ck_assert_ptr_nonnull(f = find_file(plan, "/etc/modprobe.d/50-hardenctl.conf"));
        ck_assert_str_eq(f->new, "# Automatically generated by hardenctl apply from profile t.\n"
                                 "blacklist cramfs\ninstall cramfs /bin/false\n"
                                 "blacklist usb_storage\ninstall usb_storage /bin/false\n");
        ck_assert_ptr_nonnull(f = find_file(plan, "/etc/hardenctl/applied"));
        ck_assert(strstr(f->new, "File=/etc/modprobe.d/50-hardenctl.conf\n"));
        ck_assert_uint_eq(plan->n_files, 2);
        plan = plan_free(plan);

        /* At run time, in /run. */
        {
                _cleanup_(live_state_done) LiveState live = LIVE_STATE_NULL;

                plan = build(p, APPLY_RUNTIME, &live, 0);
                ck_assert_ptr_nonnull(find_file(plan, "/run/modprobe.d/50-hardenctl.conf"));
                ck_assert_ptr_null(find_file(plan, "/etc/modprobe.d/50-hardenctl.conf"));
                plan = plan_free(plan);
        }

        /* Applied: a second plan is empty. */
        apply_or_die(p, "t", NULL, 0, NULL, NULL);
        ck_assert_ptr_nonnull(c = read_below_root("etc/modprobe.d/50-hardenctl.conf"));
        ck_assert(strstr(c, "install usb_storage /bin/false\n"));
        plan = build(p, APPLY_IMAGE, NULL, 0);
        ck_assert_uint_eq(plan_n_changes(plan), 0);
        plan = plan_free(plan);

        /* A profile without DenyModule=: the file goes, as stale... */
        test_write(root, "usr/lib/hardenctl/profiles/q.profile", "[Kernel]\nSysctl=kernel.kptr_restrict=2\n");
        {
                _cleanup_(profile_diags_done) ProfileDiags diags = {};
                ProfileLoadOptions o = { .root_fd = root_fd, .flags = PROFILE_LOAD_KEEP_TEXT };

                ck_assert_int_eq(profile_load(&o, "q", &q, &diags), 0);
        }
        plan = build(q, APPLY_IMAGE, NULL, 0);
        ck_assert_ptr_nonnull(f = find_file(plan, "/etc/modprobe.d/50-hardenctl.conf"));
        ck_assert_ptr_null(f->new);
        plan = plan_free(plan);

        /* ...unless it was edited by hand: then it stays, with a note. */
        test_write(root, "etc/modprobe.d/50-hardenctl.conf", "install cramfs /bin/true\n");
        plan = build(q, APPLY_IMAGE, NULL, 0);
        ck_assert_ptr_null(find_file(plan, "/etc/modprobe.d/50-hardenctl.conf"));
        ck_assert(strv_contains(plan->notes, "/etc/modprobe.d/50-hardenctl.conf is no longer wanted, but it is not as "
                                             "hardenctl apply wrote it; left as it is"));
}
END_TEST

/* A loaded rule, as the kernel would list it: the rule's own data. */
static void live_load(LiveState *live, const char *text) {
        _cleanup_(audit_rule_freep) AuditRule *rule = NULL;
        _cleanup_free_ char *reason = NULL;
        struct audit_rule_data **l, *d;
        size_t size;

        ck_assert_int_eq(audit_rule_parse(text, &rule, &reason), 0);
        size = sizeof(struct audit_rule_data) + rule->data->buflen;
        ck_assert_ptr_nonnull(d = malloc(size));
        memcpy(d, rule->data, size);
        ck_assert_ptr_nonnull(l = reallocarray(live->audit_rules, live->n_audit_rules + 1, sizeof(*l)));
        live->audit_rules = l;
        l[live->n_audit_rules++] = d;
}

static size_t count_deleted(const Plan *p, const char *text) {
        size_t n = 0;
        for (size_t i = 0; i < p->n_live; i++)
                n += p->live[i].type == PLAN_AUDIT_DELETE_RULE && (!text || streq(p->live[i].name, text));
        return n;
}

START_TEST(test_plan_audit_delete_old) {
        _cleanup_(profile_freep) Profile *a = load("[Audit]\nRule=-w /etc/a -p wa -k ka\nRule=-w /etc/b -p wa -k kb\n"),
                                         *b = NULL, *none = NULL;
        _cleanup_(live_state_done) LiveState live = LIVE_STATE_NULL;
        _cleanup_(plan_freep) Plan *plan = NULL;
        _cleanup_free_ char *old = NULL;

        /* An earlier apply wrote rules a and b; the kernel has them, and c, which that file never listed. */
        apply_or_die(a, "t", NULL, 0, NULL, NULL);
        test_write(root, "usr/lib/hardenctl/profiles/b.profile", "[Audit]\nRule=-w /etc/b  -p wa -k kb\n");
        test_write(root, "usr/lib/hardenctl/profiles/none.profile", "[Kernel]\nSysctl=kernel.kptr_restrict=2\n");
        {
                _cleanup_(profile_diags_done) ProfileDiags diags = {};
                ProfileLoadOptions o = { .root_fd = root_fd, .flags = PROFILE_LOAD_KEEP_TEXT };

                ck_assert_int_eq(profile_load(&o, "b", &b, &diags), 0);
                ck_assert_int_eq(profile_load(&o, "none", &none, &diags), 0);
        }
        live.audit = true;
        live.audit_status = (AuditStatus){ .enabled = 1 };
        live_load(&live, "-w /etc/a -p wa -k ka");
        live_load(&live, "-w /etc/b -p wa -k kb");
        live_load(&live, "-w /etc/c -p wa -k kc");

        /* b stays (the profile has it, however spaced); a goes; c is not ours to delete. */
        plan = build(b, APPLY_HOST, &live, 0);
        ck_assert_uint_eq(count_deleted(plan, NULL), 1);
        ck_assert_uint_eq(count_deleted(plan, "-w /etc/a -p wa -k ka"), 1);
        ck_assert_uint_eq(count_live(plan, PLAN_AUDIT_RULE), 0);
        {
                _cleanup_free_ char *d = plan_live_describe(find_live(plan, PLAN_AUDIT_DELETE_RULE));
                ck_assert_str_eq(d, "audit rule deleted (no longer wanted): -w /etc/a -p wa -k ka");
        }
        plan = plan_free(plan);

        /* No [Audit] at all: the file goes as stale, and both its rules with it. */
        plan = build(none, APPLY_HOST, &live, 0);
        ck_assert_ptr_null(find_file(plan, APPLY_AUDIT_RULES_PATH)->new);
        ck_assert_uint_eq(count_deleted(plan, NULL), 2);
        plan = plan_free(plan);

        /* Not loaded any more: nothing to delete. */
        free(live.audit_rules[0]);
        live.audit_rules[0] = live.audit_rules[--live.n_audit_rules];
        plan = build(b, APPLY_HOST, &live, 0);
        ck_assert_uint_eq(count_deleted(plan, NULL), 0);
        plan = plan_free(plan);
        live_load(&live, "-w /etc/a -p wa -k ka");

        /* Test mode: never a rule without the test's key; a locked configuration: nothing. */
        live.audit_key = "kb";
        build(b, APPLY_HOST, &live, -EPERM);
        live.audit_key = NULL;
        live.audit_status.enabled = 2;
        build(b, APPLY_HOST, &live, -EPERM);
        live.audit_status.enabled = 1;

        /* At run time the file in /etc is not replaced: nothing is deleted. */
        plan = build(b, APPLY_RUNTIME, &live, 0);
        ck_assert_uint_eq(count_deleted(plan, NULL), 0);
        plan = plan_free(plan);

        /* A file edited by hand (the header gone) is not ours: its rules are not deleted. */
        ck_assert_ptr_nonnull(old = read_below_root("etc/audit/rules.d/50-hardenctl.rules"));
        test_write(root, "etc/audit/rules.d/50-hardenctl.rules", strchr(old, '\n') + 1);
        plan = build(b, APPLY_HOST, &live, 0);
        ck_assert_ptr_nonnull(find_file(plan, APPLY_AUDIT_RULES_PATH));
        ck_assert_uint_eq(count_deleted(plan, NULL), 0);
}
END_TEST

static Suite *suite(void) {
        Suite *s = suite_create("apply-plan");
        TCase *tc = tcase_create("basics"), *tp = tcase_create("plan");

        tcase_add_test(tc, test_profile_digest);
        tcase_add_test(tc, test_digest_crypto_init);
        tcase_add_test(tc, test_diff_golden);
        tcase_add_test(tc, test_diff_random);
        tcase_add_test(tc, test_diff_bounded);
        suite_add_tcase(s, tc);

        tcase_add_checked_fixture(tp, setup, teardown);
        tcase_add_test(tp, test_plan_image);
        tcase_add_test(tp, test_plan_runtime_live);
        tcase_add_test(tp, test_plan_sysctl_names);
        tcase_add_test(tp, test_plan_refuses);
        tcase_add_test(tp, test_plan_modprobe);
        tcase_add_test(tp, test_plan_audit_delete_old);
        tcase_set_timeout(tp, 120);
        suite_add_tcase(s, tp);
        return s;
}

TEST_MAIN(suite)
