/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* The [Packages] section's rule: forbidden software, installed or on disk. */

#include "compliance-rules.h"

static int check_packages(CheckContext *c, const ComplianceRule *rule) {
        const DpkgDatabase *db = NULL;
        int dr;

        if (!c->profile->packages.forbid)
                return 0;
        dr = probe_dpkg(c, &db);
        STRV_FOREACH(name, c->profile->packages.forbid) {
                ComplianceResult *x = BEGIN(c, rule, *name);
                _cleanup_free_ char *exe = NULL;
                const DpkgPackage *pkg = NULL;
                int er;

                if (dr >= 0) {
                        pkg = dpkg_lookup(db, *name);
                        TRY(result_evidence(x, "/var/lib/dpkg/status", "not installed",
                                            pkg ? check_tmp(c, "%s %s (%s)", pkg->name, pkg->version, pkg->status) : "not installed"));
                } else if (dr != -ENOENT) {
                        TRY(result_errno(x, dr, "/var/lib/dpkg/status"));
                        continue;
                }
                er = probe_executable(c, *name, &exe);
                if (er < 0 && er != -EINVAL)
                        return er;
                TRY(result_evidence(x, "executables", check_tmp(c, "no %s", *name), er > 0 ? exe : "none"));
                if (pkg)
                        TRY(result_set(x, RULE_FAIL, "%s is installed (%s)", *name, pkg->version));
                else if (er > 0)
                        TRY(result_set(x, RULE_FAIL, "%s is on disk at %s, outside the package database", *name, exe));
                else
                        TRY(result_set(x, RULE_PASS, "%s is not installed", *name));
        }
        return 0;
}

/* ---- the rules ---- */

const ComplianceRule rule_packages_forbidden = {
        /* ComplianceAsCode: per item (package_*_removed rules, CIS 2.1.x, 2.2.x); the NIST controls are
         * our own. */
        .id = "hardenctl-packages-forbidden",
        .title = "Software the profile forbids is not installed",
        .severity = SEVERITY_MEDIUM,
        .rationale = "Compilers, debuggers, legacy clear-text clients and servers widen what an intruder can do.",
        .nist = "CM-7 CM-7(4) CM-11",
        .remediation = "apt-get purge PACKAGE; remove binaries installed outside the package manager.",
        .check = check_packages,
};
