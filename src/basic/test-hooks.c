/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <stdlib.h>

#include "config.h"
#include "log.h"
#include "string-util.h"
#include "strv.h"
#include "test-hooks.h"

const char *test_hook_env(const char *name) {
        const char *e = secure_getenv(name);

        return HAVE_TEST_HOOKS && !isempty(e) ? e : NULL;
}

int test_hooks_refuse_env(void) {
        extern char **environ;

        if (HAVE_TEST_HOOKS)
                return 0;
        STRV_FOREACH(e, environ)
                if (startswith(*e, "HARDENCTL_TEST_") && !startswith(*e, "HARDENCTL_TEST_HOOKS=") && !endswith(*e, "="))
                        return log_error_errno(-EPERM,
                                               "%.*s is set, but this build of hardenctl has no test hooks "
                                               "(meson -Dtest-hooks=true); refusing to run. Nothing changed.",
                                               (int) strcspn(*e, "="), *e);
        return 0;
}
