/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* libFuzzer target for the /etc overlay's upper dir reader (drift_read()): the input describes a small
 * tree, one entry a line, which is built in a scratch directory below /tmp (made anew for each input)
 * as an upper dir "upper" and a lower layer "lower", and the drift probe reads it.
 *
 *     KIND LAYER PATH [ARG]     LAYER is u (upper) or l (lower); PATH relative to the layer
 *
 *     f  a regular file, ARG its content       s  a sparse file, ARG its size in bytes
 *     d  a directory                           l  a symbolic link, ARG its target
 *     p  a FIFO                                w  a whiteout (a 0:0 character device; skipped where
 *     m  a new mode, ARG in octal                 device nodes cannot be made)
 *     x  an overlay xattr, ARG "NAME VALUE" (trusted.overlay.NAME: opaque, origin, metacopy, redirect)
 *
 * A parent must exist (a d line before); entries are created through open_in_root() inside the
 * scratch directory, so that no symbolic link of the input leads a write out of it. */

#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "compliance.h"
#include "copy.h"
#include "fs-util.h"
#include "fuzz.h"
#include "path-util.h"
#include "probe.h"
#include "string-util.h"

#define OPS_MAX 128U
#define SPARSE_MAX (UINT64_C(1) << 42) /* 4 TiB of holes: costs nothing on disk */

static char *scratch;
static int scratch_fd = -EBADF;

static void scratch_remove(void) {
        (void) rm_rf_at(scratch_fd, "t");
        (void) rmdir(scratch);
}

static int scratch_init(void) {
        char tmpl[] = "/tmp/hardenctl-fuzz-drift-XXXXXX";

        if (scratch_fd >= 0)
                return 0;
        if (!mkdtemp(tmpl))
                return -errno;
        scratch = strdup(tmpl);
        if (!scratch)
                return -ENOMEM;
        scratch_fd = open(scratch, O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (scratch_fd < 0)
                return -errno;
        return atexit(scratch_remove) == 0 ? 0 : -ENOMEM;
}

/* Creates one entry; an entry that cannot be made (a missing parent, a taken name) is skipped. */
static void make_entry(int t_fd, char kind, char layer, const char *path, const char *arg) {
        _cleanup_free_ char *parent = NULL;
        _cleanup_close_ int dir_fd = -EBADF;
        const char *base = path_basename(path);

        if (!filename_is_valid(base))
                return;
        parent = strprintf("%s/%.*s", layer == 'u' ? "upper" : "lower", (int) (base - path), path);
        if (!parent)
                return;
        dir_fd = open_in_root(t_fd, parent, O_PATH | O_DIRECTORY);
        if (dir_fd < 0)
                return;

        switch (kind) {
        case 'f': {
                _cleanup_close_ int fd = openat(dir_fd, base, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);

                if (fd >= 0)
                        (void) write(fd, arg, strlen(arg));
                break;
        }
        case 's': {
                _cleanup_close_ int fd = openat(dir_fd, base, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
                unsigned long long size = strtoull(arg, NULL, 10);

                if (fd >= 0)
                        (void) ftruncate(fd, (off_t) MIN(size, SPARSE_MAX));
                break;
        }
        case 'd':
                (void) mkdirat(dir_fd, base, 0755);
                break;
        case 'l':
                (void) symlinkat(arg, dir_fd, base);
                break;
        case 'p':
                (void) mkfifoat(dir_fd, base, 0644);
                break;
        case 'w':
                (void) mknodat(dir_fd, base, S_IFCHR | 0000, makedev(0, 0));
                break;
        case 'm': {
                unsigned long mode = strtoul(arg, NULL, 8) & 07777;
                struct stat st;

                /* Never through a symbolic link; a directory stays enterable, so that it can be removed. */
                if (fstatat(dir_fd, base, &st, AT_SYMLINK_NOFOLLOW) < 0 || S_ISLNK(st.st_mode))
                        break;
                (void) fchmodat(dir_fd, base, S_ISDIR(st.st_mode) ? mode | 0700 : mode, 0);
                break;
        }
        case 'x': {
                _cleanup_close_ int fd = openat(dir_fd, base, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
                const char *sp = strchr(arg, ' '), *value = sp ? sp + 1 : "";
                _cleanup_free_ char *name =
                        strprintf("trusted.overlay.%.*s", sp ? (int) (sp - arg) : (int) strlen(arg), arg);
                struct stat st;

                if (fd >= 0 && name && fstat(fd, &st) >= 0 && (S_ISREG(st.st_mode) || S_ISDIR(st.st_mode)))
                        (void) fsetxattr(fd, name, value, strlen(value), 0);
                break;
        }
        }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        static char *const expected[] = { (char *) "expected*", (char *) "d/*.conf", NULL };
        _cleanup_free_ char *text = fuzz_text(data, size);
        _cleanup_close_ int t_fd = -EBADF;
        DriftEntry *entries = NULL;
        unsigned ops = 0;
        size_t n = 0;
        char *p, *line;

        if (!text || scratch_init() < 0)
                abort();
        (void) rm_rf_at(scratch_fd, "t");
        if (mkdirat(scratch_fd, "t", 0755) < 0)
                abort();
        t_fd = openat(scratch_fd, "t", O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (t_fd < 0 || mkdirat(t_fd, "upper", 0755) < 0 || mkdirat(t_fd, "lower", 0755) < 0)
                abort();

        for (p = text; (line = strsep(&p, "\n")) && ops < OPS_MAX; ops++) {
                char *path, *arg;

                /* "K L PATH[ ARG]" */
                if (strlen(line) < 5 || line[1] != ' ' || line[3] != ' ' || !strchr("ul", line[2]))
                        continue;
                path = line + 4;
                arg = strchr(path, ' ');
                if (arg)
                        *arg++ = 0;
                make_entry(t_fd, line[0], line[2], path, arg ?: "");
        }

        if (drift_read(t_fd, "upper", "lower", expected, &entries, &n) >= 0) {
                for (size_t i = 0; i < n; i++)
                        (void) drift_kind_to_string(entries[i].kind);
                drift_entries_free(entries, n);
        }
        /* And as under a live overlay, the lower layer out of reach: the xattrs decide. */
        if (drift_read(t_fd, "upper", NULL, NULL, &entries, &n) >= 0)
                drift_entries_free(entries, n);
        return 0;
}
