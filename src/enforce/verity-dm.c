/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <libdevmapper.h>

#include "parse-util.h"
#include "string-util.h"
#include "verity-dm.h"

DEFINE_TRIVIAL_CLEANUP_FUNC(struct dm_task *, dm_task_destroy);

void verity_table_done(VerityTable *t) {
        free(t->root_hash);
        free(t->algorithm);
        free(t->signature_key);
        *t = (VerityTable){};
}

/* The next word of a table line, which must be there: -EBADMSG if not. */
static int next_word(const char **q, char **ret) {
        int r = extract_first_word(q, ret);

        return r == -ENOMEM ? r : r <= 0 ? -EBADMSG : 0;
}

int verity_table_parse(const char *params, VerityTable *ret) {
        _cleanup_(verity_table_done) VerityTable t = { .on_corruption = "eio" };
        const char *q = params;
        unsigned n_opts = 0;
        int r;

        /* version data hash data_bs hash_bs data_blocks hash_start algorithm digest salt */
        for (int i = 0; i < 10; i++) {
                _cleanup_free_ char *w = NULL;

                r = next_word(&q, &w);
                if (r < 0)
                        return r;
                if (i == 7)
                        t.algorithm = TAKE_PTR(w);
                else if (i == 8) {
                        if (!hex_string_is_valid(w, 16, 64))
                                return -EBADMSG;
                        for (char *c = w; *c; c++)
                                *c = (char) (*c >= 'A' && *c <= 'F' ? *c - 'A' + 'a' : *c);
                        t.root_hash = TAKE_PTR(w);
                }
        }
        /* The optional parameters, counted: absent, there are none. */
        {
                _cleanup_free_ char *w = NULL;

                r = extract_first_word(&q, &w);
                if (r == -ENOMEM)
                        return r;
                if (r > 0 && safe_atou(w, &n_opts) < 0)
                        return -EBADMSG;
        }
        for (unsigned i = 0; i < n_opts; i++) {
                _cleanup_free_ char *w = NULL;

                r = next_word(&q, &w);
                if (r < 0)
                        return r;
                if (streq(w, "root_hash_sig_key_desc") && i + 1 < n_opts) {
                        free(t.signature_key);
                        t.signature_key = NULL;
                        r = next_word(&q, &t.signature_key);
                        if (r < 0)
                                return r;
                        i++;
                } else if (streq(w, "restart_on_corruption"))
                        t.on_corruption = "restart";
                else if (streq(w, "panic_on_corruption"))
                        t.on_corruption = "panic";
                else if (streq(w, "ignore_corruption"))
                        t.on_corruption = "ignore";
        }

        *ret = t;
        t = (VerityTable){};
        return 0;
}

/* The first target of NAME, as DM_DEVICE_TABLE or DM_DEVICE_STATUS gives it. */
static int dm_first_target(const char *name, int type, char **ret_params) {
        _cleanup_(dm_task_destroyp) struct dm_task *t = NULL;
        char *target = NULL, *params = NULL;
        uint64_t start, length;

        t = dm_task_create(type);
        if (!t)
                return -ENOMEM;
        if (!dm_task_set_name(t, name) || !dm_task_run(t))
                return -ENXIO;
        dm_get_next_target(t, NULL, &start, &length, &target, &params);
        if (!target || !streq(target, "verity") || !params)
                return -EMEDIUMTYPE;
        *ret_params = strdup(params);
        return *ret_params ? 0 : -ENOMEM;
}

int verity_dm_read(const char *name, VerityTable *ret_table, char **ret_status) {
        _cleanup_free_ char *table = NULL, *status = NULL;
        int r;

        r = dm_first_target(name, DM_DEVICE_TABLE, &table);
        if (r < 0)
                return r;
        r = dm_first_target(name, DM_DEVICE_STATUS, &status);
        if (r < 0)
                return r;
        r = verity_table_parse(table, ret_table);
        if (r < 0)
                return r;
        if (ret_status) {
                char *s = strdup(status[0] == 'V' ? "verified" : status[0] == 'C' ? "corrupted" : status);

                if (!s) {
                        verity_table_done(ret_table);
                        return -ENOMEM;
                }
                *ret_status = s;
        }
        return 0;
}
