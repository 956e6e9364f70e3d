/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* The profile's diagnostics: their text, where each key was set, and the checks that span keys once the
 * profile is merged. */

#include "profile-load.h"
#include "profile-schema.h"
#include "string-util.h"

void profile_diags_done(ProfileDiags *d) {
        for (size_t i = 0; i < d->n; i++) {
                free(d->items[i].file);
                free(d->items[i].section);
                free(d->items[i].key);
                free(d->items[i].message);
        }
        d->items = mfree(d->items);
        d->n = 0;
}

char *profile_diag_format(const ProfileDiag *d) {
        _cleanup_free_ char *where = NULL, *what = NULL;

        if (d->file)
                where = d->line > 0 ? strprintf("%s:%u: ", d->file, d->line) : strprintf("%s: ", d->file);
        if (d->section)
                what = d->key ? strprintf("%s.%s: ", d->section, d->key) : strprintf("[%s]: ", d->section);
        if ((d->file && !where) || (d->section && !what))
                return NULL;

        return strprintf("%s%s%s", strempty(where), strempty(what), d->message);
}

int profile_key_where_set(ProfileKeyWhere *w, const char *file, unsigned line) {
        if (!w->file || !streq(w->file, file)) {
                char *f = strdup(file);

                if (!f)
                        return -ENOMEM;
                free(w->file);
                w->file = f;
        }
        w->line = line;
        return 0;
}

void profile_key_where_free(ProfileKeyWhere *w) {
        for (size_t i = 0; w && i < profile_n_keys(); i++)
                free(w[i].file);
        free(w);
}

static const ProfileKeyWhere *where_of(const ProfileKeyWhere *where, const char *section, const char *key) {
        const ProfileKey *k = profile_key_lookup(section, key);

        return k ? where + profile_key_index(k) : NULL;
}

int profile_check_coherence(const Profile *p, const ProfileKeyWhere *where, profile_coherence_t report, void *userdata) {
        const ProfileKeyWhere *mode = where_of(where, "Exec", "Mode"), *verity = where_of(where, "Usr", "Verity");
        _cleanup_free_ char *message = NULL;

        /* Enforcing the execution policy on a /usr that may boot unverified: where it does, the initrd
         * can only audit (hardenctl-ipe). */
        if (p->exec.mode == EXEC_ENFORCE && p->usr.verity == VERITY_OPTIONAL && mode && mode->file) {
                message = verity && verity->file ?
                                  strprintf("Mode=enforce, but [Usr] Verity=optional (%s:%u): a boot with an "
                                            "unverified /usr loads the policy audit only; set Verity=required",
                                            verity->file, verity->line) :
                                  strdup("Mode=enforce, but [Usr] Verity=optional: a boot with an unverified /usr "
                                         "loads the policy audit only; set Verity=required");
                if (!message)
                        return -ENOMEM;
                return report(mode->file, mode->line, "Exec", "Mode", message, userdata);
        }
        return 0;
}
