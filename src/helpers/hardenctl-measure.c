/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* hardenctl-measure: records the enforced posture and measures it into the TPM, once at boot, run by
 * hardenctl-measure.service (see hardenctl-measure.service(8)).
 *
 *   hardenctl-measure measure [--require-tpm] [--posture=FILE] [--event-log=FILE]
 *
 * It reads the live posture (posture_read()) and the digest of the boot profile, and writes the posture
 * record (/run/hardenctl/posture.json) atomically. What cannot be read is written as unknown (the
 * record's "unknown" member), never left out silently; only a record that cannot be written fails. Then
 * it extends PCR 8 with the posture's events in their fixed order and appends them to systemd's event
 * log (/run/log/systemd/tpm2-measure.log). The TPM is /dev/tpmrm0, or what $HARDENCTL_TPM2_TCTI names in
 * tpm2-tss's syntax. Without a TPM nothing is measured and it says so; with --require-tpm (the profile's
 * [Attest] RequireTPM=yes) that fails, and the unit's OnFailure= stops the boot. One process does both:
 * what is measured is what was recorded, and a second process would load libcrypto and json-c again. */

#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <sys/stat.h>

#include "atomic-file.h"
#include "attest-event.h"
#include "attest-tpm.h"
#include "boot.h"
#include "digest.h"
#include "fs-util.h"
#include "log.h"
#include "path-util.h"
#include "posture.h"
#include "string-util.h"
#include "test-hooks.h"
#include "time-util.h"
#include "verbs.h"

static bool arg_require_tpm = false;
static const char *arg_posture = POSTURE_RECORD_PATH;
static const char *arg_event_log = ATTEST_LOG_PATH;

/* Without what measuring needs: a notice, or with --require-tpm a failure. */
static int missing(int error, const char *what) {
        if (arg_require_tpm)
                return log_error_errno(error, "%s, and the profile requires a TPM measurement: refusing to boot.", what);
        log_notice("%s: nothing measured.", what);
        return 0;
}

/* The digest of the boot profile, as hardenctl apply and attest golden compute it: over the sources'
 * text, so the typed values (parsed audit rules, merged sysctl settings) are not built. */
static int boot_profile_digest(char **ret) {
        _cleanup_(profile_freep) Profile *p = NULL;
        int r;

        r = boot_profile_load_full(BOOT_LOAD_QUIET | BOOT_LOAD_UNTYPED | BOOT_LOAD_KEEP_TEXT, &p);
        if (r < 0)
                return r;
        if (r == 0)
                return -ENOENT;
        return profile_digest(p, ret);
}

/* The posture a test gives in place of the live one (a record, profile digest included). */
static int read_test_posture(const char *path, Posture *ret) {
        _cleanup_free_ char *text = NULL, *error = NULL;
        size_t size;
        int r;

        r = read_full_file(path, 64 * 1024, &text, &size);
        if (r < 0)
                return log_error_errno(r, "Failed to read the test posture %s: %m", path);
        r = posture_from_json(text, ret, &error);
        if (r == -EBADMSG)
                return log_error_errno(r, "Invalid test posture %s: %s", path, error);
        if (r < 0)
                return log_error_errno(r, "Failed to read the test posture %s: %m", path);
        return 0;
}

/* The live posture, and the digest of the boot profile. What cannot be read is marked unknown. */
static int read_live_posture(const char *root, Posture *posture) {
        int r;

        r = posture_read(root, posture);
        if (r == -ENOMEM)
                return log_oom();
        if (r < 0) {
                /* Not even the root: a record that says nothing is known, rather than none. */
                log_warning_errno(r, "Cannot read the posture below %s: %m", root);
                *posture = (Posture){ .unknown = POSTURE_UNKNOWN_USR | POSTURE_UNKNOWN_IPE | POSTURE_UNKNOWN_SELINUX |
                                                 POSTURE_UNKNOWN_LOCKDOWN | POSTURE_UNKNOWN_SECURE_BOOT |
                                                 POSTURE_UNKNOWN_AUDIT_LOCKED };
        }
        r = boot_profile_digest(&posture->profile_digest);
        if (r == -ENOMEM)
                return log_oom();
        if (r < 0) {
                log_warning_errno(r, "Cannot compute the digest of the boot profile " BOOT_PROFILE_PATH ": %m");
                posture->unknown |= POSTURE_UNKNOWN_PROFILE_DIGEST;
        }
        for (unsigned i = 0; i < _POSTURE_UNKNOWN_N; i++)
                if (posture->unknown & (1U << i))
                        log_warning("Posture: %s could not be read; the record says it is unknown.",
                                    posture_unknown_to_string(1U << i));
        return 0;
}

/* Reads the posture (the live one, or a test's) into *posture and writes the record. */
static int record(Posture *posture) {
        _cleanup_free_ char *text = NULL;
        const char *test = test_hook_env("HARDENCTL_TEST_POSTURE");
        int r;

        r = test ? read_test_posture(test, posture) : read_live_posture(getenv("HARDENCTL_ROOT") ?: "/", posture);
        if (r < 0)
                return r;

        r = posture_to_json(posture, &text);
        if (r < 0)
                return log_error_errno(r, "Cannot encode the posture record: %m");

        r = atomic_file_write(arg_posture, text, strlen(text), 0644, 0);
        if (r < 0)
                return log_error_errno(r, "Cannot write the posture record %s: %m", arg_posture);
        log_info("Posture recorded in %s%s.", arg_posture, posture->unknown ? " (with unknowns)" : "");
        return 0;
}

static int verb_measure(int argc, char *argv[]) {
        _cleanup_(posture_done) Posture posture = {};
        _cleanup_(attest_log_done) AttestLog events = {};
        _cleanup_(attest_tpm_freep) AttestTpm *tpm = NULL;
        const char *tcti = getenv("HARDENCTL_TPM2_TCTI");
        uint64_t start, start_cpu;
        int r;

        r = test_hooks_refuse_env();
        if (r < 0)
                return r;
        r = record(&posture);
        if (r < 0)
                return r;

        /* What measuring adds to the boot: from here on, in time and in CPU. */
        start = now(CLOCK_MONOTONIC);
        start_cpu = now(CLOCK_PROCESS_CPUTIME_ID);
        r = attest_tpm_open(isempty(tcti) ? NULL : tcti, &tpm);
        if (r == -ENODEV)
                return missing(r, "No TPM (" ATTEST_TPM_DEVICE ")");
        if (r == -EOPNOTSUPP)
                return missing(r, "tpm2-tss (" ATTEST_TPM_LIBRARY ") is not installed");
        if (r < 0)
                return log_error_errno(r, "Cannot talk to the TPM %s: %m", isempty(tcti) ? ATTEST_TPM_DEVICE : tcti);

        r = attest_log_from_posture(&posture, &events);
        if (r < 0)
                return log_oom();
        r = attest_measure(tpm, &events, arg_event_log);
        if (r == -EALREADY) {
                log_info("The posture was measured already in this boot (%s), not again.", arg_event_log);
                return 0;
        }
        if (r == -EBADMSG)
                return log_error_errno(r, "The event log %s is malformed: not measuring into it.", arg_event_log);
        if (r < 0)
                return log_error_errno(r, "Failed to measure the posture into PCR %u (log %s): %m", ATTEST_PCR,
                                       arg_event_log);
        tpm = attest_tpm_free(tpm);
        log_info("Measured %zu events into PCR %u in %" PRIu64 " ms (%" PRIu64 " ms of CPU).", events.n, ATTEST_PCR,
                 (now(CLOCK_MONOTONIC) - start) / 1000, (now(CLOCK_PROCESS_CPUTIME_ID) - start_cpu) / 1000);
        return 0;
}

static const Verb verbs[] = {
        { "measure", 0, 0, verb_measure, "" },
};

static const VerbTable verb_table = {
        .verbs = verbs,
        .n_verbs = ELEMENTSOF(verbs),
};

int main(int argc, char *argv[]) {
        enum {
                ARG_REQUIRE_TPM = 0x100,
                ARG_POSTURE,
                ARG_EVENT_LOG,
        };
        static const struct option options[] = {
                { "require-tpm", no_argument, NULL, ARG_REQUIRE_TPM },
                { "posture", required_argument, NULL, ARG_POSTURE },
                { "event-log", required_argument, NULL, ARG_EVENT_LOG },
                {},
        };
        int c, r;

        log_set_prefix("hardenctl-measure");
        log_parse_environment();
        /* It hashes (the boot profile, the IPE policy, the events) and asks the TPM to extend, and never
         * encrypts nor reads a key. ESAPI links libcrypto too, but an extend under the password session
         * needs no cipher of it; so libcrypto's start-up without the rest (and without openssl.cnf),
         * before anything uses it. */
        if (digest_crypto_init() < 0) {
                log_oom();
                return EXIT_FAILURE;
        }

        while ((c = getopt_long(argc, argv, "", options, NULL)) >= 0)
                switch (c) {
                case ARG_REQUIRE_TPM:
                        arg_require_tpm = true;
                        break;
                case ARG_POSTURE:
                        arg_posture = optarg;
                        break;
                case ARG_EVENT_LOG:
                        arg_event_log = optarg;
                        break;
                default:
                        return EXIT_FAILURE;
                }

        r = verbs_dispatch(&verb_table, argc - optind, argv + optind, 0);
        return r < 0 ? EXIT_FAILURE : EXIT_SUCCESS;
}
