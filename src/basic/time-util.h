/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <time.h>

#include "macro.h"

#define USEC_PER_SEC UINT64_C(1000000)
#define NSEC_PER_USEC UINT64_C(1000)

/* The one clock: clock (CLOCK_REALTIME, CLOCK_MONOTONIC…) in microseconds. */
uint64_t now(clockid_t clock);

/* The time the environment variable name sets for reproducible output (SOURCE_DATE_EPOCH and the like),
 * in seconds since the epoch, in microseconds. Returns 1 and the time; 0 if it is unset or empty; or
 * -EINVAL if it is not a number of seconds, or too large. */
int getenv_epoch_usec(const char *name, uint64_t *ret);
