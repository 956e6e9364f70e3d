/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>

#include "atomic-file.h"
#include "copy.h"
#include "fs-util.h"
#include "label-util.h"
#include "parse-util.h"
#include "proc-cmdline.h"
#include "strv.h"
#include "tests.h"
#include "time-util.h"
#include "unit-name.h"
#include "utf8.h"
#include "verbs.h"

static const struct {
        const char *s;
        size_t n;
        bool valid;
} utf8_cases[] = {
        { "plain ascii", 11, true },
        { "caf\xc3\xa9", 5, true },
        { "\xe2\x82\xac", 3, true },      /* € */
        { "\xf0\x9f\x94\x92", 4, true },  /* 🔒 */
        { "\xc3", 1, false },             /* truncated */
        { "\xc0\xaf", 2, false },         /* overlong '/' */
        { "\xe0\x80\xaf", 3, false },     /* overlong */
        { "\xed\xa0\x80", 3, false },     /* surrogate */
        { "\xf4\x90\x80\x80", 4, false }, /* above U+10FFFF */
        { "\xff", 1, false },
        { "ok\x80", 3, false },   /* stray continuation */
        { "\xe2\x82", 2, false }, /* truncated */
};

START_TEST(test_utf8) {
        const char *bad = utf8_validate(utf8_cases[_i].s, utf8_cases[_i].n);

        ck_assert_msg((bad == NULL) == utf8_cases[_i].valid, "case %d", _i);
}
END_TEST

#define FFFD "\xef\xbf\xbd"

static const struct {
        const char *in, *out;
} utf8_valid_cases[] = {
        { "plain", "plain" },
        { "caf\xc3\xa9", "caf\xc3\xa9" },
        { "caf\xe9.conf", "caf" FFFD ".conf" }, /* Latin-1 */
        { "\xff\xfe", FFFD FFFD },
        { "a\xe2\x82", "a" FFFD FFFD },                      /* truncated at the end */
        { "\xc0\xaf/", FFFD FFFD "/" },                      /* overlong */
        { "\xed\xa0\x80x", FFFD FFFD FFFD "x" },             /* surrogate */
        { "\xef\xbf\xbex", FFFD FFFD FFFD "x" },             /* U+FFFE, not allowed in XML */
        { "\xf0\x9f\x94\x92\x80", "\xf0\x9f\x94\x92" FFFD }, /* stray continuation */
        { "", "" },
};

START_TEST(test_utf8_make_valid) {
        _cleanup_free_ char *s = strdup(utf8_valid_cases[_i].in);
        const char *before = s;
        int r;

        ck_assert_ptr_nonnull(s);
        r = utf8_make_valid(&s);
        ck_assert_int_eq(r, !streq(utf8_valid_cases[_i].in, utf8_valid_cases[_i].out));
        ck_assert_str_eq(s, utf8_valid_cases[_i].out);
        if (r == 0)
                ck_assert_ptr_eq(s, before);
        ck_assert_ptr_null(utf8_validate(s, strlen(s)));
}
END_TEST

START_TEST(test_strv_builder) {
        _cleanup_(strv_builder_done) StrvBuilder b = {};
        _cleanup_strv_free_ char **l = NULL;

        ck_assert_ptr_null(strv_builder_take(&b));
        for (unsigned i = 0; i < 1000; i++) {
                _cleanup_free_ char *s = strprintf("s%u", i);

                ck_assert_int_eq(strv_builder_extend(&b, s), 0);
                ck_assert_uint_eq(strv_length(b.l), i + 1); /* NULL-terminated at all times */
        }
        ck_assert_int_eq(strv_builder_consume(&b, NULL), -ENOMEM);
        l = strv_builder_take(&b);
        ck_assert_ptr_null(b.l);
        ck_assert_uint_eq(b.n, 0);
        ck_assert_uint_eq(strv_length(l), 1000);
        ck_assert_str_eq(l[0], "s0");
        ck_assert_str_eq(l[999], "s999");
        /* A taken list is an ordinary strv for every other caller. */
        ck_assert_int_eq(strv_extend(&l, "more"), 0);
        ck_assert_str_eq(l[1000], "more");
        ck_assert_int_eq(strv_builder_extend(&b, "again"), 0);
}
END_TEST

START_TEST(test_strv_uniq_stable) {
        static const char *const in[] = { "carol", "bob", "carol", "alice", "bob", "dave", "alice", NULL };
        _cleanup_strv_free_ char **l = strv_copy((char *const *) in), **empty = NULL;
        _cleanup_free_ char *j = NULL;

        ck_assert_int_eq(strv_uniq_stable(l), 0);
        j = strv_join(l, " ");
        ck_assert_str_eq(j, "carol bob alice dave");
        ck_assert_int_eq(strv_uniq_stable(empty), 0);
}
END_TEST

START_TEST(test_parse_boolean) {
        ck_assert_int_eq(parse_boolean("yes"), 1);
        ck_assert_int_eq(parse_boolean("TRUE"), 1);
        ck_assert_int_eq(parse_boolean("on"), 1);
        ck_assert_int_eq(parse_boolean("1"), 1);
        ck_assert_int_eq(parse_boolean("no"), 0);
        ck_assert_int_eq(parse_boolean("Off"), 0);
        ck_assert_int_eq(parse_boolean("0"), 0);
        ck_assert_int_eq(parse_boolean("maybe"), -EINVAL);
        ck_assert_int_eq(parse_boolean(""), -EINVAL);
        ck_assert_int_eq(parse_boolean("yes "), -EINVAL);
}
END_TEST

START_TEST(test_safe_atou64) {
        uint64_t v = 7;

        ck_assert_int_eq(safe_atou64("0", &v), 0);
        ck_assert_uint_eq(v, 0);
        ck_assert_int_eq(safe_atou64("18446744073709551615", &v), 0);
        ck_assert_uint_eq(v, UINT64_MAX);
        ck_assert_int_eq(safe_atou64("18446744073709551616", &v), -ERANGE);
        ck_assert_int_eq(safe_atou64(" 1", &v), -EINVAL);
        ck_assert_int_eq(safe_atou64("-1", &v), -EINVAL);
        ck_assert_int_eq(safe_atou64("+1", &v), -EINVAL);
        ck_assert_int_eq(safe_atou64("1x", &v), -EINVAL);
        ck_assert_int_eq(safe_atou64("", &v), -EINVAL);
        ck_assert_uint_eq(v, UINT64_MAX); /* untouched on failure */
}
END_TEST

START_TEST(test_parse_size) {
        uint64_t v;
        unsigned p;

        ck_assert_int_eq(parse_size("512", &v), 0);
        ck_assert_uint_eq(v, 512);
        ck_assert_int_eq(parse_size("64K", &v), 0);
        ck_assert_uint_eq(v, 64 * 1024);
        ck_assert_int_eq(parse_size("16m", &v), 0);
        ck_assert_uint_eq(v, 16 * 1024 * 1024);
        ck_assert_int_eq(parse_size("2T", &v), 0);
        ck_assert_uint_eq(v, 2ULL << 40);
        ck_assert_int_eq(parse_size("16777216T", &v), -ERANGE);
        ck_assert_int_eq(parse_size("M", &v), -EINVAL);
        ck_assert_int_eq(parse_size("1.5G", &v), -EINVAL);
        ck_assert_int_eq(parse_size("", &v), -EINVAL);

        ck_assert_int_eq(parse_percent("25%", &p), 0);
        ck_assert_uint_eq(p, 25);
        ck_assert_int_eq(parse_percent("100%", &p), 0);
        ck_assert_int_eq(parse_percent("101%", &p), -ERANGE);
        ck_assert_int_eq(parse_percent("25", &p), -EINVAL);
        ck_assert_int_eq(parse_percent("%", &p), -EINVAL);
}
END_TEST

START_TEST(test_paths) {
        _cleanup_free_ char *a = path_join("/a/", "/b"), *b = path_join("/", "x"), *c = path_join("a", "b/c");

        ck_assert(path_is_normalized("/"));
        ck_assert(path_is_normalized("/usr/lib"));
        ck_assert(path_is_normalized("etc/x"));
        ck_assert(!path_is_normalized("/usr/"));
        ck_assert(!path_is_normalized("/usr//lib"));
        ck_assert(!path_is_normalized("/usr/./lib"));
        ck_assert(!path_is_normalized("/usr/../etc"));
        ck_assert(!path_is_normalized("../etc"));
        ck_assert(!path_is_normalized("/usr/.."));
        ck_assert(!path_is_normalized(""));
        ck_assert(filename_is_valid("a.conf"));
        ck_assert(!filename_is_valid("a/b"));
        ck_assert(!filename_is_valid(".."));
        ck_assert(!filename_is_valid(""));
        ck_assert_str_eq(a, "/a/b");
        ck_assert_str_eq(b, "/x");
        ck_assert_str_eq(c, "a/b/c");
        ck_assert_str_eq(path_basename("/a/b.conf"), "b.conf");
        ck_assert_str_eq(path_basename("b"), "b");
}
END_TEST

static const struct {
        const char *in;
        const char *words[4];
        int r;
} word_cases[] = {
        { "a b  c", { "a", "b", "c" }, 0 },
        { "  'a b' \"c d\" ", { "a b", "c d" }, 0 },
        { "a\\ b c", { "a b", "c" }, 0 },
        { "x'y z'w", { "xy zw" }, 0 },
        { "", { NULL }, 0 },
        { "'open", { NULL }, -EINVAL },
        { "end\\", { NULL }, -EINVAL },
};

START_TEST(test_extract_first_word) {
        const char *p = word_cases[_i].in;
        size_t n = 0;
        int r;

        for (;;) {
                _cleanup_free_ char *w = NULL;

                r = extract_first_word(&p, &w);
                if (r <= 0)
                        break;
                ck_assert_msg(n < 4 && word_cases[_i].words[n], "case %d: too many words", _i);
                ck_assert_str_eq(w, word_cases[_i].words[n]);
                n++;
        }
        ck_assert_int_eq(r, word_cases[_i].r);
        if (r == 0)
                ck_assert_ptr_null(word_cases[_i].words[n]);
}
END_TEST

START_TEST(test_strv) {
        _cleanup_strv_free_ char **l = NULL, **c = NULL;
        _cleanup_free_ char *j = NULL;

        ck_assert_uint_eq(strv_length(l), 0);
        ck_assert_int_eq(strv_extend(&l, "b"), 0);
        ck_assert_int_eq(strv_extend(&l, "a"), 0);
        ck_assert_int_eq(strv_consume(&l, strdup("c")), 0);
        ck_assert_uint_eq(strv_length(l), 3);
        ck_assert(strv_contains(l, "a"));
        ck_assert(!strv_contains(l, "d"));
        strv_sort(l);
        j = strv_join(l, ",");
        ck_assert_str_eq(j, "a,b,c");
        c = strv_copy(l);
        ck_assert_uint_eq(strv_length(c), 3);
        ck_assert_str_eq(c[2], "c");
        ck_assert_int_eq(strv_consume(&l, NULL), -ENOMEM);
}
END_TEST

START_TEST(test_hex) {
        ck_assert(hex_string_is_valid("00ff", 1, 2));
        ck_assert(!hex_string_is_valid("00f", 1, 2));
        ck_assert(!hex_string_is_valid("00ffaa", 1, 2));
        ck_assert(!hex_string_is_valid("zz", 1, 2));
        ck_assert(!hex_string_is_valid("", 1, 2));
}
END_TEST

START_TEST(test_read_full_fd) {
        char *t = test_tmpdir();
        _cleanup_free_ char *f = path_join(t, "f"), *fifo = path_join(t, "fifo"), *buf = NULL;
        _cleanup_close_ int fd = -EBADF, dfd = -EBADF, ffd = -EBADF;
        size_t n;

        test_write(t, "f", "hello");
        fd = open(f, O_RDONLY | O_CLOEXEC);
        ck_assert_int_ge(fd, 0);
        ck_assert_int_eq(read_full_fd(fd, 4, &buf, &n), -EFBIG);
        ck_assert_int_eq(lseek(fd, 0, SEEK_SET), 0);
        ck_assert_int_eq(read_full_fd(fd, 5, &buf, &n), 0);
        ck_assert_str_eq(buf, "hello");
        ck_assert_uint_eq(n, 5);

        dfd = open(t, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        ck_assert_int_eq(read_full_fd(dfd, 100, &buf, &n), -EISDIR);

        ck_assert_int_eq(mkfifo(fifo, 0600), 0);
        ffd = open(fifo, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
        ck_assert_int_ge(ffd, 0);
        ck_assert_int_eq(read_full_fd(ffd, 100, &buf, &n), -EBADFD);

        test_tmpdir_remove(t);
}
END_TEST

START_TEST(test_open_in_root) {
        char *t = test_tmpdir();
        _cleanup_free_ char *link = path_join(t, "etc/abs"), *buf = NULL;
        _cleanup_close_ int root = -EBADF, fd = -EBADF;
        size_t n;

        test_write(t, "etc/passwd", "inside\n");
        ck_assert_int_eq(symlink("/etc/passwd", link), 0);
        root = open(t, O_PATH | O_DIRECTORY | O_CLOEXEC);
        ck_assert_int_ge(root, 0);

        /* An absolute symlink, and "..", resolve inside the root: never the host's /etc/passwd. */
        fd = open_in_root(root, "/etc/abs", O_RDONLY);
        ck_assert_int_ge(fd, 0);
        ck_assert_int_eq(read_full_fd(fd, 100, &buf, &n), 0);
        ck_assert_str_eq(buf, "inside\n");
        fd = safe_close(fd);
        buf = mfree(buf);

        fd = open_in_root(root, "../../../../etc/passwd", O_RDONLY);
        ck_assert_int_ge(fd, 0);
        ck_assert_int_eq(read_full_fd(fd, 100, &buf, &n), 0);
        ck_assert_str_eq(buf, "inside\n");
        fd = safe_close(fd);

        ck_assert_int_eq(open_in_root(root, "/nope", O_RDONLY), -ENOENT);
        ck_assert_int_eq(open_in_root(root, "", O_RDONLY), -EINVAL);

        /* RESOLVE_BENEATH refuses to leave the directory at all. */
        ck_assert_int_eq(open_beneath(root, "../etc", O_RDONLY), -EXDEV);

        /* Only regular files: the symlink resolves inside the root to one; a FIFO is refused at once
         * rather than waited on, a directory is a directory. */
        fd = open_in_root_regular(root, "/etc/abs", O_RDONLY);
        ck_assert_int_ge(fd, 0);
        buf = mfree(buf);
        ck_assert_int_eq(read_full_fd(fd, 100, &buf, &n), 0);
        ck_assert_str_eq(buf, "inside\n");
        fd = safe_close(fd);
        ck_assert_int_eq(open_in_root_regular(root, "/etc/abs", O_RDONLY | O_NOFOLLOW), -EBADFD);
        {
                _cleanup_free_ char *fifo = path_join(t, "etc/fifo");
                ck_assert_int_eq(mkfifo(fifo, 0600), 0);
        }
        ck_assert_int_eq(open_in_root_regular(root, "/etc/fifo", O_RDONLY), -EBADFD);
        ck_assert_int_eq(open_in_root_regular(root, "/etc", O_RDONLY), -EISDIR);
        ck_assert_int_eq(open_in_root_regular(root, "/etc/missing", O_RDONLY), -ENOENT);
        if (geteuid() == 0) {
                /* A character device (/dev/null's numbers) is never opened. */
                _cleanup_free_ char *dev = path_join(t, "etc/dev");
                ck_assert_int_eq(mknod(dev, S_IFCHR | 0600, makedev(1, 3)), 0);
                ck_assert_int_eq(open_in_root_regular(root, "/etc/dev", O_RDONLY), -EBADFD);
        }

        test_tmpdir_remove(t);
}
END_TEST

typedef struct Collected {
        char buf[512];
} Collected;

static int collect(const char *key, const char *value, void *userdata) {
        Collected *c = userdata;
        size_t n = strlen(c->buf);

        snprintf(c->buf + n, sizeof(c->buf) - n, "[%s%s%s]", key, value ? "=" : "", value ?: "");
        return 0;
}

START_TEST(test_proc_cmdline) {
        Collected c = {};

        ck_assert_int_eq(proc_cmdline_parse("ro usrhash=ab rd.hardenctl.etc=0 hardenctl-usr=off \"quoted word=a b\" x=",
                                            false, collect, &c),
                         0);
        ck_assert_str_eq(c.buf, "[ro][usrhash=ab][hardenctl_usr=off][quoted word=a b][x=]");

        memset(&c, 0, sizeof(c));
        ck_assert_int_eq(proc_cmdline_parse("  rd.hardenctl.etc=0   \"unterminated", true, collect, &c), 0);
        ck_assert_str_eq(c.buf, "[hardenctl.etc=0][unterminated]");

        memset(&c, 0, sizeof(c));
        ck_assert_int_eq(proc_cmdline_parse("", true, collect, &c), 0);
        ck_assert_str_eq(c.buf, "");
}
END_TEST

START_TEST(test_unit_names) {
        _cleanup_free_ char *a = unit_name_from_path("/sysroot/usr", ".mount"), *b = unit_name_path_escape("/"),
                            *c = unit_name_path_escape("/run/a b/.x"), *d = unit_setting_escape("100% a\\b\n");

        ck_assert_str_eq(a, "sysroot-usr.mount");
        ck_assert_str_eq(b, "-");
        ck_assert_str_eq(c, "run-a\\x20b-.x");
        ck_assert_str_eq(d, "100%% a\\\\b\\x0a");
        ck_assert_ptr_null(unit_name_path_escape("relative"));
        ck_assert_ptr_null(unit_name_path_escape("/a/../b"));
}
END_TEST

static const struct {
        const char *in, *out;
} exec_arg_cases[] = {
        { "/dev/disk/by-id/wwn-0x5000:1,2+3@x=y", "/dev/disk/by-id/wwn-0x5000:1,2+3@x=y" },
        { "", "\"\"" },
        { "a b", "\"a b\"" },
        { ";", "\";\"" },
        { "/dev/x ; /bin/sh -c 'evil'", "\"/dev/x ; /bin/sh -c 'evil'\"" },
        { "100%n", "\"100%%n\"" },
        { "$HOME${PATH}", "\"$$HOME$${PATH}\"" },
        { "q\"uote\\back", "\"q\\\"uote\\\\back\"" },
        { "line\nbreak\t", "\"line\\x0abreak\\x09\"" },
        { "caf\xc3\xa9", "\"caf\xc3\xa9\"" },
};

START_TEST(test_unit_exec_arg_escape) {
        _cleanup_free_ char *e = unit_exec_arg_escape(exec_arg_cases[_i].in);

        ck_assert_str_eq(e, exec_arg_cases[_i].out);
}
END_TEST

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
        ATOMIC_API_FD,      /* atomic_file_open_at(), write(), atomic_file_commit_at() */
        ATOMIC_API_STREAM,  /* atomic_file_open_at(), a stream, atomic_file_fcommit_at() */
        ATOMIC_API_SYMLINK, /* atomic_file_symlink_at() → /dev/null, atomic_file_rename_at() */
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
        { "symlink", ATOMIC_API_SYMLINK, "f", "old\n", ATOMIC_SYNC_DIR, 0, 022, 0, 0, "link:/dev/null", 0 },
        { "symlink, no-replace refused", ATOMIC_API_SYMLINK, "f", "old\n", ATOMIC_NOREPLACE, 0, 022, 0, -EEXIST,
          "old\n", 0600 },
};

static int atomic_case_run(size_t i, int dir_fd) {
        _cleanup_free_ char *tmp = NULL;
        FILE *f;
        int fd;

        switch (atomic_cases[i].api) {
        case ATOMIC_API_FD: {
                _cleanup_close_ int cfd = atomic_file_open_at(dir_fd, atomic_cases[i].name, atomic_cases[i].mode, &tmp);

                ck_assert_int_ge(cfd, 0);
                ck_assert_int_eq(write_all(cfd, "new\n", 4), 0);
                return atomic_file_commit_at(cfd, dir_fd, tmp, atomic_cases[i].name, atomic_cases[i].flags);
        }
        case ATOMIC_API_STREAM:
                fd = atomic_file_open_at(dir_fd, atomic_cases[i].name, atomic_cases[i].mode, &tmp);
                ck_assert_int_ge(fd, 0);
                ck_assert(atomic_file_tmp_name_is(path_basename(tmp)));
                ck_assert_ptr_nonnull(f = fdopen(fd, "we"));
                fputs("new\n", f);
                return atomic_file_fcommit_at(f, dir_fd, tmp, atomic_cases[i].name, atomic_cases[i].flags);
        case ATOMIC_API_SYMLINK:
                ck_assert_int_eq(atomic_file_symlink_at(dir_fd, atomic_cases[i].name, "/dev/null", &tmp), 0);
                return atomic_file_rename_at(dir_fd, tmp, atomic_cases[i].name, atomic_cases[i].flags);
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
        if (strchr(name, '/'))
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
        if (strchr(name, '/')) {
                ck_assert_int_ge(sub_fd = openat(dir_fd, "sub", O_RDONLY | O_DIRECTORY | O_CLOEXEC), 0);
                ck_assert_uint_eq(atomic_count_entries(sub_fd), 1);
        }
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

/* The verb table: which verb runs, and what is refused as a usage error before any does. */
static int verb_ran;

static int verb_one(int argc, char *argv[]) {
        verb_ran = 1;
        return argc;
}

static int verb_two(int argc, char *argv[]) {
        verb_ran = 2;
        return 0;
}

static const struct {
        const char *argv[4];
        uint64_t options;
        int ret, ran;
} verb_cases[] = {
        { { "one" }, 0, 1, 1 },
        { { "one", "a", "b" }, 1 << 0, 3, 1 },
        { { "one", "a", "b", "c" }, 0, -EINVAL, 0 }, /* too many */
        { { "two" }, 0, -EINVAL, 0 },                /* too few */
        { { "two", "x" }, (1 << 0) | (1 << 1), 0, 2 },
        { { "one" }, 1 << 1, -EINVAL, 0 },      /* --b is an option of two only */
        { { "two", "x" }, 1 << 2, -EINVAL, 0 }, /* an option of none */
        { { "three" }, 0, -EINVAL, 0 },
        { {}, 0, -EINVAL, 0 },
};

START_TEST(test_verbs) {
        static const Verb verbs[] = {
                { "one", 0, 2, verb_one, "[A [B]]", "One", 1 << 0 },
                { "two", 1, VERB_ANY, verb_two, "X…", "Two", (1 << 0) | (1 << 1) },
        };
        static const char *const option_names[] = { "--a", "--b", "--c" };
        static const VerbTable t = {
                .verbs = verbs,
                .n_verbs = ELEMENTSOF(verbs),
                .option_names = option_names,
                .n_option_names = ELEMENTSOF(option_names),
        };
        char **argv = (char **) verb_cases[_i].argv;
        int argc = 0;

        while (argc < 4 && argv[argc])
                argc++;
        verb_ran = 0;
        ck_assert_int_eq(verbs_dispatch(&t, argc, argv, verb_cases[_i].options), verb_cases[_i].ret);
        ck_assert_int_eq(verb_ran, verb_cases[_i].ran);
        ck_assert_int_eq(verbs_log_bad_args(&t, "two", true), -EINVAL);
}
END_TEST

START_TEST(test_now) {
        uint64_t a = now(CLOCK_MONOTONIC), b = now(CLOCK_MONOTONIC), t = 0;

        ck_assert_uint_le(a, b);
        ck_assert_uint_gt(now(CLOCK_REALTIME), UINT64_C(1577836800) * USEC_PER_SEC); /* after 2020 */

        ck_assert_int_eq(unsetenv("HARDENCTL_TEST_EPOCH"), 0);
        ck_assert_int_eq(getenv_epoch_usec("HARDENCTL_TEST_EPOCH", &t), 0);
        ck_assert_int_eq(setenv("HARDENCTL_TEST_EPOCH", "", 1), 0);
        ck_assert_int_eq(getenv_epoch_usec("HARDENCTL_TEST_EPOCH", &t), 0);
        ck_assert_int_eq(setenv("HARDENCTL_TEST_EPOCH", "1700000000", 1), 0);
        ck_assert_int_eq(getenv_epoch_usec("HARDENCTL_TEST_EPOCH", &t), 1);
        ck_assert_uint_eq(t, UINT64_C(1700000000000000));
        ck_assert_int_eq(setenv("HARDENCTL_TEST_EPOCH", "0", 1), 0);
        ck_assert_int_eq(getenv_epoch_usec("HARDENCTL_TEST_EPOCH", &t), 1);
        ck_assert_uint_eq(t, 0);
        t = 7;
        ck_assert_int_eq(setenv("HARDENCTL_TEST_EPOCH", "-1", 1), 0);
        ck_assert_int_eq(getenv_epoch_usec("HARDENCTL_TEST_EPOCH", &t), -EINVAL);
        ck_assert_int_eq(setenv("HARDENCTL_TEST_EPOCH", "18446744073710", 1), 0); /* * 10^6 overflows */
        ck_assert_int_eq(getenv_epoch_usec("HARDENCTL_TEST_EPOCH", &t), -EINVAL);
        ck_assert_int_eq(setenv("HARDENCTL_TEST_EPOCH", "1e9", 1), 0);
        ck_assert_int_eq(getenv_epoch_usec("HARDENCTL_TEST_EPOCH", &t), -EINVAL);
        ck_assert_uint_eq(t, 7);
        ck_assert_int_eq(unsetenv("HARDENCTL_TEST_EPOCH"), 0);
}
END_TEST

static Suite *suite(void) {
        Suite *s = suite_create("basic");
        TCase *tc = tcase_create("core");

        tcase_add_loop_test(tc, test_utf8, 0, ELEMENTSOF(utf8_cases));
        tcase_add_loop_test(tc, test_utf8_make_valid, 0, ELEMENTSOF(utf8_valid_cases));
        tcase_add_test(tc, test_strv_builder);
        tcase_add_test(tc, test_strv_uniq_stable);
        tcase_add_test(tc, test_parse_boolean);
        tcase_add_test(tc, test_safe_atou64);
        tcase_add_test(tc, test_parse_size);
        tcase_add_test(tc, test_paths);
        tcase_add_loop_test(tc, test_extract_first_word, 0, ELEMENTSOF(word_cases));
        tcase_add_test(tc, test_strv);
        tcase_add_test(tc, test_hex);
        tcase_add_test(tc, test_read_full_fd);
        tcase_add_test(tc, test_open_in_root);
        tcase_add_test(tc, test_copy_entry);
        tcase_add_test(tc, test_copy_selinux_label);
        tcase_add_loop_test(tc, test_atomic_file, 0, ELEMENTSOF(atomic_cases));
        tcase_add_test(tc, test_atomic_file_tmp_name);
        tcase_add_test(tc, test_proc_cmdline);
        tcase_add_test(tc, test_unit_names);
        tcase_add_loop_test(tc, test_unit_exec_arg_escape, 0, ELEMENTSOF(exec_arg_cases));
        tcase_add_loop_test(tc, test_verbs, 0, ELEMENTSOF(verb_cases));
        tcase_add_test(tc, test_now);
        suite_add_tcase(s, tc);
        return s;
}

TEST_MAIN(suite)
