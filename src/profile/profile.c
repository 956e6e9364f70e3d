/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <fcntl.h>
#include <inttypes.h>

#include "audit-rule.h"
#include "fs-util.h"
#include "path-util.h"
#include "profile-schema.h"
#include "profile.h"
#include "string-util.h"
#include "strv.h"
#include "sysctl-util.h"

/* Storage is described once, by the key table: initialization and freeing walk it, so a new key
 * cannot be forgotten here. */

Profile *profile_new(void) {
        Profile *p = new0(Profile, 1);

        if (!p)
                return NULL;

        PROFILE_FOREACH_KEY(k) {
                void *field = (uint8_t *) p + k->offset;

                switch (k->type) {
                case PV_BOOL:
                case PV_ENUM:
                        *(int *) field = -1;
                        break;
                case PV_UINT64:
                        *(uint64_t *) field = NUMBER_UNSET;
                        break;
                case PV_ETC_SIZE:
                        ((ProfileEtc *) field)->size_bytes = NUMBER_UNSET;
                        ((ProfileEtc *) field)->size_percent = 0;
                        break;
                default:
                        break;
                }
        }
        return p;
}

static void profile_audit_rules_clear(ProfileAudit *a) {
        audit_rules_free(a->parsed_rules, a->n_parsed_rules);
        a->parsed_rules = NULL;
        a->n_parsed_rules = 0;
        a->rules_error = mfree(a->rules_error);
        a->rules_error_key = NULL;
}

static void profile_sysctl_settings_clear(ProfileKernel *k) {
        sysctl_settings_free(k->sysctl_settings, k->n_sysctl_settings);
        k->sysctl_settings = NULL;
        k->n_sysctl_settings = 0;
}

static void profile_exec_allowed_clear(ProfileServices *s) {
        for (size_t i = 0; i < s->n_exec_allowed; i++) {
                free(s->exec_allowed[i].unit);
                free(s->exec_allowed[i].path);
        }
        s->exec_allowed = mfree(s->exec_allowed);
        s->n_exec_allowed = 0;
}

/* AllowExec= as validated (v_allow_exec()): the unit ends where ":/" begins the path. */
static int profile_exec_allowed_build(ProfileServices *s) {
        size_t n = strv_length(s->allow_exec);

        if (n == 0)
                return 0;
        s->exec_allowed = new0(ServiceExec, n);
        if (!s->exec_allowed)
                return -ENOMEM;
        STRV_FOREACH(e, s->allow_exec) {
                const char *sep = strstr(*e, ":/");
                ServiceExec *x = s->exec_allowed + s->n_exec_allowed;

                if (!sep)
                        return -EINVAL;
                x->unit = strndup(*e, sep - *e);
                x->path = strdup(sep + 1);
                s->n_exec_allowed++;
                if (!x->unit || !x->path)
                        return -ENOMEM;
        }
        return 0;
}

Profile *profile_free(Profile *p) {
        if (!p)
                return NULL;

        profile_audit_rules_clear(&p->audit);
        profile_sysctl_settings_clear(&p->kernel);
        profile_exec_allowed_clear(&p->services);

        PROFILE_FOREACH_KEY(k) {
                void *field = (uint8_t *) p + k->offset;

                if (k->type == PV_STRING)
                        free(*(char **) field);
                else if (profile_key_is_list(k))
                        strv_free(*(char ***) field);
        }

        free(p->name);
        strv_free(p->sources);
        strv_free(p->source_texts);
        return mfree(p);
}

bool profile_wants_audit(const Profile *p) {
        const ProfileAudit *a = &p->audit;

        return a->rule_sets || a->rules || a->rules_files || a->immutable > 0 || a->backlog_limit != NUMBER_UNSET ||
               a->failure_mode >= 0 || a->rate_limit != NUMBER_UNSET || a->backlog_wait_time != NUMBER_UNSET ||
               a->loginuid_immutable > 0;
}

/* Parses text and appends it to rules. Returns 0, -EINVAL with *ret_error set, or -ENOMEM. */
static int audit_rules_push(AuditRule ***rules, size_t *n, int root_fd, const char *text, char **ret_error) {
        _cleanup_(audit_rule_freep) AuditRule *rule = NULL;
        _cleanup_free_ char *reason = NULL;
        AuditRule **l;
        int r;

        r = audit_rule_parse_at(root_fd < 0 ? AT_FDCWD : root_fd, text, &rule, &reason);
        if (r == -ENOMEM)
                return r;
        if (r < 0) {
                *ret_error = strprintf("'%s': %s", text, strna(reason));
                return *ret_error ? -EINVAL : -ENOMEM;
        }
        l = array_grow_pow2(*rules, *n, sizeof(AuditRule *));
        if (!l)
                return -ENOMEM;
        l[(*n)++] = TAKE_PTR(rule);
        *rules = l;
        return 0;
}

/* A control line of a rules file, in the profile's terms: a setting the profile leaves unset is taken
 * from the file, one it sets otherwise is a conflict. Returns 0, or -EINVAL with *ret_reason. */
static int audit_control_apply(ProfileAudit *a, AuditControl c, uint32_t v, char **ret_reason) {
        switch (c) {
        case AUDIT_CONTROL_BACKLOG_LIMIT:
                if (a->backlog_limit == NUMBER_UNSET)
                        a->backlog_limit = v;
                else if (a->backlog_limit != v)
                        return reason_fail(ret_reason, "-b %" PRIu32 " conflicts with BacklogLimit=%" PRIu64, v,
                                           a->backlog_limit);
                return 0;
        case AUDIT_CONTROL_RATE_LIMIT:
                if (a->rate_limit == NUMBER_UNSET)
                        a->rate_limit = v;
                else if (a->rate_limit != v)
                        return reason_fail(ret_reason, "-r %" PRIu32 " conflicts with RateLimit=%" PRIu64, v,
                                           a->rate_limit);
                return 0;
        case AUDIT_CONTROL_FAILURE_MODE:
                if (a->failure_mode < 0)
                        a->failure_mode = (int) v;
                else if (a->failure_mode != (int) v)
                        return reason_fail(ret_reason, "-f %" PRIu32 " conflicts with FailureMode=%s", v,
                                           audit_failure_mode_to_string(a->failure_mode));
                return 0;
        case AUDIT_CONTROL_ENABLED:
                if (v == 0)
                        return reason_fail(ret_reason, "-e 0 would turn auditing off, which a profile cannot ask for");
                if (v == 2) {
                        if (a->immutable == 0)
                                return reason_fail(ret_reason, "-e 2 conflicts with Immutable=no");
                        a->immutable = 1;
                }
                return 0; /* -e 1: hardenctl-audit turns auditing on anyway */
        case AUDIT_CONTROL_BACKLOG_WAIT_TIME:
                if (a->backlog_wait_time == NUMBER_UNSET)
                        a->backlog_wait_time = v;
                else if (a->backlog_wait_time != v)
                        return reason_fail(ret_reason,
                                           "--backlog_wait_time %" PRIu32 " conflicts with BacklogWaitTime=%" PRIu64, v,
                                           a->backlog_wait_time);
                return 0;
        case AUDIT_CONTROL_LOGINUID_IMMUTABLE:
                if (a->loginuid_immutable == 0)
                        return reason_fail(ret_reason, "--loginuid-immutable conflicts with LoginUIDImmutable=no");
                a->loginuid_immutable = 1;
                return 0;
        default:
                return 0; /* -D (hardenctl deletes only rules it added), -i, -c */
        }
}

/* Appends the rules of the rules file path, below root_fd (negative: the host's "/"), and takes its
 * settings. Returns 0, -EINVAL with *ret_error ("PATH:LINE: reason"), -EISDIR if path is a directory,
 * or another negative errno (then also with *ret_error). */
static int audit_rules_push_file(ProfileAudit *a, AuditRule ***rules, size_t *n, int root_fd, const char *path,
                                 char **ret_error) {
        _cleanup_free_ char *buf = NULL;
        _cleanup_close_ int fd = -EBADF;
        char *p, *line;
        unsigned lineno = 0;
        size_t size;
        int r;

        fd = root_fd >= 0 ? open_in_root_regular(root_fd, path, O_RDONLY) : open_regular_at(AT_FDCWD, path, O_RDONLY);
        if (fd == -EISDIR)
                return fd;
        if (fd >= 0)
                r = read_full_fd(fd, AUDIT_RULES_FILE_MAX, &buf, &size);
        else
                r = fd;
        if (r < 0) {
                *ret_error = strprintf("%s: cannot read the rules file: %s", path, strerror(-r));
                return *ret_error ? -EINVAL : -ENOMEM;
        }

        for (p = buf; (line = strsep(&p, "\n"));) {
                _cleanup_(audit_rule_freep) AuditRule *rule = NULL;
                _cleanup_free_ char *reason = NULL;
                AuditControl c;
                uint32_t v;
                AuditRule **l;

                lineno++;
                r = audit_line_parse_at(root_fd < 0 ? AT_FDCWD : root_fd, line, &rule, &c, &v, &reason);
                if (r == AUDIT_LINE_CONTROL)
                        r = audit_control_apply(a, c, v, &reason);
                if (r == -ENOMEM)
                        return r;
                if (r < 0) {
                        *ret_error = strprintf("%s:%u: %s", path, lineno, strna(reason));
                        return *ret_error ? -EINVAL : -ENOMEM;
                }
                if (!rule)
                        continue;
                l = array_grow_pow2(*rules, *n, sizeof(AuditRule *));
                if (!l)
                        return -ENOMEM;
                l[(*n)++] = TAKE_PTR(rule);
                *rules = l;
        }
        return 0;
}

static bool is_rules_file(const char *name, const void *userdata) {
        return name[0] != '.' && endswith(name, ".rules");
}

/* RulesFile=: a rules file, or a rules.d directory whose *.rules files are read in the order
 * augenrules(8) reads them (ls -v). */
static int audit_rules_push_path(ProfileAudit *a, AuditRule ***rules, size_t *n, int root_fd, const char *path,
                                 char **ret_error) {
        _cleanup_strv_free_ char **names = NULL;
        _cleanup_close_ int fd = -EBADF;
        int r;

        r = audit_rules_push_file(a, rules, n, root_fd, path, ret_error);
        if (r != -EISDIR)
                return r;

        fd = root_fd >= 0 ? open_in_root(root_fd, path, O_RDONLY | O_DIRECTORY) :
                            open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0 && root_fd < 0)
                fd = -errno;
        if (fd >= 0)
                r = dir_fd_list(fd, is_rules_file, NULL, AUDIT_RULES_DIR_MAX, true, &names);
        else
                r = fd;
        if (r < 0) {
                *ret_error = r == -E2BIG ? strprintf("%s: more than %u rules files", path, AUDIT_RULES_DIR_MAX) :
                                           strprintf("%s: cannot read the rules directory: %s", path, strerror(-r));
                return *ret_error ? -EINVAL : -ENOMEM;
        }
        STRV_FOREACH(name, names) {
                _cleanup_free_ char *p = path_join(path, *name);

                if (!p)
                        return -ENOMEM;
                r = audit_rules_push_file(a, rules, n, root_fd, p, ret_error);
                if (r == -EISDIR) {
                        *ret_error = strprintf("%s: a directory, not a rules file", p);
                        r = *ret_error ? -EINVAL : -ENOMEM;
                }
                if (r < 0)
                        return r;
        }
        return 0;
}

/* The sets of Rules=, set by set, then the files of RulesFile=, then Rule=: the order hardenctl-audit
 * loads them in. */
static int profile_audit_rules_build(ProfileAudit *a, int root_fd) {
        _cleanup_free_ char *error = NULL;
        AuditRule **rules = NULL;
        size_t n = 0;
        int r = 0;

        /* The paths of the rules' watches are the tree's: the host's where that is "/" (looked up directly,
         * not through an fd beneath it: one system call, not three). */
        if (root_fd >= 0 && dir_fd_is_host_root(root_fd) > 0)
                root_fd = -EBADF;

        STRV_FOREACH(s, a->rule_sets) {
                const char *const *set = audit_rule_set_lookup(*s);

                a->rules_error_key = "Rules";
                if (!set) {
                        error = strprintf("unknown rule set '%s'", *s);
                        r = error ? -EINVAL : -ENOMEM;
                        break;
                }
                for (; *set && r >= 0; set++)
                        r = audit_rules_push(&rules, &n, root_fd, *set, &error);
                if (r < 0)
                        break;
        }
        for (char **s = a->rules_files; r >= 0 && s && *s; s++) {
                a->rules_error_key = "RulesFile";
                r = audit_rules_push_path(a, &rules, &n, root_fd, *s, &error);
        }
        for (char **s = a->rules; r >= 0 && s && *s; s++) {
                a->rules_error_key = "Rule";
                r = audit_rules_push(&rules, &n, root_fd, *s, &error);
        }

        if (r < 0) {
                audit_rules_free(rules, n);
                if (r != -EINVAL)
                        return r;
                a->rules_error = TAKE_PTR(error);
                return 0;
        }
        a->rules_error_key = NULL;
        a->parsed_rules = rules;
        a->n_parsed_rules = n;
        return 0;
}

int profile_finalize(Profile *p) {
        return profile_finalize_in_root(p, -EBADF);
}

int profile_finalize_in_root(Profile *p, int root_fd) {
        int r;

        assert(p);

        profile_audit_rules_clear(&p->audit);
        profile_sysctl_settings_clear(&p->kernel);
        profile_exec_allowed_clear(&p->services);

        r = profile_audit_rules_build(&p->audit, root_fd);
        if (r < 0)
                return r;
        r = profile_exec_allowed_build(&p->services);
        if (r < 0)
                return r;
        return sysctl_merge(p->kernel.sysctls, &p->kernel.sysctl_settings, &p->kernel.n_sysctl_settings);
}
