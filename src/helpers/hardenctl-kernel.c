/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* hardenctl-kernel: puts the boot profile's [Kernel] section in force.
 *
 *   hardenctl-kernel early   before systemd-modules-load.service and udev: writes the modules of
 *                            DenyModule= to /run/modprobe.d/zz-hardenctl.conf (blacklisted, and an
 *                            "install" that refuses them), raises the kernel lockdown to Lockdown=, and
 *                            with ModuleLoading=signed turns on module signature enforcement
 *                            (/sys/module/module/parameters/sig_enforce, which can only be turned on).
 *   hardenctl-kernel late    after systemd-sysctl.service and systemd-modules-load.service: writes the
 *                            Sysctl= settings, so that sysctl.d files cannot override them, and the same
 *                            settings to /run/sysctl.d/zz-hardenctl.conf, so that a later run of
 *                            systemd-sysctl applies them last as well; with ModuleLoading=locked it sets
 *                            kernel.modules_disabled=1 last.
 *
 * Every path is below $HARDENCTL_ROOT (for tests), or "/". A setting that cannot be applied is
 * logged and fails the unit; the rest are still applied. */

#include <fcntl.h>
#include <selinux/label.h>
#include <selinux/selinux.h>
#include <sys/stat.h>

#include "atomic-file.h"
#include "boot.h"
#include "fs-util.h"
#include "kernel-util.h"
#include "log.h"
#include "string-util.h"
#include "strv.h"
#include "sysctl-util.h"
#include "verbs.h"

#define SYSCTL_D_NAME "zz-hardenctl.conf"
#define MODPROBE_D_NAME "zz-hardenctl.conf"

static int root_fd = -EBADF;

/* Writes value to a /proc or /sys file below the root, as one write(). */
static int write_setting(const char *path, const char *value) {
        _cleanup_close_ int fd = open_in_root(root_fd, path, O_WRONLY | O_TRUNC | O_NOCTTY | O_NOFOLLOW);
        size_t n = strlen(value);
        ssize_t k;

        if (fd < 0)
                return fd;
        k = write(fd, value, n);
        if (k < 0)
                return -errno;
        return (size_t) k == n ? 0 : -EIO;
}

static int apply_lockdown(const Profile *p) {
        const char *mode = lockdown_mode_to_string(p->kernel.lockdown);
        int r;

        if (p->kernel.lockdown <= LOCKDOWN_NONE)
                return 0;

        /* Lockdown can only be raised at run time; writing the current or a lower mode is refused. */
        r = write_setting("/sys/kernel/security/lockdown", mode);
        if (r == -EPERM || r == -EINVAL) {
                _cleanup_free_ char *cur = NULL;
                _cleanup_close_ int fd = open_in_root(root_fd, "/sys/kernel/security/lockdown", O_RDONLY);
                size_t n;

                /* Already at the wanted level or above is fine. */
                if (fd >= 0 && read_full_fd(fd, 4096, &cur, &n) >= 0 && kernel_lockdown_parse(cur) >= p->kernel.lockdown)
                        return 0;
        }
        if (r < 0)
                return log_error_errno(r, "Failed to raise kernel lockdown to %s: %m", mode);
        log_info("Kernel lockdown raised to %s.", mode);
        return 0;
}

/* The label the policy's file contexts give a file of type mode at like_path (in /etc), or NULL when
 * SELinux is off or the policy names none. Returns 1 with *ret set, 0 without, or a negative errno. */
static int like_label(const char *like_path, mode_t mode, char **ret) {
        struct selabel_handle *h;
        int r = 0;

        *ret = NULL;
        if (!like_path || is_selinux_enabled() <= 0)
                return 0;
        h = selabel_open(SELABEL_CTX_FILE, NULL, 0);
        if (!h)
                return log_warning_errno(errno, "Cannot open the SELinux file contexts, %s stays unlabelled: %m",
                                         like_path);
        if (selabel_lookup(h, ret, like_path, mode) >= 0)
                r = 1;
        selabel_close(h);
        return r;
}

/* Confined readers under SELinux (modprobe as kmod_t, systemd-sysctl) read only files labelled as their
 * configuration; a file created in /run takes the run-time label of whoever creates it, and they would
 * be denied it. Files are created with the label a file at like_path in /etc would have. Returns 1 if
 * it set a creation label (undo with setfscreatecon(NULL)), 0 if there is none to set. */
static int fscreate_label_begin(const char *like_path, mode_t mode) {
        char *con = NULL;
        int r;

        r = like_label(like_path, mode, &con);
        if (r <= 0)
                return r;
        r = setfscreatecon(con) < 0 ? -errno : 1;
        if (r < 0)
                log_warning_errno(r, "Cannot label a new file as %s: %m", con);
        freecon(con);
        return r;
}

/* The directory /run/DIR, labelled as like_dir (its twin in /etc) would be. It may be older than the
 * SELinux policy: made in the initrd (Debian 13's initrd makes /run/modprobe.d), it is labelled as the
 * tmpfs itself, and modprobe is denied reading it, so that nothing in it counts. Such a label is set
 * right here. Returns an fd of the directory, or a negative errno (logged). */
static int open_run_dir(const char *path, const char *like_dir) {
        _cleanup_close_ int fd = -EBADF;
        char *want = NULL, *have = NULL;
        int r;

        r = fscreate_label_begin(like_dir, S_IFDIR);
        (void) mkdirat(root_fd, path + 1, 0755);
        if (r > 0)
                (void) setfscreatecon(NULL);
        fd = open_in_root(root_fd, path, O_RDONLY | O_DIRECTORY);
        if (fd < 0)
                return log_error_errno(fd, "Failed to open %s: %m", path);

        if (like_label(like_dir, S_IFDIR, &want) > 0 && fgetfilecon(fd, &have) >= 0 && !streq(want, have)) {
                if (fsetfilecon(fd, want) < 0)
                        log_warning_errno(errno, "%s is labelled %s, and cannot be labelled %s as %s is: %m", path,
                                          have, want, like_dir);
                else
                        log_info("Labelled %s as %s (it was %s), as %s is.", path, want, have, like_dir);
        }
        freecon(want);
        freecon(have);
        return TAKE_FD(fd);
}

/* Writes /run/DIR/NAME (below the root) with text, complete or not at all: a temporary file in the same
 * directory, synced, renamed into place; labelled as a file at like_dir/NAME would be, and the
 * directory as like_dir (see above). */
static int write_run_file(const char *dir, const char *name, const char *text, const char *like_dir) {
        _cleanup_free_ char *path = strprintf("/run/%s", dir), *like_path = strprintf("%s/%s", like_dir, name);
        _cleanup_close_ int dir_fd = -EBADF;
        _cleanup_(atomic_file_done) AtomicFile a = ATOMIC_FILE_NULL; /* after dir_fd: cleaned up first */
        int fd;
        size_t n = strlen(text);
        bool labelled;
        int r;

        if (!path || !like_path)
                return log_oom();

        dir_fd = open_run_dir(path, like_dir);
        if (dir_fd < 0)
                return dir_fd;

        labelled = fscreate_label_begin(like_path, S_IFREG) > 0;
        fd = atomic_file_open(&a, dir_fd, name, 0644);
        if (fd == -EACCES && labelled) {
                log_warning_errno(fd, "The policy does not allow labelling %s/%s as %s, writing it unlabelled: %m",
                                  path, name, like_path);
                (void) setfscreatecon(NULL);
                labelled = false;
                fd = atomic_file_open(&a, dir_fd, name, 0644);
        }
        if (labelled)
                (void) setfscreatecon(NULL);
        if (fd < 0)
                return log_error_errno(fd, "Failed to create a temporary file for %s/%s: %m", path, name);
        r = write_all(fd, text, n);
        if (r >= 0)
                r = atomic_file_commit(&a, name, 0);
        if (r < 0)
                return log_error_errno(r, "Failed to write %s/%s: %m", path, name);
        return 0;
}

static int write_modprobe(const Profile *p) {
        _cleanup_free_ char *text = NULL;
        int r;

        if (!p->kernel.deny_modules)
                return 0;

        r = modprobe_deny_text("# Automatically generated by hardenctl-kernel from " BOOT_PROFILE_PATH "\n",
                               p->kernel.deny_modules, &text);
        if (r < 0)
                return log_oom();

        /* Not the name hardenctl apply gives its file in /etc/modprobe.d: kmod reads only the first file
         * of a name in /etc, /run, /usr/lib, so the same name would hide one of the two. */
        r = write_run_file("modprobe.d", MODPROBE_D_NAME, text, "/etc/modprobe.d");
        if (r < 0)
                return r;
        log_info("Denied %zu kernel modules.", strv_length(p->kernel.deny_modules));
        return 0;
}

/* ModuleLoading=signed: the kernel parameter module.sig_enforce can be turned on at run time, never
 * off. It exists only in kernels built with module signing support. */
static int enforce_module_signatures(const Profile *p) {
        int r;

        if (p->kernel.module_loading != MODULES_SIGNED)
                return 0;

        r = write_setting("/sys/module/module/parameters/sig_enforce", "1\n");
        if (r == -ENOENT)
                return log_error_errno(r,
                                       "ModuleLoading=signed, but this kernel cannot enforce module signatures "
                                       "(no /sys/module/module/parameters/sig_enforce: built without module signing).");
        if (r < 0)
                return log_error_errno(r, "Failed to enforce module signatures: %m");
        log_info("Only signed kernel modules can be loaded from now on.");
        return 0;
}

/* The Sysctl= settings as a sysctl.d file. Its name sorts after the usual ones (NN-*.conf), and
 * systemd-sysctl applies the files of all its directories in the order of their names, so ours come
 * last whenever it runs again. */
static int write_sysctl_d(const Profile *p) {
        _cleanup_free_ char *text = NULL;

        if (p->kernel.n_sysctl_settings == 0)
                return 0;

        text = strdup("# Automatically generated by hardenctl-kernel from " BOOT_PROFILE_PATH "\n");
        if (!text)
                return log_oom();
        for (size_t i = 0; i < p->kernel.n_sysctl_settings; i++) {
                const SysctlSetting *s = p->kernel.sysctl_settings + i;
                char *t;

                t = strprintf("%s%s = %s\n", text, s->key, s->value);
                if (!t)
                        return log_oom();
                free(text);
                text = t;
        }
        return write_run_file("sysctl.d", SYSCTL_D_NAME, text, "/etc/sysctl.d");
}

static int apply_sysctls(const Profile *p) {
        size_t ok = 0, failed = 0;

        for (size_t i = 0; i < p->kernel.n_sysctl_settings; i++) {
                const SysctlSetting *s = p->kernel.sysctl_settings + i;
                _cleanup_free_ char *rel = NULL, *path = NULL, *value = NULL;
                int r;

                value = strprintf("%s\n", s->value);
                if (!value)
                        return log_oom();
                r = sysctl_name_to_path(s->key, &rel);
                if (r == -ENOMEM)
                        return log_oom();
                if (r < 0) {
                        log_error_errno(r, "Invalid sysctl name %s, ignoring.", s->key);
                        failed++;
                        continue;
                }
                path = strprintf("/proc/sys/%s", rel);
                if (!path)
                        return log_oom();

                r = write_setting(path, value);
                if (r < 0) {
                        log_error_errno(r, "Failed to set %s to %s: %m", s->key, s->value);
                        failed++;
                } else
                        ok++;
        }
        if (ok + failed > 0)
                log_info("Kernel settings: %zu applied, %zu failed.", ok, failed);
        return failed > 0 ? -EIO : 0;
}

static int run(bool early) {
        _cleanup_(profile_freep) Profile *p = NULL;
        const char *root = getenv("HARDENCTL_ROOT") ?: "/";
        int r, k = 0;

        root_fd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (root_fd < 0)
                return log_error_errno(errno, "Cannot open %s: %m", root);

        r = boot_profile_load(&p);
        if (r <= 0)
                return r;

        if (early) {
                int s;

                r = write_modprobe(p);
                k = apply_lockdown(p);
                s = enforce_module_signatures(p);
                return r < 0 ? r : k < 0 ? k : s;
        }

        r = apply_sysctls(p);
        k = write_sysctl_d(p);
        if (r >= 0)
                r = k;
        k = 0;
        if (p->kernel.module_loading == MODULES_LOCKED) {
                k = write_setting("/proc/sys/kernel/modules_disabled", "1\n");
                if (k < 0)
                        log_error_errno(k, "Failed to lock module loading: %m");
                else
                        log_info("Module loading locked until reboot.");
        }
        return r < 0 ? r : k;
}

static int verb_early(int argc, char *argv[]) {
        return run(/* early= */ true);
}

static int verb_late(int argc, char *argv[]) {
        return run(/* early= */ false);
}

static const Verb verbs[] = {
        { "early", 0, 0, verb_early, "" },
        { "late", 0, 0, verb_late, "" },
};

static const VerbTable verb_table = {
        .verbs = verbs,
        .n_verbs = ELEMENTSOF(verbs),
};

int main(int argc, char *argv[]) {
        int r;

        log_set_prefix("hardenctl-kernel");
        log_parse_environment();

        r = verbs_dispatch(&verb_table, argc - 1, argv + 1, 0);

        safe_close(root_fd);
        return r < 0 ? EXIT_FAILURE : EXIT_SUCCESS;
}
