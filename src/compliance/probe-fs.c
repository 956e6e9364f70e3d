/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <dirent.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <unistd.h>

#include "fs-util.h"
#include "kernel-util.h"
#include "path-util.h"
#include "probe.h"
#include "string-util.h"
#include "strv.h"
#include "sysctl-util.h"

#define PROBE_FILE_MAX (4U * 1024U * 1024U)
#define PROBE_CACHE_FILE_MAX (64U * 1024U)   /* the largest file kept for a second read */
#define PROBE_CACHE_MAX (4U * 1024U * 1024U) /* all of them */

/* What probe_read_file() read, or that the file does not exist: several rules read login.defs,
 * auditd.conf or sshd_config, and each read costs eight system calls. */
typedef struct ProbeFile {
        char *path;
        char *text; /* NULL: the file does not exist */
        size_t size;
} ProbeFile;

void probe_files_free(ProbeFile *f, size_t n) {
        for (size_t i = 0; i < n; i++) {
                free(f[i].path);
                free(f[i].text);
        }
        free(f);
}

static int read_cached(CheckContext *c, const char *path, size_t max, char **ret) {
        for (size_t i = 0; i < c->n_files; i++) {
                const ProbeFile *f = c->files + i;
                char *t;

                if (!streq(f->path, path))
                        continue;
                if (!f->text)
                        return -ENOENT;
                if (f->size > max)
                        return -EFBIG;
                t = memdup_suffix0(f->text, f->size);
                if (!t)
                        return -ENOMEM;
                *ret = t;
                return 0;
        }
        return 1; /* not read yet */
}

/* Keeps what was read (text may be NULL: absent), for the rules that read it again: configuration files,
 * which are small; the big ones have their own parsed caches. Best effort, and bounded. */
static void remember(CheckContext *c, const char *path, const char *text, size_t size) {
        ProbeFile *grown, f;

        if (size > PROBE_CACHE_FILE_MAX || c->files_bytes + size > PROBE_CACHE_MAX)
                return;
        grown = array_grow_pow2(c->files, c->n_files, sizeof(ProbeFile));
        f = (ProbeFile){ .path = strdup(path), .text = text ? memdup_suffix0(text, size) : NULL, .size = size };
        if (!grown || !f.path || (text && !f.text)) {
                if (grown)
                        c->files = grown;
                free(f.path);
                free(f.text);
                return;
        }
        c->files = grown;
        c->files[c->n_files++] = f;
        c->files_bytes += size;
}

int probe_read_file(CheckContext *c, const char *path, size_t max, char **ret) {
        _cleanup_close_ int fd = -EBADF;
        _cleanup_free_ char *text = NULL;
        size_t n;
        int r;

        max = max ?: PROBE_FILE_MAX;
        r = read_cached(c, path, max, ret);
        if (r <= 0)
                return r;

        /* Only a regular file is ever opened: a device node or a FIFO planted in a tree is not. Each
         * file is bounded (max), and so is all a check reads (c->read_left). */
        fd = open_in_root_regular(c->root_fd, path, O_RDONLY | O_NOCTTY | O_NONBLOCK);
        if (fd == -ENOENT)
                remember(c, path, NULL, 0);
        if (fd < 0)
                return fd;
        if (c->read_left == 0)
                return -E2BIG;
        r = read_full_fd(fd, MIN(max, c->read_left), &text, &n);
        if (r == -EFBIG && c->read_left < max)
                return -E2BIG; /* the budget, not the file's own limit */
        if (r < 0)
                return r;
        c->read_left -= n;
        remember(c, path, text, n);
        *ret = TAKE_PTR(text);
        return 0;
}

bool probe_glob_filter(const char *name, const void *pattern) {
        return fnmatch(pattern, name, FNM_PERIOD) == 0;
}

bool probe_suffix_filter(const char *name, const void *suffix) {
        return name[0] != '.' && endswith(name, suffix) && !streq(name, suffix);
}

int probe_list_dir(CheckContext *c, const char *dir, bool (*filter)(const char *name, const void *userdata),
                   const void *userdata, char ***ret) {
        _cleanup_strv_free_ char **names = NULL;
        _cleanup_close_ int fd = -EBADF;
        int r;

        fd = open_in_root(c->root_fd, dir, O_RDONLY | O_DIRECTORY);
        if (fd == -ENOENT) {
                *ret = NULL;
                return 0;
        }
        if (fd < 0)
                return fd;
        r = dir_fd_list(fd, filter, userdata, PROBE_DIR_ENTRIES_MAX, false, &names);
        if (r < 0)
                return r;
        for (char **n = names; n && *n; n++) {
                char *p = path_join(dir, *n);

                if (!p)
                        return -ENOMEM;
                free(*n);
                *n = p;
        }
        *ret = TAKE_PTR(names);
        return 0;
}

int probe_read_line(CheckContext *c, const char *path, char **ret) {
        _cleanup_free_ char *s = NULL;
        char *nl;
        int r;

        r = probe_read_file(c, path, 64 * 1024, &s);
        if (r < 0)
                return r;
        nl = strchr(s, '\n');
        if (nl)
                *nl = 0;
        strip_collapse_whitespace(s);
        *ret = TAKE_PTR(s);
        return 0;
}

int probe_sysctl(CheckContext *c, const char *name, char **ret_value, char **ret_path) {
        return sysctl_read(c->root_fd, "/proc/sys", name, ret_value, ret_path);
}

int probe_lockdown(CheckContext *c, LockdownMode *ret) {
        _cleanup_free_ char *s = NULL;
        int r, m;

        r = probe_read_line(c, "/sys/kernel/security/lockdown", &s);
        if (r < 0)
                return r;
        m = kernel_lockdown_parse(s);
        if (m < 0)
                return m;
        *ret = m;
        return 0;
}

int env_file_get(const char *text, const char *key, char **ret) {
        size_t kl = strlen(key);
        char *found = NULL;

        for (const char *l = text; l && *l;) {
                const char *end = strchrnul(l, '\n'), *v;

                l += strspn(l, " \t");
                if ((size_t) (end - l) > kl && strneq(l, key, kl) && l[kl] == '=') {
                        size_t n;

                        v = l + kl + 1;
                        n = end - v;
                        while (n > 0 && strchr(WHITESPACE, v[n - 1]))
                                n--;
                        if (n >= 2 && (v[0] == '"' || v[0] == '\'') && v[n - 1] == v[0]) {
                                v++;
                                n -= 2;
                        }
                        free(found);
                        found = strndup(v, n);
                        if (!found)
                                return -ENOMEM;
                }
                l = *end ? end + 1 : NULL;
        }
        if (!found)
                return -ENXIO;
        *ret = found;
        return 0;
}

bool probe_unit_masked(CheckContext *c, const char *unit) {
        _cleanup_free_ char *path = strprintf("/etc/systemd/system/%s", unit);
        _cleanup_close_ int fd = path ? open_in_root(c->root_fd, path, O_PATH | O_NOFOLLOW) : -ENOMEM;
        char target[sizeof("/dev/null")];
        ssize_t n;

        if (fd < 0)
                return false;
        n = readlinkat(fd, "", target, sizeof target);
        return n == (ssize_t) strlen("/dev/null") && strneq(target, "/dev/null", n);
}

static bool unit_dir_filter(const char *name, const void *userdata) {
        return probe_suffix_filter(name, ".wants") || probe_suffix_filter(name, ".requires");
}

/* The links of /etc/systemd/system's .wants and .requires directories ("DIR/UNIT"), listed once per
 * check; unreadable directories hold none. */
static char *const *unit_links(CheckContext *c) {
        if (!c->unit_links_done) {
                _cleanup_(strv_builder_done) StrvBuilder all = {};
                _cleanup_strv_free_ char **dirs = NULL;

                c->unit_links_done = true;
                if (probe_list_dir(c, "/etc/systemd/system", unit_dir_filter, NULL, &dirs) < 0)
                        return NULL;
                STRV_FOREACH(d, dirs) {
                        _cleanup_strv_free_ char **links = NULL;

                        if (probe_list_dir(c, *d, probe_glob_filter, "*", &links) < 0)
                                continue;
                        STRV_FOREACH(l, links)
                                if (strv_builder_extend(&all, *l) < 0)
                                        return NULL;
                }
                c->unit_links = strv_builder_take(&all);
        }
        return c->unit_links;
}

const char *probe_unit_enabled(CheckContext *c, const char *unit) {
        if (probe_unit_masked(c, unit))
                return NULL;
        STRV_FOREACH(l, unit_links(c))
                if (streq(path_basename(*l), unit))
                        return check_tmp(c, "%s", *l);
        return NULL;
}
