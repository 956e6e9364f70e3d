/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* [Benchmark] CIS=: password aging (CIS 5.4.1.x), both halves: what /etc/login.defs (and useradd's
 * defaults) give new accounts, and what /etc/shadow holds for each account that has a password. */

#include "compliance-rules.h"
#include "parse-util.h"

#define USEC_PER_DAY (86400ULL * 1000000ULL)

/* A login.defs key and the bound each account's shadow field must keep, or a policy of its own. */
typedef enum AgingKind {
        AGING_MAX_DAYS,  /* PASS_MAX_DAYS 1..365; shadow max 1..365 */
        AGING_MIN_DAYS,  /* PASS_MIN_DAYS >= 1; shadow min >= 1 */
        AGING_WARN_DAYS, /* PASS_WARN_AGE >= 7; shadow warn >= 7 */
        AGING_INACTIVE,  /* useradd INACTIVE 0..45; shadow inactive 0..45 */
        AGING_ENCRYPT,   /* ENCRYPT_METHOD SHA512 or YESCRYPT */
        AGING_PAST,      /* every last change in the past */
} AgingKind;

/* ComplianceAsCode: accounts_maximum_age_login_defs, accounts_password_set_max_life_existing,
 * accounts_minimum_age_login_defs, accounts_password_warn_age_login_defs,
 * set_password_hashing_algorithm_logindefs, account_disable_post_pw_expiration,
 * accounts_password_last_change_is_in_past (controls/cis_debian12.yml, stig_ubuntu2204.yml). */
static const ItemRef aging_refs[] = {
        { "PASS_MAX_DAYS", "5.4.1.1", "SRG-OS-000076-GPOS-00044", "UBTU-22-411030" },
        { "PASS_MIN_DAYS", "5.4.1.2", "SRG-OS-000075-GPOS-00043", "UBTU-22-411025" },
        { "PASS_WARN_AGE", "5.4.1.3", NULL, NULL },
        { "ENCRYPT_METHOD", "5.4.1.4", "SRG-OS-000073-GPOS-00041", "UBTU-22-611070" },
        { "INACTIVE", "5.4.1.5", "SRG-OS-000118-GPOS-00060", "UBTU-22-411035" },
        { "last password change", "5.4.1.6", NULL, NULL },
};

static const AgingKind aging_kinds[] = { AGING_MAX_DAYS, AGING_MIN_DAYS, AGING_WARN_DAYS,
                                         AGING_ENCRYPT,  AGING_INACTIVE, AGING_PAST };

_Static_assert(ELEMENTSOF(aging_refs) == ELEMENTSOF(aging_kinds), "one kind per item");

typedef struct AgingState {
        bool done;
        char *login_defs;
        int login_defs_r;
        char *useradd;
        ShadowEntry *shadow;
        size_t n_shadow;
        int shadow_r;
} AgingState;

static void aging_state_done(AgingState *s) {
        free(s->login_defs);
        free(s->useradd);
        shadow_entries_free(s->shadow, s->n_shadow);
}

static bool bound_ok(AgingKind k, long v) {
        switch (k) {
        case AGING_MAX_DAYS:
                return v >= 1 && v <= 365;
        case AGING_MIN_DAYS:
                return v >= 1;
        case AGING_WARN_DAYS:
                return v >= 7;
        case AGING_INACTIVE:
                return v >= 0 && v <= 45;
        default:
                return true;
        }
}

static const char *bound_text(AgingKind k) {
        switch (k) {
        case AGING_MAX_DAYS:
                return "1 to 365";
        case AGING_MIN_DAYS:
                return "1 or more";
        case AGING_WARN_DAYS:
                return "7 or more";
        case AGING_INACTIVE:
                return "0 to 45";
        default:
                return "";
        }
}

static long shadow_field(AgingKind k, const ShadowEntry *e) {
        switch (k) {
        case AGING_MAX_DAYS:
                return e->max_days;
        case AGING_MIN_DAYS:
                return e->min_days;
        case AGING_WARN_DAYS:
                return e->warn_days;
        case AGING_INACTIVE:
                return e->inactive_days;
        default:
                return -1;
        }
}

/* An account with a password to age: neither empty nor locked. */
static bool has_password(const ShadowEntry *e) {
        return !isempty(e->hash) && !shadow_hash_locked(e->hash);
}

/* The shadow half: each account with a password whose field is out of bounds fails the item. */
static int judge_shadow(CheckContext *c, ComplianceResult *x, const AgingState *s, AgingKind k, bool *ok) {
        _cleanup_strv_free_ char **bad = NULL;
        _cleanup_free_ char *joined = NULL;
        size_t n = 0;
        int r;

        if (s->shadow_r < 0)
                return result_evidence(x, "/etc/shadow", bound_text(k),
                                       check_tmp(c, "unreadable: %s", strerror(-s->shadow_r)));
        for (size_t i = 0; i < s->n_shadow; i++) {
                const ShadowEntry *e = s->shadow + i;
                long v = shadow_field(k, e);
                bool good;

                if (!has_password(e))
                        continue;
                n++;
                good = k == AGING_PAST ?
                               e->last_change >= 0 && (uint64_t) e->last_change <= c->report->time_usec / USEC_PER_DAY :
                               bound_ok(k, v);
                if (good)
                        continue;
                r = strv_extend(
                        &bad, check_tmp(c, "%s (%s)", e->name,
                                        k == AGING_PAST ?
                                                (e->last_change < 0 ? "never" : check_tmp(c, "day %ld", e->last_change)) :
                                        v < 0 ? "unset" :
                                                check_tmp(c, "%ld", v)));
                if (r < 0)
                        return r;
        }
        if (bad) {
                joined = strv_join(bad, " ");
                if (!joined)
                        return -ENOMEM;
                *ok = false;
        }
        return result_evidence(x, "/etc/shadow", k == AGING_PAST ? "every last change in the past" : bound_text(k),
                               joined ? joined :
                               n == 0 ? "no account with a password" :
                                        check_tmp(c, "%zu accounts with a password, all within", n));
}

static int check_aging_one(CheckContext *c, const ComplianceRule *rule, AgingState *s, size_t i) {
        AgingKind k = aging_kinds[i];
        const char *key = rule->items[i].item;
        _cleanup_free_ char *value = NULL;
        ComplianceResult *x;
        unsigned line = 0, v;
        bool ok = true;
        int r;

        r = check_begin(c, rule, key, &x);
        if (r < 0)
                return r;
        if (!s->done) {
                s->done = true;
                s->login_defs_r = probe_read_file(c, "/etc/login.defs", 0, &s->login_defs);
                if (probe_read_file(c, "/etc/default/useradd", 0, &s->useradd) < 0)
                        s->useradd = NULL;
                s->shadow_r = probe_read_file(c, "/etc/shadow", ACCOUNTS_FILE_MAX, &value);
                if (s->shadow_r >= 0)
                        s->shadow_r = shadow_parse(value, &s->shadow, &s->n_shadow);
                if (s->shadow_r == -ENOMEM)
                        return s->shadow_r;
                value = mfree(value);
        }

        if (k == AGING_PAST) {
                r = judge_shadow(c, x, s, k, &ok);
                if (r < 0)
                        return r;
                if (s->shadow_r < 0)
                        return result_errno(x, s->shadow_r, "/etc/shadow");
                return result_set(x, ok ? RULE_PASS : RULE_FAIL,
                                  ok ? "No password was last changed in the future" :
                                       "Passwords last changed in the future");
        }

        /* The default for new accounts: login.defs, or useradd's INACTIVE. */
        if (k == AGING_INACTIVE) {
                r = s->useradd ? env_file_get(s->useradd, "INACTIVE", &value) : -ENXIO;
                if (r == -ENOMEM)
                        return r;
                ok = r >= 0 && safe_atou(value, &v) >= 0 && v <= 45;
                r = result_evidence(x, "/etc/default/useradd", "INACTIVE=0 to 45",
                                    value ? check_tmp(c, "INACTIVE=%s", value) : "not set (-1: never)");
        } else if (s->login_defs_r < 0) {
                ok = false;
                r = result_evidence(x, "/etc/login.defs", key,
                                    check_tmp(c, "unreadable: %s", strerror(-s->login_defs_r)));
        } else {
                r = login_defs_get(s->login_defs, key, &value, &line);
                if (r < 0)
                        return r;
                if (k == AGING_ENCRYPT)
                        ok = value && (streq(value, "SHA512") || streq(value, "YESCRYPT"));
                else
                        ok = value && safe_atou(value, &v) >= 0 && bound_ok(k, v);
                r = result_evidence(x, value ? check_tmp(c, "/etc/login.defs:%u", line) : "/etc/login.defs",
                                    k == AGING_ENCRYPT ? "SHA512 or YESCRYPT" : bound_text(k),
                                    value ? check_tmp(c, "%s %s", key, value) : "not set");
        }
        if (r < 0)
                return r;
        if (k == AGING_ENCRYPT)
                return result_set(x, ok ? RULE_PASS : RULE_FAIL,
                                  ok ? "New passwords are hashed with %s" :
                                       "New passwords are not hashed with SHA512 or yescrypt (%s)",
                                  strna(value));
        r = judge_shadow(c, x, s, k, &ok);
        if (r < 0)
                return r;
        if (ok)
                return result_set(x, RULE_PASS, "%s: %s for new accounts and every account with a password", key,
                                  bound_text(k));
        return result_set(x, RULE_FAIL, "%s is not %s for new accounts or for every account with a password", key,
                          bound_text(k));
}

static int check_aging(CheckContext *c, const ComplianceRule *rule) {
        _cleanup_(aging_state_done) AgingState s = {};
        int r = 0;

        for (size_t i = 0; i < rule->n_items && r >= 0; i++) {
                if (!cis_wanted(c, rule->items[i].cis))
                        continue;
                r = check_aging_one(c, rule, &s, i);
                check_tmp_clear(c);
        }
        return r;
}

const ComplianceRule rule_cis_password_aging = {
        .id = "hardenctl-cis-password-aging",
        .title = "Passwords expire, warn, lock when inactive and are strongly hashed",
        .severity = SEVERITY_MEDIUM,
        .rationale =
                "A password that never expires stays useful to whoever learned it; a weak hash makes a stolen /etc/shadow crackable.",
        .nist = "IA-5(1) IA-4(e) AC-2(3)",
        .remediation =
                "Set PASS_MAX_DAYS 365, PASS_MIN_DAYS 1, PASS_WARN_AGE 7 and ENCRYPT_METHOD YESCRYPT in /etc/login.defs and INACTIVE=45 in /etc/default/useradd (useradd -D -f 45); for existing accounts, chage --maxdays 365 --mindays 1 --warndays 7 --inactive 45 USER.",
        .check = check_aging,
        .items = aging_refs,
        .n_items = ELEMENTSOF(aging_refs),
};
