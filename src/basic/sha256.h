/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdint.h>

#include "macro.h"

/* SHA-256 (FIPS 180-4), for digests of profile texts. Not for secrets: no constant-time guarantees. */

#define SHA256_DIGEST_SIZE 32U

typedef struct Sha256 {
        uint32_t h[8];
        uint64_t length; /* bytes hashed so far */
        uint8_t block[64];
        size_t fill;
} Sha256;

void sha256_init(Sha256 *s);
void sha256_update(Sha256 *s, const void *data, size_t size);
void sha256_finish(Sha256 *s, uint8_t ret[SHA256_DIGEST_SIZE]);

/* Lower-case hexadecimal, NUL-terminated; buf must hold 2 * SHA256_DIGEST_SIZE + 1 bytes. */
char *sha256_to_hex(const uint8_t digest[SHA256_DIGEST_SIZE], char buf[2 * SHA256_DIGEST_SIZE + 1]);
