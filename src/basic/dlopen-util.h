/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stddef.h>

/* Libraries that only a few verbs need are opened when one of them runs, not linked: every library
 * linked costs each run of a program its loading and relocation, and with its own dependencies a
 * library like libcryptsetup or ESAPI costs more than a whole compliance check's own work. The caller
 * keeps a table of function pointers (a struct) and the reference dlopen_symbols() returns; nothing is
 * global. */

typedef struct DlopenSymbol {
        const char *name;
        size_t offset; /* of the function pointer in the caller's table */
} DlopenSymbol;

#define DLOPEN_SYMBOL(table_type, name) \
        { #name, offsetof(table_type, name) }

/* Opens the library SONAME and stores each symbol's address at its offset in TABLE. On success
 * *ret_handle holds the reference, which the caller gives to dlclose() once every pointer taken from
 * the table is out of use. A missing library or symbol is -EOPNOTSUPP (dlerror()'s words logged at
 * debug level): the caller says which package is missing. */
int dlopen_symbols(const char *soname, const DlopenSymbol *symbols, size_t n_symbols, void *table, void **ret_handle);
