/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

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
