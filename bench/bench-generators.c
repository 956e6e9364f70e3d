/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* Runs a program N times as a fresh process, each time with new empty output directories, and prints
 * the median, minimum and maximum wall time and the largest peak RSS (from wait4()).
 * Usage: bench-generators N WORKDIR PROGRAM [ARG…]   — the three output directories are appended. */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int cmp(const void *a, const void *b) {
        double x = *(const double *) a, y = *(const double *) b;
        return x < y ? -1 : x > y;
}

int main(int argc, char *argv[]) {
        int n = argc > 3 ? atoi(argv[1]) : 0;
        double *t;
        long max_rss = 0;

        if (n <= 0) {
                fprintf(stderr, "Usage: %s N WORKDIR PROGRAM [ARG…]\n", argv[0]);
                return 2;
        }
        t = calloc(n, sizeof(double));
        if (!t)
                return 1;

        for (int i = 0; i < n; i++) {
                char dirs[3][4096];
                char *args[argc + 4];
                struct timespec a, b;
                struct rusage ru;
                int status, k = 0;
                pid_t pid;

                for (int j = 0; j < 3; j++) {
                        snprintf(dirs[j], sizeof(dirs[j]), "%s/run%d-%d", argv[2], i, j);
                        if (mkdir(dirs[j], 0755) < 0)
                                return 1;
                }
                for (int j = 3; j < argc; j++)
                        args[k++] = argv[j];
                for (int j = 0; j < 3; j++)
                        args[k++] = dirs[j];
                args[k] = NULL;

                clock_gettime(CLOCK_MONOTONIC, &a);
                pid = fork();
                if (pid == 0) {
                        execv(args[0], args);
                        _exit(127);
                }
                if (pid < 0 || wait4(pid, &status, 0, &ru) < 0)
                        return 1;
                clock_gettime(CLOCK_MONOTONIC, &b);
                if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
                        fprintf(stderr, "%s failed\n", args[0]);
                        return 1;
                }
                t[i] = (b.tv_sec - a.tv_sec) * 1e3 + (b.tv_nsec - a.tv_nsec) / 1e6;
                if (ru.ru_maxrss > max_rss)
                        max_rss = ru.ru_maxrss;
        }

        qsort(t, n, sizeof(double), cmp);
        printf("%.3f %.3f %.3f %ld\n", t[n / 2], t[0], t[n - 1], max_rss);
        free(t);
        return 0;
}
