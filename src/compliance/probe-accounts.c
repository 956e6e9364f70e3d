/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* The account database below the root: ROOT/etc/passwd and ROOT/etc/group. */

#include "parse-util.h"
#include "probe.h"
#include "string-util.h"

void accounts_done(Accounts *a) {
        for (size_t i = 0; i < a->n_users; i++) {
                free(a->users[i].name);
                free(a->users[i].shell);
                free(a->users[i].password);
                free(a->users[i].home);
        }
        free(a->users);
        for (size_t i = 0; i < a->n_groups; i++) {
                free(a->groups[i].name);
                strv_free(a->groups[i].members);
        }
        free(a->groups);
        *a = (Accounts){};
}

/* Splits one colon-separated line into at most n fields; returns the number found. */
static size_t split_colon(char *line, char **fields, size_t n) {
        size_t k = 0;

        for (char *s = line, *t; k < n && (t = strsep(&s, ":"));)
                fields[k++] = t;
        return k;
}

int accounts_parse(const char *passwd, const char *group, Accounts *ret) {
        Accounts a = {};
        int r = -ENOMEM;

        for (const char *l = passwd ?: ""; *l;) {
                const char *end = strchrnul(l, '\n');
                _cleanup_free_ char *line = strndup(l, end - l);
                char *f[7];
                unsigned uid, gid;
                PasswdEntry *n;

                l = *end ? end + 1 : end;
                if (!line)
                        goto fail;
                if (line[0] == '#' || line[0] == '+' || line[0] == '-' || split_colon(line, f, 7) != 7 ||
                    isempty(f[0]) || safe_atou(f[2], &uid) < 0 || safe_atou(f[3], &gid) < 0)
                        continue; /* not an account (NIS markers, comments, malformed) */
                n = array_grow_pow2(a.users, a.n_users, sizeof(PasswdEntry));
                if (!n)
                        goto fail;
                a.users = n;
                n[a.n_users] = (PasswdEntry){ .name = strdup(f[0]),
                                              .uid = uid,
                                              .gid = gid,
                                              .shell = strdup(f[6]),
                                              .password = strdup(f[1]),
                                              .home = strdup(f[5]) };
                if (!n[a.n_users].name || !n[a.n_users].shell || !n[a.n_users].password || !n[a.n_users].home) {
                        free(n[a.n_users].name);
                        free(n[a.n_users].shell);
                        free(n[a.n_users].password);
                        free(n[a.n_users].home);
                        goto fail;
                }
                a.n_users++;
        }

        for (const char *l = group ?: ""; *l;) {
                const char *end = strchrnul(l, '\n');
                _cleanup_free_ char *line = strndup(l, end - l);
                _cleanup_(strv_builder_done) StrvBuilder members = {};
                char *f[4];
                unsigned gid;
                GroupEntry *n;

                l = *end ? end + 1 : end;
                if (!line)
                        goto fail;
                if (line[0] == '#' || line[0] == '+' || line[0] == '-' || split_colon(line, f, 4) != 4 ||
                    isempty(f[0]) || safe_atou(f[2], &gid) < 0)
                        continue;
                for (char *s = f[3], *t; (t = strsep(&s, ","));)
                        if (!isempty(t) && strv_builder_extend(&members, t) < 0)
                                goto fail;
                n = array_grow_pow2(a.groups, a.n_groups, sizeof(GroupEntry));
                if (!n)
                        goto fail;
                a.groups = n;
                n[a.n_groups] = (GroupEntry){ .name = strdup(f[0]), .gid = gid, .members = strv_builder_take(&members) };
                if (!n[a.n_groups].name) {
                        strv_free(n[a.n_groups].members);
                        goto fail;
                }
                a.n_groups++;
        }

        *ret = a;
        return 0;
fail:
        accounts_done(&a);
        return r;
}

int probe_accounts(CheckContext *c, const Accounts **ret) {
        if (!c->accounts_done) {
                _cleanup_free_ char *passwd = NULL, *group = NULL;

                c->accounts_done = true;
                c->accounts_r = probe_read_file(c, "/etc/passwd", ACCOUNTS_FILE_MAX, &passwd);
                if (c->accounts_r >= 0)
                        c->accounts_r = probe_read_file(c, "/etc/group", ACCOUNTS_FILE_MAX, &group);
                if (c->accounts_r >= 0)
                        c->accounts_r = accounts_parse(passwd, group, &c->accounts);
        }
        if (c->accounts_r < 0)
                return c->accounts_r;
        *ret = &c->accounts;
        return 0;
}

const GroupEntry *accounts_group(const Accounts *a, const char *name) {
        for (size_t i = 0; i < a->n_groups; i++)
                if (streq(a->groups[i].name, name))
                        return a->groups + i;
        return NULL;
}
