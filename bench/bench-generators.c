/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* Runs programs N times each as fresh processes, in rounds of one run of each, so that whatever else
 * the machine does falls on all of them alike; every run gets new empty output directories and
 * $SYSTEMD_IN_INITRD set as its argument says. Prints a line per program: the median, minimum and
 * maximum wall time, the largest peak RSS and the median CPU time, user and system (from wait4()): on a
 * busy machine, wall time includes the wait for a CPU, CPU time much less so.
 * Usage: bench-generators N WORKDIR INITRD:PROGRAM…   — the three output directories are appended. */

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

/* One run of program in fresh directories below workdir; returns its wall time in ms, or < 0, and its CPU
 * time in *cpu. */
static double run(const char *workdir, int round, int index, const char *initrd, const char *program, long *max_rss,
                  double *cpu) {
        char dirs[3][4096];
        struct timespec a, b;
        struct rusage ru;
        int status;
        pid_t pid;

        for (int j = 0; j < 3; j++) {
                snprintf(dirs[j], sizeof(dirs[j]), "%s/p%d-run%d-%d", workdir, index, round, j);
                if (mkdir(dirs[j], 0755) < 0)
                        return -1;
        }

        clock_gettime(CLOCK_MONOTONIC, &a);
        pid = fork();
        if (pid == 0) {
                setenv("SYSTEMD_IN_INITRD", initrd, 1);
                execl(program, program, dirs[0], dirs[1], dirs[2], (char *) NULL);
                _exit(127);
        }
        if (pid < 0 || wait4(pid, &status, 0, &ru) < 0)
                return -1;
        clock_gettime(CLOCK_MONOTONIC, &b);
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
                fprintf(stderr, "%s failed\n", program);
                return -1;
        }
        if (ru.ru_maxrss > *max_rss)
                *max_rss = ru.ru_maxrss;
        *cpu = (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e3 + (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e3;
        return (b.tv_sec - a.tv_sec) * 1e3 + (b.tv_nsec - a.tv_nsec) / 1e6;
}

int main(int argc, char *argv[]) {
        int n = argc > 3 ? atoi(argv[1]) : 0, m = argc - 3;
        const char *initrd[m > 0 ? m : 1], *program[m > 0 ? m : 1];
        long max_rss[m > 0 ? m : 1];
        double *t, *c;

        if (n <= 0) {
                fprintf(stderr, "Usage: %s N WORKDIR INITRD:PROGRAM…\n", argv[0]);
                return 2;
        }
        for (int p = 0; p < m; p++) {
                char *colon = strchr(argv[3 + p], ':');

                if (!colon) {
                        fprintf(stderr, "Not INITRD:PROGRAM: %s\n", argv[3 + p]);
                        return 2;
                }
                *colon = 0;
                initrd[p] = argv[3 + p];
                program[p] = colon + 1;
                max_rss[p] = 0;
        }
        t = calloc((size_t) n * m, sizeof(double));
        c = calloc((size_t) n * m, sizeof(double));
        if (!t || !c)
                return 1;

        for (int i = 0; i < n; i++)
                for (int p = 0; p < m; p++) {
                        t[p * n + i] = run(argv[2], i, p, initrd[p], program[p], &max_rss[p], &c[p * n + i]);
                        if (t[p * n + i] < 0)
                                return 1;
                }

        for (int p = 0; p < m; p++) {
                double *s = t + p * n, *u = c + p * n;

                qsort(s, n, sizeof(double), cmp);
                qsort(u, n, sizeof(double), cmp);
                printf("%.3f %.3f %.3f %ld %.3f\n", s[n / 2], s[0], s[n - 1], max_rss[p], u[n / 2]);
        }
        free(t);
        free(c);
        return 0;
}
