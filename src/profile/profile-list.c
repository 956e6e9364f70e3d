/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* Listing the profiles of a search path: the first of each name wins, as the loader picks it. */

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>

#include "fs-util.h"
#include "path-util.h"
#include "profile-load.h"
#include "string-util.h"
#include "strv.h"

void profile_entries_free(ProfileEntry *e, size_t n) {
        for (size_t i = 0; i < n; i++) {
                free(e[i].name);
                free(e[i].path);
        }
        free(e);
}

static int compare_entries(const void *a, const void *b) {
        return strcmp(((const ProfileEntry *) a)->name, ((const ProfileEntry *) b)->name);
}

int profile_list(const ProfileLoadOptions *o, ProfileEntry **ret, size_t *ret_n) {
        char *const *search_path = profile_search_path(o);
        ProfileEntry *entries = NULL;
        size_t n = 0;
        int r;

        STRV_FOREACH(dir, search_path) {
                _cleanup_close_ int fd = -EBADF;
                struct dirent *de;
                DIR *dp;

                fd = open_in_root(o->root_fd, *dir, O_RDONLY | O_DIRECTORY);
                if (fd == -ENOENT)
                        continue;
                if (fd < 0) {
                        r = fd;
                        goto fail;
                }
                dp = fdopendir(TAKE_FD(fd));
                if (!dp) {
                        r = negative_errno();
                        goto fail;
                }

                while ((errno = 0, de = readdir(dp))) {
                        const char *e = endswith(de->d_name, ".profile");
                        _cleanup_free_ char *name = NULL;
                        ProfileEntry *ne;
                        bool dup = false;

                        if (!e || de->d_name[0] == '.')
                                continue;
                        name = strndup(de->d_name, e - de->d_name);
                        if (!name) {
                                closedir(dp);
                                r = -ENOMEM;
                                goto fail;
                        }
                        if (!profile_spec_name_is_valid(name))
                                continue;
                        for (size_t i = 0; i < n; i++)
                                dup = dup || streq(entries[i].name, name);
                        if (dup)
                                continue;

                        ne = reallocarray(entries, n + 1, sizeof(ProfileEntry));
                        if (!ne) {
                                closedir(dp);
                                r = -ENOMEM;
                                goto fail;
                        }
                        entries = ne;
                        entries[n] = (ProfileEntry){ .name = TAKE_PTR(name), .path = path_join(*dir, de->d_name) };
                        if (!entries[n++].path) {
                                closedir(dp);
                                r = -ENOMEM;
                                goto fail;
                        }
                }
                r = errno > 0 ? -errno : 0;
                closedir(dp);
                if (r < 0)
                        goto fail;
        }

        if (n > 0)
                qsort(entries, n, sizeof(ProfileEntry), compare_entries);
        *ret = entries;
        *ret_n = n;
        return 0;

fail:
        profile_entries_free(entries, n);
        return r;
}
