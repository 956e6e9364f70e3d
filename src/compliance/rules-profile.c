/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* The [Profile] section's rule: whether enforcement can be switched off from the boot loader. */

#include "compliance-rules.h"
#include "proc-cmdline.h"

typedef struct KillSwitches {
        char **found;
} KillSwitches;

static int kill_switch_cb(const char *key, const char *value, void *userdata) {
        KillSwitches *k = userdata;
        const char *topic = streq(key, "hardenctl") ? "" : startswith(key, "hardenctl.");

        if (!topic || !value)
                return 0;
        if (!streq(value, "0") && !streq(value, "no") && !streq(value, "false") && !streq(value, "off"))
                return 0;
        return strv_consume(&k->found, strprintf("%s=%s", key, value));
}

static int check_kill_switch(CheckContext *c, const ComplianceRule *rule) {
        _cleanup_strv_free_ char **found = NULL;
        _cleanup_free_ char *joined = NULL;
        KillSwitches k = {};
        ComplianceResult *x;
        const char *cmdline;
        int r;

        if (c->profile->meta.allow_kill_switch < 0)
                return 0;
        r = check_begin(c, rule, NULL, &x);
        if (r < 0)
                return r;
        r = probe_cmdline(c, &cmdline);
        if (r < 0)
                return result_missing_state(c, x, r, "/proc/cmdline");
        r = proc_cmdline_parse(cmdline, false, kill_switch_cb, &k);
        found = k.found;
        if (r < 0)
                return r;
        joined = found ? strv_join(found, " ") : strdup("none");
        if (!joined)
                return -ENOMEM;
        r = result_evidence(x, "/proc/cmdline", "no hardenctl=0 or hardenctl.TOPIC=0", joined);
        if (r < 0)
                return r;
        if (!found)
                return result_set(x, RULE_PASS, "No kill switch on the kernel command line");
        if (c->profile->meta.allow_kill_switch == 0)
                return result_set(x, RULE_PASS,
                                  "Kill switches on the command line (%s) are refused by AllowKillSwitch=no", joined);
        return result_set(x, RULE_FAIL, "Enforcement is switched off on the kernel command line: %s", joined);
}

/* ---- the rules ---- */

const ComplianceRule rule_boot_kill_switch = {
        .id = "hardenctl-boot-kill-switch",
        .title = "Hardening cannot be switched off from the boot loader",
        .severity = SEVERITY_HIGH,
        .rationale =
                "Whoever can edit the kernel command line could otherwise boot without verity, the /etc overlay or the audit rules.",
        .nist = "CM-6 CM-5",
        .remediation =
                "Set [Profile] AllowKillSwitch=no, remove hardenctl=0 and hardenctl.*=0 from the command line and protect the boot loader configuration.",
        .check = check_kill_switch,
};
