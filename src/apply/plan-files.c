/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* The files side of the plan: what apply writes below the root, and what an earlier apply wrote that is
 * no longer wanted. */

#include <inttypes.h>

#include "apply-fs.h"
#include "kernel-util.h"
#include "path-util.h"
#include "plan-internal.h"
#include "selinux-config.h"
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

static PlanFile *files_push(Plan *p) {
        PlanFile *l = array_grow_pow2(p->files, p->n_files, sizeof(PlanFile));

        if (!l)
                return NULL;
        p->files = l;
        l[p->n_files] = (PlanFile){};
        return l + p->n_files++;
}

int plan_want_file(Builder *b, const char *path, const char *purpose, PlanFileType type, const char *want,
                   const char *unit, bool record) {
        _cleanup_(file_state_done) FileState st = {};
        PlanFile *f;
        int r;

        r = root_file_state(b->c->root_fd, path, APPLY_FILE_SIZE_MAX, &st);
        if (r == -EBADFD)
                return plan_fail(b, r, "%s exists and is not a regular file; refusing to touch it", path);
        if (r == -EFBIG)
                return plan_fail(b, r, "%s is larger than %u bytes; refusing to replace it", path, APPLY_FILE_SIZE_MAX);
        if (r < 0)
                return plan_fail(b, r, "cannot read %s: %s", path, strerror(-r));

        if (st.exists && st.symlink) {
                /* The only symbolic links hardenctl writes are masks; never follow one. */
                if (type != PLAN_FILE_SYMLINK || !streq(st.content, "/dev/null"))
                        return plan_fail(b, -ELOOP, "%s is a symbolic link (to %s); refusing to follow or replace it",
                                         path, st.content);
        } else if (st.exists && type == PLAN_FILE_SYMLINK && want)
                return plan_fail(b, -EEXIST, "%s exists and is a unit file, not a mask; refusing to replace it", path);

        if (!want && !st.exists)
                return 0;
        if (want && !st.exists) {
                _cleanup_free_ char *dir = NULL, *name = NULL;

                r = path_split_parent(path, &dir, &name);
                if (r >= 0)
                        r = root_check_dir(b->c->root_fd, dir);
                if (r == -ELOOP)
                        return plan_fail(
                                b, r,
                                "a symbolic link on the way to %s leads nowhere inside the root; refusing to follow it",
                                path);
                if (r == -ENOTDIR)
                        return plan_fail(b, r, "a file on the way to %s is in the way of its directory", path);
                if (r < 0)
                        return plan_fail(b, r, "cannot resolve the directory of %s: %s", path, strerror(-r));
        }
        if (want && st.exists && streq(st.content, want))
                return 0;
        if (record && want && st.exists) {
                /* The record changes only with what it records, not with the time of each apply. */
                _cleanup_(apply_record_done) ApplyRecord o = {}, n = {};

                if (apply_record_parse(st.content, &o) >= 0 && apply_record_parse(want, &n) >= 0 &&
                    o.incomplete == n.incomplete && streq(o.profile, n.profile) && streq(o.digest, n.digest) &&
                    streq_ptr(o.spec, n.spec) && strv_equal(o.files, n.files))
                        return 0;
        }

        f = files_push(b->plan);
        if (!f)
                return -ENOMEM;
        *f = (PlanFile){
                .path = strdup(path),
                .purpose = purpose,
                .type = st.symlink ? PLAN_FILE_SYMLINK : type,
                .record = record,
                .exists = st.exists,
                .old = TAKE_PTR(st.content),
                .old_mode = st.exists ? st.mode : 0644,
                .old_uid = st.uid,
                .old_gid = st.gid,
                .new = want ? strdup(want) : NULL,
                .unit = unit ? strdup(unit) : NULL,
        };
        if (!f->path || (want && !f->new) || (unit && !f->unit))
                return -ENOMEM;
        return 1;
}

static int want_owned(Builder *b, const char *path, const char *purpose, PlanFileType type, const char *new,
                      const char *unit) {
        if (strv_builder_extend(&b->owned, path) < 0)
                return -ENOMEM;
        return plan_want_file(b, path, purpose, type, new, unit, false);
}

#define APPLY_HEADER_TEXT "Automatically generated by hardenctl apply from profile "

static char *header(Builder *b, const char *comment) {
        return strprintf("%s " APPLY_HEADER_TEXT "%s.\n", comment, b->profile->name);
}

bool plan_text_is_ours(const char *text) {
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
                      "## once every rule is loaded; it is not in this file.\n",
                      f);
        if (a->backlog_limit != NUMBER_UNSET)
                fprintf(f, "-b %" PRIu64 "\n", a->backlog_limit);
        if (a->failure_mode >= 0)
                fprintf(f, "-f %d\n", a->failure_mode);
        if (a->rate_limit != NUMBER_UNSET)
                fprintf(f, "-r %" PRIu64 "\n", a->rate_limit);
        if (a->backlog_wait_time != NUMBER_UNSET)
                fprintf(f, "--backlog_wait_time %" PRIu64 "\n", a->backlog_wait_time);
        if (a->loginuid_immutable > 0)
                fputs("--loginuid-immutable\n", f);
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
                return plan_fail(b, -ELOOP, "%s is a symbolic link (to %s); refusing to follow or replace it",
                                 SELINUX_CONFIG_PATH, st.content);
        if (r < 0)
                return plan_want_file(b, SELINUX_CONFIG_PATH, "SELinux configuration", PLAN_FILE_REGULAR, "", NULL,
                                      false);

        r = selinux_config_update(st.exists ? st.content : NULL, &b->profile->selinux, &text);
        if (r < 0)
                return r;
        return plan_want_file(b, SELINUX_CONFIG_PATH, "SELinux configuration", PLAN_FILE_REGULAR, text, NULL, false);
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

                r = unit_confinement_text(b->profile, &body);
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

/* Whether a file still has the form apply gives it: a mask is a symbolic link to /dev/null; anything
 * else begins with the generated header. */
static bool stale_is_ours(const FileState *st, bool mask) {
        if (mask)
                return st->symlink && streq(st->content, "/dev/null");
        return !st->symlink && plan_text_is_ours(st->content);
}

/* Whether path is dir/name. */
static bool path_is_in_dir(const char *path, const char *dir, const char *name) {
        const char *rest = startswith(path, dir);

        return rest && rest[0] == '/' && streq(rest + 1, name);
}

int plan_owned_place(Builder *b, const char *path, char **ret_unit, bool *ret_mask) {
        const char *units = scope_systemd_dir[b->c->scope], *rest, *slash;
        _cleanup_free_ char *unit = NULL;
        bool mask = false;

        if (!path_is_normalized(path) || string_has_cc(path))
                return 0;
        rest = startswith(path, units);
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
                                return 0;
                        unit = strndup(rest, slash - 2 - rest);
                }
                if (!unit)
                        return -ENOMEM;
                if (isempty(unit))
                        return 0;
        } else if (!streq(path, APPLY_AUDIT_RULES_PATH) &&
                   !path_is_in_dir(path, scope_sysctl_dir[b->c->scope], APPLY_SYSCTL_NAME) &&
                   !path_is_in_dir(path, scope_modprobe_dir[b->c->scope], APPLY_MODPROBE_NAME))
                return 0;
        if (ret_unit)
                *ret_unit = TAKE_PTR(unit);
        if (ret_mask)
                *ret_mask = mask;
        return 1;
}

int plan_fixed_dirs(Builder *b, StrvBuilder *dirs) {
        ApplyScope scope = b->c->scope;
        int r;

        r = strv_builder_extend(dirs, scope_systemd_dir[scope]);
        if (r >= 0)
                r = strv_builder_extend(dirs, scope_sysctl_dir[scope]);
        if (r >= 0)
                r = strv_builder_extend(dirs, scope_modprobe_dir[scope]);
        if (r >= 0 && scope != APPLY_RUNTIME)
                r = strv_builder_consume(dirs, strndup(APPLY_AUDIT_RULES_PATH,
                                                       strrchr(APPLY_AUDIT_RULES_PATH, '/') - APPLY_AUDIT_RULES_PATH));
        if (r >= 0 && scope != APPLY_RUNTIME)
                r = strv_builder_consume(
                        dirs, strndup(SELINUX_CONFIG_PATH, strrchr(SELINUX_CONFIG_PATH, '/') - SELINUX_CONFIG_PATH));
        return r;
}

/* Files an earlier apply wrote that this profile no longer wants. The record only says what apply
 * once wrote: a file goes only if it is one of the kinds apply writes, at a place apply writes it,
 * and still as apply wrote it. An admin's own unit where a mask was, a drop-in edited by hand, or
 * whatever a record edited or carried over from elsewhere names, stays, with a note. */
static int plan_stale(Builder *b, const ApplyRecord *old) {
        _cleanup_strv_free_ char **owned = strv_copy(b->owned.l);
        int r;

        /* Sorted, so that a record of many files is compared in O(n log n). */
        if ((!owned && b->owned.l) || strv_sort(owned) < 0)
                return -ENOMEM;

        STRV_FOREACH(f, old->files) {
                _cleanup_(file_state_done) FileState st = {};
                _cleanup_free_ char *unit = NULL;
                bool mask = false;

                if (strv_contains_sorted(owned, b->owned.n, *f))
                        continue;
                r = plan_owned_place(b, *f, &unit, &mask);
                if (r < 0)
                        return r;
                if (r == 0)
                        continue;

                r = root_file_state(b->c->root_fd, *f, APPLY_FILE_SIZE_MAX, &st);
                if (r >= 0 && !st.exists)
                        continue;
                if (r >= 0 && !stale_is_ours(&st, mask)) {
                        r = plan_note(b,
                                      "%s is no longer wanted, but it is not as hardenctl apply wrote it; left as it is",
                                      *f);
                        if (r < 0)
                                return r;
                        continue;
                }
                /* What remains, or an error, is for plan_want_file() to plan or to explain. */
                r = plan_want_file(b, *f, "no longer wanted", mask ? PLAN_FILE_SYMLINK : PLAN_FILE_REGULAR, NULL, unit,
                                   false);
                if (r < 0)
                        return r;
        }
        return 0;
}

int plan_build_files(Builder *b, AuditRule **rules, size_t n_rules, const ApplyRecord *old) {
        const Profile *p = b->profile;
        ApplyScope scope = b->c->scope;
        int r = 0;

        if (scope != APPLY_RUNTIME && profile_wants_audit(p))
                r = plan_audit_file(b, rules, n_rules);
        if (r >= 0 && p->kernel.n_sysctl_settings > 0)
                r = plan_sysctl_file(b, p->kernel.sysctl_settings, p->kernel.n_sysctl_settings);
        if (r >= 0 && p->kernel.deny_modules)
                r = plan_modprobe_file(b);
        if (r >= 0 && scope != APPLY_RUNTIME && p->selinux.mode >= 0)
                r = plan_selinux_file(b);
        if (r >= 0)
                r = plan_units(b);
        if (r >= 0)
                r = plan_stale(b, old);
        return r;
}
