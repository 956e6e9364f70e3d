/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stddef.h>

#include "macro.h"
#include "profile.h"

/* The execution policy of a profile's [Exec] section as an IPE policy (Linux ≥ 6.12, the Integrity Policy
 * Enforcement LSM): its text, deterministic (the same profile, root hash and version give the same
 * bytes), and its signed form, PKCS#7 with the text embedded, which is what the kernel loads.
 *
 * The policy allows everything but execution, and execution only of what the kernel itself has verified:
 * the initramfs (boot_verified), dm-verity volumes whose root hash signature it accepted
 * (dmverity_signature, which /usr is when [Usr] Signature=required), the /usr root hash given to the
 * compiler, and the root hashes and fs-verity digests of [Exec]. */

#define IPE_POLICY_NAME "hardenctl"
/* What a loaded policy may hold at most (the kernel's own limit is larger). */
#define IPE_POLICY_DER_MAX (256U * 1024U)

/* Where the signed policy is shipped: in the initrd (which may pin /usr's root hash) or on /usr (which
 * cannot: the root hash covers the file). The initrd's own copy is looked for first. */
#define IPE_POLICY_FILE "exec-policy.p7s"

typedef struct IpePolicyHeader {
        char *name;
        char *version; /* "X.Y.Z" */
} IpePolicyHeader;

void ipe_policy_header_done(IpePolicyHeader *h);

/* Whether s is an IPE policy version: three decimal numbers of at most 5 digits (the kernel takes
 * 16-bit parts), separated by dots. */
bool ipe_version_is_valid(const char *s) _pure_;

/* The policy text for e. usr_root_hash (hexadecimal, 64 digits, or NULL) is allowed by its root hash as
 * well. version is the policy version (ipe_version_is_valid()). Returns 0, or -EINVAL with *ret_error
 * saying why no policy that keeps the system bootable can be made: /usr would be refused execution if
 * neither its root hash is given nor the profile requires a signed /usr. */
int ipe_policy_compile(const Profile *p, const char *usr_root_hash, const char *version, char **ret, char **ret_error);

/* The first line of a policy text: its name and version. -EBADMSG if it is not one. */
int ipe_policy_parse_header(const char *text, IpePolicyHeader *ret);
