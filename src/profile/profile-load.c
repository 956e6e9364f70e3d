/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <ctype.h>
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>

#include "fs-util.h"
#include "path-util.h"
#include "profile-lexer.h"
#include "profile-load.h"
#include "profile-schema.h"
#include "string-util.h"
#include "strv.h"

static const char *const default_search_path[] = { PROFILE_SEARCH_PATH_DEFAULT, NULL };

char *const *profile_search_path(const ProfileLoadOptions *o) {
        return o->search_path ?: (char *const *) default_search_path;
}

/* ---- diagnostics ---- */

typedef struct Loader {
        const ProfileLoadOptions *o;
        ProfileDiags *diags;
        Profile *profile;
        char *const *search_path;
        struct {
                dev_t dev;
                ino_t ino;
        } stack[PROFILE_INHERIT_DEPTH_MAX + 1];
        size_t depth;
        char **files_seen; /* for ordering diagnostics by file */
        size_t n_diags;
        ProfileKeyWhere *where; /* per key, the assignment that set it last */
} Loader;

static int diag_add(Loader *l, const char *file, unsigned line, const char *section, const char *key, bool fatal,
                    const char *format, ...) _printf_(7, 8);
static int diag_add(Loader *l, const char *file, unsigned line, const char *section, const char *key, bool fatal,
                    const char *format, ...) {
        ProfileDiag *n, *d;
        va_list ap;

        n = reallocarray(l->diags->items, l->diags->n + 1, sizeof(ProfileDiag));
        if (!n)
                return -ENOMEM;
        l->diags->items = n;
        d = n + l->diags->n;
        *d = (ProfileDiag){
                .line = line,
                .fatal = fatal || (l->o->flags & PROFILE_LOAD_STRICT),
                .order = SIZE_MAX,
                .seq = l->n_diags++,
        };
        if (file) {
                size_t i = 0;

                STRV_FOREACH(f, l->files_seen) {
                        if (streq(*f, file))
                                break;
                        i++;
                }
                if (!l->files_seen || !l->files_seen[i]) {
                        if (strv_extend(&l->files_seen, file) < 0)
                                return -ENOMEM;
                }
                d->order = i;
        }

        va_start(ap, format);
        d->message = vstrprintf(format, ap);
        va_end(ap);
        if (!d->message)
                return -ENOMEM;

        if ((file && !(d->file = strdup(file))) || (section && !(d->section = strdup(section))) ||
            (key && !(d->key = strdup(key)))) {
                free(d->file);
                free(d->section);
                free(d->message);
                return -ENOMEM;
        }

        l->diags->n++;
        return 0;
}

static int coherence_diag(const char *file, unsigned line, const char *section, const char *key, const char *message,
                          void *userdata) {
        Loader *l = userdata;
        int r;

        r = diag_add(l, file, line, section, key, false, "%s", message);
        if (r >= 0)
                l->diags->items[l->diags->n - 1].advisory = true;
        return r;
}

/* ---- reading and lexing one file ---- */

typedef struct Assignment {
        const ProfileKey *key;
        unsigned line;
        char *value;
} Assignment;

typedef struct SourceFile {
        char *path;
        char *text;
        Assignment *assignments;
        size_t n_assignments, n_allocated;
} SourceFile;

static void source_file_done(SourceFile *f) {
        for (size_t i = 0; i < f->n_assignments; i++)
                free(f->assignments[i].value);
        free(f->assignments);
        free(f->path);
        free(f->text);
}

typedef struct LexState {
        Loader *l;
        SourceFile *file;
        const ProfileSection *section;
        bool skip_section;
        unsigned section_line[32];
} LexState;

static size_t edit_distance(const char *a, const char *b) {
        size_t la = strlen(a), lb = strlen(b), prev[PROFILE_NAME_MAX + 1], cur[PROFILE_NAME_MAX + 1];

        if (la > PROFILE_NAME_MAX || lb > PROFILE_NAME_MAX)
                return SIZE_MAX;
        for (size_t j = 0; j <= lb; j++)
                prev[j] = j;
        for (size_t i = 1; i <= la; i++) {
                cur[0] = i;
                for (size_t j = 1; j <= lb; j++) {
                        size_t sub = prev[j - 1] + (strncasecmp(a + i - 1, b + j - 1, 1) != 0);
                        cur[j] = MIN(MIN(prev[j] + 1, cur[j - 1] + 1), sub);
                }
                memcpy(prev, cur, sizeof(size_t) * (lb + 1));
        }
        return prev[lb];
}

static const char *closest_key(const ProfileSection *section, const char *key) {
        const char *best = NULL;
        size_t best_d = 3;

        for (size_t i = 0; i < section->n_keys; i++) {
                size_t d = edit_distance(key, section->keys[i].key);

                if (d < best_d) {
                        best_d = d;
                        best = section->keys[i].key;
                }
        }
        return best;
}

static int lex_callback(const LexEvent *ev, void *userdata) {
        LexState *s = userdata;
        Loader *l = s->l;
        const char *path = s->file->path;

        switch (ev->type) {

        case LEX_ERROR:
                return diag_add(l, path, ev->line, ev->section, NULL, false, "%s", ev->message);

        case LEX_SECTION: {
                size_t idx;

                s->section = profile_section_lookup(ev->section);
                s->skip_section = !s->section;
                if (!s->section)
                        return diag_add(l, path, ev->line, ev->section, NULL, false, "unknown section");

                idx = s->section - profile_sections;
                if (idx < ELEMENTSOF(s->section_line) && s->section_line[idx] > 0)
                        return diag_add(l, path, ev->line, ev->section, NULL, false,
                                        "section appears again in this file (first at line %u); merge them",
                                        s->section_line[idx]);
                if (idx < ELEMENTSOF(s->section_line))
                        s->section_line[idx] = ev->line;
                return 0;
        }

        case LEX_ASSIGNMENT: {
                const ProfileKey *k;
                Assignment *n;
                char *v;

                if (s->skip_section)
                        return 0; /* reported once, at the section header */

                k = s->section ? profile_section_key_lookup(s->section, ev->key) :
                                 profile_key_lookup(ev->section, ev->key);
                if (!k) {
                        const char *hint = closest_key(s->section, ev->key);

                        if (hint)
                                return diag_add(l, path, ev->line, ev->section, ev->key, false,
                                                "unknown key (did you mean %s=?)", hint);
                        return diag_add(l, path, ev->line, ev->section, ev->key, false, "unknown key");
                }

                v = strdup(ev->value);
                if (!v)
                        return -ENOMEM;
                n = s->file->assignments;
                if (s->file->n_assignments >= s->file->n_allocated) {
                        size_t a = MAX(s->file->n_allocated * 2, 16U);

                        n = reallocarray(n, a, sizeof(Assignment));
                        if (!n) {
                                free(v);
                                return -ENOMEM;
                        }
                        s->file->assignments = n;
                        s->file->n_allocated = a;
                }
                n[s->file->n_assignments++] = (Assignment){ .key = k, .line = ev->line, .value = v };
                return 0;
        }
        }

        return 0;
}

/* Reads and lexes an opened file. Returns 0 (file usable, maybe with line-level problems), 1 if the file
 * as a whole was rejected (reported), <0 on fatal errors. */
static int lex_fd(Loader *l, int fd, SourceFile *f) {
        _cleanup_free_ char *buf = NULL;
        LexState s = { .l = l, .file = f };
        size_t size;
        int r;

        r = read_full_fd(fd, PROFILE_FILE_SIZE_MAX, &buf, &size);
        if (r == -EFBIG) {
                r = diag_add(l, f->path, 0, NULL, NULL, false, "file is larger than %u KiB",
                             PROFILE_FILE_SIZE_MAX / 1024);
                goto rejected;
        }
        if (r == -ENOMEM)
                return r;
        if (r < 0) {
                r = diag_add(l, f->path, 0, NULL, NULL, false, "cannot read file: %s",
                             r == -EBADFD ? "not a regular file" : strerror(-r));
                goto rejected;
        }

        r = profile_lex(buf, size, lex_callback, &s);
        if (l->o->flags & PROFILE_LOAD_KEEP_TEXT)
                f->text = TAKE_PTR(buf);
        if (r == -EBADMSG)
                goto rejected_already_reported;
        return r;

rejected:
        if (r < 0)
                return r;
rejected_already_reported:
        l->diags->items[l->diags->n - 1].file_level = true;
        return 1;
}

/* ---- resolving a profile's files ---- */

/* Profiles and drop-ins are opened only if they are regular files: a FIFO planted in their place must
 * not hang the loader, a device node must not be opened at all. */
static int open_host_or_root(Loader *l, const char *path, bool in_root, int flags) {
        /* A path the tree itself named (the record of an apply below --root) is opened in the tree. */
        if (l->o->flags & PROFILE_LOAD_PATHS_IN_ROOT)
                in_root = true;
        if (flags & O_DIRECTORY) {
                if (in_root)
                        return open_in_root(l->o->root_fd, path, flags);
                return RET_NERRNO(open(path, flags | O_CLOEXEC));
        }
        if (in_root)
                return open_in_root_regular(l->o->root_fd, path, flags | O_NOCTTY);
        return open_regular_at(AT_FDCWD, path, flags | O_NOCTTY);
}

static const char *open_error(int r) {
        return r == -EBADFD ? "not a regular file" : r == -ELOOP ? "a symbolic link loop" : strerror(-r);
}

/* What a failure to open a profile's file returns: a file that is there but cannot be a profile (not a
 * regular file, a directory, a link loop) makes the profile invalid (-EBADMSG); anything else (no
 * permission, no memory) is a failure to read it. */
static int open_failure(int r) {
        return r == -EBADFD || r == -EISDIR || r == -ELOOP || r == -ENOTDIR || r == -ENXIO ? -EBADMSG : r;
}

static int compare_paths_by_basename(const void *a, const void *b) {
        return strcmp(path_basename(*(char *const *) a), path_basename(*(char *const *) b));
}

/* Collects NAME.profile.d/ *.conf from each directory; a name found earlier masks the same name later. */
static int collect_dropins(Loader *l, char *const *dirs, bool in_root, const char *name, char ***ret) {
        _cleanup_strv_free_ char **files = NULL;
        int r;

        STRV_FOREACH(dir, dirs) {
                _cleanup_free_ char *d =
                        streq(*dir, ".") ? strjoin(name, ".profile.d") : strjoin(*dir, "/", name, ".profile.d");
                _cleanup_close_ int fd = -EBADF;
                DIR *dp;
                struct dirent *de;

                if (!d)
                        return -ENOMEM;

                fd = open_host_or_root(l, d, in_root, O_RDONLY | O_DIRECTORY);
                if (fd == -ENOENT)
                        continue;
                if (fd < 0) {
                        r = diag_add(l, d, 0, NULL, NULL, false, "cannot open drop-in directory: %s", strerror(-fd));
                        if (r < 0)
                                return r;
                        l->diags->items[l->diags->n - 1].file_level = true;
                        continue;
                }

                dp = fdopendir(TAKE_FD(fd));
                if (!dp)
                        return negative_errno();

                while ((errno = 0, de = readdir(dp))) {
                        _cleanup_free_ char *p = NULL;
                        bool masked = false;

                        if (de->d_name[0] == '.' || !endswith(de->d_name, ".conf"))
                                continue;

                        STRV_FOREACH(f, files)
                                if (streq(path_basename(*f), de->d_name))
                                        masked = true;
                        if (masked)
                                continue;

                        if (strv_length(files) >= PROFILE_DROPINS_MAX) {
                                closedir(dp);
                                r = diag_add(l, d, 0, NULL, NULL, true, "more than %u drop-ins, refusing",
                                             PROFILE_DROPINS_MAX);
                                return r < 0 ? r : -EBADMSG;
                        }

                        p = path_join(d, de->d_name);
                        r = strv_consume(&files, TAKE_PTR(p));
                        if (r < 0) {
                                closedir(dp);
                                return r;
                        }
                }
                r = errno > 0 ? -errno : 0;
                closedir(dp);
                if (r < 0)
                        return r;
        }

        if (files)
                qsort(files, strv_length(files), sizeof(char *), compare_paths_by_basename);
        *ret = TAKE_PTR(files);
        return 0;
}

bool profile_spec_is_path(const char *s) {
        return strchr(s, '/') || endswith(s, ".profile");
}

bool profile_spec_name_is_valid(const char *s) {
        size_t n = strlen(s);

        if (n == 0 || n > 64 || s[0] == '.' || s[0] == '-')
                return false;
        for (; *s; s++)
                if (!(isalnum((unsigned char) *s) || strchr("_.-", *s)) || !isascii((unsigned char) *s))
                        return false;
        return true;
}

/* ---- loading ---- */

static int load_one(Loader *l, const char *spec, const char *host_dir, const char *from_file, unsigned from_line);

static int apply_file(Loader *l, SourceFile *f) {
        _cleanup_free_ unsigned *first = calloc(profile_n_keys(), sizeof(unsigned));
        int r;

        if (!first)
                return -ENOMEM;

        for (size_t i = 0; i < f->n_assignments; i++) {
                const Assignment *a = f->assignments + i;
                const ProfileKey *k = a->key;
                size_t idx = profile_key_index(k);
                _cleanup_free_ char *reason = NULL;

                if (!profile_key_is_list(k)) {
                        if (first[idx] > 0) {
                                r = diag_add(l, f->path, a->line, k->section, k->key, false,
                                             "assigned more than once in this file (first at line %u)", first[idx]);
                                if (r < 0)
                                        return r;
                        } else
                                first[idx] = a->line;
                }

                r = profile_key_apply(k, l->profile, a->value, &reason);
                if (r == -ENOMEM)
                        return r;
                if (r >= 0 && l->where) {
                        r = profile_key_where_set(l->where + idx, f->path, a->line);
                        if (r < 0)
                                return r;
                }
                if (r < 0) {
                        r = diag_add(l, f->path, a->line, k->section, k->key, k->flags & KEY_FAIL_CLOSED, "%s",
                                     reason ?: "invalid value");
                        if (r < 0)
                                return r;
                }
        }
        return 0;
}

static int load_one(Loader *l, const char *spec, const char *host_dir, const char *from_file, unsigned from_line) {
        _cleanup_strv_free_ char **dropins = NULL;
        _cleanup_free_ char *main_path = NULL, *own_dir = NULL;
        _cleanup_close_ int fd = -EBADF;
        SourceFile *files = NULL;
        size_t n_files = 0;
        const char *name, *inherit = NULL, *inherit_file = NULL;
        unsigned inherit_line = 0;
        struct stat st;
        bool by_path = profile_spec_is_path(spec), in_root = !by_path;
        int r;

        if (by_path) {
                main_path = strdup(spec);
                if (!main_path)
                        return -ENOMEM;
                fd = open_host_or_root(l, main_path, false, O_RDONLY);
                if (fd < 0) {
                        r = diag_add(l, main_path, 0, NULL, NULL, true, "cannot open profile: %s", open_error(fd));
                        return r < 0 ? r : open_failure(fd);
                }
        } else {
                if (!profile_spec_name_is_valid(spec)) {
                        r = diag_add(l, from_file, from_line, from_file ? "Profile" : NULL,
                                     from_file ? "Inherit" : NULL, true, "'%s' is not a valid profile name", spec);
                        return r < 0 ? r : -EINVAL;
                }

                /* A profile named from a file given by path looks in that file's directory first. */
                if (host_dir) {
                        main_path = streq(host_dir, ".") ? strjoin(spec, ".profile") :
                                                           strjoin(host_dir, "/", spec, ".profile");
                        if (!main_path)
                                return -ENOMEM;
                        fd = open_host_or_root(l, main_path, false, O_RDONLY);
                        if (fd >= 0)
                                in_root = false;
                        else if (fd != -ENOENT) {
                                /* There, but not a profile (a FIFO, a device, a link to one): said at
                                 * the line that names it, not passed over for another of that name. */
                                r = diag_add(l, from_file, from_line, from_file ? "Profile" : NULL,
                                             from_file ? "Inherit" : NULL, true, "'%s' is %s: %s", spec, main_path,
                                             open_error(fd));
                                return r < 0 ? r : open_failure(fd);
                        } else
                                main_path = mfree(main_path);
                }

                STRV_FOREACH(dir, l->search_path) {
                        if (fd >= 0)
                                break;
                        main_path = strjoin(*dir, "/", spec, ".profile");
                        if (!main_path)
                                return -ENOMEM;
                        fd = open_host_or_root(l, main_path, true, O_RDONLY);
                        if (fd >= 0)
                                break;
                        if (fd != -ENOENT) {
                                if (from_file)
                                        r = diag_add(l, from_file, from_line, "Profile", "Inherit", true,
                                                     "'%s' is %s: %s", spec, main_path, open_error(fd));
                                else
                                        r = diag_add(l, main_path, 0, NULL, NULL, true, "cannot open profile: %s",
                                                     open_error(fd));
                                return r < 0 ? r : open_failure(fd);
                        }
                        main_path = mfree(main_path);
                }

                if (fd < 0) {
                        if (from_file)
                                r = diag_add(l, from_file, from_line, "Profile", "Inherit", true,
                                             "no profile '%s' in the search path", spec);
                        else
                                r = diag_add(l, NULL, 0, NULL, NULL, true, "no profile '%s' in the search path", spec);
                        return r < 0 ? r : -ENOENT;
                }
        }

        if (fstat(fd, &st) < 0)
                return negative_errno();

        for (size_t i = 0; i < l->depth; i++)
                if (l->stack[i].dev == st.st_dev && l->stack[i].ino == st.st_ino) {
                        r = diag_add(l, from_file, from_line, "Profile", "Inherit", true,
                                     "inheritance cycle: '%s' is already being loaded", spec);
                        return r < 0 ? r : -ELOOP;
                }
        if (l->depth > PROFILE_INHERIT_DEPTH_MAX) {
                r = diag_add(l, from_file, from_line, "Profile", "Inherit", true,
                             "profiles inherit more than %u levels deep", PROFILE_INHERIT_DEPTH_MAX);
                return r < 0 ? r : -ELOOP;
        }

        name = path_basename(main_path);
        l->stack[l->depth].dev = st.st_dev;
        l->stack[l->depth].ino = st.st_ino;
        l->depth++;

        /* A file opened outside the root (given by path, or found beside one) has its drop-ins and
         * parents beside it; one found in the search path has them in the search path. */
        if (!in_root) {
                const char *b = path_basename(main_path);

                own_dir = b == main_path     ? strdup(".") :
                          b == main_path + 1 ? strdup("/") :
                                               strndup(main_path, b - main_path - 1);
                if (!own_dir) {
                        r = -ENOMEM;
                        goto finish;
                }
        }

        {
                _cleanup_free_ char *base =
                        strndup(name, strlen(name) - (endswith(name, ".profile") ? STRLEN(".profile") : 0));
                char *const host_dirs[] = { own_dir, NULL };

                if (!base) {
                        r = -ENOMEM;
                        goto finish;
                }

                r = collect_dropins(l, in_root ? l->search_path : host_dirs, in_root, base, &dropins);
                if (r < 0)
                        goto finish;

                if (!l->profile->name)
                        l->profile->name = TAKE_PTR(base);
        }

        files = new0(SourceFile, strv_length(dropins) + 1);
        if (!files) {
                r = -ENOMEM;
                goto finish;
        }

        files[0].path = TAKE_PTR(main_path);
        n_files = 1;
        r = lex_fd(l, fd, files);
        if (r < 0)
                goto finish;
        if (r > 0) {
                /* The main file itself is unusable: there is nothing to apply. */
                l->diags->items[l->diags->n - 1].fatal = true;
                r = -EBADMSG;
                goto finish;
        }

        STRV_FOREACH(d, dropins) {
                _cleanup_close_ int dfd = -EBADF;
                SourceFile *f = files + n_files;

                f->path = strdup(*d);
                if (!f->path) {
                        r = -ENOMEM;
                        goto finish;
                }
                n_files++;

                dfd = open_host_or_root(l, *d, in_root, O_RDONLY);
                if (dfd < 0) {
                        r = diag_add(l, *d, 0, NULL, NULL, false, "cannot open drop-in: %s", open_error(dfd));
                        if (r < 0)
                                goto finish;
                        l->diags->items[l->diags->n - 1].file_level = true;
                        continue;
                }
                r = lex_fd(l, dfd, f);
                if (r < 0)
                        goto finish;
        }

        /* Inherit= first: the parent is applied before any assignment of this profile. The last valid
         * assignment counts, as for any scalar. */
        for (size_t i = 0; i < n_files; i++)
                for (size_t j = 0; j < files[i].n_assignments; j++)
                        if (files[i].assignments[j].key->flags & KEY_LOADER) {
                                inherit = files[i].assignments[j].value;
                                inherit_file = files[i].path;
                                inherit_line = files[i].assignments[j].line;
                        }

        /* Inherit= names a profile; it is never a path (the assignment's own check reports it). */
        if (!isempty(inherit) && profile_spec_name_is_valid(inherit)) {
                r = load_one(l, inherit, own_dir, inherit_file, inherit_line);
                if (r < 0)
                        goto finish;
        }

        for (size_t i = 0; i < n_files; i++) {
                r = apply_file(l, files + i);
                if (r < 0)
                        goto finish;
                r = strv_extend(&l->profile->sources, files[i].path);
                if (r >= 0 && (l->o->flags & PROFILE_LOAD_KEEP_TEXT))
                        r = strv_consume(&l->profile->source_texts, files[i].text ? TAKE_PTR(files[i].text) : strdup(""));
                if (r < 0)
                        goto finish;
        }
        r = 0;

finish:
        l->depth--;
        for (size_t i = 0; i < n_files; i++)
                source_file_done(files + i);
        free(files);
        return r;
}

static int compare_diags(const void *a, const void *b) {
        const ProfileDiag *x = a, *y = b;

        if (x->order != y->order)
                return x->order < y->order ? -1 : 1;
        if (x->line != y->line)
                return x->line < y->line ? -1 : 1;
        return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Decides, once the whole profile is known, which problems stop the load; orders them by file, then
 * line. Returns -EBADMSG if any is fatal. */
static int finish_diags(const ProfileLoadOptions *o, const Profile *p, ProfileDiags *diags, size_t first) {
        bool any_required = false, fatal = false;

        if (!(o->flags & PROFILE_LOAD_STRICT)) {
                /* Lenient mode: problems in a section the profile requires to be enforced are fatal, and
                 * so is a skipped file if any section is required, as we cannot know what it said. */
                for (size_t i = 0; i < profile_n_sections; i++)
                        if (profile_sections[i].required && profile_sections[i].required(p))
                                any_required = true;

                for (size_t i = first; i < diags->n; i++) {
                        ProfileDiag *d = diags->items + i;
                        const ProfileSection *s = d->section ? profile_section_lookup(d->section) : NULL;

                        if (d->file_level && any_required)
                                d->fatal = true;
                        else if (s && s->required && s->required(p) && !d->advisory)
                                d->fatal = true;
                }
        }

        /* Files in the order they were first reported, then lines; stable. */
        if (diags->n > first)
                qsort(diags->items + first, diags->n - first, sizeof(ProfileDiag), compare_diags);

        for (size_t i = first; i < diags->n; i++)
                fatal = fatal || diags->items[i].fatal;
        return fatal ? -EBADMSG : 0;
}

int profile_load(const ProfileLoadOptions *o, const char *spec, Profile **ret, ProfileDiags *diags) {
        _cleanup_(profile_freep) Profile *p = NULL;
        Loader l = {
                .o = o,
                .diags = diags,
                .search_path = profile_search_path(o),
        };
        size_t first = diags->n;
        int r, k;

        assert(o);
        assert(spec);
        assert(ret);

        p = profile_new();
        l.where = new0(ProfileKeyWhere, profile_n_keys());
        if (!p || !l.where) {
                free(l.where);
                return -ENOMEM;
        }
        l.profile = p;

        r = load_one(&l, spec, NULL, NULL, 0);
        /* Settings that contradict one another, each said where the key that has the effect was set. */
        if (r >= 0)
                r = profile_check_coherence(p, l.where, coherence_diag, &l);
        profile_key_where_free(l.where);
        l.files_seen = strv_free(l.files_seen);
        if (r == -ENOMEM)
                return r;

        k = finish_diags(o, p, diags, first);
        if (r < 0)
                return r == -ELOOP || r == -EINVAL ? -EBADMSG : r;
        if (k < 0)
                return k;

        /* Everything is merged: the typed values, once. Rules that cannot be built in the tree (a rules file
         * of RulesFile= with a bad line, a watch below a file) are an error of the profile in strict mode;
         * consumers see why otherwise. */
        if (!(o->flags & PROFILE_LOAD_UNTYPED)) {
                r = profile_finalize_in_root(p, o->root_fd);
                if (r < 0)
                        return r;
                if ((o->flags & PROFILE_LOAD_STRICT) && p->audit.rules_error) {
                        r = diag_add(&l, NULL, 0, "Audit", p->audit.rules_error_key, true, "%s", p->audit.rules_error);
                        return r < 0 ? r : -EBADMSG;
                }
        }

        *ret = TAKE_PTR(p);
        return 0;
}

int profile_parse_buffer(const char *path, const char *buf, size_t size, unsigned flags, Profile **ret,
                         ProfileDiags *diags) {
        _cleanup_(profile_freep) Profile *p = NULL;
        ProfileLoadOptions o = { .root_fd = -EBADF, .flags = flags };
        SourceFile f = {};
        Loader l = { .o = &o, .diags = diags };
        LexState s = { .l = &l, .file = &f };
        size_t first = diags->n;
        int r, k;

        p = profile_new();
        if (!p)
                return -ENOMEM;
        l.profile = p;

        f.path = strdup(path);
        if (!f.path)
                return -ENOMEM;

        r = profile_lex(buf, size, lex_callback, &s);
        if (r == -EFBIG)
                r = diag_add(&l, path, 0, NULL, NULL, true, "file is larger than %u KiB", PROFILE_FILE_SIZE_MAX / 1024);
        if (r == -EBADMSG)
                diags->items[diags->n - 1].fatal = true;
        if (r >= 0)
                r = apply_file(&l, &f);
        if (r >= 0)
                r = strv_extend(&p->sources, path);
        source_file_done(&f);
        l.files_seen = strv_free(l.files_seen);
        if (r == -ENOMEM)
                return r;

        k = finish_diags(&o, p, diags, first);
        if (r < 0)
                return r;
        if (k < 0)
                return k;

        if (!(flags & PROFILE_LOAD_UNTYPED)) {
                r = profile_finalize(p);
                if (r < 0)
                        return r;
        }

        *ret = TAKE_PTR(p);
        return 0;
}
