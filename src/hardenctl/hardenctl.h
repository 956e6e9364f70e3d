/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "macro.h"
#include "profile-load.h"

struct json_object;

/* Exit codes, documented in hardenctl(8). "The host is not compliant" and "the profile is invalid" are
 * outcomes, kept apart from "the tool failed". */
enum {
        EXIT_OK = 0,
        EXIT_FAILED = 1,
        EXIT_NOT_COMPLIANT = 2,
        EXIT_INVALID_PROFILE = 3,
        EXIT_INCOMPLETE = 4,          /* check: no rule failed, but some could not be evaluated */
        EXIT_ROLLBACK_INCOMPLETE = 5, /* apply: a step failed, and not everything could be undone */
};

typedef enum JsonMode {
        JSON_OFF,
        JSON_PRETTY,
        JSON_SHORT,
} JsonMode;

/* Set from the command line, once, in parse_argv(). */
extern const char *arg_root;
extern JsonMode arg_json;
extern bool arg_lenient;
extern bool arg_quiet;
extern uint64_t arg_hash_offset;
extern bool arg_dry_run;
extern bool arg_runtime;
extern int arg_format; /* ReportFormat */
extern const char *arg_output;
extern bool arg_journal;

/* Fills o for loading profiles below --root (root_fd must stay open while o is used). */
int load_options_init(ProfileLoadOptions *o, int *root_fd, char ***search_path);

/* Logs every diagnostic, errors as errors and the rest as warnings. */
void diags_log(const ProfileDiags *d);

/* Loads spec with o, below its root; with spec NULL, the boot profile, as the boot path finds it there.
 * Logs the profile's problems. Returns 0 and the profile, EXIT_INVALID_PROFILE (>0) if it is invalid or
 * missing (logged), <0 on other failures (logged). */
int load_profile(ProfileLoadOptions *o, const char *spec, Profile **ret);

/* Writes s and a newline to stdout; a failed flush is an error (-EIO), as in util-linux. */
int json_print(struct json_object *j);
int flush_stdout(void);

int verb_validate(int argc, char *argv[]);
int verb_list_profiles(int argc, char *argv[]);
int verb_cat_profile(int argc, char *argv[]);
int verb_show_profile(int argc, char *argv[]);
int verb_boot_files(int argc, char *argv[]);
int verb_verity(int argc, char *argv[]);
int verb_apply(int argc, char *argv[]);
int verb_status(int argc, char *argv[]);
int verb_check(int argc, char *argv[]);
int verb_report(int argc, char *argv[]);
