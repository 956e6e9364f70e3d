/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdint.h>

#include "macro.h"
#include "profile.h"

/* [Kernel] as the kernel and kmod see it, one way for hardenctl-kernel (boot), hardenctl apply and
 * the check. */

/* The kernel's files for Lockdown= and ModuleLoading=, relative to /sys. */
#define KERNEL_LOCKDOWN_SYS_PATH "kernel/security/lockdown"
#define KERNEL_SIG_ENFORCE_SYS_PATH "module/module/parameters/sig_enforce"

/* The text of a modprobe.d(5) file that denies modules: header (a comment line, with its newline),
 * then for each module, once, "blacklist M" (no loading by alias) and "install M /bin/false" (no
 * loading by name either). Returns 0 and the text, or -ENOMEM. */
int modprobe_deny_text(const char *header, char *const *modules, char **ret);

/* The active mode of the lockdown LSM from the text of /sys/kernel/security/lockdown
 * ("none [integrity] confidentiality"). Returns the LockdownMode, or -EBADMSG. The one reader of that
 * file's format, for hardenctl-kernel, apply and the check alike. */
int kernel_lockdown_parse(const char *text) _pure_;

/* The kernel's trusted keyrings for signatures (dm-verity root hashes, IPE policies, modules), in the order
 * of how directly the kernel trusts them; NULL-terminated. */
#define KERNEL_TRUSTED_KEYRINGS \
        ((const char *const[]){ ".builtin_trusted_keys", ".secondary_trusted_keys", ".machine", ".platform", NULL })

/* The serial of the keyring called name in proc_keys, the text of /proc/keys ("SERIAL FLAGS USAGE
 * EXPIRY PERM UID GID keyring NAME: N"). -ENOKEY if it lists no keyring of that name (lines that do not
 * parse are skipped). */
int kernel_keyring_find(const char *proc_keys, const char *name, int32_t *ret);

/* Which of the keyrings (names, NULL-terminated; found in /proc/keys, those not listed there skipped)
 * holds an asymmetric key whose description ends in ": " key_id (the kernel describes an X.509
 * certificate's key as "SUBJECT: KEY-ID", see pkcs7_signer()), first in the order given. Returns 0 and its
 * name (one of keyrings), -ENOKEY if none does, or another negative errno (/proc/keys unreadable). */
int kernel_keyring_holding(const char *const *keyrings, const char *key_id, const char **ret_keyring);
