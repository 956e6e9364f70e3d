/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* The report as JSON, in the documented form (hardenctl-report(5)), built with json-c. */

#include <json-c/json.h>

#include "report.h"
#include "string-util.h"
#include "strv.h"

DEFINE_TRIVIAL_CLEANUP_FUNC(struct json_object *, json_object_put);

/* Adds key: value (NULL values become JSON null). Returns -ENOMEM on failure, also when v is NULL
 * for a non-NULL intent: callers pass objects they just created. */
static int add(struct json_object *o, const char *key, struct json_object *v) {
        if (json_object_object_add(o, key, v) < 0) {
                json_object_put(v);
                return -ENOMEM;
        }
        return 0;
}

static struct json_object *str_or_null(const char *s) {
        return s ? json_object_new_string(s) : NULL;
}

#define ADD(o, k, v)                                    \
        do {                                            \
                if (add((o), (k), (v)) < 0)             \
                        return -ENOMEM;                 \
        } while (false)

#define ADD_NEW(o, k, v)                                \
        do {                                            \
                struct json_object *_v_ = (v);          \
                if (!_v_ || add((o), (k), _v_) < 0)     \
                        return -ENOMEM;                 \
        } while (false)

static struct json_object *words_to_json(const char *s) {
        struct json_object *a = json_object_new_array();
        _cleanup_free_ char *copy = s ? strdup(s) : NULL;

        if (!a || (s && !copy)) {
                json_object_put(a);
                return NULL;
        }
        for (char *p = copy, *t; p && (t = strsep(&p, " "));)
                if (!isempty(t) && json_object_array_add(a, json_object_new_string(t)) < 0) {
                        json_object_put(a);
                        return NULL;
                }
        return a;
}

static int result_to_json(const ComplianceResult *x, struct json_object **ret) {
        _cleanup_(json_object_putp) struct json_object *o = json_object_new_object(), *ev = json_object_new_array(),
                                                       *refs = json_object_new_object();
        _cleanup_free_ char *cis = NULL, *srg = NULL, *stig = NULL;
        int r;

        if (!o || !ev || !refs)
                return -ENOMEM;
        r = result_references(x, &cis, &srg, &stig);
        if (r < 0)
                return r;

        ADD_NEW(o, "id", json_object_new_string(x->rule->id));
        ADD(o, "instance", str_or_null(x->instance));
        ADD_NEW(o, "result", json_object_new_string(rule_result_to_string(x->result)));
        ADD_NEW(o, "severity", json_object_new_string(severity_to_string(x->rule->severity)));
        ADD_NEW(o, "title", json_object_new_string(x->rule->title));
        ADD(o, "message", str_or_null(x->message));

        for (size_t i = 0; i < x->n_evidence; i++) {
                struct json_object *e = json_object_new_object();

                if (!e || json_object_array_add(ev, e) < 0) {
                        json_object_put(e);
                        return -ENOMEM;
                }
                ADD(e, "source", str_or_null(x->evidence[i].source));
                ADD(e, "expected", str_or_null(x->evidence[i].expected));
                ADD(e, "actual", str_or_null(x->evidence[i].actual));
        }
        ADD(o, "evidence", TAKE_PTR(ev));

        ADD_NEW(refs, "cis", words_to_json(cis));
        ADD_NEW(refs, "srg", words_to_json(srg));
        ADD_NEW(refs, "stig", words_to_json(stig));
        ADD_NEW(refs, "nist", words_to_json(x->rule->nist));
        ADD(o, "references", TAKE_PTR(refs));
        ADD_NEW(o, "rationale", json_object_new_string(x->rule->rationale));
        ADD_NEW(o, "remediation", json_object_new_string(x->rule->remediation));

        *ret = TAKE_PTR(o);
        return 0;
}

static int posture_to_json(const BootPosture *p, struct json_object **ret) {
        _cleanup_(json_object_putp) struct json_object *o = json_object_new_object(), *usr = json_object_new_object(),
                                                       *etc = json_object_new_object();

        if (!o || !usr || !etc)
                return -ENOMEM;
        ADD(usr, "source", str_or_null(p->usr_source));
        ADD(usr, "fileSystem", str_or_null(p->usr_fstype));
        ADD_NEW(usr, "readOnly", json_object_new_boolean(p->usr_read_only));
        ADD_NEW(usr, "verity", json_object_new_boolean(p->usr_verity));
        ADD(usr, "deviceMapperName", str_or_null(p->verity_name));
        ADD(usr, "status", str_or_null(p->verity_status));
        ADD(usr, "rootHash", str_or_null(p->root_hash));
        ADD(usr, "expectedRootHash", str_or_null(p->expected_root_hash));
        ADD(usr, "hashAlgorithm", str_or_null(p->hash_algorithm));
        ADD(usr, "signature", p->signature < 0 ? NULL : json_object_new_boolean(p->signature));
        ADD(usr, "onCorruption", str_or_null(p->on_corruption));
        ADD(o, "usr", TAKE_PTR(usr));

        ADD_NEW(etc, "overlay", json_object_new_boolean(p->etc_overlay));
        ADD(etc, "lowerDir", str_or_null(p->etc_lower));
        ADD(etc, "upperDir", str_or_null(p->etc_upper));
        if (p->drift_read) {
                struct json_object *a = json_object_new_array();

                if (!a || add(etc, "drift", a) < 0)
                        return -ENOMEM;
                for (size_t i = 0; i < p->n_drift; i++) {
                        const DriftEntry *d = p->drift + i;
                        struct json_object *e = json_object_new_object();
                        char mode[8];

                        if (!e || json_object_array_add(a, e) < 0) {
                                json_object_put(e);
                                return -ENOMEM;
                        }
                        snprintf(mode, sizeof(mode), "%04o", d->mode);
                        ADD_NEW(e, "path", json_object_new_string(d->path));
                        ADD_NEW(e, "change", json_object_new_string(drift_kind_to_string(d->kind)));
                        ADD_NEW(e, "type", json_object_new_string_len(&d->type, 1));
                        ADD(e, "digest", str_or_null(d->digest));
                        ADD_NEW(e, "mode", json_object_new_string(mode));
                        ADD_NEW(e, "uid", json_object_new_int64(d->uid));
                        ADD_NEW(e, "gid", json_object_new_int64(d->gid));
                        ADD_NEW(e, "expected", json_object_new_boolean(d->expected));
                }
        } else
                ADD(etc, "drift", NULL);
        ADD(o, "etc", TAKE_PTR(etc));

        *ret = TAKE_PTR(o);
        return 0;
}

int report_to_json(const ComplianceReport *r, struct json_object **ret) {
        _cleanup_(json_object_putp) struct json_object *o = json_object_new_object();
        struct json_object *host, *os, *profile, *summary, *sev, *results, *posture = NULL, *v = NULL;
        _cleanup_free_ char *ts = format_timestamp_utc(r->time_usec);
        ComplianceCounts n;
        int k;

        if (!o || !ts)
                return -ENOMEM;
        compliance_report_count(r, &n);

        ADD_NEW(o, "schemaVersion", json_object_new_int(r->schema_version));
        ADD_NEW(o, "generator", json_object_new_string("hardenctl"));
        ADD_NEW(o, "time", json_object_new_string(ts));
        ADD_NEW(o, "durationUsec", json_object_new_uint64(r->duration_usec));

        host = json_object_new_object();
        ADD_NEW(o, "host", host);
        ADD_NEW(host, "root", json_object_new_string(r->root));
        ADD_NEW(host, "live", json_object_new_boolean(r->live));
        ADD(host, "machineId", str_or_null(r->host.machine_id));
        ADD(host, "hostname", str_or_null(r->host.hostname));
        ADD(host, "kernel", str_or_null(r->host.kernel));
        ADD(host, "architecture", str_or_null(r->host.architecture));
        os = json_object_new_object();
        ADD_NEW(host, "os", os);
        ADD(os, "prettyName", str_or_null(r->host.os_pretty_name));
        ADD(os, "id", str_or_null(r->host.os_id));
        ADD(os, "versionId", str_or_null(r->host.os_version_id));

        profile = json_object_new_object();
        ADD_NEW(o, "profile", profile);
        ADD_NEW(profile, "name", json_object_new_string(r->profile_name));
        ADD(profile, "description", str_or_null(r->profile_description));
        ADD_NEW(profile, "digest", json_object_new_string(r->profile_digest));
        v = json_object_new_array();
        ADD_NEW(profile, "sources", v);
        STRV_FOREACH(s, r->profile_sources)
                if (json_object_array_add(v, json_object_new_string(*s)) < 0)
                        return -ENOMEM;

        summary = json_object_new_object();
        ADD_NEW(o, "summary", summary);
        ADD_NEW(summary, "compliant", json_object_new_boolean(n.n[RULE_FAIL] == 0 && n.n[RULE_ERROR] == 0));
        ADD_NEW(summary, "score", json_object_new_double(((int) (compliance_report_score(r) * 10 + 0.5)) / 10.0));
        ADD_NEW(summary, "total", json_object_new_uint64(n.total));
        for (RuleResult i = 0; i < _RULE_RESULT_MAX; i++)
                ADD_NEW(summary, rule_result_to_string(i), json_object_new_uint64(n.n[i]));
        sev = json_object_new_object();
        ADD_NEW(summary, "failedBySeverity", sev);
        for (Severity i = 0; i < _SEVERITY_MAX; i++)
                ADD_NEW(sev, severity_to_string(i), json_object_new_uint64(n.failed_by_severity[i]));

        k = posture_to_json(&r->posture, &posture);
        if (k < 0)
                return k;
        ADD(o, "posture", posture);

        results = json_object_new_array();
        ADD_NEW(o, "results", results);
        for (size_t i = 0; i < r->n_results; i++) {
                struct json_object *x = NULL;

                k = result_to_json(r->results + i, &x);
                if (k < 0)
                        return k;
                if (json_object_array_add(results, x) < 0) {
                        json_object_put(x);
                        return -ENOMEM;
                }
        }

        *ret = TAKE_PTR(o);
        return 0;
}

int report_write_json(const ComplianceReport *r, FILE *f) {
        _cleanup_(json_object_putp) struct json_object *j = NULL;
        const char *s;
        int k;

        k = report_to_json(r, &j);
        if (k < 0)
                return k;
        s = json_object_to_json_string_ext(j, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED | JSON_C_TO_STRING_NOSLASHESCAPE);
        if (!s)
                return -ENOMEM;
        fputs(s, f);
        fputc('\n', f);
        return ferror(f) ? -EIO : 0;
}
