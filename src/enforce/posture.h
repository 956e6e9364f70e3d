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
 *            "signatureKey": "key description from the dm table (root_hash_sig_key_desc)",
 *            "keyring": ".platform" | ".secondary_trusted_keys" | ... }
 *   "ipe": { "available": bool, "policy": NAME, "version": "X.Y.Z", "digest": "sha256:HEX",
 *            "enforce": bool }
 *   "selinux": "enforcing" | "permissive" | "disabled"
 *   "lockdown": "none" | "integrity" | "confidentiality"
 *   "secureBoot": bool
 *   "auditLocked": bool
 *   "profileDigest": "sha256:HEX" */

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

typedef struct Posture {
        /* /usr */
        char *usr_root_hash; /* lowercase hexadecimal; NULL if /usr is not a verity device */
        bool usr_verified;
        bool usr_signed;
        char *usr_signature_key; /* the key description the kernel verified the root hash with */
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
} Posture;

void posture_done(Posture *p);

/* Reads the live state from the kernel (dm tables, securityfs, selinuxfs, EFI variables, the audit
 * status), below root ("/" on a host). Returns 0, or a negative errno if nothing could be read. */
int posture_read(const char *root, Posture *ret);

/* The record: JSON text (NUL-terminated) and back. posture_from_json() returns -EBADMSG with
 * *ret_error saying what is malformed. */
int posture_to_json(const Posture *p, char **ret);
int posture_from_json(const char *text, Posture *ret, char **ret_error);

const char *posture_selinux_to_string(PostureSELinux s) _const_;
PostureSELinux posture_selinux_from_string(const char *s) _pure_;
const char *posture_lockdown_to_string(PostureLockdown l) _const_;
PostureLockdown posture_lockdown_from_string(const char *s) _pure_;
