/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* [Benchmark] CIS=: the host firewall (CIS 4.1.1, 4.3.x nftables, 4.4.x iptables-persistent; 4.2.x ufw is
 * rules-cis-ufw.c), from the files the firewall loads at boot rather than from the running tools:
 * /etc/nftables.conf and the files it includes, /etc/iptables/rules.v4 and rules.v6, against the
 * listening sockets. A firewall is in use when its package is installed and its unit enabled. The
 * nftables items apply unless ufw or iptables-persistent is the one in use; the iptables items only
 * when iptables-persistent is. */

#include <sys/socket.h>

#include "compliance-rules.h"
#include "path-util.h"

#define NFT_CONF "/etc/nftables.conf"

typedef enum Firewall {
        FW_UFW,
        FW_NFTABLES,
        FW_IPTABLES,
        _FW_MAX,
} Firewall;

static const struct {
        const char *package;
        const char *unit;
} firewalls[_FW_MAX] = {
        [FW_UFW] = { "ufw", "ufw.service" },
        [FW_NFTABLES] = { "nftables", "nftables.service" },
        [FW_IPTABLES] = { "iptables-persistent", "netfilter-persistent.service" },
};

typedef enum FwItem {
        FI_SINGLE,
        FI_NFT_INSTALLED,
        FI_NFT_NO_UFW,
        FI_NFT_TABLE,
        FI_NFT_CHAINS,
        FI_NFT_LOOPBACK,
        FI_NFT_DENY,
        FI_NFT_ENABLED,
        FI_NFT_PERMANENT,
        FI_IPT_INSTALLED,
        FI_IPT_NO_NFT,
        FI_IPT_NO_UFW,
        FI_IPT4_DENY,
        FI_IPT4_LOOPBACK,
        FI_IPT4_PORTS,
        FI_IPT6_DENY,
        FI_IPT6_LOOPBACK,
        FI_IPT6_PORTS,
        _FI_MAX,
} FwItem;

/* ComplianceAsCode: firewall_single_service_active, package_nftables_installed, service_ufw_disabled,
 * set_nftables_table, set_nftables_base_chain, set_nftables_loopback_traffic,
 * nftables_ensure_default_deny_policy, service_nftables_enabled, package_iptables-persistent_installed,
 * service_nftables_disabled, set_iptables_default_rule, set_loopback_traffic, set_ip6tables_default_rule,
 * set_ipv6_loopback_traffic (controls/cis_debian12.yml). */
static const ItemRef fw_refs[] = {
        [FI_SINGLE] = { "single firewall", "4.1.1", NULL, NULL },
        [FI_NFT_INSTALLED] = { "nftables installed", "4.3.1", "SRG-OS-000297-GPOS-00115", NULL },
        [FI_NFT_NO_UFW] = { "ufw not in use with nftables", "4.3.2", NULL, NULL },
        [FI_NFT_TABLE] = { "nftables table", "4.3.4", NULL, NULL },
        [FI_NFT_CHAINS] = { "nftables base chains", "4.3.5", NULL, NULL },
        [FI_NFT_LOOPBACK] = { "nftables loopback", "4.3.6", NULL, NULL },
        [FI_NFT_DENY] = { "nftables default deny", "4.3.8", NULL, NULL },
        [FI_NFT_ENABLED] = { "nftables.service", "4.3.9", NULL, NULL },
        [FI_NFT_PERMANENT] = { "nftables rules at boot", "4.3.10", NULL, NULL },
        [FI_IPT_INSTALLED] = { "iptables installed", "4.4.1.1", NULL, NULL },
        [FI_IPT_NO_NFT] = { "nftables not in use with iptables", "4.4.1.2", NULL, NULL },
        [FI_IPT_NO_UFW] = { "ufw not in use with iptables", "4.4.1.3", NULL, NULL },
        [FI_IPT4_DENY] = { "iptables default deny", "4.4.2.1", NULL, NULL },
        [FI_IPT4_LOOPBACK] = { "iptables loopback", "4.4.2.2", NULL, NULL },
        [FI_IPT4_PORTS] = { "iptables rules for open ports", "4.4.2.4", NULL, NULL },
        [FI_IPT6_DENY] = { "ip6tables default deny", "4.4.3.1", NULL, NULL },
        [FI_IPT6_LOOPBACK] = { "ip6tables loopback", "4.4.3.2", NULL, NULL },
        [FI_IPT6_PORTS] = { "ip6tables rules for open ports", "4.4.3.4", NULL, NULL },
};

int firewalls_in_use(CheckContext *c, const DpkgDatabase *db, char ***ret) {
        _cleanup_strv_free_ char **used = NULL;

        for (Firewall f = 0; f < _FW_MAX; f++)
                if (dpkg_lookup(db, firewalls[f].package) && probe_unit_enabled(c, firewalls[f].unit) &&
                    strv_extend(&used, firewalls[f].package) < 0)
                        return -ENOMEM;
        *ret = TAKE_PTR(used);
        return 0;
}

/* ---- nftables: the ruleset file and its includes, as statements ---- */

typedef struct NftFacts {
        char *table;     /* "FILE:LINE family name" of the first table */
        char *hook[3];   /* input, forward, output: FILE:LINE of the base chain */
        bool drop[3];    /* its policy is drop */
        char *lo_accept; /* FILE:LINE of iif lo accept */
        char *lo4_drop;  /* ip saddr 127.0.0.0/8 … drop */
        char *lo6_drop;  /* ip6 saddr ::1 … drop */
} NftFacts;

static void nft_facts_done(NftFacts *n) {
        free(n->table);
        for (size_t i = 0; i < 3; i++)
                free(n->hook[i]);
        free(n->lo_accept);
        free(n->lo4_drop);
        free(n->lo6_drop);
}

static const char *const hooks[3] = { "input", "forward", "output" };

static int set_once(char **where, const char *file, unsigned line) {
        if (*where)
                return 0;
        *where = strprintf("%s:%u", file, line);
        return *where ? 0 : -ENOMEM;
}

static bool has_word(const char *s, const char *w) {
        size_t n = strlen(w);

        for (const char *p = strstr(s, w); p; p = strstr(p + 1, w))
                if ((p == s || strchr(" \t{;", p[-1])) && (!p[n] || strchr(" \t};", p[n])))
                        return true;
        return false;
}

static int nft_scan(CheckContext *c, const char *file, NftFacts *n, unsigned depth);

static int nft_include(CheckContext *c, const char *pattern, NftFacts *n, unsigned depth) {
        _cleanup_strv_free_ char **files = NULL;
        _cleanup_free_ char *dir = NULL;
        const char *star = strchr(pattern, '*'), *slash;
        int r;

        if (!star)
                return nft_scan(c, pattern, n, depth + 1);
        /* A pattern such as DIR/\*.nft: the files of DIR ending in what follows the star, in order. */
        slash = strrchr(pattern, '/');
        if (!slash || slash > star)
                return 0;
        dir = strndup(pattern, slash - pattern);
        if (!dir)
                return -ENOMEM;
        r = probe_list_dir(c, dir, NULL, NULL, &files);
        if (r == -ENOMEM)
                return r;
        STRV_FOREACH(f, files)
                if (endswith(*f, star + 1)) {
                        r = nft_scan(c, *f, n, depth + 1);
                        if (r < 0)
                                return r;
                }
        return 0;
}

static int nft_scan(CheckContext *c, const char *file, NftFacts *n, unsigned depth) {
        _cleanup_free_ char *text = NULL;
        int hook = -1, r;
        unsigned line = 0;

        if (depth > 8 || probe_read_file(c, file, 0, &text) < 0)
                return 0;
        for (char *l = text; l && *l;) {
                char *end = strchrnul(l, '\n'), *p = l + strspn(l, " \t"), *hash;
                bool more = *end;

                line++;
                *end = '\0';
                hash = strchr(p, '#');
                if (hash)
                        *hash = '\0';
                l = more ? end + 1 : NULL;
                if (startswith(p, "include ")) {
                        _cleanup_free_ char *inc = NULL;
                        char *q = p + strlen("include ");

                        q += strspn(q, " \t\"");
                        inc = strndup(q, strcspn(q, "\" \t;"));
                        if (!inc)
                                return -ENOMEM;
                        r = nft_include(c, inc, n, depth);
                        if (r < 0)
                                return r;
                        continue;
                }
                if (startswith(p, "table ") && !n->table) {
                        n->table = strprintf("%s:%u", file, line);
                        if (!n->table)
                                return -ENOMEM;
                }
                if (startswith(p, "chain "))
                        hook = -1;
                if (has_word(p, "hook"))
                        for (int k = 0; k < 3; k++)
                                if (strstr(p, check_tmp(c, "hook %s", hooks[k])) && strstr(p, "type filter")) {
                                        hook = k;
                                        r = set_once(&n->hook[k], file, line);
                                        if (r < 0)
                                                return r;
                                }
                if (hook >= 0 && strstr(p, "policy drop"))
                        n->drop[hook] = true;
                if ((strstr(p, "iif lo ") || strstr(p, "iif \"lo\"") || strstr(p, "iifname lo ") ||
                     strstr(p, "iifname \"lo\"")) &&
                    has_word(p, "accept")) {
                        r = set_once(&n->lo_accept, file, line);
                        if (r < 0)
                                return r;
                }
                if (strstr(p, "ip saddr 127.0.0.0/8") && has_word(p, "drop")) {
                        r = set_once(&n->lo4_drop, file, line);
                        if (r < 0)
                                return r;
                }
                if (strstr(p, "ip6 saddr ::1") && has_word(p, "drop")) {
                        r = set_once(&n->lo6_drop, file, line);
                        if (r < 0)
                                return r;
                }
        }
        return 0;
}

/* ---- iptables-persistent: rules.v4, rules.v6 (iptables-save format) ---- */

/* Whether the *filter table of text has a line equal to want (blanks collapsed); its line number. */
typedef bool (*ipt_match_t)(const char *line, const void *userdata);

/* The first line of rules.v4 or rules.v6's *filter table, blanks collapsed, that match() accepts: its
 * number, or 0. */
static unsigned ipt_find_if(const char *text, ipt_match_t match, const void *userdata) {
        unsigned line = 0;
        bool filter = false;

        for (const char *l = text; l && *l;) {
                const char *end = strchrnul(l, '\n');
                char buf[256];
                size_t k = 0;

                line++;
                for (const char *p = l; p < end && k + 1 < sizeof buf; p++)
                        if (!strchr(" \t\r", *p) || (k > 0 && buf[k - 1] != ' '))
                                buf[k++] = strchr(" \t\r", *p) ? ' ' : *p;
                while (k > 0 && buf[k - 1] == ' ')
                        k--;
                buf[k] = '\0';
                l = *end ? end + 1 : NULL;
                if (buf[0] == '*')
                        filter = streq(buf, "*filter");
                else if (filter && match(buf, userdata))
                        return line;
        }
        return 0;
}

static bool ipt_prefix(const char *line, const void *want) {
        return startswith(line, want);
}

static unsigned ipt_find(const char *text, const char *want) {
        return ipt_find_if(text, ipt_prefix, want);
}

/* An INPUT rule for a protocol and port: "-p tcp" and "--dport 22", or a --dports list. */
static bool ipt_port(const char *line, const void *userdata) {
        const ListenSocket *s = userdata;
        const char *p;

        if (!startswith(line, "-A INPUT ") || !(p = strstr(line, " -p ")) || !startswith(p + 4, s->proto) ||
            !strchr(" ", p[4 + strlen(s->proto)]))
                return false;
        p = strstr(line, " --dport ") ?: strstr(line, " --dports ");
        if (!p)
                return false;
        p = strchr(p + 1, ' ') + 1;
        return port_list_has(strndupa(p, strcspn(p, " ")), s->port);
}

typedef struct IptPorts {
        const char *file, *text;
} IptPorts;

static int ipt_port_rule(CheckContext *c, const ListenSocket *s, const void *userdata, const char **ret_expected,
                         const char **ret_source, const char **ret_actual) {
        const IptPorts *f = userdata;
        unsigned line = f->text ? ipt_find_if(f->text, ipt_port, s) : 0;

        *ret_expected = check_tmp(c, "-A INPUT -p %s --dport %u", s->proto, s->port);
        *ret_source = line ? check_tmp(c, "%s:%u", f->file, line) : NULL;
        *ret_actual = line ? "present" : NULL;
        return line > 0;
}

/* A rule in rules.v4 (rules.v6) for every port open on IPv4 (IPv6) beyond loopback. */
static int check_ipt_ports(CheckContext *c, ComplianceResult *x, bool v6) {
        _cleanup_free_ char *text = NULL;
        IptPorts f = { v6 ? "/etc/iptables/rules.v6" : "/etc/iptables/rules.v4", NULL };
        unsigned missing, ports;
        int r;

        r = probe_read_file(c, f.file, 0, &text);
        if (r < 0 && r != -ENOENT)
                return r == -ENOMEM ? r : result_errno(x, r, f.file);
        f.text = text;
        r = result_port_rules(c, x, v6 ? AF_INET6 : AF_INET, ipt_port_rule, &f, &missing, &ports);
        if (r != 0)
                return r < 0 ? r : 0;
        if (missing > 0)
                return result_set(x, RULE_FAIL, "%u of %u ports open on %s have no rule in %s", missing, ports,
                                  v6 ? "IPv6" : "IPv4", f.file);
        return result_set(x, RULE_PASS, "Each of the %u ports open on %s has a rule in %s", ports, v6 ? "IPv6" : "IPv4",
                          f.file);
}

static int check_ipt(CheckContext *c, ComplianceResult *x, bool v6, bool deny) {
        static const char *const policies[] = { ":INPUT DROP", ":FORWARD DROP", ":OUTPUT DROP" };
        const char *file = v6 ? "/etc/iptables/rules.v6" : "/etc/iptables/rules.v4";
        const char *lo[] = { "-A INPUT -i lo -j ACCEPT", "-A OUTPUT -o lo -j ACCEPT",
                             v6 ? "-A INPUT -s ::1/128 -j DROP" : "-A INPUT -s 127.0.0.0/8 -j DROP" };
        const char *const *want = deny ? policies : lo;
        _cleanup_free_ char *text = NULL;
        size_t missing = 0;
        int r;

        r = probe_read_file(c, file, 0, &text);
        if (r == -ENOENT)
                return result_set(x, RULE_FAIL, "%s is missing: no rules are loaded at boot", file);
        if (r < 0)
                return r == -ENOMEM ? r : result_errno(x, r, file);
        for (size_t i = 0; i < 3; i++) {
                unsigned line = ipt_find(text, want[i]);

                r = result_evidence(x, line ? check_tmp(c, "%s:%u", file, line) : file, want[i],
                                    line ? "present" : "missing");
                if (r < 0)
                        return r;
                missing += !line;
        }
        if (missing > 0)
                return result_set(x, RULE_FAIL, deny ? "%s does not drop by default" : "%s lacks loopback rules", file);
        return result_set(x, RULE_PASS, deny ? "%s drops by default" : "%s accepts loopback and drops spoofed loopback",
                          file);
}

static int check_fw_one(CheckContext *c, const ComplianceRule *rule, size_t i) {
        _cleanup_(nft_facts_done) NftFacts n = {};
        _cleanup_strv_free_ char **used = NULL;
        _cleanup_free_ char *joined = NULL;
        const DpkgDatabase *db;
        ComplianceResult *x;
        bool nft_applies, ipt_applies;
        int r;

        r = check_begin(c, rule, rule->items[i].item, &x);
        if (r < 0)
                return r;
        r = probe_dpkg(c, &db);
        if (r < 0)
                return result_errno(x, r, "/var/lib/dpkg/status");
        r = firewalls_in_use(c, db, &used);
        if (r < 0)
                return r;
        joined = used ? strv_join(used, " ") : strdup("none");
        if (!joined)
                return -ENOMEM;
        ipt_applies = strv_length(used) == 1 && streq(used[0], "iptables-persistent");
        nft_applies = !(strv_length(used) == 1 && !streq(used[0], "nftables"));

        if (i == FI_SINGLE) {
                r = result_evidence(x, "/var/lib/dpkg/status /etc/systemd/system",
                                    "exactly one of ufw, nftables, iptables-persistent", joined);
                if (r < 0)
                        return r;
                return result_set(x, strv_length(used) == 1 ? RULE_PASS : RULE_FAIL,
                                  strv_length(used) == 1 ? "One firewall is in use: %s" :
                                                           "Not exactly one firewall is in use: %s",
                                  joined);
        }
        if (i <= FI_NFT_PERMANENT && !nft_applies)
                return result_set(x, RULE_NOTAPPLICABLE, "The firewall in use is %s, not nftables", joined);
        if (i >= FI_IPT_INSTALLED && !ipt_applies)
                return result_set(x, RULE_NOTAPPLICABLE, "iptables-persistent is not the firewall in use (%s)", joined);

        switch ((FwItem) i) {
        case FI_NFT_INSTALLED:
        case FI_IPT_INSTALLED: {
                const char *pkg = i == FI_NFT_INSTALLED ? "nftables" : "iptables-persistent";
                const DpkgPackage *p = dpkg_lookup(db, pkg), *q = i == FI_IPT_INSTALLED ? dpkg_lookup(db, "iptables") : p;

                r = result_evidence(x, "/var/lib/dpkg/status",
                                    i == FI_NFT_INSTALLED ? "nftables installed" :
                                                            "iptables, iptables-persistent installed",
                                    p && q ? check_tmp(c, "%s %s", p->name, p->version) : "not installed");
                if (r < 0)
                        return r;
                return result_set(x, p && q ? RULE_PASS : RULE_FAIL, p && q ? "%s is installed" : "%s is not installed",
                                  pkg);
        }
        case FI_NFT_NO_UFW:
        case FI_IPT_NO_UFW:
        case FI_IPT_NO_NFT:
        case FI_NFT_ENABLED: {
                Firewall f = i == FI_IPT_NO_NFT || i == FI_NFT_ENABLED ? FW_NFTABLES : FW_UFW;
                const char *link = probe_unit_enabled(c, firewalls[f].unit);
                bool want = i == FI_NFT_ENABLED;

                r = result_evidence(x, link ?: "/etc/systemd/system", want ? "enabled" : "not enabled",
                                    link ? "enabled" : "not enabled");
                if (r < 0)
                        return r;
                return result_set(x, !!link == want ? RULE_PASS : RULE_FAIL, "%s is %s", firewalls[f].unit,
                                  link ? "enabled" : "not enabled");
        }
        case FI_IPT4_DENY:
        case FI_IPT6_DENY:
                return check_ipt(c, x, i == FI_IPT6_DENY, true);
        case FI_IPT4_LOOPBACK:
        case FI_IPT6_LOOPBACK:
                return check_ipt(c, x, i == FI_IPT6_LOOPBACK, false);
        case FI_IPT4_PORTS:
        case FI_IPT6_PORTS:
                return check_ipt_ports(c, x, i == FI_IPT6_PORTS);
        default:
                break;
        }

        /* The nftables ruleset items. */
        r = nft_scan(c, NFT_CONF, &n, 0);
        if (r < 0)
                return r;
        if (i == FI_NFT_TABLE) {
                r = result_evidence(x, n.table ?: NFT_CONF, "a table", n.table ? "present" : "none");
                if (r < 0)
                        return r;
                return result_set(x, n.table ? RULE_PASS : RULE_FAIL,
                                  n.table ? "The ruleset has a table" : "The ruleset loaded at boot has no table");
        }
        if (i == FI_NFT_PERMANENT) {
                /* What nftables.service loads at boot (nft -f /etc/nftables.conf) holds the base chains. */
                const char *link = probe_unit_enabled(c, "nftables.service");
                size_t missing = 0;

                r = result_evidence(x, link ?: "/etc/systemd/system", "nftables.service enabled",
                                    link ? "enabled" : "not enabled");
                for (size_t k = 0; r >= 0 && k < 3; k++) {
                        r = result_evidence(x, n.hook[k] ?: NFT_CONF, check_tmp(c, "type filter hook %s", hooks[k]),
                                            n.hook[k] ? "present" : "no such chain");
                        missing += !n.hook[k];
                }
                if (r < 0)
                        return r;
                if (!link)
                        return result_set(x, RULE_FAIL, "nftables.service is not enabled: no rules are loaded at boot");
                return result_set(x, missing ? RULE_FAIL : RULE_PASS,
                                  missing ? "The ruleset loaded at boot lacks base chains for input, forward or output" :
                                            "The ruleset loaded at boot filters input, forward and output");
        }
        if (i == FI_NFT_CHAINS || i == FI_NFT_DENY) {
                size_t bad = 0;

                for (size_t k = 0; k < 3; k++) {
                        bool ok = n.hook[k] && (i == FI_NFT_CHAINS || n.drop[k]);

                        r = result_evidence(
                                x, n.hook[k] ?: NFT_CONF,
                                check_tmp(c, "type filter hook %s%s", hooks[k], i == FI_NFT_DENY ? " policy drop" : ""),
                                !n.hook[k]       ? "no such chain" :
                                i == FI_NFT_DENY ? (n.drop[k] ? "policy drop" : "policy accept") :
                                                   "present");
                        if (r < 0)
                                return r;
                        bad += !ok;
                }
                if (i == FI_NFT_CHAINS)
                        return result_set(x, bad ? RULE_FAIL : RULE_PASS,
                                          bad ? "Base chains for input, forward and output are missing" :
                                                "Base chains filter input, forward and output");
                return result_set(x, bad ? RULE_FAIL : RULE_PASS,
                                  bad ? "Not every base chain drops by default" : "Every base chain drops by default");
        }
        /* FI_NFT_LOOPBACK */
        r = result_evidence(x, n.lo_accept ?: NFT_CONF, "iif lo accept", n.lo_accept ? "present" : "missing");
        if (r >= 0)
                r = result_evidence(x, n.lo4_drop ?: NFT_CONF, "ip saddr 127.0.0.0/8 drop",
                                    n.lo4_drop ? "present" : "missing");
        if (r >= 0)
                r = result_evidence(x, n.lo6_drop ?: NFT_CONF, "ip6 saddr ::1 drop", n.lo6_drop ? "present" : "missing");
        if (r < 0)
                return r;
        if (!n.lo_accept || !n.lo4_drop || !n.lo6_drop)
                return result_set(x, RULE_FAIL, "The ruleset lacks loopback rules");
        return result_set(x, RULE_PASS, "The ruleset accepts loopback and drops spoofed loopback");
}

static int check_fw(CheckContext *c, const ComplianceRule *rule) {
        return check_cis_items(c, rule, check_fw_one);
}

const ComplianceRule rule_cis_firewall = {
        .id = "hardenctl-cis-firewall",
        .title = "One host firewall loads a default-deny ruleset at boot",
        .severity = SEVERITY_MEDIUM,
        .rationale =
                "A host firewall that drops what it does not know limits what a listening service or a compromise can expose; two firewalls fight over the rules, and rules not in the boot files are lost at reboot.",
        .nist = "SC-7 CM-7",
        .remediation =
                "Install and enable one firewall (nftables: apt-get install nftables; systemctl enable nftables), give /etc/nftables.conf a table with input, forward and output base chains of policy drop, accept iif lo and drop 127.0.0.0/8 and ::1 from elsewhere; with iptables-persistent, the same in /etc/iptables/rules.v4 and rules.v6.",
        .check = check_fw,
        .items = fw_refs,
        .n_items = ELEMENTSOF(fw_refs),
};
