/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* [Benchmark] CIS=: ufw as the host firewall (CIS 4.2.1-4.2.4, 4.2.6, 4.2.7), from the files ufw loads at
 * boot rather than from the running tool: /etc/ufw/ufw.conf (ENABLED=), /etc/default/ufw (the default
 * policies, IPV6=), and the rules the ufw command keeps in /etc/ufw/user.rules and user6.rules, whose
 * "### tuple ###" lines are what ufw itself reads back. The items apply where ufw is installed and no
 * other firewall is the one in use (hardenctl-cis-firewall judges that there is one). */

#include <sys/socket.h>

#include "compliance-rules.h"
#include "string-util.h"

#define UFW_CONF "/etc/ufw/ufw.conf"
#define UFW_DEFAULT "/etc/default/ufw"

typedef enum UfwItem {
        UI_INSTALLED,
        UI_NO_IPTABLES,
        UI_ENABLED,
        UI_LOOPBACK,
        UI_OPEN_PORTS,
        UI_DEFAULT_DENY,
} UfwItem;

/* ComplianceAsCode: package_ufw_installed, package_iptables-persistent_removed, service_ufw_enabled,
 * ufw_only_required_services, ufw_rules_for_open_ports, set_ufw_default_rule, set_ufw_loopback_traffic
 * (controls/cis_debian12.yml). */
static const ItemRef ufw_refs[] = {
        [UI_INSTALLED] = { "ufw installed", "4.2.1", NULL, NULL },
        [UI_NO_IPTABLES] = { "iptables-persistent not with ufw", "4.2.2", NULL, NULL },
        [UI_ENABLED] = { "ufw.service", "4.2.3", NULL, NULL },
        [UI_LOOPBACK] = { "ufw loopback", "4.2.4", NULL, NULL },
        [UI_OPEN_PORTS] = { "ufw rules for open ports", "4.2.6", NULL, NULL },
        [UI_DEFAULT_DENY] = { "ufw default deny", "4.2.7", NULL, NULL },
};

/* One "### tuple ### ACTION PROTO DPORT DST SPORT SRC [DAPP SAPP] DIRECTION [comment=HEX]" line, as ufw
 * writes its rules: ACTION may carry a "_log" suffix, DIRECTION an "_IFACE" one ("in_lo"). */
typedef struct UfwTuple {
        char action[32], proto[16], dport[128], dst[64], src[64], direction[48];
} UfwTuple;

static bool tuple_parse(const char *line, UfwTuple *t) {
        char tok[12][128];
        size_t n = 0;
        const char *p = startswith(line, "### tuple ### ");

        if (!p)
                return false;
        while (n < ELEMENTSOF(tok) && *(p += strspn(p, " \t")) != '\0') {
                size_t k = strcspn(p, " \t");

                if (k >= sizeof(tok[0]))
                        return false;
                memcpy(tok[n], p, k);
                tok[n++][k] = '\0';
                p += k;
        }
        if (n > 0 && startswith(tok[n - 1], "comment="))
                n--;
        if (n != 7 && n != 9)
                return false;
        *t = (UfwTuple){};
        if (strlen(tok[0]) >= sizeof(t->action) || strlen(tok[1]) >= sizeof(t->proto) ||
            strlen(tok[3]) >= sizeof(t->dst) || strlen(tok[5]) >= sizeof(t->src) ||
            strlen(tok[n - 1]) >= sizeof(t->direction))
                return false;
        strcpy(t->action, tok[0]);
        t->action[strcspn(t->action, "_")] = '\0';
        strcpy(t->proto, tok[1]);
        strcpy(t->dport, tok[2]);
        strcpy(t->dst, tok[3]);
        strcpy(t->src, tok[5]);
        strcpy(t->direction, tok[n - 1]);
        return true;
}

typedef bool (*tuple_match_t)(const UfwTuple *t, const void *userdata);

/* The first tuple of user.rules and user6.rules that match() accepts, as "FILE:LINE TUPLE", or NULL. */
static int ufw_find(CheckContext *c, tuple_match_t match, const void *userdata, bool v6_only, const char **ret) {
        static const char *const files[] = { "/etc/ufw/user.rules", "/etc/ufw/user6.rules" };

        *ret = NULL;
        for (size_t i = v6_only; i < ELEMENTSOF(files); i++) {
                _cleanup_free_ char *text = NULL;
                unsigned line = 0;
                int r;

                r = probe_read_file(c, files[i], 0, &text);
                if (r == -ENOMEM)
                        return r;
                if (r < 0)
                        continue;
                for (char *l = text; l && *l;) {
                        char *end = strchrnul(l, '\n'), *next = *end ? end + 1 : NULL;
                        UfwTuple t;

                        *end = '\0';
                        line++;
                        if (tuple_parse(l, &t) && match(&t, userdata)) {
                                *ret = check_tmp(c, "%s:%u %s", files[i], line, l + strlen("### tuple ### "));
                                return 0;
                        }
                        l = next;
                }
        }
        return 0;
}

/* ---- loopback ---- */

typedef struct LoopbackWant {
        const char *action, *src, *direction;
        const char *text; /* as the ufw command says it */
        bool v6;
} LoopbackWant;

static bool loopback_match(const UfwTuple *t, const void *userdata) {
        const LoopbackWant *w = userdata;

        return streq(t->action, w->action) && streq(t->proto, "any") && streq(t->dport, "any") &&
               streq(t->src, w->src) && streq(t->direction, w->direction);
}

static int check_loopback(CheckContext *c, ComplianceResult *x) {
        static const LoopbackWant wants[] = {
                { "allow", "0.0.0.0/0", "in_lo", "ufw allow in on lo", false },
                { "allow", "0.0.0.0/0", "out_lo", "ufw allow out on lo", false },
                { "deny", "127.0.0.0/8", "in", "ufw deny in from 127.0.0.0/8", false },
                { "deny", "::1", "in", "ufw deny in from ::1", true },
        };
        _cleanup_free_ char *defaults = NULL, *ipv6 = NULL;
        unsigned missing = 0;
        bool v6;
        int r;

        r = probe_read_file(c, UFW_DEFAULT, 0, &defaults);
        if (r == -ENOMEM || (r >= 0 && env_file_get(defaults, "IPV6", &ipv6) == -ENOMEM))
                return -ENOMEM;
        v6 = !ipv6 || !streq(ipv6, "no"); /* ufw's default is yes */
        for (size_t i = 0; i < ELEMENTSOF(wants); i++) {
                const char *found;

                if (wants[i].v6 && !v6)
                        continue;
                r = ufw_find(c, loopback_match, wants + i, wants[i].v6, &found);
                if (r < 0)
                        return r;
                r = result_evidence(x, found ? "ufw rules" : "/etc/ufw/user.rules /etc/ufw/user6.rules", wants[i].text,
                                    found ?: "missing");
                if (r < 0)
                        return r;
                missing += !found;
        }
        if (missing > 0)
                return result_set(x, RULE_FAIL, "%u of ufw's loopback rules %s missing", missing,
                                  missing == 1 ? "is" : "are");
        return result_set(x, RULE_PASS, "ufw accepts loopback and denies spoofed loopback");
}

/* ---- a rule for every open port ---- */

typedef struct PortWant {
        const char *proto;
        unsigned port;
} PortWant;

static bool port_match(const UfwTuple *t, const void *userdata) {
        const PortWant *w = userdata;

        return startswith(t->direction, "in") && (streq(t->proto, "any") || streq(t->proto, w->proto)) &&
               port_list_has(t->dport, w->port);
}

static int ufw_port_rule(CheckContext *c, const ListenSocket *s, const void *userdata, const char **ret_expected,
                         const char **ret_source, const char **ret_actual) {
        PortWant w = { s->proto, s->port };
        int r;

        *ret_expected = check_tmp(c, "a ufw rule for %s port %u", s->proto, s->port);
        *ret_source = "ufw rules";
        r = ufw_find(c, port_match, &w, false, ret_actual);
        return r < 0 ? r : !!*ret_actual;
}

static int check_open_ports(CheckContext *c, ComplianceResult *x) {
        unsigned missing, ports;
        int r;

        r = result_port_rules(c, x, AF_UNSPEC, ufw_port_rule, NULL, &missing, &ports);
        if (r != 0)
                return r < 0 ? r : 0;
        if (missing > 0)
                return result_set(x, RULE_FAIL, "%u of %u open ports %s no ufw rule", missing, ports,
                                  missing == 1 ? "has" : "have");
        if (ports == 0)
                return result_set(x, RULE_PASS, "No port is open beyond loopback");
        return result_set(x, RULE_PASS, "Each of the %u open ports has a ufw rule", ports);
}

/* ---- the rest ---- */

static int check_default_deny(CheckContext *c, ComplianceResult *x) {
        static const char *const keys[] = { "DEFAULT_INPUT_POLICY", "DEFAULT_OUTPUT_POLICY", "DEFAULT_FORWARD_POLICY" };
        _cleanup_free_ char *text = NULL;
        const char *bad = NULL;
        int r;

        r = probe_read_file(c, UFW_DEFAULT, 0, &text);
        if (r == -ENOENT)
                return result_set(x, RULE_FAIL, "%s is missing: ufw has no default policy", UFW_DEFAULT);
        if (r < 0)
                return r == -ENOMEM ? r : result_errno(x, r, UFW_DEFAULT);
        for (size_t i = 0; i < ELEMENTSOF(keys); i++) {
                _cleanup_free_ char *v = NULL;
                bool ok;

                r = env_file_get(text, keys[i], &v);
                if (r == -ENOMEM)
                        return r;
                ok = v && (streq(v, "DROP") || streq(v, "REJECT"));
                r = result_evidence(x, check_tmp(c, "%s %s=", UFW_DEFAULT, keys[i]), "DROP or REJECT", v ?: "unset");
                if (r < 0)
                        return r;
                if (!ok && !bad)
                        bad = keys[i];
        }
        if (bad)
                return result_set(x, RULE_FAIL, "ufw does not deny by default (%s)", bad);
        return result_set(x, RULE_PASS, "ufw denies incoming, outgoing and routed traffic by default");
}

static int check_enabled(CheckContext *c, ComplianceResult *x) {
        _cleanup_free_ char *text = NULL, *enabled = NULL;
        const char *link = probe_unit_enabled(c, "ufw.service");
        int r;

        r = result_evidence(x, link ?: "/etc/systemd/system", "ufw.service enabled", link ? "enabled" : "not enabled");
        if (r < 0)
                return r;
        r = probe_read_file(c, UFW_CONF, 0, &text);
        if (r == -ENOMEM || (r >= 0 && env_file_get(text, "ENABLED", &enabled) == -ENOMEM))
                return -ENOMEM;
        r = result_evidence(x, check_tmp(c, "%s ENABLED=", UFW_CONF), "yes", enabled ?: "unset");
        if (r < 0)
                return r;
        if (!link)
                return result_set(x, RULE_FAIL, "ufw.service is not enabled");
        if (!streq_ptr(enabled, "yes"))
                return result_set(x, RULE_FAIL, "ufw is not enabled in %s", UFW_CONF);
        return result_unit_active(c, x, "ufw.service");
}

static int check_ufw_one(CheckContext *c, const ComplianceRule *rule, size_t i) {
        _cleanup_strv_free_ char **used = NULL;
        const DpkgPackage *ufw, *ipt = NULL;
        const DpkgDatabase *db;
        ComplianceResult *x;
        int r;

        r = check_begin(c, rule, rule->items[i].item, &x);
        if (r < 0)
                return r;
        r = probe_dpkg(c, &db);
        if (r < 0)
                return r == -ENOMEM ? r : result_errno(x, r, "/var/lib/dpkg/status");
        r = firewalls_in_use(c, db, &used);
        if (r < 0)
                return r;
        ufw = dpkg_lookup(db, "ufw");
        if (i == UI_INSTALLED || i == UI_NO_IPTABLES) {
                ipt = dpkg_lookup(db, "iptables-persistent");
                r = result_evidence(x, "/var/lib/dpkg/status",
                                    i == UI_INSTALLED ? "ufw installed" : "no iptables-persistent",
                                    i == UI_INSTALLED ? (ufw ? check_tmp(c, "ufw %s", ufw->version) : "not installed") :
                                    ipt               ? check_tmp(c, "iptables-persistent %s", ipt->version) :
                                                        "not installed");
                if (r < 0)
                        return r;
        }
        if (strv_length(used) == 1 && !streq(used[0], "ufw"))
                return result_set(x, RULE_NOTAPPLICABLE, "The firewall in use is %s, not ufw", used[0]);
        if (!ufw)
                return result_set(x, i == UI_INSTALLED ? RULE_FAIL : RULE_NOTAPPLICABLE, "ufw is not installed");
        switch ((UfwItem) i) {
        case UI_INSTALLED:
                return result_set(x, RULE_PASS, "ufw is installed");
        case UI_NO_IPTABLES:
                return result_set(x, ipt ? RULE_FAIL : RULE_PASS,
                                  ipt ? "iptables-persistent is installed beside ufw" :
                                        "iptables-persistent is not installed beside ufw");
        case UI_ENABLED:
                return check_enabled(c, x);
        case UI_LOOPBACK:
                return check_loopback(c, x);
        case UI_OPEN_PORTS:
                return check_open_ports(c, x);
        case UI_DEFAULT_DENY:
                return check_default_deny(c, x);
        }
        return -EINVAL;
}

static int check_ufw(CheckContext *c, const ComplianceRule *rule) {
        return check_cis_items(c, rule, check_ufw_one);
}

const ComplianceRule rule_cis_ufw = {
        .id = "hardenctl-cis-ufw",
        .title = "ufw, where it is the firewall, denies by default and has a rule for every open port",
        .severity = SEVERITY_MEDIUM,
        .rationale =
                "A firewall that drops what it does not know limits what a listening service exposes; ufw's own rules say which ports are meant to be open, and a port without one is open by accident or by default.",
        .nist = "SC-7 CM-7",
        .remediation =
                "apt-get install ufw; apt-get purge iptables-persistent; ufw allow in on lo; ufw allow out on lo; ufw deny in from 127.0.0.0/8; ufw deny in from ::1; ufw allow (or deny) each open port the evidence names; ufw default deny incoming; ufw default deny outgoing; ufw default deny routed; ufw enable.",
        .check = check_ufw,
        .items = ufw_refs,
        .n_items = ELEMENTSOF(ufw_refs),
};
