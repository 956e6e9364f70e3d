/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdio.h>
#include <sys/types.h>

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

/* The options a verb takes or not, one bit each; the verb tables say which. -h, --version and -q go with
 * any verb. */
typedef enum Option {
        OPTION_ROOT,
        OPTION_JSON,
        OPTION_LENIENT,
        OPTION_HASH_OFFSET,
        OPTION_DRY_RUN,
        OPTION_RUNTIME,
        OPTION_FORMAT,
        OPTION_OUTPUT,
        OPTION_JOURNAL,
        OPTION_PRIVATE_KEY,
        OPTION_CERTIFICATE,
        OPTION_NODE_PROBLEM_DETECTOR,
        OPTION_USR_ROOT_HASH,
        OPTION_POLICY_VERSION,
        OPTION_NONCE,
        OPTION_GOLDEN,
        OPTION_AK,
        OPTION_IPE_POLICY,
        OPTION_EVENT_LOG,
        OPTION_PCRS,
        OPTION_POSTURE,
        _OPTION_MAX,
} Option;

#define O(option) (UINT64_C(1) << OPTION_##option)

/* As they are written, for the verb tables' messages. */
extern const char *const option_names[_OPTION_MAX];

/* Set from the command line, once, in parse_argv(). */
extern uint64_t arg_options; /* the options given, O() bits */
extern const char *arg_root;
extern JsonMode arg_json;
extern bool arg_lenient;
extern bool arg_quiet;
extern uint64_t arg_hash_offset;
extern bool arg_dry_run;
extern bool arg_runtime;
extern const char *arg_format; /* as given: each command that takes it parses it */
extern const char *arg_output;
extern bool arg_journal;
extern bool arg_node_problem_detector;
extern const char *arg_private_key;
extern const char *arg_certificate;
extern const char *arg_usr_root_hash;
extern const char *arg_policy_version;
extern const char *arg_nonce;
extern const char *arg_golden;
extern const char *arg_ak;
extern const char *arg_ipe_policy;
extern const char *arg_event_log;
extern const char *arg_posture; /* attest: the posture record to send */
extern uint32_t arg_pcrs;       /* attest: the PCRs to quote besides ATTEST_PCR, bit N for PCR N */

/* Writes what write_fn writes to the stream it is given into path (--output=). A regular file (or a new
 * one) is replaced atomically: a temporary file in the same directory, synced, renamed over it, and the
 * directory synced; it keeps the mode of the file it replaces, a new one gets new_mode. Anything else
 * there (/dev/stdout, a pipe, a symlink) is never replaced: the output is written into it. what names the
 * output in messages ("report"). Logs failures. */
typedef int (*output_write_t)(FILE *f, const void *userdata);
int output_write(const char *path, const char *what, mode_t new_mode, output_write_t write_fn, const void *userdata);

/* Bytes to write, for output_write() with write_blob(). */
typedef struct Blob {
        const void *data;
        size_t size;
} Blob;
int write_blob(FILE *f, const void *userdata);

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
/* The same into f, for output_write(): userdata is the struct json_object. */
int write_json(FILE *f, const void *userdata);

/* The golden values (attest-golden.h) of an image: the profile spec (NULL: the boot profile below --root=),
 * the /usr root hash (NULL: the profile's RootHash=, if it is one), the signer's --certificate= and the
 * shipped --ipe-policy=. Returns 0, EXIT_INVALID_PROFILE (>0), or a negative errno; logs failures. */
int golden_values_build(const char *spec, const char *usr_root_hash, struct json_object **ret);
int flush_stdout(void);

int verb_validate(int argc, char *argv[]);
int verb_list_profiles(int argc, char *argv[]);
int verb_cat_profile(int argc, char *argv[]);
int verb_show_profile(int argc, char *argv[]);
int verb_boot_files(int argc, char *argv[]);
int verb_verity(int argc, char *argv[]);
int verb_exec_policy(int argc, char *argv[]);
int verb_apply(int argc, char *argv[]);
int verb_status(int argc, char *argv[]);
int verb_check(int argc, char *argv[]);
int verb_report(int argc, char *argv[]);
int verb_attest(int argc, char *argv[]);
int verb_verify_attestation(int argc, char *argv[]);
