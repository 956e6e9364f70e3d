/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <fcntl.h>

#include "boot.h"
#include "fs-util.h"
#include "hardenctl.h"
#include "json-util.h"
#include "log.h"
#include "profile-json.h"
#include "profile-lexer.h"
#include "profile-schema.h"
#include "path-util.h"
#include "string-util.h"
#include "strv.h"

typedef struct LoadScope {
        ProfileLoadOptions options;
        int root_fd;
        char **search_path;
} LoadScope;

static void load_scope_done(LoadScope *s) {
        safe_close(s->root_fd);
        strv_free(s->search_path);
}

static int load_scope_init(LoadScope *s) {
        *s = (LoadScope){ .root_fd = -EBADF };
        return load_options_init(&s->options, &s->root_fd, &s->search_path);
}

int verb_validate(int argc, char *argv[]) {
        _cleanup_(load_scope_done) LoadScope s = { .root_fd = -EBADF };
        _cleanup_strv_free_ char **specs = NULL;
        int r, ret = EXIT_OK;

        r = load_scope_init(&s);
        if (r < 0)
                return r;

        if (argc > 1)
                specs = strv_copy(argv + 1);
        else {
                ProfileEntry *e = NULL;
                size_t n = 0;

                r = profile_list(&s.options, &e, &n);
                if (r < 0)
                        return log_error_errno(r, "Failed to enumerate profiles: %m");
                for (size_t i = 0; i < n && r >= 0; i++)
                        r = strv_extend(&specs, e[i].name);
                profile_entries_free(e, n);
                if (r < 0)
                        return log_oom();
                if (!specs)
                        return log_error_errno(-ENOENT, "No profiles found in the search path.");
        }
        if (!specs)
                return log_oom();

        STRV_FOREACH(spec, specs) {
                _cleanup_(profile_freep) Profile *p = NULL;

                r = load_profile(&s.options, *spec, &p);
                if (r < 0)
                        return r;
                if (r > 0) {
                        ret = r;
                        continue;
                }
                if (!arg_quiet)
                        printf("%s: valid (%zu file%s)\n", *spec, strv_length(p->sources),
                               strv_length(p->sources) == 1 ? "" : "s");
        }

        return ret;
}

int verb_list_profiles(int argc, char *argv[]) {
        _cleanup_(load_scope_done) LoadScope s = { .root_fd = -EBADF };
        ProfileEntry *e = NULL;
        size_t n = 0;
        int r;

        r = load_scope_init(&s);
        if (r < 0)
                return r;

        r = profile_list(&s.options, &e, &n);
        if (r < 0)
                return log_error_errno(r, "Failed to enumerate profiles: %m");

        if (arg_json != JSON_OFF) {
                _cleanup_(json_object_putp) struct json_object *a = json_object_new_array();

                for (size_t i = 0; a && i < n; i++) {
                        struct json_object *o = json_object_new_object();
                        if (!o || json_object_object_add(o, "name", json_object_new_string(e[i].name)) < 0 ||
                            json_object_object_add(o, "path", json_object_new_string(e[i].path)) < 0 ||
                            json_object_array_add(a, o) < 0) {
                                json_object_put(o);
                                a = NULL;
                        }
                }
                profile_entries_free(e, n);
                if (!a)
                        return log_oom();
                return json_print(a);
        }

        for (size_t i = 0; i < n; i++)
                printf("%-24s %s\n", e[i].name, e[i].path);
        if (!arg_quiet)
                printf("\n%zu profile%s listed.\n", n, n == 1 ? "" : "s");
        profile_entries_free(e, n);
        return 0;
}

int verb_cat_profile(int argc, char *argv[]) {
        _cleanup_(load_scope_done) LoadScope s = { .root_fd = -EBADF };
        _cleanup_(profile_freep) Profile *p = NULL;
        int r;

        r = load_scope_init(&s);
        if (r < 0)
                return r;
        s.options.flags = (s.options.flags & ~PROFILE_LOAD_STRICT) | PROFILE_LOAD_KEEP_TEXT;

        r = load_profile(&s.options, argv[1], &p);
        if (r != 0)
                return r;

        for (size_t i = 0; p->sources && p->sources[i]; i++) {
                const char *text = p->source_texts ? p->source_texts[i] : NULL;
                size_t size = strlen(strempty(text));

                printf("%s# %s\n", i > 0 ? "\n" : "", p->sources[i]);
                fputs(strempty(text), stdout);
                if (size > 0 && text[size - 1] != '\n')
                        putchar('\n');
        }
        return 0;
}

static void print_ini(const Profile *p) {
        for (size_t i = 0; i < profile_n_sections; i++) {
                bool header = false;

                for (size_t j = 0; j < profile_sections[i].n_keys; j++) {
                        const ProfileKey *k = profile_sections[i].keys + j;
                        _cleanup_(json_object_putp) struct json_object *v = NULL;

                        if (profile_key_to_json(k, p, &v) < 0 || !v)
                                continue;
                        if (json_object_is_type(v, json_type_array) && json_object_array_length(v) == 0)
                                continue;

                        if (!header) {
                                printf("%s[%s]\n", i > 0 ? "\n" : "", profile_sections[i].name);
                                header = true;
                        }

                        if (json_object_is_type(v, json_type_array)) {
                                /* Lists of words on one line, as written; lists of lines one per line. */
                                for (size_t n = 0; n < json_object_array_length(v); n++) {
                                        printf("%s%s%s", k->type == PV_WORDS && n > 0 ? " " : k->key,
                                               k->type == PV_WORDS && n > 0 ? "" : "=",
                                               json_object_get_string(json_object_array_get_idx(v, n)));
                                        if (k->type == PV_LINES || n + 1 == json_object_array_length(v))
                                                putchar('\n');
                                }
                        } else if (json_object_is_type(v, json_type_boolean))
                                printf("%s=%s\n", k->key, json_object_get_boolean(v) ? "yes" : "no");
                        else
                                printf("%s=%s\n", k->key, json_object_get_string(v));
                }
        }
}

int verb_show_profile(int argc, char *argv[]) {
        _cleanup_(load_scope_done) LoadScope s = { .root_fd = -EBADF };
        _cleanup_(profile_freep) Profile *p = NULL;
        _cleanup_(json_object_putp) struct json_object *j = NULL;
        int r;

        r = load_scope_init(&s);
        if (r < 0)
                return r;

        r = load_profile(&s.options, argv[1], &p);
        if (r != 0)
                return r;

        if (arg_json == JSON_OFF) {
                printf("# Profile %s, merged from:\n", p->name);
                STRV_FOREACH(src, p->sources)
                        printf("#   %s\n", *src);
                print_ini(p);
                return 0;
        }

        r = profile_to_json(p, &j);
        if (r < 0)
                return log_error_errno(r, "Failed to build JSON: %m");
        return json_print(j);
}

/* Prints each file the initrd needs for the boot profile below the root, one per line: the profile's
 * own files (active.profile, parents, drop-ins) and, where the profile names them, the root hash and
 * signature files. /usr is not mounted when the initrd reads them, so they must be in it. */
int verb_boot_files(int argc, char *argv[]) {
        _cleanup_(load_scope_done) LoadScope s = { .root_fd = -EBADF };
        _cleanup_(profile_freep) Profile *p = NULL;
        _cleanup_close_ int fd = -EBADF;
        const char *extra[2];
        int r;

        r = load_scope_init(&s);
        if (r < 0)
                return r;

        fd = open_in_root(s.root_fd, BOOT_PROFILE_PATH, O_PATH);
        if (fd < 0) {
                log_error("There is no boot profile %s%s.", arg_root ? "below the root " : "", BOOT_PROFILE_PATH);
                return EXIT_INVALID_PROFILE;
        }
        fd = safe_close(fd);

        s.options.search_path = boot_profile_search_path;
        r = load_profile(&s.options, BOOT_PROFILE_NAME, &p);
        if (r != 0)
                return r;

        STRV_FOREACH(src, p->sources)
                puts(*src);

        extra[0] = p->usr.root_hash && path_is_absolute(p->usr.root_hash) ? p->usr.root_hash : NULL;
        extra[1] = p->usr.signature_file;
        for (size_t i = 0; i < ELEMENTSOF(extra); i++) {
                if (!extra[i])
                        continue;
                fd = open_in_root(s.root_fd, extra[i], O_RDONLY | O_NONBLOCK);
                if (fd < 0) {
                        log_error_errno(fd, "The boot profile names %s%s%s, which cannot be opened: %m", extra[i],
                                        arg_root ? " below " : "", strempty(arg_root));
                        return EXIT_INVALID_PROFILE;
                }
                fd = safe_close(fd);
                puts(extra[i]);
        }
        return 0;
}
