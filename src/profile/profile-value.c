/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* One assignment's value put into the profile: checked by the key's validator, parsed by its type
 * (booleans, enums, numbers, sizes, lists that append and reset), and stored in the field the key table
 * names. */

#include "parse-util.h"
#include "profile-lexer.h"
#include "profile-schema.h"
#include "string-util.h"
#include "strv.h"

static int apply_item(const ProfileKey *k, const char *v, char **ret_value, char **ret_reason) {
        _cleanup_free_ char *normalized = NULL;
        int r;

        if (k->item) {
                r = k->item(v, &normalized, ret_reason);
                if (r < 0)
                        return r;
        }
        if (!normalized) {
                normalized = strdup(v);
                if (!normalized)
                        return -ENOMEM;
        }
        *ret_value = TAKE_PTR(normalized);
        return 0;
}

/* The same for a value of our own: *v is taken (and NULL) on success, unless the validator gave a
 * normalized copy. */
static int apply_item_consume(const ProfileKey *k, char **v, char **ret_value, char **ret_reason) {
        char *normalized = NULL;
        int r;

        if (k->item) {
                r = k->item(*v, &normalized, ret_reason);
                if (r < 0)
                        return r;
        }
        *ret_value = normalized ?: TAKE_PTR(*v);
        return 0;
}

static int apply_etc_size(ProfileEtc *etc, const char *v, char **ret_reason) {
        unsigned pct;
        uint64_t bytes;

        if (isempty(v)) {
                etc->size_bytes = NUMBER_UNSET;
                etc->size_percent = 0;
                return 0;
        }
        if (endswith(v, "%")) {
                if (parse_percent(v, &pct) < 0 || pct == 0)
                        return reason_fail(ret_reason, "invalid percentage '%s', expected 1%% to 100%%", v);
                etc->size_percent = pct;
                etc->size_bytes = NUMBER_UNSET;
                return 0;
        }
        if (parse_size(v, &bytes) < 0 || bytes < 1024 * 1024)
                return reason_fail(
                        ret_reason,
                        "invalid size '%s', expected at least 1M (K, M, G, T suffixes) or a percentage of memory", v);
        etc->size_bytes = bytes;
        etc->size_percent = 0;
        return 0;
}

static char *enum_alternatives(const EnumInfo *e) {
        _cleanup_strv_free_ char **l = NULL;

        for (size_t i = 0; i < e->n; i++)
                if (strv_extend(&l, e->names[i]) < 0)
                        return NULL;
        return strv_join(l, ", ");
}

int profile_key_apply(const ProfileKey *k, Profile *p, const char *value, char **ret_reason) {
        void *field = (uint8_t *) p + k->offset;
        int r;

        assert(k);
        assert(p);
        assert(value);

        switch (k->type) {

        case PV_STRING: {
                char **s = field;
                char *n;

                if (isempty(value)) {
                        *s = mfree(*s);
                        return 0;
                }
                r = apply_item(k, value, &n, ret_reason);
                if (r < 0)
                        return r;
                free(*s);
                *s = n;
                return 0;
        }

        case PV_BOOL: {
                int *b = field;

                if (isempty(value)) {
                        *b = TRISTATE_UNSET;
                        return 0;
                }
                r = parse_boolean(value);
                if (r < 0)
                        return reason_fail(ret_reason, "invalid boolean '%s', expected yes or no", value);
                *b = r;
                return 0;
        }

        case PV_ENUM: {
                int *e = field;
                _cleanup_free_ char *alt = NULL;

                if (isempty(value)) {
                        *e = ENUM_UNSET;
                        return 0;
                }
                r = enum_from_string(k->enums, value);
                if (r >= 0) {
                        *e = r;
                        return 0;
                }
                alt = enum_alternatives(k->enums);
                return reason_fail(ret_reason, "invalid value '%s', expected one of: %s", value, strna(alt));
        }

        case PV_UINT64: {
                uint64_t *u = field, v;

                if (isempty(value)) {
                        *u = NUMBER_UNSET;
                        return 0;
                }
                r = safe_atou64(value, &v);
                if (r < 0 || v >= UINT32_MAX)
                        return reason_fail(ret_reason, "invalid number '%s', expected 0 to %u", value, UINT32_MAX - 1);
                if (k->item) { /* a narrower range; the validator only judges */
                        _cleanup_free_ char *ignored = NULL;

                        r = k->item(value, &ignored, ret_reason);
                        if (r < 0)
                                return r;
                }
                *u = v;
                return 0;
        }

        case PV_ETC_SIZE:
                return apply_etc_size(field, value, ret_reason);

        case PV_WORDS:
        case PV_LINES: {
                char ***l = field, **c;
                _cleanup_strv_free_ char **add = NULL, **drop = NULL;
                size_t n_old, n_add;

                if (isempty(value)) {
                        *l = strv_free(*l);
                        return 0;
                }

                if (k->type == PV_LINES) {
                        char *n;

                        r = apply_item(k, value, &n, ret_reason);
                        if (r < 0)
                                return r;
                        r = strv_consume(&add, n);
                        if (r < 0)
                                return r;
                } else
                        for (const char *s = value;;) {
                                _cleanup_free_ char *w = NULL;
                                char *n;

                                r = extract_first_word(&s, &w);
                                if (r == -ENOMEM)
                                        return r;
                                if (r < 0)
                                        return reason_fail(ret_reason,
                                                           "unbalanced quotes or trailing backslash in '%s'", value);
                                if (r == 0)
                                        break;
                                if (w[0] == '-' && !FLAGS_SET(k->flags, KEY_DASH_VALUES)) {
                                        /* "-VALUE" drops VALUE from the list. */
                                        r = apply_item(k, w + 1, &n, ret_reason);
                                        if (r < 0)
                                                return r;
                                        r = strv_consume(&drop, n);
                                        if (r < 0)
                                                return r;
                                        continue;
                                }
                                r = apply_item_consume(k, &w, &n, ret_reason);
                                if (r < 0)
                                        return r;
                                r = strv_consume(&add, n);
                                if (r < 0)
                                        return r;
                        }
                STRV_FOREACH(d, drop)
                        if (!strv_contains(*l, *d) && !strv_contains(add, *d))
                                return reason_fail(ret_reason, "'-%s' drops '%s', which is not in the list", *d, *d);
                strv_remove_all(*l, drop);
                strv_remove_all(add, drop);
                if (strv_length(*l) == 0)
                        *l = strv_free(*l);

                /* Only once every word is valid: an assignment is applied whole or not at all. */
                n_old = strv_length(*l);
                n_add = strv_length(add);
                if (n_old + n_add > PROFILE_LIST_MAX)
                        return reason_fail(ret_reason, "more than %u entries", PROFILE_LIST_MAX);
                if (n_add == 0)
                        return 0;

                /* Room for all of them at once; the new entries move over, those already there
                 * (or earlier in add) are dropped. */
                c = reallocarray(*l, n_old + n_add + 1, sizeof(char *));
                if (!c)
                        return -ENOMEM;
                c[n_old] = NULL;
                *l = c;
                for (size_t i = 0; i < n_add; i++) {
                        if (strv_contains(c, add[i]))
                                free(add[i]);
                        else {
                                c[n_old++] = add[i];
                                c[n_old] = NULL;
                        }
                }
                add = mfree(add);
                return 0;
        }

        default:
                assert(false);
                return -EINVAL;
        }
}
