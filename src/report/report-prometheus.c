/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* The report in Prometheus' text exposition format (version 0.0.4), for node_exporter's textfile
 * collector: every metric named hardenctl_*, with # HELP and # TYPE before its samples, label values
 * escaped as the format asks (backslash, double quote, newline). No timestamps on samples: the textfile
 * collector refuses them; the time of the check is a metric of its own. hardenctl-report(5) lists the
 * metrics. */

#include "report.h"
#include "string-util.h"

/* A label value: \ " and newline escaped; the text is valid UTF-8 already (compliance_report_make_utf8()). */
static void label_escape(FILE *f, const char *s) {
        for (; s && *s; s++)
                switch (*s) {
                case '\\':
                        fputs("\\\\", f);
                        break;
                case '"':
                        fputs("\\\"", f);
                        break;
                case '\n':
                        fputs("\\n", f);
                        break;
                default:
                        fputc(*s, f);
                }
}

static void header(FILE *f, const char *name, const char *type, const char *help) {
        /* Help texts are constants of this file: no backslash or newline to escape. */
        fprintf(f, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

/* name{profile="…"[,KEY="VALUE"…]} value: labels are NULL-terminated pairs. */
static void sample(FILE *f, const ComplianceReport *r, const char *name, double value, ...) {
        va_list ap;

        fprintf(f, "%s{profile=\"", name);
        label_escape(f, r->profile_name);
        fputc('"', f);
        va_start(ap, value);
        for (const char *k; (k = va_arg(ap, const char *));) {
                fprintf(f, ",%s=\"", k);
                label_escape(f, va_arg(ap, const char *));
                fputc('"', f);
        }
        va_end(ap);
        fprintf(f, "} %.15g\n", value);
}

static void sample_bool(FILE *f, const ComplianceReport *r, const char *name, const char *help, bool b) {
        header(f, name, "gauge", help);
        sample(f, r, name, b ? 1 : 0, NULL);
}

/* Whether an earlier result has the same rule and instance: a series must be unique, and the textfile
 * collector drops the whole file over a duplicate. The first result is the one reported. */
static bool seen_before(const ComplianceReport *r, size_t i) {
        for (size_t j = 0; j < i; j++)
                if (r->results[j].rule == r->results[i].rule &&
                    streq_ptr(strempty(r->results[j].instance), strempty(r->results[i].instance)))
                        return true;
        return false;
}

static void write_posture(const ComplianceReport *r, FILE *f) {
        const BootPosture *p = &r->posture;
        size_t expected = 0;

        sample_bool(f, r, "hardenctl_posture_usr_verity", "Whether /usr is a dm-verity device.", p->usr_verity);
        sample_bool(f, r, "hardenctl_posture_usr_read_only", "Whether /usr is mounted read-only.", p->usr_read_only);
        sample_bool(f, r, "hardenctl_posture_usr_verified",
                    "Whether the dm-verity device of /usr reports its data verified (not corrupted).",
                    streq_ptr(p->verity_status, "verified"));
        header(f, "hardenctl_posture_usr_signature", "gauge",
               "Whether /usr was activated with a signed root hash: 1 yes, 0 no, -1 unknown.");
        sample(f, r, "hardenctl_posture_usr_signature", p->signature, NULL);
        sample_bool(f, r, "hardenctl_posture_etc_overlay",
                    "Whether /etc is the overlay whose upper directory is below /run/hardenctl/etc.", p->etc_overlay);
        if (!p->drift_read)
                return;
        for (size_t i = 0; i < p->n_drift; i++)
                expected += p->drift[i].expected;
        header(f, "hardenctl_etc_drift_entries", "gauge",
               "Entries of the /etc overlay's upper directory (the drift since boot), by whether [Etc] "
               "ExpectedDrift= matches them.");
        sample(f, r, "hardenctl_etc_drift_entries", expected, "expected", "yes", NULL);
        sample(f, r, "hardenctl_etc_drift_entries", p->n_drift - expected, "expected", "no", NULL);
}

/* The posture record written at boot (posture.h), as one info series: its members as labels, empty where
 * the record says nothing (not known, or absent). */
static void write_posture_record(const ComplianceReport *r, FILE *f) {
        const Posture *p = &r->posture_record;
        bool have = r->posture_record_state >= 0;
        const char *state = r->posture_record_state == -ENOENT  ? "absent" :
                            r->posture_record_state == -EBADMSG ? "invalid" :
                            !have                               ? "unreadable" :
                                                                  "present";
#define KNOWN(bit, value) (have && !(p->unknown & (bit)) ? (value) : "")
#define YESNO(bit, b) KNOWN(bit, (b) ? "yes" : "no")

        header(f, "hardenctl_posture_record_info", "gauge",
               "The integrity posture recorded at boot (/run/hardenctl/posture.json), its members as labels, "
               "empty where not known; always 1.");
        sample(f, r, "hardenctl_posture_record_info", 1, "state", state, "usr_root_hash",
               KNOWN(POSTURE_UNKNOWN_USR, strempty(p->usr_root_hash)), "usr_verified",
               KNOWN(POSTURE_UNKNOWN_USR, p->usr_root_hash ? (p->usr_verified ? "yes" : "no") : ""), "usr_signed",
               KNOWN(POSTURE_UNKNOWN_USR, p->usr_root_hash ? (p->usr_signed ? "yes" : "no") : ""), "usr_signer",
               KNOWN(POSTURE_UNKNOWN_USR, strempty(p->usr_signer)), "usr_keyring",
               KNOWN(POSTURE_UNKNOWN_USR, strempty(p->usr_keyring)), "ipe_available",
               YESNO(POSTURE_UNKNOWN_IPE, p->ipe_available), "ipe_policy",
               KNOWN(POSTURE_UNKNOWN_IPE, strempty(p->ipe_policy)), "ipe_version",
               KNOWN(POSTURE_UNKNOWN_IPE, strempty(p->ipe_version)), "ipe_digest",
               KNOWN(POSTURE_UNKNOWN_IPE, strempty(p->ipe_digest)), "ipe_enforce",
               KNOWN(POSTURE_UNKNOWN_IPE, p->ipe_policy ? (p->ipe_enforce ? "yes" : "no") : ""), "selinux",
               KNOWN(POSTURE_UNKNOWN_SELINUX, strempty(posture_selinux_to_string(p->selinux))), "lockdown",
               KNOWN(POSTURE_UNKNOWN_LOCKDOWN, strempty(posture_lockdown_to_string(p->lockdown))), "secure_boot",
               YESNO(POSTURE_UNKNOWN_SECURE_BOOT, p->secure_boot), "audit_locked",
               YESNO(POSTURE_UNKNOWN_AUDIT_LOCKED, p->audit_locked), "profile_digest",
               KNOWN(POSTURE_UNKNOWN_PROFILE_DIGEST, strempty(p->profile_digest)), NULL);
#undef YESNO
#undef KNOWN
}

/* The watcher's counts since boot, when its state was read. */
static void write_runtime(const ComplianceReport *r, FILE *f) {
        const RuntimeWatch *w = &r->runtime;

        if (!w->read)
                return;
        sample_bool(f, r, "hardenctl_watch_up", "Whether the runtime watcher (hardenctl-watch) is running.", w->running);
        header(f, "hardenctl_watch_events_total", "counter", "Audit events the watcher read since boot.");
        sample(f, r, "hardenctl_watch_events_total", w->state.events, NULL);
        header(f, "hardenctl_watch_unparsable_events_total", "counter",
               "Audit lines and events the watcher could not parse since boot.");
        sample(f, r, "hardenctl_watch_unparsable_events_total", w->state.unparsable, NULL);
        header(f, "hardenctl_watch_last_event_timestamp_seconds", "gauge",
               "The time of the newest audit event the watcher read, in seconds since the epoch.");
        sample(f, r, "hardenctl_watch_last_event_timestamp_seconds", (double) (w->state.last_event_usec / 1000000), NULL);
        header(f, "hardenctl_anomalies_total", "counter", "Anomalies the watcher found since boot, by kind.");
        for (AnomalyKind k = 0; k < _ANOMALY_KIND_MAX; k++)
                sample(f, r, "hardenctl_anomalies_total", w->state.count[k], "kind", anomaly_kind_to_string(k), NULL);
}

int report_write_prometheus(const ComplianceReport *r, FILE *f) {
        ComplianceCounts n;

        compliance_report_count(r, &n);

        header(f, "hardenctl_info", "gauge", "The profile checked, its digest and the host; always 1.");
        sample(f, r, "hardenctl_info", 1, "digest", r->profile_digest, "root", r->root, "live", r->live ? "yes" : "no",
               "hostname", strempty(r->host.hostname), "machine_id", strempty(r->host.machine_id), NULL);
        header(f, "hardenctl_check_timestamp_seconds", "gauge", "When the check started, in seconds since the epoch.");
        sample(f, r, "hardenctl_check_timestamp_seconds", (double) (r->time_usec / 1000000), NULL);
        header(f, "hardenctl_check_duration_seconds", "gauge", "How long the check took (0 with a fixed time).");
        sample(f, r, "hardenctl_check_duration_seconds", r->duration_usec / 1e6, NULL);
        sample_bool(f, r, "hardenctl_compliant", "Whether no rule failed and every rule could be evaluated.",
                    n.n[RULE_FAIL] == 0 && n.n[RULE_ERROR] == 0);
        header(f, "hardenctl_score", "gauge",
               "Passed rules as a share of passed and failed ones, weighted by severity, 0 to 100.");
        sample(f, r, "hardenctl_score", ((int) (compliance_report_score(r) * 10 + 0.5)) / 10.0, NULL);

        header(f, "hardenctl_results", "gauge", "Results of the check by status.");
        for (RuleResult i = 0; i < _RULE_RESULT_MAX; i++)
                sample(f, r, "hardenctl_results", n.n[i], "status", rule_result_to_string(i), NULL);
        header(f, "hardenctl_failed_results", "gauge", "Failed results by the severity of their rule.");
        for (Severity i = 0; i < _SEVERITY_MAX; i++)
                sample(f, r, "hardenctl_failed_results", n.failed_by_severity[i], "severity", severity_to_string(i),
                       NULL);

        /* One series per result and status, 1 for its status and 0 for the others (a state set), so that
         * a status that goes away goes to 0 instead of vanishing. */
        header(f, "hardenctl_rule_status", "gauge",
               "The status of each result: 1 for its status, 0 for the others. instance is empty for a rule "
               "with one result.");
        for (size_t i = 0; i < r->n_results; i++) {
                const ComplianceResult *x = r->results + i;

                if (seen_before(r, i))
                        continue;
                for (RuleResult s = 0; s < _RULE_RESULT_MAX; s++)
                        sample(f, r, "hardenctl_rule_status", s == x->result, "rule", x->rule->id, "instance",
                               strempty(x->instance), "severity", severity_to_string(x->rule->severity), "status",
                               rule_result_to_string(s), NULL);
        }

        write_posture(r, f);
        write_posture_record(r, f);
        write_runtime(r, f);
        return ferror(f) ? -EIO : 0;
}
