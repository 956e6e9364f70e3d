/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <errno.h>
#include <inttypes.h>
#include <openssl/evp.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "attest-event.h"
#include "json-util.h"
#include "string-table.h"
#include "string-util.h"

static const char *const attest_event_kind_table[_ATTEST_EVENT_MAX] = {
        [ATTEST_EVENT_PROFILE] = "profile",
        [ATTEST_EVENT_USR] = "usr",
        [ATTEST_EVENT_IPE] = "ipe",
        [ATTEST_EVENT_SELINUX] = "selinux",
        [ATTEST_EVENT_AUDIT_LOCK] = "audit-lock",
};

DEFINE_STRING_TABLE_LOOKUP_TO_STRING(attest_event_kind, AttestEventKind);

AttestEventKind attest_event_kind_from_string(const char *s) {
        return (AttestEventKind) string_table_lookup_from_string(attest_event_kind_table,
                                                                 ELEMENTSOF(attest_event_kind_table), s);
}

void attest_log_done(AttestLog *l) {
        if (!l)
                return;
        for (size_t i = 0; i < l->n; i++)
                free(l->events[i].string);
        free(l->events);
        *l = (AttestLog){};
}

_printf_(2, 3) static int fail(char **ret_error, const char *format, ...) {
        va_list ap;

        if (ret_error) {
                free(*ret_error);
                va_start(ap, format);
                *ret_error = vstrprintf(format, ap);
                va_end(ap);
        }
        return -EBADMSG;
}

static int sha256(const void *data, size_t size, uint8_t ret[static ATTEST_DIGEST_SIZE]) {
        unsigned n = 0;

        if (EVP_Digest(data, size, ret, &n, EVP_sha256(), NULL) != 1 || n != ATTEST_DIGEST_SIZE)
                return -EIO;
        return 0;
}

/* The kind of a hardenctl event string: its prefix up to the colon. */
static AttestEventKind kind_of_string(const char *s) {
        const char *rest = s ? startswith(s, "hardenctl-") : NULL;
        const char *colon = rest ? strchr(rest, ':') : NULL;
        _cleanup_free_ char *name = NULL;

        if (!colon)
                return _ATTEST_EVENT_INVALID;
        name = strndup(rest, colon - rest);
        return name ? attest_event_kind_from_string(name) : _ATTEST_EVENT_INVALID;
}

static int log_append(AttestLog *l, unsigned pcr, char *string, const uint8_t *digest) {
        AttestEvent *a = reallocarray(l->events, l->n + 1, sizeof(AttestEvent));

        if (!a) {
                free(string);
                return -ENOMEM;
        }
        l->events = a;
        a[l->n] = (AttestEvent){ .pcr = pcr, .kind = kind_of_string(string), .string = string };
        if (digest) {
                memcpy(a[l->n].digest, digest, ATTEST_DIGEST_SIZE);
                a[l->n].has_sha256 = true;
        }
        l->n++;
        return 0;
}

static int append_measured(AttestLog *l, char *string) {
        uint8_t d[ATTEST_DIGEST_SIZE];
        int r;

        if (!string)
                return -ENOMEM;
        r = sha256(string, strlen(string), d);
        if (r < 0) {
                free(string);
                return r;
        }
        return log_append(l, ATTEST_PCR, string, d);
}

static const char *yes_no(bool b) {
        return b ? "yes" : "no";
}

int attest_log_from_posture(const Posture *p, AttestLog *ret) {
        _cleanup_(attest_log_done) AttestLog l = {};
        const char *selinux = posture_selinux_to_string(p->selinux);
        int r;

        assert(p);
        assert(ret);

        if (!selinux)
                return -EINVAL;
        r = append_measured(&l, strprintf("hardenctl-profile:%s", p->profile_digest ?: "none"));
        if (r >= 0)
                r = append_measured(&l, p->usr_root_hash ?
                                                strprintf("hardenctl-usr:rootHash=%s;verified=%s;signed=%s;signer=%s",
                                                          p->usr_root_hash, yes_no(p->usr_verified),
                                                          yes_no(p->usr_signed), strempty(p->usr_signer)) :
                                                strdup("hardenctl-usr:none"));
        if (r >= 0)
                r = append_measured(&l, p->ipe_digest ? strprintf("hardenctl-ipe:digest=%s;enforce=%s", p->ipe_digest,
                                                                  yes_no(p->ipe_enforce)) :
                                                        strdup("hardenctl-ipe:none"));
        if (r >= 0)
                r = append_measured(&l, strprintf("hardenctl-selinux:%s", selinux));
        if (r >= 0)
                r = append_measured(&l, strprintf("hardenctl-audit-lock:%s", yes_no(p->audit_locked)));
        if (r < 0)
                return r;
        *ret = l;
        l = (AttestLog){};
        return 0;
}

static struct json_object *event_to_json(const AttestEvent *e) {
        _cleanup_(json_object_putp) struct json_object *o = json_object_new_object(), *digests = NULL, *d = NULL,
                                                       *content = NULL;
        char hex[2 * ATTEST_DIGEST_SIZE + 1];

        if (!o)
                return NULL;
        digests = json_object_new_array();
        content = json_object_new_object();
        if (!digests || !content)
                return NULL;
        if (e->has_sha256) {
                hex_encode(e->digest, ATTEST_DIGEST_SIZE, hex);
                d = json_object_new_object();
                if (!d || json_object_object_add(d, "hashAlg", json_object_new_string("sha256")) < 0 ||
                    json_object_object_add(d, "digest", json_object_new_string(hex)) < 0 ||
                    json_object_array_add(digests, d) < 0)
                        return NULL;
                d = NULL;
        }
        if (e->string && json_object_object_add(content, "string", json_object_new_string(e->string)) < 0)
                return NULL;
        if (json_object_object_add(o, "pcr", json_object_new_int64(e->pcr)) < 0 ||
            json_object_object_add(o, "digests", TAKE_PTR(digests)) < 0 ||
            json_object_object_add(o, "content_type", json_object_new_string("systemd")) < 0 ||
            json_object_object_add(o, "content", TAKE_PTR(content)) < 0)
                return NULL;
        return TAKE_PTR(o);
}

int attest_event_to_record(const AttestEvent *e, char **ret) {
        _cleanup_(json_object_putp) struct json_object *o = event_to_json(e);
        const char *s;
        char *r;

        if (!o)
                return -ENOMEM;
        s = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
        if (!s)
                return -ENOMEM;
        r = strprintf("\x1e%s\n", s);
        if (!r)
                return -ENOMEM;
        *ret = r;
        return 0;
}

/* One record: pcr, the sha256 digest if there is one, content.string if there is one. Records of other
 * writers are kept as they are (a verifier replays them too); a hardenctl record must be self-consistent. */
static int event_from_json(struct json_object *o, size_t index, AttestLog *l, char **ret_error) {
        struct json_object *pcr, *digests, *content, *v;
        uint8_t digest[ATTEST_DIGEST_SIZE], check[ATTEST_DIGEST_SIZE];
        const uint8_t *dp = NULL;
        const char *string = NULL;
        char *copy;
        int64_t n;
        int r;

        if (!json_object_is_type(o, json_type_object))
                return fail(ret_error, "record %zu: not a JSON object", index);
        if (!json_object_object_get_ex(o, "pcr", &pcr) || !json_object_is_type(pcr, json_type_int) ||
            (n = json_object_get_int64(pcr)) < 0 || n > 23)
                return fail(ret_error, "record %zu: \"pcr\" missing or not a PCR number (0-23)", index);
        if (!json_object_object_get_ex(o, "digests", &digests) || !json_object_is_type(digests, json_type_array))
                return fail(ret_error, "record %zu: \"digests\" missing or not an array", index);
        for (size_t i = 0; i < json_object_array_length(digests); i++) {
                struct json_object *d = json_object_array_get_idx(digests, i), *alg, *hex;
                size_t sz;

                if (!json_object_is_type(d, json_type_object) || !json_object_object_get_ex(d, "hashAlg", &alg) ||
                    !json_object_object_get_ex(d, "digest", &hex) || !json_object_is_type(alg, json_type_string) ||
                    !json_object_is_type(hex, json_type_string))
                        return fail(ret_error, "record %zu: digest %zu lacks \"hashAlg\" or \"digest\"", index, i);
                if (!streq(json_object_get_string(alg), "sha256"))
                        continue;
                if (hex_decode(json_object_get_string(hex), digest, sizeof digest, &sz) < 0 || sz != sizeof digest)
                        return fail(ret_error, "record %zu: the sha256 digest is not 64 hexadecimal digits", index);
                dp = digest;
        }
        if (json_object_object_get_ex(o, "content", &content) && json_object_is_type(content, json_type_object) &&
            json_object_object_get_ex(content, "string", &v)) {
                if (!json_object_is_type(v, json_type_string))
                        return fail(ret_error, "record %zu: content.string is not a string", index);
                string = json_object_get_string(v);
        }
        if (kind_of_string(string) >= 0) {
                if (n != ATTEST_PCR)
                        return fail(ret_error, "record %zu: a hardenctl event on PCR %" PRIi64 ", not %u", index, n,
                                    ATTEST_PCR);
                if (!dp)
                        return fail(ret_error, "record %zu: a hardenctl event without a sha256 digest", index);
                r = sha256(string, strlen(string), check);
                if (r < 0)
                        return r;
                if (memcmp(check, dp, sizeof check) != 0)
                        return fail(ret_error, "record %zu: the digest is not SHA-256 of \"%s\"", index, string);
        }
        copy = string ? strdup(string) : NULL;
        if (string && !copy)
                return -ENOMEM;
        return log_append(l, (unsigned) n, copy, dp);
}

int attest_log_parse(const char *text, size_t size, AttestLog *ret, char **ret_error) {
        _cleanup_(attest_log_done) AttestLog l = {};
        size_t index = 0;
        const char *p = text, *end = text + size;
        int r;

        if (ret_error)
                *ret_error = NULL;
        if (size > ATTEST_LOG_MAX)
                return fail(ret_error, "the event log is larger than 4 MiB");

        while (p < end) {
                _cleanup_(json_object_putp) struct json_object *o = NULL;
                const char *next;
                _cleanup_free_ char *rec = NULL;

                if (*p != '\x1e')
                        return fail(ret_error, "record %zu: does not start with the record separator 0x1E", index);
                p++;
                next = memchr(p, '\x1e', end - p) ?: end;
                rec = strndup(p, next - p);
                if (!rec)
                        return -ENOMEM;
                o = json_tokener_parse(rec);
                if (!o)
                        return fail(ret_error, "record %zu: not JSON", index);
                r = event_from_json(o, index, &l, ret_error);
                if (r < 0)
                        return r;
                p = next;
                index++;
        }
        *ret = l;
        l = (AttestLog){};
        return 0;
}

int attest_log_to_json(const AttestLog *l, struct json_object **ret) {
        _cleanup_(json_object_putp) struct json_object *a = json_object_new_array();

        if (!a)
                return -ENOMEM;
        for (size_t i = 0; i < l->n; i++) {
                struct json_object *o = event_to_json(l->events + i);

                if (!o || json_object_array_add(a, o) < 0) {
                        json_object_put(o);
                        return -ENOMEM;
                }
        }
        *ret = TAKE_PTR(a);
        return 0;
}

int attest_log_from_json(struct json_object *a, AttestLog *ret, char **ret_error) {
        _cleanup_(attest_log_done) AttestLog l = {};
        int r;

        if (ret_error)
                *ret_error = NULL;
        if (!json_object_is_type(a, json_type_array))
                return fail(ret_error, "the event log is not an array");
        for (size_t i = 0; i < json_object_array_length(a); i++) {
                r = event_from_json(json_object_array_get_idx(a, i), i, &l, ret_error);
                if (r < 0)
                        return r;
        }
        *ret = l;
        l = (AttestLog){};
        return 0;
}

int attest_log_replay(const AttestLog *l, unsigned pcr, uint8_t ret[static ATTEST_DIGEST_SIZE]) {
        uint8_t v[2 * ATTEST_DIGEST_SIZE] = {};
        int r;

        for (size_t i = 0; i < l->n; i++) {
                if (l->events[i].pcr != pcr)
                        continue;
                if (!l->events[i].has_sha256)
                        return -EBADMSG;
                memcpy(v + ATTEST_DIGEST_SIZE, l->events[i].digest, ATTEST_DIGEST_SIZE);
                r = sha256(v, sizeof v, v);
                if (r < 0)
                        return r;
        }
        memcpy(ret, v, ATTEST_DIGEST_SIZE);
        return 0;
}

int attest_golden_to_json(const AttestLog *l, struct json_object **ret) {
        _cleanup_(json_object_putp) struct json_object *j = json_object_new_object(), *events = NULL;
        uint8_t value[ATTEST_DIGEST_SIZE];
        char hex[2 * ATTEST_DIGEST_SIZE + 1];
        int r;

        if (!j)
                return -ENOMEM;
        events = json_object_new_array();
        if (!events)
                return -ENOMEM;
        for (size_t i = 0; i < l->n; i++) {
                const AttestEvent *e = l->events + i;
                struct json_object *o = json_object_new_object();

                if (e->pcr != ATTEST_PCR || !e->has_sha256 || e->kind < 0) {
                        json_object_put(o);
                        return -EINVAL;
                }
                hex_encode(e->digest, ATTEST_DIGEST_SIZE, hex);
                if (!o ||
                    json_object_object_add(o, "name", json_object_new_string(attest_event_kind_to_string(e->kind))) < 0 ||
                    json_object_object_add(o, "string", json_object_new_string(e->string)) < 0 ||
                    json_object_object_add(o, "digest", json_object_new_string(hex)) < 0 ||
                    json_object_array_add(events, o) < 0) {
                        json_object_put(o);
                        return -ENOMEM;
                }
        }
        r = attest_log_replay(l, ATTEST_PCR, value);
        if (r < 0)
                return r;
        hex_encode(value, sizeof value, hex);
        if (json_object_object_add(j, "schemaVersion", json_object_new_int(1)) < 0 ||
            json_object_object_add(j, "pcr", json_object_new_int(ATTEST_PCR)) < 0 ||
            json_object_object_add(j, "hashAlg", json_object_new_string("sha256")) < 0 ||
            json_object_object_add(j, "events", TAKE_PTR(events)) < 0 ||
            json_object_object_add(j, "pcrValue", json_object_new_string(hex)) < 0)
                return -ENOMEM;
        *ret = TAKE_PTR(j);
        return 0;
}

int attest_golden_from_json(struct json_object *j, AttestLog *ret, char **ret_error) {
        _cleanup_(attest_log_done) AttestLog l = {};
        struct json_object *v, *events;
        uint8_t value[ATTEST_DIGEST_SIZE], expect[ATTEST_DIGEST_SIZE];
        size_t sz;
        int r;

        if (ret_error)
                *ret_error = NULL;
        if (!json_object_is_type(j, json_type_object))
                return fail(ret_error, "golden values: not a JSON object");
        if (!json_object_object_get_ex(j, "schemaVersion", &v) || json_object_get_int(v) != 1)
                return fail(ret_error, "golden values: schemaVersion is not 1");
        if (!json_object_object_get_ex(j, "pcr", &v) || !json_object_is_type(v, json_type_int) ||
            json_object_get_int(v) != (int) ATTEST_PCR)
                return fail(ret_error, "golden values: pcr is not %u", ATTEST_PCR);
        if (!json_object_object_get_ex(j, "hashAlg", &v) || !json_object_is_type(v, json_type_string) ||
            !streq(json_object_get_string(v), "sha256"))
                return fail(ret_error, "golden values: hashAlg is not sha256");
        if (!json_object_object_get_ex(j, "events", &events) || !json_object_is_type(events, json_type_array))
                return fail(ret_error, "golden values: events missing or not an array");
        for (size_t i = 0; i < json_object_array_length(events); i++) {
                struct json_object *o = json_object_array_get_idx(events, i), *name, *string;
                char *copy;

                if (!json_object_is_type(o, json_type_object) || !json_object_object_get_ex(o, "name", &name) ||
                    !json_object_object_get_ex(o, "string", &string) ||
                    !json_object_is_type(string, json_type_string) || !json_object_is_type(name, json_type_string))
                        return fail(ret_error, "golden values: event %zu lacks \"name\" or \"string\"", i);
                if (kind_of_string(json_object_get_string(string)) < 0 ||
                    kind_of_string(json_object_get_string(string)) !=
                            attest_event_kind_from_string(json_object_get_string(name)))
                        return fail(ret_error, "golden values: event %zu (%s) is not a hardenctl event of that name", i,
                                    json_object_get_string(name));
                copy = strdup(json_object_get_string(string));
                r = append_measured(&l, copy);
                if (r < 0)
                        return r;
        }
        if (!json_object_object_get_ex(j, "pcrValue", &v) || !json_object_is_type(v, json_type_string) ||
            hex_decode(json_object_get_string(v), expect, sizeof expect, &sz) < 0 || sz != sizeof expect)
                return fail(ret_error, "golden values: pcrValue is not 64 hexadecimal digits");
        r = attest_log_replay(&l, ATTEST_PCR, value);
        if (r < 0)
                return r;
        if (memcmp(value, expect, sizeof value) != 0)
                return fail(ret_error, "golden values: pcrValue is not what the events give");
        *ret = l;
        l = (AttestLog){};
        return 0;
}
