/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* IPE's audit records in the audit trail: what was refused execution (or, with enforcement off, would
 * have been), grouped by path and by the program that tried. */

#include <ctype.h>
#include <stdlib.h>

#include "parse-util.h"
#include "probe.h"
#include "string-util.h"

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

static int unhex(char c) {
        return isdigit((unsigned char) c)             ? c - '0' :
               (c | 0x20) >= 'a' && (c | 0x20) <= 'f' ? (c | 0x20) - 'a' + 10 :
                                                        -1;
}

/* The value of field in an audit record line: quoted ("…"), a bare word, or for a string the kernel
 * does not trust (untrusted: path, comm), hexadecimal when it is not quoted (the kernel's encoding of
 * values with spaces or quotes). */
static char *field(const char *line, const char *name, bool untrusted) {
        size_t n = strlen(name);

        for (const char *p = line; (p = strstr(p, name)); p += n) {
                const char *v = p + n, *e;

                if ((p != line && p[-1] != ' ') || *v != '=')
                        continue;
                v++;
                if (*v == '"') {
                        e = strchr(v + 1, '"');
                        return e ? strndup(v + 1, e - v - 1) : NULL;
                }
                e = v + strcspn(v, " \n");
                if (untrusted && e > v && (e - v) % 2 == 0) {
                        size_t m = (size_t) (e - v) / 2;
                        char *s = malloc(m + 1);

                        if (!s)
                                return NULL;
                        for (size_t i = 0; i < m; i++) {
                                int hi = unhex(v[2 * i]), lo = unhex(v[2 * i + 1]);

                                if (hi < 0 || lo < 0) {
                                        free(s);
                                        return strndup(v, e - v);
                                }
                                s[i] = (char) (hi << 4 | lo);
                        }
                        s[m] = 0;
                        return s;
                }
                return strndup(v, e - v);
        }
        return NULL;
}

int ipe_denials_parse(const char *text, uint64_t since, IpeDenials *ret) {
        _cleanup_(ipe_denials_done) IpeDenials d = {};
        int r;

        for (const char *l = text; *l;) {
                size_t n = strcspn(l, "\n");
                _cleanup_free_ char *line = strndup(l, n), *rule = NULL, *enforcing = NULL, *path = NULL, *comm = NULL;
                const char *ts;
                uint64_t sec = 0;

                l += n + (l[n] == '\n');
                if (!line)
                        return -ENOMEM;
                /* auditd 4.0 does not know the type (UNKNOWN[1420]); later ones call it IPE_ACCESS. */
                if (!startswith(line, "type=UNKNOWN[1420] ") && !startswith(line, "type=IPE_ACCESS ") &&
                    !startswith(line, "type=1420 "))
                        continue;
                ts = strstr(line, "msg=audit(");
                if (ts)
                        sec = strtoull(ts + STRLEN("msg=audit("), NULL, 10);
                if (sec < since)
                        continue;
                rule = field(line, "rule", false);
                if (!rule || !strstr(rule, "action=DENY"))
                        continue;
                enforcing = field(line, "enforcing", false);
                path = field(line, "path", true);
                comm = field(line, "comm", true);

                d.total++;
                if (enforcing && streq(enforcing, "0"))
                        d.audit_only++;
                r = count(&d.by_path, &d.n_by_path, path ?: "?");
                if (r >= 0)
                        r = count(&d.by_comm, &d.n_by_comm, comm ?: "?");
                if (r < 0)
                        return r;
        }
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
