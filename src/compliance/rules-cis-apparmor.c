/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* [Benchmark] CIS=: AppArmor (CIS 1.3.1.1-1.3.1.4), the mandatory access control the benchmark
 * configures on Debian: its packages, its parameters on the next boot's command line, and the mode of
 * every profile the kernel has loaded (securityfs: /sys/kernel/security/apparmor/profiles, one
 * "NAME (MODE)" line per profile). */

#include "compliance-rules.h"

/* ComplianceAsCode: package_apparmor_installed, package_apparmor-utils_installed, grub2_enable_apparmor,
 * all_apparmor_profiles_in_enforce_complain_mode, all_apparmor_profiles_enforced
 * (controls/cis_debian12.yml). */
static const ItemRef apparmor_refs[] = {
        { "AppArmor installed", "1.3.1.1", NULL, NULL },
        { "AppArmor enabled at boot", "1.3.1.2", NULL, NULL },
        { "AppArmor profiles enforce or complain", "1.3.1.3", NULL, NULL },
        { "AppArmor profiles enforce", "1.3.1.4", NULL, NULL },
};

#define APPARMOR_PROFILES "/sys/kernel/security/apparmor/profiles"

static int check_installed(CheckContext *c, ComplianceResult *x) {
        static const char *const packages[] = { "apparmor", "apparmor-utils" };
        int r = result_packages_installed(c, x, packages, ELEMENTSOF(packages));

        if (r < 0)
                return r == -ENOMEM ? r : result_errno(x, r, "/var/lib/dpkg/status");
        return result_set(x, r ? RULE_PASS : RULE_FAIL,
                          r ? "apparmor and apparmor-utils are installed" :
                              "apparmor or apparmor-utils is not installed");
}

/* apparmor=1 and security=apparmor on the kernel command line, now and at the next boot. */
static int check_boot(CheckContext *c, ComplianceResult *x) {
        static const char *const words[] = { "apparmor=1", "security=apparmor" };

        return result_cmdline_words(c, x, words, ELEMENTSOF(words), "apparmor=1 and security=apparmor");
}

/* The modes of the loaded profiles: how many, and the first that is not one of the modes allowed. */
static int check_profiles(CheckContext *c, ComplianceResult *x, bool enforce_only) {
        _cleanup_free_ char *text = NULL;
        const char *bad = NULL;
        unsigned n = 0, nbad = 0;
        int r;

        r = probe_read_file(c, APPARMOR_PROFILES, 0, &text);
        if (r == -ENOMEM)
                return r;
        if (r == -ENOENT && c->live)
                return result_set(x, RULE_FAIL, "AppArmor is not active (no %s)", APPARMOR_PROFILES);
        if (r < 0)
                return result_missing_state(c, x, r, APPARMOR_PROFILES);
        for (char *l = text; l && *l;) {
                char *end = strchrnul(l, '\n'), *next = *end ? end + 1 : NULL, *mode;

                *end = '\0';
                mode = strrchr(l, '(');
                if (mode) {
                        n++;
                        if (!streq(mode, "(enforce)") && (enforce_only || !streq(mode, "(complain)"))) {
                                nbad++;
                                bad = bad ?: check_tmp(c, "%s", l);
                        }
                }
                l = next;
        }
        r = result_evidence(x, APPARMOR_PROFILES,
                            enforce_only ? "every profile (enforce)" : "every profile (enforce) or (complain)",
                            bad ? check_tmp(c, "%u of %u not: %s", nbad, n, bad) : check_tmp(c, "%u profiles", n));
        if (r < 0)
                return r;
        if (n == 0)
                return result_set(x, RULE_FAIL, "AppArmor has no profile loaded");
        if (bad)
                return result_set(x, RULE_FAIL, "%u of %u AppArmor profiles are not %s", nbad, n,
                                  enforce_only ? "enforcing" : "enforcing or complaining");
        return result_set(x, RULE_PASS, "All %u AppArmor profiles are %s", n,
                          enforce_only ? "enforcing" : "enforcing or complaining");
}

static int check_apparmor_one(CheckContext *c, const ComplianceRule *rule, size_t i) {
        ComplianceResult *x;
        int r;

        r = check_begin(c, rule, rule->items[i].item, &x);
        if (r < 0)
                return r;
        switch (i) {
        case 0:
                return check_installed(c, x);
        case 1:
                return check_boot(c, x);
        default:
                return check_profiles(c, x, i == 3);
        }
}

static int check_apparmor(CheckContext *c, const ComplianceRule *rule) {
        return check_cis_items(c, rule, check_apparmor_one);
}

const ComplianceRule rule_cis_apparmor = {
        .id = "hardenctl-cis-apparmor",
        .title = "AppArmor is installed, enabled at boot, and every profile is in force",
        .severity = SEVERITY_MEDIUM,
        .rationale =
                "A mandatory access control policy limits what a compromised service can reach beyond its own files; profiles left unconfined or complaining only log.",
        .nist = "AC-3(3) AC-6 SC-7(21)",
        .remediation =
                "apt install apparmor apparmor-utils; add apparmor=1 security=apparmor to GRUB_CMDLINE_LINUX in /etc/default/grub and run update-grub; aa-enforce /etc/apparmor.d/* (aa-complain where a profile is still being tuned).",
        .check = check_apparmor,
        .items = apparmor_refs,
        .n_items = ELEMENTSOF(apparmor_refs),
};
