/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <openssl/evp.h>

#include "attest-event.h"
#include "attest-tpm.h"

struct json_object;

/* The attestation document: one JSON object, what hardenctl attest prints and verify-attestation reads.
 *   {"schemaVersion":1, "pcr":8, "hashAlg":"sha256", "nonce":HEX,
 *    "quote": base64 TPMS_ATTEST, "signature": base64 TPMT_SIGNATURE,
 *    "akPublic": {"pem": PEM, "tpm2bPublic": base64 TPM2B_PUBLIC},
 *    "pcrs": {"8": HEX, and every other PCR quoted}, "eventLog": [records as in the log],
 *    "ekCertificate": base64 DER, if the TPM holds one (the verifier decides whether to trust it),
 *    "posture": the posture record (posture.h) the boot wrote, as reports carry it, if there is one} */
#define ATTEST_DOCUMENT_SCHEMA_VERSION 1

int attest_document_build(const AttestQuote *q, const uint8_t *nonce, size_t nonce_size, const AttestLog *log,
                          struct json_object **ret);

/* The public key of a marshalled TPM2B_PUBLIC (ECC P-256 or RSA), for libcrypto. */
int attest_public_to_pkey(const uint8_t *data, size_t size, EVP_PKEY **ret);

/* Verifies a document: the quote's signature by its AK (and that the AK is expected_ak, if given), the
 * nonce, that the quoted PCR digest is the one PCR 8's event log replays to together with the document's
 * values of the other PCRs quoted (which it so binds), and that hardenctl's events are the golden ones, in
 * order, and that the posture record the document carries, if any, gives the events measured. Every
 * problem found is appended to *ret_problems as a sentence naming it ("nonce differs",
 * "profile digest differs", ...); the PCRs quoted (bit N for PCR N) into *ret_pcr_mask if not NULL.
 * Returns 0 (verified if no problem was added), or -EBADMSG with *ret_error if the document is
 * malformed. */
int attest_verify(struct json_object *doc, const uint8_t *nonce, size_t nonce_size, const AttestLog *golden,
                  EVP_PKEY *expected_ak, char ***ret_problems, uint32_t *ret_pcr_mask, char **ret_error);
