/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "attest-event.h"

/* The TPM, through tpm2-tss (ESAPI and the TCTI loader): extending the PCR, reading it, and quoting it
 * with an attestation key. */

/* Where the TPM is when nothing else is said: the kernel's resource manager. */
#define ATTEST_TPM_DEVICE "/dev/tpmrm0"
#define ATTEST_TPM_DEFAULT_TCTI "device:" ATTEST_TPM_DEVICE

/* The attestation key's saved context, kept for the boot. */
#define ATTEST_AK_CONTEXT_PATH "/run/hardenctl/attest-ak.ctx"

typedef struct AttestTpm AttestTpm;

/* tpm2-tss's ESAPI, which attest_tpm_open() loads (with the TCTI loader and libtss2-rc). */
#define ATTEST_TPM_LIBRARY "libtss2-esys.so.0"

/* Opens the TPM the TCTI configuration names (tpm2-tss's syntax: "device:/dev/tpmrm0",
 * "swtpm:host=127.0.0.1,port=2321"); NULL for ATTEST_TPM_DEFAULT_TCTI. Returns 0, -ENODEV if tcti is NULL
 * and the host has no TPM device, -EOPNOTSUPP if tpm2-tss's libraries cannot be loaded, or another negative
 * errno (-EIO if tpm2-tss cannot talk to it). */
int attest_tpm_open(const char *tcti, AttestTpm **ret);
AttestTpm *attest_tpm_free(AttestTpm *t);
DEFINE_TRIVIAL_CLEANUP_FUNC(AttestTpm *, attest_tpm_free);

/* PCR pcr of the SHA-256 bank: extended with digest, or read. */
int attest_tpm_extend(AttestTpm *t, unsigned pcr, const uint8_t digest[static ATTEST_DIGEST_SIZE]);
int attest_tpm_read_pcr(AttestTpm *t, unsigned pcr, uint8_t ret[static ATTEST_DIGEST_SIZE]);

#define ATTEST_PCR_COUNT 24U /* the PCRs of a PC client TPM, 0 to 23 */

typedef struct AttestQuote {
        uint8_t *attest; /* TPMS_ATTEST, as the TPM signed it */
        size_t attest_size;
        uint8_t *signature; /* TPMT_SIGNATURE, marshalled */
        size_t signature_size;
        uint8_t *ak_public; /* TPM2B_PUBLIC, marshalled */
        size_t ak_public_size;
        uint32_t pcr_mask;                                        /* the PCRs quoted, bit N for PCR N (SHA-256 bank) */
        uint8_t pcr_values[ATTEST_PCR_COUNT][ATTEST_DIGEST_SIZE]; /* of those, read right after the quote */
        uint8_t *ek_certificate; /* the TPM's EK certificate (DER) from its NV index, if it has one */
        size_t ek_certificate_size;
} AttestQuote;

void attest_quote_done(AttestQuote *q);

/* Quotes the PCRs of pcr_mask (bit N for PCR N, SHA-256 bank; at least one) with nonce as the qualifying
 * data (at most 64 bytes), signed by the
 * attestation key: an ECC P-256 restricted signing key, a primary key of the endorsement hierarchy. Its
 * context is kept in ak_context_path (NULL: not kept) and used again while the TPM has not been reset.
 * Returns 0 or a negative errno. */
int attest_tpm_quote(AttestTpm *t, const char *ak_context_path, const uint8_t *nonce, size_t nonce_size,
                     uint32_t pcr_mask, AttestQuote *ret);

/* Measures the events of l: for each, the PCR extended, then its record appended to the log at log_path
 * (created 0600 with its directory if need be). The log is held with an exclusive flock(2) meanwhile, and
 * carries the sticky bit while a measurement is under way (as systemd marks an incomplete log), so that a
 * reader holding a shared lock sees a log and PCR values that agree. Measures once: returns -EALREADY
 * if the log already has hardenctl's events, -EBADMSG if it cannot be parsed; otherwise 0 or a negative
 * errno. */
int attest_measure(AttestTpm *t, const AttestLog *l, const char *log_path);

/* Opens the log at log_path for reading under a shared lock (held while the fd is open), and reads it.
 * Returns the fd and its text, or -ENOENT if there is none. */
int attest_log_open_locked(const char *log_path, char **ret_text, size_t *ret_size);
