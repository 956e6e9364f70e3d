/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* libFuzzer targets that read files of a tree, as check does: the input is written into a scratch root
 * made once per process, and the probe reads it through the bounded reader. FUZZ_TREE_TARGET picks
 * the file and the probe: sshd_config (with its includes), the mount table (mountinfo or fstab). */

#include <fcntl.h>
#include <libmount.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "compliance.h"
#include "fuzz.h"
#include "probe.h"

static char *root;
static int root_fd = -EBADF;

static void scratch_remove(void) {
        static const char *const paths[] = { FUZZ_TREE_PATH, "proc/self", "proc", "etc/ssh", "etc" };

        for (size_t i = 0; i < ELEMENTSOF(paths); i++)
                (void) unlinkat(root_fd, paths[i], i == 0 ? 0 : AT_REMOVEDIR);
        (void) rmdir(root);
}

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
        (void) mkdirat(root_fd, "etc", 0755);
        (void) mkdirat(root_fd, "etc/ssh", 0755);
        (void) mkdirat(root_fd, "proc", 0755);
        (void) mkdirat(root_fd, "proc/self", 0755);
        return atexit(scratch_remove) == 0 ? 0 : -ENOMEM;
}

static int put(const char *path, const uint8_t *data, size_t size) {
        _cleanup_close_ int fd = openat(root_fd, path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0644);

        if (fd < 0)
                return -errno;
        return write(fd, data, size) == (ssize_t) size ? 0 : -EIO;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        _cleanup_(profile_freep) Profile *p = NULL;
        ComplianceReport report = {};
        CheckContext c;

        if (scratch_root() < 0 || !(p = profile_new()))
                abort();
        if (put(FUZZ_TREE_PATH, data, size) < 0 || check_context_init(&c, p, &report, root_fd, root) < 0)
                abort();
#if FUZZ_TREE_SSHD
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
