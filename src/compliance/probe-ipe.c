/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* IPE's audit records in the audit trail: what was refused execution (or, with enforcement off, would
 * have been), grouped by path and by the program that tried. The audit log is read as the runtime
 * watcher reads its events (watch-event.h, libauparse). */

#include <stdlib.h>

#include "probe.h"
#include "string-util.h"
#include "watch-event.h"

#define IPE_AUDIT_LOG "/var/log/audit/audit.log"
#define IPE_AUDIT_LOG_MAX (64U * 1024U * 1024U)
#define IPE_GROUPS_MAX 1024U

static void counts_free(IpeCount *a, size_t n) {
        for (size_t i = 0; i < n; i++)
                free(a[i].name);
        free(a);
}

void ipe_denials_done(IpeDenials *d) {
        counts_free(d->by_path, d->n_by_path);
        counts_free(d->by_comm, d->n_by_comm);
        *d = (IpeDenials){};
}

/* Counts one more for name; past IPE_GROUPS_MAX names, the rest go uncounted by name (d->total has them). */
static int count(IpeCount **a, size_t *n, const char *name) {
        IpeCount *l;

        for (size_t i = 0; i < *n; i++)
                if (streq((*a)[i].name, name)) {
                        (*a)[i].count++;
                        return 0;
                }
        if (*n >= IPE_GROUPS_MAX)
                return 0;
        l = reallocarray(*a, *n + 1, sizeof(IpeCount));
        if (!l)
                return -ENOMEM;
        *a = l;
        l[*n] = (IpeCount){ .name = strdup(name), .count = 1 };
        if (!l[*n].name)
                return -ENOMEM;
        (*n)++;
        return 0;
}

static int by_count(const void *a, const void *b) {
        const IpeCount *x = a, *y = b;

        if (x->count != y->count)
                return x->count > y->count ? -1 : 1;
        return strcmp(x->name, y->name);
}

typedef struct DenialCounter {
        IpeDenials *d;
        uint64_t since_usec;
} DenialCounter;

static int count_denial(const WatchEvent *e, void *userdata) {
        DenialCounter *c = userdata;
        int r;

        if (!e->has_ipe || !e->ipe_deny || e->time_usec < c->since_usec)
                return 0;
        c->d->total++;
        if (e->ipe_enforcing == 0)
                c->d->audit_only++;
        r = count(&c->d->by_path, &c->d->n_by_path, e->ipe_path ?: "?");
        if (r < 0)
                return r;
        return count(&c->d->by_comm, &c->d->n_by_comm, e->ipe_comm ?: "?");
}

int ipe_denials_parse(const char *text, uint64_t since, IpeDenials *ret) {
        _cleanup_(ipe_denials_done) IpeDenials d = {};
        DenialCounter c = { .d = &d, .since_usec = since * 1000000ULL };
        int r;

        /* The watcher's reader: IPE's records (1420, "UNKNOWN[1420]" to auditd 3.0.9 and 4.0,
         * IPE_ACCESS to later ones) are read the same way in both. */
        r = watch_log_read(text, strlen(text), count_denial, &c);
        if (r < 0)
                return r;
        if (d.by_path)
                qsort(d.by_path, d.n_by_path, sizeof(IpeCount), by_count);
        if (d.by_comm)
                qsort(d.by_comm, d.n_by_comm, sizeof(IpeCount), by_count);
        *ret = d;
        d = (IpeDenials){};
        return 0;
}

/* When the kernel booted: btime of /proc/stat, 0 if unknown (every record counts then). */
static uint64_t boot_time(CheckContext *c) {
        _cleanup_free_ char *stat = NULL;
        const char *b;

        if (probe_read_file(c, "/proc/stat", 1024U * 1024U, &stat) < 0)
                return 0;
        b = strstr(stat, "\nbtime ");
        return b ? strtoull(b + STRLEN("\nbtime "), NULL, 10) : 0;
}

int probe_ipe_denials(CheckContext *c, IpeDenials *ret, const char **ret_source) {
        _cleanup_free_ char *text = NULL;
        int r;

        r = probe_read_file(c, IPE_AUDIT_LOG, IPE_AUDIT_LOG_MAX, &text);
        if (r < 0)
                return r;
        *ret_source = IPE_AUDIT_LOG;
        return ipe_denials_parse(text, boot_time(c), ret);
}
