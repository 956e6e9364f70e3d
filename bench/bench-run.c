/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* Runs a program N times as a fresh process (standard output to OUTFILE, standard error discarded)
 * and prints "MEDIAN_WALL_S MEDIAN_CPU_S MAX_RSS_KIB LAST_EXIT" — CPU is user plus system time and
 * RSS the peak resident set, both from wait4(). Forking from this small process keeps the peak RSS
 * the program's own.
 * Usage: bench-run N OUTFILE PROGRAM [ARG…] */

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int cmp(const void *a, const void *b) {
        double x = *(const double *) a, y = *(const double *) b;
        return x < y ? -1 : x > y;
}

int main(int argc, char *argv[]) {
        int n = argc > 3 ? atoi(argv[1]) : 0, code = -1;
        double *wall, *cpu;
        long max_rss = 0;

        if (n <= 0) {
                fprintf(stderr, "Usage: %s N OUTFILE PROGRAM [ARG…]\n", argv[0]);
                return 2;
        }
        wall = calloc(n, sizeof(double));
        cpu = calloc(n, sizeof(double));
        if (!wall || !cpu)
                return 1;

        for (int i = 0; i < n; i++) {
                struct timespec a, b;
                struct rusage ru;
                int status;
                pid_t pid;

                clock_gettime(CLOCK_MONOTONIC, &a);
                pid = fork();
                if (pid < 0)
                        return 1;
                if (pid == 0) {
                        int out = open(argv[2], O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
                        int null = open("/dev/null", O_WRONLY | O_CLOEXEC);

                        if (out < 0 || null < 0 || dup2(out, 1) < 0 || dup2(null, 2) < 0)
                                _exit(127);
                        execvp(argv[3], argv + 3);
                        _exit(127);
                }
                if (wait4(pid, &status, 0, &ru) < 0)
                        return 1;
                clock_gettime(CLOCK_MONOTONIC, &b);
                wall[i] = (b.tv_sec - a.tv_sec) + (b.tv_nsec - a.tv_nsec) / 1e9;
                cpu[i] = ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
                if (ru.ru_maxrss > max_rss)
                        max_rss = ru.ru_maxrss;
                code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        }
        qsort(wall, n, sizeof(double), cmp);
        qsort(cpu, n, sizeof(double), cmp);
        printf("%.6f %.6f %ld %d\n", wall[n / 2], cpu[n / 2], max_rss, code);
        return 0;
}
