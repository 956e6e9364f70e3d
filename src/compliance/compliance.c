/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <time.h>

#include "compliance.h"
#include "digest.h"
#include "string-table.h"
#include "string-util.h"
#include "strv.h"
#include "utf8.h"

static const char *const rule_result_table[_RULE_RESULT_MAX] = {
        [RULE_PASS] = "pass",
        [RULE_FAIL] = "fail",
        [RULE_ERROR] = "error",
        [RULE_NOTAPPLICABLE] = "notapplicable",
        [RULE_NOTCHECKED] = "notchecked",
};

DEFINE_STRING_TABLE_LOOKUP_TO_STRING(rule_result, RuleResult);

static const char *const severity_table[_SEVERITY_MAX] = {
        [SEVERITY_LOW] = "low",
        [SEVERITY_MEDIUM] = "medium",
        [SEVERITY_HIGH] = "high",
};

DEFINE_STRING_TABLE_LOOKUP_TO_STRING(severity, Severity);

static const char *const drift_kind_table[_DRIFT_KIND_MAX] = {
        [DRIFT_ADDED] = "added",     [DRIFT_MODIFIED] = "modified",
        [DRIFT_DELETED] = "deleted", [DRIFT_METADATA_ONLY] = "metadata-only",
        [DRIFT_OPAQUE] = "opaque",
};

DEFINE_STRING_TABLE_LOOKUP_TO_STRING(drift_kind, DriftKind);

static void result_done(ComplianceResult *r) {
        free(r->instance);
        free(r->message);
        for (size_t i = 0; i < r->n_evidence; i++) {
                free(r->evidence[i].source);
                free(r->evidence[i].expected);
                free(r->evidence[i].actual);
        }
        free(r->evidence);
}

void drift_entries_free(DriftEntry *e, size_t n) {
        for (size_t i = 0; i < n; i++) {
                free(e[i].path);
                free(e[i].digest);
        }
        free(e);
}

static void boot_posture_done(BootPosture *p) {
        free(p->usr_source);
        free(p->usr_fstype);
        free(p->verity_name);
        free(p->verity_status);
        free(p->root_hash);
        free(p->expected_root_hash);
        free(p->hash_algorithm);
        free(p->on_corruption);
        free(p->etc_lower);
        free(p->etc_upper);
        drift_entries_free(p->drift, p->n_drift);
}

static void host_done(HostIdentity *h) {
        free(h->machine_id);
        free(h->hostname);
        free(h->os_pretty_name);
        free(h->os_id);
        free(h->os_version_id);
        free(h->kernel);
        free(h->architecture);
}

ComplianceReport *compliance_report_free(ComplianceReport *r) {
        if (!r)
                return NULL;
        free(r->root);
        host_done(&r->host);
        free(r->profile_name);
        free(r->profile_description);
        free(r->profile_digest);
        strv_free(r->profile_sources);
        for (size_t i = 0; i < r->n_results; i++)
                result_done(r->results + i);
        free(r->results);
        boot_posture_done(&r->posture);
        free(r->posture_record_error);
        posture_done(&r->posture_record);
        free(r->runtime.path);
        watch_state_done(&r->runtime.state);
        return mfree(r);
}

uint64_t runtime_watch_anomalies(const RuntimeWatch *w) {
        uint64_t n = 0;

        for (AnomalyKind k = 0; w->read && k < _ANOMALY_KIND_MAX; k++)
                n += w->state.count[k];
        return n;
}

/* The strings of the runtime section: from the state file, so from the audit trail (any bytes). */
static int runtime_make_utf8(RuntimeWatch *w) {
        WatchState *s = &w->state;

        if (utf8_make_valid(&w->path) < 0 || utf8_make_valid(&s->source) < 0 || utf8_make_valid(&s->profile) < 0 ||
            utf8_make_valid(&s->profile_digest) < 0 || utf8_make_valid(&s->boot_id) < 0)
                return -ENOMEM;
        for (AnomalyKind k = 0; k < _ANOMALY_KIND_MAX; k++) {
                Anomaly *a = s->first + k;

                if (s->has_first[k] &&
                    (utf8_make_valid(&a->unit) < 0 || utf8_make_valid(&a->exe) < 0 || utf8_make_valid(&a->comm) < 0 ||
                     utf8_make_valid(&a->path) < 0 || utf8_make_valid(&a->key) < 0 || utf8_make_valid(&a->rule) < 0 ||
                     utf8_make_valid(&a->detail) < 0))
                        return -ENOMEM;
        }
        return 0;
}

int compliance_report_make_utf8(ComplianceReport *r) {
        HostIdentity *h = &r->host;
        BootPosture *p = &r->posture;
        char **fields[] = {
                &r->root,
                &r->profile_name,
                &r->profile_description,
                &r->profile_digest,
                &h->machine_id,
                &h->hostname,
                &h->os_pretty_name,
                &h->os_id,
                &h->os_version_id,
                &h->kernel,
                &h->architecture,
                &p->usr_source,
                &r->posture_record_error,
                &r->posture_record.ipe_policy,
                &r->posture_record.ipe_version,
                &r->posture_record.usr_keyring,
                &p->usr_fstype,
                &p->verity_name,
                &p->verity_status,
                &p->root_hash,
                &p->expected_root_hash,
                &p->hash_algorithm,
                &p->on_corruption,
                &p->etc_lower,
                &p->etc_upper,
        };

        for (size_t i = 0; i < ELEMENTSOF(fields); i++)
                if (utf8_make_valid(fields[i]) < 0)
                        return -ENOMEM;
        if (runtime_make_utf8(&r->runtime) < 0)
                return -ENOMEM;
        for (size_t i = 0; r->profile_sources && r->profile_sources[i]; i++)
                if (utf8_make_valid(r->profile_sources + i) < 0)
                        return -ENOMEM;
        for (size_t i = 0; i < r->n_results; i++) {
                ComplianceResult *x = r->results + i;

                if (utf8_make_valid(&x->instance) < 0 || utf8_make_valid(&x->message) < 0)
                        return -ENOMEM;
                for (size_t e = 0; e < x->n_evidence; e++)
                        if (utf8_make_valid(&x->evidence[e].source) < 0 ||
                            utf8_make_valid(&x->evidence[e].expected) < 0 || utf8_make_valid(&x->evidence[e].actual) < 0)
                                return -ENOMEM;
        }
        for (size_t i = 0; i < p->n_drift; i++)
                if (utf8_make_valid(&p->drift[i].path) < 0 || utf8_make_valid(&p->drift[i].digest) < 0)
                        return -ENOMEM;
        return 0;
}

void compliance_report_count(const ComplianceReport *r, ComplianceCounts *ret) {
        ComplianceCounts c = {};

        for (size_t i = 0; i < r->n_results; i++) {
                const ComplianceResult *x = r->results + i;

                c.n[x->result]++;
                if (x->result == RULE_FAIL)
                        c.failed_by_severity[x->rule->severity]++;
                c.total++;
        }
        *ret = c;
}

unsigned severity_weight(Severity s) {
        static const unsigned weight[_SEVERITY_MAX] = { [SEVERITY_LOW] = 1, [SEVERITY_MEDIUM] = 3, [SEVERITY_HIGH] = 10 };

        return s >= 0 && s < _SEVERITY_MAX ? weight[s] : 0;
}

double compliance_report_score(const ComplianceReport *r) {
        unsigned passed = 0, all = 0;

        for (size_t i = 0; i < r->n_results; i++) {
                const ComplianceResult *x = r->results + i;

                if (x->result != RULE_PASS && x->result != RULE_FAIL)
                        continue;
                all += severity_weight(x->rule->severity);
                if (x->result == RULE_PASS)
                        passed += severity_weight(x->rule->severity);
        }
        return all == 0 ? 100.0 : 100.0 * passed / all;
}

char *compliance_rule_xccdf_id(const ComplianceRule *rule) {
        const char *n = startswith(rule->id, COMPLIANCE_RULE_ID_PREFIX) ?: rule->id;

        return strprintf("xccdf_org.hardenctl_rule_%s", n);
}

char *format_timestamp_utc(uint64_t usec) {
        time_t t = (time_t) (usec / 1000000);
        struct tm tm;
        char buf[64];

        if (!gmtime_r(&t, &tm) || strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
                return NULL;
        return strdup(buf);
}

/* ---- results ---- */

int result_set(ComplianceResult *r, RuleResult result, const char *format, ...) {
        va_list ap;
        char *m;

        va_start(ap, format);
        m = vstrprintf(format, ap);
        va_end(ap);
        if (!m)
                return -ENOMEM;
        free(r->message);
        r->message = m;
        r->result = result;
        return 0;
}

int result_evidence(ComplianceResult *r, const char *source, const char *expected, const char *actual) {
        Evidence *l, e = {};

        if ((source && !(e.source = strdup(source))) || (expected && !(e.expected = strdup(expected))) ||
            (actual && !(e.actual = strdup(actual))))
                goto oom;
        l = array_grow_pow2(r->evidence, r->n_evidence, sizeof(Evidence));
        if (!l)
                goto oom;
        r->evidence = l;
        l[r->n_evidence++] = e;
        return 0;
oom:
        free(e.source);
        free(e.expected);
        free(e.actual);
        return -ENOMEM;
}

int result_offline(ComplianceResult *r, const char *what) {
        return result_set(r, RULE_NOTCHECKED, "%s can only be read on the running system, not in an offline tree", what);
}

int result_errno(ComplianceResult *x, int error, const char *what) {
        errno = -error;
        if (startswith(what, "the ") && strstr(what, "over D-Bus") &&
            (error == -ENOENT || error == -ECONNREFUSED || error == -ENOMEDIUM))
                return result_set(x, RULE_ERROR, "Cannot reach the service manager on the system bus to read %s: %m",
                                  what);
        if (error == -ENOENT)
                return result_set(x, RULE_ERROR, "%s does not exist", what);
        if (error == -EBADFD)
                return result_set(x, RULE_ERROR, "%s is not a regular file: not opened", what);
        return result_set(x, RULE_ERROR, "cannot read %s: %m", what);
}
