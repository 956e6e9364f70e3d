/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include "profile-schema.h"
#include "profile.h"
#include "strv.h"

/* Storage is described once, by the key table: initialization and freeing walk it, so a new key
 * cannot be forgotten here. */

Profile *profile_new(void) {
        Profile *p = new0(Profile, 1);

        if (!p)
                return NULL;

        PROFILE_FOREACH_KEY(k) {
                void *field = (uint8_t *) p + k->offset;

                switch (k->type) {
                case PV_BOOL:
                case PV_ENUM:
                        *(int *) field = -1;
                        break;
                case PV_UINT64:
                        *(uint64_t *) field = NUMBER_UNSET;
                        break;
                case PV_ETC_SIZE:
                        ((ProfileEtc *) field)->size_bytes = NUMBER_UNSET;
                        ((ProfileEtc *) field)->size_percent = 0;
                        break;
                default:
                        break;
                }
        }
        return p;
}

Profile *profile_free(Profile *p) {
        if (!p)
                return NULL;

        PROFILE_FOREACH_KEY(k) {
                void *field = (uint8_t *) p + k->offset;

                if (k->type == PV_STRING)
                        free(*(char **) field);
                else if (profile_key_is_list(k))
                        strv_free(*(char ***) field);
        }

        free(p->name);
        strv_free(p->sources);
        strv_free(p->source_texts);
        return mfree(p);
}
