/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* libFuzzer target: the watcher's event parser and classifier (watcher_feed(): lines into libauparse,
 * events into anomalies), the input fed in two parts to exercise lines split across reads. */

#include "fuzz.h"
#include "watch-internal.h"

static int unit_of(int64_t pid, int64_t ppid, char **ret, void *userdata) {
        *ret = pid % 2 ? strdup("agent.service") : NULL;
        return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        static const ServiceExec allowed[] = { { (char *) "agent.service", (char *) "/usr/bin/*" } };
        char *keys[] = { (char *) "agent-config", (char *) "etc-hosts", NULL };
        char *drift[] = { (char *) "resolv.conf", NULL };
        WatchConfig c = {
                .usr_dev_known = true,
                .usr_major = 254,
                .allowed = allowed,
                .n_allowed = 1,
                .write_keys = keys,
                .etc_overlay = true,
                .expected_drift = drift,
                .avc_burst = 2,
                .avc_window_usec = 1000000,
                .repeat_usec = 1000000,
                .rate_burst = 3,
                .rate_window_usec = 1000000,
                .unit_lookup = unit_of,
        };
        _cleanup_(watcher_freep) Watcher *w = NULL;
        size_t half = size / 2;

        if (watcher_new(&c, NULL, NULL, &w) < 0)
                return 0;
        if (watcher_feed(w, (const char *) data, half) >= 0 &&
            watcher_feed(w, (const char *) data + half, size - half) >= 0)
                (void) watcher_flush(w);
        return 0;
}
