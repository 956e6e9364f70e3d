/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* The live side of the plan: audit, sysctls, SELinux, systemd and the kernel settings that cannot be
 * undone, each read from the LiveState and planned only where it differs. */

#include <fcntl.h>

#include "boot.h"
#include "fs-util.h"
#include "kernel-util.h"
#include "plan-internal.h"
#include "selinux-config.h"
#include "string-util.h"
#include "strv.h"
#include "sysctl-util.h"

static PlanLive *live_push(Plan *p, PlanLiveType type) {
        PlanLive *l = array_grow_pow2(p->live, p->n_live, sizeof(PlanLive));

        if (!l)
                return NULL;
        p->live = l;
        l[p->n_live] = (PlanLive){ .type = type };
        return l + p->n_live++;
}

static int plan_sysctls_live(Builder *b, const SysctlSetting *sysctls, size_t n) {
        int r;

        for (size_t i = 0; i < n; i++) {
                _cleanup_free_ char *key = NULL, *have = NULL, *want = NULL;
                PlanLive *l;

                key = strdup(sysctls[i].key);
                want = strdup(sysctls[i].value);
                if (!key || !want)
                        return -ENOMEM;

                r = sysctl_read(b->c->live->proc_sys_fd, "/", key, &have, NULL);
                if (r == -ENOENT) {
                        r = plan_note(b, "sysctl %s does not exist in the running kernel; not set live", key);
                        if (r < 0)
                                return r;
                        continue;
                }
                if (r < 0)
                        return plan_fail(b, r, "cannot read sysctl %s: %s", key, strerror(-r));

                sysctl_value_normalize(want);
                if (streq(have, want))
                        continue;
                if (streq(key, "kernel.modules_disabled")) {
                        /* Cannot be undone (or, once 1, changed): not an ordinary sysctl step. */
                        if (streq(want, "1"))
                                b->lock_modules = true;
                        else {
                                r = plan_note(
                                        b,
                                        "sysctl kernel.modules_disabled is %s: module loading stays locked until reboot",
                                        have);
                                if (r < 0)
                                        return r;
                        }
                        continue;
                }

                l = live_push(b->plan, PLAN_SYSCTL);
                if (!l)
                        return -ENOMEM;
                l->name = TAKE_PTR(key);
                l->old_value = TAKE_PTR(have);
                l->new_value = TAKE_PTR(want);
        }
        return 0;
}

static int plan_audit_setting(Builder *b, PlanLiveType type, uint64_t want, unsigned have, const char *what) {
        const LiveState *s = b->c->live;
        PlanLive *l;

        if (want == NUMBER_UNSET || want == have)
                return 0;
        if (s->audit_key)
                return plan_fail(b, -EPERM, "audit %s would change, but only rules with key %s may (test mode)", what,
                                 s->audit_key);
        l = live_push(b->plan, type);
        if (!l)
                return -ENOMEM;
        l->old_number = have;
        l->new_number = (uint32_t) want;
        return 0;
}

/* The audit rules file the plan replaces or removes, if an earlier apply wrote it: its old text. */
static const char *old_audit_file(const Plan *plan) {
        for (size_t i = 0; i < plan->n_files; i++) {
                const PlanFile *f = plan->files + i;

                if (streq(f->path, APPLY_AUDIT_RULES_PATH) && f->exists && f->type == PLAN_FILE_REGULAR && f->old &&
                    plan_text_is_ours(f->old))
                        return f->old;
        }
        return NULL;
}

/* The rules of the earlier file that no rule of the profile stands for, and that the kernel has: deleted
 * live (and added back if the apply is rolled back). Only what that file lists, never other rules. */
static int plan_audit_delete_old(Builder *b, const char *old, AuditRule **rules, size_t n) {
        const LiveState *s = b->c->live;
        _cleanup_free_ char *copy = strdup(old);
        char *p = copy, *line;

        if (!copy)
                return -ENOMEM;
        while ((line = strsep(&p, "\n"))) {
                _cleanup_(audit_rule_freep) AuditRule *rule = NULL;
                _cleanup_free_ char *reason = NULL;
                const struct audit_rule_data *loaded = NULL;
                bool wanted = false;
                PlanLive *l;

                line = strstrip(line);
                if (!startswith(line, "-a") && !startswith(line, "-A") && !startswith(line, "-w"))
                        continue; /* comments, settings */
                if (audit_rule_parse(line, &rule, &reason) < 0)
                        continue; /* not a rule apply wrote: never deleted */

                for (size_t j = 0; j < s->n_audit_rules && !loaded; j++)
                        if (audit_rule_is_loaded_as(rule, s->audit_rules[j]))
                                loaded = s->audit_rules[j];
                if (!loaded)
                        continue;
                /* Kept if a rule of the profile is the same rule, however written. */
                for (size_t i = 0; i < n && !wanted; i++)
                        wanted = rules[i] &&
                                 (streq(rules[i]->text, rule->text) || audit_rule_is_loaded_as(rules[i], loaded));
                for (size_t j = 0; j < b->plan->n_live && !wanted; j++)
                        wanted = b->plan->live[j].type == PLAN_AUDIT_DELETE_RULE &&
                                 streq(b->plan->live[j].name, rule->text);
                if (wanted)
                        continue;
                if (s->audit_key && !streq_ptr(rule->key, s->audit_key))
                        return plan_fail(b, -EPERM,
                                         "audit rule '%s' would be deleted, but only rules with key %s may (test mode)",
                                         rule->text, s->audit_key);

                l = live_push(b->plan, PLAN_AUDIT_DELETE_RULE);
                if (!l || !(l->name = strdup(rule->text)))
                        return -ENOMEM;
                l->rule = TAKE_PTR(rule);
        }
        return 0;
}

static int plan_audit_live(Builder *b, AuditRule **rules, size_t n) {
        const ProfileAudit *a = &b->profile->audit;
        const LiveState *s = b->c->live;
        size_t before = b->plan->n_live;
        const char *old = old_audit_file(b->plan);
        int r;

        if (!s->audit)
                return plan_note(b,
                                 "the audit subsystem cannot be reached; audit settings and rules are not loaded live%s",
                                 old ? ", and the rules of the earlier audit rules file stay loaded" : "");

        if (old) {
                r = plan_audit_delete_old(b, old, rules, n);
                if (r < 0)
                        return r;
        }

        r = plan_audit_setting(b, PLAN_AUDIT_BACKLOG_LIMIT, a->backlog_limit, s->audit_status.backlog_limit,
                               "backlog limit");
        if (r >= 0)
                r = plan_audit_setting(b, PLAN_AUDIT_FAILURE_MODE,
                                       a->failure_mode >= 0 ? (uint64_t) a->failure_mode : NUMBER_UNSET,
                                       s->audit_status.failure, "failure mode");
        if (r >= 0)
                r = plan_audit_setting(b, PLAN_AUDIT_RATE_LIMIT, a->rate_limit, s->audit_status.rate_limit, "rate limit");
        if (r >= 0)
                r = plan_audit_setting(b, PLAN_AUDIT_BACKLOG_WAIT_TIME, a->backlog_wait_time,
                                       s->audit_status.backlog_wait_time, "backlog wait time");
        if (r < 0)
                return r;

        for (size_t i = 0; i < n; i++) {
                bool loaded = false;
                PlanLive *l;

                for (size_t j = 0; j < s->n_audit_rules && !loaded; j++)
                        loaded = audit_rule_is_loaded_as(rules[i], s->audit_rules[j]);
                for (size_t j = before; j < b->plan->n_live && !loaded; j++)
                        loaded = b->plan->live[j].type == PLAN_AUDIT_RULE && streq(b->plan->live[j].name, rules[i]->text);
                if (loaded)
                        continue;
                if (s->audit_key && !streq_ptr(rules[i]->key, s->audit_key))
                        return plan_fail(b, -EPERM,
                                         "audit rule '%s' would be loaded, but only rules with key %s may (test mode)",
                                         rules[i]->text, s->audit_key);

                l = live_push(b->plan, PLAN_AUDIT_RULE);
                if (!l)
                        return -ENOMEM;
                l->name = strdup(rules[i]->text);
                if (!l->name)
                        return -ENOMEM;
                l->rule = TAKE_PTR(rules[i]);
        }

        if (b->plan->n_live > before && s->audit_status.enabled == 2)
                return plan_fail(
                        b, -EPERM,
                        "the audit configuration is locked until reboot (enabled 2); %zu audit changes cannot be made live",
                        b->plan->n_live - before);
        return 0;
}

static int plan_selinux_live(Builder *b) {
        const ProfileSELinux *se = &b->profile->selinux;
        int cur = b->c->live->selinux, want;
        PlanLive *l;

        if (se->mode < 0)
                return 0;
        if (cur < 0)
                return se->mode == SELINUX_DISABLED ?
                               0 :
                               plan_note(b,
                                         "SELinux is not enabled in the running kernel; Mode=%s takes effect at the next boot",
                                         selinux_mode_to_string(se->mode));
        if (se->mode == SELINUX_DISABLED)
                return plan_note(b, "SELinux is running; Mode=disabled takes effect at the next boot");

        want = se->mode == SELINUX_ENFORCING;
        if (cur == want)
                return 0;
        l = live_push(b->plan, PLAN_SELINUX_MODE);
        if (!l)
                return -ENOMEM;
        l->old_number = (uint32_t) cur;
        l->new_number = (uint32_t) want;
        return 0;
}

/* A file below /sys, its first line with blanks dropped. */
static int sys_read(int sys_fd, const char *path, char **ret) {
        _cleanup_close_ int fd = -EBADF;
        _cleanup_free_ char *s = NULL;
        int r;

        if (sys_fd < 0)
                return -ENOENT;
        fd = open_beneath(sys_fd, path, O_RDONLY | O_NOCTTY | O_NOFOLLOW | O_NONBLOCK);
        if (fd < 0)
                return fd;
        r = read_full_fd(fd, 64 * 1024, &s, NULL);
        if (r < 0)
                return r;
        s[strcspn(s, "\n")] = 0;
        *ret = TAKE_PTR(s);
        strstrip(*ret);
        return 0;
}

static int push_kernel(Builder *b, PlanLiveType type, const char *old, const char *new) {
        PlanLive *l = live_push(b->plan, type);

        if (!l || !(l->old_value = strdup(old)) || !(l->new_value = strdup(new)))
                return -ENOMEM;
        return 0;
}

/* Lockdown= and ModuleLoading=, read first: only what differs is planned, and none of it can be undone,
 * so it all comes after the record (apply-exec.c). Order: signatures, lockdown, the loading lock. */
static int plan_kernel_live(Builder *b) {
        const ProfileKernel *k = &b->profile->kernel;
        const LiveState *s = b->c->live;
        int r;

        if (k->module_loading == MODULES_SIGNED) {
                _cleanup_free_ char *v = NULL, *disabled = NULL;

                if (s->test_keep_sys)
                        return plan_fail(b, -EPERM,
                                         "ModuleLoading=signed would change the running kernel (test mode, no fake /sys)");
                r = sys_read(s->sys_fd, KERNEL_SIG_ENFORCE_SYS_PATH, &v);
                if (r == -ENOENT && s->proc_sys_fd >= 0 &&
                    sysctl_read(s->proc_sys_fd, "/", "kernel.modules_disabled", &disabled, NULL) == -ENOENT)
                        r = plan_note(
                                b,
                                "the running kernel cannot load modules at all; ModuleLoading=signed needs nothing live");
                else if (r == -ENOENT)
                        return plan_fail(b, -EOPNOTSUPP,
                                         "ModuleLoading=signed, but the running kernel cannot enforce module signatures "
                                         "(no /sys/" KERNEL_SIG_ENFORCE_SYS_PATH ": built without module signing)");
                else if (r < 0)
                        return plan_fail(b, r, "cannot read /sys/" KERNEL_SIG_ENFORCE_SYS_PATH ": %s", strerror(-r));
                else if (!streq(v, "Y") && !streq(v, "1"))
                        r = push_kernel(b, PLAN_MODULE_SIG_ENFORCE, v, "Y");
                if (r < 0)
                        return r;
        }

        if (k->lockdown > LOCKDOWN_NONE) {
                _cleanup_free_ char *v = NULL;
                const char *want = lockdown_mode_to_string(k->lockdown);
                int have;

                if (s->test_keep_sys)
                        return plan_fail(b, -EPERM,
                                         "Lockdown=%s would change the running kernel (test mode, no fake /sys)", want);
                r = sys_read(s->sys_fd, KERNEL_LOCKDOWN_SYS_PATH, &v);
                if (r == -ENOENT)
                        r = plan_note(b,
                                      "the running kernel has no lockdown LSM (no /sys/" KERNEL_LOCKDOWN_SYS_PATH "); "
                                      "Lockdown=%s is not set live",
                                      want);
                else if (r < 0)
                        return plan_fail(b, r, "cannot read /sys/" KERNEL_LOCKDOWN_SYS_PATH ": %s", strerror(-r));
                else if ((have = kernel_lockdown_parse(v)) < 0)
                        return plan_fail(b, -EBADMSG,
                                         "cannot tell the lockdown mode from /sys/" KERNEL_LOCKDOWN_SYS_PATH " ('%s')",
                                         v);
                else if (have < k->lockdown) /* raised only: at or above the level already is fine */
                        r = push_kernel(b, PLAN_LOCKDOWN, lockdown_mode_to_string(have), want);
                if (r < 0)
                        return r;
        }

        if (k->module_loading == MODULES_LOCKED || b->lock_modules) {
                _cleanup_free_ char *v = NULL;

                if (s->test_keep_proc_sys)
                        return plan_fail(
                                b, -EPERM,
                                "ModuleLoading=locked would change the running kernel (test mode, no fake /proc/sys)");
                r = s->proc_sys_fd < 0 ? -ENOENT : sysctl_read(s->proc_sys_fd, "/", "kernel.modules_disabled", &v, NULL);
                if (r == -ENOENT)
                        r = plan_note(b, "the running kernel cannot load modules at all (no kernel.modules_disabled); "
                                         "ModuleLoading=locked needs nothing live");
                else if (r < 0)
                        return plan_fail(b, r, "cannot read sysctl kernel.modules_disabled: %s", strerror(-r));
                else if (!streq(v, "1"))
                        r = push_kernel(b, PLAN_MODULES_DISABLED, v, "1");
                if (r < 0)
                        return r;
        }

        /* Nothing else puts them in force again after a reboot. */
        if (k->lockdown > LOCKDOWN_NONE || k->module_loading > MODULES_ALLOW) {
                _cleanup_close_ int fd = open_in_root(b->c->root_fd, BOOT_PROFILE_PATH, O_PATH);

                if (fd < 0)
                        return plan_note(b, "there is no boot profile (" BOOT_PROFILE_PATH "): nothing sets Lockdown= and "
                                            "ModuleLoading= again at the next boot");
        }
        return 0;
}

static int plan_systemd_live(Builder *b) {
        _cleanup_strv_free_ char **restart = NULL;
        bool reload = false;
        PlanLive *l;

        for (size_t i = 0; i < b->plan->n_files; i++) {
                const PlanFile *f = b->plan->files + i;

                if (!f->unit)
                        continue;
                reload = true;
                /* A drop-in changed, added or removed takes effect when the unit restarts; a mask needs
                 * no restart. */
                if (f->type == PLAN_FILE_REGULAR && !strv_contains(restart, f->unit) &&
                    !strv_contains(b->profile->services.mask, f->unit) && strv_extend(&restart, f->unit) < 0)
                        return -ENOMEM;
        }
        if (!reload)
                return 0;

        if (!live_push(b->plan, PLAN_DAEMON_RELOAD))
                return -ENOMEM;
        STRV_FOREACH(u, restart) {
                l = live_push(b->plan, PLAN_UNIT_RESTART);
                if (!l || !(l->name = strdup(*u)))
                        return -ENOMEM;
        }
        return 0;
}

int plan_build_live(Builder *b, AuditRule **rules, size_t n_rules) {
        const Profile *p = b->profile;
        const PlanContext *c = b->c;
        bool live = c->scope != APPLY_IMAGE && c->live;
        int r = 0;

        if (live && (profile_wants_audit(p) || old_audit_file(b->plan)))
                r = plan_audit_live(b, rules, n_rules);
        if (r >= 0 && live && p->kernel.n_sysctl_settings > 0 && c->live->proc_sys_fd >= 0)
                r = plan_sysctls_live(b, p->kernel.sysctl_settings, p->kernel.n_sysctl_settings);
        if (r >= 0 && live)
                r = plan_selinux_live(b);
        if (r >= 0 && live && c->live->systemd)
                r = plan_systemd_live(b);
        if (r >= 0 && live)
                r = plan_kernel_live(b);
        else if (r >= 0 && c->scope == APPLY_IMAGE &&
                 (p->kernel.lockdown > LOCKDOWN_NONE || p->kernel.module_loading > MODULES_ALLOW))
                r = plan_note(b, "Lockdown= and ModuleLoading= change the running kernel: in an image they take effect "
                                 "at boot only, through the boot profile (hardenctl-kernel.service)");
        if (r >= 0 && live && p->audit.loginuid_immutable > 0 && c->live->audit &&
            !c->live->audit_status.loginuid_immutable) {
                if (c->live->audit_key)
                        r = plan_fail(b, -EPERM, "LoginUIDImmutable=yes would lock login uids (test mode)");
                else if (!live_push(b->plan, PLAN_AUDIT_LOGINUID_IMMUTABLE))
                        r = -ENOMEM;
        }
        if (r >= 0 && live && p->audit.immutable > 0 && c->live->audit && c->live->audit_status.enabled != 2) {
                if (c->live->audit_key)
                        r = plan_fail(b, -EPERM, "Immutable=yes would lock the audit configuration (test mode)");
                else if (!live_push(b->plan, PLAN_AUDIT_LOCK))
                        r = -ENOMEM;
        }
        return r;
}
