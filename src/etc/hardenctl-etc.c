/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* The helper the initrd runs before the /etc overlay is mounted:
 *
 *   hardenctl-etc prepare DIR
 *
 * creates DIR/upper and DIR/work (mode 0755, owned by root) on the tmpfs mounted at DIR. It refuses a
 * DIR that is not a directory, and upper or work if they exist as anything but directories, so that no
 * symlink planted there can redirect the overlay. */

#include <fcntl.h>
#include <sys/stat.h>

#include "fs-util.h"
#include "log.h"
#include "string-util.h"

static int make_dir(int dir_fd, const char *dir, const char *name) {
        struct stat st;

        if (mkdirat(dir_fd, name, 0755) >= 0)
                return 0;
        if (errno != EEXIST)
                return log_error_errno(errno, "Failed to create %s/%s: %m", dir, name);
        if (fstatat(dir_fd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
                return log_error_errno(errno, "Failed to check %s/%s: %m", dir, name);
        if (!S_ISDIR(st.st_mode))
                return log_error_errno(-ENOTDIR, "%s/%s exists and is not a directory, refusing.", dir, name);
        return 0;
}

static int prepare(const char *dir) {
        _cleanup_close_ int fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        int r;

        if (fd < 0)
                return log_error_errno(errno, "Failed to open %s: %m", dir);

        r = make_dir(fd, dir, "upper");
        if (r < 0)
                return r;
        return make_dir(fd, dir, "work");
}

int main(int argc, char *argv[]) {
        int r;

        log_set_prefix("hardenctl-etc");
        log_parse_environment();

        if (argc == 3 && streq(argv[1], "prepare"))
                r = prepare(argv[2]);
        else
                r = log_error_errno(-EINVAL, "Usage: hardenctl-etc prepare DIR");

        return r < 0 ? EXIT_FAILURE : EXIT_SUCCESS;
}
