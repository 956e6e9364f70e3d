/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* vmtest-exec-chain N: executes itself N more times, then exits 0; no libc, so that an exec costs what
 * the kernel's execve() costs (and the audit records it makes), not a dynamic loader's work. */
#include <asm/unistd.h>

static long sys3(long n, long a, long b, long c) {
        long r;
        __asm__ volatile("syscall" : "=a"(r) : "a"(n), "D"(a), "S"(b), "d"(c) : "rcx", "r11", "memory");
        return r;
}

__attribute__((used)) void chain_main(long *sp) {
        long argc = sp[0];
        char **argv = (char **) (sp + 1), **envp = argv + argc + 1;
        unsigned long n = 0;
        char buf[24], *p = buf + sizeof(buf) - 1;
        char *args[3];

        if (argc > 1)
                for (const char *s = argv[1]; *s >= '0' && *s <= '9'; s++)
                        n = n * 10 + (unsigned long) (*s - '0');
        if (n == 0)
                sys3(__NR_exit, 0, 0, 0);
        n--;
        *p = 0;
        do {
                *--p = (char) ('0' + n % 10);
                n /= 10;
        } while (n > 0);
        args[0] = argv[0];
        args[1] = p;
        args[2] = 0;
        sys3(__NR_execve, (long) "/proc/self/exe", (long) args, (long) envp);
        sys3(__NR_exit, 1, 0, 0);
}

__asm__(".globl _start\n_start:\n\tmov %rsp, %rdi\n\tand $-16, %rsp\n\tcall chain_main\n\thlt\n");
