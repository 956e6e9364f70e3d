/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* The formats and their writers, and what several writers share: the references of a result, the
 * posture record and the runtime section's lines, and XML escaping (HTML is written with it too). Each
 * writer file renders one format and calls only this. */

#include <inttypes.h>

#include "compliance-catalog.h"
#include "report.h"
#include "string-table.h"
#include "string-util.h"
#include "strv.h"

static const char *const report_format_table[_REPORT_FORMAT_MAX] = {
        [REPORT_JSON] = "json", [REPORT_HTML] = "html",   [REPORT_XCCDF] = "xccdf",
        [REPORT_ARF] = "arf",   [REPORT_JUNIT] = "junit", [REPORT_PROMETHEUS] = "prometheus",
};

DEFINE_STRING_TABLE_LOOKUP(report_format, ReportFormat);

static int (*const report_writers[_REPORT_FORMAT_MAX])(const ComplianceReport *r, FILE *f) = {
        [REPORT_JSON] = report_write_json,   [REPORT_HTML] = report_write_html,
        [REPORT_XCCDF] = report_write_xccdf, [REPORT_ARF] = report_write_arf,
        [REPORT_JUNIT] = report_write_junit, [REPORT_PROMETHEUS] = report_write_prometheus,
};

int report_write(const ComplianceReport *r, ReportFormat format, FILE *f) {
        if (format < 0 || format >= _REPORT_FORMAT_MAX)
                return -EINVAL;
        return report_writers[format](r, f);
}

static int join_refs(const char *a, const char *b, char **ret) {
        _cleanup_strv_free_ char **l = NULL;
        const char *both[] = { a, b };

        for (size_t i = 0; i < ELEMENTSOF(both); i++) {
                _cleanup_free_ char *copy = both[i] ? strdup(both[i]) : NULL;

                if (both[i] && !copy)
                        return -ENOMEM;
                for (char *s = copy, *t; s && (t = strsep(&s, " "));)
                        if (!isempty(t) && !strv_contains(l, t) && strv_extend(&l, t) < 0)
                                return -ENOMEM;
        }
        *ret = l ? strv_join(l, " ") : NULL;
        return l && !*ret ? -ENOMEM : 0;
}

int result_references(const ComplianceResult *x, char **ret_cis, char **ret_srg, char **ret_stig) {
        const ItemRef *item = compliance_item_refs(x->rule, x->instance);
        _cleanup_free_ char *cis = NULL, *srg = NULL, *stig = NULL;
        int r;

        /* An item's own CIS number replaces the rule's; SRG and STIG ids add up. */
        r = join_refs(item && item->cis ? item->cis : x->rule->cis, NULL, &cis);
        if (r < 0)
                return r;
        r = join_refs(item ? item->srg : NULL, x->rule->srg, &srg);
        if (r < 0)
                return r;
        r = join_refs(item ? item->stig : NULL, x->rule->stig, &stig);
        if (r < 0)
                return r;
        *ret_cis = TAKE_PTR(cis);
        *ret_srg = TAKE_PTR(srg);
        *ret_stig = TAKE_PTR(stig);
        return 0;
}

int report_posture_record_summary(const ComplianceReport *r, char **ret) {
        const Posture *p = &r->posture_record;
        _cleanup_free_ char *usr = NULL, *ipe = NULL, *unknown = NULL;
        char *s;

        if (r->posture_record_state == -ENOENT)
                s = strdup("absent: no posture record " POSTURE_RECORD_PATH " (not written at this boot)");
        else if (r->posture_record_state == -EBADMSG)
                s = strprintf("invalid: %s: %s", POSTURE_RECORD_PATH, strna(r->posture_record_error));
        else if (r->posture_record_state < 0)
                s = strprintf("unreadable: %s: %s", POSTURE_RECORD_PATH, strerror(-r->posture_record_state));
        else {
                if (p->unknown & POSTURE_UNKNOWN_USR)
                        usr = strdup("/usr unknown");
                else if (!p->usr_root_hash)
                        usr = strdup("/usr not verity");
                else
                        usr = strprintf("/usr %s %s%s%s%s%s%s", p->usr_root_hash,
                                        p->usr_verified ? "verified" : "NOT verified",
                                        !p->usr_signed ? ", unsigned" :
                                        p->usr_signer  ? ", signed by certificate sha256:" :
                                                         ", signed (signer not recorded)",
                                        p->usr_signed ? strempty(p->usr_signer) : "",
                                        p->usr_signed && p->usr_keyring ? " (key in " : "",
                                        p->usr_signed ? strempty(p->usr_keyring) : "",
                                        p->usr_signed && p->usr_keyring ? ")" : "");
                if (p->unknown & POSTURE_UNKNOWN_IPE)
                        ipe = strdup("IPE unknown");
                else if (!p->ipe_available)
                        ipe = strdup("IPE not available");
                else
                        ipe = strprintf("IPE %s%s%s%s (%s)%s%s", p->ipe_policy ? "policy " : "no policy",
                                        strempty(p->ipe_policy), p->ipe_version ? " " : "", strempty(p->ipe_version),
                                        p->ipe_enforce ? "enforcing" : "permissive", p->ipe_digest ? " " : "",
                                        strempty(p->ipe_digest));
                for (unsigned i = 0; i < _POSTURE_UNKNOWN_N; i++)
                        if (p->unknown & (1U << i)) {
                                char *t = strprintf("%s%s%s", strempty(unknown), unknown ? ", " : "",
                                                    posture_unknown_to_string(1U << i));

                                if (!t)
                                        return -ENOMEM;
                                free(unknown);
                                unknown = t;
                        }
                if (!usr || !ipe)
                        return -ENOMEM;
                s = strprintf("%s; %s; SELinux %s; lockdown %s; Secure Boot %s; audit %s; profile %s%s%s", usr, ipe,
                              p->unknown & POSTURE_UNKNOWN_SELINUX ? "unknown" : posture_selinux_to_string(p->selinux),
                              p->unknown & POSTURE_UNKNOWN_LOCKDOWN ? "unknown" : posture_lockdown_to_string(p->lockdown),
                              p->unknown & POSTURE_UNKNOWN_SECURE_BOOT ? "unknown" :
                              p->secure_boot                           ? "on" :
                                                                         "off",
                              p->unknown & POSTURE_UNKNOWN_AUDIT_LOCKED ? "unknown" :
                              p->audit_locked                           ? "locked" :
                                                                          "not locked",
                              p->profile_digest ?: "unknown", unknown ? "; not known: " : "", strempty(unknown));
        }
        if (!s)
                return -ENOMEM;
        *ret = s;
        return 0;
}

int report_runtime_not_read(const RuntimeWatch *w, char **ret) {
        char *s = NULL;

        if (!w->read && w->error == -ENOENT)
                s = strprintf("absent: no watcher state %s (no watcher has run this boot)", strna(w->path));
        else if (!w->read && w->error < 0)
                s = strprintf("unreadable: %s: %s", strna(w->path), strerror(-w->error));
        if (!s && !w->read && w->error < 0)
                return -ENOMEM;
        *ret = s;
        return 0;
}

uint64_t report_runtime_behind_usec(const RuntimeWatch *w) {
        const WatchState *s = &w->state;

        if (!w->read || s->last_event_usec == 0)
                return UINT64_MAX;
        return s->updated_usec > s->last_event_usec ? s->updated_usec - s->last_event_usec : 0;
}

const char *report_audit_event(const Anomaly *a, char buf[static REPORT_AUDIT_EVENT_MAX]) {
        snprintf(buf, REPORT_AUDIT_EVENT_MAX, "%" PRIu64 ".%03" PRIu64 ":%" PRIu64, a->time_usec / 1000000,
                 (a->time_usec / 1000) % 1000, a->serial);
        return buf;
}

int report_anomaly_summary(const Anomaly *a, char **ret) {
        _cleanup_free_ char *ts = format_timestamp_utc(a->time_usec), *buf = NULL;
        const struct {
                const char *key, *value;
        } fields[] = {
                { "unit", a->unit }, { "exe", a->exe }, { "comm", a->comm },
        }, more[] = {
                { "path", a->path }, { "key", a->key }, { "rule", a->rule },
        };
        char event[REPORT_AUDIT_EVENT_MAX];
        size_t size = 0;
        FILE *f;

        if (!ts)
                return -ENOMEM;
        f = open_memstream(&buf, &size);
        if (!f)
                return -ENOMEM;
        fprintf(f, "%s audit(%s)", ts, report_audit_event(a, event));
        for (size_t i = 0; i < ELEMENTSOF(fields); i++)
                if (fields[i].value)
                        fprintf(f, " %s=%s", fields[i].key, fields[i].value);
        if (a->pid >= 0)
                fprintf(f, " pid=%" PRIi64, a->pid);
        if (a->uid >= 0)
                fprintf(f, " uid=%" PRIi64, a->uid);
        if (a->auid >= 0)
                fprintf(f, " auid=%" PRIi64, a->auid);
        else
                fputs(" auid=unset", f);
        for (size_t i = 0; i < ELEMENTSOF(more); i++)
                if (more[i].value)
                        fprintf(f, " %s=%s", more[i].key, more[i].value);
        fprintf(f, ": %s", a->detail ?: "(no detail)");
        if (memstream_close(f, &buf) < 0)
                return -ENOMEM;
        *ret = TAKE_PTR(buf);
        return 0;
}

void xml_escape(FILE *f, const char *s) {
        for (; s && *s; s++)
                switch (*s) {
                case '<':
                        fputs("&lt;", f);
                        break;
                case '>':
                        fputs("&gt;", f);
                        break;
                case '&':
                        fputs("&amp;", f);
                        break;
                case '"':
                        fputs("&quot;", f);
                        break;
                case '\'':
                        fputs("&#39;", f);
                        break;
                case '\t':
                case '\n':
                case '\r':
                        /* As references, so that they survive in attribute values too (which an XML
                         * parser would otherwise normalize to spaces). */
                        fprintf(f, "&#%d;", *s);
                        break;
                default:
                        /* Other control characters are not allowed in XML 1.0. Text is valid UTF-8:
                         * compliance_report_make_utf8() saw to that. */
                        if ((unsigned char) *s < 0x20)
                                fputc('?', f);
                        else
                                fputc(*s, f);
                }
}
