/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* The [Packages] section's rule: forbidden software, installed or on disk. */

#include "compliance-rules.h"

static int check_package(CheckContext *c, const ComplianceRule *rule, const char *name) {
        _cleanup_free_ char *exe = NULL;
        const DpkgPackage *pkg = NULL;
        const DpkgDatabase *db;
        ComplianceResult *x;
        int r, er;

        r = check_begin(c, rule, name, &x);
        if (r < 0)
                return r;
        r = probe_dpkg(c, &db);
        if (r >= 0) {
                pkg = dpkg_lookup(db, name);
                r = result_evidence(x, "/var/lib/dpkg/status", "not installed",
                                    pkg ? check_tmp(c, "%s %s (%s)", pkg->name, pkg->version, pkg->status) :
                                          "not installed");
                if (r < 0)
                        return r;
        } else if (r != -ENOENT)
                return result_errno(x, r, "/var/lib/dpkg/status");
        er = probe_executable(c, name, &exe);
        if (er < 0 && er != -EINVAL)
                return er;
        r = result_evidence(x, "executables", check_tmp(c, "no %s", name), er > 0 ? exe : "none");
        if (r < 0)
                return r;
        if (pkg)
                return result_set(x, RULE_FAIL, "%s is installed (%s)", name, pkg->version);
        if (er > 0)
                return result_set(x, RULE_FAIL, "%s is on disk at %s, outside the package database", name, exe);
        return result_set(x, RULE_PASS, "%s is not installed", name);
}

static int check_packages(CheckContext *c, const ComplianceRule *rule) {
        return check_each(c, rule, c->profile->packages.forbid, check_package);
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
