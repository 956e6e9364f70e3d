/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* A self-contained HTML report: one file, no scripts, no external assets, readable on screen and on
 * paper. The verdict and the numbers first, then the boot integrity posture and the drift of /etc, then
 * what the runtime watcher found since boot, then every failure with its evidence and remediation, then
 * everything else in one table. */

#include <inttypes.h>

#include "report.h"
#include "string-util.h"
#include "strv.h"

#define E(s) xml_escape(f, (s))

static const char css[] =
        "*{box-sizing:border-box}"
        "body{font:14px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,'DejaVu Sans',sans-serif;color:#1d2330;margin:0;background:#f4f6f9}"
        "main{max-width:1100px;margin:0 auto;padding:24px}"
        "h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 10px;border-bottom:2px solid #d5dae3;padding-bottom:4px}"
        ".sub{color:#5a6475;margin:0}"
        ".card{background:#fff;border:1px solid #d5dae3;border-radius:8px;padding:14px 16px;margin:10px 0;break-inside:avoid}"
        ".verdict{display:flex;gap:20px;align-items:center;flex-wrap:wrap}"
        ".big{font-size:26px;font-weight:700;padding:8px 16px;border-radius:6px;color:#fff}"
        ".ok{background:#1f7a3f}.bad{background:#b3261e}.warn{background:#9a6700}"
        ".score{font-size:30px;font-weight:700}.score small{font-size:13px;font-weight:400;color:#5a6475}"
        ".bar{display:flex;height:18px;border-radius:4px;overflow:hidden;margin:12px 0 6px;border:1px solid #c4cad4}"
        ".bar span{display:block;height:100%}"
        ".r-pass{background:#2e9d57}.r-fail{background:#d1382d}.r-error{background:#c77c02}.r-notapplicable{background:#9aa3b0}.r-notchecked{background:#c9ced6}"
        ".legend span{display:inline-block;margin-right:14px}.dot{display:inline-block;width:10px;height:10px;border-radius:2px;margin-right:4px;vertical-align:middle}"
        "table{border-collapse:collapse;width:100%;font-size:13px}"
        "th,td{text-align:left;padding:5px 8px;border-bottom:1px solid #e3e7ee;vertical-align:top}"
        "th{background:#eef1f5;font-weight:600}"
        "code,.mono{font-family:'DejaVu Sans Mono',Menlo,Consolas,monospace;font-size:12px;word-break:break-all}"
        ".badge{display:inline-block;padding:1px 7px;border-radius:10px;font-size:12px;font-weight:600;color:#fff}"
        ".s-high{background:#b3261e}.s-medium{background:#c77c02}.s-low{background:#5a6475}"
        ".res{font-weight:700;text-transform:uppercase;font-size:12px}"
        ".t-pass{color:#1f7a3f}.t-fail{color:#b3261e}.t-error{color:#9a6700}.t-notapplicable,.t-notchecked{color:#5a6475}"
        ".rule h3{font-size:15px;margin:0 0 6px}.rule p{margin:6px 0}.muted{color:#5a6475}"
        ".kv{display:grid;grid-template-columns:220px 1fr;gap:4px 12px}.kv div:nth-child(odd){color:#5a6475}"
        "@media print{body{background:#fff}main{max-width:none;padding:0}.card{border-color:#999}"
        "h2{break-after:avoid}.bar,.big,.badge,.dot{-webkit-print-color-adjust:exact;print-color-adjust:exact}}";

static void result_badge(FILE *f, RuleResult r) {
        fprintf(f, "<span class=\"res t-%s\">%s</span>", rule_result_to_string(r), rule_result_to_string(r));
}

static void severity_badge(FILE *f, Severity s) {
        fprintf(f, "<span class=\"badge s-%s\">%s</span>", severity_to_string(s), severity_to_string(s));
}

static void kv(FILE *f, const char *k, const char *v, bool mono) {
        fputs("<div>", f);
        E(k);
        fputs(mono ? "</div><div class=\"mono\">" : "</div><div>", f);
        E(v ?: "unknown");
        fputs("</div>", f);
}

static void write_posture(const ComplianceReport *r, FILE *f) {
        const BootPosture *p = &r->posture;
        _cleanup_free_ char *record = NULL;

        fputs("<h2>Boot integrity</h2><div class=\"card\"><div class=\"kv\">", f);
        if (!p->usr_source && !r->live)
                kv(f, "/usr", "not read (offline tree)", false);
        else if (!p->usr_source)
                kv(f, "/usr", "not checked by this profile", false);
        else {
                kv(f, "/usr device", p->usr_source, true);
                kv(f, "/usr file system", p->usr_fstype, false);
                kv(f, "/usr mounted", p->usr_read_only ? "read-only" : "read-write", false);
                kv(f, "dm-verity",
                   p->usr_verity ? (p->verity_status ? p->verity_status : "yes") : "no: /usr is not verified", false);
                if (p->usr_verity && !r->live)
                        kv(f, "Device-mapper name", p->verity_name, true);
                else if (p->usr_verity) {
                        kv(f, "Device-mapper name", p->verity_name, true);
                        kv(f, "Root hash", p->root_hash, true);
                        kv(f, "Expected root hash", p->expected_root_hash, true);
                        kv(f, "Hash algorithm", p->hash_algorithm, false);
                        kv(f, "Root hash signature",
                           p->signature > 0  ? "checked by the kernel" :
                           p->signature == 0 ? "none" :
                                               NULL,
                           false);
                        kv(f, "On corruption", p->on_corruption, false);
                }
        }
        kv(f, "/etc",
           p->etc_overlay                ? "volatile overlay" :
           p->etc_upper || p->drift_read ? "overlay (not hardenctl's)" :
                                           "not an overlay, or not checked",
           false);
        if (p->etc_upper)
                kv(f, "/etc upper dir", p->etc_upper, true);
        if (p->etc_lower)
                kv(f, "/etc lower dir", p->etc_lower, true);
        (void) report_posture_record_summary(r, &record); /* without memory: "unknown" */
        kv(f, "Posture record", record, false);
        fputs("</div></div>\n", f);

        if (!p->drift_read)
                return;
        fprintf(f, "<h2>Drift of /etc since boot</h2><div class=\"card\">");
        if (p->n_drift == 0) {
                fputs("<p>No change to /etc since boot.</p></div>\n", f);
                return;
        }
        fputs("<table><tr><th>Path</th><th>Change</th><th>Mode</th><th>Owner</th><th>Digest</th><th></th></tr>\n", f);
        for (size_t i = 0; i < p->n_drift; i++) {
                const DriftEntry *d = p->drift + i;

                fputs("<tr><td class=\"mono\">/etc/", f);
                E(d->path);
                fprintf(f, "</td><td>%s</td><td class=\"mono\">%04o</td><td>%u:%u</td><td class=\"mono\">",
                        drift_kind_to_string(d->kind), d->mode, d->uid, d->gid);
                E(d->digest ?: "");
                fprintf(f, "</td><td>%s</td></tr>\n",
                        d->expected ? "<span class=\"muted\">expected</span>" : "<b>unexpected</b>");
        }
        fputs("</table></div>\n", f);
}

/* One labelled line of a cell, if there is a value. */
static void cell_line(FILE *f, const char *label, const char *v) {
        if (!v)
                return;
        fprintf(f, "<span class=\"muted\">%s</span> <span class=\"mono\">", label);
        E(v);
        fputs("</span><br>", f);
}

static void cell_number(FILE *f, const char *label, int64_t v) {
        char buf[32];

        if (v < 0)
                return;
        snprintf(buf, sizeof(buf), "%" PRIi64, v);
        cell_line(f, label, buf);
}

/* Inline, so that the style sheet (and so every report without the runtime section) stays as it was. */
#define NOWRAP " style=\"white-space:nowrap\""

static void write_anomaly_row(const WatchState *s, AnomalyKind k, FILE *f) {
        const Anomaly *a = s->first + k;
        _cleanup_free_ char *ts = NULL;
        char event[REPORT_AUDIT_EVENT_MAX];

        fprintf(f, "<tr><td class=\"mono\"" NOWRAP ">%s</td><td>%s%" PRIu64 "%s</td><td>%" PRIu64 "</td>",
                anomaly_kind_to_string(k), s->count[k] > 0 ? "<b class=\"t-fail\">" : "", s->count[k],
                s->count[k] > 0 ? "</b>" : "", s->suppressed[k]);
        if (!s->has_first[k]) {
                fprintf(f, "<td colspan=\"4\" class=\"muted\">%s</td></tr>\n",
                        s->count[k] > 0 ? "no first occurrence recorded" : "none since boot");
                return;
        }
        ts = format_timestamp_utc(a->time_usec);
        fputs("<td" NOWRAP ">", f);
        cell_line(f, "at", strna(ts));
        cell_line(f, "audit", report_audit_event(a, event));
        fputs("</td><td>", f);
        cell_line(f, "unit", a->unit);
        cell_line(f, "exe", a->exe);
        cell_line(f, "comm", a->comm);
        cell_number(f, "pid", a->pid);
        cell_number(f, "uid", a->uid);
        if (a->auid >= 0)
                cell_number(f, "auid", a->auid);
        else
                cell_line(f, "auid", "unset");
        fputs("</td><td>", f);
        cell_line(f, "path", a->path);
        cell_line(f, "key", a->key);
        cell_line(f, "rule", a->rule);
        fputs("</td><td>", f);
        E(a->detail ?: "");
        fputs("</td></tr>\n", f);
}

/* The runtime section: left out where it was not looked for (an offline tree); a line saying why where
 * the watcher's state could not be read. */
static void write_runtime(const ComplianceReport *r, FILE *f) {
        const RuntimeWatch *w = &r->runtime;
        const WatchState *s = &w->state;
        _cleanup_free_ char *why = NULL, *started = NULL, *updated = NULL, *last = NULL, *line = NULL;
        uint64_t behind;
        char buf[128];

        if (!w->read && w->error == 0)
                return;
        fputs("<h2>Runtime since boot</h2><div class=\"card\">", f);
        if (!w->read) {
                (void) report_runtime_not_read(w, &why); /* without memory: "unknown" */
                fputs("<p>The runtime watcher's state was not read: ", f);
                E(why ?: "unknown");
                fputs("</p></div>\n", f);
                return;
        }
        started = format_timestamp_utc(s->started_usec);
        updated = format_timestamp_utc(s->updated_usec);
        last = s->last_event_usec > 0 ? format_timestamp_utc(s->last_event_usec) : strdup("none");
        behind = report_runtime_behind_usec(w);

        fputs("<div class=\"kv\">", f);
        snprintf(buf, sizeof(buf), "%" PRIu64, runtime_watch_anomalies(w));
        kv(f, "Anomalies since boot", buf, false);
        snprintf(buf, sizeof(buf), "%s (pid %" PRIi64 ")", w->running ? "running" : "not running", s->pid);
        kv(f, "Watcher", buf, false);
        kv(f, "Reading from", s->source, false);
        kv(f, "Watcher started", started, false);
        snprintf(buf, sizeof(buf), "%" PRIu64 " (%" PRIu64 " unparsable)", s->events, s->unparsable);
        kv(f, "Events read", buf, false);
        kv(f, "Newest event read", last, false);
        kv(f, "State written", updated, false);
        if (behind == UINT64_MAX)
                kv(f, "Behind the audit trail", "unknown: no event read", false);
        else {
                line = strprintf("%.1f s (the age of the newest event read when the state was written)", behind / 1e6);
                kv(f, "Behind the audit trail", line, false);
        }
        kv(f, "Profile judged by", s->profile_digest, true);
        kv(f, "State file", w->path, true);
        fputs("</div>\n<table style=\"margin-top:12px\"><tr><th>Anomaly</th><th>Count</th><th>Suppressed</th><th>First occurrence</th>"
              "<th style=\"width:22%\">Process</th><th style=\"width:22%\">Object</th><th>What</th></tr>\n",
              f);
        for (AnomalyKind k = 0; k < _ANOMALY_KIND_MAX; k++)
                write_anomaly_row(s, k, f);
        fputs("</table></div>\n", f);
}

static void refs_line(FILE *f, const char *label, const char *list) {
        if (isempty(list))
                return;
        fprintf(f, "<span class=\"muted\">%s</span> ", label);
        E(list);
        fputs(" &nbsp; ", f);
}

static void write_rule_card(const ComplianceResult *x, FILE *f) {
        _cleanup_free_ char *cis = NULL, *srg = NULL, *stig = NULL;

        (void) result_references(x, &cis, &srg, &stig);
        fputs("<div class=\"card rule\"><h3>", f);
        result_badge(f, x->result);
        fputs(" ", f);
        severity_badge(f, x->rule->severity);
        fputs(" ", f);
        E(x->rule->title);
        fputs("</h3><p class=\"mono\">", f);
        E(x->rule->id);
        if (x->instance) {
                fputs(" · ", f);
                E(x->instance);
        }
        fputs("</p><p><b>", f);
        E(x->message ?: "");
        fputs("</b></p>", f);
        if (x->n_evidence > 0) {
                fputs("<table><tr><th>Read from</th><th>Expected</th><th>Found</th></tr>", f);
                for (size_t i = 0; i < x->n_evidence; i++) {
                        fputs("<tr><td class=\"mono\">", f);
                        E(x->evidence[i].source ?: "");
                        fputs("</td><td class=\"mono\">", f);
                        E(x->evidence[i].expected ?: "");
                        fputs("</td><td class=\"mono\">", f);
                        E(x->evidence[i].actual ?: "");
                        fputs("</td></tr>", f);
                }
                fputs("</table>", f);
        }
        fputs("<p><span class=\"muted\">Why:</span> ", f);
        E(x->rule->rationale);
        fputs("</p><p><span class=\"muted\">Remediation:</span> ", f);
        E(x->rule->remediation);
        fputs("</p><p>", f);
        refs_line(f, "CIS Debian 12", cis);
        refs_line(f, "DISA SRG", srg);
        refs_line(f, "DISA STIG Ubuntu 22.04", stig);
        refs_line(f, "NIST 800-53", x->rule->nist);
        fputs("</p></div>\n", f);
}

int report_write_html(const ComplianceReport *r, FILE *f) {
        _cleanup_free_ char *ts = format_timestamp_utc(r->time_usec);
        ComplianceCounts n;
        bool compliant;
        size_t other = 0;

        compliance_report_count(r, &n);
        compliant = n.n[RULE_FAIL] == 0 && n.n[RULE_ERROR] == 0;

        fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
              "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">"
              "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">"
              "<title>hardenctl check: ",
              f);
        E(r->profile_name);
        fputs(" on ", f);
        E(r->host.hostname ?: r->root);
        fprintf(f, "</title><style>%s</style></head><body><main>\n", css);

        fputs("<h1>Compliance report: ", f);
        E(r->host.hostname ?: r->root);
        fputs("</h1><p class=\"sub\">Profile <b>", f);
        E(r->profile_name);
        fputs("</b>", f);
        if (r->profile_description) {
                fputs(" — ", f);
                E(r->profile_description);
        }
        fputs(" · checked ", f);
        E(strna(ts));
        fputs(r->live ? " on the running system" : " in the offline tree ", f);
        if (!r->live)
                E(r->root);
        fputs("</p>\n", f);

        /* The verdict at a glance. */
        fprintf(f,
                "<div class=\"card\"><div class=\"verdict\"><span class=\"big %s\">%s</span>"
                "<span class=\"score\">%.1f<small> / 100 score</small></span>"
                "<span>%zu failed: %zu high, %zu medium, %zu low severity</span></div>\n",
                compliant          ? "ok" :
                n.n[RULE_FAIL] > 0 ? "bad" :
                                     "warn",
                compliant          ? "COMPLIANT" :
                n.n[RULE_FAIL] > 0 ? "NOT COMPLIANT" :
                                     "INCOMPLETE",
                compliance_report_score(r), n.n[RULE_FAIL], n.failed_by_severity[SEVERITY_HIGH],
                n.failed_by_severity[SEVERITY_MEDIUM], n.failed_by_severity[SEVERITY_LOW]);
        fputs("<div class=\"bar\">", f);
        for (RuleResult i = 0; i < _RULE_RESULT_MAX; i++)
                if (n.n[i] > 0)
                        fprintf(f, "<span class=\"r-%s\" style=\"width:%.3f%%\" title=\"%s %zu\"></span>",
                                rule_result_to_string(i), 100.0 * n.n[i] / n.total, rule_result_to_string(i), n.n[i]);
        fputs("</div><div class=\"legend\">", f);
        for (RuleResult i = 0; i < _RULE_RESULT_MAX; i++)
                fprintf(f, "<span><i class=\"dot r-%s\"></i>%s %zu</span>", rule_result_to_string(i),
                        rule_result_to_string(i), n.n[i]);
        fprintf(f, "<span>of %zu results</span></div></div>\n", n.total);

        fputs("<div class=\"card\"><div class=\"kv\">", f);
        kv(f, "Host", r->host.hostname, false);
        kv(f, "Machine ID", r->host.machine_id, true);
        kv(f, "Operating system", r->host.os_pretty_name, false);
        kv(f, "Kernel", r->host.kernel ?: (r->live ? NULL : "not running (offline tree)"), false);
        kv(f, "Profile digest", r->profile_digest, true);
        {
                _cleanup_free_ char *srcs = strv_join(r->profile_sources, " ");
                kv(f, "Profile files", srcs, true);
        }
        fputs("</div></div>\n", f);

        write_posture(r, f);
        write_runtime(r, f);

        fputs("<h2>Failures and errors</h2>\n", f);
        if (n.n[RULE_FAIL] + n.n[RULE_ERROR] == 0)
                fputs("<div class=\"card\"><p>None.</p></div>\n", f);
        for (Severity s = _SEVERITY_MAX; s-- > 0;)
                for (size_t i = 0; i < r->n_results; i++) {
                        const ComplianceResult *x = r->results + i;

                        if ((x->result == RULE_FAIL || x->result == RULE_ERROR) && x->rule->severity == s)
                                write_rule_card(x, f);
                }

        fputs("<h2>All other results</h2><div class=\"card\"><table>"
              "<tr><th>Result</th><th>Severity</th><th>Rule</th><th>Item</th><th>Finding</th></tr>\n",
              f);
        for (size_t i = 0; i < r->n_results; i++) {
                const ComplianceResult *x = r->results + i;

                if (x->result == RULE_FAIL || x->result == RULE_ERROR)
                        continue;
                other++;
                fputs("<tr><td>", f);
                result_badge(f, x->result);
                fputs("</td><td>", f);
                severity_badge(f, x->rule->severity);
                fputs("</td><td class=\"mono\">", f);
                E(x->rule->id);
                fputs("</td><td class=\"mono\">", f);
                E(x->instance ?: "");
                fputs("</td><td>", f);
                E(x->message ?: "");
                fputs("</td></tr>\n", f);
        }
        if (other == 0)
                fputs("<tr><td colspan=\"5\">None.</td></tr>\n", f);
        fputs("</table></div>\n", f);
        fprintf(f,
                "<p class=\"muted\">Generated by hardenctl, report schema %u, rule catalog " COMPLIANCE_CATALOG_VERSION
                ".</p>\n",
                r->schema_version);
        fputs("</main></body></html>\n", f);
        return ferror(f) ? -EIO : 0;
}
