/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* hardenctl-ipe: puts the boot profile's [Exec] section in force, in the initrd.
 *
 *   hardenctl-ipe load   writes the signed IPE policy (ipe.h) to IPE's securityfs, activates it, and sets
 *                        enforcement as Mode= says: enforce=1 for enforce, enforce=0 for audit.
 *
 * Run by hardenctl-ipe.service in the initrd, after /usr is mounted and before the switch to the root
 * file system: before the SELinux policy is loaded, after which IPE's securityfs needs mac_admin.
 * With Mode=enforce every failure is fatal, one line saying which (the kernel has no IPE, there is no
 * policy, the kernel rejects it), and the unit's OnFailure= stops the boot. With Mode=audit, a kernel
 * without IPE is a warning and nothing else is fatal either: denials would only have been logged.
 *
 * The policy is the initrd's own PKGLIBDIR/exec-policy.p7s if there is one (it may pin /usr's root
 * hash), else the one on the new /usr, /sysroot PKGLIBDIR/exec-policy.p7s. The profile and the policy
 * are read below $HARDENCTL_ROOT (for tests), or "/"; securityfs is /sys/kernel/security, or, in a
 * build with test hooks, $HARDENCTL_TEST_SECURITYFS; there, $HARDENCTL_TEST_IPE_ERRNO=N makes the write
 * of the policy fail with errno N, as a kernel that rejects it does. */

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "boot.h"
#include "fs-util.h"
#include "ipe.h"
#include "log.h"
#include "parse-util.h"
#include "pkcs7-sign.h"
#include "string-util.h"
#include "test-hooks.h"
#include "verbs.h"
#include "verity.h"

#define SECURITYFS "/sys/kernel/security"
#define SYSFS "/sys"

static const char *const policy_paths[] = {
        PKGLIBDIR "/" IPE_POLICY_FILE,
        "/sysroot" PKGLIBDIR "/" IPE_POLICY_FILE,
};

typedef struct Loader {
        int root_fd;
        int ipe_fd; /* the ipe directory of securityfs */
        bool enforce;
        int test_errno;
} Loader;

/* Writes size bytes to ipe/path in one write(), as securityfs files want them. */
static int ipe_write(const Loader *l, const char *path, const void *data, size_t size, bool inject) {
        _cleanup_close_ int fd = openat(l->ipe_fd, path, O_WRONLY | O_CLOEXEC | O_NOCTTY | O_NOFOLLOW);
        ssize_t k;

        if (fd < 0)
                return -errno;
        if (inject && l->test_errno > 0)
                return -l->test_errno;
        k = write(fd, data, size);
        if (k < 0)
                return -errno;
        return (size_t) k == size ? 0 : -EIO;
}

/* What the kernel means by refusing a policy (security/ipe/fs.c, policy.c). */
static const char *rejection(int r) {
        switch (r) {
        case -EBADMSG:
                return "it is not signed, or its signature or text is malformed (EBADMSG)";
        case -ENOKEY:
        case -EKEYREJECTED:
                return "it is signed by a key the kernel does not trust (ENOKEY)";
        case -EINVAL:
                return "the kernel does not accept its text or version (EINVAL)";
        case -ERANGE:
                return "its version is older than the loaded one (ERANGE)";
        case -EPERM:
        case -EACCES:
                return "writing IPE's securityfs is not permitted here (EPERM)";
        default:
                return NULL;
        }
}

/* With Mode=enforce: logs an error and returns r; with audit: logs a warning and returns 0. */
#define fail(l, r, fmt, ...)                                                                                           \
        ((l)->enforce ?                                                                                                \
                 log_error_errno((r), "Execution policy: " fmt ", refusing to boot.", ##__VA_ARGS__) :                 \
                 (log_warning_errno((r), "Execution policy: " fmt "; Mode=audit, booting without it.", ##__VA_ARGS__), \
                  0))

static int read_policy(const Loader *l, char **ret, size_t *ret_size, const char **ret_path) {
        for (size_t i = 0; i < ELEMENTSOF(policy_paths); i++) {
                _cleanup_close_ int fd = open_in_root_regular(l->root_fd, policy_paths[i], O_RDONLY | O_NOCTTY);
                int r;

                if (fd == -ENOENT)
                        continue;
                if (fd < 0)
                        return log_error_errno(fd, "Execution policy: cannot open %s: %m", policy_paths[i]);
                r = read_full_fd(fd, IPE_POLICY_DER_MAX, ret, ret_size);
                if (r < 0)
                        return log_error_errno(r, "Execution policy: cannot read %s: %s", policy_paths[i],
                                               r == -EFBIG ? "too large" : strerror(-r));
                *ret_path = policy_paths[i];
                return 1;
        }
        return 0;
}

static int load(Loader *l, int mode) {
        _cleanup_(ipe_policy_header_done) IpePolicyHeader h = {};
        _cleanup_free_ char *der = NULL, *text = NULL, *active = NULL, *update = NULL;
        const char *path = NULL, *why;
        size_t der_size = 0, text_size = 0;
        int r;

        r = read_policy(l, &der, &der_size, &path);
        if (r < 0)
                return l->enforce ? r : 0;
        if (r == 0)
                return fail(l, -ENOENT, "Mode=%s, but there is no signed policy (%s or %s)", exec_mode_to_string(mode),
                            policy_paths[0], policy_paths[1]);

        /* The name and version, to activate it and to say which: from the text it carries. The kernel
         * checks the signature. */
        r = pkcs7_embedded_data(der, der_size, &text, &text_size);
        if (r == -ENOMEM)
                return log_oom();
        if (r >= 0)
                r = ipe_policy_parse_header(text, &h);
        if (r == -ENOMEM)
                return log_oom();
        if (r < 0)
                return fail(l, r, "%s is not a signed IPE policy (PKCS#7 with the policy text inside)", path);

        r = ipe_write(l, "new_policy", der, der_size, true);
        if (r == -EEXIST) {
                /* Loaded before (the initrd ran this already): replace it, which the kernel allows for
                 * the same or a newer version only. */
                update = strprintf("policies/%s/update", h.name);
                if (!update)
                        return log_oom();
                r = ipe_write(l, update, der, der_size, false);
        }
        if (r < 0) {
                why = rejection(r);
                return fail(l, r, "the kernel rejected policy %s %s from %s: %s", h.name, h.version, path,
                            why ?: strerror(-r));
        }

        /* Audit: enforcement off before the policy is active, so that nothing is refused in between. */
        if (!l->enforce) {
                r = ipe_write(l, "enforce", "0", 1, false);
                if (r < 0)
                        return fail(l, r, "cannot turn enforcement off: %s", strerror(-r));
        }

        active = strprintf("policies/%s/active", h.name);
        if (!active)
                return log_oom();
        r = ipe_write(l, active, "1", 1, false);
        if (r < 0) {
                why = r == -EINVAL ? "a newer version of it is active already (EINVAL)" : rejection(r);
                return fail(l, r, "the kernel refused to activate policy %s %s: %s", h.name, h.version,
                            why ?: strerror(-r));
        }

        if (l->enforce) {
                r = ipe_write(l, "enforce", "1", 1, false);
                if (r < 0)
                        return fail(l, r, "cannot turn enforcement on: %s", strerror(-r));
        }

        log_info("Execution policy %s %s from %s active, %s.", h.name, h.version, path,
                 l->enforce ? "enforcing" : "audit only (enforce=0)");
        return 0;
}

/* Whether the /usr the boot switches to (/sysroot/usr) is a dm-verity device: its device's dm uuid, in
 * sysfs, begins with CRYPT-VERITY-. 1 if so, 0 if not (a plain partition, another dm target), < 0 if
 * /sysroot/usr cannot be looked at. */
static int usr_verified(const Loader *l, const char *sysfs) {
        _cleanup_free_ char *path = NULL, *uuid = NULL;
        struct stat st;
        int r;

        if (fstatat(l->root_fd, "sysroot/usr", &st, 0) < 0)
                return -errno;
        path = strprintf("%s/dev/block/%u:%u/dm/uuid", sysfs, major(st.st_dev), minor(st.st_dev));
        if (!path)
                return -ENOMEM;
        r = read_full_file(path, 4096, &uuid, NULL); /* a sysfs file says 4096 bytes */
        if (r == -ENOENT)
                return 0;
        if (r < 0)
                return r;
        return dm_uuid_is_verity(uuid);
}

/* An enforced policy allows /usr only as a verified volume: on an unverified /usr it would refuse every
 * program, the switch to the root file system included, and PID 1 would freeze with no word of why. So
 * where the boot goes on with an unverified /usr by choice (Verity=optional, or the kill switch for /usr),
 * the policy is loaded audit only, loudly; otherwise the boot stops here, with one line. */
static int check_usr(Loader *l, const Profile *p, const BootSettings *settings, const char *sysfs) {
        const char *why = NULL;
        int r = usr_verified(l, sysfs);

        if (r > 0)
                return 0;
        if (r < 0)
                return fail(l, r, "cannot tell whether /sysroot/usr is verified: %s", strerror(-r));
        if (p->usr.verity == VERITY_OPTIONAL)
                why = "Verity=optional";
        else if (!boot_topic_enforced(p, settings, BOOT_TOPIC_USR))
                why = "switched off on the kernel command line";
        if (why) {
                log_warning("WARNING: Execution policy: /usr is not verified (%s), and enforcing the policy would "
                            "refuse every program on it: loading it audit only (enforce=0).",
                            why);
                l->enforce = false;
                return 0;
        }
        return fail(l, -EMEDIUMTYPE,
                    "Mode=enforce, but /sysroot/usr is not a verified dm-verity volume, and every "
                    "program on it would be refused");
}

static int verb_load(int argc, char *argv[]) {
        _cleanup_(boot_settings_done) BootSettings settings = {};
        _cleanup_(profile_freep) Profile *p = NULL;
        _cleanup_close_ int root_fd = -EBADF, ipe_fd = -EBADF;
        const char *root = getenv("HARDENCTL_ROOT") ?: "/";
        const char *securityfs = test_hook_env("HARDENCTL_TEST_SECURITYFS") ?: SECURITYFS;
        const char *sysfs = test_hook_env("HARDENCTL_TEST_SYSFS") ?: SYSFS;
        const char *e = test_hook_env("HARDENCTL_TEST_IPE_ERRNO");
        Loader l = {};
        int r;

        r = test_hooks_refuse_env();
        if (r < 0)
                return r;

        root_fd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (root_fd < 0)
                return log_error_errno(errno, "Cannot open %s: %m", root);

        r = boot_profile_load_full(BOOT_LOAD_UNTYPED, &p);
        if (r <= 0)
                return r;
        if (p->exec.mode < 0 || p->exec.mode == EXEC_OFF) {
                log_debug("The boot profile does not restrict execution.");
                return 0;
        }

        r = boot_settings_read(true, &settings);
        if (r < 0)
                return log_error_errno(r, "Failed to read the kernel command line: %m");
        if (!boot_topic_enabled(p, &settings, BOOT_TOPIC_EXEC))
                return 0;

        l = (Loader){ .root_fd = root_fd, .enforce = p->exec.mode == EXEC_ENFORCE };
        if (e) {
                unsigned n;

                if (safe_atou(e, &n) < 0 || n == 0 || n > 4095)
                        return log_error_errno(-EINVAL, "Invalid HARDENCTL_TEST_IPE_ERRNO=%s.", e);
                l.test_errno = (int) n;
        }

        {
                _cleanup_free_ char *dir = strprintf("%s/ipe", securityfs);

                if (!dir)
                        return log_oom();
                ipe_fd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
                if (ipe_fd < 0 && errno == ENOENT)
                        return fail(&l, -EOPNOTSUPP, "Mode=%s, but the kernel has no IPE (no %s)",
                                    exec_mode_to_string(p->exec.mode), dir);
                if (ipe_fd < 0)
                        return fail(&l, -errno, "cannot open %s: %m", dir);
        }
        l.ipe_fd = ipe_fd;

        if (l.enforce) {
                r = check_usr(&l, p, &settings, sysfs);
                if (r < 0)
                        return r;
        }
        return load(&l, p->exec.mode);
}

static const Verb verbs[] = {
        { "load", 0, 0, verb_load, "" },
};

static const VerbTable verb_table = {
        .verbs = verbs,
        .n_verbs = ELEMENTSOF(verbs),
};

int main(int argc, char *argv[]) {
        int r;

        log_set_prefix("hardenctl-ipe");
        log_parse_environment();

        r = verbs_dispatch(&verb_table, argc - 1, argv + 1, 0);
        return r < 0 ? EXIT_FAILURE : EXIT_SUCCESS;
}
