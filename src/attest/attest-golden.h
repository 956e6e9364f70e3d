/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "attest-event.h"
#include "profile.h"

/* What the image pipeline knows about an image, for its golden values. */
typedef struct AttestGoldenInput {
        const char *root_hash; /* the /usr root hash (hex), or NULL if /usr is not verity */
        const char *usr_signer; /* SHA-256 of the signer's certificate (pkcs7_certificate_fingerprint()), or NULL if unsigned */
        const char *ipe_digest; /* "sha256:HEX" of the signed IPE policy file, or NULL if none is shipped: the
                                 * same bytes IPE's securityfs policies/NAME/pkcs7 gives back once loaded */
} AttestGoldenInput;

/* The posture a host booted from this image with profile p enforces, and so measures: the profile's digest
 * (p loaded with PROFILE_LOAD_KEEP_TEXT), /usr verified and signed as in, the IPE policy enforcing, the
 * SELinux mode of [SELinux] Mode= (disabled if unset) and the audit lock of [Audit] Immutable=. Returns 0
 * or a negative errno. */
int attest_golden_posture(const Profile *p, const AttestGoldenInput *in, Posture *ret);

/* SHA-256 of a file's contents, as "sha256:HEX". */
int attest_file_digest(const char *path, char **ret);
