/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* The [Services] section's rules: the sandboxing of services, and the units that are masked. */

#include <fcntl.h>
#include <limits.h>
#include <unistd.h>

#include "compliance-rules.h"
#include "fs-util.h"

static size_t words_count(const char *s) {
        size_t n = 0;

        for (const char *p = s + (s[0] == '~'); *p;) {
                p += strspn(p, " ");
                if (!*p)
                        break;
                n++;
                p += strcspn(p, " ");
        }
        return n;
}

typedef struct ServiceProperty {
        const char *property;
        size_t offset;  /* into ProfileServices: an int (tristate or enum) */
        const char *(*to_string)(int v);
        unsigned weight; /* exposure weight, as systemd-analyze security weighs similar settings */
} ServiceProperty;

static const char *yes_no(int v) {
        return v ? "yes" : "no";
}

#define SP(name, field, str, w) { name, offsetof(ProfileServices, field), str, w }
static const ServiceProperty service_properties[] = {
        SP("NoNewPrivileges", no_new_privileges, yes_no, 1000),
        SP("ProtectSystem", protect_system, protect_system_to_string, 1000),
        SP("ProtectHome", protect_home, protect_home_to_string, 1000),
        SP("PrivateTmp", private_tmp, yes_no, 1000),
        SP("PrivateDevices", private_devices, yes_no, 1000),
        SP("ProtectKernelTunables", protect_kernel_tunables, yes_no, 1000),
        SP("ProtectKernelModules", protect_kernel_modules, yes_no, 1000),
        SP("ProtectKernelLogs", protect_kernel_logs, yes_no, 1000),
        SP("ProtectControlGroups", protect_control_groups, yes_no, 1000),
        SP("RestrictSUIDSGID", restrict_suid_sgid, yes_no, 1000),
        SP("MemoryDenyWriteExecute", memory_deny_write_execute, yes_no, 100),
        SP("LockPersonality", lock_personality, yes_no, 100),
        SP("RestrictRealtime", restrict_realtime, yes_no, 500),
};

/* Whether the unit's value meets the wanted one: for ProtectSystem and ProtectHome, stricter also counts. */
static bool property_meets(const char *property, const char *want, const char *have) {
        static const char *const system_order[] = { "no", "yes", "full", "strict" };
        static const char *const home_order[] = { "no", "read-only", "tmpfs", "yes" };
        const char *const *order = streq(property, "ProtectSystem") ? system_order : streq(property, "ProtectHome") ? home_order : NULL;

        if (streq(want, have))
                return true;
        if (!order)
                return streq(want, "no"); /* a boolean that is on where "no" was asked for is no weakness */
        for (size_t i = 0; i < 4; i++) {
                if (streq(order[i], have))
                        return false;
                if (streq(order[i], want))
                        break;
        }
        for (size_t i = 0; i < 4; i++)
                if (streq(order[i], have))
                        return true;
        return false;
}

static bool list_subset(const char *have, char *const *allowed) {
        _cleanup_free_ char *copy = strdup(have);

        if (!copy || have[0] == '~' || isempty(have))
                return false;
        for (char *s = copy, *t; (t = strsep(&s, " "));)
                if (!isempty(t) && !strv_contains(allowed, t))
                        return false;
        return true;
}

static int check_service_confinement(CheckContext *c, const ComplianceRule *rule) {
        const ProfileServices *s = &c->profile->services;

        STRV_FOREACH(unit, s->confine) {
                ComplianceResult *x = BEGIN(c, rule, *unit);
                unsigned exposure = 0, weights = 0, bad = 0, read = 0;
                int error = 0;

                if (!c->live) {
                        TRY(result_offline(x, "A service's sandboxing"));
                        continue;
                }
                {
                        _cleanup_free_ char *state = NULL;

                        /* A unit the host does not have runs nowhere: nothing to confine. */
                        if (probe_unit_property(c, *unit, "org.freedesktop.systemd1.Unit", "LoadState", &state) >= 0 &&
                            streq(state, "not-found")) {
                                TRY(result_evidence(x, check_tmp(c, "dbus:%s LoadState", *unit), "loaded", state));
                                TRY(result_set(x, RULE_NOTAPPLICABLE, "%s is not installed on this host", *unit));
                                continue;
                        }
                }
                for (size_t i = 0; i < ELEMENTSOF(service_properties); i++) {
                        const ServiceProperty *sp = service_properties + i;
                        int want = *(const int *) ((const uint8_t *) s + sp->offset);
                        _cleanup_free_ char *have = NULL;
                        int r;

                        r = probe_unit_property(c, *unit, "org.freedesktop.systemd1.Service", sp->property, &have);
                        if (r < 0) {
                                error = r;
                                break;
                        }
                        read++;
                        weights += sp->weight;
                        if (streq(have, "no") || streq(have, "false"))
                                exposure += sp->weight;
                        if (want < 0)
                                continue;
                        TRY(result_evidence(x, check_tmp(c, "dbus:%s %s", *unit, sp->property), sp->to_string(want), have));
                        if (!property_meets(sp->property, sp->to_string(want), have))
                                bad++;
                }
                if (!error && s->capability_bounding_set) {
                        _cleanup_free_ char *have = NULL, *want = strv_join(s->capability_bounding_set, " ");
                        int r = probe_unit_property(c, *unit, "org.freedesktop.systemd1.Service", "CapabilityBoundingSet", &have);

                        if (r < 0)
                                error = r;
                        else {
                                TRY(result_evidence(x, check_tmp(c, "dbus:%s CapabilityBoundingSet", *unit),
                                                    check_tmp(c, "at most %s", strna(want)), have));
                                if (!isempty(have) && !list_subset(have, s->capability_bounding_set))
                                        bad++;
                        }
                }
                if (!error && s->restrict_address_families) {
                        _cleanup_free_ char *have = NULL, *want = strv_join(s->restrict_address_families, " ");
                        int r = probe_unit_property(c, *unit, "org.freedesktop.systemd1.Service", "RestrictAddressFamilies", &have);

                        if (r < 0)
                                error = r;
                        else {
                                bool deny = s->restrict_address_families[0][0] == '~';

                                TRY(result_evidence(x, check_tmp(c, "dbus:%s RestrictAddressFamilies", *unit), want, have));
                                if (deny ? isempty(have) : !list_subset(have, s->restrict_address_families))
                                        bad++;
                        }
                }
                if (!error && s->system_call_filter) {
                        _cleanup_free_ char *have = NULL, *want = strv_join(s->system_call_filter, " ");
                        int r = probe_unit_property(c, *unit, "org.freedesktop.systemd1.Service", "SystemCallFilter", &have);

                        if (r < 0)
                                error = r;
                        else {
                                /* Groups are expanded by the service manager: only the presence of a
                                 * filter is compared. */
                                TRY(result_evidence(x, check_tmp(c, "dbus:%s SystemCallFilter", *unit), want,
                                                    isempty(have) ? "none" : check_tmp(c, "%zu system calls %s", words_count(have), have[0] == '~' ? "denied" : "allowed")));
                                if (isempty(have))
                                        bad++;
                        }
                }
                if (error) {
                        TRY(result_errno(x, error, check_tmp(c, "the properties of %s over D-Bus", *unit)));
                        continue;
                }
                TRY(result_evidence(x, "exposure (0 = fully sandboxed, 10 = not at all)", NULL,
                                    check_tmp(c, "%.1f", weights ? 10.0 * exposure / weights : 10.0)));
                if (bad == 0)
                        TRY(result_set(x, RULE_PASS, "%s is confined as the profile asks", *unit));
                else
                        TRY(result_set(x, RULE_FAIL, "%s misses %u of the profile's sandboxing settings", *unit, bad));
        }
        return 0;
}

static int check_service_masked(CheckContext *c, const ComplianceRule *rule) {
        static const char *const dirs[] = { "/etc/systemd/system", "/run/systemd/system", "/run/systemd/generator.early" };

        STRV_FOREACH(unit, c->profile->services.mask) {
                ComplianceResult *x = BEGIN(c, rule, *unit);
                _cleanup_free_ char *state = NULL;
                const char *masked_by = NULL;

                sd_bus *bus;

                /* The service manager knows best; without it (offline, or not running) the unit
                 * directories tell. */
                if (c->live && probe_bus(c, &bus) >= 0) {
                        int r = probe_unit_property(c, *unit, "org.freedesktop.systemd1.Unit", "LoadState", &state);

                        if (r < 0) {
                                TRY(result_errno(x, r, check_tmp(c, "the LoadState of %s over D-Bus", *unit)));
                                continue;
                        }
                        TRY(result_evidence(x, check_tmp(c, "dbus:%s LoadState", *unit), "masked", state));
                        TRY(result_set(x, streq(state, "masked") ? RULE_PASS : RULE_FAIL, "%s is %s", *unit, state));
                        continue;
                }
                for (size_t i = 0; i < ELEMENTSOF(dirs) && !masked_by; i++) {
                        _cleanup_free_ char *p = strprintf("%s/%s", dirs[i], *unit);
                        char target[PATH_MAX];
                        _cleanup_close_ int dfd = -EBADF;
                        ssize_t k;

                        if (!p)
                                return -ENOMEM;
                        dfd = open_in_root(c->root_fd, dirs[i], O_PATH | O_DIRECTORY);
                        if (dfd < 0)
                                continue;
                        k = readlinkat(dfd, *unit, target, sizeof(target) - 1);
                        if (k > 0) {
                                target[k] = 0;
                                if (streq(target, "/dev/null"))
                                        masked_by = dirs[i];
                        }
                }
                TRY(result_evidence(x, "unit directories", "a symlink to /dev/null", masked_by ?: "none"));
                TRY(result_set(x, masked_by ? RULE_PASS : RULE_FAIL, masked_by ? "%s is masked" : "%s is not masked", *unit));
        }
        return 0;
}

/* ---- the rules ---- */

const ComplianceRule rule_service_confinement = {
        .id = "hardenctl-service-confinement",
        .title = "Services run with the sandboxing the profile asks for",
        .severity = SEVERITY_MEDIUM,
        .rationale = "Sandboxed services see less of the system, so a compromise reaches less; the exposure figure weighs the settings in the spirit of systemd-analyze security.",
        .nist = "AC-6 SC-39 CM-7",
        .remediation = "Boot with hardenctl-system-generator, which writes the [Services] drop-ins, and restart the service.",
        .check = check_service_confinement,
};

const ComplianceRule rule_service_masked = {
        /* ComplianceAsCode: per item (disable_ctrlaltdel_reboot); the NIST controls are our own. */
        .id = "hardenctl-service-masked",
        .title = "Units the profile forbids are masked",
        .severity = SEVERITY_MEDIUM,
        .rationale = "A masked unit cannot be started, not even as a dependency.",
        .nist = "CM-7",
        .remediation = "systemctl mask UNIT (hardenctl-system-generator masks [Services] Mask= at boot).",
        .check = check_service_masked,
};
