/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <ctype.h>

#include "profile-lexer.h"
#include "string-util.h"
#include "utf8.h"

bool profile_name_is_valid(const char *s, size_t n) {
        if (n == 0 || n > PROFILE_NAME_MAX)
                return false;
        for (size_t i = 0; i < n; i++)
                if (!isascii((unsigned char) s[i]) || !(isalnum((unsigned char) s[i]) || s[i] == '-' || s[i] == '_'))
                        return false;
        return true;
}

typedef struct Lexer {
        LexCallback cb;
        void *userdata;
        char section[PROFILE_NAME_MAX + 1];
        bool have_section;
        bool section_bad; /* the last header was malformed: its assignments are skipped silently */
        bool plain;       /* the whole file is printable ASCII, tabs and newlines: no line needs checking */
} Lexer;

static int emit_error(Lexer *l, unsigned line, const char *message) {
        return l->cb(
                &(LexEvent){
                        .type = LEX_ERROR,
                        .line = line,
                        .section = l->have_section ? l->section : NULL,
                        .message = message,
                },
                l->userdata);
}

static bool has_control_chars(const char *s) {
        for (; *s; s++)
                if (((unsigned char) *s < ' ' && *s != '\t') || *s == 127)
                        return true;
        return false;
}

/* Printable ASCII, '\t' and '\n' only: then every line is valid UTF-8 without control characters. */
static bool is_plain(const char *buf, size_t size) {
        const unsigned char *p = (const unsigned char *) buf;
        unsigned char bad = 0;

        for (size_t i = 0; i < size; i++)
                bad |= (unsigned char) ((unsigned char) (p[i] - 0x20) >= 0x5f && p[i] != '\t' && p[i] != '\n');
        return !bad;
}

static int lex_logical_line(Lexer *l, unsigned line, char *text, size_t len) {
        char *s, *eq;

        if (!l->plain) {
                if (utf8_validate(text, len))
                        return emit_error(l, line, "line is not valid UTF-8");
                if (has_control_chars(text))
                        return emit_error(l, line, "line contains control characters");
        }

        s = strstrip(text);
        if (!*s || *s == '#' || *s == ';')
                return 0;

        if (*s == '[') {
                size_t n = strlen(s);

                if (n < 2 || s[n - 1] != ']') {
                        l->have_section = false;
                        l->section_bad = true;
                        return emit_error(l, line, "invalid section header: missing ']'");
                }
                if (!profile_name_is_valid(s + 1, n - 2)) {
                        char m[128];

                        l->have_section = false;
                        l->section_bad = true;
                        snprintf(m, sizeof(m), "invalid section name '%.*s'", (int) MIN(n - 2, 64U), s + 1);
                        return emit_error(l, line, m);
                }

                memcpy(l->section, s + 1, n - 2);
                l->section[n - 2] = 0;
                l->have_section = true;
                l->section_bad = false;

                return l->cb(&(LexEvent){ .type = LEX_SECTION, .line = line, .section = l->section }, l->userdata);
        }

        eq = strchr(s, '=');
        if (!eq)
                return emit_error(l, line, "missing '=' in assignment");

        *eq = 0;
        {
                char *key = strstrip(s), *value = strstrip(eq + 1);

                if (!profile_name_is_valid(key, strlen(key))) {
                        char m[128];

                        if (isempty(key))
                                return emit_error(l, line, "assignment without a key");
                        snprintf(m, sizeof(m), "invalid key name '%.*s'", (int) MIN(strlen(key), 64U), key);
                        return emit_error(l, line, m);
                }

                if (!l->have_section)
                        return l->section_bad ? 0 : emit_error(l, line, "assignment outside of any section");

                return l->cb(
                        &(LexEvent){
                                .type = LEX_ASSIGNMENT,
                                .line = line,
                                .section = l->section,
                                .key = key,
                                .value = value,
                        },
                        l->userdata);
        }
}

int profile_lex(const char *buf, size_t size, LexCallback cb, void *userdata) {
        _cleanup_free_ char *logical = NULL;
        Lexer l = { .cb = cb, .userdata = userdata };
        size_t logical_len = 0;
        unsigned line = 0, logical_start = 0;
        bool logical_bad = false;
        const char *p, *end = buf + size, *nul;
        int r;

        if (size > PROFILE_FILE_SIZE_MAX)
                return -EFBIG;

        nul = memchr(buf, 0, size);
        if (nul) {
                unsigned n = 1;

                for (p = buf; p < nul; p++)
                        if (*p == '\n')
                                n++;
                r = emit_error(&l, n, "file contains NUL bytes, rejecting it");
                return r < 0 ? r : -EBADMSG;
        }

        /* Skip a UTF-8 byte order mark. */
        if (size >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0)
                buf += 3;

        /* Checked once for the file, rather than line by line, in the common case. */
        l.plain = is_plain(buf, end - buf);

        /* A logical line is never longer than the file (a continuation's '\\' becomes its ' '). */
        logical = malloc(MIN((size_t) (end - buf), (size_t) PROFILE_LOGICAL_LINE_MAX) + 1);
        if (!logical)
                return -ENOMEM;

        for (p = buf; p < end;) {
                const char *nl = memchr(p, '\n', end - p);
                size_t n = (nl ?: end) - p;
                bool continued, comment;

                line++;
                if (logical_len == 0 && !logical_bad)
                        logical_start = line;

                if (n > 0 && p[n - 1] == '\r')
                        n--;

                if (n > PROFILE_LINE_MAX) {
                        /* Report once per logical line, and drop the rest of it. */
                        if (!logical_bad) {
                                r = emit_error(&l, line, "line too long");
                                if (r < 0)
                                        return r;
                        }
                        logical_bad = true;
                }

                continued = n > 0 && p[n - 1] == '\\';

                /* Comment lines inside a continued line are skipped, as systemd does. */
                comment = false;
                if (logical_len > 0) {
                        size_t ws = 0;
                        while (ws < n && (p[ws] == ' ' || p[ws] == '\t'))
                                ws++;
                        comment = ws < n && (p[ws] == '#' || p[ws] == ';');
                }

                if (!logical_bad && !comment) {
                        size_t k = continued ? n - 1 : n;

                        if (logical_len + k + 1 > PROFILE_LOGICAL_LINE_MAX) {
                                r = emit_error(&l, logical_start, "continued line too long");
                                if (r < 0)
                                        return r;
                                logical_bad = true;
                        } else {
                                memcpy(logical + logical_len, p, k);
                                logical_len += k;
                                if (continued)
                                        logical[logical_len++] = ' ';
                        }
                }

                p = nl ? nl + 1 : end;

                if (continued && !comment && p < end)
                        continue;
                if (comment && p < end)
                        continue;

                if (!logical_bad) {
                        logical[logical_len] = 0;
                        r = lex_logical_line(&l, logical_start, logical, logical_len);
                        if (r < 0)
                                return r;
                }
                logical_len = 0;
                logical_bad = false;
        }

        return 0;
}
