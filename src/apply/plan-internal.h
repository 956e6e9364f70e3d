/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "plan.h"
#include "strv.h"

/* What the parts of plan_build() share: plan.c (the entry point), plan-files.c (the files below the
 * root), plan-live.c (the live state), apply-record.c (the record of the applied profile). Not for use
 * outside src/apply. */

typedef struct Builder {
        const Profile *profile;
        const PlanContext *c;
        Plan *plan;
        StrvBuilder owned; /* every file the profile wants that the record lists, changed or not */
        bool lock_modules; /* Sysctl=kernel.modules_disabled=1: planned as ModuleLoading=locked is */
        char **error;
} Builder;

/* Sets *b->error (the first time only) and returns r. */
int plan_fail(Builder *b, int r, const char *format, ...) _printf_(3, 4);

/* Adds a note: what is not done, and why. */
int plan_note(Builder *b, const char *format, ...) _printf_(2, 3);

/* plan-files.c */

/* Adds a file to the plan if what is there differs from what must be (want: NULL to remove). Refuses
 * targets that are symbolic links where a file is wanted, and anything that is not a regular file or
 * a mask. Returns 1 if planned, 0 if already right. */
int plan_want_file(Builder *b, const char *path, const char *purpose, PlanFileType type, const char *want,
                   const char *unit, bool record);

/* Whether path is a place apply writes a file it owns (a mask, one of its drop-ins, its audit rules,
 * sysctl or modprobe.d file, in the scope's directories): 1 if so, with the unit (of a mask or drop-in,
 * or NULL) and whether it is a mask; 0 if not; -ENOMEM. ret_unit and ret_mask may be NULL. */
int plan_owned_place(Builder *b, const char *path, char **ret_unit, bool *ret_mask);

/* Appends the directories apply writes its files in for the scope, whatever the profile: those of
 * systemd's units, sysctl.d, modprobe.d, the audit rules and the SELinux configuration. */
int plan_fixed_dirs(Builder *b, StrvBuilder *dirs);

/* Whether a file's text begins with the header apply writes. */
bool plan_text_is_ours(const char *text) _pure_;

/* The files, in the order they are written; old is the record of an earlier apply (files it wrote that
 * are no longer wanted go). */
int plan_build_files(Builder *b, AuditRule **rules, size_t n_rules, const ApplyRecord *old);

/* plan-live.c: the live state, in the order it is changed. */
int plan_build_live(Builder *b, AuditRule **rules, size_t n_rules);

/* apply-record.c */

/* The record an earlier apply left for this scope; an empty one if there is none or it cannot be read. */
int plan_read_record(Builder *b, ApplyRecord *ret);

/* The record of this apply, planned last; it changes only when something it records does. Then, if
 * anything else changes, also the interim record (Plan.record_interim), and in any case the directories
 * swept of stale temporary files (Plan.sweep_dirs). */
int plan_record(Builder *b, const ApplyRecord *old);
