/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* hardenctl-usr-generator: in the initrd, turns the boot profile's [Usr] section into
 *   hardenctl-verity-usr.service  sets up /dev/mapper/usr through libcryptsetup (hardenctl-verity),
 *   sysusr-usr.mount              mounts it read-only and nodev on /sysusr/usr, pulled in by
 *                                 initrd-usr-fs.target, and
 *   sysroot-usr.mount             binds that on /sysroot/usr, pulled in by initrd-fs.target,
 * the same two mounts systemd's fstab generator writes for usrhash= or mount.usr=. With
 * Verity=required, a failure at any step stops the boot as OnFailure= says, and /usr is never mounted
 * unverified. Units go to the early directory, so that they take precedence over what systemd's fstab
 * and veritysetup generators write for usrhash=; systemd's own verity unit for usr is masked there. */

#include "boot.h"
#include "generator.h"
#include "log.h"
#include "parse-util.h"
#include "path-util.h"
#include "proc-cmdline.h"
#include "string-util.h"
#include "unit-name.h"

#define VERITY_UNIT "hardenctl-verity-usr.service"
#define USR_MOUNT_UNIT "sysusr-usr.mount"
#define MOUNT_UNIT "sysroot-usr.mount"
#define LINK "/run/hardenctl/usr.device"

/* PARTUUID=… and friends as /dev/disk/by-… paths. */
static char *device_path(const char *spec) {
        static const struct {
                const char *tag, *dir;
        } map[] = {
                { "PARTUUID=", "/dev/disk/by-partuuid/" },
                { "PARTLABEL=", "/dev/disk/by-partlabel/" },
                { "UUID=", "/dev/disk/by-uuid/" },
                { "LABEL=", "/dev/disk/by-label/" },
        };

        for (size_t i = 0; i < ELEMENTSOF(map); i++) {
                const char *v = startswith(spec, map[i].tag);
                if (v)
                        return strprintf("%s%s", map[i].dir, v);
        }
        return strdup(spec);
}

/* The Discoverable Partitions Specification: the usr partition's UUID is the first 128 bits of the
 * root hash, the usr-verity partition's the last 128. */
static char *partuuid_path(const char *hash, bool last) {
        const char *h;
        size_t n = strlen(hash);
        char u[37];

        if (n < 64)
                return NULL;
        h = last ? hash + n - 32 : hash;
        snprintf(u, sizeof(u), "%.8s-%.4s-%.4s-%.4s-%.12s", h, h + 8, h + 12, h + 16, h + 20);
        for (char *c = u; *c; c++)
                *c = (char) (*c >= 'A' && *c <= 'F' ? *c - 'A' + 'a' : *c);
        return strprintf("/dev/disk/by-partuuid/%s", u);
}

static int write_mount_units(const char *dir, const Profile *p);

/* With Verity=required, what a failure of the unit does: stop the boot as OnFailure= says. */
static const char *failure_handling(const Profile *p, bool required) {
        if (!required)
                return "";
        switch (p->usr.on_failure) {
        case FAILURE_REBOOT:
                return "FailureAction=reboot\n";
        case FAILURE_POWEROFF:
                return "FailureAction=poweroff\n";
        default:
                return "OnFailure=emergency.target\nOnFailureJobMode=replace-irreversibly\n";
        }
}

/* A unit that fails with one clear line: the generator already knows the setup cannot work. Its output,
 * and hardenctl-verity's in the unit below, goes to the console too: that line is what whoever watches
 * a boot that stopped needs to see. */
static int write_fail_unit(const char *dir, const Profile *p, const char *message) {
        _cleanup_free_ char *escaped = unit_exec_arg_escape(message);
        int r;

        if (!escaped)
                return log_oom();

        r = generator_write_unit(dir, VERITY_UNIT, BOOT_PROFILE_PATH,
                                 "Description=Verity protection of /usr\n"
                                 "Documentation=man:hardenctl-usr-generator(8)\n"
                                 "DefaultDependencies=no\n"
                                 "Before=initrd-usr-fs.target\n"
                                 "%s"
                                 "\n[Service]\n"
                                 "Type=oneshot\n"
                                 "RemainAfterExit=yes\n"
                                 "StandardOutput=journal+console\n"
                                 "ExecStart=" HARDENCTL_HELPER_DIR "/hardenctl-verity fail %s\n",
                                 failure_handling(p, true), escaped);
        if (r < 0)
                return r;

        /* Own /usr's mounts as well, so that nothing else (systemd's fstab generator, for usrhash= or
         * mount.usr=) can mount it past the failing unit. */
        r = write_mount_units(dir, p);
        if (r < 0)
                return r;

        log_error("Verity /usr cannot be set up: %s", message);
        return 0;
}

static int write_units(const char *dir, const Profile *p, const char *root_hash, const char *data, const char *hash) {
        _cleanup_free_ char *data_unit = unit_name_from_path(data, ".device"),
                            *hash_unit = unit_name_from_path(hash, ".device"), *data_e = unit_exec_arg_escape(data),
                            *hash_e = unit_exec_arg_escape(hash), *rh_e = unit_exec_arg_escape(root_hash),
                            *sig = p->usr.signature_file ? strprintf("--signature=%s", p->usr.signature_file) :
                                   p->usr.signature == SIGNATURE_REQUIRED ? strdup("--signature=auto") :
                                                                            NULL,
                            *sig_e = sig ? unit_exec_arg_escape(sig) : NULL;
        bool required = p->usr.verity == VERITY_REQUIRED;
        const char *corruption = corruption_action_to_string(p->usr.on_corruption),
                   *require_sig = p->usr.signature == SIGNATURE_REQUIRED ? " --require-signatures" : "";
        int r;

        if (!data_unit || !hash_unit || !data_e || !hash_e || !rh_e || (sig && !sig_e))
                return log_oom();

        /* Wants=, not BindsTo=, the devices: when one never shows up, the unit still runs once the
         * device's job has timed out, so that hardenctl-verity names the missing device in its one
         * line (and Verity=optional can go on without the hash device). */
        r = generator_write_unit(dir, VERITY_UNIT, BOOT_PROFILE_PATH,
                                 "Description=Verity protection of /usr\n"
                                 "Documentation=man:hardenctl-usr-generator(8)\n"
                                 "DefaultDependencies=no\n"
                                 "IgnoreOnIsolate=true\n"
                                 "Wants=%s %s\n"
                                 "After=%s %s\n"
                                 "After=veritysetup-pre.target systemd-udevd-kernel.socket\n"
                                 "Before=initrd-usr-fs.target umount.target\n"
                                 "Conflicts=umount.target\n"
                                 "%s"
                                 "\n[Service]\n"
                                 "Type=oneshot\n"
                                 "RemainAfterExit=yes\n"
                                 "StandardOutput=journal+console\n"
                                 "ExecStart=" HARDENCTL_HELPER_DIR "/hardenctl-verity attach usr %s %s %s --link=" LINK
                                 "%s%s%s%s%s%s\n"
                                 "ExecStop=" HARDENCTL_HELPER_DIR "/hardenctl-verity detach usr\n",
                                 data_unit, hash_unit, data_unit, hash_unit, failure_handling(p, required), data_e,
                                 hash_e, rh_e, corruption ? " --on-corruption=" : "", strempty(corruption),
                                 sig_e ? " " : "", strempty(sig_e), require_sig, required ? "" : " --optional");
        if (r < 0)
                return r;

        return write_mount_units(dir, p);
}

/* The device on /sysusr/usr, where systemd ≥ 250 expects /usr before the root file system is there, and
 * a bind mount of it on /sysroot/usr, which switch-root takes along. */
static int write_mount_units(const char *dir, const Profile *p) {
        int r;

        r = generator_write_unit(dir, USR_MOUNT_UNIT, BOOT_PROFILE_PATH,
                                 "Description=/usr, verified by dm-verity\n"
                                 "Documentation=man:hardenctl-usr-generator(8)\n"
                                 "DefaultDependencies=no\n"
                                 "Requires=" VERITY_UNIT "\n"
                                 "After=" VERITY_UNIT "\n"
                                 "Before=initrd-usr-fs.target\n"
                                 "\n[Mount]\n"
                                 "What=" LINK "\n"
                                 "Where=/sysusr/usr\n"
                                 "Type=%s\n"
                                 "Options=ro,nodev\n",
                                 usr_file_system_to_string(p->usr.file_system >= 0 ? p->usr.file_system : USR_FS_EROFS));
        if (r < 0)
                return r;

        r = generator_add_dependency(dir, "initrd-usr-fs.target", "requires", USR_MOUNT_UNIT);
        if (r < 0)
                return log_error_errno(r, "Failed to hook %s into initrd-usr-fs.target: %m", USR_MOUNT_UNIT);

        r = generator_write_unit(dir, MOUNT_UNIT, BOOT_PROFILE_PATH,
                                 "Description=/usr on the root file system, verified by dm-verity\n"
                                 "Documentation=man:hardenctl-usr-generator(8)\n"
                                 "DefaultDependencies=no\n"
                                 "Requires=" USR_MOUNT_UNIT "\n"
                                 "After=" USR_MOUNT_UNIT "\n"
                                 "Before=initrd-fs.target\n"
                                 "\n[Mount]\n"
                                 "What=/sysusr/usr\n"
                                 "Where=/sysroot/usr\n"
                                 "Options=bind,ro,nodev\n");
        if (r < 0)
                return r;

        r = generator_add_dependency(dir, "initrd-fs.target", "requires", MOUNT_UNIT);
        if (r < 0)
                return log_error_errno(r, "Failed to hook %s into initrd-fs.target: %m", MOUNT_UNIT);
        return 0;
}

/* systemd's veritysetup generator sets up usr itself when usrhash= is given: mask its unit, so that
 * there is one owner of /dev/mapper/usr. */
static int mask_systemd_verity(const char *dir) {
        _cleanup_free_ char *p = strprintf("%s/systemd-veritysetup@usr.service", dir);

        if (!p)
                return log_oom();
        if (symlink("/dev/null", p) < 0 && errno != EEXIST)
                return log_error_errno(errno, "Failed to mask systemd-veritysetup@usr.service: %m");
        return 0;
}

/* In the main system, systemd's veritysetup generator finds usrhash= again and writes its unit for
 * usr once more: it would open /dev/mapper/usr a second time, or, with Verity=optional and a device
 * missing, wait out the device timeout again before the boot goes on. Whenever the initrd's part was
 * ours, so is /dev/mapper/usr: mask it here too. Nothing is logged: the initrd said it all. */
static int run_main_system(const char *dest_early) {
        _cleanup_(boot_settings_done) BootSettings settings = {};
        _cleanup_(profile_freep) Profile *p = NULL;
        int r;

        r = boot_settings_read(false, &settings);
        if (r < 0)
                return log_error_errno(r, "Failed to read the kernel command line: %m");
        r = boot_profile_load_full(BOOT_LOAD_QUIET | BOOT_LOAD_UNTYPED,
                                   &p); /* its problems are the system generator's to report */
        if (r == 0)
                return 0;
        if (r > 0 &&
            (p->usr.verity < 0 || p->usr.verity == VERITY_OFF || !boot_topic_enforced(p, &settings, BOOT_TOPIC_USR)))
                return 0;
        return mask_systemd_verity(dest_early);
}

static int run(const char *dest, const char *dest_early, const char *dest_late) {
        _cleanup_(boot_settings_done) BootSettings settings = {};
        _cleanup_(profile_freep) Profile *p = NULL;
        _cleanup_free_ char *data = NULL, *hash = NULL;
        const char *root_hash = NULL;
        int r;

        if (!in_initrd())
                return run_main_system(dest_early);

        r = boot_settings_read(true, &settings);
        if (r < 0)
                return log_error_errno(r, "Failed to read the kernel command line: %m");

        r = boot_profile_load_full(BOOT_LOAD_UNTYPED, &p);
        if (r == 0)
                return 0; /* not configured */
        if (r < 0) {
                /* We cannot tell what the profile wants of /usr: fail closed. */
                _cleanup_(profile_freep) Profile *none = profile_new();
                if (!none)
                        return log_oom();
                r = mask_systemd_verity(dest_early);
                if (r < 0)
                        return r;
                return write_fail_unit(dest_early, none, "the boot profile " BOOT_PROFILE_PATH " is unusable");
        }

        if (p->usr.verity < 0 || p->usr.verity == VERITY_OFF)
                return 0;
        if (!boot_topic_enabled(p, &settings, BOOT_TOPIC_USR))
                return 0;

        r = mask_systemd_verity(dest_early);
        if (r < 0)
                return r;

        if (!p->usr.root_hash || streq(p->usr.root_hash, "cmdline")) {
                if (!settings.usrhash)
                        return write_fail_unit(dest_early, p, "no root hash: usrhash= is not on the kernel command line");
                if (!hex_string_is_valid(settings.usrhash, 16, 64))
                        return write_fail_unit(dest_early, p,
                                               "usrhash= on the kernel command line is not a hexadecimal root hash");
                root_hash = settings.usrhash;
        } else
                root_hash = p->usr.root_hash;

        if (p->usr.data_device)
                data = device_path(p->usr.data_device);
        else if (path_is_absolute(root_hash))
                return write_fail_unit(dest_early, p,
                                       "RootHash= names a file, so DataDevice= and HashDevice= must be set");
        else
                data = partuuid_path(root_hash, false);
        if (p->usr.hash_device)
                hash = device_path(p->usr.hash_device);
        else if (path_is_absolute(root_hash))
                return write_fail_unit(dest_early, p,
                                       "RootHash= names a file, so DataDevice= and HashDevice= must be set");
        else
                hash = partuuid_path(root_hash, true);
        if (!data || !hash)
                return write_fail_unit(
                        dest_early, p,
                        "the root hash is too short to find the partitions by UUID; set DataDevice= and HashDevice=");

        if (p->usr.verity == VERITY_OPTIONAL)
                log_warning("Verity=optional: /usr will be mounted unverified if verification fails.");

        return write_units(dest_early, p, root_hash, data, hash);
}

DEFINE_MAIN_GENERATOR_FUNCTION(run);
