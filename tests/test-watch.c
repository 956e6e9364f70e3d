/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* The watcher over recorded event streams (tests/watch/): the same anomalies whatever the chunks the
 * input arrives in, malformed and truncated input counted as unparsable, IPE records as auditd 3 and 4
 * print them, deduplication and the rate limit (never the first of a kind), the SELinux denial rate,
 * and the state file written and read back. */

#include <fcntl.h>
#include <unistd.h>

#include "fs-util.h"
#include "profile-load.h"
#include "tests.h"
#include "watch-internal.h"

static char *source_path(const char *rel) {
        char *p = path_join(getenv("SOURCE_ROOT") ?: ".", rel);

        ck_assert_ptr_nonnull(p);
        return p;
}

static char *read_source(const char *rel, size_t *ret_size) {
        _cleanup_free_ char *p = source_path(rel), *text = NULL;
        _cleanup_close_ int fd = open(p, O_RDONLY | O_CLOEXEC);

        ck_assert_int_ge(fd, 0);
        ck_assert_int_ge(read_full_fd(fd, 1 << 24, &text, ret_size), 0);
        return TAKE_PTR(text);
}

static Profile *load_test_profile(void) {
        _cleanup_free_ char *p = source_path("tests/watch/watch.profile");
        ProfileLoadOptions o = { .root_fd = -EBADF, .flags = PROFILE_LOAD_STRICT };
        ProfileDiags d = {};
        Profile *prof = NULL;

        ck_assert_int_eq(profile_load(&o, p, &prof, &d), 0);
        profile_diags_done(&d);
        return prof;
}

static int units(int64_t pid, int64_t ppid, char **ret, void *userdata) {
        *ret = pid >= 401 && pid <= 420 ? strdup("agent.service") : pid == 501 ? strdup("model-server.service") : NULL;
        return 0;
}

/* Runs the stream rel through a watcher, in chunks of chunk bytes (0: all at once); the text sink's
 * output in *ret_out, the state in *ret_state (caller frees both). */
static void run_stream(const WatchConfig *c, const char *rel, size_t chunk, char **ret_out, WatchState *ret_state) {
        _cleanup_free_ char *text = NULL;
        _cleanup_(watcher_freep) Watcher *w = NULL;
        size_t n, size = 0;
        FILE *out = open_memstream(ret_out, &size);

        ck_assert_ptr_nonnull(out);
        text = read_source(rel, &n);
        ck_assert_int_eq(watcher_new(c, watch_sink_text, out, &w), 0);
        for (size_t i = 0; i < n; i += chunk ?: n)
                ck_assert_int_eq(watcher_feed(w, text + i, MIN(chunk ?: n, n - i)), 0);
        ck_assert_int_eq(watcher_flush(w), 0);
        ck_assert_int_eq(fclose(out), 0);
        *ret_state = *watcher_state(w);
        *watcher_state(w) = (WatchState){};
}

static void config(Profile *p, WatchConfig *c) {
        ck_assert_int_eq(watch_config_from_profile(p, c), 0);
        c->usr_dev_known = true;
        c->usr_major = 254;
        c->usr_minor = 0;
        c->unit_lookup = units;
}

START_TEST(test_chunks) {
        _cleanup_(profile_freep) Profile *p = load_test_profile();
        _cleanup_free_ char *whole = NULL, *expected = read_source("tests/watch/expected/events.txt", NULL);
        WatchState s;
        WatchConfig c;

        config(p, &c);
        run_stream(&c, "tests/watch/events.log", 0, &whole, &s);
        ck_assert_str_eq(whole, expected);
        ck_assert_uint_eq(s.events, 15);
        ck_assert_uint_eq(s.unparsable, 0);
        ck_assert_uint_eq(s.count[ANOMALY_EXEC_UNLISTED], 5);
        ck_assert_uint_eq(s.suppressed[ANOMALY_EXEC_UNLISTED], 1);
        ck_assert_uint_eq(s.count[ANOMALY_EXEC_UNVERIFIED], 3);
        ck_assert_uint_eq(s.count[ANOMALY_ETC_DRIFT], 2); /* /etc/resolv.conf is expected drift */
        ck_assert(s.has_first[ANOMALY_EXEC_UNLISTED]);
        ck_assert_str_eq(s.first[ANOMALY_EXEC_UNLISTED].exe, "/usr/bin/curl");
        ck_assert_str_eq(s.first[ANOMALY_EXEC_UNLISTED].unit, "agent.service");
        watch_state_done(&s);

        /* Byte by byte, and in odd chunks: the same. */
        for (size_t i = 0; i < 3; i++) {
                static const size_t chunks[] = { 1, 7, 4096 };
                _cleanup_free_ char *out = NULL;

                run_stream(&c, "tests/watch/events.log", chunks[i], &out, &s);
                ck_assert_str_eq(out, expected);
                watch_state_done(&s);
        }
        watch_config_done(&c);
}
END_TEST

START_TEST(test_malformed) {
        _cleanup_(profile_freep) Profile *p = load_test_profile();
        _cleanup_free_ char *out = NULL;
        WatchState s;
        WatchConfig c;

        config(p, &c);
        run_stream(&c, "tests/watch/malformed.log", 0, &out, &s);
        /* Lines that are not records (one with an empty type among them, which libauparse would leak):
         * counted, never parsed; the truncated last line is still a record. */
        ck_assert_uint_eq(s.unparsable, 6);
        ck_assert_uint_ge(s.events, 5);
        watch_state_done(&s);

        /* Garbage of every byte value, a NUL, an overlong line: no crash, all unparsable. */
        {
                _cleanup_(watcher_freep) Watcher *w = NULL;
                char junk[256], *big = malloc(WATCH_LINE_MAX + 10);

                ck_assert_ptr_nonnull(big);
                for (int i = 0; i < 256; i++)
                        junk[i] = (char) (255 - i);
                ck_assert_int_eq(watcher_new(&c, NULL, NULL, &w), 0);
                ck_assert_int_eq(watcher_feed(w, junk, sizeof(junk)), 0);
                ck_assert_int_eq(watcher_feed(w, "\ntype=SYSCALL msg=audit(1.000:1): a=\0b\n", 39), 0);
                memset(big, 'x', WATCH_LINE_MAX + 10);
                memcpy(big, "type=SYSCALL msg=audit(1.000:2): ", 33);
                ck_assert_int_eq(watcher_feed(w, big, WATCH_LINE_MAX + 10), 0);
                ck_assert_int_eq(watcher_feed(w, "\n", 1), 0);
                ck_assert_int_eq(watcher_flush(w), 0);
                /* the junk is two lines (it holds a newline), the NUL line, the overlong line */
                ck_assert_uint_eq(watcher_state(w)->unparsable, 4);
                ck_assert_uint_eq(watcher_state(w)->events, 0);
                free(big);
        }
        watch_config_done(&c);
}
END_TEST

START_TEST(test_ipe) {
        _cleanup_(profile_freep) Profile *p = load_test_profile();
        _cleanup_free_ char *out = NULL, *expected = read_source("tests/watch/expected/ipe.txt", NULL);
        WatchState s;
        WatchConfig c;

        config(p, &c);
        run_stream(&c, "tests/watch/ipe.log", 0, &out, &s);
        ck_assert_str_eq(out, expected);
        /* UNKNOWN[1420] with its SYSCALL record, IPE_ACCESS (a later auditd), the permissive MMAP denial;
         * not the ALLOW record. */
        ck_assert_uint_eq(s.count[ANOMALY_EXEC_UNVERIFIED], 3);
        ck_assert_str_eq(s.first[ANOMALY_EXEC_UNVERIFIED].rule, "DEFAULT action=DENY");
        ck_assert_str_eq(s.first[ANOMALY_EXEC_UNVERIFIED].path, "/root/vol/bin/hello");
        ck_assert_str_eq(s.first[ANOMALY_EXEC_UNVERIFIED].exe, "/usr/bin/bash");
        ck_assert_int_eq(s.first[ANOMALY_EXEC_UNVERIFIED].uid, 0);
        ck_assert(strstr(out, "path=/tmp/evil"));
        ck_assert(!strstr(out, "/usr/bin/true"));
        watch_state_done(&s);
        watch_config_done(&c);
}
END_TEST

START_TEST(test_avc_rate) {
        _cleanup_(profile_freep) Profile *p = load_test_profile();
        _cleanup_free_ char *out = NULL;
        WatchState s;
        WatchConfig c;

        config(p, &c);
        run_stream(&c, "tests/watch/avc.log", 0, &out, &s);
        /* 12 denials in a minute: the 11th and 12th are above the rate; 3 later ones are not. */
        ck_assert_uint_eq(s.count[ANOMALY_SELINUX_DENIAL], 2);
        ck_assert_uint_eq(s.suppressed[ANOMALY_SELINUX_DENIAL], 1);
        ck_assert_uint_eq(s.events, 15);
        watch_state_done(&s);
        watch_config_done(&c);
}
END_TEST

/* n execs by agent.service of distinct unlisted programs, one a millisecond apart. */
static char *exec_stream(unsigned n, unsigned first_serial) {
        char *s = NULL;
        size_t size = 0;
        FILE *f = open_memstream(&s, &size);

        ck_assert_ptr_nonnull(f);
        for (unsigned i = 0; i < n; i++) {
                unsigned serial = first_serial + i;

                fprintf(f,
                        "type=SYSCALL msg=audit(1700001000.%03u:%u): arch=c000003e syscall=59 success=yes exit=0 "
                        "items=1 ppid=401 pid=402 auid=4294967295 uid=998 gid=998 euid=998 egid=998 comm=\"x\" "
                        "exe=\"/usr/bin/tool%u\" key=\"agent-exec\"\n"
                        "type=EXECVE msg=audit(1700001000.%03u:%u): argc=1 a0=\"x\"\n"
                        "type=PATH msg=audit(1700001000.%03u:%u): item=0 name=\"/usr/bin/tool%u\" inode=1 dev=fe:00 "
                        "mode=0100755 nametype=NORMAL\n"
                        "type=EOE msg=audit(1700001000.%03u:%u):\n",
                        i % 1000, serial, i, i % 1000, serial, i % 1000, serial, i, i % 1000, serial);
        }
        ck_assert_int_eq(fclose(f), 0);
        return s;
}

static int count_sink(const Anomaly *a, uint64_t count, uint64_t suppressed, const WatchState *s, void *userdata) {
        unsigned *n = userdata;

        if (*n == 0)
                ck_assert_str_eq(a->exe, "/usr/bin/tool0"); /* the first is never held back */
        (*n)++;
        return 0;
}

START_TEST(test_rate_limit) {
        _cleanup_(profile_freep) Profile *p = load_test_profile();
        _cleanup_(watcher_freep) Watcher *w = NULL;
        _cleanup_free_ char *text = exec_stream(100, 1000);
        unsigned sent = 0;
        WatchConfig c;

        config(p, &c);
        ck_assert_int_eq(watcher_new(&c, count_sink, &sent, &w), 0);
        ck_assert_int_eq(watcher_feed(w, text, strlen(text)), 0);
        ck_assert_int_eq(watcher_flush(w), 0);
        ck_assert_uint_eq(sent, WATCH_RATE_BURST);
        ck_assert_uint_eq(watcher_state(w)->count[ANOMALY_EXEC_UNLISTED], 100);
        ck_assert_uint_eq(watcher_state(w)->suppressed[ANOMALY_EXEC_UNLISTED], 100 - WATCH_RATE_BURST);
        ck_assert_str_eq(watcher_state(w)->first[ANOMALY_EXEC_UNLISTED].exe, "/usr/bin/tool0");
        watch_config_done(&c);
}
END_TEST

START_TEST(test_state_roundtrip) {
        _cleanup_(profile_freep) Profile *p = load_test_profile();
        _cleanup_free_ char *out = NULL, *path = NULL;
        char *dir = test_tmpdir();
        _cleanup_close_ int dir_fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        WatchState s, r;
        WatchConfig c;

        config(p, &c);
        run_stream(&c, "tests/watch/events.log", 0, &out, &s);
        s.source = strdup("audisp");
        s.profile = strdup("watch");
        s.pid = getpid();
        path = strjoin(dir, "/" WATCH_STATE_NAME);
        ck_assert_ptr_nonnull(path);
        ck_assert_int_eq(watch_state_write(&s, path), 0);
        ck_assert_int_eq(watch_state_read(dir_fd, WATCH_STATE_NAME, &r), 0);
        ck_assert_uint_eq(r.events, s.events);
        for (AnomalyKind k = 0; k < _ANOMALY_KIND_MAX; k++) {
                ck_assert_uint_eq(r.count[k], s.count[k]);
                ck_assert_uint_eq(r.suppressed[k], s.suppressed[k]);
                ck_assert_int_eq(r.has_first[k], s.has_first[k]);
                if (s.has_first[k]) {
                        ck_assert_str_eq(strna(r.first[k].detail), strna(s.first[k].detail));
                        ck_assert_uint_eq(r.first[k].time_usec, s.first[k].time_usec);
                }
        }
        ck_assert_str_eq(r.source, "audisp");
        /* This process is not hardenctl-watch. */
        ck_assert(!watch_state_watcher_alive(&r));
        watch_state_done(&r);

        /* Not a state file: refused, nothing crashes. */
        test_write(dir, "bad.json", "{\"version\": 99}");
        ck_assert_int_eq(watch_state_read(dir_fd, "bad.json", &r), -EBADMSG);
        test_write(dir, "bad.json", "{\"version\": 1, \"events\": \"x\"");
        ck_assert_int_eq(watch_state_read(dir_fd, "bad.json", &r), -EBADMSG);
        ck_assert_int_eq(watch_state_read(dir_fd, "missing.json", &r), -ENOENT);

        watch_state_done(&s);
        watch_config_done(&c);
        test_tmpdir_remove(dir);
}
END_TEST

static Suite *watch_suite(void) {
        Suite *s = suite_create("watch");
        TCase *tc = tcase_create("core");

        tcase_add_test(tc, test_chunks);
        tcase_add_test(tc, test_malformed);
        tcase_add_test(tc, test_ipe);
        tcase_add_test(tc, test_avc_rate);
        tcase_add_test(tc, test_rate_limit);
        tcase_add_test(tc, test_state_roundtrip);
        suite_add_tcase(s, tc);
        return s;
}

TEST_MAIN(watch_suite)
