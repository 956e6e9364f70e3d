/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "posture.h"

/* The parts of posture_read() that parse what the kernel says, for the tests. */

/* The parameters of a dm-verity table line (after "verity": "1 DATA HASH 4096 4096 N 1 sha256 ROOTHASH
 * SALT [COUNT OPT…]"), into p's root hash and signature key (root_hash_sig_key_desc). -EBADMSG if it
 * is not one. */
int posture_parse_verity_table(const char *params, Posture *p);

/* The SecureBoot EFI variable's contents (4 bytes of attributes, then the value). -EBADMSG if short. */
int posture_parse_secure_boot(const void *data, size_t size, bool *ret);

/* Takes the signer of a POSTURE_USR_SIGNER_PATH record into p, if the record's rootHash is p's (and p's
 * /usr is signed). -ESTALE if it is another's, -EBADMSG if malformed. */
int posture_apply_usr_signer(const char *record, Posture *p);
