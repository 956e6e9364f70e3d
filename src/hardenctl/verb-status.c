/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <fcntl.h>
#include <inttypes.h>
#include <time.h>


#include "apply-common.h"
#include "apply-fs.h"
#include "hardenctl.h"
#include "json-util.h"
#include "log.h"
#include "string-util.h"
#include "strv.h"
#include "time-util.h"
#include "test-hooks.h"
#include "utf8.h"
#include "watch-state.h"

/* Adds key: a string made valid UTF-8 (a path from the command line may be anything), or null. */
static int add_string(struct json_object *o, const char *key, const char *value) {
        _cleanup_free_ char *v = NULL;

        if (!value)
                return json_object_object_add(o, key, NULL);
        v = strdup(value);
        if (!v || utf8_make_valid(&v) < 0)
                return -ENOMEM;
        return json_object_object_add(o, key, json_object_new_string(v)) < 0 ? -ENOMEM : 0;
}

/* The watcher's state file: $HARDENCTL_TEST_WATCH_STATE with test hooks, or WATCH_STATE_PATH; none
 * below --root (its state is the running system's). */
static const char *watch_state_path(void) {
        if (arg_root)
                return NULL;
        return test_hook_env("HARDENCTL_TEST_WATCH_STATE") ?: WATCH_STATE_PATH;
}

/* The runtime watcher: whether it runs, what it read, and how far behind the audit trail it is (the
 * age of the newest event it has read when it last wrote its state, and the age of that state). */
static void print_watcher(void) {
        const char *path = watch_state_path();
        _cleanup_(watch_state_done) WatchState s = {};
        uint64_t t = now(CLOCK_REALTIME), total = 0;
        int r;

        if (!path)
                return;
        r = watch_state_read(AT_FDCWD, path, &s);
        if (r == -ENOENT) {
                printf("Watcher: not running (no state in %s)\n", path);
                return;
        }
        if (r < 0) {
                printf("Watcher: unknown (%s: %s)\n", path, strerror(-r));
                return;
        }
        for (AnomalyKind k = 0; k < _ANOMALY_KIND_MAX; k++)
                total += s.count[k];
        printf("Watcher: %s (pid %" PRIi64 ", from %s), %" PRIu64 " events, %" PRIu64 " unparsable, %" PRIu64
               " anomalies since boot\n",
               watch_state_watcher_alive(&s) ? "running" : "not running", s.pid, strna(s.source), s.events,
               s.unparsable, total);
        if (s.last_event_usec > 0)
                printf("         newest event read %.1fs before the state was written, %.1fs ago\n",
                       s.updated_usec > s.last_event_usec ? (s.updated_usec - s.last_event_usec) / 1e6 : 0.0,
                       t > s.updated_usec ? (t - s.updated_usec) / 1e6 : 0.0);
}

/* What status found, as JSON: the record, the state, and each difference as the plan has it. */
static int status_json(const ApplyRecord *rec, ApplyScope found, const Plan *plan, size_t drift, bool digest_ok) {
        _cleanup_(json_object_putp) struct json_object *o = json_object_new_object();
        struct json_object *diffs, *notes;
        int r = 0;

        if (!o)
                return log_oom();
        if (!rec)
                return json_object_object_add(o, "applied", json_object_new_boolean(false)) < 0 ? log_oom() :
                                                                                                  json_print(o);

        if (json_object_object_add(o, "applied", json_object_new_boolean(true)) < 0)
                return log_oom();
        if (add_string(o, "profile", rec->profile) < 0 || add_string(o, "spec", rec->spec) < 0 ||
            add_string(o, "digest", rec->digest) < 0 || add_string(o, "appliedAt", rec->applied) < 0 ||
            add_string(o, "scope", apply_scope_to_string(found)) < 0 || add_string(o, "currentDigest", plan->digest) < 0 ||
            add_string(o, "state",
                       rec->incomplete         ? "interrupted" :
                       drift == 0 && digest_ok ? "in-force" :
                                                 "drifted") < 0 ||
            json_object_object_add(o, "profileChanged", json_object_new_boolean(!digest_ok)) < 0)
                return log_oom();
        diffs = json_object_new_array();
        notes = json_object_new_array();
        if (json_object_object_add(o, "differences", diffs) < 0 || json_object_object_add(o, "notes", notes) < 0)
                return log_oom();

        for (size_t i = 0; i < plan->n_files && r >= 0; i++) {
                const PlanFile *f = plan->files + i;
                struct json_object *d;

                if (f->record)
                        continue;
                d = json_object_new_object();
                if (!d || json_object_array_add(diffs, d) < 0) {
                        json_object_put(d);
                        return log_oom();
                }
                r = add_string(d, "kind", "file");
                if (r >= 0)
                        r = add_string(d, "path", f->path);
                if (r >= 0)
                        r = add_string(d, "purpose", f->purpose);
                if (r >= 0)
                        r = add_string(d, "change", !f->new ? "remove" : !f->exists ? "create" : "replace");
        }
        for (size_t i = 0; i < plan->n_live && r >= 0; i++) {
                _cleanup_free_ char *s = plan_live_describe(plan->live + i);
                struct json_object *d = json_object_new_object();

                if (!s || !d || json_object_array_add(diffs, d) < 0) {
                        json_object_put(d);
                        return log_oom();
                }
                r = add_string(d, "kind", "live");
                if (r >= 0)
                        r = add_string(d, "change", s);
        }
        STRV_FOREACH(n, plan->notes) {
                _cleanup_free_ char *v = strdup(*n);
                struct json_object *s = NULL;

                if (r < 0 || !v || utf8_make_valid(&v) < 0 || !(s = json_object_new_string(v)) ||
                    json_object_array_add(notes, s) < 0) {
                        json_object_put(s);
                        return log_oom();
                }
        }
        if (r < 0)
                return log_oom();
        return json_print(o);
}

/* The record in force: with --runtime only /run's; otherwise /run's if there is one (it was applied
 * later, over /etc's), else /etc's. */
static int read_record(int root_fd, ApplyScope scope, ApplyRecord *ret, ApplyScope *ret_scope) {
        static const ApplyScope order[] = { APPLY_RUNTIME, APPLY_HOST };

        for (size_t i = 0; i < ELEMENTSOF(order); i++) {
                _cleanup_(file_state_done) FileState st = {};
                _cleanup_free_ char *path = NULL;
                int r;

                if ((scope == APPLY_IMAGE && order[i] == APPLY_RUNTIME) ||
                    (scope == APPLY_RUNTIME && order[i] != APPLY_RUNTIME))
                        continue;
                path = strprintf("%s/%s", apply_record_dir(order[i]), APPLY_RECORD_NAME);
                if (!path)
                        return log_oom();
                r = root_file_state(root_fd, path, APPLY_FILE_SIZE_MAX, &st);
                if (r < 0)
                        return log_error_errno(r, "Cannot read %s: %m", path);
                if (!st.exists)
                        continue;
                if (st.symlink)
                        return log_error_errno(-ELOOP, "%s is a symbolic link; refusing to follow it.", path);
                r = apply_record_parse(st.content, ret);
                if (r < 0)
                        return log_error_errno(r, "%s is not a record of hardenctl apply: %m", path);
                *ret_scope = scope == APPLY_IMAGE ? APPLY_IMAGE : order[i];
                return 1;
        }
        return 0;
}

int verb_status(int argc, char *argv[]) {
        _cleanup_(apply_record_done) ApplyRecord rec = {};
        _cleanup_(profile_freep) Profile *p = NULL;
        _cleanup_(plan_freep) Plan *plan = NULL;
        _cleanup_(live_state_done) LiveState live = LIVE_STATE_NULL;
        _cleanup_free_ char *error = NULL, *spec = NULL;
        _cleanup_close_ int root_fd = -EBADF, lock_fd = -EBADF;
        ApplyScope scope = apply_scope_from_args(), found = scope;
        size_t drift = 0;
        bool digest_ok, in_force;
        int audit_fd = -1, r;

        r = test_hooks_refuse_env();
        if (r < 0)
                return r;

        root_fd = open(arg_root ?: "/", O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (root_fd < 0)
                return log_error_errno(errno, "Cannot open root directory %s: %m", arg_root ?: "/");

        /* Shared with other readers; never while an apply is half-way. */
        r = apply_lock(root_fd, scope, /* shared= */ true, &lock_fd);
        if (r < 0)
                return r;

        r = read_record(root_fd, scope, &rec, &found);
        if (r < 0)
                return r;
        if (r == 0) {
                if (arg_json != JSON_OFF)
                        return status_json(NULL, scope, NULL, 0, true) < 0 ? EXIT_FAILED : EXIT_OK;
                printf("No profile has been applied%s.\n", scope == APPLY_RUNTIME ? " at run time" : "");
                print_watcher();
                return EXIT_OK;
        }

        /* The profile to compare with: the one given on the command line, or the one the record names.
         * Below --root the record is a file of the tree, and what it names is looked for in the tree
         * only: never a file of the host a tree chose. */
        if (argc > 1)
                r = apply_spec_absolute(argv[1], &spec);
        else
                r = (spec = strdup(rec.spec ?: rec.profile)) ? 0 : -ENOMEM;
        if (r < 0)
                return log_oom();
        r = apply_load_profile(root_fd, spec, /* spec_in_root= */ argc <= 1 && arg_root, &p);
        if (r != 0) {
                log_error("Profile %s, applied %s, cannot be loaded %s.", rec.profile, strna(rec.applied),
                          argc <= 1 && arg_root ? "from inside the root (name it on the command line)" : "any more");
                return r;
        }

        r = apply_live_state(found, &live, &audit_fd);
        if (r < 0)
                return log_error_errno(r, "Cannot read the live state: %m");
        {
                PlanContext c = {
                        .scope = found,
                        .root_fd = root_fd,
                        .live = found == APPLY_IMAGE ? NULL : &live,
                };

                r = plan_build(p, argc > 1 ? spec : rec.spec ?: rec.profile, &c, &plan, &error);
        }
        if (audit_fd >= 0)
                audit_close(audit_fd);
        if (r < 0)
                return log_error_errno(r, "Cannot compare the host with profile %s: %s", rec.profile,
                                       error ?: strerror(-r));

        /* The record itself is not state: what it says is checked below. */
        for (size_t i = 0; i < plan->n_files; i++)
                drift += !plan->files[i].record;
        drift += plan->n_live;
        digest_ok = streq(plan->digest, rec.digest);

        /* An apply that did not complete is not in force, whatever the files say. */
        in_force = drift == 0 && digest_ok && !rec.incomplete;

        if (arg_json != JSON_OFF) {
                r = status_json(&rec, found, plan, drift, digest_ok);
                if (r < 0)
                        return r;
                return in_force ? EXIT_OK : EXIT_NOT_COMPLIANT;
        }

        printf("Profile: %s\n", rec.profile);
        if (rec.spec && !streq(rec.spec, rec.profile))
                printf("   From: %s\n", rec.spec);
        printf("Applied: %s%s\n", strna(rec.applied), found == APPLY_RUNTIME ? " (run time only)" : "");
        printf(" Digest: %s%s\n", rec.digest, digest_ok ? "" : " — the profile's sources changed since");
        if (rec.incomplete)
                printf("  State: interrupted (the apply did not complete; apply a profile again)\n");
        else if (drift == 0 && digest_ok)
                printf("  State: in force\n");
        else
                printf("  State: drifted (%zu difference%s%s)\n", drift, drift == 1 ? "" : "s",
                       digest_ok ? "" : ", and a changed profile");
        print_watcher();

        if (drift > 0 && !arg_quiet) {
                putchar('\n');
                /* The record is shown only when something else drifted. */
                r = plan_show(plan, stdout);
                if (r < 0)
                        return log_error_errno(r, "Cannot show the differences: %m");
        } else if (plan->notes && !arg_quiet) {
                putchar('\n');
                (void) plan_show(plan, stdout);
        }

        return in_force ? EXIT_OK : EXIT_NOT_COMPLIANT;
}
