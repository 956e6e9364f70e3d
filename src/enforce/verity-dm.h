/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "macro.h"

/* What the kernel says of an active dm-verity device: its device-mapper table and status, through the
 * device-mapper ioctl. The one reader of the live verity state, for the posture record and the compliance
 * probes alike (libcryptsetup builds and activates; reading what is active needs none of it). */

typedef struct VerityTable {
        char *root_hash;           /* lowercase hexadecimal */
        char *algorithm;           /* the hash tree's, e.g. "sha256" */
        char *signature_key;       /* root_hash_sig_key_desc: the kernel checked a signature of the root
                                    * hash (the key names the blob, not the signer); NULL if none */
        const char *on_corruption; /* "eio" (the kernel's default), "restart", "panic" or "ignore" */
} VerityTable;

void verity_table_done(VerityTable *t);

/* The parameters of a table line after "verity" ("1 DATA HASH 4096 4096 N 1 sha256 ROOTHASH SALT [COUNT
 * OPT…]"). -EBADMSG if they are not a verity target's. */
int verity_table_parse(const char *params, VerityTable *ret);

/* The active device NAME: its table, and its status ("verified", or "corrupted" once a block failed to
 * verify; the raw status otherwise). -ENXIO if there is no such device (or no device-mapper),
 * -EMEDIUMTYPE if it is not a verity target, -EBADMSG if its table cannot be parsed, -ENOMEM; other
 * errors of the ioctl as they are (-EACCES without CAP_SYS_ADMIN). */
int verity_dm_read(const char *name, VerityTable *ret_table, char **ret_status);
