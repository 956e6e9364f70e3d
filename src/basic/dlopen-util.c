/* SPDX-License-Identifier: LGPL-2.1-or-later */

#include <dlfcn.h>

#include "dlopen-util.h"
#include "log.h"

int dlopen_symbols(const char *soname, const DlopenSymbol *symbols, size_t n_symbols, void *table, void **ret_handle) {
        void *dl;

        assert(soname);
        assert(symbols || n_symbols == 0);
        assert(table);
        assert(ret_handle);

        /* RTLD_NODELETE: a library that registers anything with libc (atexit, thread keys) must not
         * leave it behind pointing into unmapped code when the caller closes it. */
        dl = dlopen(soname, RTLD_NOW | RTLD_LOCAL | RTLD_NODELETE);
        if (!dl) {
                log_debug("%s", dlerror());
                return -EOPNOTSUPP;
        }
        for (size_t i = 0; i < n_symbols; i++) {
                void *f = dlsym(dl, symbols[i].name);

                if (!f) {
                        log_debug("%s: %s", soname, dlerror());
                        dlclose(dl);
                        return -EOPNOTSUPP;
                }
                memcpy((char *) table + symbols[i].offset, &f, sizeof(f));
        }
        *ret_handle = dl;
        return 0;
}
