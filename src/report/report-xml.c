/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* XCCDF 1.2 (a Benchmark with the catalog's rules and one TestResult), ARF 1.1 wrapping them as
 * OpenSCAP does (the Benchmark in a source data stream as the report request, the TestResult as the
 * report, the host as the asset). */

#include <inttypes.h>

#include "compliance-catalog.h"
#include "report.h"
#include "string-util.h"
#include "strv.h"

#define XCCDF_NS "http://checklists.nist.gov/xccdf/1.2"
#define ID_PREFIX "xccdf_org.hardenctl_"
#define CIS_HREF "https://www.cisecurity.org/benchmark/debian_linux"
/* Where OpenSCAP content points its SRG and STIG id references. */
#define SRG_HREF "https://public.cyber.mil/stigs/downloads/?_dl_facet_stigs=operating-systems%2Cgeneral-purpose-os"
#define STIG_HREF "https://public.cyber.mil/stigs/downloads/?_dl_facet_stigs=operating-systems%2Cunix-linux"
#define CHECK_SYSTEM "urn:org.hardenctl:check:1"
/* What the rules' check-content-ref points at, and the data stream's checks component it resolves to. */
#define CHECK_HREF "hardenctl"
#define CHECKS_CREF "scap_org.hardenctl_cref_hardenctl-checks.xml"
#define CHECKS_COMP "scap_org.hardenctl_comp_hardenctl-checks.xml"
/* hardenctl's own target facts (XCCDF 1.2 lets authors name facts beyond those of its section 6.6.3). */
#define FACT_PREFIX "urn:org.hardenctl:fact:"
#define FACT_RUNTIME FACT_PREFIX "runtime:"
#define NIST_HREF "https://csrc.nist.gov/publications/detail/sp/800-53/rev-5/final"

/* An NCName-safe version of s (profile names may contain only [A-Za-z0-9_.-] already; be safe). */
static void id_part(FILE *f, const char *s) {
        for (; s && *s; s++)
                fputc(strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_", *s) ? *s : '_', f);
}

static const char *xccdf_result(RuleResult r) {
        switch (r) {
        case RULE_PASS:
                return "pass";
        case RULE_FAIL:
                return "fail";
        case RULE_ERROR:
                return "error";
        case RULE_NOTAPPLICABLE:
                return "notapplicable";
        case RULE_NOTCHECKED:
        default:
                return "notchecked";
        }
}

static bool rule_selected(const ComplianceReport *r, const ComplianceRule *rule) {
        for (size_t i = 0; i < r->n_results; i++)
                if (r->results[i].rule == rule)
                        return true;
        return false;
}

static void references(FILE *f, const char *indent, const char *href, const char *list) {
        _cleanup_free_ char *copy = list ? strdup(list) : NULL;

        for (char *s = copy, *t; s && (t = strsep(&s, " "));) {
                if (isempty(t))
                        continue;
                fprintf(f, "%s<reference href=\"%s\">", indent, href);
                xml_escape(f, t);
                fputs("</reference>\n", f);
        }
}

typedef enum RefKind {
        REF_CIS,
        REF_SRG,
        REF_STIG,
} RefKind;

static const char *ref_list(const ComplianceRule *rule, const ItemRef *item, RefKind k) {
        switch (k) {
        case REF_CIS:
                return item ? item->cis : rule->cis;
        case REF_SRG:
                return item ? item->srg : rule->srg;
        case REF_STIG:
        default:
                return item ? item->stig : rule->stig;
        }
}

/* The rule's own references of one kind and those of all its items, without repeats, in catalog order. */
static void rule_references(FILE *f, const char *href, const ComplianceRule *rule, RefKind k) {
        _cleanup_strv_free_ char **l = NULL;
        _cleanup_free_ char *joined = NULL;
        const ItemRef *items;
        size_t n = 0;

        items = compliance_rule_item_refs(rule, &n);
        for (size_t i = 0; i <= n; i++) {
                const char *list = ref_list(rule, i == 0 ? NULL : items + i - 1, k);
                _cleanup_free_ char *copy = list ? strdup(list) : NULL;

                for (char *s = copy, *t; s && (t = strsep(&s, " "));)
                        if (!isempty(t) && !strv_contains(l, t))
                                (void) strv_extend(&l, t);
        }
        joined = l ? strv_join(l, " ") : NULL;
        references(f, "    ", href, joined);
}

static void write_benchmark_open(const ComplianceReport *r, FILE *f, const char *ns_attr) {
        fprintf(f, "<Benchmark%s id=\"" ID_PREFIX "benchmark_", ns_attr);
        id_part(f, r->profile_name);
        fputs("\" resolved=\"1\" xml:lang=\"en\">\n", f);
        fputs("  <status>draft</status>\n  <title>hardenctl profile ", f);
        xml_escape(f, r->profile_name);
        fputs("</title>\n  <description>", f);
        xml_escape(f, r->profile_description ?: "A hardenctl hardening profile.");
        fputs(" Profile digest ", f);
        xml_escape(f, r->profile_digest);
        fputs(".</description>\n"
              "  <platform idref=\"cpe:/o:linux:linux_kernel\"/>\n"
              "  <version>" COMPLIANCE_CATALOG_VERSION "</version>\n"
              "  <metadata>\n"
              "    <dc:creator xmlns:dc=\"http://purl.org/dc/elements/1.1/\">hardenctl</dc:creator>\n"
              "  </metadata>\n",
              f);

        fputs("  <Profile id=\"" ID_PREFIX "profile_", f);
        id_part(f, r->profile_name);
        fputs("\">\n    <title>", f);
        xml_escape(f, r->profile_name);
        fputs("</title>\n", f);
        for (size_t i = 0; i < compliance_n_rules; i++) {
                _cleanup_free_ char *id = compliance_rule_xccdf_id(compliance_rules[i]);

                fprintf(f, "    <select idref=\"%s\" selected=\"%s\"/>\n", strna(id),
                        rule_selected(r, compliance_rules[i]) ? "true" : "false");
        }
        fputs("  </Profile>\n", f);

        for (size_t i = 0; i < compliance_n_rules; i++) {
                const ComplianceRule *rule = compliance_rules[i];
                _cleanup_free_ char *id = compliance_rule_xccdf_id(rule);

                fprintf(f, "  <Rule id=\"%s\" selected=\"false\" severity=\"%s\" weight=\"%u.000000\">\n    <title>",
                        strna(id), severity_to_string(rule->severity), severity_weight(rule->severity));
                xml_escape(f, rule->title);
                fputs("</title>\n    <description>", f);
                xml_escape(f, rule->title);
                fputs(" (rule ", f);
                xml_escape(f, rule->id);
                fputs(").</description>\n", f);
                rule_references(f, CIS_HREF, rule, REF_CIS);
                rule_references(f, SRG_HREF, rule, REF_SRG);
                rule_references(f, STIG_HREF, rule, REF_STIG);
                references(f, "    ", NIST_HREF, rule->nist);
                fputs("    <rationale>", f);
                xml_escape(f, rule->rationale);
                fputs("</rationale>\n    <fixtext>", f);
                xml_escape(f, rule->remediation);
                fputs("</fixtext>\n", f);
                fprintf(f,
                        "    <check system=\"" CHECK_SYSTEM "\">\n"
                        "      <check-content-ref href=\"" CHECK_HREF "\" name=\"%s\"/>\n"
                        "    </check>\n  </Rule>\n",
                        rule->id);
        }
}

/* A target fact, if there is a value; type is XCCDF's: "string", "number" or "boolean". */
static void fact(FILE *f, const char *indent, const char *name, const char *type, const char *value) {
        if (!value)
                return;
        fprintf(f, "%s    <fact name=\"%s\" type=\"%s\">", indent, name, type);
        xml_escape(f, value);
        fputs("</fact>\n", f);
}

static void fact_number(FILE *f, const char *indent, const char *name, uint64_t v) {
        char buf[32];

        snprintf(buf, sizeof(buf), "%" PRIu64, v);
        fact(f, indent, name, "number", buf);
}

/* The runtime section as target facts, FACT_PREFIX "runtime:"NAME: its status where it was looked for,
 * and what the watcher found where it was read. Nothing for an offline tree. */
static void write_runtime_facts(const ComplianceReport *r, FILE *f, const char *indent) {
        const RuntimeWatch *w = &r->runtime;
        const WatchState *s = &w->state;
        _cleanup_free_ char *why = NULL, *started = NULL, *updated = NULL, *last = NULL;
        uint64_t behind = report_runtime_behind_usec(w);
        char name[128], buf[64];

        if (!w->read) {
                if (report_runtime_not_read(w, &why) >= 0) /* without memory, the fact is left out */
                        fact(f, indent, FACT_RUNTIME "status", "string", why);
                return;
        }
        started = format_timestamp_utc(s->started_usec);
        updated = format_timestamp_utc(s->updated_usec);
        last = s->last_event_usec > 0 ? format_timestamp_utc(s->last_event_usec) : NULL;

        fact(f, indent, FACT_RUNTIME "status", "string", "read");
        fact(f, indent, FACT_RUNTIME "state_file", "string", w->path);
        fact(f, indent, FACT_RUNTIME "watcher_running", "boolean", w->running ? "true" : "false");
        if (s->pid > 0)
                fact_number(f, indent, FACT_RUNTIME "watcher_pid", (uint64_t) s->pid);
        fact(f, indent, FACT_RUNTIME "source", "string", s->source);
        fact(f, indent, FACT_RUNTIME "profile_digest", "string", s->profile_digest);
        fact(f, indent, FACT_RUNTIME "started", "string", started);
        fact(f, indent, FACT_RUNTIME "updated", "string", updated);
        fact(f, indent, FACT_RUNTIME "last_event", "string", last);
        if (behind != UINT64_MAX) {
                snprintf(buf, sizeof(buf), "%.3f", behind / 1e6);
                fact(f, indent, FACT_RUNTIME "behind_seconds", "number", buf);
        }
        fact_number(f, indent, FACT_RUNTIME "events", s->events);
        fact_number(f, indent, FACT_RUNTIME "unparsable", s->unparsable);
        fact_number(f, indent, FACT_RUNTIME "anomalies", runtime_watch_anomalies(w));
        for (AnomalyKind k = 0; k < _ANOMALY_KIND_MAX; k++) {
                _cleanup_free_ char *first = NULL;

                snprintf(name, sizeof(name), FACT_RUNTIME "anomalies:%s", anomaly_kind_to_string(k));
                fact_number(f, indent, name, s->count[k]);
                snprintf(name, sizeof(name), FACT_RUNTIME "suppressed:%s", anomaly_kind_to_string(k));
                fact_number(f, indent, name, s->suppressed[k]);
                if (!s->has_first[k] || report_anomaly_summary(s->first + k, &first) < 0)
                        continue;
                snprintf(name, sizeof(name), FACT_RUNTIME "first:%s", anomaly_kind_to_string(k));
                fact(f, indent, name, "string", first);
        }
}

static void write_testresult(const ComplianceReport *r, FILE *f, const char *ns_attr, const char *indent) {
        _cleanup_free_ char *start = format_timestamp_utc(r->time_usec),
                            *end = format_timestamp_utc(r->time_usec + r->duration_usec);
        _cleanup_free_ char *record = NULL;
        const char *host = r->host.hostname ?: r->root;

        (void) report_posture_record_summary(r, &record); /* without memory, the fact is left out */
        fprintf(f, "%s<TestResult%s id=\"" ID_PREFIX "testresult_", indent, ns_attr);
        id_part(f, r->profile_name);
        fprintf(f,
                "\" start-time=\"%s\" end-time=\"%s\" test-system=\"hardenctl\" version=\"" COMPLIANCE_CATALOG_VERSION
                "\">\n",
                strna(start), strna(end));
        fprintf(f, "%s  <benchmark href=\"#" ID_PREFIX "benchmark_", indent);
        id_part(f, r->profile_name);
        fputs("\" id=\"" ID_PREFIX "benchmark_", f);
        id_part(f, r->profile_name);
        fprintf(f, "\"/>\n%s  <title>hardenctl check: ", indent);
        xml_escape(f, r->profile_name);
        fprintf(f, "</title>\n%s  <profile idref=\"" ID_PREFIX "profile_", indent);
        id_part(f, r->profile_name);
        fprintf(f, "\"/>\n%s  <target>", indent);
        xml_escape(f, host);
        fprintf(f, "</target>\n%s  <target-facts>\n", indent);

        fact(f, indent, "urn:xccdf:fact:asset:identifier:host_name", "string", r->host.hostname);
        /* XCCDF 1.2 names no fact for these: they are hardenctl's own. */
        fact(f, indent, FACT_PREFIX "machine_id", "string", r->host.machine_id);
        fact(f, indent, FACT_PREFIX "os_name", "string", r->host.os_pretty_name);
        fact(f, indent, FACT_PREFIX "os_version", "string", r->host.os_version_id);
        fact(f, indent, FACT_PREFIX "kernel", "string", r->host.kernel);
        fact(f, indent, FACT_PREFIX "root", "string", r->root);
        fact(f, indent, FACT_PREFIX "profile_digest", "string", r->profile_digest);
        fact(f, indent, FACT_PREFIX "posture_record", "string", record);
        write_runtime_facts(r, f, indent);
        fprintf(f, "%s  </target-facts>\n", indent);

        for (size_t i = 0; i < r->n_results; i++) {
                const ComplianceResult *x = r->results + i;
                _cleanup_free_ char *id = compliance_rule_xccdf_id(x->rule);

                fprintf(f, "%s  <rule-result idref=\"%s\" time=\"%s\" severity=\"%s\" weight=\"%u.000000\">\n", indent,
                        strna(id), strna(end), severity_to_string(x->rule->severity), severity_weight(x->rule->severity));
                fprintf(f, "%s    <result>%s</result>\n", indent, xccdf_result(x->result));
                if (x->message) {
                        fprintf(f, "%s    <message severity=\"%s\">", indent,
                                x->result == RULE_ERROR ? "error" :
                                x->result == RULE_FAIL  ? "warning" :
                                                          "info");
                        xml_escape(f, x->message);
                        fputs("</message>\n", f);
                }
                for (size_t e = 0; e < x->n_evidence; e++) {
                        const Evidence *ev = x->evidence + e;

                        fprintf(f, "%s    <message severity=\"info\">", indent);
                        xml_escape(f, strna(ev->source));
                        fputs(": expected ", f);
                        xml_escape(f, strna(ev->expected));
                        fputs(", found ", f);
                        xml_escape(f, strna(ev->actual));
                        fputs("</message>\n", f);
                }
                if (x->instance) {
                        fprintf(f, "%s    <instance context=\"%s\">", indent, x->rule->id);
                        xml_escape(f, x->instance);
                        fputs("</instance>\n", f);
                }
                fprintf(f,
                        "%s    <check system=\"" CHECK_SYSTEM "\">\n"
                        "%s      <check-content-ref href=\"" CHECK_HREF "\" name=\"%s\"/>\n"
                        "%s    </check>\n",
                        indent, indent, x->rule->id, indent);
                fprintf(f, "%s  </rule-result>\n", indent);
        }
        fprintf(f, "%s  <score system=\"" COMPLIANCE_SCORING_SYSTEM "\" maximum=\"100.000000\">%.6f</score>\n", indent,
                compliance_report_score(r));
        fprintf(f, "%s</TestResult>\n", indent);
}

int report_write_xccdf(const ComplianceReport *r, FILE *f) {
        fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", f);
        write_benchmark_open(r, f, " xmlns=\"" XCCDF_NS "\"");
        write_testresult(r, f, "", "  ");
        fputs("</Benchmark>\n", f);
        return ferror(f) ? -EIO : 0;
}

/* The data stream's checks component. A source data stream needs one (ds:checks, which the catalog of
 * the checklist resolves the rules' check-content-ref href to), and SCAP 1.3 allows only OVAL, OCIL or
 * CPE there. hardenctl's checks are the program's own (check system CHECK_SYSTEM, one check per rule
 * id), so the component is an OVAL document that names its generator and defines nothing: no
 * interpreter evaluates it, and nothing in it pretends to check. */
static void write_checks_component(FILE *f, const char *ts) {
        _cleanup_free_ char *oval_ts =
                ts ? strndup(ts, strlen(ts) - 1) : NULL; /* no "Z": xsd:dateTime as OVAL wants it */

        fprintf(f,
                "<ds:component id=\"" CHECKS_COMP "\" timestamp=\"%s\">\n"
                "<oval_definitions xmlns=\"http://oval.mitre.org/XMLSchema/oval-definitions-5\""
                " xmlns:oval=\"http://oval.mitre.org/XMLSchema/oval-common-5\">\n"
                "<generator>\n"
                "<oval:product_name>hardenctl</oval:product_name>\n"
                "<oval:schema_version>5.11.2</oval:schema_version>\n"
                "<oval:timestamp>%s</oval:timestamp>\n"
                "</generator>\n"
                "</oval_definitions>\n"
                "</ds:component>\n",
                strna(ts), strna(oval_ts));
}

int report_write_arf(const ComplianceReport *r, FILE *f) {
        _cleanup_free_ char *ts = format_timestamp_utc(r->time_usec);
        const char *host = r->host.hostname ?: r->root;

        fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
              "<arf:asset-report-collection xmlns:arf=\"http://scap.nist.gov/schema/asset-reporting-format/1.1\""
              " xmlns:core=\"http://scap.nist.gov/schema/reporting-core/1.1\""
              " xmlns:ai=\"http://scap.nist.gov/schema/asset-identification/1.1\">\n"
              "  <core:relationships xmlns:arfvocab=\"http://scap.nist.gov/specifications/arf/vocabulary/relationships/1.0#\">\n"
              "    <core:relationship type=\"arfvocab:createdFor\" subject=\"xccdf1\">\n"
              "      <core:ref>collection1</core:ref>\n"
              "    </core:relationship>\n"
              "    <core:relationship type=\"arfvocab:isAbout\" subject=\"xccdf1\">\n"
              "      <core:ref>asset0</core:ref>\n"
              "    </core:relationship>\n"
              "  </core:relationships>\n"
              "  <arf:report-requests>\n"
              "    <arf:report-request id=\"collection1\">\n"
              "      <arf:content>\n",
              f);
        fprintf(f,
                "<ds:data-stream-collection xmlns:ds=\"http://scap.nist.gov/schema/scap/source/1.2\""
                " xmlns:xlink=\"http://www.w3.org/1999/xlink\""
                " xmlns:cat=\"urn:oasis:names:tc:entity:xmlns:xml:catalog\""
                " id=\"scap_org.hardenctl_collection_from_xccdf_hardenctl\" schematron-version=\"1.3\">\n"
                "<ds:data-stream id=\"scap_org.hardenctl_datastream_from_xccdf_hardenctl\" scap-version=\"1.3\""
                " use-case=\"CONFIGURATION\" timestamp=\"%s\">\n"
                "<ds:checklists>\n"
                "<ds:component-ref id=\"scap_org.hardenctl_cref_hardenctl-xccdf.xml\" xlink:href=\"#scap_org.hardenctl_comp_hardenctl-xccdf.xml\">\n"
                "<cat:catalog>\n"
                "<cat:uri name=\"" CHECK_HREF "\" uri=\"#" CHECKS_CREF "\"/>\n"
                "</cat:catalog>\n"
                "</ds:component-ref>\n"
                "</ds:checklists>\n"
                "<ds:checks>\n"
                "<ds:component-ref id=\"" CHECKS_CREF "\" xlink:href=\"#" CHECKS_COMP "\"/>\n"
                "</ds:checks>\n"
                "</ds:data-stream>\n"
                "<ds:component id=\"scap_org.hardenctl_comp_hardenctl-xccdf.xml\" timestamp=\"%s\">\n",
                strna(ts), strna(ts));
        write_benchmark_open(r, f, " xmlns=\"" XCCDF_NS "\"");
        fputs("</Benchmark>\n</ds:component>\n", f);
        write_checks_component(f, ts);
        fputs("</ds:data-stream-collection>\n", f);
        fputs("      </arf:content>\n"
              "    </arf:report-request>\n"
              "  </arf:report-requests>\n"
              "  <arf:assets>\n"
              "    <arf:asset id=\"asset0\">\n"
              "      <ai:computing-device>\n"
              "        <ai:hostname>",
              f);
        xml_escape(f, host);
        fputs("</ai:hostname>\n"
              "      </ai:computing-device>\n"
              "    </arf:asset>\n"
              "  </arf:assets>\n"
              "  <arf:reports>\n"
              "    <arf:report id=\"xccdf1\">\n"
              "      <arf:content>\n",
              f);
        write_testresult(r, f, " xmlns=\"" XCCDF_NS "\"", "        ");
        fputs("      </arf:content>\n"
              "    </arf:report>\n"
              "  </arf:reports>\n"
              "</arf:asset-report-collection>\n",
              f);
        return ferror(f) ? -EIO : 0;
}
