/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* The fixture of the apply tests: a temporary root, a profile loaded from it, a plan built against it
 * (and carried out, with nothing live), and lookups in that plan. */

#include <fcntl.h>

#include "apply-exec.h"
#include "apply-live.h"
#include "fs-util.h"
#include "plan.h"
#include "profile-load.h"
#include "tests.h"

static char *root;
static int root_fd = -EBADF;

static inline void setup(void) {
        root = test_tmpdir();
        root_fd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC);
        ck_assert_int_ge(root_fd, 0);
}

static inline void teardown(void) {
        root_fd = safe_close(root_fd);
        test_tmpdir_remove(root);
        root = NULL;
}

static inline Profile *load(const char *text) {
        _cleanup_(profile_diags_done) ProfileDiags diags = {};
        ProfileLoadOptions o = { .root_fd = root_fd, .flags = PROFILE_LOAD_STRICT | PROFILE_LOAD_KEEP_TEXT };
        Profile *p = NULL;

        test_write(root, "usr/lib/hardenctl/profiles/t.profile", text);
        ck_assert_int_eq(profile_load(&o, "t", &p, &diags), 0);
        return p;
}

static const char profile_text[] = "[Audit]\n"
                                   "Rule=-w /etc/hosts -p wa -k hosts\n"
                                   "BacklogLimit=8192\n"
                                   "[Kernel]\n"
                                   "Sysctl=kernel.kptr_restrict=1\n"
                                   "Sysctl=kernel.kptr_restrict=2\n"
                                   "Sysctl=net.core.bpf_jit_harden=2\n"
                                   "Sysctl=kernel.missing=1\n"
                                   "[SELinux]\n"
                                   "Mode=enforcing\n"
                                   "Context=web.service system_u:system_r:httpd_t:s0\n"
                                   "[Services]\n"
                                   "Confine=web.service\n"
                                   "NoNewPrivileges=yes\n"
                                   "Mask=debug-shell.service\n";

static inline Plan *build(const Profile *p, ApplyScope scope, const LiveState *live, int expect) {
        _cleanup_free_ char *error = NULL;
        PlanContext c = { .scope = scope, .root_fd = root_fd, .live = live, .now_usec = 1700000000ULL * 1000000ULL };
        Plan *plan = NULL;

        ck_assert_msg(plan_build(p, "t", &c, &plan, &error) == expect, "plan_build: %s", strna(error));
        if (expect < 0) {
                ck_assert_ptr_nonnull(error);
                return NULL;
        }
        return plan;
}

static inline const PlanFile *find_file(const Plan *p, const char *path) {
        for (size_t i = 0; i < p->n_files; i++)
                if (streq(p->files[i].path, path))
                        return p->files + i;
        return NULL;
}

static inline size_t count_live(const Plan *p, PlanLiveType t) {
        size_t n = 0;
        for (size_t i = 0; i < p->n_live; i++)
                n += p->live[i].type == t;
        return n;
}

static inline const PlanLive *find_live(const Plan *p, PlanLiveType t) {
        for (size_t i = 0; i < p->n_live; i++)
                if (p->live[i].type == t)
                        return p->live + i;
        return NULL;
}

static inline char *read_below_root(const char *path) {
        _cleanup_free_ char *full = path_join(root, path);
        _cleanup_close_ int fd = open(full, O_RDONLY | O_CLOEXEC);
        char *c = NULL;

        if (fd < 0)
                return NULL;
        ck_assert_int_eq(read_full_fd(fd, 1 << 20, &c, NULL), 0);
        return c;
}

static inline void apply_or_die(const Profile *p, const char *spec, const ApplyHook *hook, int expect, ApplyResult *res,
                                char **ret_error) {
        _cleanup_(plan_freep) Plan *plan = NULL;
        _cleanup_free_ char *error = NULL;
        PlanContext c = { .scope = APPLY_IMAGE, .root_fd = root_fd, .now_usec = 1 };
        ApplyTargets t = { .root_fd = root_fd, .proc_sys_fd = -EBADF, .sys_fd = -EBADF, .audit_fd = -1 };

        if (hook)
                t.hook = *hook;
        ck_assert_msg(plan_build(p, spec, &c, &plan, &error) == 0, "%s", strna(error));
        ck_assert_msg(plan_execute(plan, &t, res, &error) == expect, "%s", strna(error));
        if (ret_error)
                *ret_error = TAKE_PTR(error);
}
