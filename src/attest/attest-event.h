/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "macro.h"
#include "posture.h"

struct json_object;

/* What hardenctl measures into the TPM, and the event log a verifier replays.
 *
 * The PCR: 8. The firmware owns 0-7, systemd 5, 11, 12, 13 and 15 (and systemd-stub 9 for the initrd),
 * the kernel's IMA 10, shim 14; 16 and 23 can be reset by anyone with access to the TPM, 17-22 belong to
 * DRTM. Only GRUB's TPM module writes PCR 8 (its command lines): a host booted through systemd-boot, a
 * UKI or a plain kernel leaves it to us. See hardenctl-measure.service(8).
 *
 * The events, one a SHA-256 extension, in this order (a verifier matches them by position and name):
 *   profile     "hardenctl-profile:sha256:HEX"             the profile in force ("...:none" if unknown)
 *   usr         "hardenctl-usr:rootHash=HEX;verified=yes;signed=yes;signer=FINGERPRINT"   ("...:none"
 *               without a verity /usr; signer is the SHA-256 of the certificate the signature carries)
 *   ipe         "hardenctl-ipe:digest=sha256:HEX;enforce=yes"  ("...:none" if no policy is active)
 *   selinux     "hardenctl-selinux:enforcing|permissive|disabled"
 *   audit-lock  "hardenctl-audit-lock:yes|no"
 * Each event's digest is SHA-256 of its string (no terminating NUL), as systemd-pcrextend measures its
 * words.
 *
 * The log: systemd's userspace measurement log, /run/log/systemd/tpm2-measure.log, JSON-SEQ (RFC 7464:
 * each record 0x1E, a JSON object, a newline), records as systemd writes them:
 *   {"pcr":8,"digests":[{"hashAlg":"sha256","digest":"HEX"}],"content_type":"systemd",
 *    "content":{"string":"hardenctl-profile:sha256:..."}} */

#define ATTEST_PCR 8U
#define ATTEST_LOG_PATH "/run/log/systemd/tpm2-measure.log"
#define ATTEST_DIGEST_SIZE 32U
#define ATTEST_LOG_MAX (4U * 1024U * 1024U)

typedef enum AttestEventKind {
        ATTEST_EVENT_PROFILE,
        ATTEST_EVENT_USR,
        ATTEST_EVENT_IPE,
        ATTEST_EVENT_SELINUX,
        ATTEST_EVENT_AUDIT_LOCK,
        _ATTEST_EVENT_MAX,
        _ATTEST_EVENT_INVALID = -EINVAL, /* a record that is not hardenctl's */
} AttestEventKind;

typedef struct AttestEvent {
        unsigned pcr;
        AttestEventKind kind;
        char *string; /* content.string; NULL for a record without one */
        bool has_sha256;
        uint8_t digest[ATTEST_DIGEST_SIZE]; /* the sha256 digest the record gives */
} AttestEvent;

typedef struct AttestLog {
        AttestEvent *events;
        size_t n;
} AttestLog;

void attest_log_done(AttestLog *l);

/* "profile", "usr", ...: the names events go by in golden values and in messages. */
const char *attest_event_kind_to_string(AttestEventKind k) _const_;
AttestEventKind attest_event_kind_from_string(const char *s) _pure_;

/* The events a posture gives, in the order they are measured. Returns 0 or -ENOMEM. */
int attest_log_from_posture(const Posture *p, AttestLog *ret);

/* One record of the log for e, JSON-SEQ framed ("\x1e{...}\n"). */
int attest_event_to_record(const AttestEvent *e, char **ret);

/* Reads a JSON-SEQ log (every record, of any PCR and any writer). A record of hardenctl's whose digest is
 * not SHA-256 of its string is malformed. Returns 0, or -EBADMSG with *ret_error saying which record and
 * what. */
int attest_log_parse(const char *text, size_t size, AttestLog *ret, char **ret_error);

/* The log as a JSON array of its records, and back (the form the attestation document carries). */
int attest_log_to_json(const AttestLog *l, struct json_object **ret);
int attest_log_from_json(struct json_object *a, AttestLog *ret, char **ret_error);

/* The value the PCR has after the log's events for it, extended in order from zeros. Returns 0, or
 * -EBADMSG if an event for it has no sha256 digest. */
int attest_log_replay(const AttestLog *l, unsigned pcr, uint8_t ret[static ATTEST_DIGEST_SIZE]);

/* Golden values: {"schemaVersion":1,"pcr":8,"hashAlg":"sha256","events":[{"name","string","digest"}...],
 * "pcrValue":HEX} — what a host that enforces exactly this measures. */
int attest_golden_to_json(const AttestLog *l, struct json_object **ret);
int attest_golden_from_json(struct json_object *j, AttestLog *ret, char **ret_error);
