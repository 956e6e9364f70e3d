/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* hardenctl-system-generator: in the main system, turns the boot profile into
 *   sysinit.target.wants/hardenctl-audit.service   when [Audit] sets anything, with
 *   auditd.service.d/, audit-rules.service.d/      Wants= it, so that it is loaded again after theirs,
 *   hardenctl-audit.service.d/99-hardenctl-fail.conf  with Immutable=yes: its failure stops the boot,
 *   multi-user.target.wants/hardenctl-watch.service  with [Audit] too: the runtime watcher,
 *   sysinit.target.wants/hardenctl-kernel*.service when [Kernel] sets anything,
 *   sysinit.target.wants/hardenctl-selinux.service when [SELinux] Mode= is set (failing closed with
 *                                                 OnUnavailable=fail),
 *   sysinit.target.wants/hardenctl-etc-relabel.service when [Etc] Overlay=tmpfs: SELinux labels for what
 *                                                 the initrd put into the volatile /etc,
 *   UNIT.d/99-hardenctl-confine.conf              the [Services] settings, for each unit of Confine=,
 *   UNIT.d/99-hardenctl-selinux.conf              SELinuxContext= for each [SELinux] Context=,
 *   UNIT → /dev/null                              for each unit of Mask=, in the early directory, so
 *                                                 that it takes precedence over /etc,
 *   hardenctl-etc-persist.service                 with a volatile /etc and [Etc] Persist=: saves the
 *                                                 listed files to the root file system after boot and
 *                                                 at shutdown, for the initrd to restore next time,
 *   sysinit.target.wants/hardenctl-measure.service always: the enforced posture recorded in
 *                                                 /run/hardenctl/posture.json, for the reports, and
 *                                                 measured into the TPM;
 *   hardenctl-measure.service.d/99-hardenctl-fail.conf with [Attest] RequireTPM=yes: no TPM (or a
 *                                                 record that cannot be written) stops the boot.
 * Drop-ins are named to come last among drop-ins of the same unit.
 *
 * A boot profile that exists but cannot be used fails closed: instead of all that,
 *   sysinit.target.wants/hardenctl-fail-closed.service   fails with one log line naming the cause, and
 *                                                      its OnFailure= stops the boot in the emergency
 *                                                      target. */

#include "boot.h"
#include "config.h"
#include "generator.h"
#include "log.h"
#include "proc-cmdline.h"
#include "profile-schema.h"
#include "string-util.h"
#include "strv.h"
#include "unit-dropin.h"
#include "unit-name.h"

#define FAIL_UNIT "hardenctl-fail-closed.service"

static int write_audit(const char *dir, const ProfileAudit *a) {
        int r;

        r = generator_add_dependency(dir, "sysinit.target", "wants", SYSTEM_UNIT_DIR "/hardenctl-audit.service");
        if (r < 0)
                return log_error_errno(r, "Failed to pull in hardenctl-audit.service: %m");

        /* auditd's rule loading starts with -D, which deletes our rules too. hardenctl-audit.service is
         * PartOf= both units that do it, so that restarting them restarts it (after them); and pulled in
         * by them, so that starting them again after a stop loads our rules again too. */
        r = generator_write_dropin(dir, "auditd.service", "99-hardenctl-audit", BOOT_PROFILE_PATH,
                                   "Wants=hardenctl-audit.service\n");
        if (r >= 0)
                r = generator_write_dropin(dir, "audit-rules.service", "99-hardenctl-audit", BOOT_PROFILE_PATH,
                                           "Wants=hardenctl-audit.service\n");
        if (r < 0)
                return r;

        /* Immutable=yes: the audit trail is required, so a failure to load it stops the boot, and so does
         * a kernel without audit, which the unit's ConditionSecurity=audit would only skip over (an empty
         * assignment resets the unit's conditions). */
        if (a->immutable > 0) {
                r = generator_write_dropin(dir, "hardenctl-audit.service", "99-hardenctl-fail", BOOT_PROFILE_PATH,
                                           "ConditionSecurity=\n"
                                           "OnFailure=emergency.target\n"
                                           "OnFailureJobMode=replace-irreversibly\n");
                if (r < 0)
                        return r;
        }
        return 0;
}

static int write_confinement(const char *dir, const Profile *p) {
        const ProfileServices *s = &p->services;
        _cleanup_free_ char *text = NULL;
        int r;

        r = unit_confinement_text(p, &text);
        if (r < 0)
                return log_oom();

        STRV_FOREACH(unit, s->confine) {
                r = generator_write_dropin(dir, *unit, CONFINE_DROPIN_NAME, BOOT_PROFILE_PATH, "%s", text);
                if (r < 0)
                        return r;
        }
        return 0;
}

static int write_contexts(const char *dir, char *const *contexts) {
        int r;

        /* Entries are "UNIT CONTEXT", validated when the profile was read. */
        STRV_FOREACH(c, contexts) {
                _cleanup_free_ char *unit = NULL, *text = NULL;
                const char *context;

                if (selinux_context_entry_split(*c, &unit, &context) < 0)
                        continue;
                r = unit_selinux_context_text(context, &text);
                if (r < 0)
                        return log_oom();

                r = generator_write_dropin(dir, unit, SELINUX_DROPIN_NAME, BOOT_PROFILE_PATH, "%s", text);
                if (r < 0)
                        return r;
        }
        return 0;
}

static int write_masks(const char *dir, char *const *units) {
        STRV_FOREACH(u, units) {
                _cleanup_free_ char *p = strprintf("%s/%s", dir, *u);

                if (!p)
                        return log_oom();
                if (symlink("/dev/null", p) < 0 && errno != EEXIST)
                        return log_error_errno(errno, "Failed to mask %s: %m", *u);
        }
        return 0;
}

/* The paths are restricted by the profile parser to characters that need no quoting in unit files. */
static int write_persist(const char *dir, char *const *persist) {
        _cleanup_free_ char *paths = strv_join(persist, " ");
        int r;

        if (!paths)
                return log_oom();

        r = generator_write_unit(dir, "hardenctl-etc-persist.service", BOOT_PROFILE_PATH,
                                 "Description=Keep the files of [Etc] Persist= across reboots\n"
                                 "Documentation=man:hardenctl-etc-generator(8)\n"
                                 "DefaultDependencies=no\n"
                                 "After=local-fs.target systemd-remount-fs.service\n"
                                 "Before=sysinit.target shutdown.target\n"
                                 "Conflicts=shutdown.target\n"
                                 "ConditionPathIsDirectory=" ETC_VOLATILE_DIR "/upper\n"
                                 "\n[Service]\n"
                                 "Type=oneshot\n"
                                 "RemainAfterExit=yes\n"
                                 "ExecStart=" HARDENCTL_HELPER_DIR "/hardenctl-etc save --root-fs=/ /etc %s %s\n"
                                 "ExecStop=" HARDENCTL_HELPER_DIR "/hardenctl-etc save --root-fs=/ /etc %s %s\n",
                                 ETC_PERSIST_STORE + 1, paths, ETC_PERSIST_STORE + 1, paths);
        if (r < 0)
                return r;

        r = generator_add_dependency(dir, "sysinit.target", "wants", "hardenctl-etc-persist.service");
        if (r < 0)
                return log_error_errno(r, "Failed to pull in hardenctl-etc-persist.service: %m");
        return 0;
}

/* The boot profile is there but unusable: nothing it asks for can be told apart, so nothing of it is
 * enforced, and the host must not come up as if it were. */
static int write_fail_unit(const char *dir, const char *message) {
        _cleanup_free_ char *escaped = unit_setting_escape(message);
        int r;

        if (!escaped)
                return log_oom();

        r = generator_write_unit(dir, FAIL_UNIT, BOOT_PROFILE_PATH,
                                 "Description=Stop the boot: the hardening profile cannot be enforced\n"
                                 "Documentation=man:hardenctl-system-generator(8)\n"
                                 "DefaultDependencies=no\n"
                                 "Before=sysinit.target\n"
                                 "OnFailure=emergency.target\n"
                                 "OnFailureJobMode=replace-irreversibly\n"
                                 "\n[Service]\n"
                                 "Type=oneshot\n"
                                 "RemainAfterExit=yes\n"
                                 "ExecStart=" HARDENCTL_HELPER_DIR "/hardenctl-fail \"%s\"\n",
                                 escaped);
        if (r < 0)
                return r;

        r = generator_add_dependency(dir, "sysinit.target", "wants", FAIL_UNIT);
        if (r < 0)
                return log_error_errno(r, "Failed to pull in " FAIL_UNIT ": %m");
        return 0;
}

/* The record and its measurement run on every boot with a profile; RequireTPM=yes makes the measurement
 * fail closed, and then it also wants tpm2.target (systemd 253 and later), which waits for /dev/tpmrm0: a
 * TPM whose driver comes late is waited for instead of missed. Without RequireTPM it is only ordered after
 * the target, so that a machine without a TPM does not wait for the device's time-out. */
static int write_measure(const char *dir, const ProfileAttest *a) {
        int r;

        r = generator_add_dependency(dir, "sysinit.target", "wants", SYSTEM_UNIT_DIR "/hardenctl-measure.service");
        if (r < 0)
                return log_error_errno(r, "Failed to pull in hardenctl-measure.service: %m");
        if (a->require_tpm <= 0)
                return 0;
        return generator_write_dropin(dir, "hardenctl-measure.service", "99-hardenctl-fail", BOOT_PROFILE_PATH,
                                      "Wants=tpm2.target\n"
                                      "OnFailure=emergency.target\n"
                                      "OnFailureJobMode=replace-irreversibly\n"
                                      "\n[Service]\n"
                                      "ExecStart=\n"
                                      "ExecStart=" HARDENCTL_HELPER_DIR "/hardenctl-measure measure --require-tpm\n");
}

static int run(const char *dest, const char *dest_early, const char *dest_late) {
        _cleanup_(boot_settings_done) BootSettings settings = {};
        _cleanup_(profile_freep) Profile *p = NULL;
        int r;

        if (in_initrd())
                return 0;

        r = boot_settings_read(false, &settings);
        if (r < 0)
                return log_error_errno(r, "Failed to read the kernel command line: %m");

        r = boot_profile_load_full(BOOT_LOAD_UNTYPED, &p);
        if (r == 0)
                return 0; /* not configured */
        if (r < 0)
                /* Logged with every problem. No kill switch helps here: whether the profile allows one
                 * cannot be told either. */
                return write_fail_unit(dest, "the boot profile " BOOT_PROFILE_PATH
                                             " is unusable, refusing to boot unenforced");

        if (profile_wants_audit(p) && boot_topic_enabled(p, &settings, BOOT_TOPIC_AUDIT)) {
                r = write_audit(dest, &p->audit);
                if (r < 0)
                        return r;
                /* The runtime watcher, for what the audit trail records: its journald fallback unit (with
                 * auditd running, auditd starts the watcher as its plugin and the unit does nothing). */
                r = generator_add_dependency(dest, "multi-user.target", "wants",
                                             SYSTEM_UNIT_DIR "/hardenctl-watch.service");
                if (r < 0)
                        return log_error_errno(r, "Failed to pull in hardenctl-watch.service: %m");
        }

        if ((p->kernel.sysctls || p->kernel.deny_modules || p->kernel.lockdown > LOCKDOWN_NONE ||
             p->kernel.module_loading == MODULES_SIGNED || p->kernel.module_loading == MODULES_LOCKED) &&
            boot_topic_enabled(p, &settings, BOOT_TOPIC_KERNEL)) {
                r = generator_add_dependency(dest, "sysinit.target", "wants",
                                             SYSTEM_UNIT_DIR "/hardenctl-kernel-early.service");
                if (r >= 0)
                        r = generator_add_dependency(dest, "sysinit.target", "wants",
                                                     SYSTEM_UNIT_DIR "/hardenctl-kernel.service");
                if (r < 0)
                        return log_error_errno(r, "Failed to pull in the kernel settings units: %m");
        }

        if (p->etc.overlay == ETC_OVERLAY_TMPFS && p->etc.persist && boot_topic_enabled(p, &settings, BOOT_TOPIC_ETC)) {
                r = write_persist(dest, p->etc.persist);
                if (r < 0)
                        return r;
        }

        /* The unit checks for itself whether the initrd set up the overlay and SELinux is on. */
        if (p->etc.overlay == ETC_OVERLAY_TMPFS) {
                r = generator_add_dependency(dest, "sysinit.target", "wants",
                                             SYSTEM_UNIT_DIR "/hardenctl-etc-relabel.service");
                if (r < 0)
                        return log_error_errno(r, "Failed to pull in hardenctl-etc-relabel.service: %m");
        }

        if ((p->services.confine || p->services.mask) && boot_topic_enabled(p, &settings, BOOT_TOPIC_SERVICES)) {
                r = write_confinement(dest, p);
                if (r < 0)
                        return r;
                r = write_masks(dest_early, p->services.mask);
                if (r < 0)
                        return r;
        }

        if ((p->selinux.mode >= 0 || p->selinux.contexts) && boot_topic_enabled(p, &settings, BOOT_TOPIC_SELINUX)) {
                if (p->selinux.mode >= 0) {
                        r = generator_add_dependency(dest, "sysinit.target", "wants",
                                                     SYSTEM_UNIT_DIR "/hardenctl-selinux.service");
                        if (r < 0)
                                return log_error_errno(r, "Failed to pull in hardenctl-selinux.service: %m");
                }
                if (p->selinux.on_unavailable == UNAVAILABLE_FAIL) {
                        /* OnUnavailable=fail: a kernel without SELinux stops the boot. */
                        r = generator_write_dropin(dest, "hardenctl-selinux.service", "99-hardenctl-fail",
                                                   BOOT_PROFILE_PATH,
                                                   "OnFailure=emergency.target\nOnFailureJobMode=replace-irreversibly\n");
                        if (r < 0)
                                return r;
                }
                r = write_contexts(dest, p->selinux.contexts);
                if (r < 0)
                        return r;
        }

        return write_measure(dest, &p->attest);
}

DEFINE_MAIN_GENERATOR_FUNCTION(run);
