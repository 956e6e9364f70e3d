/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* [Benchmark] CIS=: journald's storage and compression (CIS 6.1.2.3, 6.1.2.4), as systemd-journald
 * reads its configuration: journald.conf, then the drop-ins of /etc, /run and /usr/lib
 * journald.conf.d in the order of their names (a name in an earlier directory hiding the same name
 * later), the last assignment winning, and its defaults where none is set. */

#include "compliance-rules.h"

/* ComplianceAsCode: journald_compress, journald_storage (controls/cis_debian12.yml). */
static const ItemRef journald_refs[] = {
        { "Compress", "6.1.2.3", NULL, NULL },
        { "Storage", "6.1.2.4", NULL, NULL },
};

static const char *const journald_dirs[] = { "/etc/systemd/journald.conf.d", "/run/systemd/journald.conf.d",
                                             "/usr/local/lib/systemd/journald.conf.d",
                                             "/usr/lib/systemd/journald.conf.d" };

/* The last "KEY=VALUE" of key in a [Journal] file (section headers other than [Journal] end it). */
static int journald_scan(const char *path, const char *text, const char *key, char **value, char **source) {
        size_t kl = strlen(key);
        unsigned line = 0;
        bool journal = false;

        for (const char *l = text; l && *l;) {
                const char *end = strchrnul(l, '\n'), *p = l + strspn(l, " \t");

                line++;
                l = *end ? end + 1 : NULL;
                if (*p == '[') {
                        journal = strneq(p, "[Journal]", 9);
                        continue;
                }
                if (!journal || !strneq(p, key, kl))
                        continue;
                p += kl;
                p += strspn(p, " \t");
                if (*p != '=')
                        continue;
                p++;
                p += strspn(p, " \t");
                free(*value);
                free(*source);
                *value = strndup(p, strcspn(p, " \t\r\n#"));
                *source = strprintf("%s:%u", path, line);
                if (!*value || !*source)
                        return -ENOMEM;
        }
        return 0;
}

static int check_journald_one(CheckContext *c, const ComplianceRule *rule, size_t i) {
        _cleanup_strv_free_ char **dropins = NULL, **files = NULL;
        _cleanup_free_ char *value = NULL, *source = NULL;
        const char *key = rule->items[i].item, *have;
        ComplianceResult *x;
        bool ok;
        int r;

        r = check_begin(c, rule, key, &x);
        if (r < 0)
                return r;
        r = probe_conf_files(c, journald_dirs, ELEMENTSOF(journald_dirs), ".conf", &dropins);
        if (r < 0)
                return r == -ENOMEM ? r : result_errno(x, r, "journald.conf.d");
        /* journald.conf first, then the drop-ins. */
        if (strv_extend(&files, "/etc/systemd/journald.conf") < 0)
                return -ENOMEM;
        STRV_FOREACH(p, dropins)
                if (strv_extend(&files, *p) < 0)
                        return -ENOMEM;
        for (size_t k = 0; files[k]; k++) {
                _cleanup_free_ char *text = NULL;

                if (probe_read_file(c, files[k], 0, &text) < 0)
                        continue;
                r = journald_scan(files[k], text, key, &value, &source);
                if (r < 0)
                        return r;
        }
        have = value ?: (i == 0 ? "yes" : "auto");
        ok = i == 0 ? (streq(have, "yes") || streq(have, "1") || streq(have, "true")) : streq(have, "persistent");
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
