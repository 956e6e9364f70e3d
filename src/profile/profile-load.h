/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "profile.h"

#define PROFILE_INHERIT_DEPTH_MAX 8U
#define PROFILE_DROPINS_MAX 64U

/* The search path, highest priority first, each below the root. */
#define PROFILE_SEARCH_PATH_DEFAULT                                                                \
        "/etc/hardenctl/profiles", "/run/hardenctl/profiles", "/usr/local/lib/hardenctl/profiles", \
                "/usr/lib/hardenctl/profiles"

typedef struct ProfileDiag {
        char *file;    /* NULL for problems not tied to a file */
        unsigned line; /* 0 when not tied to a line */
        char *section; /* NULL when not tied to a section */
        char *key;     /* NULL when not tied to a key */
        char *message;
        bool fatal;      /* this problem stops the load (always, in strict mode) */
        bool file_level; /* a whole file was skipped */
        bool advisory;   /* nothing was skipped: settings that contradict one another (fatal only in strict
                          * mode) */
        size_t order;    /* internal: position of the file in load order, then of the problem */
        size_t seq;
} ProfileDiag;

typedef struct ProfileDiags {
        ProfileDiag *items;
        size_t n;
} ProfileDiags;

void profile_diags_done(ProfileDiags *d);

/* "FILE:LINE: Section.Key: message", leaving out what the diagnostic is not tied to. */
char *profile_diag_format(const ProfileDiag *d);

/* Where a key was set: the file and line of the assignment that counts. */
typedef struct ProfileKeyWhere {
        char *file;
        unsigned line;
} ProfileKeyWhere;

int profile_key_where_set(ProfileKeyWhere *w, const char *file, unsigned line);
/* Frees an array of profile_n_keys() entries. */
void profile_key_where_free(ProfileKeyWhere *w);

/* The checks that span keys, once the profile is merged: report() is called for each contradiction, at
 * the key that has the effect (where[] of each key, by profile_key_index()). */
typedef int (*profile_coherence_t)(const char *file, unsigned line, const char *section, const char *key,
                                   const char *message, void *userdata);
int profile_check_coherence(const Profile *p, const ProfileKeyWhere *where, profile_coherence_t report, void *userdata);

typedef enum ProfileLoadFlags {
        /* hardenctl validate: every problem is an error. Otherwise (the boot path), a problem is
         * logged and the assignment skipped, unless skipping it could weaken a section the profile
         * requires to be enforced, or it is in a key that itself says how strict to be. */
        PROFILE_LOAD_STRICT = 1 << 0,
        /* Keep the text of every file in Profile.source_texts (hardenctl cat-profile). */
        PROFILE_LOAD_KEEP_TEXT = 1 << 1,
        /* Leave out the typed values derived from the merged lists (profile_finalize(): the parsed audit
         * rules of every rule set, the merged sysctl settings), for callers that read neither: the
         * generators. The lists themselves are loaded and checked as always. */
        PROFILE_LOAD_UNTYPED = 1 << 2,
        /* A profile given by path, its drop-ins and the parents beside it are opened below the root too,
         * not on the host: for a path that the tree's own content names (the record of an apply below
         * --root), which must never make the loader read a file of the host. */
        PROFILE_LOAD_PATHS_IN_ROOT = 1 << 3,
} ProfileLoadFlags;

typedef struct ProfileLoadOptions {
        int root_fd;              /* the directory that stands for "/"; AT_FDCWD-style -1 for "/" */
        char *const *search_path; /* NULL: PROFILE_SEARCH_PATH_DEFAULT */
        unsigned flags;           /* ProfileLoadFlags */
} ProfileLoadOptions;

/* True if s names a profile file by path rather than by name (contains a '/' or ends in .profile). */
bool profile_spec_is_path(const char *s) _pure_;
/* Whether s can be a profile's NAME: 1 to 64 of [A-Za-z0-9_.-], not starting with '.' or '-'. */
bool profile_spec_name_is_valid(const char *s) _pure_;
/* The search path o gives, or PROFILE_SEARCH_PATH_DEFAULT. */
char *const *profile_search_path(const ProfileLoadOptions *o) _pure_;

/* Loads a profile by NAME (through the search path under the root) or by PATH (a file; its drop-ins in
 * PATH.d/, and Inherit= names looked up first in its directory, then the search path).
 *
 * Returns 0 and the merged profile, its typed values included (profile_finalize()) unless
 * PROFILE_LOAD_UNTYPED, in lenient mode
 * possibly with non-fatal problems in *diags; -EBADMSG if the profile is invalid (the problems are in
 * *diags), -ENOENT if it does not exist (also in *diags), or another negative errno when reading
 * failed. *diags is appended to. */
int profile_load(const ProfileLoadOptions *o, const char *spec, Profile **ret, ProfileDiags *diags);

/* Parses one file's text on its own: no search path, no drop-ins, Inherit= recorded but not followed.
 * For tests and fuzzing; flags and return values as profile_load(). */
int profile_parse_buffer(const char *path, const char *buf, size_t size, unsigned flags, Profile **ret,
                         ProfileDiags *diags);

typedef struct ProfileEntry {
        char *name;
        char *path;
} ProfileEntry;

/* Every NAME.profile in the search path, the first of each name winning, sorted by name. */
int profile_list(const ProfileLoadOptions *o, ProfileEntry **ret, size_t *ret_n);
void profile_entries_free(ProfileEntry *e, size_t n);
