/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* The [Kernel] section's rules: sysctls, lockdown, module loading, modules denied, the command line. */

#include <dirent.h>
#include <fcntl.h>

#include "boot.h"
#include "compliance-rules.h"
#include "fs-util.h"
#include "path-util.h"
#include "profile-load.h"
#include "sysctl-util.h"

/* Settings whose knob exists only when the kernel has the feature it restricts: without the knob the
 * feature is absent, and a setting that turns it off (value, or any value if NULL) has its goal met. */
static const struct {
        const char *name;
        const char *value;
        const char *why;
} absent_means_off[] = {
        { "kernel.sysrq", "0", "the kernel is built without the magic SysRq key (CONFIG_MAGIC_SYSRQ)" },
        { "kernel.unprivileged_bpf_disabled", NULL,
          "the kernel is built without the bpf() system call (CONFIG_BPF_SYSCALL)" },
        { "kernel.kexec_load_disabled", "1", "the kernel is built without kexec (CONFIG_KEXEC_CORE)" },
};

static const char *absent_goal_met(const char *name, const char *want) {
        for (size_t i = 0; i < ELEMENTSOF(absent_means_off); i++)
                if (streq(absent_means_off[i].name, name) &&
                    (!absent_means_off[i].value || sysctl_value_equal(absent_means_off[i].value, want)))
                        return absent_means_off[i].why;
        return NULL;
}

/* The value the boot profile sets (hardenctl-kernel.service writes its Sysctl= after
 * systemd-sysctl.service, so it wins over sysctl.d), or NULL. */
static const char *boot_profile_value(CheckContext *c, const char *name) {
        const Profile *boot;

        if (probe_boot_profile(c, &boot) < 0)
                return NULL;
        for (size_t i = 0; i < boot->kernel.n_sysctl_settings; i++)
                if (streq(boot->kernel.sysctl_settings[i].key, name))
                        return boot->kernel.sysctl_settings[i].value;
        return NULL;
}

/* The persistent half of a setting: its evidence, and whether it has the value. Returns 1/0, or -ENOMEM. */
static int sysctl_persistent(CheckContext *c, ComplianceResult *x, const char *name, const char *want) {
        _cleanup_(sysctl_source_done) SysctlSource s = {};
        const char *boot = boot_profile_value(c, name);
        int r;

        if (boot) {
                r = result_evidence(x, check_tmp(c, "%s [Kernel] Sysctl=", BOOT_PROFILE_PATH), want, boot);
                if (r < 0)
                        return r;
                return sysctl_value_equal(boot, want);
        }
        r = probe_sysctl_d(c, name, &s);
        if (r == -ENOMEM)
                return r;
        if (r < 0 || !s.value) {
                r = result_evidence(x, "sysctl.d", want,
                                    r < 0 ? check_tmp(c, "unreadable: %s", strerror(-r)) : "not set");
                return r < 0 ? r : 0;
        }
        r = result_evidence(x, s.source, want, s.value);
        if (r < 0)
                return r;
        return sysctl_value_equal(s.value, want);
}

/* One setting of the profile: the running value, and the one the next boot sets. */
static int check_sysctl_one(CheckContext *c, const ComplianceRule *rule, const SysctlSetting *s) {
        const char *name = s->key, *want = s->value, *why;
        _cleanup_free_ char *value = NULL, *path = NULL;
        ComplianceResult *x;
        int r, persistent;

        r = check_begin(c, rule, name, &x);
        if (r < 0)
                return r;
        r = probe_sysctl(c, name, &value, &path);
        if (r == -ENOENT) {
                _cleanup_free_ char *dir = NULL, *rel = NULL;

                /* Offline trees have no /proc/sys: what the next boot sets is all there is to judge. */
                if (!c->live && probe_read_file(c, "/proc/sys/kernel/osrelease", 0, &dir) < 0) {
                        persistent = sysctl_persistent(c, x, name, want);
                        if (persistent < 0)
                                return persistent;
                        if (persistent == 0)
                                return result_set(x, RULE_FAIL, "The tree does not set %s to %s at boot", name, want);
                        return result_offline(x, "The running value of a kernel setting");
                }
                r = sysctl_name_to_path(name, &rel);
                if (r < 0)
                        return r;
                r = result_evidence(x, check_tmp(c, "/proc/sys/%s", rel), want, "missing");
                if (r < 0)
                        return r;
                why = absent_goal_met(name, want);
                if (why)
                        return result_set(x, RULE_PASS, "The kernel has no setting %s: %s, which is what %s=%s asks for",
                                          name, why, name, want);
                return result_set(x, RULE_FAIL, "The kernel has no setting %s", name);
        }
        if (r < 0)
                return result_errno(x, r, check_tmp(c, "sysctl %s", name));
        r = result_evidence(x, path, want, value);
        if (r < 0)
                return r;
        persistent = sysctl_persistent(c, x, name, want);
        if (persistent < 0)
                return persistent;
        if (!sysctl_value_equal(value, want))
                return result_set(x, RULE_FAIL, "%s = %s, expected %s", name, value, want);
        if (persistent == 0)
                return result_set(x, RULE_FAIL, "%s = %s now, but the next boot does not set it (%s)", name, value,
                                  x->evidence[x->n_evidence - 1].source);
        return result_set(x, RULE_PASS, "%s = %s, set at boot by %s", name, value, x->evidence[x->n_evidence - 1].source);
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

/* What check_deny_module() judges each module by: the modprobe.d files as modprobe reads them, the
 * modules built into the kernel, /proc/modules and /proc/filesystems, each read once. */
typedef struct ModprobeState {
        char *const *names; /* the context's (probe_conf_texts()) */
        char *const *texts;
        char **builtin; /* modules.builtin: names without directory and ".ko", '-' as '_' */
        char *builtin_source;
        char *modules;
        int modules_r;
        char *filesystems;
        int filesystems_r;
} ModprobeState;

static void modprobe_state_done(ModprobeState *m) {
        strv_free(m->builtin);
        free(m->builtin_source);
        free(m->modules);
        free(m->filesystems);
}

static int builtin_add(ModprobeState *m, const char *text) {
        for (const char *l = text; l && *l;) {
                const char *end = strchrnul(l, '\n'), *slash = memrchr(l, '/', end - l), *b = slash ? slash + 1 : l;
                size_t n = end - b;
                char *name;

                l = *end ? end + 1 : NULL;
                if (n > 3 && strneq(b + n - 3, ".ko", 3))
                        n -= 3;
                if (n == 0)
                        continue;
                name = strndup(b, n);
                if (!name)
                        return -ENOMEM;
                for (char *s = name; *s; s++)
                        if (*s == '-')
                                *s = '_';
                if (strv_consume(&m->builtin, name) < 0)
                        return -ENOMEM;
        }
        return 0;
}

/* modules.builtin of the running kernel; for an offline tree, of every kernel it has. */
static int builtin_read(CheckContext *c, ModprobeState *m) {
        static const char *const dirs[] = { "/usr/lib/modules", "/lib/modules" };
        _cleanup_strv_free_ char **sources = NULL;

        for (size_t i = 0; i < ELEMENTSOF(dirs); i++) {
                _cleanup_strv_free_ char **kernels = NULL;
                int r;

                if (c->live && c->report->host.kernel)
                        r = strv_consume(&kernels, path_join(dirs[i], c->report->host.kernel));
                else
                        r = probe_list_dir(c, dirs[i], NULL, NULL, &kernels);
                if (r == -ENOMEM)
                        return r;
                STRV_FOREACH(k, kernels) {
                        _cleanup_free_ char *path = path_join(*k, "modules.builtin"), *text = NULL;

                        if (!path)
                                return -ENOMEM;
                        if (probe_read_file(c, path, 0, &text) < 0)
                                continue;
                        r = builtin_add(m, text);
                        if (r < 0)
                                return r;
                        r = strv_consume(&sources, TAKE_PTR(path));
                        if (r < 0)
                                return r;
                }
                if (sources)
                        break; /* /lib/modules is the same directory on a merged /usr */
        }
        if (sources) {
                m->builtin_source = strv_join(sources, " ");
                if (!m->builtin_source)
                        return -ENOMEM;
        }
        return 0;
}

static int modprobe_state_read(CheckContext *c, ModprobeState *m) {
        int r;

        r = probe_conf_texts(c, CONF_MODPROBE_D, &m->names, &m->texts);
        if (r < 0)
                return r;
        r = builtin_read(c, m);
        if (r < 0)
                return r;
        m->modules_r = probe_read_file(c, "/proc/modules", 0, &m->modules);
        m->filesystems_r = probe_read_file(c, "/proc/filesystems", 0, &m->filesystems);
        return 0;
}

/* The file system type a module registers, where it differs from its name. */
static const char *module_fs_type(const char *module) {
        static const char *const names[][2] = {
                { "freevxfs", "vxfs" },
                { "smbfs_common", "smb3" },
                { "nfs_common", "nfs" },
        };

        for (size_t i = 0; i < ELEMENTSOF(names); i++)
                if (streq(names[i][0], module))
                        return names[i][1];
        return module;
}

/* Whether /proc/filesystems lists type ("nodev\tproc" or "\text4"). */
static bool filesystems_has(const char *text, const char *type) {
        for (const char *l = text; l && *l;) {
                const char *end = strchrnul(l, '\n'), *t = memchr(l, '\t', end - l);

                if (t && (size_t) (end - t - 1) == strlen(type) && strneq(t + 1, type, strlen(type)))
                        return true;
                l = *end ? end + 1 : NULL;
        }
        return false;
}

static int check_deny_module_one(CheckContext *c, const ComplianceRule *rule, const ModprobeState *m, const char *module) {
        _cleanup_(modprobe_verdict_done) ModprobeVerdict v = {};
        _cleanup_free_ char *norm = strdup(module);
        bool loaded = false, builtin, mountable;
        const char *fs;
        ComplianceResult *x;
        int r;

        if (!norm)
                return -ENOMEM;
        for (char *s = norm; *s; s++)
                if (*s == '-')
                        *s = '_';
        fs = module_fs_type(norm);
        r = check_begin(c, rule, module, &x);
        if (r < 0)
                return r;
        for (size_t i = 0; m->texts && m->texts[i]; i++) {
                r = modprobe_scan(m->names[i], m->texts[i], module, &v);
                if (r < 0)
                        return r;
        }
        r = result_evidence(x, v.install_source ?: "modprobe.d", check_tmp(c, "install %s /bin/false", module),
                            v.install   ? check_tmp(c, "install %s %s", module, v.install) :
                            v.blacklist ? check_tmp(c, "blacklist only (%s)", v.blacklist) :
                                          "not denied");
        if (r < 0)
                return r;
        builtin = strv_contains(m->builtin, norm);
        if (m->builtin_source) {
                r = result_evidence(x, m->builtin_source, "not built in", builtin ? "built in" : "not built in");
                if (r < 0)
                        return r;
        }
        mountable = m->filesystems_r >= 0 && filesystems_has(m->filesystems, fs);
        if (m->filesystems_r >= 0 && mountable) {
                r = result_evidence(x, "/proc/filesystems", check_tmp(c, "no %s", fs), check_tmp(c, "%s registered", fs));
                if (r < 0)
                        return r;
        }
        if (m->modules_r >= 0) {
                size_t n = strlen(norm);

                for (const char *l = m->modules; l && *l && !loaded; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL)
                        loaded = strneq(l, norm, n) && l[n] == ' ';
                r = result_evidence(x, "/proc/modules", "not loaded", loaded ? "loaded" : "not loaded");
                if (r < 0)
                        return r;
        }
        if (loaded)
                return result_set(x, RULE_FAIL, "%s is loaded", module);
        if (builtin)
                return result_set(x, RULE_FAIL, "%s is built into the kernel%s: no modprobe.d entry can deny it",
                                  module, mountable ? check_tmp(c, " and can be mounted (%s)", fs) : "");
        if (c->live && m->modules_r == -ENOENT) {
                /* No loadable modules: what is not built in cannot be had, and what is built in is. */
                const ItemRef *ref = compliance_item_refs(rule, module);
                bool file_system = ref && ref->cis && startswith(ref->cis, "1.1.1.") && !streq(norm, "usb_storage");

                if (mountable)
                        return result_set(x, RULE_FAIL,
                                          "The kernel cannot load modules, but %s is built in and can be mounted", fs);
                if (m->builtin_source || (file_system && m->filesystems_r >= 0))
                        return result_set(x, RULE_PASS, "The kernel cannot load modules at all, and %s is not built in",
                                          module);
                return result_set(
                        x, RULE_NOTCHECKED,
                        "The kernel cannot load modules; without its modules.builtin, whether %s is built in is unknown",
                        module);
        }
        if (v.install && modprobe_install_refuses(v.install))
                return result_set(x, RULE_PASS, "%s cannot be loaded (%s)", module, v.install_source);
        if (v.install)
                return result_set(x, RULE_FAIL, "modprobe runs \"install %s %s\" (%s), which does not refuse it",
                                  module, v.install, v.install_source);
        return result_set(x, RULE_FAIL, "Nothing stops %s from being loaded%s", module,
                          v.blacklist ? " (a blacklist entry stops only aliases)" : "");
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
