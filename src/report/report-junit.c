/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* JUnit XML for CI systems: one test suite of the results, a test case per result. */

#include "report.h"
#include "string-util.h"

int report_write_junit(const ComplianceReport *r, FILE *f) {
        _cleanup_free_ char *ts = format_timestamp_utc(r->time_usec);
        ComplianceCounts n;
        double secs = r->duration_usec / 1e6;
        size_t skipped;

        compliance_report_count(r, &n);
        skipped = n.n[RULE_NOTAPPLICABLE] + n.n[RULE_NOTCHECKED];

        fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", f);
        fprintf(f,
                "<testsuites name=\"hardenctl\" tests=\"%zu\" failures=\"%zu\" errors=\"%zu\" skipped=\"%zu\" time=\"%.6f\">\n",
                n.total, n.n[RULE_FAIL], n.n[RULE_ERROR], skipped, secs);
        fputs("  <testsuite name=\"hardenctl check ", f);
        xml_escape(f, r->profile_name);
        fputs("\" hostname=\"", f);
        xml_escape(f, r->host.hostname ?: r->root);
        fprintf(f, "\" timestamp=\"%s\" tests=\"%zu\" failures=\"%zu\" errors=\"%zu\" skipped=\"%zu\" time=\"%.6f\">\n",
                strna(ts), n.total, n.n[RULE_FAIL], n.n[RULE_ERROR], skipped, secs);
        fputs("    <properties>\n      <property name=\"profile\" value=\"", f);
        xml_escape(f, r->profile_name);
        fputs("\"/>\n      <property name=\"profile.digest\" value=\"", f);
        xml_escape(f, r->profile_digest);
        fputs("\"/>\n      <property name=\"root\" value=\"", f);
        xml_escape(f, r->root);
        fputs("\"/>\n", f);
        if (r->host.machine_id) {
                fputs("      <property name=\"machine-id\" value=\"", f);
                xml_escape(f, r->host.machine_id);
                fputs("\"/>\n", f);
        }
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
        fputs("  </testsuite>\n</testsuites>\n", f);
        return ferror(f) ? -EIO : 0;
}
