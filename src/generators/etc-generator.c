/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* hardenctl-etc-generator: in the initrd, turns the boot profile's [Etc] Overlay=tmpfs into
 *   run-hardenctl-etc.mount          a tmpfs at /run/hardenctl/etc (moved into the real root with /run at
 *                                    switch-root, gone at power-off),
 *   hardenctl-etc-prepare.service    creates the overlay's upper and work directories on it and, with
 *                                    [Etc] Persist=, the persist directory filled from the copies kept
 *                                    in /var/lib/hardenctl/etc on the root file system, and
 *   sysroot-etc.mount                the overlay on /sysroot/etc: the lower layers are the persist
 *                                    directory (if any) over the root file system's /etc or the factory
 *                                    copy below /usr, the upper one the tmpfs,
 * pulled in by initrd-fs.target, before initrd-parse-etc.service reads /sysroot/etc/fstab. What is in
 * /run/hardenctl/etc/upper at any time is the drift since boot. The section is required: if the overlay
 * cannot be set up, the boot stops rather than run with a persistent /etc. */

#include "boot.h"
#include "config.h"
#include "generator.h"
#include "log.h"
#include "proc-cmdline.h"
#include "string-util.h"
#include "strv.h"

#define ETC_DIR ETC_VOLATILE_DIR
#define TMPFS_UNIT "run-hardenctl-etc.mount"
#define PREPARE_UNIT "hardenctl-etc-prepare.service"
#define OVERLAY_UNIT "sysroot-etc.mount"

/* The words after "prepare DIR": the store and the paths of Persist=, which the profile parser allows
 * only in a character set that needs no quoting in unit files (no '%', '\\', quotes or white space). */
static char *persist_arguments(char *const *persist) {
        _cleanup_free_ char *paths = NULL;

        if (!persist)
                return strdup("");
        paths = strv_join(persist, " ");
        if (!paths)
                return NULL;
        return strprintf(" --root-fs=/sysroot %s %s", ETC_PERSIST_STORE + 1, paths);
}

static int write_units(const char *dir, const Profile *p) {
        _cleanup_free_ char *size = NULL, *lower = NULL, *persist = NULL;
        int r;

        if (p->etc.size_percent > 0)
                size = strprintf(",size=%u%%%%", p->etc.size_percent); /* '%' doubled for unit syntax */
        else if (p->etc.size_bytes != NUMBER_UNSET)
                size = strprintf(",size=%llu", (unsigned long long) p->etc.size_bytes);
        else
                size = strdup("");
        lower = p->etc.lower == ETC_LOWER_FACTORY ?
                        strprintf("/sysroot%s", p->etc.factory_directory ?: "/usr/share/factory/etc") :
                        strdup("/sysroot/etc");
        persist = persist_arguments(p->etc.persist);
        if (!size || !lower || !persist)
                return log_oom();

        r = generator_write_unit(dir, TMPFS_UNIT, BOOT_PROFILE_PATH,
                                 "Description=Volatile storage for /etc\n"
                                 "Documentation=man:hardenctl-etc-generator(8)\n"
                                 "DefaultDependencies=no\n"
                                 "Before=initrd-fs.target\n"
                                 "\n[Mount]\n"
                                 "What=tmpfs\n"
                                 "Where=" ETC_DIR "\n"
                                 "Type=tmpfs\n"
                                 "Options=mode=0755,nodev,nosuid,noexec%s\n",
                                 size);
        if (r < 0)
                return r;

        r = generator_write_unit(dir, PREPARE_UNIT, BOOT_PROFILE_PATH,
                                 "Description=Prepare the volatile /etc overlay\n"
                                 "Documentation=man:hardenctl-etc-generator(8)\n"
                                 "DefaultDependencies=no\n"
                                 "Requires=" TMPFS_UNIT "\n"
                                 "After=" TMPFS_UNIT "\n"
                                 "Before=" OVERLAY_UNIT "\n"
                                 "%s"
                                 "\n[Service]\n"
                                 "Type=oneshot\n"
                                 "RemainAfterExit=yes\n"
                                 "ExecStart=" HARDENCTL_HELPER_DIR "/hardenctl-etc prepare " ETC_DIR "%s\n",
                                 p->etc.persist ? "RequiresMountsFor=/sysroot\n" : "", persist);
        if (r < 0)
                return r;

        r = generator_write_unit(dir, OVERLAY_UNIT, BOOT_PROFILE_PATH,
                                 "Description=/etc, volatile: changes vanish at power-off\n"
                                 "Documentation=man:hardenctl-etc-generator(8)\n"
                                 "DefaultDependencies=no\n"
                                 "Requires=" PREPARE_UNIT "\n"
                                 "After=" PREPARE_UNIT "\n"
                                 "RequiresMountsFor=%s\n"
                                 "Before=initrd-fs.target initrd-parse-etc.service\n"
                                 "OnFailure=emergency.target\n"
                                 "OnFailureJobMode=replace-irreversibly\n"
                                 "\n[Mount]\n"
                                 "What=overlay\n"
                                 "Where=/sysroot/etc\n"
                                 "Type=overlay\n"
                                 "Options=lowerdir=%s%s,upperdir=" ETC_DIR "/upper,workdir=" ETC_DIR "/work\n",
                                 lower, p->etc.persist ? ETC_DIR "/persist:" : "", lower);
        if (r < 0)
                return r;

        r = generator_add_dependency(dir, "initrd-fs.target", "requires", OVERLAY_UNIT);
        if (r < 0)
                return log_error_errno(r, "Failed to hook %s into initrd-fs.target: %m", OVERLAY_UNIT);
        return 0;
}

static int run(const char *dest, const char *dest_early, const char *dest_late) {
        _cleanup_(boot_settings_done) BootSettings settings = {};
        _cleanup_(profile_freep) Profile *p = NULL;
        int r;

        if (!in_initrd())
                return 0;

        r = boot_settings_read(true, &settings);
        if (r < 0)
                return log_error_errno(r, "Failed to read the kernel command line: %m");

        /* An unusable profile stops the boot in hardenctl-usr-generator's units; nothing to add here. */
        r = boot_profile_load_full(BOOT_LOAD_UNTYPED, &p);
        if (r <= 0)
                return 0;

        /* PID 1 reads /etc/selinux/config when it loads the policy, before any unit of the real system
         * runs: make it agree with the profile from here. */
        if (p->selinux.mode >= 0 && boot_topic_enabled(p, &settings, BOOT_TOPIC_SELINUX)) {
                r = generator_add_dependency(dest_early, "initrd.target", "wants",
                                             SYSTEM_UNIT_DIR "/hardenctl-selinux-config.service");
                if (r < 0)
                        return log_error_errno(r, "Failed to pull in hardenctl-selinux-config.service: %m");
        }

        if (p->etc.overlay != ETC_OVERLAY_TMPFS)
                return 0;
        if (!boot_topic_enabled(p, &settings, BOOT_TOPIC_ETC))
                return 0;

        return write_units(dest_early, p);
}

DEFINE_MAIN_GENERATOR_FUNCTION(run);
