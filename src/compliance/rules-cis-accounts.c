/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* [Benchmark] CIS=: the account and group databases (CIS 5.4.2.x, 5.4.3.1, 7.2.x): shadowed and
 * non-empty passwords, GID 0, duplicates, groups that exist, the shadow group, system accounts' shells,
 * locked accounts, and the home directories and dot files of interactive users. */

#include <fcntl.h>
#include <sys/stat.h>

#include "compliance-rules.h"
#include "fs-util.h"
#include "parse-util.h"
#include "path-util.h"

typedef enum AccountCheck {
        ACC_SHADOWED,
        ACC_EMPTY,
        ACC_GROUPS_EXIST,
        ACC_SHADOW_GROUP,
        ACC_DUP_UID,
        ACC_DUP_GID,
        ACC_DUP_USER,
        ACC_DUP_GROUP,
        ACC_GID0_USERS,
        ACC_GID0_GROUP,
        ACC_ROOT_ACCESS,
        ACC_SYSTEM_SHELLS,
        ACC_NO_SHELL_LOCKED,
        ACC_NOLOGIN_NOT_SHELL,
        ACC_HOMES,
        ACC_DOT_FILES,
} AccountCheck;

/* ComplianceAsCode: the rule(s) of each item in controls/cis_debian12.yml, SRG ids from their
 * references, STIG ids from controls/stig_ubuntu2204.yml. */
static const ItemRef account_refs[] = {
        { "shadowed passwords", "7.2.1", NULL, NULL },
        { "empty passwords", "7.2.2", "SRG-OS-000480-GPOS-00227", "UBTU-22-611065" },
        { "groups exist", "7.2.3", "SRG-OS-000104-GPOS-00051", NULL },
        { "shadow group empty", "7.2.4", NULL, NULL },
        { "duplicate UIDs", "7.2.5", "SRG-OS-000104-GPOS-00051 SRG-OS-000121-GPOS-00062", NULL },
        { "duplicate GIDs", "7.2.6", NULL, NULL },
        { "duplicate user names", "7.2.7", NULL, NULL },
        { "duplicate group names", "7.2.8", NULL, NULL },
        { "GID 0 accounts", "5.4.2.2", NULL, NULL },
        { "GID 0 groups", "5.4.2.3", NULL, NULL },
        { "root password", "5.4.2.4", NULL, NULL },
        { "system account shells", "5.4.2.7", "SRG-OS-000480-GPOS-00227", NULL },
        { "accounts without a shell locked", "5.4.2.8", NULL, NULL },
        { "nologin not a shell", "5.4.3.1", NULL, NULL },
        { "home directories", "7.2.9", "SRG-OS-000480-GPOS-00227", NULL },
        { "dot files", "7.2.10", "SRG-OS-000480-GPOS-00227", NULL },
};

static const AccountCheck account_checks[] = {
        ACC_SHADOWED,    ACC_EMPTY,         ACC_GROUPS_EXIST,    ACC_SHADOW_GROUP,      ACC_DUP_UID,
        ACC_DUP_GID,     ACC_DUP_USER,      ACC_DUP_GROUP,       ACC_GID0_USERS,        ACC_GID0_GROUP,
        ACC_ROOT_ACCESS, ACC_SYSTEM_SHELLS, ACC_NO_SHELL_LOCKED, ACC_NOLOGIN_NOT_SHELL, ACC_HOMES,
        ACC_DOT_FILES,
};

_Static_assert(ELEMENTSOF(account_refs) == ELEMENTSOF(account_checks), "one check per item");

typedef struct AccountState {
        bool done;
        const Accounts *a;
        int accounts_r;
        ShadowEntry *shadow;
        size_t n_shadow;
        const ShadowEntry **shadow_by_name; /* by name, then file order */
        int shadow_r;
        char **shells;
        unsigned uid_min;
} AccountState;

static void account_state_done(AccountState *s) {
        shadow_entries_free(s->shadow, s->n_shadow);
        free(s->shadow_by_name);
        strv_free(s->shells);
}

static int shadow_cmp(const void *a, const void *b) {
        const ShadowEntry *x = *(const ShadowEntry *const *) a, *y = *(const ShadowEntry *const *) b;
        int r = strcmp(x->name, y->name);

        return r != 0 ? r : (x > y) - (x < y);
}

static int account_state_read(CheckContext *c, AccountState *s) {
        _cleanup_free_ char *text = NULL;

        s->done = true;
        s->accounts_r = probe_accounts(c, &s->a);
        s->shadow_r = probe_read_file(c, "/etc/shadow", ACCOUNTS_FILE_MAX, &text);
        if (s->shadow_r >= 0)
                s->shadow_r = shadow_parse(text, &s->shadow, &s->n_shadow);
        if (s->shadow_r == -ENOMEM)
                return -ENOMEM;
        if (s->n_shadow > 0) {
                s->shadow_by_name = new_array(const ShadowEntry *, s->n_shadow);
                if (!s->shadow_by_name)
                        return -ENOMEM;
                for (size_t i = 0; i < s->n_shadow; i++)
                        s->shadow_by_name[i] = s->shadow + i;
                qsort(s->shadow_by_name, s->n_shadow, sizeof(ShadowEntry *), shadow_cmp);
        }
        text = mfree(text);
        if (probe_read_file(c, "/etc/shells", 0, &text) >= 0 && shells_parse(text, &s->shells) < 0)
                return -ENOMEM;
        return probe_uid_min(c, &s->uid_min);
}

static bool name_in(const char *name, const char *const *list) {
        for (; *list; list++)
                if (streq(name, *list))
                        return true;
        return false;
}

static const char *const gid0_allowed[] = { "root", "sync", "shutdown", "halt", "operator", NULL };
static const char *const shell_allowed[] = { "root", "sync", "shutdown", "halt", NULL };

/* The first entry of a name, as login reads the file. */
static const ShadowEntry *shadow_of(const AccountState *s, const char *name) {
        size_t lo = 0, hi = s->n_shadow;

        while (lo < hi) {
                size_t mid = lo + (hi - lo) / 2;

                if (strcmp(s->shadow_by_name[mid]->name, name) < 0)
                        lo = mid + 1;
                else
                        hi = mid;
        }
        return lo < s->n_shadow && streq(s->shadow_by_name[lo]->name, name) ? s->shadow_by_name[lo] : NULL;
}

/* A shell one can log in with: listed in /etc/shells and not nologin or false. */
static bool valid_shell(const AccountState *s, const char *shell) {
        return strv_contains(s->shells, shell) && !endswith(shell, "/nologin") && !endswith(shell, "/false");
}

/* Interactive: a UID from UID_MIN up (not nobody's 65534) with a valid shell, or root. */
static bool interactive(const AccountState *s, const PasswdEntry *u) {
        return (u->uid == 0 || (u->uid >= s->uid_min && u->uid != 65534)) && valid_shell(s, u->shell);
}

static int gid_cmp(const void *a, const void *b) {
        gid_t x = *(const gid_t *) a, y = *(const gid_t *) b;

        return (x > y) - (x < y);
}

/* Runs of one key in the sorted keys, by the index of their first holder. */
static int dup_run_cmp(const void *a, const void *b, void *userdata) {
        const IndexedString *k = userdata;
        size_t x = k[*(const size_t *) a].i, y = k[*(const size_t *) b].i;

        return (x > y) - (x < y);
}

/* The duplicates among n values: "NAME,NAME (VALUE)" for each value held more than once, in the order
 * of their first holders, the names in file order. Sorted once: a passwd of 20,000 lines costs a sort,
 * not 200 million comparisons. */
static int duplicates(CheckContext *c, char ***bad, size_t n, const char *(*key)(const AccountState *, size_t, char *),
                      const char *(*name)(const AccountState *, size_t), const AccountState *s) {
        _cleanup_free_ IndexedString *k = new_array(IndexedString, n ?: 1);
        _cleanup_free_ char *buffers = new_array(char, (n ?: 1) * 32); /* what key() formats, 32 bytes each */
        _cleanup_free_ size_t *runs = new_array(size_t, n ?: 1);
        size_t n_runs = 0;

        if (!k || !buffers || !runs)
                return -ENOMEM;
        for (size_t i = 0; i < n; i++)
                k[i] = (IndexedString){ .s = key(s, i, buffers + 32 * i), .i = i };
        qsort(k, n, sizeof(IndexedString), indexed_string_compare);
        for (size_t i = 0; i + 1 < n; i++)
                if (streq(k[i].s, k[i + 1].s) && (i == 0 || !streq(k[i - 1].s, k[i].s)))
                        runs[n_runs++] = i;
        qsort_r(runs, n_runs, sizeof(size_t), dup_run_cmp, k);

        for (size_t r = 0; r < n_runs; r++) {
                size_t first = runs[r], end = first + 1;
                _cleanup_free_ char *names = NULL;
                _cleanup_free_ char **list = NULL;

                while (end < n && streq(k[end].s, k[first].s))
                        end++;
                list = new0(char *, end - first + 1);
                if (!list)
                        return -ENOMEM;
                for (size_t j = first; j < end; j++)
                        list[j - first] = (char *) name(s, k[j].i);
                names = strv_join(list, ",");
                if (!names || strv_extend(bad, check_tmp(c, "%s (%s)", names, k[first].s)) < 0)
                        return -ENOMEM;
        }
        return 0;
}

static const char *user_uid(const AccountState *s, size_t i, char *b) {
        snprintf(b, 32, "%u", (unsigned) s->a->users[i].uid);
        return b;
}
static const char *user_name(const AccountState *s, size_t i, char *b) {
        return s->a->users[i].name;
}
static const char *user_name2(const AccountState *s, size_t i) {
        return s->a->users[i].name;
}
static const char *group_gid(const AccountState *s, size_t i, char *b) {
        snprintf(b, 32, "%u", (unsigned) s->a->groups[i].gid);
        return b;
}
static const char *group_name(const AccountState *s, size_t i, char *b) {
        return s->a->groups[i].name;
}
static const char *group_name2(const AccountState *s, size_t i) {
        return s->a->groups[i].name;
}

static bool dot_filter(const char *name, const void *userdata) {
        return name[0] == '.' && !streq(name, ".") && !streq(name, "..");
}

static int check_dot_files(CheckContext *c, const PasswdEntry *u, char ***bad) {
        _cleanup_strv_free_ char **files = NULL;
        int r;

        r = probe_list_dir(c, u->home, dot_filter, NULL, &files);
        if (r == -ENOMEM)
                return r;
        STRV_FOREACH(p, files) {
                const char *n = path_basename(*p);
                mode_t max = streq(n, ".netrc") || streq(n, ".bash_history") ? 0600 : 0644;
                struct stat st;

                if (stat_in_root(c->root_fd, *p, false, &st) < 0 || S_ISLNK(st.st_mode) || S_ISDIR(st.st_mode))
                        continue;
                if (streq(n, ".forward") || streq(n, ".rhosts"))
                        r = strv_extend(bad, check_tmp(c, "%s (must not exist)", *p));
                else if ((st.st_mode & 07777 & ~max) || st.st_uid != u->uid)
                        r = strv_extend(bad,
                                        check_tmp(c, "%s (%04o, uid %u)", *p, st.st_mode & 07777, (unsigned) st.st_uid));
                if (r < 0)
                        return r;
        }
        return 0;
}

/* Fills *bad with what breaks the item (and *what with what was looked at). */
static int account_findings(CheckContext *c, AccountCheck k, const AccountState *s, char ***bad, const char **what) {
        const Accounts *a = s->a;
        int r = 0;

        switch (k) {
        case ACC_SHADOWED:
                *what = "/etc/passwd";
                for (size_t i = 0; i < a->n_users && r >= 0; i++)
                        if (!streq(a->users[i].password, "x"))
                                r = strv_extend(bad, a->users[i].name);
                return r;
        case ACC_EMPTY:
                *what = "/etc/shadow";
                for (size_t i = 0; i < s->n_shadow && r >= 0; i++)
                        if (isempty(s->shadow[i].hash))
                                r = strv_extend(bad, s->shadow[i].name);
                return r;
        case ACC_GROUPS_EXIST: {
                *what = "/etc/passwd /etc/group";
                _cleanup_free_ gid_t *gids = new_array(gid_t, a->n_groups ?: 1);

                if (!gids)
                        return -ENOMEM;
                for (size_t j = 0; j < a->n_groups; j++)
                        gids[j] = a->groups[j].gid;
                qsort(gids, a->n_groups, sizeof(gid_t), gid_cmp);
                for (size_t i = 0; i < a->n_users && r >= 0; i++)
                        if (!bsearch(&a->users[i].gid, gids, a->n_groups, sizeof(gid_t), gid_cmp))
                                r = strv_extend(
                                        bad, check_tmp(c, "%s (gid %u)", a->users[i].name, (unsigned) a->users[i].gid));
                return r;
        }
        case ACC_SHADOW_GROUP: {
                const GroupEntry *g = accounts_group(a, "shadow");

                *what = "/etc/group";
                if (!g)
                        return 0;
                STRV_FOREACH(m, g->members)
                        if (strv_extend(bad, *m) < 0)
                                return -ENOMEM;
                for (size_t i = 0; i < a->n_users && r >= 0; i++)
                        if (a->users[i].gid == g->gid)
                                r = strv_extend(bad, check_tmp(c, "%s (primary)", a->users[i].name));
                return r;
        }
        case ACC_DUP_UID:
                *what = "/etc/passwd";
                return duplicates(c, bad, a->n_users, user_uid, user_name2, s);
        case ACC_DUP_USER:
                *what = "/etc/passwd";
                return duplicates(c, bad, a->n_users, user_name, user_name2, s);
        case ACC_DUP_GID:
                *what = "/etc/group";
                return duplicates(c, bad, a->n_groups, group_gid, group_name2, s);
        case ACC_DUP_GROUP:
                *what = "/etc/group";
                return duplicates(c, bad, a->n_groups, group_name, group_name2, s);
        case ACC_GID0_USERS:
                *what = "/etc/passwd";
                for (size_t i = 0; i < a->n_users && r >= 0; i++)
                        if (a->users[i].gid == 0 && !name_in(a->users[i].name, gid0_allowed))
                                r = strv_extend(bad, a->users[i].name);
                return r;
        case ACC_GID0_GROUP:
                *what = "/etc/group";
                for (size_t i = 0; i < a->n_groups && r >= 0; i++)
                        if (a->groups[i].gid == 0 && !streq(a->groups[i].name, "root"))
                                r = strv_extend(bad, a->groups[i].name);
                return r;
        case ACC_ROOT_ACCESS: {
                const ShadowEntry *e = shadow_of(s, "root");

                *what = "/etc/shadow";
                /* Set (a hash) or locked; an empty one lets anyone in. */
                if (!e || isempty(e->hash))
                        return strv_extend(bad, e ? "root (empty)" : "root (no entry)");
                return 0;
        }
        case ACC_SYSTEM_SHELLS:
                *what = "/etc/passwd /etc/shells";
                for (size_t i = 0; i < a->n_users && r >= 0; i++) {
                        const PasswdEntry *u = a->users + i;

                        if ((u->uid < s->uid_min || u->uid == 65534) && !name_in(u->name, shell_allowed) &&
                            valid_shell(s, u->shell))
                                r = strv_extend(bad, check_tmp(c, "%s (%s)", u->name, u->shell));
                }
                return r;
        case ACC_NO_SHELL_LOCKED:
                *what = "/etc/passwd /etc/shadow";
                for (size_t i = 0; i < a->n_users && r >= 0; i++) {
                        const PasswdEntry *u = a->users + i;
                        const ShadowEntry *e = shadow_of(s, u->name);

                        if (!streq(u->name, "root") && !valid_shell(s, u->shell) && e && !shadow_hash_locked(e->hash))
                                r = strv_extend(bad, u->name);
                }
                return r;
        case ACC_NOLOGIN_NOT_SHELL:
                *what = "/etc/shells";
                STRV_FOREACH(sh, s->shells)
                        if (endswith(*sh, "/nologin") && strv_extend(bad, *sh) < 0)
                                return -ENOMEM;
                return 0;
        case ACC_HOMES:
                *what = "/etc/passwd";
                for (size_t i = 0; i < a->n_users && r >= 0; i++) {
                        const PasswdEntry *u = a->users + i;
                        struct stat st;

                        if (!interactive(s, u))
                                continue;
                        if (stat_in_root(c->root_fd, u->home, false, &st) < 0 || !S_ISDIR(st.st_mode))
                                r = strv_extend(bad, check_tmp(c, "%s (%s missing)", u->name, u->home));
                        else if (st.st_uid != u->uid || (st.st_mode & 0027))
                                r = strv_extend(bad, check_tmp(c, "%s (%s: uid %u, %04o)", u->name, u->home,
                                                               (unsigned) st.st_uid, st.st_mode & 07777));
                }
                return r;
        case ACC_DOT_FILES:
                *what = "/etc/passwd";
                for (size_t i = 0; i < a->n_users && r >= 0; i++)
                        if (interactive(s, a->users + i))
                                r = check_dot_files(c, a->users + i, bad);
                return r;
        }
        return 0;
}

static const char *const account_expected[] = {
        [ACC_SHADOWED] = "every password field x",
        [ACC_EMPTY] = "no empty password",
        [ACC_GROUPS_EXIST] = "every primary group in /etc/group",
        [ACC_SHADOW_GROUP] = "no member",
        [ACC_DUP_UID] = "no UID twice",
        [ACC_DUP_GID] = "no GID twice",
        [ACC_DUP_USER] = "no user name twice",
        [ACC_DUP_GROUP] = "no group name twice",
        [ACC_GID0_USERS] = "only root (and sync, shutdown, halt, operator) with GID 0",
        [ACC_GID0_GROUP] = "only group root with GID 0",
        [ACC_ROOT_ACCESS] = "root's password set or locked",
        [ACC_SYSTEM_SHELLS] = "no system account with a login shell",
        [ACC_NO_SHELL_LOCKED] = "every account without a login shell locked",
        [ACC_NOLOGIN_NOT_SHELL] = "nologin not listed",
        [ACC_HOMES] = "each interactive user's home: a directory they own, 0750 or stricter",
        [ACC_DOT_FILES] = "no .forward or .rhosts; .netrc, .bash_history 0600, other dot files 0644, owned by the user",
};

static int check_account_one(CheckContext *c, const ComplianceRule *rule, AccountState *s, size_t i) {
        AccountCheck k = account_checks[i];
        _cleanup_strv_free_ char **bad = NULL;
        _cleanup_free_ char *joined = NULL;
        const char *what = NULL;
        ComplianceResult *x;
        int r;

        r = check_begin(c, rule, rule->items[i].item, &x);
        if (r < 0)
                return r;
        if (!s->done) {
                r = account_state_read(c, s);
                if (r < 0)
                        return r;
        }
        if (s->accounts_r < 0)
                return result_errno(x, s->accounts_r, "/etc/passwd");
        if (s->shadow_r < 0 && (k == ACC_EMPTY || k == ACC_ROOT_ACCESS || k == ACC_NO_SHELL_LOCKED))
                return result_errno(x, s->shadow_r, "/etc/shadow");
        r = account_findings(c, k, s, &bad, &what);
        if (r < 0)
                return r;
        joined = bad ? strv_join(bad, " ") : strdup("none");
        if (!joined)
                return -ENOMEM;
        r = result_evidence(x, what, account_expected[k], joined);
        if (r < 0)
                return r;
        if (bad)
                return result_set(x, RULE_FAIL, "%s: %s", rule->items[i].item, joined);
        return result_set(x, RULE_PASS, "%s: none found", rule->items[i].item);
}

static int check_accounts(CheckContext *c, const ComplianceRule *rule) {
        _cleanup_(account_state_done) AccountState s = {};
        int r = 0;

        for (size_t i = 0; i < rule->n_items && r >= 0; i++) {
                if (!cis_wanted(c, rule->items[i].cis))
                        continue;
                r = check_account_one(c, rule, &s, i);
                check_tmp_clear(c);
        }
        return r;
}

const ComplianceRule rule_cis_accounts = {
        .id = "hardenctl-cis-accounts",
        .title = "Accounts, groups and home directories are consistent and locked down",
        .severity = SEVERITY_MEDIUM,
        .rationale =
                "Shared or duplicate ids, empty or unshadowed passwords, system accounts with shells and writable dot files let one account act as another.",
        .nist = "AC-2 IA-2 IA-5(1) AC-6 CM-6",
        .remediation =
                "Fix each account the evidence names: pwconv (shadowed passwords), passwd -l (lock), usermod -s /usr/sbin/nologin (system accounts), usermod or groupmod for duplicate ids and names, gpasswd -d USER shadow, chmod 0750 and chown for home directories, chmod go-w for dot files; remove .forward and .rhosts.",
        .check = check_accounts,
        .items = account_refs,
        .n_items = ELEMENTSOF(account_refs),
};
