/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "macro.h"

/* A signed dm-verity root hash, in the two forms the boot path takes:
 *
 *   - the PKCS#7 signature itself, DER, detached, over the root hash as lowercase hexadecimal text
 *     without a newline, with the signer's certificate and no signed attributes: what the kernel checks
 *     against its keyrings when a verity device is activated with a signature (root_hash_sig_key_desc);
 *   - a usr-verity signature partition of the Discoverable Partitions Specification: a JSON object with
 *     "rootHash", "signature" (that DER, in Base64) and "certificateFingerprint" (SHA-256 of the
 *     signer's certificate, DER, lowercase hexadecimal), padded with NUL bytes to a multiple of 4096
 *     bytes, which systemd's tools read as well. */

#define VERITY_SIG_PARTITION_ALIGN 4096U
#define VERITY_SIG_PARTITION_MAX (64U * 1024U) /* what is read of a signature partition at most */
#define VERITY_SIG_DER_MAX (16U * 1024U)

typedef struct VeritySig {
        char *root_hash; /* lowercase hexadecimal */
        uint8_t *der;    /* the PKCS#7 signature */
        size_t der_size;
        char *certificate_fingerprint; /* lowercase hexadecimal SHA-256, or NULL if not known */
} VeritySig;

void verity_sig_done(VeritySig *s);

/* Signs root_hash (hexadecimal; stored and signed in lowercase) with the private key and certificate
 * in the PEM files key_path and cert_path, through libcrypto. The key must belong to the certificate.
 * Returns 0, or a negative errno with *ret_error saying what was wrong (a file that cannot be read, a
 * key that is not PEM or is encrypted, a key that does not match the certificate). */
int verity_sig_sign(const char *root_hash, const char *key_path, const char *cert_path, VeritySig *ret, char **ret_error);

/* The contents of a usr-verity signature partition for s: JSON, then NULs to a multiple of 4096. */
int verity_sig_to_partition(const VeritySig *s, char **ret, size_t *ret_size);

/* Reads a signature in either form: a signature partition (JSON, optionally followed by NULs only) or
 * a bare PKCS#7 DER signature (root_hash and fingerprint then NULL). Returns 0, or -EBADMSG with
 * *ret_error saying what is malformed. */
int verity_sig_parse(const void *buf, size_t size, VeritySig *ret, char **ret_error);

/* The usr-verity signature partition type of this architecture (the Discoverable Partitions
 * Specification), or NULL if it defines none. */
const char *verity_sig_usr_partition_type(void) _const_;

/* Reads the first partition of type type_uuid from the partition table of disk (a block device, or an
 * image file): at most VERITY_SIG_PARTITION_MAX bytes of it, into *ret. Returns 0, -ENOENT if the disk
 * has no such partition, or another negative errno. */
int verity_sig_read_partition(const char *disk, const char *type_uuid, char **ret, size_t *ret_size);

/* The whole disk a partition (a block device, or a symlink to one) is on, as /dev/block/MAJ:MIN, for
 * verity_sig_read_partition(). -ENOTBLK if it is not a block device, -EMEDIUMTYPE if not a partition. */
int verity_sig_partition_disk(const char *partition, char **ret);
