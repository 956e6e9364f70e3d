/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* What the attestation tests share: a posture record with every member set, and its Posture. */

#include "posture.h"
#include "tests.h"

#define ROOT_HASH "85f0d6c603c3aec6c78d4aad0e42fdbc9d227900cc5764d24a276b615e5a9ac2"
#define SIGNER "0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0"
#define DIGEST_A "sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define DIGEST_B "sha256:bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"

static const char *const full_record =
        "{\"usr\":{\"device\":\"usr\",\"rootHash\":\"" ROOT_HASH "\",\"verified\":true,\"signed\":true,"
        "\"signer\":\"" SIGNER "\",\"keyring\":\".platform\"},"
        "\"ipe\":{\"available\":true,\"policy\":\"hardenctl\",\"version\":\"0.0.1\",\"digest\":\"" DIGEST_A "\","
        "\"enforce\":true},"
        "\"selinux\":\"enforcing\",\"lockdown\":\"integrity\",\"secureBoot\":false,\"auditLocked\":true,"
        "\"profileDigest\":\"" DIGEST_B "\"}";

static inline void full_posture(Posture *p) {
        _cleanup_free_ char *error = NULL;

        ck_assert_int_eq(posture_from_json(full_record, p, &error), 0);
}
