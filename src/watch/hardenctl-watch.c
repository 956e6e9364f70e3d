/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* hardenctl-watch: the runtime watcher. As an audisp plugin (auditd starts it, /etc/audit/plugins.d/
 * hardenctl-watch.conf) it reads auditd's events in text format on standard input; without auditd it
 * follows the kernel's audit records in the journal (--from-journal). It turns the events into the
 * anomalies the boot profile defines, one journal entry each, and keeps counts since boot in
 * /run/hardenctl/watch.json. See hardenctl-watch(8). */

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <systemd/sd-id128.h>
#include <unistd.h>

#include "boot.h"
#include "digest.h"
#include "log.h"
#include "path-util.h"
#include "profile-load.h"
#include "string-util.h"
#include "test-hooks.h"
#include "time-util.h"
#include "watch-journal.h"
#include "watch.h"

#define STATE_INTERVAL_USEC (1ULL * 1000000) /* the state file is rewritten at most once a second */

static const char *arg_profile = NULL;
static const char *arg_input = NULL;
static const char *arg_state = WATCH_STATE_PATH;
static const char *arg_usr_device = NULL;
static enum { SINK_JOURNAL, SINK_EXPORT, SINK_TEXT, SINK_NONE } arg_sink = SINK_JOURNAL;
static bool arg_from_journal = false;

static volatile sig_atomic_t stop = 0;

static void on_signal(int sig) {
        stop = 1;
}

static int help(void) {
        printf("%s [OPTIONS…]\n\n"
               "Turns audit events into the anomalies the hardening profile defines.\n\n"
               "  -h --help              Show this help\n"
               "     --profile=PATH      The profile (default: the boot profile)\n"
               "     --input=FILE        Read events from FILE (default: standard input, as audisp gives them)\n"
               "     --from-journal      Follow the kernel's audit records in the journal (hosts without auditd)\n"
               "     --state=PATH        The state file (default: " WATCH_STATE_PATH ", \"-\" for none)\n"
               "     --sink=SINK         Where anomalies go: journal (the default), export (Journal Export\n"
               "                         Format on standard output), text (a line each) or none\n"
               "     --usr-device=MAJ:MIN  The verified /usr's device (default: that of /usr)\n",
               program_invocation_short_name);
        return 0;
}

static int parse_argv(int argc, char *argv[]) {
        enum { ARG_PROFILE = 0x100, ARG_INPUT, ARG_STATE, ARG_SINK, ARG_USR_DEVICE, ARG_FROM_JOURNAL };
        static const struct option options[] = {
                { "help", no_argument, NULL, 'h' },
                { "profile", required_argument, NULL, ARG_PROFILE },
                { "input", required_argument, NULL, ARG_INPUT },
                { "from-journal", no_argument, NULL, ARG_FROM_JOURNAL },
                { "state", required_argument, NULL, ARG_STATE },
                { "sink", required_argument, NULL, ARG_SINK },
                { "usr-device", required_argument, NULL, ARG_USR_DEVICE },
                {},
        };
        int c;

        while ((c = getopt_long(argc, argv, "h", options, NULL)) >= 0)
                switch (c) {
                case 'h':
                        return help();
                case ARG_PROFILE:
                        arg_profile = optarg;
                        break;
                case ARG_INPUT:
                        arg_input = optarg;
                        break;
                case ARG_FROM_JOURNAL:
                        arg_from_journal = true;
                        break;
                case ARG_STATE:
                        arg_state = streq(optarg, "-") ? NULL : optarg;
                        break;
                case ARG_SINK:
                        if (streq(optarg, "journal"))
                                arg_sink = SINK_JOURNAL;
                        else if (streq(optarg, "export"))
                                arg_sink = SINK_EXPORT;
                        else if (streq(optarg, "text"))
                                arg_sink = SINK_TEXT;
                        else if (streq(optarg, "none"))
                                arg_sink = SINK_NONE;
                        else
                                return log_error_errno(-EINVAL,
                                                       "Invalid --sink= '%s': expected journal, export, text or none.",
                                                       optarg);
                        break;
                case ARG_USR_DEVICE:
                        arg_usr_device = optarg;
                        break;
                default:
                        return -EINVAL;
                }
        if (optind < argc)
                return log_error_errno(-EINVAL, "Unexpected argument '%s'.", argv[optind]);
        if (arg_input && arg_from_journal)
                return log_error_errno(-EINVAL, "--input= and --from-journal exclude each other.");
        return 1;
}

static int load(Profile **ret) {
        ProfileDiags diags = {};
        ProfileLoadOptions o = { .root_fd = -EBADF, .flags = PROFILE_LOAD_KEEP_TEXT };
        int r;

        if (!arg_profile) {
                /* 0 and NULL without a boot profile. */
                r = boot_profile_load_full(BOOT_LOAD_KEEP_TEXT, ret);
                return r < 0 ? r : 0;
        }
        r = profile_load(&o, arg_profile, ret, &diags);
        for (size_t i = 0; i < diags.n; i++) {
                _cleanup_free_ char *m = profile_diag_format(diags.items + i);
                log_full(diags.items[i].fatal ? LOG_ERR : LOG_WARNING, "%s", strna(m));
        }
        profile_diags_done(&diags);
        return r < 0 ? log_error_errno(r, "Cannot load the profile %s: %m", arg_profile) : 0;
}

/* The device of the verified /usr, when the profile asks for verity. */
static int usr_device(const Profile *p, WatchConfig *c) {
        struct stat st;
        char x;

        if (arg_usr_device) {
                if (sscanf(arg_usr_device, "%u:%u%c", &c->usr_major, &c->usr_minor, &x) != 2)
                        return log_error_errno(-EINVAL, "Invalid --usr-device= '%s': expected MAJOR:MINOR.",
                                               arg_usr_device);
                c->usr_dev_known = true;
                return 0;
        }
        if (p->usr.verity == VERITY_OFF)
                return 0;
        if (stat("/usr", &st) < 0)
                return log_error_errno(errno, "Cannot stat /usr: %m");
        c->usr_major = major(st.st_dev);
        c->usr_minor = minor(st.st_dev);
        c->usr_dev_known = true;
        return 0;
}

/* $HARDENCTL_TEST_WATCH_UNITS="PID=UNIT …": the units of the processes of a recorded stream; the
 * parent's when the process is not listed, as the control group lookup does for a process gone. */
static int unit_lookup_test(int64_t pid, int64_t ppid, char **ret, void *userdata) {
        const char *map = userdata;

        *ret = NULL;
        for (int i = 0; i < 2; i++) {
                char want[32];

                snprintf(want, sizeof(want), "%" PRIi64 "=", i == 0 ? pid : ppid);
                for (const char *p = map; p && (p = strstr(p, want)); p++)
                        if (p == map || p[-1] == ' ') {
                                p += strlen(want);
                                *ret = strndup(p, strcspn(p, " "));
                                return *ret ? 0 : -ENOMEM;
                        }
        }
        return 0;
}

static int save_state(Watcher *w, bool force, uint64_t *last) {
        uint64_t t = now(CLOCK_REALTIME);
        int r;

        if (!arg_state || (!force && t < *last + STATE_INTERVAL_USEC))
                return 0;
        *last = t;
        watcher_state(w)->updated_usec = t;
        r = watch_state_write(watcher_state(w), arg_state);
        if (r < 0)
                return log_error_errno(r, "Cannot write %s: %m", arg_state);
        return 0;
}

/* Reads until the end of the input. While events arrive the state is saved at most once a second; when
 * the input falls quiet the watcher completes the events libauparse still holds (one without its end
 * record waits for the next) and saves, so that the state never lags behind a quiet stream. */
static int run_stream(Watcher *w, int fd) {
        uint64_t last = 0;
        bool dirty = false;
        char buf[65536];
        int r;

        for (;;) {
                struct pollfd p = { .fd = fd, .events = POLLIN };
                ssize_t n;

                r = poll(&p, 1, dirty ? (int) (STATE_INTERVAL_USEC / 1000) : -1);
                if (r < 0 && errno != EINTR)
                        return log_error_errno(errno, "Cannot wait for the events: %m");
                if (stop)
                        break;
                if (r == 0) {
                        r = watcher_age(w);
                        if (r < 0)
                                return log_error_errno(r, "Cannot process the events: %m");
                        (void) save_state(w, true, &last);
                        dirty = r > 0;
                        continue;
                }
                if (r < 0)
                        continue;
                n = read(fd, buf, sizeof(buf));
                if (n < 0 && (errno == EINTR || errno == EAGAIN))
                        continue;
                if (n < 0)
                        return log_error_errno(errno, "Cannot read the events: %m");
                if (n == 0)
                        break;
                r = watcher_feed(w, buf, n);
                if (r < 0)
                        return log_error_errno(r, "Cannot process the events: %m");
                (void) save_state(w, false, &last);
                dirty = true;
        }
        r = watcher_flush(w);
        if (r < 0)
                return log_error_errno(r, "Cannot process the events: %m");
        return save_state(w, true, &last);
}

static int drain(const char *path) {
        _cleanup_close_ int fd = path ? open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY) : -EBADF;
        char buf[65536];
        ssize_t n;

        if (path && fd < 0)
                return log_error_errno(errno, "Cannot open %s: %m", path);
        while (!stop && ((n = read(path ? fd : STDIN_FILENO, buf, sizeof(buf))) > 0 || (n < 0 && errno == EINTR)))
                ;
        return 0;
}

static int run(int argc, char *argv[]) {
        static const WatchSink sinks[] = {
                [SINK_JOURNAL] = watch_sink_journal,
                [SINK_EXPORT] = watch_sink_export,
                [SINK_TEXT] = watch_sink_text,
                [SINK_NONE] = NULL,
        };
        _cleanup_(profile_freep) Profile *p = NULL;
        _cleanup_(watcher_freep) Watcher *w = NULL;
        _cleanup_close_ int fd = -EBADF;
        WatchConfig c;
        WatchState *s;
        sd_id128_t boot;
        int r;

        r = parse_argv(argc, argv);
        if (r <= 0)
                return r;
        r = load(&p);
        if (r < 0)
                return r;
        if (!p) {
                /* Installed, not configured: auditd runs its plugins all the same, and restarts one that
                 * exits. Read and drop what it sends; the journald fallback has nothing to do. */
                log_info("No boot profile: no anomalies to look for.");
                if (arg_from_journal)
                        return 0;
                return drain(arg_input);
        }
        r = watch_config_from_profile(p, &c);
        if (r < 0)
                return log_oom();
        r = usr_device(p, &c);
        if (r < 0)
                goto finish;
        if (test_hook_env("HARDENCTL_TEST_WATCH_UNITS")) {
                c.unit_lookup = unit_lookup_test;
                c.unit_lookup_userdata = (void *) test_hook_env("HARDENCTL_TEST_WATCH_UNITS");
        }
        r = watcher_new(&c, sinks[arg_sink], stdout, &w);
        if (r < 0) {
                log_oom();
                goto finish;
        }
        s = watcher_state(w);
        s->pid = getpid();
        s->started_usec = now(CLOCK_REALTIME);
        if (!(s->source = strdup(arg_from_journal ? "journal" : "audisp")) || !(s->profile = strdup(p->name)) ||
            profile_digest(p, &s->profile_digest) < 0 ||
            (sd_id128_get_boot(&boot) >= 0 && !(s->boot_id = strdup(SD_ID128_TO_STRING(boot))))) {
                r = log_oom();
                goto finish;
        }

        if (arg_from_journal)
                r = watch_journal_follow(w, &stop, arg_state ? save_state : NULL);
        else {
                fd = arg_input ? open(arg_input, O_RDONLY | O_CLOEXEC | O_NOCTTY) : STDIN_FILENO;
                if (fd < 0) {
                        r = log_error_errno(errno, "Cannot open %s: %m", arg_input);
                        goto finish;
                }
                r = run_stream(w, fd);
                if (fd == STDIN_FILENO)
                        fd = -EBADF;
        }
        if (r >= 0 && fflush(stdout) != 0)
                r = log_error_errno(errno, "Cannot write to standard output: %m");
        if (r >= 0)
                log_debug("%" PRIu64 " events, %" PRIu64 " unparsable.", s->events, s->unparsable);
finish:
        watch_config_done(&c);
        return r;
}

int main(int argc, char *argv[]) {
        struct sigaction sa = { .sa_handler = on_signal };
        int r;

        log_set_prefix("hardenctl-watch");
        log_parse_environment();
        /* auditd stops its plugins with SIGTERM; no SA_RESTART, so that a blocked read returns. */
        (void) sigaction(SIGTERM, &sa, NULL);
        (void) sigaction(SIGINT, &sa, NULL);
        (void) signal(SIGHUP, SIG_IGN);
        (void) signal(SIGPIPE, SIG_IGN);

        r = run(argc, argv);
        return r < 0 ? EXIT_FAILURE : EXIT_SUCCESS;
}
