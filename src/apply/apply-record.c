/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* The record of the applied profile: where it is, how it is read and parsed, and its new text, planned
 * as the last file. Before the first change, apply writes an interim record (Incomplete=yes) that lists
 * every file the old record and the new one own: whenever apply is killed, the record on disk names
 * every file it may have written, and the next apply removes what its profile does not want. */

#include <time.h>

#include "apply-fs.h"
#include "path-util.h"
#include "plan-internal.h"
#include "string-util.h"
#include "strv.h"

const char *apply_record_dir(ApplyScope scope) {
        return scope == APPLY_RUNTIME ? "/run/hardenctl" : "/etc/hardenctl";
}

void apply_record_done(ApplyRecord *r) {
        free(r->profile);
        free(r->spec);
        free(r->digest);
        free(r->applied);
        strv_free(r->files);
        *r = (ApplyRecord){};
}

int apply_record_parse(const char *text, ApplyRecord *ret) {
        _cleanup_(apply_record_done) ApplyRecord rec = {};
        _cleanup_(strv_builder_done) StrvBuilder files = {};
        _cleanup_free_ char *copy = strdup(text);
        char *p, *line;

        if (!copy)
                return -ENOMEM;
        for (p = copy; (line = strsep(&p, "\n"));) {
                char *eq = strchr(line, '='), **field = NULL;

                if (line[0] == '#' || !*line)
                        continue;
                if (!eq)
                        return -EBADMSG;
                *eq = 0;
                if (streq(line, "Profile"))
                        field = &rec.profile;
                else if (streq(line, "Spec"))
                        field = &rec.spec;
                else if (streq(line, "Digest"))
                        field = &rec.digest;
                else if (streq(line, "Applied"))
                        field = &rec.applied;
                else if (streq(line, "Incomplete")) {
                        rec.incomplete = streq(eq + 1, "yes");
                        continue;
                } else if (streq(line, "File")) {
                        if (!path_is_absolute(eq + 1))
                                return -EBADMSG;
                        if (files.n >= APPLY_RECORD_FILES_MAX)
                                return -E2BIG;
                        if (strv_builder_extend(&files, eq + 1) < 0)
                                return -ENOMEM;
                        continue;
                } else
                        continue; /* written by a later version */
                free(*field);
                *field = strdup(eq + 1);
                if (!*field)
                        return -ENOMEM;
        }
        if (!rec.profile || !rec.digest)
                return -EBADMSG;
        rec.files = strv_builder_take(&files);
        *ret = rec;
        rec = (ApplyRecord){};
        return 0;
}

int plan_read_record(Builder *b, ApplyRecord *ret) {
        _cleanup_(file_state_done) FileState st = {};
        _cleanup_free_ char *path = strprintf("%s/%s", apply_record_dir(b->c->scope), APPLY_RECORD_NAME);
        int r;

        if (!path)
                return -ENOMEM;
        r = root_file_state(b->c->root_fd, path, APPLY_FILE_SIZE_MAX, &st);
        if (r < 0 || !st.exists || st.symlink || apply_record_parse(st.content, ret) < 0)
                *ret = (ApplyRecord){};
        return 0;
}

/* The text of a record of this apply owning files; incomplete: the interim record. */
static int record_text(Builder *b, char *const *files, bool incomplete, char **ret) {
        _cleanup_free_ char *text = NULL;
        size_t size = 0;
        FILE *f;
        int r;
        char when[64];
        struct tm tm;
        time_t t = (time_t) (b->c->now_usec / 1000000);

        if (!gmtime_r(&t, &tm) || strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
                return -EINVAL;

        f = open_memstream(&text, &size);
        if (!f)
                return -ENOMEM;
        fprintf(f,
                "# The profile hardenctl apply put in force, read by hardenctl status. Do not edit.\n"
                "Profile=%s\nSpec=%s\nDigest=%s\nApplied=%s\n",
                b->plan->profile_name, b->plan->spec, b->plan->digest, when);
        if (incomplete)
                fputs("# Written before the first change; replaced when the apply completes.\n"
                      "Incomplete=yes\n",
                      f);
        STRV_FOREACH(o, files)
                fprintf(f, "File=%s\n", *o);
        r = memstream_close(f, &text);
        if (r < 0)
                return r;
        *ret = TAKE_PTR(text);
        return 0;
}

/* Adds the directory of path to dirs. */
static int dirs_add(StrvBuilder *dirs, const char *path) {
        _cleanup_free_ char *dir = NULL, *name = NULL;
        int r;

        r = path_split_parent(path, &dir, &name);
        if (r < 0)
                return r == -ENOMEM ? r : 0;
        return strv_builder_consume(dirs, TAKE_PTR(dir));
}

/* The directories the sweep of stale temporary files covers: every place an apply may have written,
 * by the old record, the new one and this plan. A place the old record names is swept only if it is
 * one apply writes to (plan_owned_place()): the record is a file of the tree, not to be trusted with
 * more. */
static int plan_sweep_dirs(Builder *b, const ApplyRecord *old, const char *record_path) {
        _cleanup_(strv_builder_done) StrvBuilder dirs = {};
        int r;

        r = dirs_add(&dirs, record_path);
        if (r >= 0)
                r = plan_fixed_dirs(b, &dirs);
        for (size_t i = 0; r >= 0 && i < b->plan->n_files; i++)
                r = dirs_add(&dirs, b->plan->files[i].path);
        for (size_t i = 0; r >= 0 && i < b->owned.n; i++)
                r = dirs_add(&dirs, b->owned.l[i]);
        STRV_FOREACH(o, old->files)
                if (r >= 0 && plan_owned_place(b, *o, NULL, NULL) > 0)
                        r = dirs_add(&dirs, *o);
        if (r >= 0)
                r = strv_uniq_stable(dirs.l);
        if (r < 0)
                return r;
        b->plan->sweep_dirs = strv_builder_take(&dirs);
        return 0;
}

int plan_record(Builder *b, const ApplyRecord *old) {
        _cleanup_(strv_builder_done) StrvBuilder all = {};
        _cleanup_free_ char *text = NULL, *path = NULL;
        int r;

        path = strprintf("%s/%s", apply_record_dir(b->c->scope), APPLY_RECORD_NAME);
        if (!path)
                return -ENOMEM;
        r = plan_sweep_dirs(b, old, path);
        if (r < 0)
                return r;

        r = record_text(b, b->owned.l, false, &text);
        if (r < 0)
                return r;
        r = plan_want_file(b, path, "record of the applied profile", PLAN_FILE_REGULAR, text, NULL, true);
        if (r <= 0 || plan_n_changes(b->plan) == 1)
                return r; /* the record unchanged, or nothing but the record changes */

        /* The interim record: what the old one owns, and what the new one will. */
        STRV_FOREACH(o, old->files)
                if (strv_builder_extend(&all, *o) < 0)
                        return -ENOMEM;
        for (size_t i = 0; i < b->owned.n; i++)
                if (strv_builder_extend(&all, b->owned.l[i]) < 0)
                        return -ENOMEM;
        r = strv_uniq_stable(all.l);
        if (r < 0)
                return r;
        return record_text(b, all.l, true, &b->plan->record_interim);
}
