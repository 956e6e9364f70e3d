/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <fcntl.h>
#include <sys/stat.h>

#include "fs-util.h"
#include "path-util.h"
#include "probe.h"
#include "string-util.h"

#define DPKG_STATUS "/var/lib/dpkg/status"
#define DPKG_STATUS_MAX (64U * 1024U * 1024U)

void dpkg_database_done(DpkgDatabase *db) {
        for (size_t i = 0; i < db->n; i++) {
                free(db->packages[i].name);
                free(db->packages[i].version);
                free(db->packages[i].status);
        }
        free(db->packages);
        *db = (DpkgDatabase){};
}

static int package_cmp(const void *a, const void *b) {
        return strcmp(((const DpkgPackage *) a)->name, ((const DpkgPackage *) b)->name);
}

/* By name, then in file order: qsort() is not stable, and the first stanza of a name must win. */
static int package_cmp_stable(const void *a, const void *b) {
        const DpkgPackage *x = a, *y = b;
        int r = package_cmp(a, b);

        return r != 0 ? r : x->stanza < y->stanza ? -1 : x->stanza > y->stanza;
}

/* The value of field (case-insensitive, as dpkg reads field names) on the line l…end, or NULL. */
static const char *field_value(const char *l, const char *end, const char *field) {
        size_t n = strlen(field);

        /* Most lines name another field: their first letter tells. */
        if ((l[0] | 0x20) != (field[0] | 0x20))
                return NULL;
        if ((size_t) (end - l) <= n || strncasecmp(l, field, n) != 0 || l[n] != ':')
                return NULL;
        return l + n + 1 + strspn(l + n + 1, " \t");
}

/* "install ok installed": the third word is the state; not-installed and config-files mean the
 * software is not there. */
static bool status_present(const char *status) {
        const char *s = strrchr(status, ' ');

        s = s ? s + 1 : status;
        return !streq(s, "not-installed") && !streq(s, "config-files");
}

typedef struct Stanza {
        const char *name, *version, *status;
        size_t name_len, version_len, status_len;
} Stanza;

static int stanza_push(DpkgDatabase *db, size_t *allocated, const Stanza *s) {
        DpkgPackage p = {};

        if (!s->name || !s->status)
                return 0;
        p.status = strndup(s->status, s->status_len);
        if (!p.status)
                return -ENOMEM;
        if (!status_present(p.status)) {
                free(p.status);
                return 0;
        }
        p.stanza = db->n;
        p.name = strndup(s->name, s->name_len);
        p.version = s->version ? strndup(s->version, s->version_len) : strdup("");
        if (!p.name || !p.version)
                goto oom;
        if (db->n >= *allocated) {
                size_t na = MAX(*allocated * 2, 256U);
                DpkgPackage *l = reallocarray(db->packages, na, sizeof(DpkgPackage));

                if (!l)
                        goto oom;
                db->packages = l;
                *allocated = na;
        }
        db->packages[db->n++] = p;
        return 0;
oom:
        free(p.name);
        free(p.version);
        free(p.status);
        return -ENOMEM;
}

int dpkg_parse(const char *text, DpkgDatabase *ret) {
        DpkgDatabase db = {};
        size_t allocated = 0, k = 0;
        Stanza s = {};
        int r;

        /* One pass over the file; only three fields are looked at. */
        for (const char *l = text; *l;) {
                const char *end = strchrnul(l, '\n');
                const char *v;

                if (end == l) {
                        r = stanza_push(&db, &allocated, &s);
                        if (r < 0)
                                goto fail;
                        s = (Stanza){};
                } else if (*l != ' ' && *l != '\t') {
                        if ((v = field_value(l, end, "Package"))) {
                                s.name = v;
                                s.name_len = end - v;
                        } else if ((v = field_value(l, end, "Status"))) {
                                s.status = v;
                                s.status_len = end - v;
                        } else if ((v = field_value(l, end, "Version"))) {
                                s.version = v;
                                s.version_len = end - v;
                        }
                }
                l = *end ? end + 1 : end;
        }
        r = stanza_push(&db, &allocated, &s);
        if (r < 0)
                goto fail;

        /* Sorted for lookups; the first stanza of a name wins (multi-arch packages appear once per
         * architecture). */
        if (db.n > 0) {
                qsort(db.packages, db.n, sizeof(DpkgPackage), package_cmp_stable);
                for (size_t i = 0; i < db.n; i++) {
                        if (k > 0 && streq(db.packages[k - 1].name, db.packages[i].name)) {
                                free(db.packages[i].name);
                                free(db.packages[i].version);
                                free(db.packages[i].status);
                                continue;
                        }
                        db.packages[k++] = db.packages[i];
                }
                db.n = k;
        }
        *ret = db;
        return 0;
fail:
        dpkg_database_done(&db);
        return r;
}

int probe_dpkg(CheckContext *c, const DpkgDatabase **ret) {
        if (!c->dpkg_done) {
                _cleanup_free_ char *text = NULL;

                c->dpkg_done = true;
                c->dpkg_r = probe_read_file(c, DPKG_STATUS, DPKG_STATUS_MAX, &text);
                if (c->dpkg_r >= 0)
                        c->dpkg_r = dpkg_parse(text, &c->dpkg);
        }
        if (c->dpkg_r < 0)
                return c->dpkg_r;
        *ret = &c->dpkg;
        return 0;
}

const DpkgPackage *dpkg_lookup(const DpkgDatabase *db, const char *name) {
        DpkgPackage key = { .name = (char *) name };

        if (db->n == 0)
                return NULL;
        return bsearch(&key, db->packages, db->n, sizeof(DpkgPackage), package_cmp);
}

static const char *const exec_dirs[] = {
        "/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin",
};

/* Which of exec_dirs to look in: those that exist, each directory once (with a merged /usr, /sbin and /bin
 * are /usr/sbin and /usr/bin, which come first). Found once per check. */
static unsigned exec_dirs_distinct(CheckContext *c) {
        struct stat seen[ELEMENTSOF(exec_dirs)];
        size_t n = 0;

        if (c->exec_dirs_done)
                return c->exec_dirs_mask;
        c->exec_dirs_done = true;
        for (size_t i = 0; i < ELEMENTSOF(exec_dirs); i++) {
                _cleanup_close_ int fd = open_in_root(c->root_fd, exec_dirs[i], O_PATH | O_DIRECTORY);
                struct stat st;
                bool dup = false;

                if (fd < 0 || fstat(fd, &st) < 0)
                        continue;
                for (size_t j = 0; j < n && !dup; j++)
                        dup = seen[j].st_dev == st.st_dev && seen[j].st_ino == st.st_ino;
                if (dup)
                        continue;
                seen[n++] = st;
                c->exec_dirs_mask |= 1U << i;
        }
        return c->exec_dirs_mask;
}

int probe_executable(CheckContext *c, const char *name, char **ret_path) {
        unsigned mask;

        if (!filename_is_valid(name))
                return -EINVAL;

        mask = exec_dirs_distinct(c);
        for (size_t i = 0; i < ELEMENTSOF(exec_dirs); i++) {
                _cleanup_free_ char *p = NULL;
                _cleanup_close_ int fd = -EBADF;
                struct stat st;

                if (!(mask & (1U << i)))
                        continue;
                p = strprintf("%s/%s", exec_dirs[i], name);
                if (!p)
                        return -ENOMEM;
                fd = open_in_root(c->root_fd, p, O_PATH);
                if (fd < 0)
                        continue;
                if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || (st.st_mode & 0111) == 0)
                        continue;
                if (ret_path)
                        *ret_path = TAKE_PTR(p);
                return 1;
        }
        return 0;
}

int result_packages_installed(CheckContext *c, ComplianceResult *x, const char *const *packages, size_t n) {
        const DpkgDatabase *db;
        bool all = true;
        int r;

        r = probe_dpkg(c, &db);
        if (r < 0)
                return r;
        for (size_t i = 0; i < n; i++) {
                const DpkgPackage *p = dpkg_lookup(db, packages[i]);

                r = result_evidence(x, "/var/lib/dpkg/status", check_tmp(c, "%s installed", packages[i]),
                                    p ? check_tmp(c, "%s %s", packages[i], p->version) : "not installed");
                if (r < 0)
                        return r;
                all = all && p;
        }
        return all;
}
