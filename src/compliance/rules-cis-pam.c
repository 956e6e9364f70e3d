/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* [Benchmark] CIS=: PAM (CIS 5.3.x): the packages, the modules in Debian's common-auth,
 * common-account, common-password and common-session stacks (their @include lines expanded), and the
 * settings of pam_faillock, pam_pwquality and pam_pwhistory as the modules take them: their
 * settings files, then the arguments on the module's line, which win. */

#include <limits.h>

#include "compliance-rules.h"
#include "parse-util.h"
#include "path-util.h"

typedef enum PamKind {
        PAM_PACKAGE,    /* spec->key: the Debian package */
        PAM_MODULE,     /* spec->module in spec->type of spec->stack */
        PAM_SETTING,    /* spec->key of spec->module, judged by spec->ok */
        PAM_ARG_ABSENT, /* spec->key not on any pam_unix line */
        PAM_ARG_ANY,    /* one of the words of spec->key on the module's line */
} PamKind;

typedef struct PamSpec {
        PamKind kind;
        const char *stack, *type, *module, *key;
        const char *fallback; /* the module's default */
        const char *expected;
        bool (*ok)(const char *value);
} PamSpec;

static bool num_between(const char *v, unsigned lo, unsigned hi) {
        unsigned n;

        return v && safe_atou(v, &n) >= 0 && n >= lo && n <= hi;
}

static bool deny_ok(const char *v) {
        return num_between(v, 1, 5);
}
static bool unlock_ok(const char *v) {
        return num_between(v, 0, 0) || num_between(v, 900, UINT_MAX);
}
static bool root_ok(const char *v) {
        return v && (isempty(v) || num_between(v, 60, UINT_MAX)); /* even_deny_root, or root_unlock_time >= 60 */
}
static bool difok_ok(const char *v) {
        return num_between(v, 2, UINT_MAX);
}
static bool minlen_ok(const char *v) {
        return num_between(v, 14, UINT_MAX);
}
static bool one_to_three(const char *v) {
        return num_between(v, 1, 3);
}
static bool not_zero(const char *v) {
        return v && !streq(v, "0");
}
static bool present(const char *v) {
        return v != NULL;
}
static bool remember_ok(const char *v) {
        return num_between(v, 24, UINT_MAX);
}
static bool minclass_ok(const char *v) {
        return num_between(v, 4, 4);
}

#define SP(stack, type, module) stack, type, module

/* ComplianceAsCode: the rules of each item in controls/cis_debian12.yml; SRG ids from their
 * references, STIG ids from controls/stig_ubuntu2204.yml. */
static const ItemRef pam_refs[] = {
        { "libpam-runtime", "5.3.1.1", NULL, NULL },
        { "libpam-modules", "5.3.1.2", NULL, NULL },
        { "libpam-pwquality", "5.3.1.3", NULL, "UBTU-22-215010" },
        { "pam_unix", "5.3.2.1", NULL, NULL },
        { "pam_faillock", "5.3.2.2", NULL, NULL },
        { "pam_pwquality", "5.3.2.3", NULL, NULL },
        { "pam_pwhistory", "5.3.2.4", NULL, NULL },
        { "faillock deny", "5.3.3.1.1", "SRG-OS-000021-GPOS-00005 SRG-OS-000329-GPOS-00128", "UBTU-22-411045" },
        { "faillock unlock_time", "5.3.3.1.2", "SRG-OS-000021-GPOS-00005 SRG-OS-000329-GPOS-00128", "UBTU-22-411045" },
        { "faillock even_deny_root", "5.3.3.1.3", NULL, NULL },
        { "pwquality difok", "5.3.3.2.1", "SRG-OS-000072-GPOS-00040", "UBTU-22-611040" },
        { "pwquality minlen", "5.3.3.2.2", "SRG-OS-000078-GPOS-00046", "UBTU-22-611035" },
        { "pwquality minclass", "5.3.3.2.3",
          "SRG-OS-000069-GPOS-00037 SRG-OS-000070-GPOS-00038 SRG-OS-000071-GPOS-00039", NULL },
        { "pwquality maxrepeat", "5.3.3.2.4", "SRG-OS-000072-GPOS-00040", NULL },
        { "pwquality maxsequence", "5.3.3.2.5", NULL, NULL },
        { "pwquality dictcheck", "5.3.3.2.6", "SRG-OS-000072-GPOS-00040 SRG-OS-000480-GPOS-00225", "UBTU-22-611030" },
        { "pwquality enforcing", "5.3.3.2.7", "SRG-OS-000480-GPOS-00225", "UBTU-22-611045" },
        { "pwquality enforce_for_root", "5.3.3.2.8", NULL, NULL },
        { "pwhistory remember", "5.3.3.3.1", "SRG-OS-000077-GPOS-00045", NULL },
        { "pwhistory enforce_for_root", "5.3.3.3.2", NULL, NULL },
        { "pwhistory use_authtok", "5.3.3.3.3", NULL, NULL },
        { "pam_unix nullok", "5.3.3.4.1", NULL, NULL },
        { "pam_unix remember", "5.3.3.4.2", NULL, NULL },
        { "pam_unix hashing", "5.3.3.4.3", "SRG-OS-000073-GPOS-00041 SRG-OS-000120-GPOS-00061", NULL },
        { "pam_unix use_authtok", "5.3.3.4.4", NULL, NULL },
};

static const PamSpec pam_specs[] = {
        { PAM_PACKAGE, NULL, NULL, NULL, "libpam-runtime", NULL, "installed", NULL },
        { PAM_PACKAGE, NULL, NULL, NULL, "libpam-modules", NULL, "installed", NULL },
        { PAM_PACKAGE, NULL, NULL, NULL, "libpam-pwquality", NULL, "installed", NULL },
        { PAM_MODULE, SP("common-auth", "auth", "pam_unix.so"), NULL, NULL, "in common-auth", NULL },
        { PAM_MODULE, SP("common-auth", "auth", "pam_faillock.so"), NULL, NULL, "in common-auth", NULL },
        { PAM_MODULE, SP("common-password", "password", "pam_pwquality.so"), NULL, NULL, "in common-password", NULL },
        { PAM_MODULE, SP("common-password", "password", "pam_pwhistory.so"), NULL, NULL, "in common-password", NULL },
        { PAM_SETTING, SP("common-auth", "auth", "pam_faillock.so"), "deny", "3", "1 to 5", deny_ok },
        { PAM_SETTING, SP("common-auth", "auth", "pam_faillock.so"), "unlock_time", "600", "0 or 900 or more", unlock_ok },
        { PAM_SETTING, SP("common-auth", "auth", "pam_faillock.so"), "even_deny_root", NULL, "set", root_ok },
        { PAM_SETTING, SP("common-password", "password", "pam_pwquality.so"), "difok", "1", "2 or more", difok_ok },
        { PAM_SETTING, SP("common-password", "password", "pam_pwquality.so"), "minlen", "8", "14 or more", minlen_ok },
        { PAM_SETTING, SP("common-password", "password", "pam_pwquality.so"), "minclass", "0", "4", minclass_ok },
        { PAM_SETTING, SP("common-password", "password", "pam_pwquality.so"), "maxrepeat", "0", "1 to 3", one_to_three },
        { PAM_SETTING, SP("common-password", "password", "pam_pwquality.so"), "maxsequence", "0", "1 to 3", one_to_three },
        { PAM_SETTING, SP("common-password", "password", "pam_pwquality.so"), "dictcheck", "1", "not 0", not_zero },
        { PAM_SETTING, SP("common-password", "password", "pam_pwquality.so"), "enforcing", "1", "not 0", not_zero },
        { PAM_SETTING, SP("common-password", "password", "pam_pwquality.so"), "enforce_for_root", NULL, "set", present },
        { PAM_SETTING, SP("common-password", "password", "pam_pwhistory.so"), "remember", "10", "24 or more",
          remember_ok },
        { PAM_SETTING, SP("common-password", "password", "pam_pwhistory.so"), "enforce_for_root", NULL, "set", present },
        { PAM_ARG_ANY, SP("common-password", "password", "pam_pwhistory.so"), "use_authtok", NULL, "use_authtok", NULL },
        { PAM_ARG_ABSENT, NULL, NULL, "pam_unix.so", "nullok", NULL, "no nullok", NULL },
        { PAM_ARG_ABSENT, NULL, NULL, "pam_unix.so", "remember", NULL, "no remember=", NULL },
        { PAM_ARG_ANY, SP("common-password", "password", "pam_unix.so"), "sha512 yescrypt", NULL, "sha512 or yescrypt",
          NULL },
        { PAM_ARG_ANY, SP("common-password", "password", "pam_unix.so"), "use_authtok", NULL, "use_authtok", NULL },
};

_Static_assert(ELEMENTSOF(pam_refs) == ELEMENTSOF(pam_specs), "one spec per item");

static const char *const pam_stacks[] = { "common-auth", "common-account", "common-password", "common-session" };

typedef struct PamState {
        bool done;
        PamStack stacks[ELEMENTSOF(pam_stacks)];
        int r[ELEMENTSOF(pam_stacks)];
} PamState;

static void pam_state_done(PamState *s) {
        for (size_t i = 0; i < ELEMENTSOF(pam_stacks); i++)
                pam_stack_done(s->stacks + i);
}

static const PamStack *stack_of(const PamState *s, const char *name, int *ret_r) {
        for (size_t i = 0; i < ELEMENTSOF(pam_stacks); i++)
                if (streq(pam_stacks[i], name)) {
                        *ret_r = s->r[i];
                        return s->stacks + i;
                }
        *ret_r = -ENOENT;
        return NULL;
}

static const PamLine *find_line(const PamStack *st, const char *type, const char *module) {
        for (size_t i = 0; st && i < st->n; i++)
                if (pam_line_is(st->lines + i, type, module))
                        return st->lines + i;
        return NULL;
}

/* The value a module takes for key: its settings file(s), then its line's arguments. Sets *ret_source. */
static int module_setting(CheckContext *c, const PamLine *l, const char *module, const char *key, char **ret_value,
                          const char **ret_source) {
        _cleanup_strv_free_ char **files = NULL;
        _cleanup_free_ char *base = strndup(module + 4, strlen(module) - 7); /* "pam_X.so" → "X" */
        const char *arg;
        int r;

        if (!base)
                return -ENOMEM;
        r = strv_consume(&files, strprintf("/etc/security/%s.conf", base));
        if (r < 0)
                return r;
        if (streq(base, "pwquality")) {
                _cleanup_strv_free_ char **d = NULL;

                r = probe_list_dir(c, "/etc/security/pwquality.conf.d", probe_suffix_filter, ".conf", &d);
                if (r == -ENOMEM)
                        return r;
                STRV_FOREACH(p, d)
                        if (strv_extend(&files, *p) < 0)
                                return -ENOMEM;
        }
        STRV_FOREACH(f, files) {
                _cleanup_free_ char *text = NULL, *v = NULL;
                unsigned line;

                if (probe_read_file(c, *f, 0, &text) < 0)
                        continue;
                r = pam_conf_get(text, key, &v, &line);
                if (r < 0)
                        return r;
                if (r > 0) {
                        free(*ret_value);
                        *ret_value = TAKE_PTR(v);
                        *ret_source = check_tmp(c, "%s:%u", *f, line);
                }
        }
        arg = l ? pam_line_arg(l, key) : NULL;
        if (arg) {
                free(*ret_value);
                *ret_value = strdup(arg);
                if (!*ret_value)
                        return -ENOMEM;
                *ret_source = l->source;
        }
        return 0;
}

static int check_pam_one(CheckContext *c, const ComplianceRule *rule, PamState *s, size_t i) {
        const PamSpec *spec = pam_specs + i;
        const char *item = rule->items[i].item;
        const PamStack *st = NULL;
        const PamLine *l = NULL;
        ComplianceResult *x;
        int r, sr = 0;

        r = check_begin(c, rule, item, &x);
        if (r < 0)
                return r;
        if (!s->done) {
                s->done = true;
                for (size_t k = 0; k < ELEMENTSOF(pam_stacks); k++) {
                        s->r[k] = probe_pam_stack(c, pam_stacks[k], s->stacks + k);
                        if (s->r[k] == -ENOMEM)
                                return -ENOMEM;
                }
        }
        if (spec->kind == PAM_PACKAGE) {
                const DpkgDatabase *db;
                const DpkgPackage *p;

                r = probe_dpkg(c, &db);
                if (r < 0)
                        return result_errno(x, r, "/var/lib/dpkg/status");
                p = dpkg_lookup(db, spec->key);
                r = result_evidence(x, "/var/lib/dpkg/status", "installed",
                                    p ? check_tmp(c, "%s %s", p->status, p->version) : "not installed");
                if (r < 0)
                        return r;
                return result_set(x, p ? RULE_PASS : RULE_FAIL, p ? "%s is installed" : "%s is not installed", spec->key);
        }
        if (spec->kind == PAM_ARG_ABSENT) {
                _cleanup_strv_free_ char **found = NULL;
                _cleanup_free_ char *joined = NULL;

                for (size_t k = 0; k < ELEMENTSOF(pam_stacks); k++)
                        for (size_t j = 0; j < s->stacks[k].n; j++) {
                                const PamLine *pl = s->stacks[k].lines + j;
                                const char *b = pl->module ? strrchr(pl->module, '/') : NULL;

                                if (pl->module && streq(b ? b + 1 : pl->module, spec->module) &&
                                    pam_line_arg(pl, spec->key) && strv_extend(&found, pl->source) < 0)
                                        return -ENOMEM;
                        }
                if (found && !(joined = strv_join(found, " ")))
                        return -ENOMEM;
                r = result_evidence(x, "/etc/pam.d/common-*", spec->expected,
                                    found ? check_tmp(c, "%s at %s", spec->key, joined) : "none");
                if (r < 0)
                        return r;
                return result_set(x, found ? RULE_FAIL : RULE_PASS,
                                  found ? "pam_unix takes %s" : "pam_unix does not take %s", spec->key);
        }

        st = stack_of(s, spec->stack, &sr);
        if (sr == -ENOENT)
                return result_set(x, RULE_FAIL, "There is no /etc/pam.d/%s", spec->stack);
        if (sr < 0)
                return result_errno(x, sr, check_tmp(c, "/etc/pam.d/%s", spec->stack));
        l = find_line(st, spec->type, spec->module);

        if (spec->kind == PAM_MODULE) {
                r = result_evidence(x, l ? l->source : check_tmp(c, "/etc/pam.d/%s", spec->stack),
                                    check_tmp(c, "%s %s", spec->type, spec->module),
                                    l ? check_tmp(c, "%s %s %s", l->type, strna(l->control), l->module) : "absent");
                if (r < 0)
                        return r;
                return result_set(x, l ? RULE_PASS : RULE_FAIL,
                                  l ? "%s is in the %s stack" : "%s is not in the %s stack", spec->module, spec->stack);
        }
        if (spec->kind == PAM_ARG_ANY) {
                const char *have = NULL;

                for (const char *p = spec->key; l && *p && !have;) {
                        size_t n = strcspn(p, " ");
                        _cleanup_free_ char *w = strndup(p, n);

                        if (!w)
                                return -ENOMEM;
                        if (pam_line_arg(l, w))
                                have = check_tmp(c, "%s", w);
                        p += n + (p[n] ? 1 : 0);
                }
                r = result_evidence(x, l ? l->source : check_tmp(c, "/etc/pam.d/%s", spec->stack), spec->expected,
                                    !l   ? check_tmp(c, "no %s line", spec->module) :
                                    have ?:
                                           "not on the line");
                if (r < 0)
                        return r;
                return result_set(x, have ? RULE_PASS : RULE_FAIL, have ? "%s takes %s" : "%s does not take %s",
                                  spec->module, have ?: spec->expected);
        }

        /* PAM_SETTING: the value the module takes at each of its lines; every one must do. */
        if (!l) {
                r = result_evidence(x, check_tmp(c, "/etc/pam.d/%s", spec->stack),
                                    check_tmp(c, "%s %s", spec->type, spec->module), "absent");
                if (r < 0)
                        return r;
                return result_set(x, RULE_FAIL, "%s is not in the %s stack: %s does not apply", spec->module,
                                  spec->stack, spec->key);
        }
        bool all_ok = true;
        for (size_t j = 0; j < st->n; j++) {
                _cleanup_free_ char *value = NULL;
                const char *source = NULL;

                l = st->lines + j;
                if (!pam_line_is(l, spec->type, spec->module))
                        continue;
                r = module_setting(c, l, spec->module, spec->key, &value, &source);
                if (r < 0)
                        return r;
                /* faillock's root item: even_deny_root, or else root_unlock_time. */
                if (!value && streq(spec->key, "even_deny_root")) {
                        r = module_setting(c, l, spec->module, "root_unlock_time", &value, &source);
                        if (r < 0)
                                return r;
                }
                all_ok = all_ok && spec->ok(value ?: spec->fallback);
                r = result_evidence(x, source ?: check_tmp(c, "%s (default, at %s)", spec->module, l->source),
                                    spec->expected,
                                    value          ? (isempty(value) ? check_tmp(c, "%s", spec->key) :
                                                                       check_tmp(c, "%s=%s", spec->key, value)) :
                                    spec->fallback ? check_tmp(c, "%s=%s", spec->key, spec->fallback) :
                                                     "not set");
                if (r < 0)
                        return r;
        }
        return result_set(x, all_ok ? RULE_PASS : RULE_FAIL, all_ok ? "%s: %s is %s" : "%s: %s is not %s", spec->module,
                          spec->key, spec->expected);
}

static int check_pam(CheckContext *c, const ComplianceRule *rule) {
        _cleanup_(pam_state_done) PamState s = {};
        int r = 0;

        for (size_t i = 0; i < rule->n_items && r >= 0; i++) {
                if (!cis_wanted(c, rule->items[i].cis))
                        continue;
                r = check_pam_one(c, rule, &s, i);
                check_tmp_clear(c);
        }
        return r;
}

const ComplianceRule rule_cis_pam = {
        .id = "hardenctl-cis-pam",
        .title = "PAM locks out repeated failures and enforces password quality and history",
        .severity = SEVERITY_MEDIUM,
        .rationale =
                "Without lockout, quality checks and history, passwords can be guessed online, chosen weak, or reused.",
        .nist = "AC-7 IA-5(1) IA-2 CM-6",
        .remediation =
                "Install libpam-pwquality; enable the faillock, pwquality and pwhistory profiles with pam-auth-update; set deny, unlock_time, even_deny_root in /etc/security/faillock.conf, minlen, difok, maxrepeat, maxsequence, minclass, enforce_for_root in /etc/security/pwquality.conf, remember and enforce_for_root in /etc/security/pwhistory.conf; drop nullok and remember= from pam_unix and give it yescrypt and use_authtok.",
        .check = check_pam,
        .items = pam_refs,
        .n_items = ELEMENTSOF(pam_refs),
};
