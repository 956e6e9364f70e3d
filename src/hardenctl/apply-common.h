/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "apply-live.h"
#include "plan.h"

/* What apply and status share: the scope from the options, the live state (with the test-only
 * overrides from the environment), and loading the profile with its texts for the digest. */

ApplyScope apply_scope_from_args(void);

/* "host", "runtime" or "image": in status --json and in apply's journal entries (HARDENCTL_SCOPE=). */
const char *apply_scope_to_string(ApplyScope s) _const_;

/* Reads the live state for scope (nothing for APPLY_IMAGE). Test-only environment: HARDENCTL_TEST_PROC_SYS,
 * HARDENCTL_TEST_SYSFS, HARDENCTL_TEST_SELINUXFS, HARDENCTL_TEST_AUDIT_KEY; documented in hardenctl(8). */
int apply_live_state(ApplyScope scope, LiveState *ret, int *ret_audit_fd);

/* How long apply waits for the readers (status) that hold the lock. */
#define APPLY_LOCK_WAIT_USEC (30U * 1000000U)

/* The lock that keeps applies apart: APPLY_LOCK_PATH for the host (also with --runtime, and with a
 * --root that is the host's root directory), the root directory itself for an image tree. apply takes
 * it exclusively: it fails if another apply holds it, and waits up to APPLY_LOCK_WAIT_USEC while only
 * readers hold it; status takes it shared and waits, so that it never reads a
 * half-applied state (without the privileges to open it, status goes on without: *ret_fd = -EBADF).
 * Logs; returns 0 or a negative errno. */
int apply_lock(int root_fd, ApplyScope scope, bool shared, int *ret_fd);

/* Loads spec below --root with PROFILE_LOAD_KEEP_TEXT; with spec_in_root (a spec the tree's content
 * names, not the command line), a path too is opened below the root, never on the host. Returns 0,
 * EXIT_INVALID_PROFILE (logged) or <0. */
int apply_load_profile(int root_fd, const char *spec, bool spec_in_root, Profile **ret);

/* The spec to record: a path made absolute, a name as it is. */
int apply_spec_absolute(const char *spec, char **ret);
