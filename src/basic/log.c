/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "string-table.h"

/* Process-wide logging configuration: set from main() and the environment, never by library code. */
static LogTarget log_target = LOG_TARGET_CONSOLE;
static int log_max_level = LOG_INFO;
static const char *log_prefix = NULL;

void log_set_target(LogTarget target) {
        log_target = target;
}

void log_set_max_level(int level) {
        log_max_level = level;
}

int log_get_max_level(void) {
        return log_max_level;
}

void log_set_prefix(const char *prefix) {
        log_prefix = prefix;
}

static const char *const log_level_table[] = {
        [LOG_EMERG] = "emerg",     [LOG_ALERT] = "alert",   [LOG_CRIT] = "crit", [LOG_ERR] = "err",
        [LOG_WARNING] = "warning", [LOG_NOTICE] = "notice", [LOG_INFO] = "info", [LOG_DEBUG] = "debug",
};

DEFINE_PRIVATE_STRING_TABLE_LOOKUP_FROM_STRING(log_level);

void log_parse_environment(void) {
        const char *e;

        /* Tests send generator output to stderr rather than the host's kernel log. */
        e = getenv("HARDENCTL_LOG_TARGET");
        if (e) {
                if (streq(e, "console"))
                        log_target = LOG_TARGET_CONSOLE;
                else if (streq(e, "kmsg"))
                        log_target = LOG_TARGET_KMSG;
                else if (streq(e, "null"))
                        log_target = LOG_TARGET_NULL;
        }

        e = getenv("HARDENCTL_LOG_LEVEL");
        if (e) {
                int l = log_level_from_string(e);
                if (l >= 0)
                        log_max_level = l;
        }
}

static void write_kmsg(int level, const char *msg) {
        char buf[1024];
        int fd, n;

        fd = open("/dev/kmsg", O_WRONLY | O_NOCTTY | O_CLOEXEC);
        if (fd < 0) {
                fprintf(stderr, "%s%s%s\n", strempty(log_prefix), log_prefix ? ": " : "", msg);
                return;
        }

        n = snprintf(buf, sizeof(buf), "<%i>%s: %s\n", level, log_prefix ?: "hardenctl", msg);
        if (n > 0)
                (void) write(fd, buf, MIN((size_t) n, sizeof(buf) - 1));
        safe_close(fd);
}

int log_internal(int level, int error, const char *format, ...) {
        char buf[2048];
        va_list ap;
        int saved = errno;

        if (error < 0)
                error = -error;

        if (level > log_max_level || log_target == LOG_TARGET_NULL) {
                errno = saved;
                return -error;
        }

        errno = error;
        va_start(ap, format);
        (void) vsnprintf(buf, sizeof(buf), format, ap);
        va_end(ap);

        if (log_target == LOG_TARGET_KMSG)
                write_kmsg(level, buf);
        else
                fprintf(stderr, "%s%s%s\n", strempty(log_prefix), log_prefix ? ": " : "", buf);

        errno = saved;
        return -error;
}
