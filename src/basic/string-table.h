/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stddef.h>

#include "macro.h"

/* One way to name the values of an enum: a table NAME_table[] indexed by the enum, and the lookups
 * below in both directions. Unnamed values (holes in the table, out-of-range numbers) have no name:
 * NULL one way, -EINVAL the other. */

const char *string_table_lookup_to_string(const char *const *table, size_t n, int i) _pure_;
int string_table_lookup_from_string(const char *const *table, size_t n, const char *s) _pure_;

#define DEFINE_STRING_TABLE_LOOKUP_TO_STRING(name, type)                                               \
        const char *name##_to_string(type i) {                                                         \
                return string_table_lookup_to_string(name##_table, ELEMENTSOF(name##_table), (int) i); \
        }

#define DEFINE_STRING_TABLE_LOOKUP_FROM_STRING(name)                                               \
        int name##_from_string(const char *s) {                                                    \
                return string_table_lookup_from_string(name##_table, ELEMENTSOF(name##_table), s); \
        }

/* The same, for an enum with an _INVALID = -EINVAL value, returned as the enum. */
#define DEFINE_STRING_TABLE_LOOKUP_FROM_STRING_TYPED(name, type)                                          \
        type name##_from_string(const char *s) {                                                          \
                return (type) string_table_lookup_from_string(name##_table, ELEMENTSOF(name##_table), s); \
        }

#define DEFINE_STRING_TABLE_LOOKUP(name, type)           \
        DEFINE_STRING_TABLE_LOOKUP_TO_STRING(name, type) \
        DEFINE_STRING_TABLE_LOOKUP_FROM_STRING(name)

/* For a file's own tables: the same lookups, static. */
#define DEFINE_PRIVATE_STRING_TABLE_LOOKUP_TO_STRING(name, type) static DEFINE_STRING_TABLE_LOOKUP_TO_STRING(name, type)
#define DEFINE_PRIVATE_STRING_TABLE_LOOKUP_FROM_STRING(name) static DEFINE_STRING_TABLE_LOOKUP_FROM_STRING(name)
