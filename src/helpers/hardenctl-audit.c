/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* hardenctl-audit load: puts the boot profile's [Audit] section in force through libaudit, in the
 * order that keeps each step effective: auditing turned on (enabled 1) if it is off, since rules never
 * fire otherwise; backlog limit, failure mode and rate limit; the rules (built-in sets, then Rule=);
 * and the lock (enabled 2) last, when Immutable=yes. Run by hardenctl-audit.service, after
 * auditd.service, whose augenrules --load starts with -D and would otherwise delete these rules, and
 * again whenever auditd is restarted. Works without auditd: the kernel keeps the rules either way.
 *
 * When the configuration is already locked, nothing can change: the loader then checks that what the
 * profile asks for is in force, and fails if it is not.
 *
 * The steps are planned first, logged at debug level in order, and then carried out. For the test
 * suite only, $HARDENCTL_TEST_AUDIT_KEY=KEY refuses the whole plan unless every step is a rule that
 * carries KEY; auditing is then never turned on, nor is any setting or the lock touched. */

#include <inttypes.h>
#include <linux/audit.h>

#include "audit-load.h"
#include "boot.h"
#include "log.h"
#include "string-util.h"
#include "verbs.h"

typedef enum StepType {
        STEP_ENABLE,
        STEP_SETTING,
        STEP_RULE,
        STEP_LOCK,
} StepType;

typedef struct Step {
        StepType type;
        AuditSetting setting;  /* STEP_SETTING */
        uint32_t value;        /* STEP_SETTING */
        const AuditRule *rule; /* STEP_RULE */
} Step;

typedef struct Loader {
        const Profile *profile;
        AuditRule **rules;
        size_t n_rules;
        const char *test_key;
        Step *steps;
        size_t n_steps;
} Loader;

static char *step_describe(const Step *s) {
        switch (s->type) {
        case STEP_ENABLE:
                return strdup("turn auditing on (enabled 1)");
        case STEP_SETTING:
                return strprintf("set the %s to %" PRIu32, audit_setting_to_string(s->setting), s->value);
        case STEP_RULE:
                return strprintf("load rule '%s'", s->rule->text);
        case STEP_LOCK:
                return strdup("lock the configuration until reboot (enabled 2)");
        }
        return NULL;
}

static int plan(Loader *l, const AuditStatus *st) {
        AuditSetting settings[_AUDIT_SETTING_MAX];
        uint32_t values[_AUDIT_SETTING_MAX];
        size_t n_settings = audit_settings_from_profile(&l->profile->audit, settings, values);
        size_t n = 0;

        l->steps = new0(Step, 1 + n_settings + l->n_rules + 1);
        if (!l->steps)
                return -ENOMEM;

        if (st->enabled == 0)
                l->steps[n++] = (Step){ .type = STEP_ENABLE };
        for (size_t i = 0; i < n_settings; i++)
                l->steps[n++] = (Step){ .type = STEP_SETTING, .setting = settings[i], .value = values[i] };
        for (size_t i = 0; i < l->n_rules; i++)
                l->steps[n++] = (Step){ .type = STEP_RULE, .rule = l->rules[i] };
        if (l->profile->audit.immutable > 0)
                l->steps[n++] = (Step){ .type = STEP_LOCK };
        l->n_steps = n;

        for (size_t i = 0; i < n; i++) {
                _cleanup_free_ char *d = step_describe(l->steps + i);
                log_debug("Step %zu: %s.", i + 1, strna(d));
        }
        return 0;
}

/* Test mode: rules with the test key only. Auditing being off is left as it is. */
static int plan_check_test_mode(const Loader *l) {
        for (size_t i = 0; i < l->n_steps; i++) {
                const Step *s = l->steps + i;
                _cleanup_free_ char *d = NULL;

                if (s->type == STEP_ENABLE || (s->type == STEP_RULE && streq_ptr(s->rule->key, l->test_key)))
                        continue;
                d = step_describe(s);
                return log_error_errno(
                        -EPERM, "Test mode: refusing to %s: only rules with key %s may be loaded. Nothing was changed.",
                        strna(d), l->test_key);
        }
        return 0;
}

static void setting_failed(AuditSetting s, uint32_t value, int error, void *userdata) {
        log_error_errno(error, "Failed to set the audit %s to %" PRIu32 ": %m", audit_setting_to_string(s), value);
}

/* The configuration is locked: nothing can change, so check that the profile is in force. */
static int check_locked(int fd, const Loader *l, const AuditStatus *st) {
        struct audit_rule_data **loaded = NULL;
        size_t n_loaded = 0, missing = 0, differ = 0;
        int r;

        for (size_t i = 0; i < l->n_steps; i++) {
                const Step *s = l->steps + i;
                uint32_t have;

                if (s->type != STEP_SETTING)
                        continue;
                have = audit_status_value(st, s->setting);
                if (have != s->value) {
                        log_error("The audit %s is %u, the profile says %" PRIu32 ".",
                                  audit_setting_to_string(s->setting), have, s->value);
                        differ++;
                }
        }

        r = audit_list_all(fd, &loaded, &n_loaded);
        if (r < 0)
                return log_error_errno(r, "Failed to list the loaded audit rules: %m");
        for (size_t i = 0; i < l->n_rules; i++) {
                bool found = false;

                for (size_t j = 0; j < n_loaded && !found; j++)
                        found = audit_rule_is_loaded_as(l->rules[i], loaded[j]);
                if (!found) {
                        log_error("Audit rule '%s' is not loaded.", l->rules[i]->text);
                        missing++;
                }
        }
        for (size_t j = 0; j < n_loaded; j++)
                free(loaded[j]);
        free(loaded);

        if (missing > 0 || differ > 0)
                return log_error_errno(
                        -EPERM,
                        "The audit configuration is locked until reboot, and %zu rules and %zu settings of the profile are not in force.",
                        missing, differ);
        log_info("The audit configuration is locked until reboot; the profile's %zu rules and settings are in force.",
                 l->n_rules);
        return 0;
}

static int execute(int fd, const Loader *l) {
        size_t added = 0, present = 0, failed = 0;
        bool settings_done = false, locked = false;
        int r = 0;

        for (size_t i = 0; i < l->n_steps; i++) {
                const Step *s = l->steps + i;
                int k;

                switch (s->type) {
                case STEP_ENABLE:
                        if (l->test_key) {
                                log_notice("Test mode: auditing is off; not turning it on.");
                                break;
                        }
                        k = audit_enable(fd);
                        if (k < 0)
                                r = log_error_errno(k, "Failed to turn auditing on: %m");
                        break;
                case STEP_SETTING:
                        /* All settings at once, in the order planned; a failing one does not stop the rest. */
                        if (settings_done)
                                break;
                        settings_done = true;
                        k = audit_apply_settings(fd, &l->profile->audit, setting_failed, NULL);
                        if (k < 0 && r >= 0)
                                r = k;
                        break;
                case STEP_RULE:
                        k = audit_add(fd, s->rule);
                        if (k < 0) {
                                log_error_errno(k, "Failed to load audit rule '%s': %m", s->rule->text);
                                failed++;
                        } else if (k > 0)
                                present++;
                        else
                                added++;
                        break;
                case STEP_LOCK:
                        k = audit_lock(fd);
                        if (k < 0)
                                r = log_error_errno(k, "Failed to lock the audit configuration: %m");
                        else
                                locked = true;
                        break;
                }
        }

        log_info("Audit: %zu rules loaded, %zu already present, %zu failed%s.", added, present, failed,
                 locked ? "; configuration locked until reboot" : "");
        if (failed > 0 && r >= 0)
                r = -EINVAL;
        return r;
}

static int verb_load(int argc, char *argv[]) {
        _cleanup_(profile_freep) Profile *p = NULL;
        Loader l = { .test_key = getenv("HARDENCTL_TEST_AUDIT_KEY") };
        AuditStatus st;
        int fd = -1, r;

        if (l.test_key && !l.test_key[0])
                l.test_key = NULL;

        r = boot_profile_load(&p);
        if (r < 0)
                return r;
        if (r == 0) {
                log_info("No boot profile, nothing to load.");
                return 0;
        }
        l.profile = p;

        if (p->audit.rules_error)
                return log_error_errno(-EINVAL, "Audit rules of the profile are invalid: %s", p->audit.rules_error);
        l.rules = p->audit.parsed_rules;
        l.n_rules = p->audit.n_parsed_rules;

        fd = audit_open();
        if (fd < 0) {
                r = log_error_errno(errno, "Cannot talk to the kernel's audit subsystem: %m");
                goto finish;
        }

        r = audit_status_get(fd, &st);
        if (r < 0) {
                log_error_errno(r, "Failed to read the audit status: %m");
                goto finish;
        }

        r = plan(&l, &st);
        if (r < 0) {
                log_oom();
                goto finish;
        }
        if (l.test_key) {
                r = plan_check_test_mode(&l);
                if (r < 0)
                        goto finish;
        }

        if (st.enabled == 2)
                r = check_locked(fd, &l, &st);
        else
                r = execute(fd, &l);

finish:
        if (fd >= 0)
                audit_close(fd);
        free(l.steps);
        return r;
}

static const Verb verbs[] = {
        { "load", 0, 0, verb_load, "" },
};

static const VerbTable verb_table = {
        .verbs = verbs,
        .n_verbs = ELEMENTSOF(verbs),
};

int main(int argc, char *argv[]) {
        int r;

        log_set_prefix("hardenctl-audit");
        log_parse_environment();

        r = verbs_dispatch(&verb_table, argc - 1, argv + 1, 0);
        return r < 0 ? EXIT_FAILURE : EXIT_SUCCESS;
}
