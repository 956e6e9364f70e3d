/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <fcntl.h>
#include <sys/utsname.h>
#include <fcntl.h>
#include <time.h>

#include "compliance-catalog.h"
#include "fs-util.h"
#include "probe.h"
#include "string-util.h"
#include "strv.h"
#include "time-util.h"

static int read_host_identity(CheckContext *c, HostIdentity *h) {
        _cleanup_free_ char *os = NULL;
        int r;

        if (probe_read_line(c, "/etc/machine-id", &h->machine_id) < 0)
                h->machine_id = NULL;

        r = probe_read_file(c, "/etc/os-release", 0, &os);
        if (r < 0)
                r = probe_read_file(c, "/usr/lib/os-release", 0, &os);
        if (r >= 0) {
                r = env_file_get(os, "PRETTY_NAME", &h->os_pretty_name);
                if (r == -ENOMEM)
                        return r;
                r = env_file_get(os, "ID", &h->os_id);
                if (r == -ENOMEM)
                        return r;
                r = env_file_get(os, "VERSION_ID", &h->os_version_id);
                if (r == -ENOMEM)
                        return r;
        }

        if (c->live) {
                struct utsname u;

                if (uname(&u) < 0)
                        return negative_errno();
                h->hostname = strdup(u.nodename);
                h->kernel = strdup(u.release);
                h->architecture = strdup(u.machine);
                if (!h->hostname || !h->kernel || !h->architecture)
                        return -ENOMEM;
        } else if (probe_read_line(c, "/etc/hostname", &h->hostname) < 0)
                h->hostname = NULL;
        return 0;
}

/* The runtime section, from the watcher's state file: on a live check, or from the file named. */
static int read_runtime(bool live, const ComplianceOptions *o, RuntimeWatch *w) {
        const char *path = o && o->watch_state ? o->watch_state : live ? WATCH_STATE_PATH : NULL;
        int r;

        if (!path)
                return 0;
        w->path = strdup(path);
        if (!w->path)
                return -ENOMEM;
        r = watch_state_read(AT_FDCWD, path, &w->state);
        if (r == -ENOMEM)
                return r;
        if (r < 0) {
                w->error = r;
                return 0;
        }
        w->read = true;
        w->running = watch_state_watcher_alive(&w->state);
        return 0;
}

/* The posture record of the boot, as it was written: reports carry it whatever it says. */
static void read_posture_record(int root_fd, ComplianceReport *rep) {
        _cleanup_close_ int fd = -EBADF;
        _cleanup_free_ char *text = NULL;
        size_t n;
        int r;

        fd = open_in_root_regular(root_fd, POSTURE_RECORD_PATH, O_RDONLY | O_NOCTTY);
        r = fd < 0 ? fd : read_full_fd(fd, 64U * 1024U, &text, &n);
        if (r >= 0)
                r = posture_from_json(text, &rep->posture_record, &rep->posture_record_error);
        rep->posture_record_state = r < 0 ? r : 0;
}

int compliance_check(const Profile *p, int root_fd, const char *root, const ComplianceOptions *o, ComplianceReport **ret) {
        _cleanup_(compliance_report_freep) ComplianceReport *rep = NULL;
        _cleanup_(check_context_done) CheckContext c = { .audit_fd = -EBADF };
        uint64_t start;
        int r;

        rep = new0(ComplianceReport, 1);
        if (!rep)
                return -ENOMEM;
        rep->schema_version = COMPLIANCE_SCHEMA_VERSION;
        rep->posture.signature = -1;
        start = now(CLOCK_MONOTONIC);
        rep->time_usec = o && o->fixed_time_usec ? o->fixed_time_usec : now(CLOCK_REALTIME);

        r = check_context_init(&c, p, rep, root_fd, root);
        if (r < 0)
                return r;
        rep->live = c.live;
        rep->root = strdup(root ?: "/");
        rep->profile_name = strdup(strempty(p->name));
        rep->profile_description = p->meta.description ? strdup(p->meta.description) : NULL;
        rep->profile_sources = strv_copy(p->sources);
        if (!rep->root || !rep->profile_name || (p->meta.description && !rep->profile_description) ||
            (p->sources && !rep->profile_sources))
                return -ENOMEM;
        r = profile_digest(p, &rep->profile_digest);
        if (r < 0)
                return r;
        r = read_host_identity(&c, &rep->host);
        if (r < 0)
                return r;
        read_posture_record(root_fd, rep);
        if (rep->posture_record_state == -ENOMEM)
                return -ENOMEM;

        for (size_t i = 0; i < compliance_n_rules; i++) {
                r = compliance_rules[i]->check(&c, compliance_rules[i]);
                check_tmp_clear(&c);
                if (r < 0)
                        return r;
        }

        r = read_runtime(c.live, o, &rep->runtime);
        if (r < 0)
                return r;

        r = compliance_report_make_utf8(rep);
        if (r < 0)
                return r;

        if (!(o && o->fixed_time_usec))
                rep->duration_usec = now(CLOCK_MONOTONIC) - start;
        *ret = TAKE_PTR(rep);
        return 0;
}
