/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* JUnit XML for CI systems: one test suite of the results, a test case per result; and, where the
 * runtime watcher's state was looked for (a live check), a test suite "runtime" with a test case per
 * anomaly kind, failed when the watcher found any since boot. */

#include <inttypes.h>

#include "report.h"
#include "string-util.h"

typedef struct RuntimeCounts {
        size_t tests, failures, skipped;
} RuntimeCounts;

static void runtime_count(const RuntimeWatch *w, RuntimeCounts *ret) {
        *ret = (RuntimeCounts){};
        if (!w->read && w->error == 0) /* not looked for: no suite */
                return;
        ret->tests = _ANOMALY_KIND_MAX;
        for (AnomalyKind k = 0; k < _ANOMALY_KIND_MAX; k++)
                if (!w->read)
                        ret->skipped++;
                else if (w->state.count[k] > 0)
                        ret->failures++;
}

static void property(FILE *f, const char *name, const char *value) {
        if (!value)
                return;
        fprintf(f, "      <property name=\"%s\" value=\"", name);
        xml_escape(f, value);
        fputs("\"/>\n", f);
}

/* The runtime suite: a test case per anomaly kind, failed when there were any since boot (the first as
 * the message), skipped when the watcher's state could not be read. */
static void write_runtime_suite(const ComplianceReport *r, const char *ts, FILE *f) {
        const RuntimeWatch *w = &r->runtime;
        const WatchState *s = &w->state;
        _cleanup_free_ char *why = NULL;
        uint64_t behind = report_runtime_behind_usec(w);
        RuntimeCounts c;
        char buf[64];

        runtime_count(w, &c);
        if (c.tests == 0)
                return;
        (void) report_runtime_not_read(w, &why); /* without memory: "unknown" */
        fputs("  <testsuite name=\"runtime\" hostname=\"", f);
        xml_escape(f, r->host.hostname ?: r->root);
        fprintf(f, "\" timestamp=\"%s\" tests=\"%zu\" failures=\"%zu\" errors=\"0\" skipped=\"%zu\" time=\"0\">\n",
                strna(ts), c.tests, c.failures, c.skipped);
        fputs("    <properties>\n", f);
        property(f, "state-file", w->path);
        if (w->read) {
                property(f, "watcher", w->running ? "running" : "not running");
                property(f, "source", s->source);
                snprintf(buf, sizeof(buf), "%" PRIu64, s->events);
                property(f, "events", buf);
                snprintf(buf, sizeof(buf), "%" PRIu64, s->unparsable);
                property(f, "unparsable", buf);
                snprintf(buf, sizeof(buf), "%.3f", behind / 1e6);
                property(f, "behind-seconds", behind != UINT64_MAX ? buf : NULL);
        }
        fputs("    </properties>\n", f);
        for (AnomalyKind k = 0; k < _ANOMALY_KIND_MAX; k++) {
                _cleanup_free_ char *first = NULL;

                fprintf(f, "    <testcase classname=\"runtime\" name=\"%s\" time=\"0\">\n", anomaly_kind_to_string(k));
                if (!w->read) {
                        fputs("      <skipped message=\"", f);
                        xml_escape(f, why ?: "unknown");
                        fputs("\"/>\n", f);
                } else if (s->count[k] > 0) {
                        if (s->has_first[k])
                                (void) report_anomaly_summary(s->first + k, &first); /* without memory: "unknown" */
                        fprintf(f, "      <failure type=\"anomaly\" message=\"%" PRIu64 " since boot, the first: ",
                                s->count[k]);
                        xml_escape(f, first ?: "unknown");
                        fprintf(f,
                                "\">%" PRIu64 " since boot, %" PRIu64
                                " of them not sent to the journal (repeats, rate limit).\nThe first: ",
                                s->count[k], s->suppressed[k]);
                        xml_escape(f, first ?: "unknown");
                        fputs("</failure>\n", f);
                }
                fputs("    </testcase>\n", f);
        }
        fputs("  </testsuite>\n", f);
}

int report_write_junit(const ComplianceReport *r, FILE *f) {
        _cleanup_free_ char *ts = format_timestamp_utc(r->time_usec), *record = NULL;
        ComplianceCounts n;
        RuntimeCounts rt;
        double secs = r->duration_usec / 1e6;
        size_t skipped;

        compliance_report_count(r, &n);
        runtime_count(&r->runtime, &rt);
        skipped = n.n[RULE_NOTAPPLICABLE] + n.n[RULE_NOTCHECKED];

        fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", f);
        fprintf(f,
                "<testsuites name=\"hardenctl\" tests=\"%zu\" failures=\"%zu\" errors=\"%zu\" skipped=\"%zu\" time=\"%.6f\">\n",
                n.total + rt.tests, n.n[RULE_FAIL] + rt.failures, n.n[RULE_ERROR], skipped + rt.skipped, secs);
        fputs("  <testsuite name=\"hardenctl check ", f);
        xml_escape(f, r->profile_name);
        fputs("\" hostname=\"", f);
        xml_escape(f, r->host.hostname ?: r->root);
        fprintf(f, "\" timestamp=\"%s\" tests=\"%zu\" failures=\"%zu\" errors=\"%zu\" skipped=\"%zu\" time=\"%.6f\">\n",
                strna(ts), n.total, n.n[RULE_FAIL], n.n[RULE_ERROR], skipped, secs);
        fputs("    <properties>\n", f);
        property(f, "profile", r->profile_name);
        property(f, "profile.digest", r->profile_digest);
        property(f, "root", r->root);
        property(f, "machine-id", r->host.machine_id);
        /* The integrity posture recorded at boot, as the text report says it (without memory, left out). */
        if (report_posture_record_summary(r, &record) >= 0)
                property(f, "posture", record);
        fputs("    </properties>\n", f);

        for (size_t i = 0; i < r->n_results; i++) {
                const ComplianceResult *x = r->results + i;

                fputs("    <testcase classname=\"", f);
                xml_escape(f, x->rule->id);
                fputs("\" name=\"", f);
                xml_escape(f, x->instance ?: x->rule->title);
                fputs("\" time=\"0\">\n", f);
                if (x->result == RULE_FAIL || x->result == RULE_ERROR) {
                        fprintf(f, "      <%s type=\"%s\" message=\"", x->result == RULE_FAIL ? "failure" : "error",
                                severity_to_string(x->rule->severity));
                        xml_escape(f, strna(x->message));
                        fputs("\">", f);
                        for (size_t e = 0; e < x->n_evidence; e++) {
                                xml_escape(f, strna(x->evidence[e].source));
                                fputs(": expected ", f);
                                xml_escape(f, strna(x->evidence[e].expected));
                                fputs(", found ", f);
                                xml_escape(f, strna(x->evidence[e].actual));
                                fputc('\n', f);
                        }
                        fputs("Remediation: ", f);
                        xml_escape(f, x->rule->remediation);
                        fprintf(f, "</%s>\n", x->result == RULE_FAIL ? "failure" : "error");
                } else if (x->result != RULE_PASS) {
                        fputs("      <skipped message=\"", f);
                        xml_escape(f, strna(x->message));
                        fputs("\"/>\n", f);
                }
                fputs("    </testcase>\n", f);
        }
        fputs("  </testsuite>\n", f);
        write_runtime_suite(r, ts, f);
        fputs("</testsuites>\n", f);
        return ferror(f) ? -EIO : 0;
}
