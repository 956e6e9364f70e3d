/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* The probes of the compliance check against fixture trees made in temporary directories, and the
 * parsers behind them. The rules, the catalog and the report model are in test-compliance-rules.c. */

#include <arpa/inet.h>
#include <libmount.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <limits.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <sys/xattr.h>

#include "copy.h"
#include "compliance-fixture.h"
#include "strv.h"

/* ---- files, sysctls, the command line ---- */

START_TEST(test_sysctl) {
        _cleanup_free_ char *v = NULL, *path = NULL;
        Fixture f;

        fixture_init(&f);
        test_write(f.root, "proc/sys/net/ipv4/tcp_rmem", "4096\t87380   6291456\n");
        test_write(f.root, "etc/shadow", "inside the root\n");
        ck_assert_int_eq(probe_sysctl(&f.c, "net.ipv4.tcp_rmem", &v, &path), 0);
        ck_assert_str_eq(v, "4096 87380 6291456");
        ck_assert_str_eq(path, "/proc/sys/net/ipv4/tcp_rmem");
        free(v);
        v = NULL;
        ck_assert_int_eq(probe_sysctl(&f.c, "kernel.nope", &v, NULL), -ENOENT);
        ck_assert_int_eq(probe_sysctl(&f.c, "../../etc/shadow", &v, NULL), -EINVAL);
        ck_assert_int_eq(probe_sysctl(&f.c, "kernel..x", &v, NULL), -EINVAL);
        fixture_done(&f);
}
END_TEST

/* The listening sockets of the running system: the test's own TCP and UDP sockets, bound to every address
 * on ports the kernel picks, are found (through sock_diag where the test shares PID 1's network
 * namespace, else the socket tables), and one bound to loopback is not. */
START_TEST(test_listening_live) {
        _cleanup_close_ int root_fd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC), t = -EBADF, u = -EBADF, lo = -EBADF;
        _cleanup_(profile_freep) Profile *p = profile_new();
        struct sockaddr_in any = { .sin_family = AF_INET }, loop = { .sin_family = AF_INET };
        socklen_t len = sizeof(any);
        unsigned tport, uport, lport;
        ComplianceReport report = {};
        const ListenSocket *l;
        bool ft = false, fu = false, fl = false;
        CheckContext c;
        size_t n;

        ck_assert_int_ge(root_fd, 0);
        ck_assert_ptr_nonnull(p);
        ck_assert_int_eq(check_context_init(&c, p, &report, root_fd, "/"), 0);
        t = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        u = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        lo = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        ck_assert(t >= 0 && u >= 0 && lo >= 0);
        loop.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        ck_assert_int_eq(bind(t, (struct sockaddr *) &any, sizeof(any)), 0);
        ck_assert_int_eq(bind(u, (struct sockaddr *) &any, sizeof(any)), 0);
        ck_assert_int_eq(bind(lo, (struct sockaddr *) &loop, sizeof(loop)), 0);
        ck_assert_int_eq(listen(t, 1), 0);
        ck_assert_int_eq(listen(lo, 1), 0);
        ck_assert_int_eq(getsockname(t, (struct sockaddr *) &any, &len), 0);
        tport = ntohs(any.sin_port);
        ck_assert_int_eq(getsockname(u, (struct sockaddr *) &any, &len), 0);
        uport = ntohs(any.sin_port);
        ck_assert_int_eq(getsockname(lo, (struct sockaddr *) &loop, &len), 0);
        lport = ntohs(loop.sin_port);

        ck_assert_int_eq(probe_listening(&c, &l, &n), 0);
        for (size_t i = 0; i < n; i++) {
                ft = ft || (streq(l[i].proto, "tcp") && l[i].port == tport && streq(l[i].address, "00000000"));
                fu = fu || (streq(l[i].proto, "udp") && l[i].port == uport);
                fl = fl || (streq(l[i].proto, "tcp") && l[i].port == lport);
        }
        ck_assert(ft && fu && !fl);
        check_context_done(&c);
}
END_TEST

START_TEST(test_symlink_stays_in_root) {
        _cleanup_free_ char *link = NULL, *v = NULL;
        Fixture f;

        fixture_init(&f);
        test_write(f.root, "etc/hostname", "inside\n");
        test_write(f.root, "proc/sys/kernel/placeholder", "x\n");
        link = path_join(f.root, "proc/sys/kernel/hostname");
        ck_assert_int_eq(symlink("/../../../../etc/hostname", link), 0);
        ck_assert_int_eq(probe_sysctl(&f.c, "kernel.hostname", &v, NULL), 0);
        ck_assert_str_eq(v, "inside");
        fixture_done(&f);
}
END_TEST

START_TEST(test_cmdline_has) {
        static const char *cmdline =
                "BOOT_IMAGE=/vmlinuz quiet init_on_alloc=0 init-on-alloc=1 \"dyndbg=a b\" rd.x=1 page_alloc.shuffle=1";
        _cleanup_free_ char *a = NULL;

        ck_assert_int_eq(cmdline_has(cmdline, "quiet", NULL), 1);
        ck_assert_int_eq(cmdline_has(cmdline, "splash", NULL), 0);
        /* The last assignment counts; '-' and '_' are the same in keys. */
        ck_assert_int_eq(cmdline_has(cmdline, "init_on_alloc=1", &a), 1);
        ck_assert_str_eq(a, "1");
        free(a);
        a = NULL;
        ck_assert_int_eq(cmdline_has(cmdline, "init_on_alloc=0", &a), 0);
        ck_assert_str_eq(a, "1");
        ck_assert_int_eq(cmdline_has(cmdline, "dyndbg=a b", NULL), 1);
        ck_assert_int_eq(cmdline_has(cmdline, "x=1", NULL), 0); /* rd. options are for the initrd */
        ck_assert_int_eq(cmdline_has(cmdline, "page_alloc.shuffle=1", NULL), 1);
}
END_TEST

START_TEST(test_env_file_get) {
        static const char *text = "NAME=\"Debian GNU/Linux\"\n# ID=nope\nID=debian\nVERSION_ID='12'  \nID=last\n";
        _cleanup_free_ char *a = NULL, *b = NULL, *c = NULL;

        ck_assert_int_eq(env_file_get(text, "NAME", &a), 0);
        ck_assert_str_eq(a, "Debian GNU/Linux");
        ck_assert_int_eq(env_file_get(text, "VERSION_ID", &b), 0);
        ck_assert_str_eq(b, "12");
        ck_assert_int_eq(env_file_get(text, "ID", &c), 0);
        ck_assert_str_eq(c, "last");
        ck_assert_int_eq(env_file_get(text, "VERSION", &a), -ENXIO);
}
END_TEST

START_TEST(test_lockdown) {
        LockdownMode m;
        Fixture f;

        fixture_init(&f);
        ck_assert_int_eq(probe_lockdown(&f.c, &m), -ENOENT);
        test_write(f.root, "sys/kernel/security/lockdown", "none integrity [confidentiality]\n");
        ck_assert_int_eq(probe_lockdown(&f.c, &m), -ENOENT); /* the check saw none: it reads a file once */
        fixture_recheck(&f);
        ck_assert_int_eq(probe_lockdown(&f.c, &m), 0);
        ck_assert_int_eq(m, LOCKDOWN_CONFIDENTIALITY);
        fixture_done(&f);
}
END_TEST

/* ---- mounts ---- */

START_TEST(test_mounts) {
        struct libmnt_fs *fs;
        bool exact;
        Fixture f;

        fixture_init(&f);
        test_write(f.root, "proc/self/mountinfo",
                   "21 1 254:2 / / rw,relatime shared:1 - ext4 /dev/vda2 rw\n"
                   "22 21 254:1 / /usr ro,nodev,relatime shared:2 - erofs /dev/mapper/usr ro\n"
                   "26 21 0:23 / /tmp rw,nosuid,nodev,noexec shared:6 - tmpfs tmpfs rw\n"
                   "31 26 0:27 / /tmp rw,nosuid,relatime shared:11 - tmpfs tmpfs rw\n"
                   "32 21 0:28 / /var\\040space rw - tmpfs tmpfs rw\n");

        ck_assert_int_eq(probe_mount_for_path(&f.c, "/usr", &fs, &exact), 0);
        ck_assert(exact);
        ck_assert_str_eq(mnt_fs_get_fstype(fs), "erofs");
        ck_assert(mount_has_option(fs, "ro"));
        ck_assert(mount_has_option(fs, "nodev"));
        ck_assert(!mount_has_option(fs, "noexec"));

        /* The last mount on a target is the one in effect. */
        ck_assert_int_eq(probe_mount_for_path(&f.c, "/tmp", &fs, &exact), 0);
        ck_assert(exact);
        ck_assert(!mount_has_option(fs, "noexec"));
        ck_assert(!mount_has_option(fs, "nodev"));

        ck_assert_int_eq(probe_mount_for_path(&f.c, "/usr/share/doc", &fs, &exact), 0);
        ck_assert(!exact);
        ck_assert_str_eq(mnt_fs_get_target(fs), "/usr");
        ck_assert_int_eq(probe_mount_for_path(&f.c, "/home", &fs, &exact), 0);
        ck_assert_str_eq(mnt_fs_get_target(fs), "/");
        ck_assert_int_eq(probe_mount_for_path(&f.c, "/var space", &fs, &exact), 0);
        ck_assert(exact);
        fixture_done(&f);
}
END_TEST

START_TEST(test_mounts_missing) {
        struct libmnt_fs *fs;
        Fixture f;

        fixture_init(&f);
        ck_assert_int_eq(probe_mount_for_path(&f.c, "/usr", &fs, NULL), -ENOENT);
        /* Read once: the cached failure is returned again. */
        test_write(f.root, "proc/self/mountinfo", "21 1 254:2 / / rw - ext4 /dev/vda2 rw\n");
        ck_assert_int_eq(probe_mount_for_path(&f.c, "/usr", &fs, NULL), -ENOENT);
        fixture_done(&f);
}
END_TEST

/* ---- packages ---- */

START_TEST(test_dpkg_parse) {
        static const char *status =
                "Package: zsh\nStatus: install ok installed\nVersion: 5.9-4\n\n"
                "Package: gcc\nStatus: install ok installed\nDescription: x\n Package: fake\nVersion: 4:12.2.0-3\n\n"
                "Package: tcpdump\nStatus: deinstall ok config-files\nVersion: 1\n\n"
                "Package: telnet\nStatus: purge ok not-installed\n\n"
                "Package: libc6\nStatus: install ok installed\nVersion: 2.36\n\n"
                "Package: libc6\nStatus: install ok installed\nVersion: 2.36\n\n"
                "Package: half\nStatus: install reinstreq half-installed\nVersion: 1";
        _cleanup_(dpkg_database_done) DpkgDatabase db = {};

        ck_assert_int_eq(dpkg_parse(status, &db), 0);
        ck_assert_uint_eq(db.n, 4);
        ck_assert_str_eq(db.packages[0].name, "gcc");
        ck_assert_str_eq(dpkg_lookup(&db, "gcc")->version, "4:12.2.0-3");
        ck_assert_ptr_nonnull(dpkg_lookup(&db, "zsh"));
        ck_assert_ptr_nonnull(dpkg_lookup(&db, "half"));
        ck_assert_ptr_null(dpkg_lookup(&db, "tcpdump"));
        ck_assert_ptr_null(dpkg_lookup(&db, "telnet"));
        ck_assert_ptr_null(dpkg_lookup(&db, "fake"));
        ck_assert_ptr_null(dpkg_lookup(&db, "a"));
}
END_TEST

START_TEST(test_dpkg_parse_fields_and_order) {
        _cleanup_(dpkg_database_done) DpkgDatabase db = {};
        _cleanup_free_ char *text = NULL;
        char *buf = NULL;
        size_t size = 0;
        FILE *f = open_memstream(&buf, &size);

        /* Field names are case-insensitive, as dpkg reads them. */
        ck_assert_ptr_nonnull(f);
        fputs("package: lower\nSTATUS: install ok installed\nversion: 1.0\n\n", f);
        fputs("Package: spaced\nStatus:install ok installed\nVersion:2.0\n\n", f);
        fputs("Packages: not-a-package\nStatus: install ok installed\n\n", f);
        /* Many packages, each in two stanzas (as multi-arch packages are): the first one wins. */
        for (unsigned i = 0; i < 500; i++)
                fprintf(f, "Package: p%03u\nStatus: install ok installed\nVersion: first\n\n", (i * 7919) % 500);
        for (unsigned i = 0; i < 500; i++)
                fprintf(f, "Package: p%03u\nStatus: install ok installed\nVersion: second\n\n", (i * 104729) % 500);
        ck_assert_int_eq(fclose(f), 0);
        text = buf;

        ck_assert_int_eq(dpkg_parse(text, &db), 0);
        ck_assert_uint_eq(db.n, 502);
        ck_assert_str_eq(dpkg_lookup(&db, "lower")->version, "1.0");
        ck_assert_str_eq(dpkg_lookup(&db, "spaced")->version, "2.0");
        ck_assert_ptr_null(dpkg_lookup(&db, "not-a-package"));
        for (size_t i = 0; i < db.n; i++)
                if (startswith(db.packages[i].name, "p"))
                        ck_assert_str_eq(db.packages[i].version, "first");
}
END_TEST

START_TEST(test_executable) {
        _cleanup_free_ char *p = NULL, *full = NULL;
        Fixture f;

        fixture_init(&f);
        test_write(f.root, "usr/bin/gdb", "#!/bin/sh\n");
        test_write(f.root, "usr/bin/strace", "data\n");
        full = path_join(f.root, "usr/bin/gdb");
        ck_assert_int_eq(chmod(full, 0755), 0);
        ck_assert_int_eq(probe_executable(&f.c, "gdb", &p), 1);
        ck_assert_str_eq(p, "/usr/bin/gdb");
        ck_assert_int_eq(probe_executable(&f.c, "strace", NULL), 0);
        ck_assert_int_eq(probe_executable(&f.c, "nope", NULL), 0);
        ck_assert_int_eq(probe_executable(&f.c, "../bin/gdb", NULL), -EINVAL);

        /* /bin a directory of its own: looked in as well. */
        test_write(f.root, "bin/telnet", "#!/bin/sh\n");
        free(full);
        full = path_join(f.root, "bin/telnet");
        ck_assert_int_eq(chmod(full, 0755), 0);
        fixture_recheck(&f);
        free(p);
        p = NULL;
        ck_assert_int_eq(probe_executable(&f.c, "telnet", &p), 1);
        ck_assert_str_eq(p, "/bin/telnet");

        /* A merged /usr: /bin is /usr/bin, looked in once, under its /usr name. */
        free(full);
        full = path_join(f.root, "bin");
        ck_assert_int_eq(rm_rf_at(AT_FDCWD, full), 1);
        ck_assert_int_eq(symlink("usr/bin", full), 0);
        fixture_recheck(&f);
        free(p);
        p = NULL;
        ck_assert_int_eq(probe_executable(&f.c, "gdb", &p), 1);
        ck_assert_str_eq(p, "/usr/bin/gdb");
        ck_assert_int_eq(probe_executable(&f.c, "telnet", NULL), 0);
        ck_assert_uint_eq(f.c.exec_dirs_mask, 1U << 3); /* /usr/bin alone */
        fixture_done(&f);
}
END_TEST

/* ---- accounts and sudo ---- */

START_TEST(test_accounts_parse) {
        _cleanup_(accounts_done) Accounts a = {};
        const GroupEntry *g;

        ck_assert_int_eq(accounts_parse("root:x:0:0:root:/root:/bin/bash\n+nis::::::\nbroken:x:a:0::/:/bin/sh\n"
                                        "toor:x:0:0::/root:/bin/sh\nshort:x:5\nalice:x:1000:27:A:/home/a:/bin/bash",
                                        "sudo:x:27:bob,carol\n# comment\nempty:x:5:\n", &a),
                         0);
        ck_assert_uint_eq(a.n_users, 3);
        ck_assert_str_eq(a.users[1].name, "toor");
        ck_assert_uint_eq(a.users[1].uid, 0);
        ck_assert_uint_eq(a.users[2].gid, 27);
        ck_assert_uint_eq(a.n_groups, 2);
        g = accounts_group(&a, "sudo");
        ck_assert_ptr_nonnull(g);
        ck_assert_uint_eq(strv_length(g->members), 2);
        ck_assert_ptr_null(accounts_group(&a, "wheel"));
        ck_assert_ptr_null(accounts_group(&a, "empty")->members);
}
END_TEST

START_TEST(test_sudoers_scan) {
        _cleanup_(sudo_findings_done) SudoFindings s = {};
        _cleanup_strv_free_ char **inc = NULL;

        ck_assert_int_eq(sudoers_scan("/etc/sudoers",
                                      "# NOPASSWD: in a comment\n"
                                      "Defaults env_reset\n"
                                      "alice ALL=(ALL) NOPASSWD: ALL\n"
                                      "bob ALL=(ALL) PASSWD: ALL, NOPASSWDX: /bin/x\n"
                                      "carol ALL=(root) /bin/a, \\\n   NOPASSWD : /bin/b\n"
                                      "Defaults:ci ! authenticate\n"
                                      "Defaults !authenticated_thing\n"
                                      "#1000 ALL=(ALL) NOPASSWD:ALL\n"
                                      "#includedir /etc/sudoers.d\n"
                                      "@include sudoers.local\n",
                                      &s, &inc),
                         0);
        ck_assert_uint_eq(s.n, 4);
        ck_assert_int_eq(s.items[0].kind, SUDO_NOPASSWD);
        ck_assert_uint_eq(s.items[0].line, 3);
        ck_assert_str_eq(s.items[0].text, "alice ALL=(ALL) NOPASSWD: ALL");
        ck_assert_int_eq(s.items[1].kind, SUDO_NOPASSWD);
        ck_assert_uint_eq(s.items[1].line, 5); /* the first line of the continued line */
        ck_assert_int_eq(s.items[2].kind, SUDO_NOT_AUTHENTICATE);
        ck_assert_uint_eq(s.items[2].line, 7);
        ck_assert_uint_eq(s.items[3].line, 9); /* "#1000" is a user id, not a comment */
        ck_assert_uint_eq(strv_length(inc), 2);
        ck_assert_str_eq(inc[0], "/etc/sudoers.d/");
        ck_assert_str_eq(inc[1], "/etc/sudoers.local");
}
END_TEST

START_TEST(test_sudoers_includes) {
        const SudoFindings *s;
        Fixture f;

        fixture_init(&f);
        test_write(f.root, "etc/sudoers", "root ALL=(ALL) ALL\n@includedir /etc/sudoers.d\n");
        test_write(f.root, "etc/sudoers.d/10-a", "a ALL=(ALL) NOPASSWD: ALL\n");
        test_write(f.root, "etc/sudoers.d/skip.conf", "b ALL=(ALL) NOPASSWD: ALL\n");
        test_write(f.root, "etc/sudoers.d/old~", "c ALL=(ALL) NOPASSWD: ALL\n");
        ck_assert_int_eq(probe_sudoers(&f.c, &s), 0);
        ck_assert_uint_eq(s->n, 1);
        ck_assert_str_eq(s->items[0].file, "/etc/sudoers.d/10-a");
        ck_assert_uint_eq(strv_length(s->files), 2);
        fixture_done(&f);
}
END_TEST

START_TEST(test_sshd_option) {
        _cleanup_free_ char *v = NULL, *src = NULL;
        Fixture f;

        fixture_init(&f);
        ck_assert_int_eq(probe_sshd_option(&f.c, "PermitRootLogin", &v, &src), -ENOENT);
        test_write(f.root, "etc/ssh/sshd_config", "Port 22\n#PermitRootLogin yes\nMatch User x\nPermitRootLogin yes\n");
        fixture_recheck(&f);
        ck_assert_int_eq(probe_sshd_option(&f.c, "PermitRootLogin", &v, &src), 0);
        test_write(f.root, "etc/ssh/sshd_config", "Include /etc/ssh/sshd_config.d/*.conf\npermitrootlogin no\n");
        test_write(f.root, "etc/ssh/sshd_config.d/20-b.conf", "PermitRootLogin=yes\n");
        test_write(f.root, "etc/ssh/sshd_config.d/10-a.conf", "# nothing\n");
        test_write(f.root, "etc/ssh/sshd_config.d/30-c.conf", "PermitRootLogin no\n");
        test_write(f.root, "etc/ssh/sshd_config.d/40-d.notconf", "PermitRootLogin no\n");
        /* The first value wins, and included files come where the Include is. */
        fixture_recheck(&f);
        ck_assert_int_eq(probe_sshd_option(&f.c, "PermitRootLogin", &v, &src), 1);
        ck_assert_str_eq(v, "yes");
        ck_assert_str_eq(src, "/etc/ssh/sshd_config.d/20-b.conf");
        fixture_done(&f);
}
END_TEST

/* A device node where a probe expects a file is never opened (opening some devices has effects). */

static ssize_t inotify_drain(int fd) {
        char buf[4096];
        ssize_t n = read(fd, buf, sizeof(buf));

        return n < 0 && errno == EAGAIN ? 0 : n;
}

START_TEST(test_device_nodes_not_opened) {
        _cleanup_free_ char *sudoers = NULL, *incl = NULL, *v = NULL, *src = NULL;
        _cleanup_close_ int in = -EBADF, probe = -EBADF;
        const SudoFindings *s;
        Fixture f;

        fixture_init(&f);
        test_write(f.root, "etc/ssh/sshd_config", "Include /etc/ssh/dev.conf\nPermitRootLogin no\n");
        sudoers = path_join(f.root, "etc/sudoers");
        incl = path_join(f.root, "etc/ssh/dev.conf");
        if (mknod(sudoers, S_IFCHR | 0600, makedev(1, 3)) < 0 || mknod(incl, S_IFCHR | 0600, makedev(1, 3)) < 0) {
                ck_assert_int_eq(errno, EPERM);
                fprintf(stderr, "device nodes cannot be made here (no CAP_MKNOD), not tested\n");
                fixture_done(&f);
                return;
        }
        in = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
        ck_assert_int_ge(in, 0);
        ck_assert_int_ge(inotify_add_watch(in, sudoers, IN_OPEN), 0);
        ck_assert_int_ge(inotify_add_watch(in, incl, IN_OPEN), 0);

        /* Whether an open can be seen here at all: an O_PATH open must not show (older kernels report it),
         * a real one must (on a nodev file system the open fails before it happens). */
        probe = open(sudoers, O_PATH | O_CLOEXEC);
        ck_assert_int_ge(probe, 0);
        probe = safe_close(probe);
        if (inotify_drain(in) == 0) {
                probe = open(sudoers, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
                probe = safe_close(probe);
        }
        if (inotify_drain(in) <= 0) {
                fprintf(stderr, "opens of device nodes cannot be told apart here, not tested\n");
                fixture_done(&f);
                return;
        }

        ck_assert_int_eq(probe_sudoers(&f.c, &s), -EBADFD);
        ck_assert_int_eq(probe_sshd_option(&f.c, "PermitRootLogin", &v, &src), -EBADFD);
        ck_assert_int_eq(probe_read_file(&f.c, "/etc/ssh/dev.conf", 0, &v), -EBADFD);
        ck_assert_int_eq(inotify_drain(in), 0);
        fixture_done(&f);
}
END_TEST

/* ---- drift ---- */

static const DriftEntry *drift_find(const DriftEntry *e, size_t n, const char *path) {
        for (size_t i = 0; i < n; i++)
                if (streq(e[i].path, path))
                        return e + i;
        return NULL;
}

START_TEST(test_drift) {
        char *const expected[] = { "resolv.conf", "NetworkManager", NULL };
        _cleanup_free_ char *wh = NULL, *lnk = NULL, *meta = NULL, *opaque = NULL;
        DriftEntry *e = NULL;
        const DriftEntry *d;
        size_t n = 0;
        bool whiteout, has_xattr;
        Fixture f;

        fixture_init(&f);
        test_write(f.root, "etc/hosts", "127.0.0.1 localhost\n");
        test_write(f.root, "etc/motd", "hello\n");
        test_write(f.root, "etc/issue", "same\n");
        test_write(f.root, "etc/ssh/sshd_config", "PermitRootLogin no\n");
        test_write(f.root, "etc/removed", "x\n");
        test_write(f.root, "etc/opaque/old", "x\n");
        test_write(f.root, "U/hosts", "127.0.0.1 localhost evil\n");
        test_write(f.root, "U/new.conf", "added\n");
        test_write(f.root, "U/issue", "same\n");
        test_write(f.root, "U/resolv.conf", "nameserver 10.0.0.1\n");
        test_write(f.root, "U/NetworkManager/system-connections/x", "y\n");
        test_write(f.root, "U/ssh/sshd_config", "PermitRootLogin yes\n");
        test_write(f.root, "U/opaque/new", "z\n");
        meta = path_join(f.root, "U/issue");
        ck_assert_int_eq(chmod(meta, 0600), 0);
        lnk = path_join(f.root, "U/localtime");
        ck_assert_int_eq(symlink("/usr/share/zoneinfo/UTC", lnk), 0);
        opaque = path_join(f.root, "U/opaque");
        has_xattr = setxattr(opaque, "user.overlay.opaque", "y", 1, 0) >= 0;
        if (!has_xattr)
                ck_assert_int_eq(errno, EOPNOTSUPP); /* user xattrs on tmpfs need Linux 6.6 */
        /* Whiteouts are 0:0 character devices; unprivileged creation needs Linux 5.8. */
        wh = path_join(f.root, "U/removed");
        whiteout = mknod(wh, S_IFCHR | 0, makedev(0, 0)) >= 0;

        ck_assert_int_eq(drift_read(f.root_fd, "/U", "/etc", expected, &e, &n), 0);

        d = drift_find(e, n, "hosts");
        ck_assert_ptr_nonnull(d);
        ck_assert_int_eq(d->kind, DRIFT_MODIFIED);
        ck_assert_int_eq(d->type, 'f');
        ck_assert(!d->expected);
        ck_assert(startswith(d->digest, "sha256:") && strlen(d->digest) == 7 + 64);
        d = drift_find(e, n, "new.conf");
        ck_assert_ptr_nonnull(d);
        ck_assert_int_eq(d->kind, DRIFT_ADDED);
        /* sha256("added\n") */
        ck_assert_str_eq(d->digest, "sha256:3428719b7688c78a0cc8ba4b9e80b4e464c815fbccfd4b20695a15ffcefc22af");
        d = drift_find(e, n, "issue");
        ck_assert_ptr_nonnull(d);
        ck_assert_int_eq(d->kind, DRIFT_METADATA_ONLY);
        ck_assert_uint_eq(d->mode, 0600);
        d = drift_find(e, n, "resolv.conf");
        ck_assert_ptr_nonnull(d);
        ck_assert(d->expected);
        d = drift_find(e, n, "NetworkManager/system-connections/x");
        ck_assert_ptr_nonnull(d);
        ck_assert(d->expected); /* a pattern on a directory covers what is below it */
        d = drift_find(e, n, "ssh/sshd_config");
        ck_assert_ptr_nonnull(d);
        ck_assert_int_eq(d->kind, DRIFT_MODIFIED);
        ck_assert_ptr_null(drift_find(e, n, "ssh")); /* only there to hold the change below it */
        d = drift_find(e, n, "localtime");
        ck_assert_ptr_nonnull(d);
        ck_assert_int_eq(d->type, 'l');
        ck_assert_int_eq(d->kind, DRIFT_ADDED);
        d = drift_find(e, n, "opaque");
        ck_assert_ptr_nonnull(d);
        if (has_xattr)
                ck_assert_int_eq(d->kind, DRIFT_OPAQUE);
        if (whiteout) {
                d = drift_find(e, n, "removed");
                ck_assert_ptr_nonnull(d);
                ck_assert_int_eq(d->kind, DRIFT_DELETED);
                ck_assert_int_eq(d->type, 'c');
                ck_assert_ptr_null(d->digest);
        } else
                fprintf(stderr, "whiteouts cannot be created here, not tested\n");
        /* Sorted by path. */
        for (size_t i = 1; i < n; i++)
                ck_assert_int_lt(strcmp(e[i - 1].path, e[i].path), 0);
        drift_entries_free(e, n);

        /* Without the lower layer, the overlay's own marks decide: no origin mark means added. */
        ck_assert_int_eq(drift_read(f.root_fd, "/U", NULL, NULL, &e, &n), 0);
        ck_assert_int_eq(drift_find(e, n, "hosts")->kind, DRIFT_ADDED);
        drift_entries_free(e, n);

        ck_assert_int_eq(drift_read(f.root_fd, "/nope", "/etc", NULL, &e, &n), -ENOENT);
        fixture_done(&f);
}
END_TEST

/* A metadata-only copy-up (metacopy=on) is a sparse stub in the upper dir: metadata-only, with the
 * digest of the lower file when it can be reached, and none when it cannot. */
START_TEST(test_drift_metacopy) {
        _cleanup_free_ char *stub = NULL, *want = NULL;
        char hex[65];
        DriftEntry *e = NULL;
        const DriftEntry *d;
        size_t n = 0;
        Fixture f;

        fixture_init(&f);
        test_write(f.root, "etc/meta.conf", "lower content\n");
        test_write(f.root, "U/meta.conf", "");
        stub = path_join(f.root, "U/meta.conf");
        ck_assert_int_eq(truncate(stub, 14), 0);
        ck_assert_int_eq(chmod(stub, 0600), 0);
        if (setxattr(stub, "user.overlay.metacopy", "", 0, 0) < 0) {
                ck_assert_int_eq(errno, EOPNOTSUPP); /* user xattrs on tmpfs need Linux 6.6 */
                fprintf(stderr, "user xattrs not supported here, metacopy not tested\n");
                fixture_done(&f);
                return;
        }
        ck_assert_int_eq(sha256_hex("lower content\n", 14, hex), 0);
        want = strprintf("sha256:%s", hex);

        ck_assert_int_eq(drift_read(f.root_fd, "/U", "/etc", NULL, &e, &n), 0);
        d = drift_find(e, n, "meta.conf");
        ck_assert_ptr_nonnull(d);
        ck_assert_int_eq(d->kind, DRIFT_METADATA_ONLY);
        ck_assert_str_eq(d->digest, want);
        ck_assert_uint_eq(d->mode, 0600);
        drift_entries_free(e, n);

        ck_assert_int_eq(drift_read(f.root_fd, "/U", NULL, NULL, &e, &n), 0);
        d = drift_find(e, n, "meta.conf");
        ck_assert_int_eq(d->kind, DRIFT_METADATA_ONLY);
        ck_assert_ptr_null(d->digest);
        drift_entries_free(e, n);
        fixture_done(&f);
}
END_TEST

/* A symlink's digest covers its whole target, however long. */
START_TEST(test_drift_long_symlink) {
        _cleanup_free_ char *target = malloc(PATH_MAX), *lnk = NULL, *want = NULL;
        char hex[65];
        DriftEntry *e = NULL;
        size_t n = 0;
        Fixture f;

        fixture_init(&f);
        ck_assert_ptr_nonnull(target);
        /* The longest target symlink() accepts: PATH_MAX - 1 bytes. */
        for (size_t i = 0; i < PATH_MAX - 1; i++)
                target[i] = i % 64 == 63 ? '/' : 'a' + i % 26;
        target[PATH_MAX - 1] = 0;
        test_write(f.root, "U/.keep", "");
        lnk = path_join(f.root, "U/long");
        ck_assert_int_eq(symlink(target, lnk), 0);
        ck_assert_int_eq(sha256_hex(target, PATH_MAX - 1, hex), 0);
        want = strprintf("sha256:%s", hex);
        ck_assert_int_eq(drift_read(f.root_fd, "/U", NULL, NULL, &e, &n), 0);
        ck_assert_str_eq(drift_find(e, n, "long")->digest, want);
        drift_entries_free(e, n);
        fixture_done(&f);
}
END_TEST

/* Entries removed while the upper dir is walked are skipped; the walk does not fail as if the upper dir
 * were missing. Files go away in another process while the walk runs again and again. */
START_TEST(test_drift_vanishing) {
        enum { N = 2000 };
        unsigned walks = 0;
        pid_t pid;
        Fixture f;

        fixture_init(&f);
        for (unsigned i = 0; i < N; i++) {
                _cleanup_free_ char *u = strprintf("U/d%u/f%04u", i % 10, i), *l = strprintf("etc/d%u/f%04u", i % 10, i);

                test_write(f.root, u, "changed\n");
                if (i % 2)
                        test_write(f.root, l, "original\n");
        }
        pid = fork();
        ck_assert_int_ge(pid, 0);
        if (pid == 0) {
                for (unsigned i = 0; i < N; i++) {
                        _cleanup_free_ char *u = strprintf("%s/U/d%u/f%04u", f.root, i % 10, i),
                                            *l = strprintf("%s/etc/d%u/f%04u", f.root, i % 10, i);

                        (void) unlink(u);
                        (void) unlink(l);
                }
                for (unsigned i = 0; i < 10; i++) {
                        _cleanup_free_ char *d = strprintf("%s/U/d%u", f.root, i);
                        (void) rmdir(d);
                }
                _exit(0);
        }
        for (;;) {
                DriftEntry *e = NULL;
                size_t n = 0;
                int status, r;

                r = drift_read(f.root_fd, "/U", "/etc", NULL, &e, &n);
                ck_assert_msg(r == 0, "drift_read() failed while entries vanished: %s", strerror(-r));
                drift_entries_free(e, n);
                walks++;
                if (waitpid(pid, &status, WNOHANG) == pid) {
                        ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
                        break;
                }
        }
        fprintf(stderr, "%u walks while %u files vanished\n", walks, N);
        fixture_done(&f);
}
END_TEST

static Suite *make_suite(void) {
        Suite *s = suite_create("compliance-probes");
        TCase *tc = tcase_create("core");

        tcase_add_test(tc, test_sysctl);
        tcase_add_test(tc, test_symlink_stays_in_root);
        tcase_add_test(tc, test_cmdline_has);
        tcase_add_test(tc, test_env_file_get);
        tcase_add_test(tc, test_lockdown);
        tcase_add_test(tc, test_mounts);
        tcase_add_test(tc, test_mounts_missing);
        tcase_add_test(tc, test_dpkg_parse);
        tcase_add_test(tc, test_dpkg_parse_fields_and_order);
        tcase_add_test(tc, test_executable);
        tcase_add_test(tc, test_accounts_parse);
        tcase_add_test(tc, test_sudoers_scan);
        tcase_add_test(tc, test_sudoers_includes);
        tcase_add_test(tc, test_sshd_option);
        tcase_add_test(tc, test_device_nodes_not_opened);
        tcase_add_test(tc, test_drift);
        tcase_add_test(tc, test_drift_vanishing);
        tcase_add_test(tc, test_drift_long_symlink);
        tcase_add_test(tc, test_drift_metacopy);
        tcase_add_test(tc, test_listening_live);
        suite_add_tcase(s, tc);
        return s;
}

TEST_MAIN(make_suite)
