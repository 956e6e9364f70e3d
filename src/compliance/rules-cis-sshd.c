/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* [Benchmark] CIS=: the SSH server's effective configuration (CIS 5.1.4–5.1.22), as sshd reads it:
 * sshd_config and the files it includes where the Include stands, the first value of a keyword
 * outside Match blocks for every connection, sshd's built-in default where none is set (OpenSSH 9.2,
 * Debian 12), and each value a Match block sets for some connections judged as well. */

#include <strings.h>

#include "compliance-rules.h"
#include "parse-util.h"

typedef struct SshdSpec {
        const char *keyword;
        const char *fallback; /* sshd's default; NULL: unset */
        const char *expected; /* what the evidence says is expected */
        bool (*ok)(const char *value, const char *fallback);
} SshdSpec;

static bool is_word(const char *value, const char *want) {
        _cleanup_free_ char *w = NULL;
        const char *p = value;

        return extract_first_word(&p, &w) > 0 && strcasecmp(w, want) == 0;
}

static bool yes(const char *v, const char *d) {
        return is_word(v, "yes");
}

static bool no(const char *v, const char *d) {
        return is_word(v, "no");
}

static bool not_none(const char *v, const char *d) {
        return !isempty(v) && !is_word(v, "none");
}

static bool log_level(const char *v, const char *d) {
        return is_word(v, "INFO") || is_word(v, "VERBOSE");
}

static int number(const char *v, unsigned *ret) {
        _cleanup_free_ char *w = NULL;
        const char *p = v;

        if (extract_first_word(&p, &w) <= 0)
                return -EINVAL;
        return safe_atou(w, ret);
}

static bool positive(const char *v, const char *d) {
        unsigned n;

        return number(v, &n) >= 0 && n > 0;
}

static bool at_most_4(const char *v, const char *d) {
        unsigned n;

        return number(v, &n) >= 0 && n <= 4;
}

static bool at_most_10(const char *v, const char *d) {
        unsigned n;

        return number(v, &n) >= 0 && n <= 10;
}

/* A time as sshd_config(5) writes them: "60", "1m", "1m30s". */
static bool grace_time(const char *v, const char *d) {
        unsigned long total = 0, n = 0;
        bool digits = false;

        for (const char *c = v; *c && !strchr(WHITESPACE, *c); c++) {
                static const char units[] = "sSmMhHdDwW";
                static const unsigned long mult[] = { 1, 1, 60, 60, 3600, 3600, 86400, 86400, 604800, 604800 };
                const char *u;

                if (*c >= '0' && *c <= '9') {
                        n = n * 10 + (unsigned long) (*c - '0');
                        digits = true;
                        if (n > 1000000)
                                return false;
                } else if ((u = strchr(units, *c)) && digits) {
                        total += n * mult[u - units];
                        n = 0;
                        digits = false;
                } else
                        return false;
        }
        total += n;
        return total > 0 && total <= 60;
}

/* "start:rate:full", or "start" alone. */
static bool max_startups(const char *v, const char *d) {
        unsigned a, b = 0, f = 0;

        if (sscanf(v, "%u:%u:%u", &a, &b, &f) == 3)
                return a <= 10 && b <= 30 && f <= 60;
        return false;
}

static const char *const weak_ciphers[] = {
        "3des-cbc",    "aes128-cbc", "aes192-cbc", "aes256-cbc", "blowfish-cbc",
        "cast128-cbc", "arcfour",    "arcfour128", "arcfour256", "rijndael-cbc@lysator.liu.se"
};
static const char *const weak_kex[] = { "diffie-hellman-group1-sha1", "diffie-hellman-group14-sha1",
                                        "diffie-hellman-group-exchange-sha1" };
static const char *const weak_macs[] = { "hmac-md5",
                                         "hmac-md5-96",
                                         "hmac-ripemd160",
                                         "hmac-sha1-96",
                                         "umac-64@openssh.com",
                                         "hmac-md5-etm@openssh.com",
                                         "hmac-md5-96-etm@openssh.com",
                                         "hmac-ripemd160-etm@openssh.com",
                                         "hmac-sha1-96-etm@openssh.com",
                                         "umac-64-etm@openssh.com" };

/* Whether the algorithm list sshd makes of v has none of the n weak ones: "+LIST" and "^LIST" add to
 * its default d, "-LIST" takes from it, a plain list replaces it. */
static bool no_weak(const char *v, const char *d, const char *const *weak, size_t n) {
        bool minus = v[0] == '-', plus = v[0] == '+' || v[0] == '^';
        const char *list = minus || plus ? v + 1 : v;

        for (size_t i = 0; i < n; i++) {
                size_t k = strlen(weak[i]);
                bool in_list = false, in_default = false;

                for (const char *p = list; *p; p += strcspn(p, ",") + (p[strcspn(p, ",")] ? 1 : 0))
                        in_list = in_list || (strcspn(p, ", ") == k && strneq(p, weak[i], k));
                for (const char *p = d; p && *p; p += strcspn(p, ",") + (p[strcspn(p, ",")] ? 1 : 0))
                        in_default = in_default || (strcspn(p, ",") == k && strneq(p, weak[i], k));
                if (minus ? in_default && !in_list : in_list || (plus && in_default))
                        return false;
        }
        return true;
}

static bool ciphers(const char *v, const char *d) {
        return no_weak(v, d, weak_ciphers, ELEMENTSOF(weak_ciphers));
}

static bool kex(const char *v, const char *d) {
        return no_weak(v, d, weak_kex, ELEMENTSOF(weak_kex));
}

static bool macs(const char *v, const char *d) {
        return no_weak(v, d, weak_macs, ELEMENTSOF(weak_macs));
}

#define DEFAULT_CIPHERS \
        "chacha20-poly1305@openssh.com,aes128-ctr,aes192-ctr,aes256-ctr,aes128-gcm@openssh.com,aes256-gcm@openssh.com"
#define DEFAULT_KEX                                                                                                 \
        "sntrup761x25519-sha512@openssh.com,curve25519-sha256,curve25519-sha256@libssh.org,ecdh-sha2-nistp256,"     \
        "ecdh-sha2-nistp384,ecdh-sha2-nistp521,diffie-hellman-group-exchange-sha256,diffie-hellman-group16-sha512," \
        "diffie-hellman-group18-sha512,diffie-hellman-group14-sha256"
#define DEFAULT_MACS                                                                                        \
        "umac-64-etm@openssh.com,umac-128-etm@openssh.com,hmac-sha2-256-etm@openssh.com,"                   \
        "hmac-sha2-512-etm@openssh.com,hmac-sha1-etm@openssh.com,umac-64@openssh.com,umac-128@openssh.com," \
        "hmac-sha2-256,hmac-sha2-512,hmac-sha1"

/* ComplianceAsCode: the sshd_* rule of each item (controls/cis_debian12.yml, stig_ubuntu2204.yml). */
static const ItemRef sshd_refs[] = {
        { "AllowUsers AllowGroups DenyUsers DenyGroups", "5.1.4", NULL, NULL },
        { "Banner", "5.1.5", NULL, "UBTU-22-255020" },
        { "Ciphers", "5.1.6", NULL, NULL },
        { "ClientAliveInterval", "5.1.7", "SRG-OS-000126-GPOS-00066 SRG-OS-000163-GPOS-00072 SRG-OS-000279-GPOS-00109",
          "UBTU-22-255030" },
        { "ClientAliveCountMax", "5.1.7", "SRG-OS-000126-GPOS-00066 SRG-OS-000163-GPOS-00072 SRG-OS-000279-GPOS-00109",
          "UBTU-22-255035" },
        { "DisableForwarding", "5.1.8", NULL, NULL },
        { "GSSAPIAuthentication", "5.1.9", NULL, NULL },
        { "HostbasedAuthentication", "5.1.10", NULL, NULL },
        { "IgnoreRhosts", "5.1.11", NULL, NULL },
        { "KexAlgorithms", "5.1.12", NULL, NULL },
        { "LoginGraceTime", "5.1.13", NULL, NULL },
        { "LogLevel", "5.1.14", NULL, NULL },
        { "MACs", "5.1.15", "SRG-OS-000250-GPOS-00093", NULL },
        { "MaxAuthTries", "5.1.16", NULL, NULL },
        { "MaxSessions", "5.1.17", NULL, NULL },
        { "MaxStartups", "5.1.18", NULL, NULL },
        { "PermitEmptyPasswords", "5.1.19", NULL, "UBTU-22-255025" },
        { "PermitUserEnvironment", "5.1.21", NULL, "UBTU-22-255025" },
        { "UsePAM", "5.1.22", NULL, "UBTU-22-255065" },
};

static const SshdSpec sshd_specs[] = {
        { NULL, NULL, "AllowUsers, AllowGroups, DenyUsers or DenyGroups set", NULL },
        { "Banner", "none", "a banner file", not_none },
        { "Ciphers", DEFAULT_CIPHERS, "no CBC, arcfour, blowfish or cast cipher", ciphers },
        { "ClientAliveInterval", "0", "more than 0", positive },
        { "ClientAliveCountMax", "3", "more than 0", positive },
        { "DisableForwarding", "no", "yes", yes },
        { "GSSAPIAuthentication", "no", "no", no },
        { "HostbasedAuthentication", "no", "no", no },
        { "IgnoreRhosts", "yes", "yes", yes },
        { "KexAlgorithms", DEFAULT_KEX, "no SHA-1 Diffie-Hellman exchange", kex },
        { "LoginGraceTime", "120", "1 to 60 seconds", grace_time },
        { "LogLevel", "INFO", "INFO or VERBOSE", log_level },
        { "MACs", DEFAULT_MACS, "no MD5, RIPEMD-160, truncated SHA-1 or 64-bit UMAC", macs },
        { "MaxAuthTries", "6", "4 or less", at_most_4 },
        { "MaxSessions", "10", "10 or less", at_most_10 },
        { "MaxStartups", "10:30:100", "10:30:60 or stricter", max_startups },
        { "PermitEmptyPasswords", "no", "no", no },
        { "PermitUserEnvironment", "no", "no", no },
        { "UsePAM", "no", "yes", yes },
};

_Static_assert(ELEMENTSOF(sshd_refs) == ELEMENTSOF(sshd_specs), "one spec per item");

typedef struct SshdState {
        SshdConfig config;
        int r;
        bool done;
} SshdState;

/* 5.1.4: any of the four keywords, for every connection. */
static int check_access_lists(CheckContext *c, ComplianceResult *x, const SshdConfig *cfg) {
        static const char *const kws[] = { "AllowUsers", "AllowGroups", "DenyUsers", "DenyGroups" };
        bool any = false;
        int r;

        for (size_t i = 0; i < ELEMENTSOF(kws); i++) {
                const SshdEntry *e = sshd_config_get(cfg, kws[i]);

                if (!e)
                        continue;
                any = true;
                r = result_evidence(x, e->source, "AllowUsers, AllowGroups, DenyUsers or DenyGroups set",
                                    check_tmp(c, "%s %s", e->keyword, e->value));
                if (r < 0)
                        return r;
        }
        if (!any) {
                r = result_evidence(x, "/etc/ssh/sshd_config", "AllowUsers, AllowGroups, DenyUsers or DenyGroups set",
                                    "none set");
                if (r < 0)
                        return r;
                return result_set(x, RULE_FAIL, "sshd lets every account with a shell log in: no Allow/Deny list");
        }
        return result_set(x, RULE_PASS, "sshd limits who can log in");
}

static int check_sshd_one(CheckContext *c, const ComplianceRule *rule, SshdState *s, size_t i) {
        const SshdSpec *spec = sshd_specs + i;
        const SshdEntry *e;
        const char *value, *weak_match = NULL;
        ComplianceResult *x;
        bool ok;
        int r;

        r = check_begin(c, rule, rule->items[i].item, &x);
        if (r < 0)
                return r;
        if (!s->done) {
                s->done = true;
                s->r = probe_sshd_config(c, &s->config);
        }
        if (s->r == -ENOENT)
                return result_set(x, RULE_NOTAPPLICABLE, "There is no /etc/ssh/sshd_config: no SSH server to configure");
        if (s->r < 0)
                return result_errno(x, s->r, "/etc/ssh/sshd_config");
        if (!spec->keyword)
                return check_access_lists(c, x, &s->config);

        e = sshd_config_get(&s->config, spec->keyword);
        value = e ? e->value : spec->fallback;
        ok = spec->ok(value, spec->fallback);
        r = result_evidence(x, e ? e->source : "/etc/ssh/sshd_config (default)", spec->expected,
                            check_tmp(c, "%s %s", spec->keyword, value));
        if (r < 0)
                return r;
        /* What a Match block sets applies to the connections it matches. */
        for (size_t j = 0; j < s->config.n; j++) {
                const SshdEntry *m = s->config.entries + j;

                if (!m->match || strcasecmp(m->keyword, spec->keyword) != 0)
                        continue;
                r = result_evidence(x, m->source, spec->expected,
                                    check_tmp(c, "%s %s in %s", spec->keyword, m->value, m->match));
                if (r < 0)
                        return r;
                if (!spec->ok(m->value, spec->fallback) && !weak_match)
                        weak_match = m->match;
        }
        if (!ok)
                return result_set(x, RULE_FAIL, "sshd uses %s %s%s, expected %s", spec->keyword, value,
                                  e ? "" : " (its default)", spec->expected);
        if (weak_match)
                return result_set(x, RULE_FAIL, "%s is weaker for the connections of %s", spec->keyword, weak_match);
        return result_set(x, RULE_PASS, "sshd uses %s %s%s", spec->keyword, value, e ? "" : " (its default)");
}

static int check_sshd(CheckContext *c, const ComplianceRule *rule) {
        SshdState s = {};
        int r = 0;

        for (size_t i = 0; i < rule->n_items && r >= 0; i++) {
                if (!cis_wanted(c, rule->items[i].cis))
                        continue;
                r = check_sshd_one(c, rule, &s, i);
                check_tmp_clear(c);
        }
        sshd_config_done(&s.config);
        return r;
}

const ComplianceRule rule_cis_sshd = {
        .id = "hardenctl-cis-sshd",
        .title = "The SSH server's effective configuration is hardened",
        .severity = SEVERITY_MEDIUM,
        .rationale =
                "Weak ciphers and MACs, forwarding, long login windows, many authentication attempts, empty passwords and user environments open the remote login to attack.",
        .nist = "AC-17 AC-17(2) AC-7 AC-11 AC-12 CM-6 CM-7 SC-8 SC-13 IA-5",
        .remediation =
                "Set the keyword in /etc/ssh/sshd_config before any Include of weaker drop-ins and outside Match blocks (sshd takes the first value), as the evidence expects; check with sshd -T and reload sshd.",
        .check = check_sshd,
        .items = sshd_refs,
        .n_items = ELEMENTSOF(sshd_refs),
};
