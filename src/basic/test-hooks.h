/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "macro.h"

/* The test-only environment (HARDENCTL_TEST_*), honoured only in a build with -Dtest-hooks=true: the one
 * place that decides whether a test may stand in for the kernel. */

/* The variable's value in a build with test hooks; NULL otherwise, or when it is empty. */
const char *test_hook_env(const char *name);

/* In a build without test hooks, refuses (logged, -EPERM) when a HARDENCTL_TEST_* variable is set: the
 * test that set it would otherwise act on the real host. Returns 0 otherwise. */
int test_hooks_refuse_env(void);
