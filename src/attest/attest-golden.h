/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "attest-event.h"
#include "profile.h"

/* What the image pipeline knows about an image, for its golden values. */
typedef struct AttestGoldenInput {
        const char *root_hash;  /* the /usr root hash (hex), or NULL if /usr is not verity */
        const char *usr_signer; /* the kernel's description of the signing key, or NULL if unsigned */
        const char *ipe_digest; /* "sha256:HEX" of the signed IPE policy, or NULL if none is shipped */
} AttestGoldenInput;

/* The posture a host booted from this image with profile p enforces, and so measures: the profile's digest
 * (p loaded with PROFILE_LOAD_KEEP_TEXT), /usr verified and signed as in, the IPE policy enforcing, the
 * SELinux mode of [SELinux] Mode= (disabled if unset) and the audit lock of [Audit] Immutable=. Returns 0
 * or a negative errno. */
int attest_golden_posture(const Profile *p, const AttestGoldenInput *in, Posture *ret);

/* The description the kernel gives the key of an X.509 certificate (PEM or DER) in its keyrings, as
 * x509_public_key.c makes it: the subject's CN (or "O: CN", or O, or the e-mail address), ": ", and the
 * subject key identifier (or the serial number) in hexadecimal. */
int attest_x509_key_description(const char *cert_path, char **ret);

/* SHA-256 of a file's contents, as "sha256:HEX". */
int attest_file_digest(const char *path, char **ret);
