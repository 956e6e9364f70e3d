/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* The report as JSON, in the documented form (hardenctl-report(5)), built with json-c. */

#include <inttypes.h>

#include "json-util.h"
#include "report.h"
#include "string-util.h"
#include "strv.h"

/* Adds key: v, taking v, which the caller just created: NULL means that creating it failed. Returns 0
 * or -ENOMEM. Every key here is a literal or comes from a static table: json-c keeps the pointer instead
 * of a copy (a report has thousands of keys). */
static int add(struct json_object *o, const char *key, struct json_object *v) {
        if (!v)
                return -ENOMEM;
        if (json_object_object_add_ex(o, key, v, JSON_C_OBJECT_KEY_IS_CONSTANT) < 0) {
                json_object_put(v);
                return -ENOMEM;
        }
        return 0;
}

/* Adds key: null. */
static int add_null(struct json_object *o, const char *key) {
        return json_object_object_add_ex(o, key, NULL, JSON_C_OBJECT_KEY_IS_CONSTANT) < 0 ? -ENOMEM : 0;
}

/* Adds key: s, or key: null when s is NULL. */
static int add_string(struct json_object *o, const char *key, const char *s) {
        return s ? add(o, key, json_object_new_string(s)) : add_null(o, key);
}

/* Adds key: true or false, or key: null when v is negative (unknown). */
static int add_tristate(struct json_object *o, const char *key, int v) {
        return v >= 0 ? add(o, key, json_object_new_boolean(v)) : add_null(o, key);
}

/* Appends v, taking it, to the array a; NULL means that creating v failed. Returns 0 or -ENOMEM. */
static int append(struct json_object *a, struct json_object *v) {
        if (!v)
                return -ENOMEM;
        if (json_object_array_add(a, v) < 0) {
                json_object_put(v);
                return -ENOMEM;
        }
        return 0;
}

/* The words of s as an array of strings (an empty array for NULL); NULL on OOM. */
static struct json_object *words_to_json(const char *s) {
        _cleanup_(json_object_putp) struct json_object *a = json_object_new_array();
        _cleanup_free_ char *copy = s ? strdup(s) : NULL;

        if (!a || (s && !copy))
                return NULL;
        for (char *p = copy, *t; p && (t = strsep(&p, " "));)
                if (!isempty(t) && append(a, json_object_new_string(t)) < 0)
                        return NULL;
        return TAKE_PTR(a);
}

static int evidence_to_json(const Evidence *e, struct json_object **ret) {
        _cleanup_(json_object_putp) struct json_object *o = json_object_new_object();

        if (!o)
                return -ENOMEM;
        if (add_string(o, "source", e->source) < 0 || add_string(o, "expected", e->expected) < 0 ||
            add_string(o, "actual", e->actual) < 0)
                return -ENOMEM;
        *ret = TAKE_PTR(o);
        return 0;
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

        if (add_string(o, "id", x->rule->id) < 0 || add_string(o, "instance", x->instance) < 0 ||
            add_string(o, "result", rule_result_to_string(x->result)) < 0 ||
            add_string(o, "severity", severity_to_string(x->rule->severity)) < 0 ||
            add_string(o, "title", x->rule->title) < 0 || add_string(o, "message", x->message) < 0)
                return -ENOMEM;

        for (size_t i = 0; i < x->n_evidence; i++) {
                struct json_object *e = NULL;

                r = evidence_to_json(x->evidence + i, &e);
                if (r < 0)
                        return r;
                if (append(ev, e) < 0)
                        return -ENOMEM;
        }

        if (add(o, "evidence", TAKE_PTR(ev)) < 0 || add(refs, "cis", words_to_json(cis)) < 0 ||
            add(refs, "srg", words_to_json(srg)) < 0 || add(refs, "stig", words_to_json(stig)) < 0 ||
            add(refs, "nist", words_to_json(x->rule->nist)) < 0 || add(o, "references", TAKE_PTR(refs)) < 0 ||
            add_string(o, "rationale", x->rule->rationale) < 0 || add_string(o, "remediation", x->rule->remediation) < 0)
                return -ENOMEM;

        *ret = TAKE_PTR(o);
        return 0;
}

static int drift_entry_to_json(const DriftEntry *d, struct json_object **ret) {
        _cleanup_(json_object_putp) struct json_object *o = json_object_new_object();
        char mode[8];

        if (!o)
                return -ENOMEM;
        snprintf(mode, sizeof(mode), "%04o", d->mode);
        if (add_string(o, "path", d->path) < 0 || add_string(o, "change", drift_kind_to_string(d->kind)) < 0 ||
            add(o, "type", json_object_new_string_len(&d->type, 1)) < 0 || add_string(o, "digest", d->digest) < 0 ||
            add_string(o, "mode", mode) < 0 || add(o, "uid", json_object_new_int64(d->uid)) < 0 ||
            add(o, "gid", json_object_new_int64(d->gid)) < 0 ||
            add(o, "expected", json_object_new_boolean(d->expected)) < 0)
                return -ENOMEM;
        *ret = TAKE_PTR(o);
        return 0;
}

static int drift_to_json(const BootPosture *p, struct json_object **ret) {
        _cleanup_(json_object_putp) struct json_object *a = json_object_new_array();
        int r;

        if (!a)
                return -ENOMEM;
        for (size_t i = 0; i < p->n_drift; i++) {
                struct json_object *e = NULL;

                r = drift_entry_to_json(p->drift + i, &e);
                if (r < 0)
                        return r;
                if (append(a, e) < 0)
                        return -ENOMEM;
        }
        *ret = TAKE_PTR(a);
        return 0;
}

/* The posture record as it was written (hardenctl-report(5): posture.record, posture.recordStatus). */
static int record_to_json(const ComplianceReport *rep, struct json_object *o) {
        _cleanup_free_ char *text = NULL, *status = NULL;
        struct json_object *record = NULL;
        int r;

        if (rep->posture_record_state == 0) {
                r = posture_to_json(&rep->posture_record, &text);
                if (r < 0)
                        return r;
                record = json_tokener_parse(text);
                if (!record)
                        return -ENOMEM;
                status = strdup("read");
        } else if (rep->posture_record_state == -ENOENT)
                status = strdup("absent");
        else if (rep->posture_record_state == -EBADMSG)
                status = strprintf("invalid: %s", strna(rep->posture_record_error));
        else
                status = strprintf("unreadable: %s", strerror(-rep->posture_record_state));
        if (!status) {
                json_object_put(record);
                return -ENOMEM;
        }
        if ((record ? add(o, "record", record) : add_null(o, "record")) < 0)
                return -ENOMEM;
        return add_string(o, "recordStatus", status);
}

static int boot_posture_to_json(const ComplianceReport *rep, struct json_object **ret) {
        const BootPosture *p = &rep->posture;
        _cleanup_(json_object_putp) struct json_object *o = json_object_new_object(), *usr = json_object_new_object(),
                                                       *etc = json_object_new_object();
        int r;

        if (!o || !usr || !etc)
                return -ENOMEM;
        if (add_string(usr, "source", p->usr_source) < 0 || add_string(usr, "fileSystem", p->usr_fstype) < 0 ||
            add(usr, "readOnly", json_object_new_boolean(p->usr_read_only)) < 0 ||
            add(usr, "verity", json_object_new_boolean(p->usr_verity)) < 0 ||
            add_string(usr, "deviceMapperName", p->verity_name) < 0 ||
            add_string(usr, "status", p->verity_status) < 0 || add_string(usr, "rootHash", p->root_hash) < 0 ||
            add_string(usr, "expectedRootHash", p->expected_root_hash) < 0 ||
            add_string(usr, "hashAlgorithm", p->hash_algorithm) < 0 || add_tristate(usr, "signature", p->signature) < 0 ||
            add_string(usr, "onCorruption", p->on_corruption) < 0 || add(o, "usr", TAKE_PTR(usr)) < 0)
                return -ENOMEM;

        if (add(etc, "overlay", json_object_new_boolean(p->etc_overlay)) < 0 ||
            add_string(etc, "lowerDir", p->etc_lower) < 0 || add_string(etc, "upperDir", p->etc_upper) < 0)
                return -ENOMEM;
        if (p->drift_read) {
                struct json_object *drift = NULL;

                r = drift_to_json(p, &drift);
                if (r < 0)
                        return r;
                r = add(etc, "drift", drift);
        } else
                r = add_null(etc, "drift");
        if (r < 0)
                return r;
        if (add(o, "etc", TAKE_PTR(etc)) < 0)
                return -ENOMEM;
        r = record_to_json(rep, o);
        if (r < 0)
                return r;

        *ret = TAKE_PTR(o);
        return 0;
}

static int host_to_json(const ComplianceReport *r, struct json_object **ret) {
        _cleanup_(json_object_putp) struct json_object *o = json_object_new_object(), *os = json_object_new_object();

        if (!o || !os)
                return -ENOMEM;
        if (add_string(o, "root", r->root) < 0 || add(o, "live", json_object_new_boolean(r->live)) < 0 ||
            add_string(o, "machineId", r->host.machine_id) < 0 || add_string(o, "hostname", r->host.hostname) < 0 ||
            add_string(o, "kernel", r->host.kernel) < 0 || add_string(o, "architecture", r->host.architecture) < 0 ||
            add_string(os, "prettyName", r->host.os_pretty_name) < 0 || add_string(os, "id", r->host.os_id) < 0 ||
            add_string(os, "versionId", r->host.os_version_id) < 0 || add(o, "os", TAKE_PTR(os)) < 0)
                return -ENOMEM;
        *ret = TAKE_PTR(o);
        return 0;
}

static struct json_object *timestamp_to_json(uint64_t usec) {
        _cleanup_free_ char *ts = usec > 0 ? format_timestamp_utc(usec) : NULL;

        return ts ? json_object_new_string(ts) : NULL;
}

static int anomaly_to_json(const Anomaly *a, struct json_object **ret) {
        _cleanup_(json_object_putp) struct json_object *o = json_object_new_object();
        char event[REPORT_AUDIT_EVENT_MAX];

        if (!o)
                return -ENOMEM;
        if (add(o, "time", timestamp_to_json(a->time_usec)) < 0 ||
            add_string(o, "auditEvent", report_audit_event(a, event)) < 0 || add_string(o, "unit", a->unit) < 0 ||
            add_string(o, "exe", a->exe) < 0 || add_string(o, "comm", a->comm) < 0 ||
            add(o, "pid", json_object_new_int64(a->pid)) < 0 || add(o, "uid", json_object_new_int64(a->uid)) < 0 ||
            add(o, "auid", json_object_new_int64(a->auid)) < 0 || add_string(o, "path", a->path) < 0 ||
            add_string(o, "auditKey", a->key) < 0 || add_string(o, "ipeRule", a->rule) < 0 ||
            add_string(o, "message", a->detail) < 0)
                return -ENOMEM;
        *ret = TAKE_PTR(o);
        return 0;
}

/* The runtime section: null when the watcher's state was not read (an offline tree, no watcher). */
static int runtime_to_json(const ComplianceReport *r, struct json_object **ret) {
        const RuntimeWatch *w = &r->runtime;
        const WatchState *s = &w->state;
        _cleanup_(json_object_putp) struct json_object *o = NULL, *kinds = NULL;

        if (!w->read) {
                *ret = NULL;
                return 0;
        }
        o = json_object_new_object();
        kinds = json_object_new_object();
        if (!o || !kinds)
                return -ENOMEM;
        if (add_string(o, "stateFile", w->path) < 0 || add(o, "running", json_object_new_boolean(w->running)) < 0 ||
            add_string(o, "source", s->source) < 0 || add(o, "pid", json_object_new_int64(s->pid)) < 0 ||
            add_string(o, "profileDigest", s->profile_digest) < 0 ||
            add(o, "started", timestamp_to_json(s->started_usec)) < 0 ||
            add(o, "updated", timestamp_to_json(s->updated_usec)) < 0 ||
            (s->last_event_usec ? add(o, "lastEvent", timestamp_to_json(s->last_event_usec)) :
                                  add_null(o, "lastEvent")) < 0 ||
            add(o, "events", json_object_new_uint64(s->events)) < 0 ||
            add(o, "unparsable", json_object_new_uint64(s->unparsable)) < 0 ||
            add(o, "total", json_object_new_uint64(runtime_watch_anomalies(w))) < 0)
                return -ENOMEM;
        for (AnomalyKind k = 0; k < _ANOMALY_KIND_MAX; k++) {
                _cleanup_(json_object_putp) struct json_object *x = json_object_new_object();
                struct json_object *first = NULL;
                int q;

                if (!x || add(x, "count", json_object_new_uint64(s->count[k])) < 0 ||
                    add(x, "suppressed", json_object_new_uint64(s->suppressed[k])) < 0)
                        return -ENOMEM;
                if (s->has_first[k]) {
                        q = anomaly_to_json(s->first + k, &first);
                        if (q < 0)
                                return q;
                        q = add(x, "first", first);
                } else
                        q = add_null(x, "first");
                if (q < 0 || add(kinds, anomaly_kind_to_string(k), TAKE_PTR(x)) < 0)
                        return -ENOMEM;
        }
        if (add(o, "anomalies", TAKE_PTR(kinds)) < 0)
                return -ENOMEM;
        *ret = TAKE_PTR(o);
        return 0;
}

static int profile_to_json(const ComplianceReport *r, struct json_object **ret) {
        _cleanup_(json_object_putp) struct json_object *o = json_object_new_object(), *sources = json_object_new_array();

        if (!o || !sources)
                return -ENOMEM;
        STRV_FOREACH(s, r->profile_sources)
                if (append(sources, json_object_new_string(*s)) < 0)
                        return -ENOMEM;
        if (add_string(o, "name", r->profile_name) < 0 || add_string(o, "description", r->profile_description) < 0 ||
            add_string(o, "digest", r->profile_digest) < 0 || add(o, "sources", TAKE_PTR(sources)) < 0)
                return -ENOMEM;
        *ret = TAKE_PTR(o);
        return 0;
}

static int summary_to_json(const ComplianceReport *r, struct json_object **ret) {
        _cleanup_(json_object_putp) struct json_object *o = json_object_new_object(), *sev = json_object_new_object();
        ComplianceCounts n;

        if (!o || !sev)
                return -ENOMEM;
        compliance_report_count(r, &n);
        if (add(o, "compliant", json_object_new_boolean(n.n[RULE_FAIL] == 0 && n.n[RULE_ERROR] == 0)) < 0 ||
            add(o, "score", json_object_new_double(((int) (compliance_report_score(r) * 10 + 0.5)) / 10.0)) < 0 ||
            add(o, "total", json_object_new_uint64(n.total)) < 0)
                return -ENOMEM;
        for (RuleResult i = 0; i < _RULE_RESULT_MAX; i++)
                if (add(o, rule_result_to_string(i), json_object_new_uint64(n.n[i])) < 0)
                        return -ENOMEM;
        for (Severity i = 0; i < _SEVERITY_MAX; i++)
                if (add(sev, severity_to_string(i), json_object_new_uint64(n.failed_by_severity[i])) < 0)
                        return -ENOMEM;
        if (add(o, "failedBySeverity", TAKE_PTR(sev)) < 0)
                return -ENOMEM;
        *ret = TAKE_PTR(o);
        return 0;
}

static int results_to_json(const ComplianceReport *r, struct json_object **ret) {
        _cleanup_(json_object_putp) struct json_object *a = json_object_new_array();
        int k;

        if (!a)
                return -ENOMEM;
        for (size_t i = 0; i < r->n_results; i++) {
                struct json_object *x = NULL;

                k = result_to_json(r->results + i, &x);
                if (k < 0)
                        return k;
                if (append(a, x) < 0)
                        return -ENOMEM;
        }
        *ret = TAKE_PTR(a);
        return 0;
}

int report_to_json(const ComplianceReport *r, struct json_object **ret) {
        static const struct {
                const char *key;
                int (*build)(const ComplianceReport *r, struct json_object **ret);
        } parts[] = {
                { "host", host_to_json },       { "profile", profile_to_json },
                { "summary", summary_to_json }, { "posture", boot_posture_to_json },
                { "runtime", runtime_to_json }, { "results", results_to_json },
        };
        _cleanup_(json_object_putp) struct json_object *o = json_object_new_object();
        _cleanup_free_ char *ts = format_timestamp_utc(r->time_usec);
        int k;

        if (!o || !ts)
                return -ENOMEM;
        if (add(o, "schemaVersion", json_object_new_int(r->schema_version)) < 0 ||
            add_string(o, "generator", "hardenctl") < 0 || add_string(o, "time", ts) < 0 ||
            add(o, "durationUsec", json_object_new_uint64(r->duration_usec)) < 0)
                return -ENOMEM;
        for (size_t i = 0; i < ELEMENTSOF(parts); i++) {
                struct json_object *v = NULL;

                k = parts[i].build(r, &v);
                if (k < 0)
                        return k;
                if (v ? add(o, parts[i].key, v) < 0 : add_null(o, parts[i].key) < 0)
                        return -ENOMEM;
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
        s = json_object_to_json_string_ext(j, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
                                                      JSON_C_TO_STRING_NOSLASHESCAPE);
        if (!s)
                return -ENOMEM;
        fputs(s, f);
        fputc('\n', f);
        return ferror(f) ? -EIO : 0;
}
