/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* The [Kernel] section's rules: sysctls, lockdown, module loading, modules denied, the command line. */

#include <dirent.h>
#include <fcntl.h>

#include "compliance-rules.h"
#include "fs-util.h"
#include "sysctl-util.h"

/* One setting of the profile. */
static int check_sysctl_one(CheckContext *c, const ComplianceRule *rule, const SysctlSetting *s) {
        const char *name = s->key, *want = s->value;
        _cleanup_free_ char *value = NULL, *path = NULL;
        ComplianceResult *x;
        int r;

        r = check_begin(c, rule, name, &x);
        if (r < 0)
                return r;
        r = probe_sysctl(c, name, &value, &path);
        if (r == -ENOENT) {
                _cleanup_free_ char *dir = NULL;

                /* Offline trees have no /proc/sys; a running kernel without the knob cannot be set to
                 * the value. */
                if (!c->live && probe_read_file(c, "/proc/sys/kernel/osrelease", 0, &dir) < 0)
                        return result_offline(x, "A kernel setting");
                r = result_evidence(x, check_tmp(c, "/proc/sys/%s", name), want, "missing");
                if (r < 0)
                        return r;
                return result_set(x, RULE_FAIL, "The kernel has no setting %s", name);
        }
        if (r < 0)
                return result_errno(x, r, check_tmp(c, "sysctl %s", name));
        r = result_evidence(x, path, want, value);
        if (r < 0)
                return r;
        if (sysctl_value_equal(value, want))
                return result_set(x, RULE_PASS, "%s = %s", name, value);
        return result_set(x, RULE_FAIL, "%s = %s, expected %s", name, value, want);
}

/* The settings as apply plans them: each once, with the value of its last assignment, compared as the
 * kernel prints values. */
static int check_sysctl(CheckContext *c, const ComplianceRule *rule) {
        const ProfileKernel *k = &c->profile->kernel;

        for (size_t i = 0; i < k->n_sysctl_settings; i++) {
                int r = check_sysctl_one(c, rule, k->sysctl_settings + i);
                if (r < 0)
                        return r;
        }
        return 0;
}

static int check_lockdown(CheckContext *c, const ComplianceRule *rule) {
        int want = c->profile->kernel.lockdown;
        LockdownMode have;
        const char *mode;
        ComplianceResult *x;
        int r;

        if (want < 0)
                return 0;
        r = check_begin(c, rule, NULL, &x);
        if (r < 0)
                return r;
        r = probe_lockdown(c, &have);
        if (r == -ENOENT && c->live) {
                r = result_evidence(x, "/sys/kernel/security/lockdown", lockdown_mode_to_string(want),
                                    "missing (no lockdown LSM)");
                if (r < 0)
                        return r;
                return result_set(x, want == LOCKDOWN_NONE ? RULE_PASS : RULE_FAIL, "The kernel has no lockdown LSM");
        }
        if (r < 0)
                return result_missing_state(c, x, r, "/sys/kernel/security/lockdown");
        mode = lockdown_mode_to_string(have);
        r = result_evidence(x, "/sys/kernel/security/lockdown",
                            check_tmp(c, "%s or stricter", lockdown_mode_to_string(want)), mode);
        if (r < 0)
                return r;
        if ((int) have >= want)
                return result_set(x, RULE_PASS, "Kernel lockdown is %s", mode);
        return result_set(x, RULE_FAIL, "Kernel lockdown is %s, expected %s", mode, lockdown_mode_to_string(want));
}

/* Whether the running kernel supports loadable modules at all. */
static bool kernel_has_modules(CheckContext *c) {
        _cleanup_close_ int fd = open_in_root(c->root_fd, "/proc/modules", O_PATH);

        return fd >= 0;
}

static int check_module_loading(CheckContext *c, const ComplianceRule *rule) {
        int want = c->profile->kernel.module_loading;
        _cleanup_free_ char *disabled = NULL, *sig = NULL;
        LockdownMode lockdown;
        ComplianceResult *x;
        int r, k;

        if (want < 0)
                return 0;
        r = check_begin(c, rule, NULL, &x);
        if (r < 0)
                return r;
        if (want == MODULES_ALLOW)
                return result_set(x, RULE_PASS, "ModuleLoading=allow asks for nothing");
        r = probe_sysctl(c, "kernel.modules_disabled", &disabled, NULL);
        if (r == -ENOENT && c->live && !kernel_has_modules(c)) {
                r = result_evidence(x, "/proc/modules", "module loading restricted",
                                    "missing: no loadable module support");
                if (r < 0)
                        return r;
                return result_set(x, RULE_PASS, "The kernel cannot load modules at all");
        }
        if (r < 0)
                return result_missing_state(c, x, r, "/proc/sys/kernel/modules_disabled");
        r = result_evidence(x, "/proc/sys/kernel/modules_disabled", want == MODULES_LOCKED ? "1" : "0 or 1", disabled);
        if (r < 0)
                return r;
        if (want == MODULES_LOCKED)
                return result_set(x, streq(disabled, "1") ? RULE_PASS : RULE_FAIL,
                                  streq(disabled, "1") ? "Module loading is locked" : "Modules can still be loaded");
        if (streq(disabled, "1"))
                return result_set(x, RULE_PASS, "Module loading is locked, which is stricter than signed");
        /* Signed only: the module.sig_enforce parameter, or lockdown (which enforces signatures). */
        r = probe_read_line(c, "/sys/module/module/parameters/sig_enforce", &sig);
        k = result_evidence(x, "/sys/module/module/parameters/sig_enforce", "Y", r >= 0 ? sig : "missing");
        if (k < 0)
                return k;
        if (r >= 0 && streq(sig, "Y"))
                return result_set(x, RULE_PASS, "Only signed modules can be loaded");
        if (probe_lockdown(c, &lockdown) >= 0 && lockdown != LOCKDOWN_NONE) {
                k = result_evidence(x, "/sys/kernel/security/lockdown", "integrity or confidentiality",
                                    lockdown_mode_to_string(lockdown));
                if (k < 0)
                        return k;
                return result_set(x, RULE_PASS, "Lockdown (%s) enforces module signatures",
                                  lockdown_mode_to_string(lockdown));
        }
        if (r == -ENOENT && !c->live)
                return result_offline(x, "The module signature policy");
        return result_set(x, RULE_FAIL, "Unsigned modules can be loaded");
}

static bool modprobe_denies(const char *text, const char *module, bool *ret_blacklisted) {
        bool install = false;

        for (const char *l = text; l && *l;) {
                const char *end = strchrnul(l, '\n');
                _cleanup_free_ char *line = strndup(l, end - l);
                const char *p, *rest;

                l = *end ? end + 1 : NULL;
                if (!line)
                        return false;
                p = line + strspn(line, " \t");
                if ((rest = startswith(p, "blacklist"))) {
                        rest += strspn(rest, " \t");
                        if (strneq(rest, module, strlen(module)) && strchr(" \t", rest[strlen(module)]))
                                *ret_blacklisted = true;
                } else if ((rest = startswith(p, "install"))) {
                        rest += strspn(rest, " \t");
                        if (strneq(rest, module, strlen(module)) && strchr(" \t", rest[strlen(module)]) &&
                            rest[strlen(module)]) {
                                const char *cmd = rest + strlen(module);

                                cmd += strspn(cmd, " \t");
                                if (startswith(cmd, "/bin/false") || startswith(cmd, "/bin/true") ||
                                    startswith(cmd, "/usr/bin/false") || startswith(cmd, "/usr/bin/true"))
                                        install = true;
                        }
                }
        }
        return install;
}

/* What check_deny_module() judges each module by: every modprobe.d file, read once, and /proc/modules. */
typedef struct ModprobeState {
        char **names;
        char **texts;
        char *modules;
        int modules_r;
} ModprobeState;

static void modprobe_state_done(ModprobeState *m) {
        strv_free(m->names);
        strv_free(m->texts);
        free(m->modules);
}

static bool modprobe_name_filter(const char *name, const void *userdata) {
        return endswith(name, ".conf");
}

static int modprobe_state_read(CheckContext *c, ModprobeState *m) {
        static const char *const dirs[] = { "/etc/modprobe.d", "/run/modprobe.d", "/usr/local/lib/modprobe.d",
                                            "/usr/lib/modprobe.d", "/lib/modprobe.d" };

        _cleanup_(strv_builder_done) StrvBuilder names = {}, texts = {};

        /* Each file through the bounded reader: at most PROBE_DIR_ENTRIES_MAX of a directory, 64 KiB each
         * (a deny list is a few lines), and all within the check's budget. */
        for (size_t i = 0; i < ELEMENTSOF(dirs); i++) {
                _cleanup_strv_free_ char **files = NULL;
                int r;

                r = probe_list_dir(c, dirs[i], modprobe_name_filter, NULL, &files);
                if (r == -ENOMEM)
                        return r;
                STRV_FOREACH(p, files) {
                        _cleanup_free_ char *t = NULL;

                        if (probe_read_file(c, *p, 64 * 1024, &t) < 0)
                                continue;
                        if (strv_builder_extend(&names, *p) < 0 || strv_builder_consume(&texts, TAKE_PTR(t)) < 0)
                                return -ENOMEM;
                }
        }
        m->names = strv_builder_take(&names);
        m->texts = strv_builder_take(&texts);
        m->modules_r = probe_read_file(c, "/proc/modules", 0, &m->modules);
        return 0;
}

static int check_deny_module_one(CheckContext *c, const ComplianceRule *rule, const ModprobeState *m, const char *module) {
        const char *denied_by = NULL;
        bool blacklisted = false, loaded = false;
        ComplianceResult *x;
        int r;

        r = check_begin(c, rule, module, &x);
        if (r < 0)
                return r;
        for (size_t i = 0; m->texts && m->texts[i] && !denied_by; i++)
                if (modprobe_denies(m->texts[i], module, &blacklisted))
                        denied_by = m->names[i];
        r = result_evidence(x, "modprobe.d", check_tmp(c, "install %s /bin/false", module),
                            denied_by   ? check_tmp(c, "in %s", denied_by) :
                            blacklisted ? "blacklisted only" :
                                          "not denied");
        if (r < 0)
                return r;
        if (m->modules_r >= 0) {
                size_t n = strlen(module);

                for (const char *l = m->modules; l && *l && !loaded; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL)
                        loaded = strneq(l, module, n) && l[n] == ' ';
                r = result_evidence(x, "/proc/modules", "not loaded", loaded ? "loaded" : "not loaded");
                if (r < 0)
                        return r;
        }
        if (loaded)
                return result_set(x, RULE_FAIL, "%s is loaded", module);
        if (c->live && m->modules_r == -ENOENT)
                return result_set(x, RULE_PASS, "The kernel cannot load modules at all, %s included", module);
        if (!denied_by)
                return result_set(x, RULE_FAIL, "Nothing stops %s from being loaded%s", module,
                                  blacklisted ? " (a blacklist entry stops only aliases)" : "");
        return result_set(x, RULE_PASS, "%s cannot be loaded (%s)", module, denied_by);
}

static int check_deny_module(CheckContext *c, const ComplianceRule *rule) {
        _cleanup_(modprobe_state_done) ModprobeState m = {};
        int r;

        if (!c->profile->kernel.deny_modules)
                return 0;
        r = modprobe_state_read(c, &m);
        if (r < 0)
                return r;
        STRV_FOREACH(module, c->profile->kernel.deny_modules) {
                r = check_deny_module_one(c, rule, &m, *module);
                if (r < 0)
                        return r;
        }
        return 0;
}

/* One word of CommandLine=. */
static int check_cmdline_one(CheckContext *c, const ComplianceRule *rule, const char *word) {
        _cleanup_free_ char *actual = NULL;
        const char *cmdline, *shown;
        ComplianceResult *x;
        int r, k;

        r = check_begin(c, rule, word, &x);
        if (r < 0)
                return r;
        r = probe_cmdline(c, &cmdline);
        if (r < 0)
                return result_missing_state(c, x, r, "/proc/cmdline");
        r = cmdline_has(cmdline, word, &actual);
        if (r < 0)
                return r;
        if (!actual)
                shown = "absent";
        else if (strchr(word, '='))
                shown = check_tmp(c, "%.*s=%s", (int) strcspn(word, "="), word, actual);
        else
                shown = "present";
        k = result_evidence(x, "/proc/cmdline", word, shown);
        if (k < 0)
                return k;
        return result_set(x, r > 0 ? RULE_PASS : RULE_FAIL,
                          r > 0 ? "%s is on the kernel command line" : "%s is not on the kernel command line", word);
}

static int check_cmdline(CheckContext *c, const ComplianceRule *rule) {
        return check_each(c, rule, c->profile->kernel.command_line, check_cmdline_one);
}

/* ---- the rules ---- */

const ComplianceRule rule_kernel_sysctl = {
        /* ComplianceAsCode: per item (sysctl_* rules, CIS 1.5.x, 3.3.x); the NIST controls are our own. */
        .id = "hardenctl-kernel-sysctl",
        .title = "Kernel settings have the values the profile asks for",
        .severity = SEVERITY_MEDIUM,
        .rationale =
                "Kernel settings close information leaks (pointers, logs), harden the network stack and restrict debugging interfaces.",
        .nist = "CM-6 CM-7 SC-5 SC-7 SC-30 SC-39",
        .remediation = "Start hardenctl-kernel.service, which writes [Kernel] Sysctl= after systemd-sysctl.",
        .check = check_sysctl,
};

const ComplianceRule rule_kernel_lockdown = {
        .id = "hardenctl-kernel-lockdown",
        .title = "Kernel lockdown is at least at the profile's level",
        .severity = SEVERITY_HIGH,
        .rationale =
                "Lockdown stops root from changing the running kernel (kexec of unsigned kernels, /dev/mem, unsigned modules, hibernation).",
        .nist = "SI-7 AC-6 CM-7",
        .remediation = "Boot with lockdown=integrity, or start hardenctl-kernel-early.service with [Kernel] Lockdown=.",
        .check = check_lockdown,
};

const ComplianceRule rule_kernel_module_loading = {
        .id = "hardenctl-kernel-module-loading",
        .title = "Kernel module loading is restricted",
        .severity = SEVERITY_HIGH,
        .rationale = "A loaded module runs with the kernel's rights: only signed modules, or none after boot.",
        .nist = "CM-7 CM-14 SI-7",
        .remediation =
                "Set [Kernel] ModuleLoading=signed (module.sig_enforce=1 or lockdown) or locked (kernel.modules_disabled=1 after boot).",
        .check = check_module_loading,
};

const ComplianceRule rule_kernel_deny_module = {
        /* ComplianceAsCode: per item (kernel_module_*_disabled rules, CIS 1.1.1.x, 3.2.x); the NIST
         * controls are our own. */
        .id = "hardenctl-kernel-deny-module",
        .title = "Unneeded kernel modules cannot be loaded",
        .severity = SEVERITY_MEDIUM,
        .rationale = "Every file system and protocol module that can be loaded on demand is attack surface.",
        .nist = "CM-7 CM-7(1)",
        .remediation =
                "List the module in [Kernel] DenyModule=; hardenctl-kernel-early.service writes an install rule that refuses it.",
        .check = check_deny_module,
};

const ComplianceRule rule_kernel_cmdline = {
        .id = "hardenctl-kernel-cmdline",
        .title = "The kernel command line carries the profile's options",
        .severity = SEVERITY_MEDIUM,
        .rationale = "Some hardening (memory initialization, slab merging, early audit) can only be set at boot.",
        .nist = "CM-6 SI-16",
        .remediation = "Add the options to the boot loader entry (or the UKI's command line) and reboot.",
        .check = check_cmdline,
};
