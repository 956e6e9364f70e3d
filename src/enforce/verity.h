/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdint.h>

#include "macro.h"
#include "profile.h"
#include "string-util.h"

#define VERITY_ROOT_HASH_MAX 64U /* bytes */

typedef struct VerityInfo {
        char *root_hash; /* hexadecimal */
        char *salt;      /* hexadecimal */
        char *uuid;
        char *hash_name;
        uint32_t data_block_size;
        uint32_t hash_block_size;
        uint64_t data_blocks;
        uint64_t hash_offset; /* bytes into the hash device */
} VerityInfo;

void verity_info_done(VerityInfo *v);

/* Whether a device-mapper uuid (sysfs dm/uuid) is a dm-verity device's, as libcryptsetup and
 * systemd-veritysetup name them: "CRYPT-VERITY-…". The one test of "this device is verified". */
static inline bool dm_uuid_is_verity(const char *uuid) {
        return uuid && startswith(uuid, "CRYPT-VERITY-");
}

/* Builds the hash tree of the data image into hash_path (created if missing; with hash_offset > 0 the
 * tree goes behind the data in the same file when both paths are the same), through libcryptsetup.
 * On failure *ret_error (if not NULL) carries libcryptsetup's own words. */
int verity_format(const char *data_path, const char *hash_path, uint64_t hash_offset, VerityInfo *ret, char **ret_error);

/* Checks every data block against the hash tree and the root hash, in userspace: no device-mapper
 * needed. Returns 0 if all is intact; -EBADMSG if the root hash does not match the hash tree; -EPERM
 * if a data block does not match it (corruption); -EMSGSIZE if the root hash has the wrong length for
 * the tree's hash function; -EINVAL if it is not hexadecimal. */
int verity_verify(const char *data_path, const char *hash_path, uint64_t hash_offset, const char *root_hash,
                  char **ret_error);

/* Sets up the dm-verity device /dev/mapper/NAME, read-only, with the kernel verifying every read;
 * with a signature, the kernel checks it against its keyrings (signed activation). on_corruption is a
 * CorruptionAction (or -1 for the kernel's default, EIO). Before the device is left in place, its
 * first and last data blocks are read through it, with corruption failing the read rather than
 * acting as on_corruption says: a root hash that does not match the tree is -EBADMSG, a corrupted
 * block -EPERM, and the device is removed again. Other errors as verity_verify(), plus what
 * device-mapper and the kernel keyring return. */
int verity_attach(const char *name, const char *data_path, const char *hash_path, uint64_t hash_offset,
                  const char *root_hash, const void *signature, size_t signature_size, int on_corruption,
                  char **ret_error);

/* Removes the device-mapper device NAME that libcryptsetup set up. Returns 1 when it was removed, 0 when
 * there was none, a negative errno (and libcryptsetup's words in *ret_error) when it could not be. */
int verity_detach(const char *name, char **ret_error);

/* Parses a hexadecimal root hash into bytes. Returns the number of bytes or -EINVAL. */
int verity_root_hash_parse(const char *hex, uint8_t ret[static VERITY_ROOT_HASH_MAX]);
