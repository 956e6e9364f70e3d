/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <dlfcn.h>
#include <fcntl.h>
#include <sys/sysmacros.h>

#include "dlopen-util.h"
#include "fs-util.h"
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

START_TEST(test_logical_line_next) {
        const char *l = "a \\\nb\\\n c\n# d\\\n\ne";
        unsigned line = 0;
        char *t = NULL;

        ck_assert_int_eq(logical_line_next(&l, &line, "", &t), 1);
        ck_assert_str_eq(t, "a b c");
        ck_assert_uint_eq(line, 3);
        free(t);
        ck_assert_int_eq(logical_line_next(&l, &line, " ", &t), 1);
        ck_assert_str_eq(t, "# d  ");
        ck_assert_uint_eq(line, 5);
        free(t);
        ck_assert_int_eq(logical_line_next(&l, &line, "", &t), 1);
        ck_assert_str_eq(t, "e");
        free(t);
        ck_assert_int_eq(logical_line_next(&l, &line, "", &t), 0);
        ck_assert_uint_eq(line, 6);
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

/* The walk that stands in for openat2() where it is missing (valgrind, old kernels) resolves every
 * path of a hostile tree as openat2() does: the same file, or the same error. */
START_TEST(test_resolve_walk_matches_openat2) {
        static const char *const paths[] = {
                "etc/passwd",
                "/etc/passwd",
                "etc/../etc/passwd",
                "../../etc/passwd",
                "up",
                "up/passwd",
                "abs",
                "abs/passwd",
                "rel",
                "rel/passwd",
                "loop",
                "loop/x",
                "self",
                "chain",
                "etc/dirlink/passwd",
                "etc/dirlink/../passwd",
                "etc",
                "etc/",
                ".",
                "/",
                "..",
                "missing",
                "missing/x",
                "etc/passwd/x",
                "dangling",
                "proc-fd",
                "proc-fd/x",
                "etc/sub/../../..",
                "etc/sub/deep/..//passwd",
        };
        static const int flag_sets[] = { O_PATH, O_PATH | O_NOFOLLOW, O_RDONLY, O_RDONLY | O_DIRECTORY };
        _cleanup_free_ char *root = test_tmpdir();
        _cleanup_close_ int root_fd = -EBADF;
        char p[PATH_MAX];

        test_write(root, "etc/passwd", "root:x:0:0::/root:/bin/sh\n");
        test_write(root, "etc/sub/deep/file", "x\n");
        snprintf(p, sizeof(p), "%s/up", root);
        ck_assert_int_eq(symlink("../../../../../../../etc", p), 0);
        snprintf(p, sizeof(p), "%s/abs", root);
        ck_assert_int_eq(symlink("/etc", p), 0);
        snprintf(p, sizeof(p), "%s/rel", root);
        ck_assert_int_eq(symlink("etc", p), 0);
        snprintf(p, sizeof(p), "%s/loop", root);
        ck_assert_int_eq(symlink("loop", p), 0);
        snprintf(p, sizeof(p), "%s/self", root);
        ck_assert_int_eq(symlink(".", p), 0);
        snprintf(p, sizeof(p), "%s/chain", root);
        ck_assert_int_eq(symlink("self/self/self/abs/../up/passwd", p), 0);
        snprintf(p, sizeof(p), "%s/etc/dirlink", root);
        ck_assert_int_eq(symlink("../up/../etc", p), 0);
        snprintf(p, sizeof(p), "%s/dangling", root);
        ck_assert_int_eq(symlink("/nonexistent", p), 0);
        snprintf(p, sizeof(p), "%s/proc-fd", root);
        ck_assert_int_eq(symlink("/proc/self/fd/0", p), 0);
        root_fd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC);
        ck_assert_int_ge(root_fd, 0);

        for (size_t i = 0; i < ELEMENTSOF(paths); i++)
                for (size_t j = 0; j < ELEMENTSOF(flag_sets); j++)
                        for (int beneath = 0; beneath <= 1; beneath++) {
                                _cleanup_close_ int a = beneath ? open_beneath(root_fd, paths[i], flag_sets[j]) :
                                                                  open_in_root(root_fd, paths[i], flag_sets[j]);
                                _cleanup_close_ int b = open_resolve_walk(root_fd, paths[i], flag_sets[j], beneath);
                                struct stat sa, sb;

                                if (a == -ENOSYS)
                                        return; /* no openat2() to compare with */
                                ck_assert_msg((a < 0) == (b < 0), "%s (flags %#x, beneath %d): openat2 %d, walk %d",
                                              paths[i], (unsigned) flag_sets[j], beneath, a, b);
                                if (a < 0) {
                                        ck_assert_msg(a == b, "%s (flags %#x, beneath %d): openat2 %s, walk %s", paths[i],
                                                      (unsigned) flag_sets[j], beneath, strerror(-a), strerror(-b));
                                        continue;
                                }
                                ck_assert_int_eq(fstat(a, &sa), 0);
                                ck_assert_int_eq(fstat(b, &sb), 0);
                                ck_assert_msg(sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino,
                                              "%s (flags %#x, beneath %d): not the same file", paths[i],
                                              (unsigned) flag_sets[j], beneath);
                        }
        test_tmpdir_remove(TAKE_PTR(root));
}
END_TEST

/* A table filled from a library opened at run time: libc's own strlen() through the table, and a
 * missing library or symbol refused without a half-filled table being handed out. */
typedef struct TestFunctions {
        typeof(strlen) *strlen;
        typeof(strcmp) *strcmp;
} TestFunctions;

START_TEST(test_dlopen_symbols) {
        static const DlopenSymbol good[] = {
                DLOPEN_SYMBOL(TestFunctions, strlen),
                DLOPEN_SYMBOL(TestFunctions, strcmp),
        };
        static const DlopenSymbol bad[] = {
                DLOPEN_SYMBOL(TestFunctions, strlen),
                { "hardenctl_no_such_symbol", offsetof(TestFunctions, strcmp) },
        };
        TestFunctions f = {};
        void *dl = NULL;

        ck_assert_int_eq(dlopen_symbols("libc.so.6", good, ELEMENTSOF(good), &f, &dl), 0);
        ck_assert_ptr_nonnull(dl);
        ck_assert_uint_eq(f.strlen("hardenctl"), 9);
        ck_assert_int_eq(f.strcmp("a", "a"), 0);
        dlclose(dl);

        dl = NULL;
        ck_assert_int_eq(dlopen_symbols("libc.so.6", bad, ELEMENTSOF(bad), &f, &dl), -EOPNOTSUPP);
        ck_assert_ptr_null(dl);
        ck_assert_int_eq(dlopen_symbols("libhardenctl-no-such-library.so.0", good, ELEMENTSOF(good), &f, &dl),
                         -EOPNOTSUPP);
        ck_assert_ptr_null(dl);
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
        tcase_add_test(tc, test_proc_cmdline);
        tcase_add_test(tc, test_unit_names);
        tcase_add_loop_test(tc, test_unit_exec_arg_escape, 0, ELEMENTSOF(exec_arg_cases));
        tcase_add_loop_test(tc, test_verbs, 0, ELEMENTSOF(verb_cases));
        tcase_add_test(tc, test_now);
        tcase_add_test(tc, test_dlopen_symbols);
        tcase_add_test(tc, test_logical_line_next);
        tcase_add_test(tc, test_resolve_walk_matches_openat2);
        suite_add_tcase(s, tc);
        return s;
}

TEST_MAIN(suite)
