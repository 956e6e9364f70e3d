/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <selinux/label.h>
#include <systemd/sd-bus.h>

#include "apply-fs.h"
#include "plan.h"

/* Carrying out a plan. Order: the temporary files a killed apply left are swept (plan_sweep()); the
 * interim record (Plan.record_interim) is written, so that the record names every file the apply may
 * write before it writes any; then the files (each replaced atomically), the live changes, the record of
 * the applied profile, and last what cannot be undone: module signature enforcement, lockdown, the
 * module loading lock and the audit lock. Once one of these is done, a failure after it leaves the
 * rollback incomplete (ret_result->rollback_failed), and the error names it. Every change made is
 * remembered with what was there before; when a step fails, they are undone in reverse order (files
 * written back atomically, directories made removed, live settings set back, systemd reloaded and the
 * restarted units restarted again) and the error names the failed step. */

typedef struct ApplyTargets {
        int root_fd;
        int proc_sys_fd;               /* for PLAN_SYSCTL and PLAN_MODULES_DISABLED */
        int sys_fd;                    /* /sys, for PLAN_MODULE_SIG_ENFORCE and PLAN_LOCKDOWN */
        int audit_fd;                  /* for the audit changes */
        sd_bus *bus;                   /* for daemon-reload and restarts */
        struct selabel_handle *labels; /* the running system's file contexts: new files and directories
                                        * get the label the policy gives their path; NULL: they get
                                        * what the kernel gives them (--root, SELinux off) */
        ApplyHook hook;                /* before each elementary step, also while rolling back; may be empty */
} ApplyTargets;

typedef struct ApplyResult {
        size_t done;          /* changes made (and kept) */
        size_t rolled_back;   /* changes undone after a failure */
        bool rollback_failed; /* some could not be undone: see the error */
} ApplyResult;

/* Returns 0 if every change was made; otherwise a negative errno, with everything undone that could
 * be, and *ret_error saying which step failed and how (and what could not be undone). */
int plan_execute(const Plan *p, const ApplyTargets *t, ApplyResult *ret_result, char **ret_error);

/* Removes the temporary files (atomic-file.h) a killed apply left in the directories of p->sweep_dirs
 * below root_fd. Only under apply's lock. Returns how many were removed, or a negative errno. */
int plan_sweep(const Plan *p, int root_fd);
