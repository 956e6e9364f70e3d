/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "profile.h"

struct json_object;

typedef struct EnumInfo {
        const char *const *names; /* a string table (string-table.h) */
        size_t n;
} EnumInfo;

int enum_from_string(const EnumInfo *e, const char *s) _pure_;
const char *enum_to_string(const EnumInfo *e, int v) _pure_;

typedef enum ProfileValueType {
        PV_STRING,   /* char *, validated by item */
        PV_BOOL,     /* int tristate */
        PV_ENUM,     /* int, names in enums */
        PV_UINT64,   /* uint64_t */
        PV_ETC_SIZE, /* ProfileEtc size_bytes/size_percent */
        PV_WORDS,    /* char **: whitespace-separated words, each validated by item */
        PV_LINES,    /* char **: the whole value is one entry, validated by item */
        _PV_MAX,
} ProfileValueType;

typedef enum ProfileKeyFlags {
        /* An invalid value for this key is fatal also in lenient mode: it declares how strictly the
         * profile must be enforced, so skipping it could silently weaken the host. */
        KEY_FAIL_CLOSED = 1 << 0,
        /* Handled by the loader itself ([Profile] Inherit=). */
        KEY_LOADER = 1 << 1,
        /* A list whose values may start with '-' ("--" on the kernel command line, "-.mount"): there
         * "-VALUE" is a value, elsewhere it drops VALUE from the list. */
        KEY_DASH_VALUES = 1 << 2,
} ProfileKeyFlags;

/* Validates (and possibly normalizes) one string value or list entry. Returns 0 and sets *ret_value to
 * the string to store (NULL: store the input as it is), or <0 and sets *ret_reason. */
typedef int (*ProfileItemValidator)(const char *value, char **ret_value, char **ret_reason);

typedef struct ProfileKey {
        const char *section;
        const char *key;
        ProfileValueType type;
        size_t offset; /* into Profile */
        const EnumInfo *enums;
        ProfileItemValidator item;
        unsigned flags;
        const char *rules; /* ids of the compliance rules this key drives, space-separated */
} ProfileKey;

typedef struct ProfileSection {
        const char *name;
        /* True if the profile, as parsed, demands that this section be enforced without fail: in
         * lenient mode an invalid assignment in such a section is fatal rather than skipped. */
        bool (*required)(const Profile *p);
        const ProfileKey *keys; /* the section's key table */
        size_t n_keys;
} ProfileSection;

extern const ProfileSection profile_sections[];
extern const size_t profile_n_sections;

/* Every key of every section, section by section, in table order. */
#define PROFILE_FOREACH_KEY(k)                                                                                 \
        for (const ProfileSection *_s_ = profile_sections; _s_ < profile_sections + profile_n_sections; _s_++) \
                for (const ProfileKey *k = _s_->keys; k < _s_->keys + _s_->n_keys; k++)

/* The number of keys in all sections, and a key's position among them (0 … profile_n_keys() - 1). */
size_t profile_n_keys(void) _pure_;
size_t profile_key_index(const ProfileKey *k) _pure_;

const ProfileSection *profile_section_lookup(const char *name) _pure_;
const ProfileKey *profile_key_lookup(const char *section, const char *key) _pure_;
/* The same, in a section already looked up. */
const ProfileKey *profile_section_key_lookup(const ProfileSection *s, const char *key) _pure_;

static inline bool profile_key_is_list(const ProfileKey *k) {
        return k->type == PV_WORDS || k->type == PV_LINES;
}

/* Applies one assignment to p. An empty value resets the key (lists to empty, scalars to unset).
 * Returns 0, or -EINVAL with *ret_reason describing what is wrong, or -ENOMEM. */
int profile_key_apply(const ProfileKey *k, Profile *p, const char *value, char **ret_reason);

/* The key's value in p as JSON (NULL for unset). */
int profile_key_to_json(const ProfileKey *k, const Profile *p, struct json_object **ret);

/* Human-readable name of the key's type, and the accepted values for enums ("a, b, c"). */
const char *profile_value_type_to_string(ProfileValueType t) _const_;
