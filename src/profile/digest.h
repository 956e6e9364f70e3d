/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "profile.h"

/* Sets libcrypto up for a program that uses it for digests alone (check and report, the posture record,
 * the measurement at boot): without the name tables of every cipher and digest and without openssl.cnf
 * (its providers and engines are for keys and ciphers; SHA-256 is SHA-256 in any provider), which are
 * two thirds of libcrypto's start-up, 5 million instructions. Process-wide: call it before anything
 * uses libcrypto. Returns 0, or -ENOMEM. */
int digest_crypto_init(void);

/* SHA-256 through libcrypto, as lowercase hex. Returns 0, or -EIO if libcrypto fails. */
int sha256_hex(const void *data, size_t size, char ret[static 65]);

/* The digest that identifies a profile as loaded: SHA-256 over each source file's path and text, in
 * the order they were applied, as "sha256:HEX". The profile must have been loaded with
 * PROFILE_LOAD_KEEP_TEXT (-EINVAL otherwise). hardenctl apply records it, status and the compliance
 * report show it, so the same profile has the same digest everywhere. */
int profile_digest(const Profile *p, char **ret);
