/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* The [SELinux] section's rules: the running mode, the configuration the next boot reads, and the
 * contexts services run in. */

#include <selinux/selinux.h>

#include "compliance-rules.h"

static int check_selinux_mode(CheckContext *c, const ComplianceRule *rule) {
        const ProfileSELinux *s = &c->profile->selinux;
        const char *want, *actual;
        ComplianceResult *x;
        int enabled, enforce = -1, r;

        if (s->mode < 0)
                return 0;
        r = check_begin(c, rule, NULL, &x);
        if (r < 0)
                return r;
        if (!c->live)
                return result_offline(x, "The running SELinux mode");
        want = selinux_mode_to_string(s->mode);
        enabled = is_selinux_enabled();
        if (enabled > 0)
                enforce = security_getenforce();
        actual = enabled <= 0 ? "disabled" : enforce > 0 ? "enforcing" : enforce == 0 ? "permissive" : "unknown";
        r = result_evidence(x, "libselinux (selinuxfs)", want, actual);
        if (r < 0)
                return r;
        if (streq(actual, want))
                return result_set(x, RULE_PASS, "SELinux is %s", actual);
        return result_set(x, RULE_FAIL, "SELinux is %s, not %s", actual, want);
}

static int check_selinux_config(CheckContext *c, const ComplianceRule *rule) {
        const ProfileSELinux *s = &c->profile->selinux;
        /* The keys of the file the profile sets, and their values; NULL where the profile leaves it. */
        const struct {
                const char *key;
                const char *source;
                const char *want;
        } keys[] = {
                { "SELINUX", "/etc/selinux/config SELINUX=", s->mode >= 0 ? selinux_mode_to_string(s->mode) : NULL },
                { "SELINUXTYPE", "/etc/selinux/config SELINUXTYPE=", s->policy },
        };
        _cleanup_free_ char *text = NULL;
        ComplianceResult *x;
        bool ok = true;
        int r;

        if (s->mode < 0 && !s->policy)
                return 0;
        r = check_begin(c, rule, NULL, &x);
        if (r < 0)
                return r;
        r = probe_read_file(c, "/etc/selinux/config", 0, &text);
        if (r == -ENOENT) {
                r = result_evidence(x, "/etc/selinux/config", "present", "missing");
                if (r < 0)
                        return r;
                return result_set(x, s->mode == SELINUX_DISABLED ? RULE_PASS : RULE_FAIL,
                                  "/etc/selinux/config does not exist");
        }
        if (r < 0)
                return result_errno(x, r, "/etc/selinux/config");
        for (size_t i = 0; i < ELEMENTSOF(keys); i++) {
                _cleanup_free_ char *have = NULL;

                if (!keys[i].want)
                        continue;
                (void) env_file_get(text, keys[i].key, &have);
                r = result_evidence(x, keys[i].source, keys[i].want, have ?: "unset");
                if (r < 0)
                        return r;
                ok = ok && have && streq(have, keys[i].want);
        }
        return result_set(x, ok ? RULE_PASS : RULE_FAIL,
                          ok ? "The SELinux configuration the next boot reads agrees with the profile" :
                               "The SELinux configuration the next boot reads disagrees with the profile");
}

/* entry is "UNIT CONTEXT". */
static int check_selinux_context_one(CheckContext *c, const ComplianceRule *rule, const char *entry) {
        _cleanup_free_ char *unit = NULL, *actual = NULL;
        const char *want = strchr(entry, ' ');
        ComplianceResult *x;
        int r;

        if (!want)
                return 0;
        unit = strndup(entry, want - entry);
        if (!unit)
                return -ENOMEM;
        want++;
        r = check_begin(c, rule, unit, &x);
        if (r < 0)
                return r;
        if (!c->live)
                return result_offline(x, "A unit's SELinux context");
        r = probe_unit_property(c, unit, "org.freedesktop.systemd1.Service", "SELinuxContext", &actual);
        if (r < 0)
                return result_errno(x, r, check_tmp(c, "the SELinuxContext of %s over D-Bus", unit));
        r = result_evidence(x, check_tmp(c, "dbus:%s SELinuxContext", unit), want, actual);
        if (r < 0)
                return r;
        return result_set(x, streq(actual, want) ? RULE_PASS : RULE_FAIL, "%s runs %s %s", unit,
                          streq(actual, want) ? "in" : "not in", want);
}

static int check_selinux_context(CheckContext *c, const ComplianceRule *rule) {
        return check_each(c, rule, c->profile->selinux.contexts, check_selinux_context_one);
}

/* ---- the rules ---- */

const ComplianceRule rule_selinux_mode = {
        /* ComplianceAsCode: selinux_state (the running side of it). */
        .id = "hardenctl-selinux-mode",
        .title = "SELinux runs in the mode the profile asks for",
        .severity = SEVERITY_HIGH,
        .rationale = "Mandatory access control confines what a compromised service can reach.",
        .srg = "SRG-OS-000445-GPOS-00199",
        .nist = "AC-3 AC-3(3) AC-3(4) AC-4 AC-6 AU-9 SI-6(a)",
        .remediation = "Install a policy, set [SELinux] Mode=enforcing and boot with hardenctl-selinux.service.",
        .check = check_selinux_mode,
};

const ComplianceRule rule_selinux_config = {
        /* ComplianceAsCode: selinux_state. */
        .id = "hardenctl-selinux-config",
        .title = "/etc/selinux/config agrees with the profile",
        .severity = SEVERITY_MEDIUM,
        .rationale = "The next boot reads the mode and policy from /etc/selinux/config.",
        .srg = "SRG-OS-000445-GPOS-00199",
        .nist = "AC-3 AC-3(3) AC-3(4) AC-4 AC-6 AU-9 SI-6(a)",
        .remediation =
                "Set SELINUX= and SELINUXTYPE= as the profile says (hardenctl-selinux-config.service does at boot).",
        .check = check_selinux_config,
};

const ComplianceRule rule_selinux_service_context = {
        .id = "hardenctl-selinux-service-context",
        .title = "Services run in their SELinux contexts",
        .severity = SEVERITY_MEDIUM,
        .rationale = "A service in its own domain can do only what the policy grants that domain.",
        .nist = "AC-3(3) SC-39",
        .remediation = "Set SELinuxContext= for the unit ([SELinux] Context=) and restart it.",
        .check = check_selinux_context,
};
