/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* The record of the applied profile: where it is, how it is read and parsed, and its new text, planned
 * as the last file. */

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
                else if (streq(line, "File")) {
                        if (!path_is_absolute(eq + 1) || strv_extend(&rec.files, eq + 1) < 0)
                                return path_is_absolute(eq + 1) ? -ENOMEM : -EBADMSG;
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

int plan_record(Builder *b) {
        _cleanup_free_ char *text = NULL, *path = NULL;
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
        STRV_FOREACH(o, b->owned)
                fprintf(f, "File=%s\n", *o);
        r = memstream_close(f, &text);
        if (r < 0)
                return r;
        path = strprintf("%s/%s", apply_record_dir(b->c->scope), APPLY_RECORD_NAME);
        if (!path)
                return -ENOMEM;
        return plan_want_file(b, path, "record of the applied profile", PLAN_FILE_REGULAR, text, NULL, true);
}
