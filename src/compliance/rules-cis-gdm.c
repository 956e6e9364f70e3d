/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* [Benchmark] CIS=: GNOME's display manager, where gdm3 is installed (CIS 1.7.2-1.7.10). The settings are
 * dconf's, read from what the system databases are compiled from: the databases a dconf profile names
 * ("system-db:NAME" in /etc/dconf/profile/gdm for the login screen, /etc/dconf/profile/user for the
 * sessions), the keyfiles of /etc/dconf/db/NAME.d/ (the last one in the order of names setting a key
 * wins; the first database of the profile that sets it wins over the others), and the locks in
 * NAME.d/locks/. A keyfile newer than its compiled database /etc/dconf/db/NAME is not in effect until
 * dconf update runs. XDMCP from /etc/gdm3/daemon.conf and custom.conf. */

#include <fcntl.h>
#include <sys/stat.h>

#include "compliance-rules.h"
#include "fs-util.h"
#include "parse-util.h"
#include "path-util.h"
#include "string-util.h"

typedef enum GdmCheck {
        GDM_TRUE,      /* the boolean true */
        GDM_FALSE,     /* the boolean false */
        GDM_TEXT,      /* a string that is not empty */
        GDM_IDLE,      /* a number from 1 to 900 (seconds) */
        GDM_LOCKDELAY, /* a number from 0 to 5 (seconds) */
        GDM_LOCKED,    /* the key is locked */
} GdmCheck;

typedef struct GdmSetting {
        const char *path, *key; /* "org/gnome/login-screen", "disable-user-list" */
        GdmCheck check;
} GdmSetting;

typedef struct GdmItem {
        const char *profile; /* "gdm" or "user"; NULL: XDMCP */
        GdmSetting settings[2];
} GdmItem;

#define SESSION "org/gnome/desktop/session"
#define SCREENSAVER "org/gnome/desktop/screensaver"
#define MEDIA "org/gnome/desktop/media-handling"
#define LOGIN "org/gnome/login-screen"

/* ComplianceAsCode: dconf_gnome_banner_enabled, dconf_gnome_login_banner_text, dconf_gnome_disable_user_list,
 * dconf_gnome_screensaver_idle_delay, dconf_gnome_screensaver_lock_delay, dconf_gnome_session_idle_user_locks,
 * dconf_gnome_screensaver_user_locks, dconf_gnome_disable_automount, dconf_gnome_disable_automount_open,
 * dconf_gnome_disable_autorun, gnome_gdm_disable_xdmcp (controls/cis_debian12.yml). */
static const ItemRef gdm_refs[] = {
        { "login banner", "1.7.2", NULL, NULL },  { "user list", "1.7.3", NULL, NULL },
        { "screen lock", "1.7.4", NULL, NULL },   { "screen lock locked", "1.7.5", NULL, NULL },
        { "automount", "1.7.6", NULL, NULL },     { "automount locked", "1.7.7", NULL, NULL },
        { "autorun-never", "1.7.8", NULL, NULL }, { "autorun-never locked", "1.7.9", NULL, NULL },
        { "XDMCP", "1.7.10", NULL, NULL },
};

static const GdmItem gdm_items[] = {
        { "gdm", { { LOGIN, "banner-message-enable", GDM_TRUE }, { LOGIN, "banner-message-text", GDM_TEXT } } },
        { "gdm", { { LOGIN, "disable-user-list", GDM_TRUE } } },
        { "user", { { SESSION, "idle-delay", GDM_IDLE }, { SCREENSAVER, "lock-delay", GDM_LOCKDELAY } } },
        { "user", { { SESSION, "idle-delay", GDM_LOCKED }, { SCREENSAVER, "lock-delay", GDM_LOCKED } } },
        { "user", { { MEDIA, "automount", GDM_FALSE }, { MEDIA, "automount-open", GDM_FALSE } } },
        { "user", { { MEDIA, "automount", GDM_LOCKED }, { MEDIA, "automount-open", GDM_LOCKED } } },
        { "user", { { MEDIA, "autorun-never", GDM_TRUE } } },
        { "user", { { MEDIA, "autorun-never", GDM_LOCKED } } },
        { NULL, {} },
};

_Static_assert(ELEMENTSOF(gdm_items) == ELEMENTSOF(gdm_refs), "one item each");

/* The system databases a dconf profile names, in its order. */
static int dconf_profile_dbs(CheckContext *c, const char *profile, char ***ret) {
        _cleanup_free_ char *path = strprintf("/etc/dconf/profile/%s", profile), *text = NULL;
        _cleanup_strv_free_ char **dbs = NULL;
        int r;

        if (!path)
                return -ENOMEM;
        r = probe_read_file(c, path, 0, &text);
        if (r < 0)
                return r;
        for (char *l = text; l && *l;) {
                char *end = strchrnul(l, '\n'), *next = *end ? end + 1 : NULL, *db;

                *end = '\0';
                db = (char *) startswith(strstrip(l), "system-db:");
                if (db && !isempty(db) && strv_extend(&dbs, db) < 0)
                        return -ENOMEM;
                l = next;
        }
        *ret = TAKE_PTR(dbs);
        return 0;
}

/* The value of path/key in one keyfile, the last assignment in its [path] group, replacing *ret: returns
 * 1 if the file sets it, 0 if not (and *ret is left as it was). */
static int keyfile_get(const char *text, const char *path, const char *key, char **ret) {
        size_t pl = strlen(path), kl = strlen(key);
        bool in = false, found = false;

        for (const char *l = text; l && *l;) {
                const char *end = strchrnul(l, '\n'), *p = l + strspn(l, " \t");

                l = *end ? end + 1 : NULL;
                if (*p == '[') {
                        in = strneq(p + 1, path, pl) && p[1 + pl] == ']';
                        continue;
                }
                if (!in || *p == '#' || !strneq(p, key, kl))
                        continue;
                p += kl + strspn(p + kl, " \t");
                if (*p != '=')
                        continue;
                free(*ret);
                *ret = strndup(p + 1, end - p - 1);
                if (!*ret)
                        return -ENOMEM;
                strstrip(*ret);
                found = true;
        }
        return found;
}

/* Whether a lock file lists the key's path ("/org/gnome/desktop/session/idle-delay"). */
static bool locks_have(const char *text, const char *path, const char *key) {
        for (const char *l = text; l && *l;) {
                const char *end = strchrnul(l, '\n'), *p = l + strspn(l, " \t");
                size_t pl = strlen(path), kl = strlen(key);

                l = *end ? end + 1 : NULL;
                if (*p == '/' && strneq(p + 1, path, pl) && p[1 + pl] == '/' && strneq(p + 2 + pl, key, kl) &&
                    strspn(p + 2 + pl + kl, " \t\r") == (size_t) (end - (p + 2 + pl + kl)))
                        return true;
        }
        return false;
}

/* The newest modification time of the files of dir (0 if there are none). */
static int newest_mtime(CheckContext *c, const char *dir, char ***files, time_t *newest) {
        int r;

        r = probe_list_dir(c, dir, probe_glob_filter, "*", files);
        if (r < 0)
                return r;
        STRV_FOREACH(f, *files) {
                _cleanup_close_ int fd = open_in_root(c->root_fd, *f, O_PATH | O_NOFOLLOW);
                struct stat st;

                if (fd >= 0 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_mtime > *newest)
                        *newest = st.st_mtime;
        }
        return 0;
}

/* Looks one setting up in the databases of the profile: its value ("FILE:LINE"-less: the keyfile) or
 * whether it is locked. Sets *ret_source to the keyfile (or lock file) that decides, and *ret_value. */
static int dconf_lookup(CheckContext *c, char *const *dbs, const GdmSetting *s, const char **ret_source,
                        char **ret_value) {
        STRV_FOREACH(db, dbs) {
                _cleanup_strv_free_ char **files = NULL, **locks = NULL;
                _cleanup_free_ char *dir = strprintf("/etc/dconf/db/%s.d", *db), *ldir = NULL;
                const char *source = NULL;
                time_t newest = 0;
                int r;

                if (!dir)
                        return -ENOMEM;
                ldir = path_join(dir, "locks");
                if (!ldir)
                        return -ENOMEM;
                r = newest_mtime(c, s->check == GDM_LOCKED ? ldir : dir, s->check == GDM_LOCKED ? &locks : &files,
                                 &newest);
                if (r == -ENOMEM)
                        return r;
                STRV_FOREACH(f, s->check == GDM_LOCKED ? locks : files) {
                        _cleanup_free_ char *text = NULL;

                        if (probe_read_file(c, *f, 0, &text) < 0)
                                continue;
                        if (s->check == GDM_LOCKED) {
                                if (locks_have(text, s->path, s->key)) {
                                        source = check_tmp(c, "%s", *f);
                                        break;
                                }
                                continue;
                        }
                        r = keyfile_get(text, s->path, s->key, ret_value);
                        if (r < 0)
                                return r;
                        if (r > 0)
                                source = check_tmp(c, "%s", *f);
                }
                if (source) {
                        _cleanup_free_ char *binary = strprintf("/etc/dconf/db/%s", *db);
                        _cleanup_close_ int fd = binary ? open_in_root(c->root_fd, binary, O_PATH) : -ENOMEM;
                        struct stat st;

                        if (fd == -ENOMEM)
                                return fd;
                        if (fd < 0 || fstat(fd, &st) < 0 || st.st_mtime < newest) {
                                *ret_source = check_tmp(c, "%s (not compiled into /etc/dconf/db/%s: run dconf update)",
                                                        source, *db);
                                return 0;
                        }
                        *ret_source = source;
                        return 1;
                }
        }
        *ret_source = NULL;
        return 0;
}

static bool value_ok(const GdmSetting *s, const char *v) {
        unsigned n;

        switch (s->check) {
        case GDM_TRUE:
                return streq(v, "true");
        case GDM_FALSE:
                return streq(v, "false");
        case GDM_TEXT:
                return strlen(v) > 2 && strchr("'\"", v[0]) && v[strlen(v) - 1] == v[0];
        case GDM_IDLE:
        case GDM_LOCKDELAY:
                v = startswith(v, "uint32 ") ?: v;
                if (safe_atou(v, &n) < 0)
                        return false;
                return s->check == GDM_IDLE ? n >= 1 && n <= 900 : n <= 5;
        case GDM_LOCKED:
                return true;
        }
        return false;
}

static const char *expected(const GdmSetting *s) {
        static const char *const text[] = {
                [GDM_TRUE] = "true",     [GDM_FALSE] = "false",      [GDM_TEXT] = "a message",
                [GDM_IDLE] = "1 to 900", [GDM_LOCKDELAY] = "0 to 5", [GDM_LOCKED] = "locked",
        };
        return text[s->check];
}

static int check_xdmcp(CheckContext *c, ComplianceResult *x) {
        static const char *const files[] = { "/etc/gdm3/daemon.conf", "/etc/gdm3/custom.conf" };

        for (size_t i = 0; i < ELEMENTSOF(files); i++) {
                _cleanup_free_ char *text = NULL, *v = NULL;
                int r;

                r = probe_read_file(c, files[i], 0, &text);
                if (r == -ENOMEM)
                        return r;
                if (r < 0)
                        continue;
                r = keyfile_get(text, "xdmcp", "Enable", &v);
                if (r < 0)
                        return r;
                r = result_evidence(x, files[i], "[xdmcp] Enable not true", v ?: "unset");
                if (r < 0)
                        return r;
                if (v && parse_boolean(v) > 0)
                        return result_set(x, RULE_FAIL, "GDM offers XDMCP (%s)", files[i]);
        }
        return result_set(x, RULE_PASS, "GDM does not offer XDMCP");
}

static int check_gdm_one(CheckContext *c, const ComplianceRule *rule, size_t i) {
        _cleanup_strv_free_ char **dbs = NULL;
        const GdmItem *item = gdm_items + i;
        const DpkgDatabase *db;
        const DpkgPackage *gdm;
        ComplianceResult *x;
        const char *bad = NULL;
        int r;

        r = check_begin(c, rule, rule->items[i].item, &x);
        if (r < 0)
                return r;
        r = probe_dpkg(c, &db);
        if (r < 0 && r != -ENOENT)
                return r == -ENOMEM ? r : result_errno(x, r, "/var/lib/dpkg/status");
        gdm = r >= 0 ? dpkg_lookup(db, "gdm3") : NULL;
        if (!gdm)
                return result_set(x, RULE_NOTAPPLICABLE, "gdm3 is not installed");
        if (!item->profile)
                return check_xdmcp(c, x);
        r = dconf_profile_dbs(c, item->profile, &dbs);
        if (r == -ENOMEM)
                return r;
        if (!dbs) {
                r = result_evidence(x, check_tmp(c, "/etc/dconf/profile/%s", item->profile), "system-db:NAME",
                                    r < 0 ? strerror(-r) : "none");
                if (r < 0)
                        return r;
                return result_set(x, RULE_FAIL, "The %s dconf profile names no system database", item->profile);
        }
        for (size_t k = 0; k < ELEMENTSOF(item->settings) && item->settings[k].path; k++) {
                const GdmSetting *s = item->settings + k;
                _cleanup_free_ char *value = NULL;
                const char *source = NULL;
                bool ok;

                r = dconf_lookup(c, dbs, s, &source, &value);
                if (r < 0)
                        return r;
                ok = r > 0 && value_ok(s, value ?: "");
                r = result_evidence(x, source ?: check_tmp(c, "/etc/dconf/db/%s.d", dbs[0]),
                                    check_tmp(c, "/%s/%s %s", s->path, s->key, expected(s)),
                                    s->check == GDM_LOCKED ? (source ? "locked" : "not locked") :
                                    value                  ?:
                                                             "not set");
                if (r < 0)
                        return r;
                if (!ok && !bad)
                        bad = check_tmp(c, "/%s/%s", s->path, s->key);
        }
        if (bad)
                return result_set(x, RULE_FAIL, "%s is not as the benchmark asks", bad);
        return result_set(x, RULE_PASS, "%s",
                          item->settings[0].check == GDM_LOCKED ? "The settings are locked" :
                                                                  "The settings are as the benchmark asks");
}

static int check_gdm(CheckContext *c, const ComplianceRule *rule) {
        return check_cis_items(c, rule, check_gdm_one);
}

const ComplianceRule rule_cis_gdm = {
        .id = "hardenctl-cis-gdm",
        .title = "GNOME's login screen shows a banner, hides users, locks idle sessions and runs no media",
        .severity = SEVERITY_MEDIUM,
        .rationale =
                "A login screen that lists the accounts helps guessing; an unattended unlocked session and media that mount or run by themselves are ways in for whoever stands at the desk; XDMCP sends the session unencrypted.",
        .nist = "AC-8 AC-11 CM-7",
        .remediation =
                "Name a system database in /etc/dconf/profile/gdm and /etc/dconf/profile/user (system-db:gdm, system-db:local), put the settings the evidence names in keyfiles of /etc/dconf/db/gdm.d/ and local.d/, lock them in local.d/locks/, run dconf update, and remove Enable=true from [xdmcp] in /etc/gdm3/daemon.conf.",
        .check = check_gdm,
        .items = gdm_refs,
        .n_items = ELEMENTSOF(gdm_refs),
};
