/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "attest-tpm.h"
#include "fs-util.h"
#include "path-util.h"
#include "string-util.h"

static int mkdir_parents(const char *path) {
        _cleanup_free_ char *p = strdup(path);

        if (!p)
                return -ENOMEM;
        for (char *s = strchr(p + 1, '/'); s; s = strchr(s + 1, '/')) {
                *s = 0;
                if (mkdir(p, 0755) < 0 && errno != EEXIST)
                        return -errno;
                *s = '/';
        }
        return 0;
}

static int log_has_hardenctl_events(int fd) {
        _cleanup_(attest_log_done) AttestLog l = {};
        _cleanup_free_ char *text = NULL;
        _cleanup_close_ int rfd = -EBADF;
        size_t size;
        int r;

        rfd = fd_reopen(fd, O_RDONLY);
        if (rfd < 0)
                return rfd;
        r = read_full_fd(rfd, ATTEST_LOG_MAX, &text, &size);
        if (r < 0)
                return r;
        r = attest_log_parse(text, size, &l, NULL);
        if (r < 0)
                return r; /* a log that cannot be read cannot be replayed: do not add to it */
        for (size_t i = 0; i < l.n; i++)
                if (l.events[i].kind >= 0)
                        return 1;
        return 0;
}

int attest_measure(AttestTpm *t, const AttestLog *l, const char *log_path) {
        _cleanup_close_ int fd = -EBADF;
        struct stat st;
        int r;

        assert(t);
        assert(l);
        assert(log_path);

        r = mkdir_parents(log_path);
        if (r < 0)
                return r;
        fd = open(log_path, O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY, 0600);
        if (fd < 0)
                return -errno;
        if (flock(fd, LOCK_EX) < 0)
                return -errno;
        if (fstat(fd, &st) < 0)
                return -errno;
        if (!S_ISREG(st.st_mode))
                return -EBADFD;

        /* Once a boot: a second measurement would put the events in the PCR twice, and no verifier would
         * recognise the host again until it reboots. */
        r = log_has_hardenctl_events(fd);
        if (r < 0)
                return r;
        if (r > 0)
                return -EALREADY;
        if (fchmod(fd, (st.st_mode & 07777) | S_ISVTX) < 0)
                return -errno;

        for (size_t i = 0; i < l->n; i++) {
                _cleanup_free_ char *record = NULL;

                if (!l->events[i].has_sha256)
                        return -EINVAL;
                r = attest_event_to_record(l->events + i, &record);
                if (r < 0)
                        return r;
                r = attest_tpm_extend(t, l->events[i].pcr, l->events[i].digest);
                if (r < 0)
                        return r; /* the sticky bit stays: the log and the PCR may disagree now */
                r = write_all(fd, record, strlen(record));
                if (r < 0)
                        return r;
        }
        if (fsync(fd) < 0)
                return -errno;
        if (fchmod(fd, st.st_mode & 07777 & ~S_ISVTX) < 0)
                return -errno;
        return 0;
}

int attest_log_open_locked(const char *log_path, char **ret_text, size_t *ret_size) {
        _cleanup_close_ int fd = -EBADF;
        int r;

        fd = open(log_path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY);
        if (fd < 0)
                return -errno;
        if (flock(fd, LOCK_SH) < 0)
                return -errno;
        r = read_full_fd(fd, ATTEST_LOG_MAX, ret_text, ret_size);
        if (r < 0)
                return r;
        return TAKE_FD(fd);
}
