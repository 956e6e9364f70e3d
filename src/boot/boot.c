/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <fcntl.h>

#include "boot.h"
#include "fs-util.h"
#include "log.h"
#include "parse-util.h"
#include "proc-cmdline.h"
#include "profile-load.h"
#include "string-table.h"
#include "string-util.h"

static const char *const boot_topic_table[_BOOT_TOPIC_MAX] = {
        [BOOT_TOPIC_USR] = "usr",     [BOOT_TOPIC_ETC] = "etc",       [BOOT_TOPIC_SELINUX] = "selinux",
        [BOOT_TOPIC_AUDIT] = "audit", [BOOT_TOPIC_KERNEL] = "kernel", [BOOT_TOPIC_SERVICES] = "services",
        [BOOT_TOPIC_EXEC] = "exec",
};

DEFINE_PRIVATE_STRING_TABLE_LOOKUP_TO_STRING(boot_topic, BootTopic);
DEFINE_PRIVATE_STRING_TABLE_LOOKUP_FROM_STRING(boot_topic);

void boot_settings_done(BootSettings *s) {
        s->usrhash = mfree(s->usrhash);
}

static int parse_item(const char *key, const char *value, void *userdata) {
        BootSettings *s = userdata;
        const char *t;
        int topic;

        if (streq(key, "usrhash") && value) {
                char *c = strdup(value);
                if (!c)
                        return -ENOMEM;
                free(s->usrhash);
                s->usrhash = c;
                return 0;
        }

        if (streq(key, "hardenctl")) {
                int b = value ? parse_boolean(value) : 1;
                if (b < 0)
                        log_warning("Invalid hardenctl=%s on the kernel command line, ignoring.", value);
                else
                        s->all = b;
                return 0;
        }

        t = startswith(key, "hardenctl.");
        topic = t ? boot_topic_from_string(t) : -EINVAL;
        if (topic >= 0) {
                int b = value ? parse_boolean(value) : 1;
                if (b < 0)
                        log_warning("Invalid %s=%s on the kernel command line, ignoring.", key, value);
                else
                        s->topic[topic] = b;
        }
        return 0;
}

int boot_settings_read(bool initrd, BootSettings *ret) {
        _cleanup_free_ char *line = NULL;
        BootSettings s = { .all = -1 };
        int r;

        for (int i = 0; i < _BOOT_TOPIC_MAX; i++)
                s.topic[i] = -1;

        r = proc_cmdline_read(&line);
        if (r < 0)
                return r;
        r = proc_cmdline_parse(line, initrd, parse_item, &s);
        if (r < 0) {
                boot_settings_done(&s);
                return r;
        }
        *ret = s;
        return 0;
}

char *const boot_profile_search_path[] = { (char *) HARDENCTL_HELPER_DIR, (char *) BOOT_PROFILE_SEARCH_PATH, NULL };

int boot_profile_load_at(int root_fd, BootLoadFlags flags, Profile **ret, ProfileDiags *diags) {
        _cleanup_close_ int fd = -EBADF;
        ProfileLoadOptions o = {
                .root_fd = root_fd,
                .search_path = boot_profile_search_path,
                .flags = (FLAGS_SET(flags, BOOT_LOAD_UNTYPED) ? PROFILE_LOAD_UNTYPED : 0) |
                         (FLAGS_SET(flags, BOOT_LOAD_KEEP_TEXT) ? PROFILE_LOAD_KEEP_TEXT : 0),
        };
        int r;

        fd = open_in_root(root_fd, BOOT_PROFILE_PATH, O_PATH);
        if (fd == -ENOENT) {
                *ret = NULL;
                return 0;
        }
        r = profile_load(&o, BOOT_PROFILE_NAME, ret, diags);
        return r < 0 ? (r == -ENOMEM ? r : -EBADMSG) : 1;
}

int boot_profile_load_full(BootLoadFlags flags, Profile **ret) {
        bool quiet = FLAGS_SET(flags, BOOT_LOAD_QUIET);
        _cleanup_(profile_diags_done) ProfileDiags diags = {};
        _cleanup_close_ int root_fd = -EBADF;
        const char *root = getenv("HARDENCTL_ROOT") ?: "/";
        int r;

        root_fd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (root_fd < 0)
                return quiet ? -errno : log_error_errno(errno, "Cannot open %s: %m", root);

        r = boot_profile_load_at(root_fd, flags, ret, &diags);
        for (size_t i = 0; !quiet && i < diags.n; i++) {
                _cleanup_free_ char *s = profile_diag_format(diags.items + i);
                log_full(diags.items[i].fatal ? LOG_ERR : LOG_WARNING, "%s%s", strna(s),
                         diags.items[i].fatal || diags.items[i].advisory ? "" : ", ignoring");
        }
        if (r < 0 && !quiet)
                log_error_errno(r, "The boot profile %s is unusable, enforcing fail-closed.", BOOT_PROFILE_PATH);
        return r < 0 ? -EBADMSG : r;
}

int boot_profile_load(Profile **ret) {
        return boot_profile_load_full(0, ret);
}

static bool topic_switched_off(const BootSettings *s, BootTopic topic) {
        return s->topic[topic] == 0 || (s->topic[topic] < 0 && s->all == 0);
}

bool boot_topic_enforced(const Profile *p, const BootSettings *s, BootTopic topic) {
        return !topic_switched_off(s, topic) || (p && p->meta.allow_kill_switch == 0);
}

bool boot_topic_enabled(const Profile *p, const BootSettings *s, BootTopic topic) {
        const char *name = boot_topic_to_string(topic);

        if (!topic_switched_off(s, topic))
                return true;

        if (p && p->meta.allow_kill_switch == 0) {
                log_error("Kill switch for %s on the kernel command line refused: the profile says AllowKillSwitch=no.",
                          name);
                return true;
        }

        log_warning("Enforcement of %s turned off by a kill switch on the kernel command line.", name);
        return false;
}
