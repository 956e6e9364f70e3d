/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json-util.h"
#include "posture.h"
#include "string-table.h"
#include "string-util.h"

/* The model: its names and its memory (the live reader, posture_read(), is posture.c). */

static const char *const posture_selinux_table[_POSTURE_SELINUX_MAX] = {
        [POSTURE_SELINUX_DISABLED] = "disabled",
        [POSTURE_SELINUX_PERMISSIVE] = "permissive",
        [POSTURE_SELINUX_ENFORCING] = "enforcing",
};

DEFINE_STRING_TABLE_LOOKUP_TO_STRING(posture_selinux, PostureSELinux);
DEFINE_STRING_TABLE_LOOKUP_FROM_STRING_TYPED(posture_selinux, PostureSELinux);

static const char *const posture_lockdown_table[_POSTURE_LOCKDOWN_MAX] = {
        [POSTURE_LOCKDOWN_NONE] = "none",
        [POSTURE_LOCKDOWN_INTEGRITY] = "integrity",
        [POSTURE_LOCKDOWN_CONFIDENTIALITY] = "confidentiality",
};

DEFINE_STRING_TABLE_LOOKUP_TO_STRING(posture_lockdown, PostureLockdown);
DEFINE_STRING_TABLE_LOOKUP_FROM_STRING_TYPED(posture_lockdown, PostureLockdown);

void posture_done(Posture *p) {
        if (!p)
                return;
        free(p->usr_root_hash);
        free(p->usr_signer);
        free(p->usr_keyring);
        free(p->ipe_policy);
        free(p->ipe_version);
        free(p->ipe_digest);
        free(p->profile_digest);
        *p = (Posture){};
}

/* The posture record, /run/hardenctl/posture.json: one encoding, written at boot and read by check, the
 * reports and the TPM measurement. Reading is strict: an unknown member, a wrong type or a malformed
 * value is an error naming the member, so that a record nobody wrote is never measured. */

#define POSTURE_JSON_MAX (64U * 1024U)

static const char *const posture_unknown_table[_POSTURE_UNKNOWN_N] = {
        "usr", "ipe", "selinux", "lockdown", "secureBoot", "auditLocked", "profileDigest",
};

const char *posture_unknown_to_string(PostureUnknown u) {
        for (unsigned i = 0; i < _POSTURE_UNKNOWN_N; i++)
                if (u == (PostureUnknown) (1U << i))
                        return posture_unknown_table[i];
        return NULL;
}

static int read_unknown(struct json_object *v, Posture *p, char **ret_error);

static struct json_object *string_or_null(const char *s) {
        return s ? json_object_new_string(s) : NULL;
}

static int add(struct json_object *o, const char *key, struct json_object *v, bool null_ok) {
        if (!v && !null_ok)
                return -ENOMEM;
        if (json_object_object_add(o, key, v) < 0) {
                json_object_put(v);
                return -ENOMEM;
        }
        return 0;
}

#define KNOWN(p, bit, v) (((p)->unknown & POSTURE_UNKNOWN_##bit) ? NULL : (v))

int posture_to_json(const Posture *p, char **ret) {
        _cleanup_(json_object_putp) struct json_object *j = json_object_new_object(), *usr = NULL, *ipe = NULL;
        const char *s;
        char *text;

        assert(p);
        assert(ret);

        if (!j)
                return -ENOMEM;
        if (p->usr_root_hash) {
                usr = json_object_new_object();
                if (!usr || add(usr, "device", json_object_new_string("usr"), false) < 0 ||
                    add(usr, "rootHash", json_object_new_string(p->usr_root_hash), false) < 0 ||
                    add(usr, "verified", json_object_new_boolean(p->usr_verified), false) < 0 ||
                    add(usr, "signed", json_object_new_boolean(p->usr_signed), false) < 0 ||
                    add(usr, "signer", string_or_null(p->usr_signer), true) < 0 ||
                    add(usr, "keyring", string_or_null(p->usr_keyring), true) < 0)
                        return -ENOMEM;
        }
        if (!(p->unknown & POSTURE_UNKNOWN_IPE)) {
                ipe = json_object_new_object();
                if (!ipe || add(ipe, "available", json_object_new_boolean(p->ipe_available), false) < 0 ||
                    add(ipe, "policy", string_or_null(p->ipe_policy), true) < 0 ||
                    add(ipe, "version", string_or_null(p->ipe_version), true) < 0 ||
                    add(ipe, "digest", string_or_null(p->ipe_digest), true) < 0 ||
                    add(ipe, "enforce", json_object_new_boolean(p->ipe_enforce), false) < 0)
                        return -ENOMEM;
        }

        /* What is not known is null. */
        s = posture_selinux_to_string(p->selinux);
        if (!s)
                return -EINVAL;
        if (add(j, "usr", TAKE_PTR(usr), true) < 0 || add(j, "ipe", TAKE_PTR(ipe), true) < 0 ||
            add(j, "selinux", KNOWN(p, SELINUX, json_object_new_string(s)), true) < 0)
                return -ENOMEM;
        s = posture_lockdown_to_string(p->lockdown);
        if (!s)
                return -EINVAL;
        if (add(j, "lockdown", KNOWN(p, LOCKDOWN, json_object_new_string(s)), true) < 0 ||
            add(j, "secureBoot", KNOWN(p, SECURE_BOOT, json_object_new_boolean(p->secure_boot)), true) < 0 ||
            add(j, "auditLocked", KNOWN(p, AUDIT_LOCKED, json_object_new_boolean(p->audit_locked)), true) < 0 ||
            add(j, "profileDigest", string_or_null(p->profile_digest), true) < 0)
                return -ENOMEM;
        if (p->unknown) {
                struct json_object *a = json_object_new_array();

                if (add(j, "unknown", a, false) < 0)
                        return -ENOMEM;
                for (unsigned i = 0; i < _POSTURE_UNKNOWN_N; i++)
                        if ((p->unknown & (1U << i)) &&
                            json_object_array_add(a, json_object_new_string(posture_unknown_to_string(1U << i))) < 0)
                                return -ENOMEM;
        }

        s = json_object_to_json_string_ext(j, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
        if (!s)
                return -ENOMEM;
        text = strdup(s);
        if (!text)
                return -ENOMEM;
        *ret = text;
        return 0;
}

static bool is_lower_hex(const char *s, size_t min, size_t max) {
        size_t n = strlen(s);

        if (n < min || n > max || n % 2 != 0)
                return false;
        return strspn(s, "0123456789abcdef") == n;
}

static bool is_sha256_digest(const char *s) {
        const char *h = startswith(s, "sha256:");

        return h && strlen(h) == 64 && is_lower_hex(h, 64, 64);
}

static bool is_fingerprint(const char *s) {
        return is_lower_hex(s, 64, 64);
}

static bool is_printable(const char *s) {
        return strlen(s) <= 256 && !string_has_cc(s);
}

typedef enum Kind {
        KIND_STRING,
        KIND_BOOL,
} Kind;

typedef struct Member {
        const char *name;
        Kind kind;
        size_t offset;
        bool (*valid)(const char *s);
        const char *expected;
} Member;

static bool valid_root_hash(const char *s) {
        return is_lower_hex(s, 32, 128);
}

static bool valid_device(const char *s) {
        return streq(s, "usr");
}

static bool valid_version(const char *s) {
        unsigned a, b, c;
        int n = 0;

        return sscanf(s, "%u.%u.%u%n", &a, &b, &c, &n) == 3 && (size_t) n == strlen(s);
}

#define M(name, kind, field, valid, expected) \
        { name, kind, offsetof(Posture, field), valid, expected }

static const Member usr_members[] = {
        { "device", KIND_STRING, SIZE_MAX, valid_device, "\"usr\"" },
        M("rootHash", KIND_STRING, usr_root_hash, valid_root_hash, "lowercase hexadecimal, 32 to 128 digits"),
        M("verified", KIND_BOOL, usr_verified, NULL, "true or false"),
        M("signed", KIND_BOOL, usr_signed, NULL, "true or false"),
        M("signer", KIND_STRING, usr_signer, is_fingerprint, "64 lowercase hexadecimal digits (SHA-256)"),
        M("keyring", KIND_STRING, usr_keyring, is_printable, "a keyring name"),
};

static const Member ipe_members[] = {
        M("available", KIND_BOOL, ipe_available, NULL, "true or false"),
        M("policy", KIND_STRING, ipe_policy, is_printable, "a policy name"),
        M("version", KIND_STRING, ipe_version, valid_version, "X.Y.Z"),
        M("digest", KIND_STRING, ipe_digest, is_sha256_digest, "sha256: and 64 lowercase hexadecimal digits"),
        M("enforce", KIND_BOOL, ipe_enforce, NULL, "true or false"),
};

static const Member top_members[] = {
        M("secureBoot", KIND_BOOL, secure_boot, NULL, "true or false"),
        M("auditLocked", KIND_BOOL, audit_locked, NULL, "true or false"),
        M("profileDigest", KIND_STRING, profile_digest, is_sha256_digest, "sha256: and 64 lowercase hexadecimal digits"),
};

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

/* Reads one member of a table into p. Returns 1 if name is in the table, 0 if not, -EBADMSG if malformed. */
static int read_member(const Member *table, size_t n, const char *prefix, const char *name, struct json_object *v,
                       Posture *p, char **ret_error) {
        for (size_t i = 0; i < n; i++) {
                const Member *m = table + i;
                char *s;

                if (!streq(m->name, name))
                        continue;
                if (!v) /* null: not known */
                        return 1;
                if (m->kind == KIND_BOOL) {
                        if (!json_object_is_type(v, json_type_boolean))
                                return fail(ret_error, "%s%s: expected true or false", prefix, name);
                        *(bool *) ((char *) p + m->offset) = json_object_get_boolean(v);
                        return 1;
                }
                if (!json_object_is_type(v, json_type_string) || !m->valid(json_object_get_string(v))) {
                        return fail(ret_error, "%s%s: expected %s", prefix, name, m->expected);
                }
                if (m->offset == SIZE_MAX)
                        return 1;
                s = strdup(json_object_get_string(v));
                if (!s)
                        return -ENOMEM;
                free(*(char **) ((char *) p + m->offset));
                *(char **) ((char *) p + m->offset) = s;
                return 1;
        }
        return 0;
}

static int read_object(struct json_object *o, const Member *table, size_t n, const char *prefix, Posture *p,
                       char **ret_error) {
        json_object_object_foreach(o, key, v) {
                int r = read_member(table, n, prefix, key, v, p, ret_error);

                if (r < 0)
                        return r;
                if (r == 0)
                        return fail(ret_error, "unknown member %s%s", prefix, key);
        }
        return 0;
}

static int read_unknown(struct json_object *v, Posture *p, char **ret_error) {
        size_t n;

        if (!v)
                return 0;
        if (!json_object_is_type(v, json_type_array))
                return fail(ret_error, "unknown: expected an array of member names");
        n = json_object_array_length(v);
        for (size_t i = 0; i < n; i++) {
                struct json_object *e = json_object_array_get_idx(v, i);
                unsigned k = 0;

                if (e && json_object_is_type(e, json_type_string))
                        for (; k < _POSTURE_UNKNOWN_N; k++)
                                if (streq(posture_unknown_table[k], json_object_get_string(e)))
                                        break;
                if (!e || !json_object_is_type(e, json_type_string) || k == _POSTURE_UNKNOWN_N)
                        return fail(ret_error,
                                    "unknown[%zu]: expected a member name (usr, ipe, selinux, lockdown, "
                                    "secureBoot, auditLocked, profileDigest)",
                                    i);
                p->unknown |= 1U << k;
        }
        return 0;
}

static struct json_object *parse_strict(const char *text, char **ret_error, int *ret) {
        struct json_tokener *tok;
        enum json_tokener_error e;
        struct json_object *j;
        size_t len = strlen(text);

        if (len > POSTURE_JSON_MAX) {
                *ret = fail(ret_error, "record larger than 64 KiB");
                return NULL;
        }
        tok = json_tokener_new();
        if (!tok) {
                *ret = -ENOMEM;
                return NULL;
        }
        json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
        j = json_tokener_parse_ex(tok, text, (int) len);
        e = json_tokener_get_error(tok);
        if (e == json_tokener_success &&
            strspn(text + json_tokener_get_parse_end(tok), " \t\r\n") != len - json_tokener_get_parse_end(tok))
                e = json_tokener_error_parse_unexpected;
        json_tokener_free(tok);
        if (e != json_tokener_success || !j) {
                json_object_put(j);
                *ret = fail(ret_error, "not a JSON document: %s",
                            e == json_tokener_success ? "unexpected end" : json_tokener_error_desc(e));
                return NULL;
        }
        if (!json_object_is_type(j, json_type_object)) {
                json_object_put(j);
                *ret = fail(ret_error, "expected a JSON object");
                return NULL;
        }
        *ret = 0;
        return j;
}

int posture_usr_signer_to_json(const char *root_hash, const char *fingerprint, const char *keyring, char **ret) {
        _cleanup_(json_object_putp) struct json_object *j = json_object_new_object();
        const char *s;

        assert(root_hash);
        assert(fingerprint);
        assert(ret);

        if (!j || add(j, "rootHash", json_object_new_string(root_hash), false) < 0 ||
            add(j, "certificateFingerprint", json_object_new_string(fingerprint), false) < 0 ||
            add(j, "keyring", string_or_null(keyring), true) < 0)
                return -ENOMEM;
        s = json_object_to_json_string_ext(j, JSON_C_TO_STRING_PLAIN);
        *ret = s ? strprintf("%s\n", s) : NULL;
        return *ret ? 0 : -ENOMEM;
}

int posture_usr_signer_from_json(const char *text, char **ret_root_hash, char **ret_fingerprint, char **ret_keyring) {
        _cleanup_(json_object_putp) struct json_object *j = NULL;
        _cleanup_free_ char *h = NULL, *f = NULL, *k = NULL;
        bool keyring_seen = false;
        int r;

        j = parse_strict(text, NULL, &r);
        if (!j)
                return r;
        json_object_object_foreach(j, key, v) {
                const char *s = v && json_object_is_type(v, json_type_string) ? json_object_get_string(v) : NULL;

                if (streq(key, "rootHash") && s && valid_root_hash(s) && !h)
                        h = strdup(s);
                else if (streq(key, "certificateFingerprint") && s && is_fingerprint(s) && !f)
                        f = strdup(s);
                else if (streq(key, "keyring") && !keyring_seen && (!v || (s && is_printable(s)))) {
                        keyring_seen = true;
                        if (s && !(k = strdup(s)))
                                return -ENOMEM;
                        continue;
                } else
                        return -EBADMSG;
                if ((streq(key, "rootHash") && !h) || (streq(key, "certificateFingerprint") && !f))
                        return -ENOMEM;
        }
        if (!h || !f)
                return -EBADMSG;
        *ret_root_hash = TAKE_PTR(h);
        *ret_fingerprint = TAKE_PTR(f);
        *ret_keyring = TAKE_PTR(k);
        return 0;
}

int posture_from_json(const char *text, Posture *ret, char **ret_error) {
        _cleanup_(json_object_putp) struct json_object *j = NULL;
        _cleanup_(posture_done) Posture p = {
                .selinux = POSTURE_SELINUX_DISABLED,
                .lockdown = POSTURE_LOCKDOWN_NONE,
        };
        int r;

        assert(text);
        assert(ret);

        if (ret_error)
                *ret_error = NULL;
        j = parse_strict(text, ret_error, &r);
        if (!j)
                return r;

        json_object_object_foreach(j, key, v) {
                if (streq(key, "usr")) {
                        if (!v)
                                continue;
                        if (!json_object_is_type(v, json_type_object))
                                return fail(ret_error, "%s: expected an object or null", key);
                        r = read_object(v, usr_members, ELEMENTSOF(usr_members), "usr.", &p, ret_error);
                        if (r < 0)
                                return r;
                        if (!p.usr_root_hash)
                                return fail(ret_error, "usr.rootHash: missing");
                } else if (streq(key, "ipe")) {
                        if (!v)
                                continue;
                        if (!json_object_is_type(v, json_type_object))
                                return fail(ret_error, "%s: expected an object or null", key);
                        r = read_object(v, ipe_members, ELEMENTSOF(ipe_members), "ipe.", &p, ret_error);
                        if (r < 0)
                                return r;
                } else if (streq(key, "selinux")) {
                        if (!v)
                                continue;
                        p.selinux = json_object_is_type(v, json_type_string) ?
                                            posture_selinux_from_string(json_object_get_string(v)) :
                                            _POSTURE_SELINUX_INVALID;
                        if (p.selinux < 0)
                                return fail(ret_error, "%s: expected enforcing, permissive or disabled", key);
                } else if (streq(key, "lockdown")) {
                        if (!v)
                                continue;
                        p.lockdown = json_object_is_type(v, json_type_string) ?
                                             posture_lockdown_from_string(json_object_get_string(v)) :
                                             _POSTURE_LOCKDOWN_INVALID;
                        if (p.lockdown < 0)
                                return fail(ret_error, "%s: expected none, integrity or confidentiality", key);
                } else if (streq(key, "unknown")) {
                        r = read_unknown(v, &p, ret_error);
                        if (r < 0)
                                return r;
                } else {
                        r = read_member(top_members, ELEMENTSOF(top_members), "", key, v, &p, ret_error);
                        if (r < 0)
                                return r;
                        if (r == 0)
                                return fail(ret_error, "unknown member %s", key);
                }
        }

        *ret = p;
        p = (Posture){};
        return 0;
}
