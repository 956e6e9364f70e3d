/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* libFuzzer targets that read files of a tree, as check does: the input is written into a scratch root
 * made once per process (FUZZ_TREE_PATH), and the probe reads it through the bounded reader:
 * sshd_config (with its includes), the mount table (mountinfo or fstab), or, with FUZZ_TREE_RULE, the
 * file a [Benchmark] rule reads (its FUZZ_TREE_ITEMS judged) in a tree where the software it judges is
 * installed and in use (GRUB's defaults, rsyslog's configuration, dconf keyfiles, ufw's rules,
 * journald.conf). */

#include <fcntl.h>
#include <libmount.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "compliance-rules.h"
#include "compliance.h"
#include "fuzz.h"
#include "probe.h"
#include "string-util.h"
#include "strv.h"

static char *root;
static int root_fd = -EBADF;

/* The tree every input goes into, and the input's place in it last: removed in reverse. */
static const char *const tree[] = {
        "etc/",
        "etc/ssh/",
        "proc/",
        "proc/self/",
        "var/",
        "var/lib/",
        "var/lib/dpkg/",
        "var/lib/dpkg/status",
        "etc/systemd/",
        "etc/systemd/system/",
        "etc/systemd/system/multi-user.target.wants/",
        "etc/systemd/system/multi-user.target.wants/rsyslog.service",
        "etc/systemd/system/multi-user.target.wants/ufw.service",
        "etc/default/",
        "etc/dconf/",
        "etc/dconf/profile/",
        "etc/dconf/profile/user",
        "etc/dconf/db/",
        "etc/dconf/db/local.d/",
        "etc/ufw/",
        FUZZ_TREE_PATH,
};

static void scratch_remove(void) {
        for (size_t i = ELEMENTSOF(tree); i > 0; i--)
                (void) unlinkat(root_fd, tree[i - 1], endswith(tree[i - 1], "/") ? AT_REMOVEDIR : 0);
        (void) rmdir(root);
}

static int put(const char *path, const uint8_t *data, size_t size);

static int scratch_root(void) {
        char tmpl[] = "/tmp/hardenctl-fuzz-XXXXXX";

        if (root_fd >= 0)
                return 0;
        if (!mkdtemp(tmpl))
                return -errno;
        root = strdup(tmpl);
        if (!root)
                return -ENOMEM;
        root_fd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (root_fd < 0)
                return -errno;
        for (size_t i = 0; i + 1 < ELEMENTSOF(tree); i++) {
                static const char status[] = "Package: gdm3\nStatus: install ok installed\nVersion: 43.0-3\n\n"
                                             "Package: ufw\nStatus: install ok installed\nVersion: 0.36.2-1\n\n"
                                             "Package: rsyslog\nStatus: install ok installed\nVersion: 8.2302.0-1\n\n";

                if (endswith(tree[i], "/"))
                        (void) mkdirat(root_fd, tree[i], 0755);
                else if (endswith(tree[i], ".service"))
                        (void) symlinkat("/dev/null/unit", root_fd, tree[i]);
                else if (streq(tree[i], "var/lib/dpkg/status"))
                        (void) put(tree[i], (const uint8_t *) status, strlen(status));
                else
                        (void) put(tree[i], (const uint8_t *) "system-db:local\n", strlen("system-db:local\n"));
        }
        return atexit(scratch_remove) == 0 ? 0 : -ENOMEM;
}

static int put(const char *path, const uint8_t *data, size_t size) {
        _cleanup_close_ int fd = openat(root_fd, path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0644);

        if (fd < 0)
                return -errno;
        return write(fd, data, size) == (ssize_t) size ? 0 : -EIO;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        _cleanup_(compliance_report_freep) ComplianceReport *report = new0(ComplianceReport, 1);
        _cleanup_(profile_freep) Profile *p = NULL;
        CheckContext c;

        if (scratch_root() < 0 || !(p = profile_new()) || !report)
                abort();
        if (put(FUZZ_TREE_PATH, data, size) < 0 || check_context_init(&c, p, report, root_fd, root) < 0)
                abort();
#if defined(FUZZ_TREE_RULE)
        const ComplianceRule *rule = compliance_rule_lookup(FUZZ_TREE_RULE);

        if (!rule)
                abort();
        for (const char *i = FUZZ_TREE_ITEMS; *i;) {
                size_t n = strcspn(i, " ");
                _cleanup_free_ char *w = strndup(i, n);

                if (!w || strv_extend(&p->benchmark.cis, w) < 0)
                        abort();
                i += n + strspn(i + n, " ");
        }
        (void) rule->check(&c, rule);
        check_tmp_clear(&c);
#elif FUZZ_TREE_SSHD
        static const char *const keys[] = { "PermitRootLogin", "PasswordAuthentication", "Include", "X11Forwarding" };

        for (size_t i = 0; i < ELEMENTSOF(keys); i++) {
                _cleanup_free_ char *value = NULL, *source = NULL;

                (void) probe_sshd_option(&c, keys[i], &value, &source);
        }
        SshdConfig cfg = {};
        if (probe_sshd_config(&c, &cfg) >= 0)
                for (size_t i = 0; i < ELEMENTSOF(keys); i++)
                        (void) sshd_config_get(&cfg, keys[i]);
        sshd_config_done(&cfg);
#else
        static const char *const paths[] = { "/", "/usr", "/etc", "/run/hardenctl/etc", "/var/tmp/x", "/tmp" };

        for (size_t i = 0; i < ELEMENTSOF(paths); i++) {
                struct libmnt_fs *fs;
                bool exact;

                if (probe_mount_for_path(&c, paths[i], &fs, &exact) >= 0)
                        (void) mnt_fs_get_fs_options(fs);
        }
#endif
        check_context_done(&c);
        return 0;
}
