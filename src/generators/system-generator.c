/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* hardenctl-system-generator: in the main system, turns the boot profile into
 *   sysinit.target.wants/hardenctl-audit.service   when [Audit] sets anything,
 *   sysinit.target.wants/hardenctl-kernel*.service when [Kernel] sets anything,
 *   sysinit.target.wants/hardenctl-selinux.service when [SELinux] Mode= is set (failing closed with
 *                                                 OnUnavailable=fail),
 *   UNIT.d/99-hardenctl-confine.conf              the [Services] settings, for each unit of Confine=,
 *   UNIT.d/99-hardenctl-selinux.conf              SELinuxContext= for each [SELinux] Context=,
 *   UNIT → /dev/null                              for each unit of Mask=, in the early directory, so
 *                                                 that it takes precedence over /etc,
 *   hardenctl-etc-persist.service                 with a volatile /etc and [Etc] Persist=: saves the
 *                                                 listed files to the root file system after boot and
 *                                                 at shutdown, for the initrd to restore next time.
 * Drop-ins are named to come last among drop-ins of the same unit. */

#include "boot.h"
#include "config.h"
#include "generator.h"
#include "log.h"
#include "proc-cmdline.h"
#include "profile-schema.h"
#include "string-util.h"
#include "strv.h"

static bool audit_wanted(const ProfileAudit *a) {
        return a->rule_sets || a->rules || a->immutable > 0 || a->backlog_limit != NUMBER_UNSET ||
               a->failure_mode >= 0 || a->rate_limit != NUMBER_UNSET;
}

static void write_bool(FILE *f, const char *key, int b) {
        if (b >= 0)
                fprintf(f, "%s=%s\n", key, b ? "yes" : "no");
}

/* One assignment per entry: for SystemCallFilter= and RestrictAddressFamilies=, a leading '~' inverts
 * only the assignment it starts, so "@system-service" then "~@privileged" must not share a line. */
static void write_list(FILE *f, const char *key, char *const *l) {
        STRV_FOREACH(s, l)
                fprintf(f, "%s=%s\n", key, *s);
}

static int write_confinement(const char *dir, const ProfileServices *s) {
        int r;

        STRV_FOREACH(unit, s->confine) {
                GeneratorFile g;

                r = generator_dropin_begin(&g, dir, *unit, "99-hardenctl-confine", BOOT_PROFILE_PATH);
                if (r < 0)
                        return log_error_errno(r, "Failed to create the confinement drop-in for %s: %m", *unit);

                fputs("\n[Service]\n", g.f);
                write_bool(g.f, "NoNewPrivileges", s->no_new_privileges);
                if (s->protect_system >= 0)
                        fprintf(g.f, "ProtectSystem=%s\n", protect_system_to_string(s->protect_system));
                if (s->protect_home >= 0)
                        fprintf(g.f, "ProtectHome=%s\n", protect_home_to_string(s->protect_home));
                write_bool(g.f, "PrivateTmp", s->private_tmp);
                write_bool(g.f, "PrivateDevices", s->private_devices);
                write_bool(g.f, "ProtectKernelTunables", s->protect_kernel_tunables);
                write_bool(g.f, "ProtectKernelModules", s->protect_kernel_modules);
                write_bool(g.f, "ProtectKernelLogs", s->protect_kernel_logs);
                write_bool(g.f, "ProtectControlGroups", s->protect_control_groups);
                write_bool(g.f, "RestrictSUIDSGID", s->restrict_suid_sgid);
                write_bool(g.f, "MemoryDenyWriteExecute", s->memory_deny_write_execute);
                write_bool(g.f, "LockPersonality", s->lock_personality);
                write_bool(g.f, "RestrictRealtime", s->restrict_realtime);
                write_list(g.f, "CapabilityBoundingSet", s->capability_bounding_set);
                write_list(g.f, "RestrictAddressFamilies", s->restrict_address_families);
                write_list(g.f, "SystemCallFilter", s->system_call_filter);

                r = generator_file_commit(&g);
                if (r < 0)
                        return log_error_errno(r, "Failed to write the confinement drop-in for %s: %m", *unit);
        }
        return 0;
}

static int write_contexts(const char *dir, char *const *contexts) {
        int r;

        /* Entries are "UNIT CONTEXT", validated when the profile was read. */
        STRV_FOREACH(c, contexts) {
                _cleanup_free_ char *unit = NULL;
                const char *sp = strchr(*c, ' ');
                GeneratorFile g;

                if (!sp)
                        continue;
                unit = strndup(*c, sp - *c);
                if (!unit)
                        return log_oom();

                r = generator_dropin_begin(&g, dir, unit, "99-hardenctl-selinux", BOOT_PROFILE_PATH);
                if (r < 0)
                        return log_error_errno(r, "Failed to create the SELinux drop-in for %s: %m", unit);
                fprintf(g.f, "\n[Service]\nSELinuxContext=%s\n", sp + 1);
                r = generator_file_commit(&g);
                if (r < 0)
                        return log_error_errno(r, "Failed to write the SELinux drop-in for %s: %m", unit);
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
        GeneratorFile g;
        int r;

        if (!paths)
                return log_oom();

        r = generator_unit_begin(&g, dir, "hardenctl-etc-persist.service", BOOT_PROFILE_PATH);
        if (r < 0)
                return log_error_errno(r, "Failed to create hardenctl-etc-persist.service: %m");
        fprintf(g.f,
                "Description=Keep the files of [Etc] Persist= across reboots\n"
                "Documentation=man:hardenctl-etc-generator(8)\n"
                "DefaultDependencies=no\n"
                "After=local-fs.target\n"
                "Before=sysinit.target shutdown.target\n"
                "Conflicts=shutdown.target\n"
                "RequiresMountsFor=" ETC_PERSIST_STORE "\n"
                "ConditionPathIsDirectory=" ETC_VOLATILE_DIR "/upper\n"
                "\n[Service]\n"
                "Type=oneshot\n"
                "RemainAfterExit=yes\n"
                "ExecStart=" HARDENCTL_HELPER_DIR "/hardenctl-etc save /etc " ETC_PERSIST_STORE " %s\n"
                "ExecStop=" HARDENCTL_HELPER_DIR "/hardenctl-etc save /etc " ETC_PERSIST_STORE " %s\n",
                paths, paths);
        r = generator_file_commit(&g);
        if (r < 0)
                return log_error_errno(r, "Failed to write hardenctl-etc-persist.service: %m");

        r = generator_add_dependency(dir, "sysinit.target", "wants", "hardenctl-etc-persist.service");
        if (r < 0)
                return log_error_errno(r, "Failed to pull in hardenctl-etc-persist.service: %m");
        return 0;
}

static int run(const char *dest, const char *dest_early) {
        _cleanup_(boot_settings_done) BootSettings settings = {};
        _cleanup_(profile_freep) Profile *p = NULL;
        int r;

        if (in_initrd())
                return 0;

        r = boot_settings_read(false, &settings);
        if (r < 0)
                return log_error_errno(r, "Failed to read the kernel command line: %m");

        r = boot_profile_load(&p);
        if (r <= 0)
                return r == -EBADMSG ? 0 : r; /* an unusable profile was logged; the initrd refused it */

        if (audit_wanted(&p->audit) && boot_topic_enabled(p, &settings, BOOT_TOPIC_AUDIT)) {
                r = generator_add_dependency(dest, "sysinit.target", "wants", SYSTEM_UNIT_DIR "/hardenctl-audit.service");
                if (r < 0)
                        return log_error_errno(r, "Failed to pull in hardenctl-audit.service: %m");
        }

        if ((p->kernel.sysctls || p->kernel.deny_modules || p->kernel.lockdown > LOCKDOWN_NONE ||
             p->kernel.module_loading == MODULES_LOCKED) &&
            boot_topic_enabled(p, &settings, BOOT_TOPIC_KERNEL)) {
                r = generator_add_dependency(dest, "sysinit.target", "wants", SYSTEM_UNIT_DIR "/hardenctl-kernel-early.service");
                if (r >= 0)
                        r = generator_add_dependency(dest, "sysinit.target", "wants", SYSTEM_UNIT_DIR "/hardenctl-kernel.service");
                if (r < 0)
                        return log_error_errno(r, "Failed to pull in the kernel settings units: %m");
        }

        if (p->etc.overlay == ETC_OVERLAY_TMPFS && p->etc.persist && boot_topic_enabled(p, &settings, BOOT_TOPIC_ETC)) {
                r = write_persist(dest, p->etc.persist);
                if (r < 0)
                        return r;
        }

        if ((p->services.confine || p->services.mask) && boot_topic_enabled(p, &settings, BOOT_TOPIC_SERVICES)) {
                r = write_confinement(dest, &p->services);
                if (r < 0)
                        return r;
                r = write_masks(dest_early, p->services.mask);
                if (r < 0)
                        return r;
        }

        if ((p->selinux.mode >= 0 || p->selinux.contexts) && boot_topic_enabled(p, &settings, BOOT_TOPIC_SELINUX)) {
                if (p->selinux.mode >= 0) {
                        r = generator_add_dependency(dest, "sysinit.target", "wants", SYSTEM_UNIT_DIR "/hardenctl-selinux.service");
                        if (r < 0)
                                return log_error_errno(r, "Failed to pull in hardenctl-selinux.service: %m");
                }
                if (p->selinux.on_unavailable == UNAVAILABLE_FAIL) {
                        GeneratorFile g;

                        /* OnUnavailable=fail: a kernel without SELinux stops the boot. */
                        r = generator_dropin_begin(&g, dest, "hardenctl-selinux.service", "99-hardenctl-fail", BOOT_PROFILE_PATH);
                        if (r >= 0) {
                                fputs("OnFailure=emergency.target\nOnFailureJobMode=replace-irreversibly\n", g.f);
                                r = generator_file_commit(&g);
                        }
                        if (r < 0)
                                return log_error_errno(r, "Failed to write the fail-closed drop-in for hardenctl-selinux.service: %m");
                }
                r = write_contexts(dest, p->selinux.contexts);
                if (r < 0)
                        return r;
        }

        return 0;
}

int main(int argc, char *argv[]) {
        const char *normal, *early, *late;
        int r;

        log_set_prefix("hardenctl-system-generator");
        log_set_target(LOG_TARGET_KMSG);
        log_parse_environment();

        if (generator_parse_argv(argc, argv, &normal, &early, &late) < 0) {
                log_error("This program takes one or three arguments.");
                return EXIT_FAILURE;
        }

        r = run(normal, early);
        return r < 0 ? EXIT_FAILURE : EXIT_SUCCESS;
}
