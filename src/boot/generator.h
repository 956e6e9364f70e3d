/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "macro.h"

/* Writing units and drop-ins into a generator directory: each file is written whole to a temporary file
 * in the same directory and renamed into place, without replacing anything already there (atomic-file.h,
 * ATOMIC_NOREPLACE); so the directory holds complete files or none. */

/* DIR/TARGET.DEP/UNIT → ../UNIT, e.g. dep "requires" or "wants". A unit given as an absolute path (a
 * static unit elsewhere) is linked to that path, under its own name. */
int generator_add_dependency(const char *dir, const char *target, const char *dep, const char *unit);

/* Parses argv as systemd passes it to generators: 1 or 3 directories (normal, early, late). Returns 0
 * and the three directories (all the same if only one was given), or -EINVAL. */
int generator_parse_argv(int argc, char *argv[], const char **ret_normal, const char **ret_early, const char **ret_late);

/* Writes the unit DIR/UNIT: the "automatically generated" header, a [Unit] section with SourcePath=source
 * if source is set, then format. A failure (-EEXIST if something is there; -EINVAL for a name that would
 * leave the directory) is logged here, naming the file, and leaves nothing behind; the caller only
 * returns it. */
int generator_write_unit(const char *dir, const char *unit, const char *source, const char *format, ...) _printf_(4, 5);

/* The same for the drop-in DIR/UNIT.d/NAME.conf. */
int generator_write_dropin(const char *dir, const char *unit, const char *name, const char *source, const char *format,
                           ...) _printf_(5, 6);

/* What a generator does for the topic it owns: dest, dest_early and dest_late are systemd's normal,
 * early and late directories (all three the same if it was given one). Returns 0, or <0 already
 * logged. */
typedef int (*generator_run_t)(const char *dest, const char *dest_early, const char *dest_late);

/* The main() of every generator: logs to /dev/kmsg under the program's name ($HARDENCTL_LOG_TARGET and
 * $HARDENCTL_LOG_LEVEL override that), takes one or three directories, calls run and exits non-zero
 * if it failed. */
int generator_main(int argc, char *argv[], generator_run_t run);

/* As systemd's: a generator is its run function and this line. */
#define DEFINE_MAIN_GENERATOR_FUNCTION(run)               \
        int main(int argc, char *argv[]) {                \
                return generator_main(argc, argv, (run)); \
        }
