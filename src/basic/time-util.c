/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include "parse-util.h"
#include "time-util.h"

uint64_t now(clockid_t clock) {
        struct timespec ts;

        /* Fails only for a clock that does not exist: a programmer's error. */
        if (clock_gettime(clock, &ts) < 0) {
                assert(false);
                return 0;
        }
        return (uint64_t) ts.tv_sec * USEC_PER_SEC + (uint64_t) ts.tv_nsec / NSEC_PER_USEC;
}

int getenv_epoch_usec(const char *name, uint64_t *ret) {
        const char *e = getenv(name);
        uint64_t t;

        if (isempty(e))
                return 0;
        if (safe_atou64(e, &t) < 0 || t > UINT64_MAX / USEC_PER_SEC)
                return -EINVAL;
        *ret = t * USEC_PER_SEC;
        return 1;
}
