/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* hardenctl-fail MESSAGE: logs MESSAGE as an error and fails. The units a generator writes when it
 * already knows that the profile cannot be enforced run it, so that the boot stops (OnFailure=) with one
 * log line that says why. Links nothing but the logging code: it must run when everything else is
 * broken. */

#include "log.h"

int main(int argc, char *argv[]) {
        log_set_prefix("hardenctl-fail");
        log_parse_environment();

        if (argc != 2 || !argv[1][0])
                log_error("Usage: hardenctl-fail MESSAGE");
        else
                log_error("%s", argv[1]);
        return EXIT_FAILURE;
}
