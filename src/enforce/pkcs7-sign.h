/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "macro.h"

/* The one PKCS#7 signer, through libcrypto, for what the kernel checks against its keyrings: a dm-verity
 * root hash (detached, verity-sig.h) and an IPE policy (the policy embedded, ipe.h). Always binary (no
 * MIME canonicalization), without signed attributes (so without S/MIME capabilities either), DER, and
 * carrying the signer's certificate, as systemd-repart's signatures do: the kernel still trusts only the
 * keys in its keyrings; the certificate names the signer to whoever reads the signature (pkcs7_signer()). */

typedef enum Pkcs7SignFlags {
        PKCS7_SIGN_DETACHED = 1 << 0, /* the data is not carried in the signature */
} Pkcs7SignFlags;

typedef struct Pkcs7Signature {
        uint8_t *der;
        size_t der_size;
        char *certificate_fingerprint; /* lowercase hexadecimal SHA-256 of the signer's certificate (DER) */
} Pkcs7Signature;

void pkcs7_signature_done(Pkcs7Signature *s);

/* Signs size bytes at data with the private key and certificate in the PEM files key_path and cert_path.
 * The key must belong to the certificate, and must not be encrypted (signing runs in pipelines, without a
 * terminal). Returns 0, or a negative errno with *ret_error saying what was wrong (a file that cannot be
 * read, a key that is not PEM or is encrypted, a key that does not match the certificate). */
int pkcs7_sign(const void *data, size_t size, const char *key_path, const char *cert_path, Pkcs7SignFlags flags,
               Pkcs7Signature *ret, char **ret_error);

/* The SHA-256 fingerprint (lowercase hexadecimal, of the DER) of the X.509 certificate in cert_path, PEM
 * or DER: what pkcs7_sign() gives as certificate_fingerprint for it. */
int pkcs7_certificate_fingerprint(const char *cert_path, char **ret, char **ret_error);

/* The data a signature with the data embedded carries (not verified: the kernel does that), into *ret
 * (NUL-terminated, size in *ret_size). -EBADMSG if der is not such a signature. */
int pkcs7_embedded_data(const void *der, size_t size, char **ret, size_t *ret_size);

/* The signer of a PKCS#7 signature (DER), from the certificate it carries for its one signer: the
 * certificate's SHA-256 fingerprint (lowercase hexadecimal, of the DER) and, if ret_key_id, the key ID the
 * kernel gives the certificate's key in its keyrings (the part of the key's description after ": ",
 * lowercase hexadecimal). Not a verification: the kernel checks the signature, against its own keys; what
 * this names is the certificate the signer information points to, which only the holder of that
 * certificate's key can have made a valid signature for. -EBADMSG if der is not a signature,
 * -ENOTUNIQ if it has other than one signer, -ENOKEY if it does not carry the signer's certificate. */
int pkcs7_signer(const void *der, size_t size, char **ret_fingerprint, char **ret_key_id);
