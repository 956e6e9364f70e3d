/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* Replays fuzz inputs without libFuzzer: each argument is a file, or a directory whose regular files are
 * run in name order. A crash or a sanitizer report fails the test. */

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>

#include "fs-util.h"
#include "fuzz.h"
#include "path-util.h"
#include "strv.h"


static int run_file(const char *path) {
        _cleanup_free_ char *buf = NULL;
        _cleanup_close_ int fd = -EBADF;
        size_t size;
        int r;

        fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
        if (fd < 0) {
                fprintf(stderr, "%s: %m\n", path);
                return -errno;
        }
        r = read_full_fd(fd, 16 * 1024 * 1024, &buf, &size);
        if (r < 0) {
                fprintf(stderr, "%s: %s\n", path, strerror(-r));
                return r;
        }
        return LLVMFuzzerTestOneInput((const uint8_t *) buf, size);
}

int main(int argc, char *argv[]) {
        size_t n = 0;

        for (int i = 1; i < argc; i++) {
                _cleanup_strv_free_ char **files = NULL;
                DIR *d = opendir(argv[i]);
                struct dirent *de;

                if (!d) {
                        if (errno != ENOTDIR || run_file(argv[i]) < 0) {
                                fprintf(stderr, "%s: cannot read\n", argv[i]);
                                return 1;
                        }
                        n++;
                        continue;
                }

                while ((de = readdir(d)))
                        if (de->d_name[0] != '.' && strv_consume(&files, path_join(argv[i], de->d_name)) < 0) {
                                closedir(d);
                                return 1;
                        }
                closedir(d);
                if (files)
                        strv_sort(files);

                STRV_FOREACH(f, files) {
                        if (run_file(*f) < 0)
                                return 1;
                        n++;
                }
        }

        if (n == 0) {
                fprintf(stderr, "No inputs.\n");
                return 1;
        }
        printf("%zu inputs replayed\n", n);
        return 0;
}
