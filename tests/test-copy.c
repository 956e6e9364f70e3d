/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* Files written whole: copy.c (trees copied with their metadata and labels) and atomic-file.c (every
 * replacement of a file through a temporary name, with nothing left behind). */

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <sys/xattr.h>

#include "atomic-file.h"
#include "copy.h"
#include "fs-util.h"
#include "label-util.h"
#include "strv.h"
#include "tests.h"

static void write_file(int dir_fd, const char *name, const char *text, mode_t mode) {
        int fd = openat(dir_fd, name, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);

        ck_assert_int_ge(fd, 0);
        ck_assert_int_eq(write(fd, text, strlen(text)), (ssize_t) strlen(text));
        ck_assert_int_eq(fchmod(fd, mode), 0);
        close(fd);
}

static char *read_file(int dir_fd, const char *name) {
        _cleanup_close_ int fd = openat(dir_fd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
        char *s = NULL;

        if (fd < 0)
                return NULL;
        ck_assert_int_eq(read_full_fd(fd, 4096, &s, NULL), 0);
        return s;
}

START_TEST(test_copy_entry) {
        char *t = test_tmpdir();
        _cleanup_free_ char *s1 = NULL, *s2 = NULL, *src_path = path_join(t, "src"), *dst_path = path_join(t, "dst");
        _cleanup_close_ int src = -EBADF, dst = -EBADF;
        char link[64];
        struct stat st;

        ck_assert_ptr_nonnull(src_path);
        ck_assert_ptr_nonnull(dst_path);
        ck_assert_int_eq(mkdir(src_path, 0755), 0);
        ck_assert_int_eq(mkdir(dst_path, 0755), 0);
        src = open(src_path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        dst = open(dst_path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        ck_assert_int_ge(src, 0);
        ck_assert_int_ge(dst, 0);

        /* A file: copied with its mode; a second copy writes nothing. */
        write_file(src, "f", "one\n", 0640);
        ck_assert_int_eq(copy_entry_at(src, dst, "f", COPY_SYNC), 1);
        s1 = read_file(dst, "f");
        ck_assert_str_eq(s1, "one\n");
        ck_assert_int_eq(fstatat(dst, "f", &st, 0), 0);
        ck_assert_uint_eq(st.st_mode & 07777, 0640);
        ck_assert_int_eq(copy_entry_at(src, dst, "f", COPY_SYNC), 0);
        /* Same size, other content: copied. */
        write_file(src, "f", "two\n", 0640);
        ck_assert_int_eq(copy_entry_at(src, dst, "f", 0), 1);
        s2 = read_file(dst, "f");
        ck_assert_str_eq(s2, "two\n");

        /* A symlink stays a symlink, and is never followed. */
        ck_assert_int_eq(symlinkat("/nonexistent/target", src, "l"), 0);
        ck_assert_int_eq(copy_entry_at(src, dst, "l", 0), 1);
        ck_assert_int_eq(readlinkat(dst, "l", link, sizeof(link)), (ssize_t) strlen("/nonexistent/target"));
        ck_assert_int_eq(copy_entry_at(src, dst, "l", 0), 0);

        /* A directory, recursively; a FIFO inside is left out; stale entries go with COPY_REMOVE_STALE. */
        ck_assert_int_eq(mkdirat(src, "d", 0750), 0);
        ck_assert_int_eq(mkdirat(src, "d/sub", 0700), 0);
        write_file(src, "d/sub/x", "x", 0600);
        ck_assert_int_eq(mkfifoat(src, "d/fifo", 0600), 0);
        ck_assert_int_eq(copy_entry_at(src, dst, "d", 0), 1);
        ck_assert_int_eq(fstatat(dst, "d/sub/x", &st, AT_SYMLINK_NOFOLLOW), 0);
        ck_assert_int_eq(fstatat(dst, "d", &st, AT_SYMLINK_NOFOLLOW), 0);
        ck_assert_uint_eq(st.st_mode & 07777, 0750);
        ck_assert_int_lt(fstatat(dst, "d/fifo", &st, AT_SYMLINK_NOFOLLOW), 0);
        ck_assert_int_eq(copy_entry_at(src, dst, "d", 0), 0);
        write_file(dst, "d/stale", "s", 0600);
        ck_assert_int_eq(copy_entry_at(src, dst, "d", 0), 0);
        ck_assert_int_eq(fstatat(dst, "d/stale", &st, 0), 0);
        ck_assert_int_eq(copy_entry_at(src, dst, "d", COPY_REMOVE_STALE), 1);
        ck_assert_int_lt(fstatat(dst, "d/stale", &st, 0), 0);

        /* The type changes: a directory replaced by a file, and back. */
        ck_assert_int_eq(rm_rf_at(src, "d"), 1);
        write_file(src, "d", "file now", 0600);
        ck_assert_int_eq(copy_entry_at(src, dst, "d", 0), 1);
        ck_assert_int_eq(fstatat(dst, "d", &st, AT_SYMLINK_NOFOLLOW), 0);
        ck_assert(S_ISREG(st.st_mode));

        /* Gone from the source: removed only with COPY_REMOVE_STALE. */
        ck_assert_int_eq(unlinkat(src, "d", 0), 0);
        ck_assert_int_eq(copy_entry_at(src, dst, "d", 0), 0);
        ck_assert_int_eq(copy_entry_at(src, dst, "d", COPY_REMOVE_STALE), 1);
        ck_assert_int_lt(fstatat(dst, "d", &st, AT_SYMLINK_NOFOLLOW), 0);
        ck_assert_int_eq(copy_entry_at(src, dst, "d", COPY_REMOVE_STALE), 0);

        /* Not copied: a FIFO on its own; not allowed: names that are not one component. */
        ck_assert_int_eq(mkfifoat(src, "p", 0600), 0);
        ck_assert_int_eq(copy_entry_at(src, dst, "p", 0), -EBADFD);
        ck_assert_int_eq(copy_entry_at(src, dst, "../f", 0), -EINVAL);
        ck_assert_int_eq(copy_entry_at(src, dst, "..", 0), -EINVAL);

        /* No temporary files are left behind. */
        ck_assert_int_eq(rm_rf_at(dst, "f"), 1);
        ck_assert_int_eq(rm_rf_at(dst, "l"), 1);
        ck_assert_int_eq(rm_rf_at(dst, "f"), 0);
        ck_assert_int_eq(rmdir(dst_path), 0);

        test_tmpdir_remove(t);
}
END_TEST

/* The label helper needs a file system that keeps security.* attributes and the right to set them
 * (CAP_SYS_ADMIN without SELinux; a context the policy knows with it); otherwise the part that needs
 * it is left out, and only what can run does. */
START_TEST(test_copy_selinux_label) {
        static const char label[] = "system_u:object_r:selinux_config_t:s0";
        char *t = test_tmpdir(), got[256];
        _cleanup_free_ char *a = NULL, *b = NULL;
        _cleanup_close_ int fa = -EBADF, fb = -EBADF;
        ssize_t n;

        a = path_join(t, "a");
        b = path_join(t, "b");
        fa = open(a, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
        fb = open(b, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
        ck_assert_int_ge(fa, 0);
        ck_assert_int_ge(fb, 0);

        /* No label: nothing to copy. */
        if (fgetxattr(fa, SELINUX_XATTR, NULL, 0) < 0)
                ck_assert_int_eq(fd_copy_selinux_label(fa, fb), 0);

        if (fsetxattr(fa, SELINUX_XATTR, label, sizeof(label), 0) < 0) {
                fprintf(stderr, "Cannot set %s here (%m): label copy not tested.\n", SELINUX_XATTR);
                test_tmpdir_remove(t);
                return;
        }
        ck_assert_int_eq(fd_copy_selinux_label(fa, fb), 1);
        n = fgetxattr(fb, SELINUX_XATTR, got, sizeof(got));
        ck_assert_int_eq(n, (ssize_t) sizeof(label));
        ck_assert_mem_eq(got, label, sizeof(label));
        test_tmpdir_remove(t);
}
END_TEST

typedef enum AtomicApi {
        ATOMIC_API_FD,      /* atomic_file_open(), write(), atomic_file_commit() */
        ATOMIC_API_STREAM,  /* atomic_file_open(), atomic_file_fdopen(), atomic_file_commit() */
        ATOMIC_API_SYMLINK, /* atomic_file_symlink() → /dev/null, atomic_file_rename() */
        ATOMIC_API_ABANDON, /* atomic_file_open(), a part written, and the scope left */
        ATOMIC_API_WRITE,   /* atomic_file_write_at() */
} AtomicApi;

/* What is at a name before and after: NULL nothing, "dir" a directory, "link:T" a symlink to T, anything
 * else a file with that content (mode 0600 before). */
static const struct {
        const char *what;
        AtomicApi api;
        const char *name;
        const char *before;
        AtomicFlags flags;
        mode_t mode, umask;
        rlim_t fsize; /* 0, or a file size limit during the write */
        int ret;
        const char *after;
        mode_t after_mode;
} atomic_cases[] = {
        { "create", ATOMIC_API_FD, "f", NULL, 0, 0640, 022, 0, 0, "new\n", 0640 },
        { "replace", ATOMIC_API_FD, "f", "old\n", 0, 0644, 022, 0, 0, "new\n", 0644 },
        { "replace, the directory synced", ATOMIC_API_FD, "f", "old\n", ATOMIC_SYNC_DIR, 0600, 022, 0, 0, "new\n", 0600 },
        { "the mode whatever the umask", ATOMIC_API_FD, "f", NULL, 0, 0644, 077, 0, 0, "new\n", 0644 },
        { "the mode whatever the umask, 0", ATOMIC_API_FD, "f", "old\n", 0, 0600, 0, 0, 0, "new\n", 0600 },
        { "a symlink replaced, not followed", ATOMIC_API_FD, "f", "link:t", 0, 0644, 022, 0, 0, "new\n", 0644 },
        { "in a subdirectory", ATOMIC_API_FD, "sub/f", "old\n", 0, 0644, 022, 0, 0, "new\n", 0644 },
        { "no-replace where nothing is", ATOMIC_API_FD, "f", NULL, ATOMIC_NOREPLACE, 0644, 022, 0, 0, "new\n", 0644 },
        { "no-replace refused", ATOMIC_API_FD, "f", "old\n", ATOMIC_NOREPLACE, 0644, 022, 0, -EEXIST, "old\n", 0600 },
        { "no-replace refused, a symlink", ATOMIC_API_STREAM, "f", "link:t", ATOMIC_NOREPLACE, 0644, 022, 0, -EEXIST,
          "link:t", 0 },
        { "a directory in the way", ATOMIC_API_FD, "f", "dir", 0, 0644, 022, 0, -EISDIR, "dir", 0 },
        { "stream", ATOMIC_API_STREAM, "f", "old\n", ATOMIC_SYNC_DIR, 0640, 022, 0, 0, "new\n", 0640 },
        { "stream, no-replace where nothing is", ATOMIC_API_STREAM, "sub/f", NULL, ATOMIC_NOREPLACE, 0644, 022, 0, 0,
          "new\n", 0644 },
        { "stream, the write fails", ATOMIC_API_STREAM, "f", "old\n", 0, 0644, 022, 2, -EFBIG, "old\n", 0600 },
        { "the write fails", ATOMIC_API_FD, "sub/f", "old\n", 0, 0644, 022, 2, -EFBIG, "old\n", 0600 },
        { "abandoned", ATOMIC_API_ABANDON, "f", "old\n", 0, 0644, 022, 0, -ECANCELED, "old\n", 0600 },
        { "abandoned, nothing there", ATOMIC_API_ABANDON, "f", NULL, 0, 0644, 022, 0, -ECANCELED, NULL, 0 },
        { "symlink", ATOMIC_API_SYMLINK, "f", "old\n", ATOMIC_SYNC_DIR, 0, 022, 0, 0, "link:/dev/null", 0 },
        { "symlink, no-replace refused", ATOMIC_API_SYMLINK, "f", "old\n", ATOMIC_NOREPLACE, 0, 022, 0, -EEXIST,
          "old\n", 0600 },
        { "write", ATOMIC_API_WRITE, "f", "old\n", ATOMIC_SYNC_DIR, 0640, 022, 0, 0, "new\n", 0640 },
        { "write, no-replace where nothing is", ATOMIC_API_WRITE, "sub/f", NULL, ATOMIC_NOREPLACE | ATOMIC_NO_SYNC,
          0640, 077, 0, 0, "new\n", 0640 },
        { "write, no-replace refused", ATOMIC_API_WRITE, "f", "old\n", ATOMIC_NOREPLACE, 0644, 022, 0, -EEXIST, "old\n",
          0600 },
        { "write, no-replace refused, a dangling symlink", ATOMIC_API_WRITE, "f", "link:t", ATOMIC_NOREPLACE, 0644, 022,
          0, -EEXIST, "link:t", 0 },
        { "write, the write fails", ATOMIC_API_WRITE, "f", NULL, ATOMIC_NOREPLACE, 0644, 022, 2, -EFBIG, NULL, 0 },
        { "write, no directory", ATOMIC_API_WRITE, "none/f", NULL, ATOMIC_NOREPLACE, 0644, 022, 0, -ENOENT, NULL, 0 },
};

static int atomic_case_run(size_t i, int dir_fd) {
        _cleanup_(atomic_file_done) AtomicFile a = ATOMIC_FILE_NULL;
        FILE *f;
        int fd, r;

        switch (atomic_cases[i].api) {
        case ATOMIC_API_FD:
                fd = atomic_file_open(&a, dir_fd, atomic_cases[i].name, atomic_cases[i].mode);
                ck_assert_int_ge(fd, 0);
                r = write_all(fd, "new\n", 4);
                if (r < 0)
                        return r; /* and the scope's cleanup removes the temporary file */
                return atomic_file_commit(&a, atomic_cases[i].name, atomic_cases[i].flags);
        case ATOMIC_API_STREAM:
                fd = atomic_file_open(&a, dir_fd, atomic_cases[i].name, atomic_cases[i].mode);
                ck_assert_int_ge(fd, 0);
                ck_assert(atomic_file_tmp_name_is(path_basename(a.tmp)));
                ck_assert_ptr_nonnull(f = atomic_file_fdopen(&a));
                fputs("new\n", f);
                return atomic_file_commit(&a, atomic_cases[i].name, atomic_cases[i].flags);
        case ATOMIC_API_SYMLINK:
                ck_assert_int_eq(atomic_file_symlink(&a, dir_fd, atomic_cases[i].name, "/dev/null"), 0);
                return atomic_file_rename(&a, atomic_cases[i].name, atomic_cases[i].flags);
        case ATOMIC_API_WRITE:
                return atomic_file_write_at(dir_fd, atomic_cases[i].name, "new\n", 4, atomic_cases[i].mode,
                                            atomic_cases[i].flags);
        case ATOMIC_API_ABANDON:
                /* The caller gives up half-way (an error of its own): leaving the scope is enough. */
                fd = atomic_file_open(&a, dir_fd, atomic_cases[i].name, atomic_cases[i].mode);
                ck_assert_int_ge(fd, 0);
                ck_assert_int_eq(write_all(fd, "ne", 2), 0);
                return -ECANCELED;
        }
        return -EINVAL;
}

/* The names in dir_fd (and in sub/ if it is there), but "." and "..": no temporary file may remain. */
static size_t atomic_count_entries(int dir_fd) {
        DIR *d = fdopendir(openat(dir_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC));
        struct dirent *de;
        size_t n = 0;

        ck_assert_ptr_nonnull(d);
        while ((de = readdir(d)))
                if (!streq(de->d_name, ".") && !streq(de->d_name, "..")) {
                        ck_assert_msg(!startswith(de->d_name, ".#"), "left behind: %s", de->d_name);
                        n++;
                }
        closedir(d);
        return n;
}

START_TEST(test_atomic_file) {
        char *t = test_tmpdir();
        _cleanup_free_ char *content = NULL;
        _cleanup_close_ int dir_fd = open(t, O_RDONLY | O_DIRECTORY | O_CLOEXEC), sub_fd = -EBADF;
        const char *name = atomic_cases[_i].name, *before = atomic_cases[_i].before, *after = atomic_cases[_i].after;
        struct rlimit old;
        struct stat st;
        char target[64];
        ssize_t k;
        mode_t mask;
        int r;

        ck_assert_int_ge(dir_fd, 0);
        if (startswith(name, "sub/"))
                ck_assert_int_eq(mkdirat(dir_fd, "sub", 0755), 0);
        if (streq_ptr(before, "dir"))
                ck_assert_int_eq(mkdirat(dir_fd, name, 0755), 0);
        else if (before && startswith(before, "link:"))
                ck_assert_int_eq(symlinkat(before + 5, dir_fd, name), 0);
        else if (before)
                write_file(dir_fd, name, before, 0600);

        ck_assert_int_eq(getrlimit(RLIMIT_FSIZE, &old), 0);
        if (atomic_cases[_i].fsize > 0) {
                struct rlimit small = { .rlim_cur = atomic_cases[_i].fsize, .rlim_max = old.rlim_max };

                ck_assert_ptr_ne(signal(SIGXFSZ, SIG_IGN), SIG_ERR);
                ck_assert_int_eq(setrlimit(RLIMIT_FSIZE, &small), 0);
        }
        mask = umask(atomic_cases[_i].umask);
        r = atomic_case_run(_i, dir_fd);
        umask(mask);
        ck_assert_int_eq(setrlimit(RLIMIT_FSIZE, &old), 0);
        ck_assert_msg(r == atomic_cases[_i].ret, "%s: %d, not %d", atomic_cases[_i].what, r, atomic_cases[_i].ret);

        /* What is there now: only the name, as expected; no temporary file. */
        if (!after) {
                ck_assert_int_eq(fstatat(dir_fd, name, &st, AT_SYMLINK_NOFOLLOW), -1);
                ck_assert_uint_eq(atomic_count_entries(dir_fd), 0);
                test_tmpdir_remove(t);
                return;
        }
        if (streq(after, "dir"))
                ck_assert_int_eq(fstatat(dir_fd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISDIR(st.st_mode), 1);
        else if (startswith(after, "link:")) {
                k = readlinkat(dir_fd, name, target, sizeof(target) - 1);
                ck_assert_int_gt(k, 0);
                target[k] = 0;
                ck_assert_str_eq(target, after + 5);
        } else {
                ck_assert_ptr_nonnull(content = read_file(dir_fd, name));
                ck_assert_str_eq(content, after);
                ck_assert_int_eq(fstatat(dir_fd, name, &st, AT_SYMLINK_NOFOLLOW), 0);
                ck_assert_uint_eq(st.st_mode & 07777, atomic_cases[_i].after_mode);
        }
        ck_assert_uint_eq(atomic_count_entries(dir_fd), 1);
        if (startswith(name, "sub/")) {
                ck_assert_int_ge(sub_fd = openat(dir_fd, "sub", O_RDONLY | O_DIRECTORY | O_CLOEXEC), 0);
                ck_assert_uint_eq(atomic_count_entries(sub_fd), 1);
        }
        test_tmpdir_remove(t);
}
END_TEST

/* One write through each way in a full file system: nothing but the old file remains. Returns 0, or
 * the number of the step that went wrong. */
static int atomic_enospc_child(const char *t) {
        static char big[256 * 1024];
        _cleanup_close_ int src_fd = open(t, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        int dir_fd, fd, r, step = 2;
        struct stat st;
        char *content;
        FILE *f;

        memset(big, 'x', sizeof(big));
        if (src_fd < 0)
                return 1;
        write_file(src_fd, "big", "", 0644);
        fd = openat(src_fd, "big", O_WRONLY | O_CLOEXEC);
        if (fd < 0 || write_all(fd, big, sizeof(big)) < 0)
                return 2;
        close(fd);
        if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0 ||
            mount("tmpfs", t, "tmpfs", MS_NOSUID | MS_NODEV, "size=64k,mode=0755") < 0)
                return 77;
        dir_fd = open(t, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (dir_fd < 0)
                return ++step;
        write_file(dir_fd, "f", "old\n", 0600);

        {
                _cleanup_(atomic_file_done) AtomicFile a = ATOMIC_FILE_NULL;

                fd = atomic_file_open(&a, dir_fd, "f", 0644);
                if (fd < 0)
                        return 10 + ++step;
                r = write_all(fd, big, sizeof(big));
                if (r != -ENOSPC)
                        return 20 + ++step;
        } /* the scope is left with the error, as every caller leaves it */
        if (atomic_count_entries(dir_fd) != 1)
                return 30 + ++step;

        {
                _cleanup_(atomic_file_done) AtomicFile a = ATOMIC_FILE_NULL;

                if (atomic_file_open(&a, dir_fd, "f", 0644) < 0 || !(f = atomic_file_fdopen(&a)))
                        return 40 + ++step;
                (void) fwrite(big, 1, sizeof(big), f);
                r = atomic_file_commit(&a, "f", 0);
                if (r != -ENOSPC || a.tmp)
                        return 50 + ++step;
        }
        if (atomic_count_entries(dir_fd) != 1)
                return 60 + ++step;

        /* A copy of a file larger than the file system, from outside it. */
        r = copy_entry_at(src_fd, dir_fd, "big", 0);
        if (r != -ENOSPC || atomic_count_entries(dir_fd) != 1)
                return 70 + ++step;

        content = read_file(dir_fd, "f");
        if (!content || !streq(content, "old\n") || fstatat(dir_fd, "f", &st, 0) < 0 || (st.st_mode & 07777) != 0600)
                return 90 + ++step;
        free(content);
        close(dir_fd);
        return 0;
}

START_TEST(test_atomic_file_enospc) {
        char *t = test_tmpdir();
        int status;
        pid_t pid;

        /* A tiny tmpfs in a mount namespace of a child's own: the host's mounts are never touched. */
        pid = fork();
        ck_assert_int_ge(pid, 0);
        if (pid == 0)
                _exit(unshare(CLONE_NEWNS) < 0 ? 77 : atomic_enospc_child(t));
        ck_assert_int_eq(waitpid(pid, &status, 0), pid);
        ck_assert(WIFEXITED(status));
        if (WEXITSTATUS(status) == 77)
                fprintf(stderr, "test_atomic_file_enospc: no mount namespace here, skipped\n");
        else
                ck_assert_msg(WEXITSTATUS(status) == 0, "a full file system: step %d", WEXITSTATUS(status));
        test_tmpdir_remove(t);
}
END_TEST

START_TEST(test_atomic_file_tmp_name) {
        _cleanup_free_ char *a = NULL, *b = NULL, *c = NULL;

        /* Next to the final name, in its directory; a new name each time. */
        ck_assert_int_eq(atomic_file_tmp_name("unit.service.d/50-x.conf", &a), 0);
        ck_assert(startswith(a, "unit.service.d/" ATOMIC_FILE_TMP_PREFIX "50-x.conf."));
        ck_assert(atomic_file_tmp_name_is(a + strlen("unit.service.d/")));
        ck_assert_int_eq(atomic_file_tmp_name("unit.service.d/50-x.conf", &b), 0);
        ck_assert_str_ne(a, b);
        ck_assert_int_eq(atomic_file_tmp_name("dir/", &c), -EINVAL);
        ck_assert(!atomic_file_tmp_name_is("50-x.conf"));
        ck_assert(!atomic_file_tmp_name_is(ATOMIC_FILE_TMP_PREFIX "50-x.conf"));
}
END_TEST

static Suite *suite(void) {
        Suite *s = suite_create("copy");
        TCase *tc = tcase_create("core");

        tcase_add_test(tc, test_copy_entry);
        tcase_add_test(tc, test_copy_selinux_label);
        tcase_add_loop_test(tc, test_atomic_file, 0, ELEMENTSOF(atomic_cases));
        tcase_add_test(tc, test_atomic_file_tmp_name);
        tcase_add_test(tc, test_atomic_file_enospc);
        suite_add_tcase(s, tc);
        return s;
}

TEST_MAIN(suite)
