/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* [Benchmark] CIS=: journald's storage and compression (CIS 6.1.2.3, 6.1.2.4), as systemd-journald
 * reads its configuration (probe_systemd_conf()): journald.conf, then the drop-ins of journald.conf.d
 * in the order of their names (a name in an earlier directory hiding the same name
 * later), the last assignment winning, and its defaults where none is set. */

#include "compliance-rules.h"
#include "parse-util.h"

/* ComplianceAsCode: journald_compress, journald_storage (controls/cis_debian12.yml). */
static const ItemRef journald_refs[] = {
        { "Compress", "6.1.2.3", NULL, NULL },
        { "Storage", "6.1.2.4", NULL, NULL },
};

static int check_journald_one(CheckContext *c, const ComplianceRule *rule, size_t i) {
        _cleanup_free_ char *value = NULL, *source = NULL;
        const char *key = rule->items[i].item, *have;
        ComplianceResult *x;
        bool ok;
        int r;

        r = check_begin(c, rule, key, &x);
        if (r < 0)
                return r;
        r = probe_systemd_conf(c, "journald", "Journal", key, &value, &source);
        if (r < 0)
                return r == -ENOMEM ? r : result_errno(x, r, "journald.conf.d");
        have = value ?: (i == 0 ? "yes" : "auto");
        if (i == 0) { /* a boolean, or a size: compress what is larger (journald.conf(5)) */
                uint64_t size;

                ok = parse_boolean(have) > 0 || (parse_boolean(have) < 0 && parse_size(have, &size) >= 0);
        } else
                ok = streq(have, "persistent");
        r = result_evidence(x, source ?: "/etc/systemd/journald.conf (default)",
                            i == 0 ? "Compress=yes" : "Storage=persistent", check_tmp(c, "%s=%s", key, have));
        if (r < 0)
                return r;
        return result_set(x, ok ? RULE_PASS : RULE_FAIL, ok ? "journald has %s=%s" : "journald has %s=%s", key, have);
}

static int check_journald(CheckContext *c, const ComplianceRule *rule) {
        return check_cis_items(c, rule, check_journald_one);
}

const ComplianceRule rule_cis_journald = {
        .id = "hardenctl-cis-journald",
        .title = "journald keeps its logs on disk, compressed",
        .severity = SEVERITY_LOW,
        .rationale =
                "Logs kept only in memory are lost at reboot, when they are most needed; uncompressed ones fill the disk sooner.",
        .nist = "AU-4 AU-9 AU-11",
        .remediation =
                "Set Storage=persistent and Compress=yes in a drop-in of /etc/systemd/journald.conf.d/ and restart systemd-journald.",
        .check = check_journald,
        .items = journald_refs,
        .n_items = ELEMENTSOF(journald_refs),
};
