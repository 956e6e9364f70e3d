/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include "json-util.h"
#include "profile-json.h"
#include "profile-schema.h"
#include "strv.h"

/* Kept apart from the key tables, so that what only parses profiles (the generators) does not link
 * json-c. */
static struct json_object *strv_to_json(char *const *l) {
        struct json_object *a = json_object_new_array();

        if (!a)
                return NULL;
        STRV_FOREACH(s, l)
                if (json_object_array_add(a, json_object_new_string(*s)) < 0) {
                        json_object_put(a);
                        return NULL;
                }
        return a;
}

int profile_key_to_json(const ProfileKey *k, const Profile *p, struct json_object **ret) {
        const void *field = (const uint8_t *) p + k->offset;
        struct json_object *j = NULL;

        switch (k->type) {
        case PV_STRING: {
                const char *s = *(char *const *) field;
                if (s && !(j = json_object_new_string(s)))
                        return -ENOMEM;
                break;
        }
        case PV_BOOL: {
                int b = *(const int *) field;
                if (b >= 0 && !(j = json_object_new_boolean(b)))
                        return -ENOMEM;
                break;
        }
        case PV_ENUM: {
                const char *s = enum_to_string(k->enums, *(const int *) field);
                if (s && !(j = json_object_new_string(s)))
                        return -ENOMEM;
                break;
        }
        case PV_UINT64: {
                uint64_t u = *(const uint64_t *) field;
                if (u != NUMBER_UNSET && !(j = json_object_new_uint64(u)))
                        return -ENOMEM;
                break;
        }
        case PV_ETC_SIZE: {
                const ProfileEtc *etc = field;
                if (etc->size_percent > 0) {
                        char buf[16];
                        snprintf(buf, sizeof(buf), "%u%%", etc->size_percent);
                        j = json_object_new_string(buf);
                } else if (etc->size_bytes != NUMBER_UNSET)
                        j = json_object_new_uint64(etc->size_bytes);
                else
                        break;
                if (!j)
                        return -ENOMEM;
                break;
        }
        case PV_WORDS:
        case PV_LINES:
                j = strv_to_json(*(char *const *const *) field);
                if (!j)
                        return -ENOMEM;
                break;
        default:
                return -EINVAL;
        }

        *ret = j;
        return 0;
}


int profile_to_json(const Profile *p, struct json_object **ret) {
        _cleanup_(json_object_putp) struct json_object *root = NULL, *sources = NULL;
        int r;

        root = json_object_new_object();
        sources = json_object_new_array();
        if (!root || !sources)
                return -ENOMEM;

        if (json_object_object_add(root, "schemaVersion", json_object_new_int(PROFILE_JSON_SCHEMA_VERSION)) < 0 ||
            json_object_object_add(root, "name", p->name ? json_object_new_string(p->name) : NULL) < 0)
                return -ENOMEM;

        STRV_FOREACH(s, p->sources)
                if (json_object_array_add(sources, json_object_new_string(*s)) < 0)
                        return -ENOMEM;
        if (json_object_object_add(root, "sources", TAKE_PTR(sources)) < 0)
                return -ENOMEM;

        for (size_t i = 0; i < profile_n_sections; i++) {
                _cleanup_(json_object_putp) struct json_object *section = json_object_new_object();

                if (!section)
                        return -ENOMEM;

                for (size_t j = 0; j < profile_sections[i].n_keys; j++) {
                        const ProfileKey *k = profile_sections[i].keys + j;
                        struct json_object *v = NULL;

                        r = profile_key_to_json(k, p, &v);
                        if (r < 0)
                                return r;
                        if (json_object_object_add(section, k->key, v) < 0) {
                                json_object_put(v);
                                return -ENOMEM;
                        }
                }

                if (json_object_object_add(root, profile_sections[i].name, TAKE_PTR(section)) < 0)
                        return -ENOMEM;
        }

        *ret = TAKE_PTR(root);
        return 0;
}
