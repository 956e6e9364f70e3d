/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* [Benchmark] CIS=: root's PATH (CIS 5.4.2.5), as a root login builds it: ENV_SUPATH of
 * /etc/login.defs (login's default if unset), then the PATH= assignments of /etc/environment
 * (pam_env), /root/.profile, /root/.bash_profile and /root/.bashrc in that order, $PATH and ${PATH}
 * standing for the value so far. Every directory must be absolute, exist, be owned by root and be
 * writable by no one else; no empty entry and no ".". Shell code beyond plain assignments (the
 * conditionals of /etc/profile) is not interpreted. */

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "compliance-rules.h"
#include "fs-util.h"

#define DEFAULT_SUPATH "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

/* ComplianceAsCode: root_path_no_dot, root_path_all_dirs_root_owned (controls/cis_debian12.yml). */
static const ItemRef path_refs[] = {
        { "root PATH", "5.4.2.5", NULL, NULL },
};

static const char *const path_files[] = { "/etc/environment", "/root/.profile", "/root/.bash_profile", "/root/.bashrc" };

/* value with $PATH and ${PATH} replaced by old. */
static char *expand_path(const char *value, const char *old) {
        _cleanup_free_ char *out = strdup("");

        for (const char *p = value; out && *p;) {
                size_t skip = startswith(p, "${PATH}") ? 7 : startswith(p, "$PATH") ? 5 : 0;
                char *t = skip ? strprintf("%s%s", out, old) : strprintf("%s%c", out, *p);

                free(out);
                out = t;
                p += skip ?: 1;
        }
        return TAKE_PTR(out);
}

/* Applies the PATH= lines of text (optionally after "export ", value optionally quoted) to *path. */
static int apply_assignments(const char *file, const char *text, char **path, char **source) {
        unsigned line = 0;

        for (const char *l = text; l && *l;) {
                const char *end = strchrnul(l, '\n'), *p = l + strspn(l, " \t");
                _cleanup_free_ char *raw = NULL;
                size_t n;
                char *v;

                line++;
                l = *end ? end + 1 : NULL;
                if (startswith(p, "export "))
                        p += strlen("export ") + strspn(p + strlen("export "), " \t");
                if (!startswith(p, "PATH="))
                        continue;
                p += 5;
                n = end - p;
                while (n > 0 && strchr(" \t\r", p[n - 1]))
                        n--;
                if (n >= 2 && (p[0] == '"' || p[0] == '\'') && p[n - 1] == p[0]) {
                        p++;
                        n -= 2;
                }
                raw = strndup(p, n);
                if (!raw)
                        return -ENOMEM;
                v = expand_path(raw, *path);
                if (!v)
                        return -ENOMEM;
                free(*path);
                *path = v;
                free(*source);
                *source = strprintf("%s:%u", file, line);
                if (!*source)
                        return -ENOMEM;
        }
        return 0;
}

/* What is wrong with one entry of the PATH, or NULL. */
static const char *judge_dir(CheckContext *c, uid_t root_uid, const char *dir) {
        _cleanup_close_ int fd = -EBADF;
        struct stat st;

        if (isempty(dir))
                return "an empty entry (the working directory)";
        if (streq(dir, "."))
                return "\".\" (the working directory)";
        if (dir[0] != '/')
                return "a relative directory";
        fd = open_in_root(c->root_fd, dir, O_PATH);
        if (fd < 0 || fstat(fd, &st) < 0)
                return "missing";
        if (!S_ISDIR(st.st_mode))
                return "not a directory";
        if (st.st_uid != root_uid)
                return "not owned by root";
        if (st.st_mode & 0022)
                return "writable by group or others";
        return NULL;
}

static int check_path_one(CheckContext *c, const ComplianceRule *rule, size_t i) {
        _cleanup_free_ char *defs = NULL, *path = NULL, *source = NULL, *supath = NULL;
        _cleanup_strv_free_ char **bad = NULL;
        const Accounts *a = NULL;
        uid_t root_uid = 0;
        ComplianceResult *x;
        unsigned line = 0;
        int r;

        r = check_begin(c, rule, rule->items[i].item, &x);
        if (r < 0)
                return r;
        if (probe_accounts(c, &a) >= 0)
                for (size_t k = 0; k < a->n_users; k++)
                        if (streq(a->users[k].name, "root")) {
                                root_uid = a->users[k].uid;
                                break;
                        }
        if (probe_read_file(c, "/etc/login.defs", 0, &defs) >= 0) {
                r = login_defs_get(defs, "ENV_SUPATH", &supath, &line);
                if (r < 0)
                        return r;
        }
        if (supath) {
                path = strdup(startswith(supath, "PATH=") ?: supath);
                source = strprintf("/etc/login.defs:%u", line);
        } else {
                path = strdup(DEFAULT_SUPATH);
                source = strdup("/etc/login.defs (login's default)");
        }
        if (!path || !source)
                return -ENOMEM;
        for (size_t k = 0; k < ELEMENTSOF(path_files); k++) {
                _cleanup_free_ char *text = NULL;

                if (probe_read_file(c, path_files[k], 0, &text) < 0)
                        continue;
                r = apply_assignments(path_files[k], text, &path, &source);
                if (r < 0)
                        return r;
        }
        r = result_evidence(x, source, "absolute directories owned by root, writable by no one else", path);
        if (r < 0)
                return r;
        for (const char *p = path;;) {
                size_t n = strcspn(p, ":");
                _cleanup_free_ char *dir = strndup(p, n);
                const char *why;

                if (!dir)
                        return -ENOMEM;
                why = judge_dir(c, root_uid, dir);
                if (why) {
                        r = result_evidence(x, isempty(dir) ? "(empty)" : dir, "a safe directory", why);
                        if (r < 0)
                                return r;
                        if (strv_extend(&bad, isempty(dir) ? "(empty)" : dir) < 0)
                                return -ENOMEM;
                }
                if (!p[n])
                        break;
                p += n + 1;
        }
        if (bad) {
                _cleanup_free_ char *j = strv_join(bad, " ");

                if (!j)
                        return -ENOMEM;
                return result_set(x, RULE_FAIL, "root's PATH has unsafe entries: %s", j);
        }
        return result_set(x, RULE_PASS, "root's PATH holds only root's own directories");
}

static int check_path(CheckContext *c, const ComplianceRule *rule) {
        return check_cis_items(c, rule, check_path_one);
}

const ComplianceRule rule_cis_root_path = {
        .id = "hardenctl-cis-root-path",
        .title = "root's PATH holds only directories that only root can change",
        .severity = SEVERITY_MEDIUM,
        .rationale =
                "A directory in root's PATH that others can write, or the working directory, lets them put a program of theirs where root will run it.",
        .nist = "CM-6",
        .remediation =
                "Remove empty entries, \".\" and relative directories from ENV_SUPATH and root's shell files, create or remove missing directories, chown root and chmod go-w the rest.",
        .check = check_path,
        .items = path_refs,
        .n_items = ELEMENTSOF(path_refs),
};
