/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <stddef.h>
#include <stdio.h>

#include "profile-schema.h"
#include "string-util.h"
#include "strv.h"
#include "unit-dropin.h"

static void put_bool(FILE *f, const char *key, int b) {
        if (b >= 0)
                fprintf(f, "%s=%s\n", key, b ? "yes" : "no");
}

/* One assignment per entry: for SystemCallFilter= and RestrictAddressFamilies=, a leading '~' inverts
 * only the assignment it starts, so "@system-service" then "~@privileged" must not share a line. */
static void put_list(FILE *f, const char *key, char *const *l) {
        STRV_FOREACH(s, l)
                fprintf(f, "%s=%s\n", key, *s);
}

/* Every [Services] key but Confine= and Mask= is the unit setting of the same name: the key table says
 * which, of which type, and in which order they are written. */
int unit_confinement_text(const Profile *p, char **ret) {
        const ProfileSection *section = profile_section_lookup("Services");
        char *buf = NULL;
        size_t size = 0;
        FILE *f;

        assert(section);
        f = open_memstream(&buf, &size);
        if (!f)
                return -ENOMEM;

        fputs("\n[Service]\n", f);
        for (const ProfileKey *k = section->keys; k < section->keys + section->n_keys; k++) {
                const void *field = (const uint8_t *) p + k->offset;

                if (k->offset == offsetof(Profile, services.confine) || k->offset == offsetof(Profile, services.mask))
                        continue;
                switch (k->type) {
                case PV_BOOL:
                        put_bool(f, k->key, *(const int *) field);
                        break;
                case PV_ENUM:
                        if (*(const int *) field >= 0)
                                fprintf(f, "%s=%s\n", k->key, enum_to_string(k->enums, *(const int *) field));
                        break;
                case PV_WORDS:
                        put_list(f, k->key, *(char **const *) field);
                        break;
                default:
                        assert(false); /* no other type in the section */
                }
        }

        if (memstream_close(f, &buf) < 0)
                return -ENOMEM;
        *ret = buf;
        return 0;
}

int unit_selinux_context_text(const char *context, char **ret) {
        char *t = strprintf("\n[Service]\nSELinuxContext=%s\n", context);

        if (!t)
                return -ENOMEM;
        *ret = t;
        return 0;
}

int selinux_context_entry_split(const char *entry, char **ret_unit, const char **ret_context) {
        const char *sp = strchr(entry, ' ');
        char *unit;

        if (!sp || sp == entry || isempty(sp + 1))
                return -EINVAL;
        unit = strndup(entry, sp - entry);
        if (!unit)
                return -ENOMEM;
        *ret_unit = unit;
        *ret_context = sp + 1;
        return 0;
}
