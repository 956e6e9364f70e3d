/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* hardenctl-measure: measures the enforced posture into the TPM, once at boot, run by
 * hardenctl-measure.service (see hardenctl-measure.service(8)).
 *
 *   hardenctl-measure measure [--require-tpm] [--posture=FILE] [--event-log=FILE]
 *
 * It reads the posture record hardenctl-posture wrote, extends PCR 8 with its events in their fixed
 * order and appends them to systemd's event log (/run/log/systemd/tpm2-measure.log). The TPM is
 * /dev/tpmrm0, or what $HARDENCTL_TPM2_TCTI names in tpm2-tss's syntax. Without a TPM (or without a
 * posture record) nothing is measured and it says so; with --require-tpm (the profile's
 * [Attest] RequireTPM=yes) that fails, and the unit's OnFailure= stops the boot. */

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
#include "string-util.h"
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

static int read_posture(Posture *ret) {
        _cleanup_free_ char *text = NULL, *error = NULL;
        size_t size;
        int r;

        r = read_full_file(arg_posture, 64 * 1024, &text, &size);
        if (r == -ENOENT)
                return r;
        if (r < 0)
                return log_error_errno(r, "Failed to read the posture record %s: %m", arg_posture);
        r = posture_from_json(text, ret, &error);
        if (r == -EBADMSG)
                return log_error_errno(r, "Invalid posture record %s: %s", arg_posture, error);
        if (r < 0)
                return log_error_errno(r, "Failed to read the posture record %s: %m", arg_posture);
        return 0;
}

static int verb_measure(int argc, char *argv[]) {
        _cleanup_(posture_done) Posture posture = {};
        _cleanup_(attest_log_done) AttestLog events = {};
        _cleanup_(attest_tpm_freep) AttestTpm *tpm = NULL;
        const char *tcti = getenv("HARDENCTL_TPM2_TCTI");
        uint64_t start = now(CLOCK_MONOTONIC);
        int r;

        r = read_posture(&posture);
        if (r == -ENOENT)
                return missing(r, "No posture record " POSTURE_RECORD_PATH);
        if (r < 0)
                return arg_require_tpm ? r : 0; /* logged; an unreadable record is never measured */

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
        log_info("Measured %zu events into PCR %u in %" PRIu64 " ms.", events.n, ATTEST_PCR,
                 (now(CLOCK_MONOTONIC) - start) / 1000);
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
        /* It hashes and asks the TPM to extend, and never encrypts nor reads a key. ESAPI links libcrypto
         * too, but an extend under the password session needs no cipher of it; so libcrypto's start-up
         * without the rest (and without openssl.cnf), before anything uses it. */
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
