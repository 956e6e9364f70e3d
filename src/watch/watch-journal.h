/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <signal.h>

#include "watch.h"

typedef int (*WatchSaveState)(Watcher *w, bool force, uint64_t *last);

/* The fallback for hosts without auditd: the kernel's audit records as journald keeps them
 * (_TRANSPORT=audit), of this boot, from the first, then followed until *stop. Each entry is given to
 * the watcher as the line auditd would have written: "type=NAME msg=audit(SECONDS.MS:SERIAL): BODY".
 * With $HARDENCTL_TEST_WATCH_JOURNAL_DIR (test hooks) the journal files of that directory are read, of
 * any boot, to their end. Returns 0 or a negative errno (logged). */
int watch_journal_follow(Watcher *w, volatile sig_atomic_t *stop, WatchSaveState save);
