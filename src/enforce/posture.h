/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <errno.h>
#include <stdbool.h>

#include "macro.h"

/* The integrity posture of a running host: what its kernel says is enforced, read once at boot (and by
 * check) and kept as a record, /run/hardenctl/posture.json, that reports carry and that the TPM
 * measurement replays. One reader (posture_read(), posture.c) reads the live state; one encoding
 * (posture_to_json()/posture_from_json(), posture-json.c) writes and reads the record.
 *
 * The record is one JSON object with these members (absent or null when not known):
 *   "usr": { "device": "usr", "rootHash": HEX, "verified": bool, "signed": bool,
 *            "signer": "SHA-256 of the signer's certificate (DER), lowercase hexadecimal",
 *            "keyring": ".platform" | ".secondary_trusted_keys" | ... }
 *   "ipe": { "available": bool, "policy": NAME, "version": "X.Y.Z", "digest": "sha256:HEX",
 *            "enforce": bool }
 *   "selinux": "enforcing" | "permissive" | "disabled"
 *   "lockdown": "none" | "integrity" | "confidentiality"
 *   "secureBoot": bool
 *   "auditLocked": bool
 *   "profileDigest": "sha256:HEX"
 *   "unknown": [ "usr", "ipe", "selinux", "lockdown", "secureBoot", "auditLocked", "profileDigest" ]
 *              what could not be read (its member then says nothing); absent if all was read
 *
 * "signed" is the dm table's (a root_hash_sig_key_desc: the kernel checked a signature at activation).
 * "signer" is the fingerprint of the certificate that the signature hardenctl-verity attach activated
 * /usr with carries (pkcs7_signer(); a signature partition's certificateFingerprint must agree), and
 * "keyring" the kernel keyring that holds that certificate's key, from its record
 * POSTURE_USR_SIGNER_PATH, and only if that record's rootHash is the dm table's: the signer is what
 * `hardenctl attest golden --certificate=` computes too. */

#define POSTURE_USR_SIGNER_PATH "/run/hardenctl/usr-signer.json"

#define POSTURE_RECORD_PATH "/run/hardenctl/posture.json"

typedef enum PostureSELinux {
        POSTURE_SELINUX_DISABLED,
        POSTURE_SELINUX_PERMISSIVE,
        POSTURE_SELINUX_ENFORCING,
        _POSTURE_SELINUX_MAX,
        _POSTURE_SELINUX_INVALID = -EINVAL,
} PostureSELinux;

typedef enum PostureLockdown {
        POSTURE_LOCKDOWN_NONE,
        POSTURE_LOCKDOWN_INTEGRITY,
        POSTURE_LOCKDOWN_CONFIDENTIALITY,
        _POSTURE_LOCKDOWN_MAX,
        _POSTURE_LOCKDOWN_INVALID = -EINVAL,
} PostureLockdown;

/* What posture_read() could not read (a bit per record member). */
typedef enum PostureUnknown {
        POSTURE_UNKNOWN_USR = 1 << 0,
        POSTURE_UNKNOWN_IPE = 1 << 1,
        POSTURE_UNKNOWN_SELINUX = 1 << 2,
        POSTURE_UNKNOWN_LOCKDOWN = 1 << 3,
        POSTURE_UNKNOWN_SECURE_BOOT = 1 << 4,
        POSTURE_UNKNOWN_AUDIT_LOCKED = 1 << 5,
        POSTURE_UNKNOWN_PROFILE_DIGEST = 1 << 6,
        _POSTURE_UNKNOWN_N = 7,
} PostureUnknown;

typedef struct Posture {
        /* /usr */
        char *usr_root_hash; /* lowercase hexadecimal; NULL if /usr is not a verity device */
        bool usr_verified;
        bool usr_signed;
        char *usr_signer; /* lowercase hexadecimal SHA-256 of the signer's certificate, NULL if not known */
        char *usr_keyring;
        /* IPE */
        bool ipe_available;
        char *ipe_policy; /* the active policy's name, NULL if none is active */
        char *ipe_version;
        char *ipe_digest; /* "sha256:" + hexadecimal digest of the active policy as loaded (PKCS#7) */
        bool ipe_enforce;
        /* the rest */
        PostureSELinux selinux;
        PostureLockdown lockdown;
        bool secure_boot;
        bool audit_locked;
        char *profile_digest; /* "sha256:HEX" of the profile in force */
        PostureUnknown unknown;
} Posture;

void posture_done(Posture *p);

/* Reads the live state from the kernel (dm tables, securityfs, selinuxfs, EFI variables, the audit
 * status), below root ("/" on a host). What cannot be read is marked in ->unknown (below another root
 * than "/", the dm table and the audit status, which no file holds). Returns 0, or a negative errno if
 * the root cannot be opened. */
int posture_read(const char *root, Posture *ret);

/* The record: JSON text (NUL-terminated) and back. posture_from_json() returns -EBADMSG with
 * *ret_error saying what is malformed. */
int posture_to_json(const Posture *p, char **ret);
int posture_from_json(const char *text, Posture *ret, char **ret_error);

/* The signer record of a signed /usr activation (POSTURE_USR_SIGNER_PATH): {"rootHash": HEX,
 * "certificateFingerprint": HEX, "keyring": NAME or null}, and back (-EBADMSG if malformed; keyring may be
 * NULL, and *ret_keyring is NULL then). */
int posture_usr_signer_to_json(const char *root_hash, const char *fingerprint, const char *keyring, char **ret);
int posture_usr_signer_from_json(const char *text, char **ret_root_hash, char **ret_fingerprint, char **ret_keyring);

/* The record member name of one PostureUnknown bit. */
const char *posture_unknown_to_string(PostureUnknown u) _const_;

const char *posture_selinux_to_string(PostureSELinux s) _const_;
PostureSELinux posture_selinux_from_string(const char *s) _pure_;
const char *posture_lockdown_to_string(PostureLockdown l) _const_;
PostureLockdown posture_lockdown_from_string(const char *s) _pure_;
