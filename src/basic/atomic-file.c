/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <sys/random.h>
#include <sys/stat.h>

#include "atomic-file.h"
#include "fs-util.h"
#include "path-util.h"
#include "string-util.h"

#define TMP_SUFFIX_LEN 17 /* "." and 16 hex digits */
#define TMP_NAME_ROOM (NAME_MAX - STRLEN(ATOMIC_FILE_TMP_PREFIX) - TMP_SUFFIX_LEN)
#define TMP_ATTEMPTS 16 /* names tried when one is taken */
#define TMP_OPEN_FLAGS (O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY)

static int tmp_name(const char *name, unsigned attempt, char **ret) {
        const char *slash = strrchr(name, '/'), *base = slash ? slash + 1 : name;
        int dir_len = slash ? (int) (base - name) : 0, n = (int) MIN(strlen(base), TMP_NAME_ROOM);
        uint64_t rnd;
        char *s;

        if (isempty(base))
                return -EINVAL;
        /* Never blocks: early at boot the pool may not be ready. O_EXCL catches the rare clash then. */
        if (getrandom(&rnd, sizeof(rnd), GRND_NONBLOCK) != sizeof(rnd))
                rnd = ((uint64_t) getpid() << 32) ^ (uint64_t) (uintptr_t) &rnd ^
                      (uint64_t) attempt * 0x9e3779b97f4a7c15ULL;
        /* A long name is shortened: the random part keeps it unique, the prefix recognisable. */
        s = strprintf("%.*s" ATOMIC_FILE_TMP_PREFIX "%.*s.%016llx", dir_len, name, n, base, (unsigned long long) rnd);
        if (!s)
                return -ENOMEM;
        *ret = s;
        return 0;
}

int atomic_file_tmp_name(const char *name, char **ret) {
        return tmp_name(name, 0, ret);
}

bool atomic_file_tmp_name_is(const char *fn) {
        const char *rest = startswith(fn, ATOMIC_FILE_TMP_PREFIX);
        size_t n;

        if (!rest)
                return false;
        n = strlen(rest);
        return n > TMP_SUFFIX_LEN && rest[n - TMP_SUFFIX_LEN] == '.' &&
               strspn(rest + n - TMP_SUFFIX_LEN + 1, "0123456789abcdef") == TMP_SUFFIX_LEN - 1;
}

/* A new temporary entry for name: a file (target NULL; returns its fd) or a symlink to target (returns
 * 0). Another name is tried while one is taken. */
static int tmp_create(int dir_fd, const char *name, const char *target, mode_t mode, char **ret_tmp) {
        for (unsigned attempt = 0;; attempt++) {
                _cleanup_free_ char *tmp = NULL;
                int r;

                r = tmp_name(name, attempt, &tmp);
                if (r < 0)
                        return r;
                if (target)
                        r = RET_NERRNO(symlinkat(target, dir_fd, tmp));
                else
                        r = RET_NERRNO(openat(dir_fd, tmp, TMP_OPEN_FLAGS, mode & 07777));
                if (r == -EEXIST && attempt + 1 < TMP_ATTEMPTS)
                        continue;
                if (r < 0)
                        return r;
                *ret_tmp = TAKE_PTR(tmp);
                return r;
        }
}

void atomic_file_done(AtomicFile *a) {
        if (a->f)
                (void) fclose(a->f);
        safe_close(a->fd);
        if (a->tmp)
                (void) unlinkat(a->dir_fd, a->tmp, 0);
        free(a->tmp);
        *a = ATOMIC_FILE_NULL;
}

int atomic_file_open(AtomicFile *a, int dir_fd, const char *name, mode_t mode) {
        _cleanup_(atomic_file_done) AtomicFile t = ATOMIC_FILE_NULL;
        struct stat st;

        *a = ATOMIC_FILE_NULL;
        t.dir_fd = dir_fd;
        t.fd = tmp_create(dir_fd, name, NULL, mode, &t.tmp);
        if (t.fd < 0)
                return t.fd;
        /* The mode asked for, not what the umask left of it; changed only where it has to be, since a policy
         * may let a program create a file of some label and not change it. */
        if (fstat(t.fd, &st) < 0 || ((st.st_mode & 07777) != (mode & 07777) && fchmod(t.fd, mode & 07777) < 0))
                return negative_errno();
        *a = t;
        t = ATOMIC_FILE_NULL;
        return a->fd;
}

int atomic_file_symlink(AtomicFile *a, int dir_fd, const char *name, const char *target) {
        int r;

        *a = ATOMIC_FILE_NULL;
        r = tmp_create(dir_fd, name, target, 0, &a->tmp);
        if (r < 0)
                return r;
        a->dir_fd = dir_fd;
        return 0;
}

FILE *atomic_file_fdopen(AtomicFile *a) {
        assert(a->fd >= 0 && !a->f);
        a->f = fdopen(a->fd, "we");
        if (a->f)
                a->fd = -EBADF;
        return a->f;
}

int atomic_file_rename(AtomicFile *a, const char *name, AtomicFlags flags) {
        int r = 0;

        assert(a->tmp);
        if (a->f && fclose(a->f) != 0)
                r = negative_errno();
        a->f = NULL;
        a->fd = safe_close(a->fd);
        if (r == 0 && FLAGS_SET(flags, ATOMIC_NOREPLACE))
                r = RET_NERRNO(renameat2(a->dir_fd, a->tmp, a->dir_fd, name, RENAME_NOREPLACE));
        else if (r == 0)
                r = RET_NERRNO(renameat(a->dir_fd, a->tmp, a->dir_fd, name));
        if (r < 0) {
                atomic_file_done(a);
                return r;
        }
        a->tmp = mfree(a->tmp);
        if (FLAGS_SET(flags, ATOMIC_SYNC_DIR)) {
                assert(!strchr(name, '/'));
                if (fsync(a->dir_fd) < 0)
                        return negative_errno();
        }
        return 0;
}

int atomic_file_commit(AtomicFile *a, const char *name, AtomicFlags flags) {
        int r = 0;

        /* What the stream could not write shows here: in the flush, or in the error flag of an
         * earlier one (errno is still that write's then). */
        if (a->f && (fflush(a->f) != 0 || ferror(a->f)))
                r = negative_errno();
        if (r == 0 && !FLAGS_SET(flags, ATOMIC_NO_SYNC) && fsync(a->f ? fileno(a->f) : a->fd) < 0)
                r = negative_errno();
        if (r == 0 && a->f) {
                FILE *f = TAKE_PTR(a->f);

                if (fclose(f) != 0)
                        r = negative_errno();
        }
        if (r < 0) {
                atomic_file_done(a);
                return r;
        }
        return atomic_file_rename(a, name, flags);
}

int atomic_file_write_at(int dir_fd, const char *name, const void *data, size_t size, mode_t mode, AtomicFlags flags) {
        _cleanup_(atomic_file_done) AtomicFile a = ATOMIC_FILE_NULL;
        int fd, r;

        fd = atomic_file_open(&a, dir_fd, name, mode);
        if (fd < 0)
                return fd;
        r = write_all(fd, data, size);
        if (r < 0)
                return r;
        return atomic_file_commit(&a, name, flags);
}

int atomic_file_write(const char *path, const void *data, size_t size, mode_t mode, AtomicFlags flags) {
        const char *name = path_basename(path);
        _cleanup_free_ char *dir = name == path ? strdup(".") : strndup(path, name - path);
        _cleanup_close_ int dir_fd = -EBADF;

        if (!dir)
                return -ENOMEM;
        (void) mkdir(dir, 0755);
        dir_fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (dir_fd < 0)
                return negative_errno();
        return atomic_file_write_at(dir_fd, name, data, size, mode, flags);
}

int atomic_file_remove_stale_at(int dir_fd) {
        _cleanup_close_ int fd = -EBADF;
        struct dirent *de;
        int n = 0;
        DIR *d;

        fd = openat(dir_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0)
                return negative_errno();
        d = fdopendir(fd);
        if (!d)
                return negative_errno();
        fd = -EBADF;

        while ((de = readdir(d)))
                if (atomic_file_tmp_name_is(de->d_name) && unlinkat(dirfd(d), de->d_name, 0) >= 0)
                        n++;
        closedir(d);
        return n;
}
