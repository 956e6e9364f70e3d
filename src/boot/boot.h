/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "config.h"
#include "profile-load.h"
#include "profile.h"

/* The profile boot enforces lives below /usr, so that dm-verity covers it and nobody who can write /etc
 * can weaken it; its parents are looked up below /usr only. The dracut module puts the same files into
 * the initrd. */
#define HARDENCTL_HELPER_DIR PKGLIBDIR
#define BOOT_PROFILE_PATH PKGLIBDIR "/active.profile"
#define BOOT_PROFILE_SEARCH_PATH PKGLIBDIR "/profiles"

/* How every tool loads the boot profile inside a root: by the name "active", through a search path of
 * its own directory and the profiles directory, so that active.profile, its parents and drop-ins all
 * resolve below /usr of that root (a symlink cannot lead out of it). */
#define BOOT_PROFILE_NAME "active"
extern char *const boot_profile_search_path[];

/* With a volatile /etc: the tmpfs that holds the overlay's upper ("upper", the drift since boot), work
 * and persist (the files of [Etc] Persist=, restored at boot) directories, and where those files are
 * kept across reboots: on the root file system itself, even if another one is mounted on /var. */
#define ETC_VOLATILE_DIR "/run/hardenctl/etc"
#define ETC_PERSIST_STORE "/var/lib/hardenctl/etc"

typedef enum BootTopic {
        BOOT_TOPIC_USR,
        BOOT_TOPIC_ETC,
        BOOT_TOPIC_SELINUX,
        BOOT_TOPIC_AUDIT,
        BOOT_TOPIC_KERNEL,
        BOOT_TOPIC_SERVICES,
        BOOT_TOPIC_EXEC,
        _BOOT_TOPIC_MAX,
} BootTopic;

typedef struct BootSettings {
        char *usrhash;              /* usrhash= */
        int all;                    /* hardenctl=: tristate */
        int topic[_BOOT_TOPIC_MAX]; /* hardenctl.usr= …: tristate */
} BootSettings;

void boot_settings_done(BootSettings *s);

/* Reads the kernel command line ($SYSTEMD_PROC_CMDLINE for tests): usrhash=, and the kill switches
 * hardenctl=BOOL and hardenctl.TOPIC=BOOL (rd.-prefixed in the initrd too). */
int boot_settings_read(bool initrd, BootSettings *ret);

/* Loads the boot profile in lenient mode, below $HARDENCTL_ROOT (for tests) or "/", logging every
 * problem. Returns 0 and NULL if there is no boot profile (hardenctl is not configured), 1 and the
 * profile, or -EBADMSG if it is unusable (logged): the caller must then fail closed. */
int boot_profile_load(Profile **ret);
typedef enum BootLoadFlags {
        BOOT_LOAD_QUIET = 1 << 0,     /* nothing logged: a second look at a profile another part of the boot
                                       * reports on */
        BOOT_LOAD_UNTYPED = 1 << 1,   /* without the typed values (PROFILE_LOAD_UNTYPED): for the generators
                                       * and the helpers that read neither the parsed audit rules nor the
                                       * merged sysctl settings, and run on every boot */
        BOOT_LOAD_KEEP_TEXT = 1 << 2, /* with the sources' text (PROFILE_LOAD_KEEP_TEXT), for profile_digest() */
} BootLoadFlags;

/* The same, with flags. */
int boot_profile_load_full(BootLoadFlags flags, Profile **ret);

/* The same below root_fd, logging nothing: the problems go to diags. Returns 0 and NULL without a boot
 * profile, 1 and the profile, -EBADMSG if it is unusable, or -ENOMEM. */
int boot_profile_load_at(int root_fd, BootLoadFlags flags, Profile **ret, ProfileDiags *diags);

/* Whether enforcement of topic is switched on: a kill switch on the command line turns it off, unless
 * the profile says AllowKillSwitch=no, in which case the switch is refused with an error in the log. */
bool boot_topic_enabled(const Profile *p, const BootSettings *s, BootTopic topic);
/* The same answer, without logging: for a second look at a topic another part of the boot decided. */
bool boot_topic_enforced(const Profile *p, const BootSettings *s, BootTopic topic) _pure_;
