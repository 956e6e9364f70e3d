/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdlib.h>

#include "config.h"
#include "string-util.h"

/* The test-only environment (HARDENCTL_TEST_*): its value in a build with -Dtest-hooks=true, and NULL
 * otherwise, or when it is empty. The one place that decides whether a test may stand in for the kernel. */
static inline const char *test_hook_env(const char *name) {
        const char *e = secure_getenv(name);

        return HAVE_TEST_HOOKS && !isempty(e) ? e : NULL;
}
