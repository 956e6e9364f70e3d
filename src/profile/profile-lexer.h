/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "macro.h"

/* Limits of the profile language. They are part of the documented format (hardenctl.profile(5)). */
#define PROFILE_FILE_SIZE_MAX (256U * 1024U) /* bytes per file */
#define PROFILE_LINE_MAX 4096U               /* bytes per physical line */
#define PROFILE_LOGICAL_LINE_MAX 16384U      /* bytes per line after joining continuations */
#define PROFILE_NAME_MAX 64U                 /* section and key names */
#define PROFILE_LIST_MAX 1024U               /* entries of one list key */

typedef enum LexEventType {
        LEX_SECTION,    /* section: the new section's name */
        LEX_ASSIGNMENT, /* section, key, value */
        LEX_ERROR,      /* message; the line is skipped */
} LexEventType;

typedef struct LexEvent {
        LexEventType type;
        unsigned line;       /* 1-based; for a continued line, its first physical line */
        const char *section; /* for LEX_ERROR: the section the line is in, or NULL */
        const char *key;
        const char *value;
        const char *message;
} LexEvent;

/* Return 0 to continue, <0 to stop lexing with that error. */
typedef int (*LexCallback)(const LexEvent *ev, void *userdata);

/* Lexes the size bytes at buf (which need not be NUL-terminated) in systemd's INI dialect, calling cb
 * for each section header, assignment and malformed line, in order.
 *
 * Returns 0 when the whole file was lexed (malformed lines, if any, were reported as LEX_ERROR and
 * skipped), -EBADMSG when the file as a whole is rejected (NUL bytes; reported as one LEX_ERROR first),
 * -EFBIG when it exceeds PROFILE_FILE_SIZE_MAX, or the first negative value cb returned. */
int profile_lex(const char *buf, size_t size, LexCallback cb, void *userdata);

/* Section and key names: ASCII letters, digits, '-' and '_', 1…PROFILE_NAME_MAX bytes. */
bool profile_name_is_valid(const char *s, size_t n) _pure_;
