/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* The context a check runs in: the profile, the tree and its caches of what the probes read, and the
 * results it adds to the report. */

#include <fcntl.h>
#include <libaudit.h>
#include <libmount.h>
#include <sys/stat.h>
#include <systemd/sd-bus.h>

#include "boot.h"
#include "compliance.h"
#include "fs-util.h"
#include "profile-load.h"
#include "probe.h"
#include "string-util.h"
#include "strv.h"

int check_context_init(CheckContext *c, const Profile *p, ComplianceReport *report, int root_fd, const char *root) {
        int r;

        r = dir_fd_is_host_root(root_fd);
        if (r < 0)
                return r;
        *c = (CheckContext){
                .profile = p,
                .report = report,
                .root_fd = root_fd,
                .root = root,
                .live = r > 0,
                .read_left = CHECK_READ_BUDGET,
                .audit_fd = -EBADF,
        };
        return 0;
}

void check_context_done(CheckContext *c) {
        mnt_unref_table(c->mounts);
        free(c->cmdline);
        dpkg_database_done(&c->dpkg);
        accounts_done(&c->accounts);
        sudo_findings_done(&c->sudo);
        if (c->audit_fd >= 0)
                audit_close(c->audit_fd);
        for (size_t i = 0; i < c->n_audit_rules; i++)
                free(c->audit_rules[i]);
        free(c->audit_rules);
        profile_free(c->boot_profile);
        free(c->boot_profile_error);
        free(c->listening);
        walk_result_done(&c->walk);
        sysctl_assignments_free(c->sysctl_d, c->n_sysctl_d);
        probe_files_free(c->files, c->n_files);
        for (size_t i = 0; i < _CONF_SET_MAX; i++)
                conf_texts_done(c->conf + i);
        strv_free(c->unit_links);
        sd_bus_flush_close_unref(c->bus);
        strv_builder_done(&c->scratch);
        *c = (CheckContext){ .audit_fd = -EBADF };
}

int probe_boot_profile(CheckContext *c, const Profile **ret) {
        if (!c->boot_profile_done) {
                _cleanup_(profile_diags_done) ProfileDiags diags = {};

                c->boot_profile_done = true;
                c->boot_profile_r = boot_profile_load_at(c->root_fd, 0, &c->boot_profile, &diags);
                if (c->boot_profile_r == 0)
                        c->boot_profile_r = -ENOENT;
                /* The problem that made it unusable, for the evidence. */
                for (size_t i = 0; c->boot_profile_r == -EBADMSG && i < diags.n && !c->boot_profile_error; i++)
                        if (diags.items[i].fatal)
                                c->boot_profile_error = profile_diag_format(diags.items + i);
        }
        if (c->boot_profile_r < 0)
                return c->boot_profile_r;
        *ret = c->boot_profile;
        return 0;
}

int check_begin(CheckContext *c, const ComplianceRule *rule, const char *instance, ComplianceResult **ret) {
        ComplianceReport *rep = c->report;
        ComplianceResult *l;
        char *inst = NULL;

        if (instance) {
                inst = strdup(instance);
                if (!inst)
                        return -ENOMEM;
        }
        /* Room for powers of two, grown when full: appends in amortized constant time. */
        l = array_grow_pow2(rep->results, rep->n_results, sizeof(ComplianceResult));
        if (!l) {
                free(inst);
                return -ENOMEM;
        }
        rep->results = l;
        l[rep->n_results] = (ComplianceResult){ .rule = rule, .instance = inst, .result = RULE_ERROR };
        *ret = l + rep->n_results++;
        return 0;
}

int result_missing_state(CheckContext *c, ComplianceResult *x, int error, const char *what) {
        if (error == -ENOENT && !c->live)
                return result_offline(x, what);
        return result_errno(x, error, what);
}

const char *check_tmp(CheckContext *c, const char *format, ...) {
        va_list ap;
        char *m;

        va_start(ap, format);
        m = vstrprintf(format, ap);
        va_end(ap);
        if (!m || strv_builder_consume(&c->scratch, m) < 0)
                return NULL;
        return m;
}

void check_tmp_clear(CheckContext *c) {
        strv_builder_done(&c->scratch);
}
