/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <fcntl.h>
#include <inttypes.h>
#include <time.h>

#include "apply-fs.h"
#include "boot.h"
#include "diff.h"
#include "fs-util.h"
#include "kernel-util.h"
#include "path-util.h"
#include "plan.h"
#include "selinux-config.h"
#include "digest.h"
#include "string-util.h"
#include "strv.h"
#include "sysctl-util.h"
#include "unit-dropin.h"

static const char *const scope_systemd_dir[_APPLY_SCOPE_MAX] = {
        [APPLY_HOST] = "/etc/systemd/system",
        [APPLY_RUNTIME] = "/run/systemd/system",
        [APPLY_IMAGE] = "/etc/systemd/system",
};

static const char *const scope_sysctl_dir[_APPLY_SCOPE_MAX] = {
        [APPLY_HOST] = "/etc/sysctl.d",
        [APPLY_RUNTIME] = "/run/sysctl.d",
        [APPLY_IMAGE] = "/etc/sysctl.d",
};

static const char *const scope_modprobe_dir[_APPLY_SCOPE_MAX] = {
        [APPLY_HOST] = "/etc/modprobe.d",
        [APPLY_RUNTIME] = "/run/modprobe.d",
        [APPLY_IMAGE] = "/etc/modprobe.d",
};

const char *apply_record_dir(ApplyScope scope) {
        return scope == APPLY_RUNTIME ? "/run/hardenctl" : "/etc/hardenctl";
}

static void plan_file_done(PlanFile *f) {
        free(f->path);
        free(f->old);
        free(f->new);
        free(f->unit);
}

static void plan_live_done(PlanLive *l) {
        free(l->name);
        free(l->old_value);
        free(l->new_value);
        audit_rule_free(l->rule);
}

Plan *plan_free(Plan *p) {
        if (!p)
                return NULL;
        for (size_t i = 0; i < p->n_files; i++)
                plan_file_done(p->files + i);
        for (size_t i = 0; i < p->n_live; i++)
                plan_live_done(p->live + i);
        free(p->files);
        free(p->live);
        free(p->profile_name);
        free(p->spec);
        free(p->digest);
        strv_free(p->notes);
        return mfree(p);
}

void live_state_done(LiveState *s) {
        for (size_t i = 0; i < s->n_audit_rules; i++)
                free(s->audit_rules[i]);
        free(s->audit_rules);
        safe_close(s->proc_sys_fd);
        safe_close(s->sys_fd);
        *s = (LiveState) LIVE_STATE_NULL;
}

void apply_record_done(ApplyRecord *r) {
        free(r->profile);
        free(r->spec);
        free(r->digest);
        free(r->applied);
        strv_free(r->files);
        *r = (ApplyRecord) {};
}

int apply_record_parse(const char *text, ApplyRecord *ret) {
        _cleanup_(apply_record_done) ApplyRecord rec = {};
        _cleanup_free_ char *copy = strdup(text);
        char *p, *line;

        if (!copy)
                return -ENOMEM;
        for (p = copy; (line = strsep(&p, "\n"));) {
                char *eq = strchr(line, '='), **field = NULL;

                if (line[0] == '#' || !*line)
                        continue;
                if (!eq)
                        return -EBADMSG;
                *eq = 0;
                if (streq(line, "Profile"))
                        field = &rec.profile;
                else if (streq(line, "Spec"))
                        field = &rec.spec;
                else if (streq(line, "Digest"))
                        field = &rec.digest;
                else if (streq(line, "Applied"))
                        field = &rec.applied;
                else if (streq(line, "File")) {
                        if (!path_is_absolute(eq + 1) || strv_extend(&rec.files, eq + 1) < 0)
                                return path_is_absolute(eq + 1) ? -ENOMEM : -EBADMSG;
                        continue;
                } else
                        continue; /* written by a later version */
                free(*field);
                *field = strdup(eq + 1);
                if (!*field)
                        return -ENOMEM;
        }
        if (!rec.profile || !rec.digest)
                return -EBADMSG;
        *ret = rec;
        rec = (ApplyRecord) {};
        return 0;
}

/* ---- building */

typedef struct Builder {
        const Profile *profile;
        const PlanContext *c;
        Plan *plan;
        char **owned;   /* every file the profile wants that the record lists, changed or not */
        bool lock_modules; /* Sysctl=kernel.modules_disabled=1: planned as ModuleLoading=locked is */
        char **error;
} Builder;

static int fail(Builder *b, int r, const char *format, ...) _printf_(3, 4);
static int fail(Builder *b, int r, const char *format, ...) {
        va_list ap;

        if (b->error && !*b->error) {
                va_start(ap, format);
                if (vasprintf(b->error, format, ap) < 0)
                        *b->error = NULL;
                va_end(ap);
        }
        return r;
}

static int note(Builder *b, const char *format, ...) _printf_(2, 3);
static int note(Builder *b, const char *format, ...) {
        char *s = NULL;
        va_list ap;

        va_start(ap, format);
        if (vasprintf(&s, format, ap) < 0)
                s = NULL;
        va_end(ap);
        if (!s)
                return -ENOMEM;
        return strv_consume(&b->plan->notes, s);
}

static PlanFile *files_push(Plan *p) {
        PlanFile *l = reallocarray(p->files, p->n_files + 1, sizeof(PlanFile));

        if (!l)
                return NULL;
        p->files = l;
        l[p->n_files] = (PlanFile) {};
        return l + p->n_files++;
}

static PlanLive *live_push(Plan *p, PlanLiveType type) {
        PlanLive *l = reallocarray(p->live, p->n_live + 1, sizeof(PlanLive));

        if (!l)
                return NULL;
        p->live = l;
        l[p->n_live] = (PlanLive) { .type = type };
        return l + p->n_live++;
}

/* Adds a file to the plan if what is there differs from what must be (new: NULL to remove). Refuses
 * targets that are symbolic links where a file is wanted, and anything that is not a regular file or
 * a mask. Returns 1 if planned, 0 if already right. */
static int want_file(Builder *b, const char *path, const char *purpose, PlanFileType type, const char *new,
                     const char *unit, bool record) {
        _cleanup_(file_state_done) FileState st = {};
        PlanFile *f;
        int r;

        r = root_file_state(b->c->root_fd, path, APPLY_FILE_SIZE_MAX, &st);
        if (r == -EBADFD)
                return fail(b, r, "%s exists and is not a regular file; refusing to touch it", path);
        if (r == -EFBIG)
                return fail(b, r, "%s is larger than %u bytes; refusing to replace it", path, APPLY_FILE_SIZE_MAX);
        if (r < 0)
                return fail(b, r, "cannot read %s: %s", path, strerror(-r));

        if (st.exists && st.symlink) {
                /* The only symbolic links hardenctl writes are masks; never follow one. */
                if (type != PLAN_FILE_SYMLINK || !streq(st.content, "/dev/null"))
                        return fail(b, -ELOOP, "%s is a symbolic link (to %s); refusing to follow or replace it", path,
                                    st.content);
        } else if (st.exists && type == PLAN_FILE_SYMLINK && new)
                return fail(b, -EEXIST, "%s exists and is a unit file, not a mask; refusing to replace it", path);

        if (!new && !st.exists)
                return 0;
        if (new && !st.exists) {
                _cleanup_free_ char *dir = NULL, *name = NULL;

                r = path_split_parent(path, &dir, &name);
                if (r >= 0)
                        r = root_check_dir(b->c->root_fd, dir);
                if (r == -ELOOP)
                        return fail(b, r, "a symbolic link on the way to %s leads nowhere inside the root; refusing to follow it", path);
                if (r == -ENOTDIR)
                        return fail(b, r, "a file on the way to %s is in the way of its directory", path);
                if (r < 0)
                        return fail(b, r, "cannot resolve the directory of %s: %s", path, strerror(-r));
        }
        if (new && st.exists && streq(st.content, new))
                return 0;
        if (record && new && st.exists) {
                /* The record changes only with what it records, not with the time of each apply. */
                _cleanup_(apply_record_done) ApplyRecord o = {}, n = {};

                if (apply_record_parse(st.content, &o) >= 0 && apply_record_parse(new, &n) >= 0 &&
                    streq(o.profile, n.profile) && streq(o.digest, n.digest) && streq_ptr(o.spec, n.spec) &&
                    strv_equal(o.files, n.files))
                        return 0;
        }

        f = files_push(b->plan);
        if (!f)
                return -ENOMEM;
        *f = (PlanFile) {
                .path = strdup(path),
                .purpose = purpose,
                .type = st.symlink ? PLAN_FILE_SYMLINK : type,
                .record = record,
                .exists = st.exists,
                .old = TAKE_PTR(st.content),
                .old_mode = st.exists ? st.mode : 0644,
                .old_uid = st.uid,
                .old_gid = st.gid,
                .new = new ? strdup(new) : NULL,
                .unit = unit ? strdup(unit) : NULL,
        };
        if (!f->path || (new && !f->new) || (unit && !f->unit))
                return -ENOMEM;
        return 1;
}

static int want_owned(Builder *b, const char *path, const char *purpose, PlanFileType type, const char *new,
                      const char *unit) {
        if (strv_extend(&b->owned, path) < 0)
                return -ENOMEM;
        return want_file(b, path, purpose, type, new, unit, false);
}

#define APPLY_HEADER_TEXT "Automatically generated by hardenctl apply from profile "

static char *header(Builder *b, const char *comment) {
        return strprintf("%s " APPLY_HEADER_TEXT "%s.\n", comment, b->profile->name);
}

/* Whether a file's text begins with the header apply writes. */
static bool text_is_ours(const char *text) {
        const char *p = text + strspn(text, "#");

        return p != text && startswith(p, " " APPLY_HEADER_TEXT);
}

static int plan_audit_file(Builder *b, AuditRule **rules, size_t n) {
        const ProfileAudit *a = &b->profile->audit;
        _cleanup_free_ char *text = header(b, "##");
        char *buf = NULL;
        size_t size = 0;
        FILE *f;
        int r;

        if (!text)
                return -ENOMEM;
        f = open_memstream(&buf, &size);
        if (!f)
                return -ENOMEM;
        fputs(text, f);
        fputs("## Loaded by augenrules(8) at boot. The profile is the source: edit it, not this file.\n", f);
        if (a->immutable > 0)
                fputs("## Immutable=yes: the lock (-e 2) is set by hardenctl apply and by hardenctl-audit.service,\n"
                      "## once every rule is loaded; it is not in this file.\n", f);
        if (a->backlog_limit != NUMBER_UNSET)
                fprintf(f, "-b %" PRIu64 "\n", a->backlog_limit);
        if (a->failure_mode >= 0)
                fprintf(f, "-f %d\n", a->failure_mode);
        if (a->rate_limit != NUMBER_UNSET)
                fprintf(f, "-r %" PRIu64 "\n", a->rate_limit);
        for (size_t i = 0; i < n; i++) {
                bool dup = false;

                /* auditctl -R stops at a rule the kernel already has: each rule once. */
                for (size_t j = 0; j < i && !dup; j++)
                        dup = streq(rules[j]->text, rules[i]->text);
                if (!dup)
                        fprintf(f, "%s\n", rules[i]->text);
        }
        r = memstream_close(f, &buf);
        if (r < 0)
                return r;
        r = want_owned(b, APPLY_AUDIT_RULES_PATH, "audit rules", PLAN_FILE_REGULAR, buf, NULL);
        free(buf);
        return r;
}

static int plan_sysctl_file(Builder *b, const SysctlSetting *sysctls, size_t n) {
        _cleanup_free_ char *hdr = header(b, "#"), *text = NULL, *path = NULL;
        size_t size = 0;
        FILE *f;
        int r;

        if (!hdr)
                return -ENOMEM;
        f = open_memstream(&text, &size);
        if (!f)
                return -ENOMEM;
        fputs(hdr, f);
        for (size_t i = 0; i < n; i++)
                fprintf(f, "%s = %s\n", sysctls[i].key, sysctls[i].value);
        r = memstream_close(f, &text);
        if (r < 0)
                return r;
        path = strprintf("%s/%s", scope_sysctl_dir[b->c->scope], APPLY_SYSCTL_NAME);
        if (!path)
                return -ENOMEM;
        return want_owned(b, path, "sysctl settings", PLAN_FILE_REGULAR, text, NULL);
}

/* DenyModule=: the same form hardenctl-kernel writes at boot (to another name, in /run). */
static int plan_modprobe_file(Builder *b) {
        _cleanup_free_ char *hdr = header(b, "#"), *text = NULL, *path = NULL;
        int r;

        if (!hdr)
                return -ENOMEM;
        r = modprobe_deny_text(hdr, b->profile->kernel.deny_modules, &text);
        if (r < 0)
                return r;
        path = strprintf("%s/%s", scope_modprobe_dir[b->c->scope], APPLY_MODPROBE_NAME);
        if (!path)
                return -ENOMEM;
        return want_owned(b, path, "module deny list", PLAN_FILE_REGULAR, text, NULL);
}

static int plan_selinux_file(Builder *b) {
        _cleanup_(file_state_done) FileState st = {};
        _cleanup_free_ char *text = NULL;
        int r;

        r = root_file_state(b->c->root_fd, SELINUX_CONFIG_PATH, SELINUX_CONFIG_SIZE_MAX, &st);
        if (r >= 0 && st.symlink)
                return fail(b, -ELOOP, "%s is a symbolic link (to %s); refusing to follow or replace it",
                            SELINUX_CONFIG_PATH, st.content);
        if (r < 0)
                return want_file(b, SELINUX_CONFIG_PATH, "SELinux configuration", PLAN_FILE_REGULAR, "", NULL, false);

        r = selinux_config_update(st.exists ? st.content : NULL, &b->profile->selinux, &text);
        if (r < 0)
                return r;
        return want_file(b, SELINUX_CONFIG_PATH, "SELinux configuration", PLAN_FILE_REGULAR, text, NULL, false);
}

static int plan_units(Builder *b) {
        const ProfileServices *s = &b->profile->services;
        const char *dir = scope_systemd_dir[b->c->scope];
        _cleanup_free_ char *hdr = header(b, "#"), *confine = NULL;
        int r;

        if (!hdr)
                return -ENOMEM;

        if (s->confine) {
                _cleanup_free_ char *body = NULL;

                r = unit_confinement_text(s, &body);
                if (r < 0)
                        return r;
                confine = strprintf("%s%s", hdr, body);
                if (!confine)
                        return -ENOMEM;
        }
        STRV_FOREACH(u, s->confine) {
                _cleanup_free_ char *path = strprintf("%s/%s.d/%s.conf", dir, *u, CONFINE_DROPIN_NAME);

                if (!path)
                        return -ENOMEM;
                r = want_owned(b, path, "service confinement", PLAN_FILE_REGULAR, confine, *u);
                if (r < 0)
                        return r;
        }

        STRV_FOREACH(c, b->profile->selinux.contexts) {
                _cleanup_free_ char *unit = NULL, *body = NULL, *text = NULL, *path = NULL;
                const char *context;

                if (selinux_context_entry_split(*c, &unit, &context) < 0)
                        continue;
                r = unit_selinux_context_text(context, &body);
                if (r < 0)
                        return r;
                text = strprintf("%s%s", hdr, body);
                path = strprintf("%s/%s.d/%s.conf", dir, unit, SELINUX_DROPIN_NAME);
                if (!text || !path)
                        return -ENOMEM;
                r = want_owned(b, path, "SELinux context", PLAN_FILE_REGULAR, text, unit);
                if (r < 0)
                        return r;
        }

        STRV_FOREACH(u, s->mask) {
                _cleanup_free_ char *path = strprintf("%s/%s", dir, *u);

                if (!path)
                        return -ENOMEM;
                r = want_owned(b, path, "mask", PLAN_FILE_SYMLINK, "/dev/null", *u);
                if (r < 0)
                        return r;
        }
        return 0;
}

static int read_record(Builder *b, ApplyRecord *ret) {
        _cleanup_(file_state_done) FileState st = {};
        _cleanup_free_ char *path = strprintf("%s/%s", apply_record_dir(b->c->scope), APPLY_RECORD_NAME);
        int r;

        if (!path)
                return -ENOMEM;
        r = root_file_state(b->c->root_fd, path, APPLY_FILE_SIZE_MAX, &st);
        if (r < 0 || !st.exists || st.symlink || apply_record_parse(st.content, ret) < 0)
                *ret = (ApplyRecord) {};
        return 0;
}

/* Whether a file still has the form apply gives it: a mask is a symbolic link to /dev/null; anything
 * else begins with the generated header. */
static bool stale_is_ours(const FileState *st, bool mask) {
        if (mask)
                return st->symlink && streq(st->content, "/dev/null");
        return !st->symlink && text_is_ours(st->content);
}

/* Whether path is dir/name. */
static bool path_is_in_dir(const char *path, const char *dir, const char *name) {
        const char *rest = startswith(path, dir);

        return rest && rest[0] == '/' && streq(rest + 1, name);
}

/* Files an earlier apply wrote that this profile no longer wants. The record only says what apply
 * once wrote: a file goes only if it is one of the kinds apply writes, at a place apply writes it,
 * and still as apply wrote it. An admin's own unit where a mask was, a drop-in edited by hand, or
 * whatever a record edited or carried over from elsewhere names, stays, with a note. */
static int plan_stale(Builder *b, const ApplyRecord *old) {
        const char *units = scope_systemd_dir[b->c->scope];
        int r;

        STRV_FOREACH(f, old->files) {
                _cleanup_(file_state_done) FileState st = {};
                _cleanup_free_ char *unit = NULL;
                const char *rest, *slash;
                bool mask = false;

                if (strv_contains(b->owned, *f))
                        continue;
                if (!path_is_normalized(*f) || string_has_cc(*f))
                        continue;

                rest = startswith(*f, units);
                if (rest && *rest == '/') {
                        rest++;
                        slash = strchr(rest, '/');
                        if (!slash) {
                                /* UNIT: a mask. */
                                unit = strdup(rest);
                                mask = true;
                        } else {
                                /* UNIT.d/NAME.conf, with one of the names apply gives its drop-ins. */
                                const char *name = slash + 1;

                                if (strchr(name, '/') || slash - rest <= 2 || !strneq(slash - 2, ".d", 2) ||
                                    !(streq(name, CONFINE_DROPIN_NAME ".conf") || streq(name, SELINUX_DROPIN_NAME ".conf")))
                                        continue;
                                unit = strndup(rest, slash - 2 - rest);
                        }
                        if (!unit)
                                return -ENOMEM;
                        if (isempty(unit))
                                continue;
                } else if (!streq(*f, APPLY_AUDIT_RULES_PATH) &&
                           !path_is_in_dir(*f, scope_sysctl_dir[b->c->scope], APPLY_SYSCTL_NAME) &&
                           !path_is_in_dir(*f, scope_modprobe_dir[b->c->scope], APPLY_MODPROBE_NAME))
                        continue;

                r = root_file_state(b->c->root_fd, *f, APPLY_FILE_SIZE_MAX, &st);
                if (r >= 0 && !st.exists)
                        continue;
                if (r >= 0 && !stale_is_ours(&st, mask)) {
                        r = note(b, "%s is no longer wanted, but it is not as hardenctl apply wrote it; left as it is", *f);
                        if (r < 0)
                                return r;
                        continue;
                }
                /* What remains, or an error, is for want_file() to plan or to explain. */
                r = want_file(b, *f, "no longer wanted", mask ? PLAN_FILE_SYMLINK : PLAN_FILE_REGULAR, NULL, unit, false);
                if (r < 0)
                        return r;
        }
        return 0;
}

static int plan_record(Builder *b) {
        _cleanup_free_ char *text = NULL, *path = NULL;
        size_t size = 0;
        FILE *f;
        int r;
        char when[64];
        struct tm tm;
        time_t t = (time_t) (b->c->now_usec / 1000000);

        if (!gmtime_r(&t, &tm) || strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
                return -EINVAL;

        f = open_memstream(&text, &size);
        if (!f)
                return -ENOMEM;
        fprintf(f,
                "# The profile hardenctl apply put in force, read by hardenctl status. Do not edit.\n"
                "Profile=%s\nSpec=%s\nDigest=%s\nApplied=%s\n",
                b->plan->profile_name, b->plan->spec, b->plan->digest, when);
        STRV_FOREACH(o, b->owned)
                fprintf(f, "File=%s\n", *o);
        r = memstream_close(f, &text);
        if (r < 0)
                return r;
        path = strprintf("%s/%s", apply_record_dir(b->c->scope), APPLY_RECORD_NAME);
        if (!path)
                return -ENOMEM;
        return want_file(b, path, "record of the applied profile", PLAN_FILE_REGULAR, text, NULL, true);
}

/* ---- live state */

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
                        r = note(b, "sysctl %s does not exist in the running kernel; not set live", key);
                        if (r < 0)
                                return r;
                        continue;
                }
                if (r < 0)
                        return fail(b, r, "cannot read sysctl %s: %s", key, strerror(-r));

                sysctl_value_normalize(want);
                if (streq(have, want))
                        continue;
                if (streq(key, "kernel.modules_disabled")) {
                        /* Cannot be undone (or, once 1, changed): not an ordinary sysctl step. */
                        if (streq(want, "1"))
                                b->lock_modules = true;
                        else {
                                r = note(b, "sysctl kernel.modules_disabled is %s: module loading stays locked until reboot", have);
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
                return fail(b, -EPERM, "audit %s would change, but only rules with key %s may (test mode)", what, s->audit_key);
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
                    text_is_ours(f->old))
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
                        wanted = rules[i] && (streq(rules[i]->text, rule->text) || audit_rule_is_loaded_as(rules[i], loaded));
                for (size_t j = 0; j < b->plan->n_live && !wanted; j++)
                        wanted = b->plan->live[j].type == PLAN_AUDIT_DELETE_RULE && streq(b->plan->live[j].name, rule->text);
                if (wanted)
                        continue;
                if (s->audit_key && !streq_ptr(rule->key, s->audit_key))
                        return fail(b, -EPERM, "audit rule '%s' would be deleted, but only rules with key %s may (test mode)",
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
                return note(b, "the audit subsystem cannot be reached; audit settings and rules are not loaded live%s",
                            old ? ", and the rules of the earlier audit rules file stay loaded" : "");

        if (old) {
                r = plan_audit_delete_old(b, old, rules, n);
                if (r < 0)
                        return r;
        }

        r = plan_audit_setting(b, PLAN_AUDIT_BACKLOG_LIMIT, a->backlog_limit, s->audit_status.backlog_limit, "backlog limit");
        if (r >= 0)
                r = plan_audit_setting(b, PLAN_AUDIT_FAILURE_MODE, a->failure_mode >= 0 ? (uint64_t) a->failure_mode : NUMBER_UNSET,
                                       s->audit_status.failure, "failure mode");
        if (r >= 0)
                r = plan_audit_setting(b, PLAN_AUDIT_RATE_LIMIT, a->rate_limit, s->audit_status.rate_limit, "rate limit");
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
                        return fail(b, -EPERM, "audit rule '%s' would be loaded, but only rules with key %s may (test mode)",
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
                return fail(b, -EPERM, "the audit configuration is locked until reboot (enabled 2); %zu audit changes cannot be made live",
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
                return se->mode == SELINUX_DISABLED
                               ? 0
                               : note(b, "SELinux is not enabled in the running kernel; Mode=%s takes effect at the next boot",
                                      selinux_mode_to_string(se->mode));
        if (se->mode == SELINUX_DISABLED)
                return note(b, "SELinux is running; Mode=disabled takes effect at the next boot");

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
                        return fail(b, -EPERM, "ModuleLoading=signed would change the running kernel (test mode, no fake /sys)");
                r = sys_read(s->sys_fd, KERNEL_SIG_ENFORCE_SYS_PATH, &v);
                if (r == -ENOENT && s->proc_sys_fd >= 0 &&
                    sysctl_read(s->proc_sys_fd, "/", "kernel.modules_disabled", &disabled, NULL) == -ENOENT)
                        r = note(b, "the running kernel cannot load modules at all; ModuleLoading=signed needs nothing live");
                else if (r == -ENOENT)
                        return fail(b, -EOPNOTSUPP,
                                    "ModuleLoading=signed, but the running kernel cannot enforce module signatures "
                                    "(no /sys/" KERNEL_SIG_ENFORCE_SYS_PATH ": built without module signing)");
                else if (r < 0)
                        return fail(b, r, "cannot read /sys/" KERNEL_SIG_ENFORCE_SYS_PATH ": %s", strerror(-r));
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
                        return fail(b, -EPERM, "Lockdown=%s would change the running kernel (test mode, no fake /sys)", want);
                r = sys_read(s->sys_fd, KERNEL_LOCKDOWN_SYS_PATH, &v);
                if (r == -ENOENT)
                        r = note(b, "the running kernel has no lockdown LSM (no /sys/" KERNEL_LOCKDOWN_SYS_PATH "); "
                                    "Lockdown=%s is not set live", want);
                else if (r < 0)
                        return fail(b, r, "cannot read /sys/" KERNEL_LOCKDOWN_SYS_PATH ": %s", strerror(-r));
                else if ((have = kernel_lockdown_parse(v)) < 0)
                        return fail(b, -EBADMSG, "cannot tell the lockdown mode from /sys/" KERNEL_LOCKDOWN_SYS_PATH " ('%s')", v);
                else if (have < k->lockdown) /* raised only: at or above the level already is fine */
                        r = push_kernel(b, PLAN_LOCKDOWN, lockdown_mode_to_string(have), want);
                if (r < 0)
                        return r;
        }

        if (k->module_loading == MODULES_LOCKED || b->lock_modules) {
                _cleanup_free_ char *v = NULL;

                if (s->test_keep_proc_sys)
                        return fail(b, -EPERM, "ModuleLoading=locked would change the running kernel (test mode, no fake /proc/sys)");
                r = s->proc_sys_fd < 0 ? -ENOENT : sysctl_read(s->proc_sys_fd, "/", "kernel.modules_disabled", &v, NULL);
                if (r == -ENOENT)
                        r = note(b, "the running kernel cannot load modules at all (no kernel.modules_disabled); "
                                    "ModuleLoading=locked needs nothing live");
                else if (r < 0)
                        return fail(b, r, "cannot read sysctl kernel.modules_disabled: %s", strerror(-r));
                else if (!streq(v, "1"))
                        r = push_kernel(b, PLAN_MODULES_DISABLED, v, "1");
                if (r < 0)
                        return r;
        }

        /* Nothing else puts them in force again after a reboot. */
        if (k->lockdown > LOCKDOWN_NONE || k->module_loading > MODULES_ALLOW) {
                _cleanup_close_ int fd = open_in_root(b->c->root_fd, BOOT_PROFILE_PATH, O_PATH);

                if (fd < 0)
                        return note(b, "there is no boot profile (" BOOT_PROFILE_PATH "): nothing sets Lockdown= and "
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

int plan_build(const Profile *p, const char *spec, const PlanContext *c, Plan **ret, char **ret_error) {
        _cleanup_(plan_freep) Plan *plan = NULL;
        _cleanup_(apply_record_done) ApplyRecord old = {};
        AuditRule **rules = NULL;
        size_t n_rules = 0;
        bool live = c->scope != APPLY_IMAGE && c->live;
        Builder b = { .profile = p, .c = c, .error = ret_error };
        int r;

        if (ret_error)
                *ret_error = NULL;

        /* The record is lines of KEY=VALUE: a newline in a value would forge lines of its own (File=
         * lines name what a later apply removes). Neither is ever needed. */
        if (string_has_cc(spec) || string_has_cc(p->name))
                return fail(&b, -EINVAL, "the profile's %s contains a control character (such as a newline), "
                                         "which the record of the applied profile cannot hold; refusing it",
                            string_has_cc(spec) ? "path" : "name");

        plan = new0(Plan, 1);
        if (!plan)
                return -ENOMEM;
        b.plan = plan;
        plan->scope = c->scope;
        plan->profile_name = strdup(p->name);
        plan->spec = strdup(spec);
        if (!plan->profile_name || !plan->spec)
                return -ENOMEM;
        r = profile_digest(p, &plan->digest);
        if (r < 0)
                return fail(&b, r, "cannot compute the digest of the profile's sources");

        if (p->audit.rules_error)
                return fail(&b, -EINVAL, "audit rules of the profile are invalid: %s", p->audit.rules_error);
        r = audit_rules_copy(p->audit.parsed_rules, p->audit.n_parsed_rules, &rules);
        if (r < 0)
                return r;
        n_rules = p->audit.n_parsed_rules;
        r = read_record(&b, &old);
        if (r < 0)
                goto finish;

        /* Files, in the order they are written. */
        if (c->scope != APPLY_RUNTIME && profile_wants_audit(p))
                r = plan_audit_file(&b, rules, n_rules);
        if (r >= 0 && p->kernel.n_sysctl_settings > 0)
                r = plan_sysctl_file(&b, p->kernel.sysctl_settings, p->kernel.n_sysctl_settings);
        if (r >= 0 && p->kernel.deny_modules)
                r = plan_modprobe_file(&b);
        if (r >= 0 && c->scope != APPLY_RUNTIME && p->selinux.mode >= 0)
                r = plan_selinux_file(&b);
        if (r >= 0)
                r = plan_units(&b);
        if (r >= 0)
                r = plan_stale(&b, &old);
        if (r < 0)
                goto finish;

        /* Live state, in the order it is changed. */
        if (live && (profile_wants_audit(p) || old_audit_file(plan)))
                r = plan_audit_live(&b, rules, n_rules);
        if (r >= 0 && live && p->kernel.n_sysctl_settings > 0 && c->live->proc_sys_fd >= 0)
                r = plan_sysctls_live(&b, p->kernel.sysctl_settings, p->kernel.n_sysctl_settings);
        if (r >= 0 && live)
                r = plan_selinux_live(&b);
        if (r >= 0 && live && c->live->systemd)
                r = plan_systemd_live(&b);
        if (r >= 0 && live)
                r = plan_kernel_live(&b);
        else if (r >= 0 && c->scope == APPLY_IMAGE &&
                 (p->kernel.lockdown > LOCKDOWN_NONE || p->kernel.module_loading > MODULES_ALLOW))
                r = note(&b, "Lockdown= and ModuleLoading= change the running kernel: in an image they take effect "
                             "at boot only, through the boot profile (hardenctl-kernel.service)");
        if (r >= 0 && live && p->audit.immutable > 0 && c->live->audit && c->live->audit_status.enabled != 2) {
                if (c->live->audit_key)
                        r = fail(&b, -EPERM, "Immutable=yes would lock the audit configuration (test mode)");
                else if (!live_push(plan, PLAN_AUDIT_LOCK))
                        r = -ENOMEM;
        }

        /* The record, last; it changes only when something it records does. */
        if (r >= 0)
                r = plan_record(&b);
        if (r < 0)
                goto finish;

        *ret = TAKE_PTR(plan);
        r = 0;
finish:
        audit_rules_free(rules, n_rules);
        strv_free(b.owned);
        return r;
}

/* ---- showing */

char *plan_live_describe(const PlanLive *l) {
        static const char *const failure_modes[] = { "silent", "printk", "panic" };
        const char *fo = l->old_number < ELEMENTSOF(failure_modes) ? failure_modes[l->old_number] : "?";
        const char *fn = l->new_number < ELEMENTSOF(failure_modes) ? failure_modes[l->new_number] : "?";

        switch (l->type) {
        case PLAN_AUDIT_BACKLOG_LIMIT:
                return strprintf("audit backlog limit: %u → %u", l->old_number, l->new_number);
        case PLAN_AUDIT_FAILURE_MODE:
                return strprintf("audit failure mode: %s → %s", fo, fn);
        case PLAN_AUDIT_RATE_LIMIT:
                return strprintf("audit rate limit: %u → %u", l->old_number, l->new_number);
        case PLAN_AUDIT_RULE:
                return strprintf("audit rule: %s", l->name);
        case PLAN_AUDIT_DELETE_RULE:
                return strprintf("audit rule deleted (no longer wanted): %s", l->name);
        case PLAN_SYSCTL:
                return strprintf("sysctl %s: %s → %s", l->name, l->old_value, l->new_value);
        case PLAN_SELINUX_MODE:
                return strprintf("SELinux mode: %s → %s", l->old_number ? "enforcing" : "permissive",
                                 l->new_number ? "enforcing" : "permissive");
        case PLAN_DAEMON_RELOAD:
                return strdup("systemd: daemon-reload");
        case PLAN_UNIT_RESTART:
                return strprintf("systemd: try-restart %s", l->name);
        case PLAN_MODULE_SIG_ENFORCE:
                return strprintf("kernel: only signed modules load from now on (sig_enforce: %s → %s; cannot be undone)",
                                 l->old_value, l->new_value);
        case PLAN_LOCKDOWN:
                return strprintf("kernel lockdown: %s → %s (cannot be undone)", l->old_value, l->new_value);
        case PLAN_MODULES_DISABLED:
                return strprintf("kernel.modules_disabled: %s → %s: no module loads until reboot (cannot be undone)",
                                 l->old_value, l->new_value);
        case PLAN_AUDIT_LOCK:
                return strdup("audit: lock the configuration until reboot (enabled 2)");
        default:
                return NULL;
        }
}

int plan_show(const Plan *p, FILE *f) {
        for (size_t i = 0; i < p->n_files; i++) {
                const PlanFile *pf = p->files + i;
                _cleanup_free_ char *a = strprintf("a%s", pf->path), *b = strprintf("b%s", pf->path);
                int r;

                if (!a || !b)
                        return -ENOMEM;
                if (pf->type == PLAN_FILE_SYMLINK) {
                        if (pf->new)
                                fprintf(f, "symlink %s → %s\n", pf->path, pf->new);
                        else
                                fprintf(f, "remove %s → %s\n", pf->path, strna(pf->old));
                        continue;
                }
                r = diff_unified(f, pf->exists ? a : "/dev/null", pf->exists ? pf->old : NULL,
                                 pf->new ? b : "/dev/null", pf->new, DIFF_CONTEXT_DEFAULT);
                if (r < 0)
                        return r;
        }

        if (p->n_live > 0) {
                fprintf(f, "%sLive changes:\n", p->n_files > 0 ? "\n" : "");
                for (size_t i = 0; i < p->n_live; i++) {
                        _cleanup_free_ char *s = plan_live_describe(p->live + i);

                        if (!s)
                                return -ENOMEM;
                        fprintf(f, "  %s\n", s);
                }
        }
        if (p->notes) {
                fprintf(f, "%sNot done:\n", plan_n_changes(p) > 0 ? "\n" : "");
                STRV_FOREACH(n, p->notes)
                        fprintf(f, "  %s\n", *n);
        }
        return ferror(f) ? -EIO : 0;
}
