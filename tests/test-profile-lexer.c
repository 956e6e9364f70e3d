/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include "profile-lexer.h"
#include "tests.h"

/* Every event as one line: "S3 Usr", "A4 Usr.Verity=required", "E5 [Usr] message". */
typedef struct Recorder {
        char *text;
        size_t n, allocated;
} Recorder;

static int record(const LexEvent *ev, void *userdata) {
        Recorder *r = userdata;
        _cleanup_free_ char *line = NULL;

        switch (ev->type) {
        case LEX_SECTION:
                line = strprintf("S%u %s\n", ev->line, ev->section);
                break;
        case LEX_ASSIGNMENT:
                line = strprintf("A%u %s.%s=%s\n", ev->line, ev->section, ev->key, ev->value);
                break;
        case LEX_ERROR:
                line = strprintf("E%u %s%s%s%s\n", ev->line, ev->section ? "[" : "", strempty(ev->section),
                                 ev->section ? "] " : "", ev->message);
                break;
        }
        ck_assert_ptr_nonnull(line);
        if (r->n + strlen(line) + 1 > r->allocated) {
                r->allocated = (r->n + strlen(line) + 1) * 2;
                r->text = realloc(r->text, r->allocated);
                ck_assert_ptr_nonnull(r->text);
        }
        strcpy(r->text + r->n, line);
        r->n += strlen(line);
        return 0;
}

static const struct {
        const char *name;
        const char *in;
        size_t len; /* 0: strlen(in) */
        int r;
        const char *events;
} cases[] = {
        { "simple", "[Usr]\nVerity=required\n", 0, 0, "S1 Usr\nA2 Usr.Verity=required\n" },
        { "no trailing newline", "[Usr]\nVerity=required", 0, 0, "S1 Usr\nA2 Usr.Verity=required\n" },
        { "crlf", "[Usr]\r\nVerity=required\r\n\r\n", 0, 0, "S1 Usr\nA2 Usr.Verity=required\n" },
        { "bom", "\xef\xbb\xbf[Usr]\nA=b\n", 0, 0, "S1 Usr\nA2 Usr.A=b\n" },
        { "whitespace", "  [Usr]  \n\t Key  =  v a l  \n", 0, 0, "S1 Usr\nA2 Usr.Key=v a l\n" },
        { "equals in value", "[K]\nSysctl=a.b=1\n", 0, 0, "S1 K\nA2 K.Sysctl=a.b=1\n" },
        { "empty value", "[K]\nX=\n", 0, 0, "S1 K\nA2 K.X=\n" },
        { "comments", "# one\n; two\n[K]\n  # three\nX=1 # not a comment\n", 0, 0, "S3 K\nA5 K.X=1 # not a comment\n" },
        { "continuation", "[K]\nX=a \\\n  b\\\nc\nY=d\n", 0, 0, "S1 K\nA2 K.X=a    b c\nA5 K.Y=d\n" },
        { "comment in continuation", "[K]\nX=a\\\n# skipped\nb\n", 0, 0, "S1 K\nA2 K.X=a b\n" },
        { "continuation at eof", "[K]\nX=a\\", 0, 0, "S1 K\nA2 K.X=a\n" },
        { "missing bracket", "[K\nX=1\n[L]\nY=2\n", 0, 0, "E1 invalid section header: missing ']'\nS3 L\nA4 L.Y=2\n" },
        { "bad section name", "[A B]\nX=1\n", 0, 0, "E1 invalid section name 'A B'\n" },
        { "empty section name", "[]\n", 0, 0, "E1 invalid section name ''\n" },
        { "outside section", "X=1\n[K]\n", 0, 0, "E1 assignment outside of any section\nS2 K\n" },
        { "missing equals", "[K]\njust words\n", 0, 0, "S1 K\nE2 [K] missing '=' in assignment\n" },
        { "no key", "[K]\n=v\n", 0, 0, "S1 K\nE2 [K] assignment without a key\n" },
        { "bad key", "[K]\nA.B=1\n", 0, 0, "S1 K\nE2 [K] invalid key name 'A.B'\n" },
        { "invalid utf8", "[K]\nX=\xff\nY=ok\n", 0, 0, "S1 K\nE2 [K] line is not valid UTF-8\nA3 K.Y=ok\n" },
        { "control char", "[K]\nX=a\x1b[31m\nY=\tok\n", 0, 0,
          "S1 K\nE2 [K] line contains control characters\nA3 K.Y=ok\n" },
        { "nul byte", "[K]\nX=1\n\0\nY=2\n", 14, -EBADMSG, "E3 file contains NUL bytes, rejecting it\n" },
        { "empty file", "", 0, 0, "" },
        { "only comments", "#\n;\n\n", 0, 0, "" },
};

START_TEST(test_cases) {
        Recorder rec = {};
        size_t len = cases[_i].len ?: strlen(cases[_i].in);
        int r;

        r = profile_lex(cases[_i].in, len, record, &rec);
        ck_assert_msg(r == cases[_i].r, "%s: returned %d, expected %d", cases[_i].name, r, cases[_i].r);
        ck_assert_msg(streq(strempty(rec.text), cases[_i].events), "%s:\n--- got\n%s--- expected\n%s", cases[_i].name,
                      strempty(rec.text), cases[_i].events);
        free(rec.text);
}
END_TEST

START_TEST(test_line_limits) {
        _cleanup_free_ char *in = NULL;
        Recorder rec = {};
        size_t n = PROFILE_LINE_MAX + 1;

        /* One byte over the limit: that line is reported and skipped, the next one is read. */
        in = malloc(n + 64);
        ck_assert_ptr_nonnull(in);
        strcpy(in, "[K]\nX=");
        memset(in + 6, 'a', n - 2);
        strcpy(in + 6 + n - 2, "\nY=1\n");
        ck_assert_int_eq(profile_lex(in, strlen(in), record, &rec), 0);
        ck_assert_str_eq(rec.text, "S1 K\nE2 [K] line too long\nA3 K.Y=1\n");
        free(rec.text);

        /* Exactly at the limit is fine. */
        rec = (Recorder){};
        in[6 + n - 3] = '\n';
        memmove(in + 6 + n - 2, "Y=1\n", 5);
        ck_assert_int_eq(profile_lex(in, strlen(in), record, &rec), 0);
        ck_assert(startswith(rec.text, "S1 K\nA2 K.X=aaa"));
        ck_assert(endswith(rec.text, "\nA3 K.Y=1\n"));
        free(rec.text);
}
END_TEST

START_TEST(test_continued_line_limit) {
        _cleanup_free_ char *in = NULL;
        Recorder rec = {};
        size_t lines = PROFILE_LOGICAL_LINE_MAX / 1000 + 2, k = 0;

        /* Many short physical lines joined past the logical limit: reported once, at the first line. */
        in = malloc(lines * 1002 + 64);
        ck_assert_ptr_nonnull(in);
        k += sprintf(in, "[K]\nX=");
        for (size_t i = 0; i < lines; i++) {
                memset(in + k, 'b', 999);
                k += 999;
                k += sprintf(in + k, "\\\n");
        }
        k += sprintf(in + k, "end\nY=2\n");
        ck_assert_int_eq(profile_lex(in, k, record, &rec), 0);
        ck_assert_str_eq(rec.text, "S1 K\nE2 [K] continued line too long\nA21 K.Y=2\n");
        free(rec.text);
}
END_TEST

START_TEST(test_file_size_limit) {
        _cleanup_free_ char *in = malloc(PROFILE_FILE_SIZE_MAX + 1);
        Recorder rec = {};

        ck_assert_ptr_nonnull(in);
        for (size_t i = 0; i < PROFILE_FILE_SIZE_MAX + 1; i++)
                in[i] = i % 2 ? '\n' : '#';
        ck_assert_int_eq(profile_lex(in, PROFILE_FILE_SIZE_MAX + 1, record, &rec), -EFBIG);
        ck_assert_ptr_null(rec.text);
        ck_assert_int_eq(profile_lex(in, PROFILE_FILE_SIZE_MAX, record, &rec), 0);
        ck_assert_ptr_null(rec.text);
}
END_TEST

START_TEST(test_many_lines) {
        size_t n = 20000, k = 0;
        _cleanup_free_ char *in = malloc(n * 8 + 8);
        Recorder rec = {};
        size_t count = 0;

        ck_assert_ptr_nonnull(in);
        k += sprintf(in, "[K]\n");
        for (size_t i = 0; i < n; i++)
                k += sprintf(in + k, "X=%zu\n", i % 10);
        ck_assert_int_eq(profile_lex(in, k, record, &rec), 0);
        for (const char *p = rec.text; (p = strchr(p, '\n')); p++)
                count++;
        ck_assert_uint_eq(count, n + 1);
        free(rec.text);
}
END_TEST

static int stop_at_second(const LexEvent *ev, void *userdata) {
        unsigned *n = userdata;

        return ++*n == 2 ? -ECANCELED : 0;
}

START_TEST(test_callback_error_stops) {
        unsigned n = 0;

        ck_assert_int_eq(profile_lex("[K]\nA=1\nB=2\n", 12, stop_at_second, &n), -ECANCELED);
        ck_assert_uint_eq(n, 2);
}
END_TEST

START_TEST(test_names) {
        ck_assert(profile_name_is_valid("Usr", 3));
        ck_assert(profile_name_is_valid("Allow_Kill-Switch2", 18));
        ck_assert(!profile_name_is_valid("", 0));
        ck_assert(!profile_name_is_valid("A B", 3));
        ck_assert(!profile_name_is_valid("Ü", 2));
        ck_assert(!profile_name_is_valid("a.b", 3));
}
END_TEST

static Suite *suite(void) {
        Suite *s = suite_create("profile-lexer");
        TCase *tc = tcase_create("core");

        tcase_add_loop_test(tc, test_cases, 0, ELEMENTSOF(cases));
        tcase_add_test(tc, test_line_limits);
        tcase_add_test(tc, test_continued_line_limit);
        tcase_add_test(tc, test_file_size_limit);
        tcase_add_test(tc, test_many_lines);
        tcase_add_test(tc, test_callback_error_stops);
        tcase_add_test(tc, test_names);
        suite_add_tcase(s, tc);
        return s;
}

TEST_MAIN(suite)
