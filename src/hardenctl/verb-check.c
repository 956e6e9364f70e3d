/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <fcntl.h>
#include <inttypes.h>
#include <sys/stat.h>
#include <systemd/sd-journal.h>

#include "atomic-file.h"
#include "compliance-catalog.h"
#include "digest.h"
#include "fs-util.h"
#include "hardenctl.h"
#include "journal-ids.h"
#include "json-util.h"
#include "log.h"
#include "parse-util.h"
#include "path-util.h"
#include "report.h"
#include "string-util.h"
#include "strv.h"
#include "test-hooks.h"
#include "time-util.h"

static bool use_colour(void) {
        const char *e = getenv("SYSTEMD_COLORS");

        if (getenv("NO_COLOR"))
                return false;
        if (e)
                return parse_boolean(e) > 0 || streq(e, "16") || streq(e, "256") || streq(e, "24bit");
        e = getenv("TERM");
        return isatty(STDOUT_FILENO) && !(e && streq(e, "dumb"));
}

static const char *result_colour(RuleResult r) {
        switch (r) {
        case RULE_PASS:
                return "\033[32m";
        case RULE_FAIL:
                return "\033[1;31m";
        case RULE_ERROR:
                return "\033[33m";
        default:
                return "\033[2m";
        }
}

/* The exit status a report stands for: 0 compliant, 2 a rule failed, 4 no rule failed but some could
 * not be evaluated. */
static int report_exit_status(const ComplianceReport *r) {
        ComplianceCounts n;

        compliance_report_count(r, &n);
        if (n.n[RULE_FAIL] > 0)
                return EXIT_NOT_COMPLIANT;
        if (n.n[RULE_ERROR] > 0)
                return EXIT_INCOMPLETE;
        return EXIT_OK;
}

/* $HARDENCTL_CHECK_TIME, for reproducible reports: the time they state, and no duration. 0 if unset. */
static int fixed_time(uint64_t *ret) {
        uint64_t t = 0;
        int r;

        r = getenv_epoch_usec("HARDENCTL_CHECK_TIME", &t);
        if (r < 0 || (r > 0 && t == 0))
                return log_error_errno(-EINVAL, "Invalid $HARDENCTL_CHECK_TIME '%s': expected seconds since the epoch.",
                                       getenv("HARDENCTL_CHECK_TIME"));
        *ret = t;
        return 0;
}

/* The profile to check: the one named, or the boot profile below the root. */
static int run_check(int argc, char *argv[], ComplianceReport **ret) {
        _cleanup_(profile_freep) Profile *p = NULL;
        _cleanup_strv_free_ char **search_path = NULL;
        _cleanup_close_ int root_fd = -EBADF;
        ProfileLoadOptions o;
        ComplianceOptions co = {};
        int r;

        /* A check digests (the profile, drifted files, certificates) and never encrypts nor reads a key.
         * Process-wide, so here, in the verb, before anything uses libcrypto. */
        if (digest_crypto_init() < 0)
                return log_oom();

        r = fixed_time(&co.fixed_time_usec);
        if (r < 0)
                return r;
        /* The watcher's state file of a test, read as that of the running system. */
        co.watch_state = test_hook_env("HARDENCTL_TEST_WATCH_STATE");
        r = load_options_init(&o, &root_fd, &search_path);
        if (r < 0)
                return r;
        o.flags |= PROFILE_LOAD_KEEP_TEXT;

        r = load_profile(&o, argc > 1 ? argv[1] : NULL, &p);
        if (r != 0)
                return r;

        r = compliance_check(p, root_fd, arg_root ?: "/", &co, ret);
        if (r < 0)
                return log_error_errno(r, "The compliance check failed: %m");
        return 0;
}

/* The runtime section: anomalies since boot by kind, and the first of each as evidence. */
static void print_runtime(const ComplianceReport *r, const char *on, const char *off) {
        const RuntimeWatch *w = &r->runtime;
        const WatchState *s = &w->state;

        if (!w->read) {
                if (w->error != 0)
                        printf("  runtime: no watcher state (%s: %s)\n", strna(w->path),
                               w->error == -ENOENT ? "no watcher has run this boot" : strerror(-w->error));
                return;
        }
        printf("  runtime: %s%" PRIu64 " anomalies since boot%s; watcher %s, %" PRIu64 " events read, %" PRIu64
               " unparsable\n",
               runtime_watch_anomalies(w) > 0 ? on : "", runtime_watch_anomalies(w), off,
               w->running ? "running" : "not running", s->events, s->unparsable);
        for (AnomalyKind k = 0; k < _ANOMALY_KIND_MAX; k++) {
                _cleanup_free_ char *ts = NULL;

                if (s->count[k] == 0)
                        continue;
                ts = format_timestamp_utc(s->first[k].time_usec);
                printf("    %-16s %6" PRIu64 "  first %s: %s\n", anomaly_kind_to_string(k), s->count[k], strna(ts),
                       s->has_first[k] ? strna(s->first[k].detail) : "n/a");
        }
}

static void print_text(const ComplianceReport *r) {
        bool colour = use_colour();
        const char *on = colour ? "\033[1m" : "", *off = colour ? "\033[0m" : "";
        _cleanup_free_ char *record = NULL;
        ComplianceCounts n;
        bool compliant;

        compliance_report_count(r, &n);
        compliant = n.n[RULE_FAIL] == 0 && n.n[RULE_ERROR] == 0;

        printf("%s%s%s — profile %s on %s",
               colour ? (compliant      ? "\033[1;32m" :
                         n.n[RULE_FAIL] ? "\033[1;31m" :
                                          "\033[1;33m") :
                        "",
               compliant      ? "COMPLIANT" :
               n.n[RULE_FAIL] ? "NOT COMPLIANT" :
                                "INCOMPLETE",
               off, r->profile_name, strna(r->host.hostname));
        if (r->live)
                printf("%s (running system)%s\n", on, off);
        else
                printf(" (offline tree %s)\n", r->root);
        printf("  score %.1f/100; %zu results: %zu pass, %zu fail (%zu high, %zu medium, %zu low), %zu error, "
               "%zu not applicable, %zu not checked\n",
               compliance_report_score(r), n.total, n.n[RULE_PASS], n.n[RULE_FAIL], n.failed_by_severity[SEVERITY_HIGH],
               n.failed_by_severity[SEVERITY_MEDIUM], n.failed_by_severity[SEVERITY_LOW], n.n[RULE_ERROR],
               n.n[RULE_NOTAPPLICABLE], n.n[RULE_NOTCHECKED]);
        printf("  profile digest %s\n", r->profile_digest);
        print_runtime(r, on, off);
        if (report_posture_record_summary(r, &record) >= 0)
                printf("  posture record: %s\n", record);
        if (arg_quiet)
                return;

        /* Failures first, by severity; then errors; then the rest in catalog order. */
        putchar('\n');
        for (int pass = 0; pass < 3; pass++)
                for (size_t i = 0; i < r->n_results; i++) {
                        const ComplianceResult *x = r->results + i;
                        bool show = pass == 0 ? x->result == RULE_FAIL && x->rule->severity == SEVERITY_HIGH :
                                    pass == 1 ? (x->result == RULE_FAIL && x->rule->severity != SEVERITY_HIGH) ||
                                                        x->result == RULE_ERROR :
                                                x->result != RULE_FAIL && x->result != RULE_ERROR;

                        if (!show)
                                continue;
                        printf("%s%-13s%s %-6s %s%s%s%s: %s\n", colour ? result_colour(x->result) : "",
                               rule_result_to_string(x->result), off, severity_to_string(x->rule->severity), x->rule->id,
                               x->instance ? " [" : "", strempty(x->instance), x->instance ? "]" : "", strna(x->message));
                }
}

static int journal_log(const ComplianceReport *r) {
        ComplianceCounts n;
        int k;

        compliance_report_count(r, &n);
        k = sd_journal_send(
                "MESSAGE_ID=" MESSAGE_ID_CHECK_RUN, "PRIORITY=%i", n.n[RULE_FAIL] > 0 ? LOG_WARNING : LOG_INFO,
                "MESSAGE=Compliance check of profile %s: %s, %zu of %zu results failed, score %.1f.", r->profile_name,
                n.n[RULE_FAIL]  ? "not compliant" :
                n.n[RULE_ERROR] ? "incomplete" :
                                  "compliant",
                n.n[RULE_FAIL], n.total, compliance_report_score(r), FIELD_PROFILE "%s", r->profile_name,
                FIELD_DIGEST "%s", r->profile_digest, FIELD_RESULTS "%zu", n.total, FIELD_PASS "%zu", n.n[RULE_PASS],
                FIELD_FAIL "%zu", n.n[RULE_FAIL], FIELD_ERROR "%zu", n.n[RULE_ERROR], FIELD_NOTCHECKED "%zu",
                n.n[RULE_NOTCHECKED], FIELD_NOTAPPLICABLE "%zu", n.n[RULE_NOTAPPLICABLE], FIELD_ROOT "%s", r->root,
                FIELD_LIVE "%s", r->live ? "yes" : "no", NULL);
        if (k < 0)
                return log_error_errno(k, "Failed to write to the journal: %m");

        for (size_t i = 0; i < r->n_results; i++) {
                const ComplianceResult *x = r->results + i;

                if (x->result != RULE_FAIL && x->result != RULE_ERROR)
                        continue;
                k = sd_journal_send("MESSAGE_ID=" MESSAGE_ID_CHECK_RULE, "PRIORITY=%i",
                                    x->result == RULE_FAIL ? LOG_WARNING : LOG_ERR, "MESSAGE=%s%s%s%s: %s", x->rule->id,
                                    x->instance ? " [" : "", strempty(x->instance), x->instance ? "]" : "",
                                    strna(x->message), FIELD_RULE "%s", x->rule->id, FIELD_INSTANCE "%s",
                                    strempty(x->instance), FIELD_RESULT "%s", rule_result_to_string(x->result),
                                    FIELD_SEVERITY "%s", severity_to_string(x->rule->severity), FIELD_PROFILE "%s",
                                    r->profile_name, FIELD_DIGEST "%s", r->profile_digest, FIELD_ROOT "%s", r->root,
                                    FIELD_LIVE "%s", r->live ? "yes" : "no", NULL);
                if (k < 0)
                        return log_error_errno(k, "Failed to write to the journal: %m");
        }
        return 0;
}

/* node-problem-detector's custom plugin protocol: one line on standard output; exit 0 OK, 1 a problem
 * (a rule failed, or the watcher found anomalies since boot), 2 unknown (rules could not be evaluated,
 * or the check could not run). */
enum { NPD_OK = 0, NPD_PROBLEM = 1, NPD_UNKNOWN = 2 };

static int npd_report(const ComplianceReport *r) {
        uint64_t anomalies = runtime_watch_anomalies(&r->runtime);
        ComplianceCounts n;
        const char *sep = "";

        compliance_report_count(r, &n);
        if (n.n[RULE_FAIL] == 0 && anomalies == 0) {
                if (n.n[RULE_ERROR] > 0) {
                        printf("Unknown: %zu of %zu rules of profile %s could not be evaluated\n", n.n[RULE_ERROR],
                               n.total, r->profile_name);
                        return NPD_UNKNOWN;
                }
                printf("Hardened: profile %s compliant%s\n", r->profile_name,
                       r->runtime.read ? ", no anomalies since boot" : "");
                return NPD_OK;
        }
        if (n.n[RULE_FAIL] > 0) {
                printf("%zu of %zu rules failed (", n.n[RULE_FAIL], n.total);
                for (size_t i = 0, shown = 0; i < r->n_results && shown < 3; i++)
                        if (r->results[i].result == RULE_FAIL &&
                            (shown == 0 || r->results[i].rule != r->results[i - 1].rule)) {
                                printf("%s%s", shown++ ? ", " : "", r->results[i].rule->id);
                        }
                printf("%s)", n.n[RULE_FAIL] > 3 ? ", …" : "");
                sep = "; ";
        }
        if (anomalies > 0) {
                printf("%s%" PRIu64 " anomalies since boot (", sep, anomalies);
                sep = "";
                for (AnomalyKind k = 0; k < _ANOMALY_KIND_MAX; k++)
                        if (r->runtime.state.count[k] > 0) {
                                printf("%s%s %" PRIu64, sep, anomaly_kind_to_string(k), r->runtime.state.count[k]);
                                sep = ", ";
                        }
                putchar(')');
        }
        putchar('\n');
        return NPD_PROBLEM;
}

int verb_check(int argc, char *argv[]) {
        _cleanup_(compliance_report_freep) ComplianceReport *r = NULL;
        int k;

        if (arg_node_problem_detector && arg_json != JSON_OFF)
                return log_error_errno(-EINVAL, "--node-problem-detector and --json exclude each other.");

        k = run_check(argc, argv, &r);
        if (k != 0) {
                if (arg_node_problem_detector) {
                        printf("Unknown: the compliance check could not run\n");
                        return NPD_UNKNOWN;
                }
                return k;
        }
        if (arg_node_problem_detector) {
                k = npd_report(r);
                if (fflush(stdout) != 0)
                        return NPD_UNKNOWN;
                if (arg_journal && journal_log(r) < 0)
                        return NPD_UNKNOWN;
                return k;
        }

        /* Output first, as report does: a journal that cannot be written is a failure of the run, but
         * it does not take the results away. */
        if (arg_json != JSON_OFF) {
                _cleanup_(json_object_putp) struct json_object *j = NULL;

                k = report_to_json(r, &j);
                if (k < 0)
                        return log_error_errno(k, "Failed to build JSON: %m");
                k = json_print(j);
                if (k < 0)
                        return k;
        } else
                print_text(r);

        if (arg_journal) {
                k = journal_log(r);
                if (k < 0)
                        return k;
        }
        return report_exit_status(r);
}

typedef struct ReportOutput {
        const ComplianceReport *report;
        ReportFormat format;
} ReportOutput;

static int write_report(FILE *f, const void *userdata) {
        const ReportOutput *o = userdata;

        return report_write(o->report, o->format, f);
}

int verb_report(int argc, char *argv[]) {
        _cleanup_(compliance_report_freep) ComplianceReport *r = NULL;
        ReportFormat format = REPORT_JSON;
        int k;

        if (arg_format) {
                k = report_format_from_string(arg_format);
                if (k < 0)
                        return log_error_errno(
                                -EINVAL, "Invalid --format= '%s': expected json, html, xccdf, arf, junit or prometheus.",
                                arg_format);
                format = k;
        }

        k = run_check(argc, argv, &r);
        if (k != 0)
                return k;

        if (arg_output) {
                /* Metrics are read by node_exporter, which runs as its own user; reports stay private. */
                k = output_write(arg_output, "report", format == REPORT_PROMETHEUS ? 0644 : 0600, write_report,
                                 &(ReportOutput){ r, format });
                if (k < 0)
                        return k;
                if (!arg_quiet)
                        log_info("Wrote %s report to %s.", report_format_to_string(format), arg_output);
        } else {
                k = report_write(r, format, stdout);
                if (k < 0)
                        return log_error_errno(k, "Failed to write the report: %m");
        }
        if (arg_journal) {
                k = journal_log(r);
                if (k < 0)
                        return k;
        }
        return report_exit_status(r);
}
