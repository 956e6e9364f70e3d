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

/* The strictness of ProtectSystem= and ProtectHome= values, weakest first: a stricter value than the one
 * asked for meets it too. NULL-terminated. */
static const char *const protect_system_order[] = { "no", "yes", "full", "strict", NULL };
static const char *const protect_home_order[] = { "no", "read-only", "tmpfs", "yes", NULL };

/* The settings of [Services] that are one value (a boolean or an enum), compared with the unit's. */
typedef struct ServiceProperty {
        const char *property;
        size_t offset; /* into ProfileServices: an int (tristate or enum) */
        const char *(*to_string)(int v);
        unsigned weight;          /* exposure weight, as systemd-analyze security weighs similar settings */
        const char *const *order; /* the values by strictness; NULL for a boolean */
} ServiceProperty;

static const char *yes_no(int v) {
        return v ? "yes" : "no";
}

#define SP(name, field, str, w, ...) \
        { name, offsetof(ProfileServices, field), str, w, __VA_ARGS__ }
static const ServiceProperty service_properties[] = {
        SP("NoNewPrivileges", no_new_privileges, yes_no, 1000),
        SP("ProtectSystem", protect_system, protect_system_to_string, 1000, protect_system_order),
        SP("ProtectHome", protect_home, protect_home_to_string, 1000, protect_home_order),
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

/* Whether the unit's value meets the wanted one: for a property with an order, stricter also counts. */
static bool property_meets(const ServiceProperty *sp, const char *want, const char *have) {
        if (streq(want, have))
                return true;
        if (!sp->order)
                return streq(want, "no"); /* a boolean that is on where "no" was asked for is no weakness */
        for (const char *const *o = sp->order; *o; o++) {
                if (streq(*o, have))
                        return false;
                if (streq(*o, want))
                        break;
        }
        for (const char *const *o = sp->order; *o; o++)
                if (streq(*o, have))
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

/* The settings of [Services] that are lists, compared with the unit's. */
typedef struct ServiceList {
        const char *property;
        size_t offset;               /* into ProfileServices: a strv, NULL when unset */
        const char *expected_prefix; /* before the wanted list, in the evidence */
        bool (*meets)(const char *have, char *const *want);
        const char *(*describe)(CheckContext *c, const char *have); /* the unit's value as evidence; NULL: as is */
} ServiceList;

/* No bounding set (empty: all capabilities) is not judged; one is, as a subset of the allowed ones. */
static bool capabilities_meet(const char *have, char *const *want) {
        return isempty(have) || list_subset(have, want);
}

/* A deny list ("~AF_…") asks for any restriction; an allow list, for a subset of it. */
static bool address_families_meet(const char *have, char *const *want) {
        return want[0][0] == '~' ? !isempty(have) : list_subset(have, want);
}

/* Groups are expanded by the service manager: only the presence of a filter is compared. */
static bool system_call_filter_meets(const char *have, char *const *want) {
        return !isempty(have);
}

static const char *system_call_filter_describe(CheckContext *c, const char *have) {
        if (isempty(have))
                return "none";
        return check_tmp(c, "%zu system calls %s", words_count(have), have[0] == '~' ? "denied" : "allowed");
}

static const ServiceList service_lists[] = {
        { "CapabilityBoundingSet", offsetof(ProfileServices, capability_bounding_set), "at most ", capabilities_meet },
        { "RestrictAddressFamilies", offsetof(ProfileServices, restrict_address_families), "", address_families_meet },
        { "SystemCallFilter", offsetof(ProfileServices, system_call_filter), "", system_call_filter_meets,
          system_call_filter_describe },
};

static int check_service_confinement_one(CheckContext *c, const ComplianceRule *rule, const char *unit) {
        const ProfileServices *s = &c->profile->services;
        unsigned exposure = 0, weights = 0, bad = 0;
        ComplianceResult *x;
        int r;

        r = check_begin(c, rule, unit, &x);
        if (r < 0)
                return r;
        if (!c->live)
                return result_offline(x, "A service's sandboxing");
        {
                _cleanup_free_ char *state = NULL;

                /* A unit the host does not have runs nowhere: nothing to confine. */
                if (probe_unit_property(c, unit, "org.freedesktop.systemd1.Unit", "LoadState", &state) >= 0 &&
                    streq(state, "not-found")) {
                        r = result_evidence(x, check_tmp(c, "dbus:%s LoadState", unit), "loaded", state);
                        if (r < 0)
                                return r;
                        return result_set(x, RULE_NOTAPPLICABLE, "%s is not installed on this host", unit);
                }
        }
        for (size_t i = 0; i < ELEMENTSOF(service_properties); i++) {
                const ServiceProperty *sp = service_properties + i;
                int want = *(const int *) ((const uint8_t *) s + sp->offset);
                _cleanup_free_ char *have = NULL;

                r = probe_unit_property(c, unit, "org.freedesktop.systemd1.Service", sp->property, &have);
                if (r < 0)
                        return result_errno(x, r, check_tmp(c, "the properties of %s over D-Bus", unit));
                weights += sp->weight;
                if (streq(have, "no") || streq(have, "false"))
                        exposure += sp->weight;
                if (want < 0)
                        continue;
                r = result_evidence(x, check_tmp(c, "dbus:%s %s", unit, sp->property), sp->to_string(want), have);
                if (r < 0)
                        return r;
                if (!property_meets(sp, sp->to_string(want), have))
                        bad++;
        }
        for (size_t i = 0; i < ELEMENTSOF(service_lists); i++) {
                const ServiceList *sl = service_lists + i;
                char *const *want = *(char *const *const *) ((const uint8_t *) s + sl->offset);
                _cleanup_free_ char *have = NULL, *joined = NULL;

                if (!want)
                        continue;
                joined = strv_join(want, " ");
                if (!joined)
                        return -ENOMEM;
                r = probe_unit_property(c, unit, "org.freedesktop.systemd1.Service", sl->property, &have);
                if (r < 0)
                        return result_errno(x, r, check_tmp(c, "the properties of %s over D-Bus", unit));
                r = result_evidence(x, check_tmp(c, "dbus:%s %s", unit, sl->property),
                                    check_tmp(c, "%s%s", sl->expected_prefix, joined),
                                    sl->describe ? sl->describe(c, have) : have);
                if (r < 0)
                        return r;
                if (!sl->meets(have, want))
                        bad++;
        }
        r = result_evidence(x, "exposure (0 = fully sandboxed, 10 = not at all)", NULL,
                            check_tmp(c, "%.1f", weights ? 10.0 * exposure / weights : 10.0));
        if (r < 0)
                return r;
        if (bad == 0)
                return result_set(x, RULE_PASS, "%s is confined as the profile asks", unit);
        return result_set(x, RULE_FAIL, "%s misses %u of the profile's sandboxing settings", unit, bad);
}

static int check_service_confinement(CheckContext *c, const ComplianceRule *rule) {
        return check_each(c, rule, c->profile->services.confine, check_service_confinement_one);
}

/* The unit directory below the root in which unit is a symlink to /dev/null, or NULL. */
static const char *unit_masked_in(CheckContext *c, const char *unit) {
        static const char *const dirs[] = { "/etc/systemd/system", "/run/systemd/system", "/run/systemd/generator.early" };

        for (size_t i = 0; i < ELEMENTSOF(dirs); i++) {
                _cleanup_close_ int dfd = -EBADF;
                char target[PATH_MAX];
                ssize_t k;

                dfd = open_in_root(c->root_fd, dirs[i], O_PATH | O_DIRECTORY);
                if (dfd < 0)
                        continue;
                k = readlinkat(dfd, unit, target, sizeof(target) - 1);
                if (k > 0) {
                        target[k] = 0;
                        if (streq(target, "/dev/null"))
                                return dirs[i];
                }
        }
        return NULL;
}

static int check_service_masked_one(CheckContext *c, const ComplianceRule *rule, const char *unit) {
        _cleanup_free_ char *state = NULL;
        const char *masked_by;
        ComplianceResult *x;
        sd_bus *bus;
        int r;

        r = check_begin(c, rule, unit, &x);
        if (r < 0)
                return r;
        /* The service manager knows best; without it (offline, or not running) the unit directories
         * tell. */
        if (c->live && probe_bus(c, &bus) >= 0) {
                r = probe_unit_property(c, unit, "org.freedesktop.systemd1.Unit", "LoadState", &state);
                if (r < 0)
                        return result_errno(x, r, check_tmp(c, "the LoadState of %s over D-Bus", unit));
                r = result_evidence(x, check_tmp(c, "dbus:%s LoadState", unit), "masked", state);
                if (r < 0)
                        return r;
                return result_set(x, streq(state, "masked") ? RULE_PASS : RULE_FAIL, "%s is %s", unit, state);
        }
        masked_by = unit_masked_in(c, unit);
        r = result_evidence(x, "unit directories", "a symlink to /dev/null", masked_by ?: "none");
        if (r < 0)
                return r;
        return result_set(x, masked_by ? RULE_PASS : RULE_FAIL, masked_by ? "%s is masked" : "%s is not masked", unit);
}

static int check_service_masked(CheckContext *c, const ComplianceRule *rule) {
        return check_each(c, rule, c->profile->services.mask, check_service_masked_one);
}

/* ---- the rules ---- */

const ComplianceRule rule_service_confinement = {
        .id = "hardenctl-service-confinement",
        .title = "Services run with the sandboxing the profile asks for",
        .severity = SEVERITY_MEDIUM,
        .rationale =
                "Sandboxed services see less of the system, so a compromise reaches less; the exposure figure weighs the settings in the spirit of systemd-analyze security.",
        .nist = "AC-6 SC-39 CM-7",
        .remediation =
                "Boot with hardenctl-system-generator, which writes the [Services] drop-ins, and restart the service.",
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
