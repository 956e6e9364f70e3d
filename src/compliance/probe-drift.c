/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <inttypes.h>
#include <dirent.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <openssl/evp.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>

#include "fs-util.h"
#include "path-util.h"
#include "probe.h"
#include "string-util.h"
#include "strv.h"

#define DRIFT_ENTRIES_MAX 100000U
#define DRIFT_DEPTH_MAX 32U
#define DRIFT_HASH_MAX (64U * 1024U * 1024U)

typedef struct DriftWalk {
        int lower_fd; /* -EBADF: the lower layer cannot be reached */
        char *const *expected;
        DriftEntry *entries;
        size_t n, allocated;
} DriftWalk;

static int digest_fd(int fd, char **ret) {
        unsigned char md[EVP_MAX_MD_SIZE], buf[64 * 1024];
        char hex[65];
        unsigned n = 0;
        EVP_MD_CTX *ctx;
        int ok, r = 0;

        ctx = EVP_MD_CTX_new();
        if (!ctx)
                return -ENOMEM;
        ok = EVP_DigestInit_ex(ctx, EVP_sha256(), NULL);
        while (ok) {
                ssize_t k = read(fd, buf, sizeof(buf));

                if (k < 0 && errno == EINTR)
                        continue;
                if (k < 0) {
                        r = negative_errno();
                        break;
                }
                if (k == 0)
                        break;
                ok = EVP_DigestUpdate(ctx, buf, (size_t) k);
        }
        ok = ok && r >= 0 && EVP_DigestFinal_ex(ctx, md, &n);
        EVP_MD_CTX_free(ctx);
        if (r < 0)
                return r;
        if (!ok || n != 32)
                return -EIO;
        for (unsigned i = 0; i < n; i++)
                sprintf(hex + 2 * i, "%02x", md[i]);
        *ret = strprintf("sha256:%s", hex);
        return *ret ? 0 : -ENOMEM;
}

/* The whole target of a symlink: readlinkat() into a buffer that grows until the target fits, so that
 * it is never silently cut short. */
static int readlinkat_full(int dir_fd, const char *name, char **ret, size_t *ret_n) {
        for (size_t size = 256;; size *= 2) {
                _cleanup_free_ char *buf = malloc(size);
                ssize_t k;

                if (!buf)
                        return -ENOMEM;
                k = readlinkat(dir_fd, name, buf, size);
                if (k < 0)
                        return negative_errno();
                if ((size_t) k < size) {
                        *ret_n = (size_t) k;
                        *ret = TAKE_PTR(buf);
                        return 0;
                }
                if (size >= 64U * 1024U)
                        return -ENAMETOOLONG;
        }
}

/* Whether a regular file is one whose digest is not computed: larger than DRIFT_HASH_MAX, or sparse
 * (fewer bytes allocated than its size, beyond the first 64 KiB, which a file system may keep inline):
 * a terabyte of holes costs nothing on disk and forty minutes to hash. Its "digest" says so instead,
 * and it counts as modified against any lower file. */
static char *unhashed(const struct stat *st) {
        uint64_t size = (uint64_t) st->st_size, allocated = (uint64_t) st->st_blocks * 512U;

        if (size > DRIFT_HASH_MAX)
                return strprintf("%s%" PRIu64 " bytes, larger than %u bytes: not hashed", DRIFT_UNHASHED_PREFIX, size,
                                 DRIFT_HASH_MAX);
        if (size > 64U * 1024U && allocated < size)
                return strprintf("%ssparse, %" PRIu64 " of %" PRIu64 " bytes allocated: not hashed",
                                 DRIFT_UNHASHED_PREFIX, allocated, size);
        return NULL;
}

/* The digest of a file (its content) or a symlink (its target), name relative to dir_fd. */
static int digest_at(int dir_fd, const char *name, const struct stat *st, char **ret) {
        if (S_ISREG(st->st_mode)) {
                char *u = unhashed(st);

                if (u) {
                        *ret = u;
                        return 0;
                }
        }
        if (S_ISREG(st->st_mode)) {
                /* The entry may have been replaced since it was looked at: only a regular file is opened. */
                _cleanup_close_ int fd = open_regular_at(dir_fd, name, O_RDONLY | O_NOFOLLOW | O_NOCTTY | O_NONBLOCK);

                if (fd < 0)
                        return fd;
                return digest_fd(fd, ret);
        }
        if (S_ISLNK(st->st_mode)) {
                _cleanup_free_ char *target = NULL;
                char hex[65];
                size_t n;
                int r;

                r = readlinkat_full(dir_fd, name, &target, &n);
                if (r < 0)
                        return r;
                r = sha256_hex(target, n, hex);
                if (r < 0)
                        return r;
                *ret = strprintf("sha256:%s", hex);
                return *ret ? 0 : -ENOMEM;
        }
        *ret = NULL;
        return 0;
}

/* Overlay's own marks on an upper entry ("trusted.overlay.NAME", or "user.overlay.NAME" with the
 * userxattr mount option): whether it is there, and its first byte. */
static int overlay_xattr(int dir_fd, const char *name, const char *attr, char *ret_first) {
        static const char *const prefixes[] = { "trusted.overlay.", "user.overlay." };
        char path[64 + NAME_MAX], key[64], v[256];

        if (snprintf(path, sizeof(path), "/proc/self/fd/%d/%s", dir_fd, name) >= (int) sizeof(path))
                return -ENAMETOOLONG;
        for (size_t i = 0; i < ELEMENTSOF(prefixes); i++) {
                ssize_t k;

                snprintf(key, sizeof(key), "%s%s", prefixes[i], attr);
                k = lgetxattr(path, key, v, sizeof(v));
                if (k >= 0) {
                        if (ret_first)
                                *ret_first = k > 0 ? v[0] : 0;
                        return 1;
                }
                if (errno == ERANGE)
                        return 1;
        }
        return 0;
}

static char type_char(mode_t m) {
        return S_ISREG(m) ? 'f' : S_ISDIR(m) ? 'd' : S_ISLNK(m) ? 'l' : S_ISCHR(m) ? 'c' : '?';
}

static bool is_expected(char *const *patterns, const char *rel) {
        STRV_FOREACH(p, patterns) {
                /* A pattern matches the path, or one of its parent directories. */
                for (size_t n = strlen(rel);;) {
                        _cleanup_free_ char *prefix = strndup(rel, n);
                        const char *slash;

                        if (!prefix)
                                return false;
                        if (fnmatch(*p, prefix, FNM_PATHNAME | FNM_PERIOD) == 0)
                                return true;
                        slash = memrchr(rel, '/', n);
                        if (!slash)
                                break;
                        n = slash - rel;
                }
        }
        return false;
}

static int entry_add(DriftWalk *w, const char *rel, DriftKind kind, const struct stat *st, char *digest) {
        if (w->n >= DRIFT_ENTRIES_MAX) {
                free(digest);
                return -E2BIG;
        }
        if (w->n >= w->allocated) {
                size_t na = MAX(w->allocated * 2, 32U);
                DriftEntry *l = reallocarray(w->entries, na, sizeof(DriftEntry));

                if (!l) {
                        free(digest);
                        return -ENOMEM;
                }
                w->entries = l;
                w->allocated = na;
        }
        w->entries[w->n] = (DriftEntry){
                .path = strdup(rel),
                .kind = kind,
                .type = type_char(st->st_mode),
                .digest = digest,
                .mode = st->st_mode & 07777,
                .uid = st->st_uid,
                .gid = st->st_gid,
                .expected = is_expected(w->expected, rel),
        };
        if (!w->entries[w->n].path) {
                free(digest);
                return -ENOMEM;
        }
        w->n++;
        return 0;
}

static bool same_metadata(const struct stat *a, const struct stat *b) {
        return (a->st_mode & 07777) == (b->st_mode & 07777) && a->st_uid == b->st_uid && a->st_gid == b->st_gid;
}

static int walk(DriftWalk *w, int dir_fd, const char *prefix, unsigned depth) {
        _cleanup_strv_free_ char **names = NULL;
        StrvBuilder b = {};
        int r, fd;
        DIR *d;

        if (depth > DRIFT_DEPTH_MAX)
                return -ELOOP;
        fd = openat(dir_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0)
                return negative_errno();
        d = fdopendir(fd);
        if (!d) {
                safe_close(fd);
                return negative_errno();
        }
        for (struct dirent *de; (de = readdir(d));)
                if (!streq(de->d_name, ".") && !streq(de->d_name, "..") && strv_builder_extend(&b, de->d_name) < 0) {
                        closedir(d);
                        strv_builder_done(&b);
                        return -ENOMEM;
                }
        closedir(d);
        names = strv_builder_take(&b);
        strv_sort(names);

        STRV_FOREACH(n, names) {
                _cleanup_free_ char *rel = prefix ? path_join(prefix, *n) : strdup(*n);
                _cleanup_free_ char *digest = NULL;
                _cleanup_close_ int lower = -EBADF;
                struct stat st, lst;
                bool have_lower = false, metacopy;
                DriftKind kind;

                if (!rel)
                        return -ENOMEM;
                if (fstatat(dir_fd, *n, &st, AT_SYMLINK_NOFOLLOW) < 0) {
                        if (errno == ENOENT)
                                continue; /* gone since readdir(): nothing to report */
                        return negative_errno();
                }

                if (w->lower_fd >= 0) {
                        lower = open_beneath(w->lower_fd, rel, O_PATH | O_NOFOLLOW);
                        if (lower >= 0 && fstat(lower, &lst) >= 0)
                                have_lower = true;
                }

                if (S_ISCHR(st.st_mode) && major(st.st_rdev) == 0 && minor(st.st_rdev) == 0) {
                        r = entry_add(w, rel, DRIFT_DELETED, &st, NULL);
                        if (r < 0)
                                return r;
                        continue;
                }

                if (S_ISDIR(st.st_mode)) {
                        _cleanup_close_ int sub = -EBADF;
                        char opaque = 0;
                        bool report = true;

                        if (overlay_xattr(dir_fd, *n, "opaque", &opaque) > 0 && opaque == 'y')
                                kind = DRIFT_OPAQUE;
                        else if (w->lower_fd >= 0 && !have_lower)
                                kind = DRIFT_ADDED;
                        else if (w->lower_fd < 0 && overlay_xattr(dir_fd, *n, "origin", NULL) <= 0)
                                kind = DRIFT_ADDED;
                        else if (have_lower && !S_ISDIR(lst.st_mode))
                                kind = DRIFT_MODIFIED;
                        else if (have_lower && !same_metadata(&st, &lst))
                                kind = DRIFT_METADATA_ONLY;
                        else
                                report = false; /* only there to hold what changed below it */

                        if (report) {
                                r = entry_add(w, rel, kind, &st, NULL);
                                if (r < 0)
                                        return r;
                        }
                        sub = openat(dir_fd, *n, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
                        if (sub < 0 && (errno == ENOENT || errno == ENOTDIR))
                                continue; /* gone, or replaced, since it was looked at */
                        if (sub < 0)
                                return negative_errno();
                        r = walk(w, sub, rel, depth + 1);
                        if (r < 0)
                                return r;
                        continue;
                }

                /* A metadata-only copy-up (overlayfs metacopy=on) keeps its data in the lower file: the
                 * upper file is a sparse stub, whose digest would say nothing. */
                metacopy = S_ISREG(st.st_mode) && overlay_xattr(dir_fd, *n, "metacopy", NULL) > 0;
                if (!metacopy) {
                        r = digest_at(dir_fd, *n, &st, &digest);
                        if (r == -ENOENT)
                                continue; /* gone since it was looked at */
                        if (r < 0)
                                return r;
                }

                if (w->lower_fd >= 0) {
                        if (!have_lower)
                                kind = metacopy ? DRIFT_METADATA_ONLY : DRIFT_ADDED;
                        else if (type_char(st.st_mode) != type_char(lst.st_mode))
                                kind = DRIFT_MODIFIED;
                        else {
                                _cleanup_free_ char *ld = NULL, *base = NULL;
                                _cleanup_close_ int parent = -EBADF;
                                const char *slash = strrchr(rel, '/');

                                /* Compare content through the lower entry's parent directory. */
                                base = slash ? strndup(rel, slash - rel) : strdup(".");
                                if (!base)
                                        return -ENOMEM;
                                parent = streq(base, ".") ? fcntl(w->lower_fd, F_DUPFD_CLOEXEC, 3) :
                                                            open_beneath(w->lower_fd, base, O_RDONLY | O_DIRECTORY);
                                r = parent < 0 ? parent : digest_at(parent, slash ? slash + 1 : rel, &lst, &ld);
                                if (r == -ENOENT)
                                        kind = metacopy ? DRIFT_METADATA_ONLY :
                                                          DRIFT_ADDED; /* the lower entry went away meanwhile */
                                else if (r < 0)
                                        return r;
                                else if (metacopy) {
                                        kind = DRIFT_METADATA_ONLY; /* the content is the lower file's */
                                        digest = TAKE_PTR(ld);
                                } else if (ld && digest &&
                                           (!streq(ld, digest) || startswith(digest, DRIFT_UNHASHED_PREFIX)))
                                        kind = DRIFT_MODIFIED; /* or cannot be told from modified */
                                else
                                        kind = DRIFT_METADATA_ONLY;
                        }
                } else {
                        if (metacopy)
                                kind = DRIFT_METADATA_ONLY; /* no digest: the lower file cannot be read */
                        else if (overlay_xattr(dir_fd, *n, "origin", NULL) > 0)
                                kind = DRIFT_MODIFIED;
                        else
                                kind = DRIFT_ADDED;
                }

                r = entry_add(w, rel, kind, &st, TAKE_PTR(digest));
                if (r < 0)
                        return r;
        }
        return 0;
}

int drift_read_at(int root_fd, const char *upper, int lower_fd, char *const *expected, DriftEntry **ret, size_t *ret_n) {
        _cleanup_close_ int upper_fd = -EBADF;
        DriftWalk w = { .lower_fd = lower_fd, .expected = expected };
        int r;

        upper_fd = open_in_root(root_fd, upper, O_RDONLY | O_DIRECTORY);
        if (upper_fd < 0)
                return upper_fd;

        /* Entries that vanish during the walk are skipped: -ENOENT means only that the upper dir
         * itself is missing. */
        r = walk(&w, upper_fd, NULL, 0);
        if (r == -ENOENT)
                r = -ESTALE;
        if (r < 0) {
                drift_entries_free(w.entries, w.n);
                return r;
        }
        *ret = w.entries;
        *ret_n = w.n;
        return 0;
}

int drift_read(int root_fd, const char *upper, const char *lower, char *const *expected, DriftEntry **ret, size_t *ret_n) {
        _cleanup_close_ int lower_fd = -EBADF;

        if (lower) {
                lower_fd = open_in_root(root_fd, lower, O_RDONLY | O_DIRECTORY);
                if (lower_fd < 0 && lower_fd != -ENOENT)
                        return lower_fd;
        }
        return drift_read_at(root_fd, upper, lower_fd, expected, ret, ret_n);
}
