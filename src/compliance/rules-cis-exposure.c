/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* [Benchmark] CIS=: what the host exposes beyond the services it is for: the mail transfer agent answers
 * only the host itself (CIS 2.1.21), from the listening sockets (probe_listening()); and no wireless
 * interface (CIS 3.1.2), from ROOT/sys/class/net, with what modprobe.d says of each one's driver. */

#include <fcntl.h>
#include <limits.h>

#include "compliance-rules.h"
#include "fs-util.h"
#include "path-util.h"

/* ComplianceAsCode: has_nonlocal_mta, postfix_network_listening_disabled, wireless_disable_interfaces
 * (controls/cis_debian12.yml). */
static const ItemRef exposure_refs[] = {
        { "mail transfer agent local only", "2.1.21", NULL, NULL },
        { "wireless interfaces", "3.1.2", NULL, NULL },
};

/* The mail ports (25, 465, 587) listening beyond loopback. */
static int check_mta(CheckContext *c, ComplianceResult *x) {
        const ListenSocket *l;
        unsigned n = 0;
        size_t k;
        int r;

        r = probe_listening(c, &l, &k);
        if (r == -ENOMEM)
                return r;
        if (r < 0)
                return result_missing_state(c, x, r, "/proc/1/net/tcp");
        for (size_t i = 0; i < k; i++) {
                if (!streq(l[i].proto, "tcp") || (l[i].port != 25 && l[i].port != 465 && l[i].port != 587))
                        continue;
                n++;
                r = result_evidence(x, l[i].source, "no listener on port 25, 465 or 587 but on loopback",
                                    check_tmp(c, "listening on %s port %u", l[i].address, l[i].port));
                if (r < 0)
                        return r;
        }
        if (n > 0)
                return result_set(x, RULE_FAIL, "A mail port is open to the network (%u listener%s)", n,
                                  n == 1 ? "" : "s");
        r = result_evidence(x, "/proc/1/net/tcp /proc/1/net/tcp6", "no listener on port 25, 465 or 587 but on loopback",
                            "none");
        if (r < 0)
                return r;
        return result_set(x, RULE_PASS, "No mail port is open beyond the host itself");
}

static bool not_hidden(const char *name, const void *userdata) {
        return name[0] != '.';
}

/* The driver module of the network interface at dev ("/sys/class/net/wlan0": what its device/driver/module
 * link names), or NULL for a driver built into the kernel. */
static int interface_module(CheckContext *c, const char *dev, char **ret) {
        _cleanup_free_ char *path = path_join(dev, "device/driver/module");
        _cleanup_close_ int fd = path ? open_in_root(c->root_fd, path, O_PATH | O_NOFOLLOW) : -ENOMEM;
        char target[PATH_MAX];
        ssize_t n;

        *ret = NULL;
        if (fd == -ENOMEM)
                return fd;
        if (fd < 0)
                return 0;
        n = readlinkat(fd, "", target, sizeof(target) - 1);
        if (n < 0)
                return 0;
        target[n] = '\0';
        *ret = strdup(path_basename(target));
        return *ret ? 0 : -ENOMEM;
}

/* What modprobe.d says of module for the next boot: "install MODULE /bin/false (FILE:LINE)" where it
 * refuses it, else NULL. */
static int module_refused(CheckContext *c, char *const *paths, char *const *texts, const char *module, const char **ret) {
        _cleanup_(modprobe_verdict_done) ModprobeVerdict v = {};
        int r;

        *ret = NULL;
        for (size_t i = 0; texts && texts[i]; i++) {
                r = modprobe_scan(paths[i], texts[i], module, &v);
                if (r < 0)
                        return r;
        }
        if (v.install && modprobe_install_refuses(v.install))
                *ret = check_tmp(c, "install %s %s (%s)", module, v.install, v.install_source);
        return 0;
}

/* Every interface with a wireless directory is a radio the host has up: its driver is loaded (or built
 * in). Denying the driver in modprobe.d (install MODULE /bin/false) keeps it from the next boot. */
static int check_wireless(CheckContext *c, ComplianceResult *x) {
        _cleanup_strv_free_ char **devs = NULL;
        char *const *paths = NULL, *const *texts = NULL;
        const char *first = NULL;
        unsigned n = 0;
        int r;

        _cleanup_close_ int net_fd = open_in_root(c->root_fd, "/sys/class/net", O_PATH | O_DIRECTORY);

        if (net_fd < 0) /* a missing directory lists as empty: tell an offline tree from a host without one */
                return result_missing_state(c, x, net_fd, "/sys/class/net");
        r = probe_list_dir(c, "/sys/class/net", not_hidden, NULL, &devs);
        if (r == -ENOMEM)
                return r;
        if (r < 0)
                return result_missing_state(c, x, r, "/sys/class/net");
        STRV_FOREACH(d, devs) {
                _cleanup_free_ char *wireless = path_join(*d, "wireless"), *module = NULL;
                _cleanup_close_ int fd = wireless ? open_in_root(c->root_fd, wireless, O_PATH | O_DIRECTORY) : -ENOMEM;
                const char *refused = NULL;

                if (fd == -ENOMEM)
                        return fd;
                if (fd < 0)
                        continue;
                r = interface_module(c, *d, &module);
                if (r < 0)
                        return r;
                if (module && !paths) {
                        r = probe_conf_texts(c, CONF_MODPROBE_D, &paths, &texts);
                        if (r < 0)
                                return r;
                }
                if (module) {
                        r = module_refused(c, paths, texts, module, &refused);
                        if (r < 0)
                                return r;
                }
                r = result_evidence(x, *d, "no wireless interface",
                                    !module ? "wireless, its driver built into the kernel" :
                                    refused ? check_tmp(c, "wireless, driver %s, refused from the next boot on: %s",
                                                        module, refused) :
                                              check_tmp(c, "wireless, driver %s, not refused in modprobe.d", module));
                if (r < 0)
                        return r;
                first = first ?: check_tmp(c, "%s", path_basename(*d));
                n++;
        }
        if (n > 0)
                return result_set(x, RULE_FAIL, "%u wireless interface%s (%s%s)", n, n == 1 ? " is up" : "s are up",
                                  first, n > 1 ? ", …" : "");
        r = result_evidence(x, "/sys/class/net", "no wireless interface",
                            check_tmp(c, "%zu interfaces, none wireless", strv_length(devs)));
        if (r < 0)
                return r;
        return result_set(x, RULE_PASS, "The host has no wireless interface");
}

static int check_exposure_one(CheckContext *c, const ComplianceRule *rule, size_t i) {
        ComplianceResult *x;
        int r;

        r = check_begin(c, rule, rule->items[i].item, &x);
        if (r < 0)
                return r;
        return i == 0 ? check_mta(c, x) : check_wireless(c, x);
}

static int check_exposure(CheckContext *c, const ComplianceRule *rule) {
        return check_cis_items(c, rule, check_exposure_one);
}

const ComplianceRule rule_cis_exposure = {
        .id = "hardenctl-cis-exposure",
        .title = "The host exposes no mail port beyond itself and no wireless interface",
        .severity = SEVERITY_MEDIUM,
        .rationale =
                "A mail server reachable from the network is a way in, and a relay for others, that a host sending only its own mail does not need; a radio is a network the host's firewall and cabling do not bound.",
        .nist = "CM-7 AC-18 SC-7",
        .remediation =
                "Set inet_interfaces = loopback-only in /etc/postfix/main.cf (dc_local_interfaces='127.0.0.1 ; ::1' for exim4) and restart the mail server. For each wireless driver the evidence names, add \"install MODULE /bin/false\" and \"blacklist MODULE\" to a file in /etc/modprobe.d/ and reboot.",
        .check = check_exposure,
        .items = exposure_refs,
        .n_items = ELEMENTSOF(exposure_refs),
};
