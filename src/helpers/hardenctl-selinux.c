/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* hardenctl-selinux: puts the boot profile's [SELinux] Mode= in force.
 *
 *   hardenctl-selinux config ROOT   in the initrd, once ROOT (/sysroot) and its /etc are mounted: makes
 *                                   ROOT/etc/selinux/config say SELINUX=<Mode> (and SELINUXTYPE=<Policy>)
 *                                   before PID 1 reads it when it loads the policy; other lines are kept.
 *   hardenctl-selinux enforce       in the main system: sets the running mode through libselinux
 *                                   (security_setenforce()). When the kernel runs without SELinux,
 *                                   OnUnavailable=fail fails, warn warns.
 */

#include <fcntl.h>
#include <selinux/selinux.h>
#include <sys/stat.h>

#include "atomic-file.h"
#include "boot.h"
#include "fs-util.h"
#include "label-util.h"
#include "log.h"
#include "selinux-config.h"
#include "string-util.h"
#include "strv.h"
#include "verbs.h"

static int verb_config(int argc, char *argv[]) {
        const char *root = argv[1];
        _cleanup_(profile_freep) Profile *p = NULL;
        _cleanup_close_ int root_fd = -EBADF, dir = -EBADF, old_fd = -EBADF;
        _cleanup_free_ char *old = NULL, *text = NULL;
        _cleanup_(atomic_file_done) AtomicFile a = ATOMIC_FILE_NULL;
        size_t n = 0;
        int r, fd;

        r = boot_profile_load_full(BOOT_LOAD_UNTYPED, &p);
        if (r <= 0)
                return r;
        if (p->selinux.mode < 0)
                return 0;

        root_fd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (root_fd < 0)
                return log_error_errno(errno, "Cannot open %s: %m", root);
        dir = open_in_root(root_fd, "/etc/selinux", O_RDONLY | O_DIRECTORY);
        if (dir < 0)
                return log_error_errno(dir, "Cannot open %s/etc/selinux: %m", root);

        /* Kept open: the new file gets the old one's SELinux label. */
        old_fd = openat(dir, "config", O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY);
        if (old_fd >= 0) {
                r = read_full_fd(old_fd, SELINUX_CONFIG_SIZE_MAX, &old, &n);
                if (r < 0)
                        return log_error_errno(r, "Cannot read %s/etc/selinux/config: %m", root);
        } else if (errno != ENOENT)
                return log_error_errno(errno, "Cannot open %s/etc/selinux/config: %m", root);

        /* Keep every line but SELINUX= and SELINUXTYPE=, which are replaced in place (or added). */
        r = selinux_config_update(old, &p->selinux, &text);
        if (r < 0)
                return log_oom();

        if (old && streq(old, text))
                return 0;

        fd = atomic_file_open(&a, dir, "config", 0644);
        if (fd < 0)
                return log_error_errno(fd, "Cannot write %s/etc/selinux/config: %m", root);
        r = write_all(fd, text, strlen(text));
        if (r >= 0 && old_fd >= 0) {
                /* A new inode would otherwise come up unlabeled, and confined readers of the file
                 * (libselinux in every process that asks for the mode) be denied. */
                r = fd_copy_selinux_label(old_fd, fd);
                if (r < 0)
                        return log_error_errno(
                                r,
                                "Cannot give the new %s/etc/selinux/config the old one's SELinux label, leaving it unchanged: %m",
                                root);
        }
        if (r >= 0)
                r = atomic_file_commit(&a, "config", 0);
        if (r < 0)
                return log_error_errno(r, "Cannot write %s/etc/selinux/config: %m", root);
        log_info("%s/etc/selinux/config now says SELINUX=%s.", root, selinux_mode_to_string(p->selinux.mode));
        return 0;
}

static int verb_enforce(int argc, char *argv[]) {
        _cleanup_(profile_freep) Profile *p = NULL;
        bool fail = false;
        int r, cur;

        r = boot_profile_load_full(BOOT_LOAD_UNTYPED, &p);
        if (r <= 0)
                return r;
        if (p->selinux.mode < 0)
                return 0;
        fail = p->selinux.on_unavailable == UNAVAILABLE_FAIL;

        if (is_selinux_enabled() <= 0) {
                if (p->selinux.mode == SELINUX_DISABLED)
                        return 0;
                if (fail)
                        return log_error_errno(
                                -EOPNOTSUPP,
                                "SELinux is not enabled in the kernel, but the profile requires Mode=%s (OnUnavailable=fail).",
                                selinux_mode_to_string(p->selinux.mode));
                log_warning("SELinux is not enabled in the kernel; the profile asks for Mode=%s (OnUnavailable=warn).",
                            selinux_mode_to_string(p->selinux.mode));
                return 0;
        }

        if (p->selinux.mode == SELINUX_DISABLED) {
                log_full(fail ? LOG_ERR : LOG_WARNING,
                         "SELinux is running, but the profile says Mode=disabled: that takes effect at the next boot.");
                return fail ? -EBUSY : 0;
        }

        cur = security_getenforce();
        if (cur < 0)
                return log_error_errno(errno, "Cannot read the SELinux mode: %m");
        if (cur == (p->selinux.mode == SELINUX_ENFORCING))
                return 0;

        if (security_setenforce(p->selinux.mode == SELINUX_ENFORCING) < 0)
                return log_error_errno(errno, "Cannot switch SELinux to %s: %m", selinux_mode_to_string(p->selinux.mode));
        log_info("SELinux switched to %s.", selinux_mode_to_string(p->selinux.mode));
        return 0;
}

static const Verb verbs[] = {
        { "config", 1, 1, verb_config, "ROOT" },
        { "enforce", 0, 0, verb_enforce, "" },
};

static const VerbTable verb_table = {
        .verbs = verbs,
        .n_verbs = ELEMENTSOF(verbs),
};

int main(int argc, char *argv[]) {
        int r;

        log_set_prefix("hardenctl-selinux");
        log_parse_environment();

        r = verbs_dispatch(&verb_table, argc - 1, argv + 1, 0);
        return r < 0 ? EXIT_FAILURE : EXIT_SUCCESS;
}
