/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json-util.h"
#include "posture.h"
#include "string-util.h"

/* The posture record, /run/hardenctl/posture.json: one encoding, written at boot and read by check, the
 * reports and the TPM measurement. Reading is strict: an unknown member, a wrong type or a malformed
 * value is an error naming the member, so that a record nobody wrote is never measured. */

#define POSTURE_JSON_MAX (64U * 1024U)

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
                    add(usr, "signatureKey", string_or_null(p->usr_signature_key), true) < 0 ||
                    add(usr, "keyring", string_or_null(p->usr_keyring), true) < 0)
                        return -ENOMEM;
        }
        ipe = json_object_new_object();
        if (!ipe || add(ipe, "available", json_object_new_boolean(p->ipe_available), false) < 0 ||
            add(ipe, "policy", string_or_null(p->ipe_policy), true) < 0 ||
            add(ipe, "version", string_or_null(p->ipe_version), true) < 0 ||
            add(ipe, "digest", string_or_null(p->ipe_digest), true) < 0 ||
            add(ipe, "enforce", json_object_new_boolean(p->ipe_enforce), false) < 0)
                return -ENOMEM;

        s = posture_selinux_to_string(p->selinux);
        if (!s)
                return -EINVAL;
        if (add(j, "usr", TAKE_PTR(usr), true) < 0 || add(j, "ipe", TAKE_PTR(ipe), false) < 0 ||
            add(j, "selinux", json_object_new_string(s), false) < 0)
                return -ENOMEM;
        s = posture_lockdown_to_string(p->lockdown);
        if (!s)
                return -EINVAL;
        if (add(j, "lockdown", json_object_new_string(s), false) < 0 ||
            add(j, "secureBoot", json_object_new_boolean(p->secure_boot), false) < 0 ||
            add(j, "auditLocked", json_object_new_boolean(p->audit_locked), false) < 0 ||
            add(j, "profileDigest", string_or_null(p->profile_digest), true) < 0)
                return -ENOMEM;

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
        M("signatureKey", KIND_STRING, usr_signature_key, is_printable, "a key description"),
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

int posture_from_json(const char *text, Posture *ret, char **ret_error) {
        _cleanup_(json_object_putp) struct json_object *j = NULL;
        _cleanup_(posture_done) Posture p = {
                .selinux = POSTURE_SELINUX_DISABLED,
                .lockdown = POSTURE_LOCKDOWN_NONE,
        };
        struct json_tokener *tok;
        enum json_tokener_error e;
        size_t len;
        int r;

        assert(text);
        assert(ret);

        if (ret_error)
                *ret_error = NULL;
        len = strlen(text);
        if (len > POSTURE_JSON_MAX)
                return fail(ret_error, "record larger than 64 KiB");

        tok = json_tokener_new();
        if (!tok)
                return -ENOMEM;
        json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
        j = json_tokener_parse_ex(tok, text, (int) len);
        e = json_tokener_get_error(tok);
        if (e == json_tokener_success &&
            strspn(text + json_tokener_get_parse_end(tok), " \t\r\n") != len - json_tokener_get_parse_end(tok))
                e = json_tokener_error_parse_unexpected;
        json_tokener_free(tok);
        if (e != json_tokener_success || !j)
                return fail(ret_error, "not a JSON document: %s",
                            e == json_tokener_success ? "unexpected end" : json_tokener_error_desc(e));
        if (!json_object_is_type(j, json_type_object))
                return fail(ret_error, "expected a JSON object");

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
