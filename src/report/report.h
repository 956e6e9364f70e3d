/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdio.h>

#include "compliance.h"

struct json_object;

/* Writers of the compliance report. Each renders the model only; none reads the system. Write errors
 * are returned (-EIO), not logged. report.c knows the formats and dispatches to their writers; each
 * report-FORMAT.c file renders its format(s) and calls nothing but report.c. */

typedef enum ReportFormat {
        REPORT_JSON,
        REPORT_HTML,
        REPORT_XCCDF,
        REPORT_ARF,
        REPORT_JUNIT,
        REPORT_PROMETHEUS,
        _REPORT_FORMAT_MAX,
} ReportFormat;

/* ---- report.c ---- */

const char *report_format_to_string(ReportFormat f) _const_;
int report_format_from_string(const char *s) _pure_;

/* Writes r in format f (JSON pretty-printed). */
int report_write(const ComplianceReport *r, ReportFormat format, FILE *f);

/* The references of a result, the item's own (if the catalog has them) before the rule's. Lists are
 * space-separated; NULL when there are none. Returned strings are newly allocated. */
int result_references(const ComplianceResult *x, char **ret_cis, char **ret_srg, char **ret_stig);

/* The posture record of the report in one line, for the text, HTML and XCCDF forms: what it says, or
 * that it is absent, invalid (the error) or unreadable. */
int report_posture_record_summary(const ComplianceReport *r, char **ret);

/* The runtime section, when it was looked for and not read: why, in one line ("absent: …" or
 * "unreadable: …", naming the state file). *ret is NULL when it was read, or not looked for (an offline
 * tree). 0 or -ENOMEM. */
int report_runtime_not_read(const RuntimeWatch *w, char **ret);

/* How far behind the audit trail the watcher was when it last wrote its state: the age then of the
 * newest event it had read, in µs. UINT64_MAX when it had read none. */
uint64_t report_runtime_behind_usec(const RuntimeWatch *w) _pure_;

/* The audit event an anomaly came from, as auditd's msg=audit(…) names it: "SECONDS.MILLISECONDS:SERIAL". */
#define REPORT_AUDIT_EVENT_MAX 64
const char *report_audit_event(const Anomaly *a, char buf[static REPORT_AUDIT_EVENT_MAX]);

/* An anomaly in one line, for the JUnit failure and the XCCDF fact: its time, audit event, unit, exe,
 * comm, pid, uid, auid, path, audit key and IPE rule as KEY=VALUE (those not known left out), then what
 * it says. 0 or -ENOMEM. */
int report_anomaly_summary(const Anomaly *a, char **ret);

/* Writes s escaped for XML text and attribute values (and HTML's). */
void xml_escape(FILE *f, const char *s);

/* ---- the writers ---- */

/* The documented JSON form (hardenctl-report(5)). */
int report_to_json(const ComplianceReport *r, struct json_object **ret);
int report_write_json(const ComplianceReport *r, FILE *f);

int report_write_html(const ComplianceReport *r, FILE *f);

int report_write_xccdf(const ComplianceReport *r, FILE *f);
int report_write_arf(const ComplianceReport *r, FILE *f);

/* JUnit XML (report-junit.c). */
int report_write_junit(const ComplianceReport *r, FILE *f);

/* Prometheus' text exposition format, for node_exporter's textfile collector. */
int report_write_prometheus(const ComplianceReport *r, FILE *f);
