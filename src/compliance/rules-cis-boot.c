/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* [Benchmark] CIS=: the boot loader asks for a password (CIS 1.4.1): /boot/grub/grub.cfg, as GRUB
 * runs it, sets superusers and gives one of them a PBKDF2 password (password_pbkdf2 USER
 * grub.pbkdf2.…), so that editing entries or the command line needs it. */

#include "compliance-rules.h"

#define GRUB_CFG "/boot/grub/grub.cfg"

/* ComplianceAsCode: grub2_password (controls/cis_debian12.yml). */
static const ItemRef boot_refs[] = {
        { "boot loader password", "1.4.1", "SRG-OS-000080-GPOS-00048", "UBTU-22-212010" },
};

/* The first line of text that starts with prefix (after blanks), its number in ret_line. */
static const char *find_line(const char *text, const char *prefix, unsigned *ret_line, size_t *ret_len) {
        unsigned line = 0;

        for (const char *l = text; l && *l;) {
                const char *end = strchrnul(l, '\n'), *p = l + strspn(l, " \t");

                line++;
                l = *end ? end + 1 : NULL;
                if (startswith(p, prefix)) {
                        *ret_line = line;
                        *ret_len = end - p;
                        return p;
                }
        }
        return NULL;
}

static int check_boot_one(CheckContext *c, const ComplianceRule *rule, size_t i) {
        _cleanup_free_ char *text = NULL, *users = NULL;
        const char *su, *pw;
        unsigned su_line = 0, pw_line = 0;
        size_t su_len = 0, pw_len = 0;
        ComplianceResult *x;
        int r;

        r = check_begin(c, rule, rule->items[i].item, &x);
        if (r < 0)
                return r;
        r = probe_read_file(c, GRUB_CFG, 0, &text);
        if (r == -ENOENT)
                return result_set(x, RULE_NOTAPPLICABLE, "%s is missing (GRUB is not the boot loader)", GRUB_CFG);
        if (r < 0)
                return r == -ENOMEM ? r : result_errno(x, r, GRUB_CFG);
        su = find_line(text, "set superusers=", &su_line, &su_len);
        pw = find_line(text, "password_pbkdf2 ", &pw_line, &pw_len);
        if (su) {
                users = strndup(su, su_len);
                if (!users)
                        return -ENOMEM;
        }
        r = result_evidence(x, su ? check_tmp(c, "%s:%u", GRUB_CFG, su_line) : GRUB_CFG, "set superusers=USER",
                            users ?: "none");
        if (r < 0)
                return r;
        r = result_evidence(
                x, pw ? check_tmp(c, "%s:%u", GRUB_CFG, pw_line) : GRUB_CFG, "password_pbkdf2 USER grub.pbkdf2.…",
                pw ? (strstr(pw, " grub.pbkdf2.") ? "password_pbkdf2 (hash)" : "password_pbkdf2 (no hash)") : "none");
        if (r < 0)
                return r;
        if (!su || !pw || !strstr(pw, " grub.pbkdf2."))
                return result_set(x, RULE_FAIL, "GRUB sets no %s", !su ? "superusers" : "PBKDF2 password");
        return result_set(x, RULE_PASS, "GRUB asks for a superuser's password");
}

static int check_boot(CheckContext *c, const ComplianceRule *rule) {
        return check_cis_items(c, rule, check_boot_one);
}

const ComplianceRule rule_cis_boot_password = {
        .id = "hardenctl-cis-boot-password",
        .title = "The boot loader asks for a password to change what it boots",
        .severity = SEVERITY_HIGH,
        .rationale =
                "Without a boot loader password anyone at the console can edit the kernel command line (init=/bin/sh, no lockdown, no audit) and bypass every control the running system enforces.",
        .nist = "AC-3 CM-6",
        .remediation =
                "Create a hash with grub-mkpasswd-pbkdf2, add \"set superusers=NAME\" and \"password_pbkdf2 NAME HASH\" to /etc/grub.d/40_custom, and run update-grub.",
        .check = check_boot,
        .items = boot_refs,
        .n_items = ELEMENTSOF(boot_refs),
};
