/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fs-util.h"
#include "strv.h"
#include "sysctl-util.h"
#include "tests.h"

START_TEST(test_names) {
        static const struct {
                const char *name, *canonical, *path;
        } t[] = {
                { "kernel.kptr_restrict", "kernel.kptr_restrict", "kernel/kptr_restrict" },
                { "kernel/kptr_restrict", "kernel.kptr_restrict", "kernel/kptr_restrict" },
                { "kernel", "kernel", "kernel" },
                /* sysctl.d(5): a VLAN interface, spelled both ways. */
                { "net.ipv4.conf.enp3s0/200.forwarding", "net.ipv4.conf.enp3s0/200.forwarding",
                  "net/ipv4/conf/enp3s0.200/forwarding" },
                { "net/ipv4/conf/enp3s0.200/forwarding", "net.ipv4.conf.enp3s0/200.forwarding",
                  "net/ipv4/conf/enp3s0.200/forwarding" },
        };
        static const char *const bad[] = {
                "",        ".",       "/",         ".kernel",   "/kernel",
                "kernel.", "kernel/", "kernel..x", "kernel//x", "net/../../etc/shadow",
                "net/./x", "a/..",    "a.b/../c",
        };

        for (size_t i = 0; i < ELEMENTSOF(t); i++) {
                _cleanup_free_ char *c = NULL, *p = NULL;

                ck_assert_int_eq(sysctl_name_normalize(t[i].name, &c), 0);
                ck_assert_str_eq(c, t[i].canonical);
                ck_assert_int_eq(sysctl_name_to_path(t[i].name, &p), 0);
                ck_assert_str_eq(p, t[i].path);
        }
        for (size_t i = 0; i < ELEMENTSOF(bad); i++) {
                char *p = NULL;

                ck_assert_msg(sysctl_name_to_path(bad[i], &p) == -EINVAL, "'%s' accepted as %s", bad[i], strna(p));
                ck_assert_int_eq(sysctl_name_normalize(bad[i], &p), -EINVAL);
        }
}
END_TEST

/* The settings as one string, "key=value|…", to compare with a table. */
static char *settings_join(const SysctlSetting *s, size_t n) {
        _cleanup_strv_free_ char **l = NULL;
        char *j;

        for (size_t i = 0; i < n; i++)
                ck_assert_int_eq(strv_consume(&l, strprintf("%s=%s", s[i].key, s[i].value)), 0);
        j = l ? strv_join(l, "|") : strdup("");
        ck_assert_ptr_nonnull(j);
        return j;
}

/* Each setting once, where it first appears, with its last value, whichever way it is spelled. */
static const struct {
        const char *name;
        char *in[9];
        int r;
        const char *out;
} merge[] = {
        { "none", {}, 0, "" },
        { "one", { "kernel.kptr_restrict=1" }, 0, "kernel.kptr_restrict=1" },
        { "spellings and duplicates",
          { "kernel.kptr_restrict=1", "net.core.bpf_jit_harden=2", "no-equals-sign", "kernel/kptr_restrict=2",
            "net.ipv4.conf.enp3s0/200.forwarding=0", "kernel.kptr_restrict=1", "net/ipv4/conf/enp3s0.200/forwarding=1",
            "kernel.yama.ptrace_scope=3" },
          0,
          "kernel.kptr_restrict=1|net.core.bpf_jit_harden=2|net.ipv4.conf.enp3s0/200.forwarding=1|"
          "kernel.yama.ptrace_scope=3" },
        { "values kept as assigned",
          { "net.ipv4.ip_local_port_range=32768    60999", "a/b==x=" },
          0,
          "net.ipv4.ip_local_port_range=32768    60999|a.b==x=" },
        { "only entries without '='", { "a", "b" }, 0, "" },
        { "an invalid name", { "a.b=1", "../x=2" }, -EINVAL, NULL },
        { "an empty name", { "=1" }, -EINVAL, NULL },
};

START_TEST(test_merge) {
        SysctlSetting *m = NULL;
        size_t n = SIZE_MAX;

        ck_assert_int_eq(sysctl_merge(merge[_i].in, &m, &n), merge[_i].r);
        if (merge[_i].r < 0) {
                ck_assert_ptr_null(m);
                ck_assert_uint_eq(n, SIZE_MAX); /* untouched */
        } else {
                _cleanup_free_ char *j = settings_join(m, n);

                ck_assert_msg(streq(j, merge[_i].out), "%s: %s", merge[_i].name, j);
                ck_assert(!m == (n == 0));
        }
        sysctl_settings_free(m, n == SIZE_MAX ? 0 : n);
}
END_TEST

START_TEST(test_merge_large) {
        /* Many settings, each assigned twice: linear-ish, and still right. */
        _cleanup_strv_free_ char **in = NULL;
        SysctlSetting *m = NULL;
        const size_t n = 20000;
        size_t n_m = 0;

        in = new0(char *, 2 * n + 1);
        ck_assert_ptr_nonnull(in);
        for (size_t i = 0; i < n; i++) {
                ck_assert_ptr_nonnull(in[i] = strprintf("k.s%zu=old", i));
                ck_assert_ptr_nonnull(in[n + i] = strprintf("k/s%zu=%zu", n - 1 - i, n - 1 - i));
        }
        ck_assert_int_eq(sysctl_merge(in, &m, &n_m), 0);
        ck_assert_uint_eq(n_m, n);
        for (size_t i = 0; i < n; i++) {
                _cleanup_free_ char *key = strprintf("k.s%zu", i), *value = strprintf("%zu", i);

                ck_assert_str_eq(m[i].key, key);
                ck_assert_str_eq(m[i].value, value);
        }
        sysctl_settings_free(m, n_m);
}
END_TEST

START_TEST(test_values) {
        char a[] = "\t 4\t4  1\n7 \n", b[] = "", c[] = "  \n";

        ck_assert_str_eq(sysctl_value_normalize(a), "4 4 1 7");
        ck_assert_str_eq(sysctl_value_normalize(b), "");
        ck_assert_str_eq(sysctl_value_normalize(c), "");

        ck_assert(sysctl_value_equal("32768\t60999\n", "32768 60999"));
        ck_assert(sysctl_value_equal("2\n", "2"));
        ck_assert(sysctl_value_equal("", " \n"));
        ck_assert(!sysctl_value_equal("2\n", "20"));
        ck_assert(!sysctl_value_equal("1 2", "12"));
        ck_assert(!sysctl_value_equal("1 2", "1 2 3"));
}
END_TEST

START_TEST(test_read) {
        _cleanup_free_ char *root = test_tmpdir(), *fifo = NULL, *v = NULL, *p = NULL;
        _cleanup_close_ int root_fd = -EBADF, sys_fd = -EBADF;

        test_write(root, "proc/sys/net/ipv4/ip_local_port_range", "32768\t60999\n");
        test_write(root, "proc/sys/net/ipv4/conf/enp3s0.200/forwarding", "1\n");
        test_write(root, "etc/shadow", "secret\n");
        ck_assert_int_eq(symlink("/etc/shadow", fifo = path_join(root, "proc/sys/net/ipv4/link")), 0);
        free(fifo);
        ck_assert_int_eq(mkfifo(fifo = path_join(root, "proc/sys/net/ipv4/fifo"), 0600), 0);
        root_fd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC);
        ck_assert_int_ge(root_fd, 0);

        ck_assert_int_eq(sysctl_read(root_fd, "/proc/sys", "net.ipv4.ip_local_port_range", &v, &p), 0);
        ck_assert_str_eq(v, "32768 60999");
        ck_assert_str_eq(p, "/proc/sys/net/ipv4/ip_local_port_range");
        v = mfree(v);
        ck_assert_int_eq(sysctl_read(root_fd, "/proc/sys", "net/ipv4/conf/enp3s0.200/forwarding", &v, NULL), 0);
        ck_assert_str_eq(v, "1");
        v = mfree(v);

        /* /proc/sys itself as the root. */
        sys_fd = open_in_root(root_fd, "/proc/sys", O_PATH | O_DIRECTORY);
        ck_assert_int_ge(sys_fd, 0);
        ck_assert_int_eq(sysctl_read(sys_fd, "/", "net.ipv4.conf.enp3s0/200.forwarding", &v, NULL), 0);
        ck_assert_str_eq(v, "1");
        v = mfree(v);

        ck_assert_int_eq(sysctl_read(root_fd, "/proc/sys", "kernel.missing", &v, NULL), -ENOENT);
        /* A FIFO is never opened (that would block); a symlink stays inside the root. */
        ck_assert_int_eq(sysctl_read(root_fd, "/proc/sys", "net.ipv4.fifo", &v, NULL), -EBADFD);
        ck_assert_int_eq(sysctl_read(root_fd, "/proc/sys", "net.ipv4", &v, NULL), -EISDIR);
        ck_assert_int_eq(sysctl_read(root_fd, "/proc/sys", "net/../../../etc/shadow", &v, NULL), -EINVAL);
        ck_assert_int_eq(sysctl_read(sys_fd, "/", "net.ipv4.link", &v, NULL), -ENOENT);
        ck_assert_ptr_null(v);

        test_tmpdir_remove(TAKE_PTR(root));
}
END_TEST

static Suite *suite(void) {
        Suite *s = suite_create("sysctl-util");
        TCase *tc = tcase_create("basics");

        tcase_add_test(tc, test_names);
        tcase_add_loop_test(tc, test_merge, 0, ELEMENTSOF(merge));
        tcase_add_test(tc, test_merge_large);
        tcase_add_test(tc, test_values);
        tcase_add_test(tc, test_read);
        suite_add_tcase(s, tc);
        return s;
}

TEST_MAIN(suite)
