/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdio.h>
#include <sys/types.h>

#include "macro.h"

/* Replacing a file atomically, the one way hardenctl does it: the new content goes to a temporary file
 * in the same directory, which is written, flushed and fsync'd, and only then renamed over the file
 * (or, with ATOMIC_NOREPLACE, to a name that must be free). A reader sees the old file or the new one,
 * never a part of either; a failure removes the temporary file; a crash leaves at worst a temporary
 * file, which atomic_file_remove_stale_at() recognises by its name:
 *
 *     ATOMIC_FILE_TMP_PREFIX NAME "." 16 hex digits    e.g. .#hardenctl.zz-hardenctl.conf.0f3a9c2e81d4b756
 *
 * NAME shortened so that the whole fits in NAME_MAX. The leading dot hides it from systemd and from
 * the readers of sysctl.d, modprobe.d and rules.d, which only read *.conf and *.rules.
 *
 * Not O_TMPFILE and linkat(), although that saves two system calls a file: SELinux policies let init_t
 * (the generators) create and rename files in the generator directories, not link them.
 *
 * Every function takes dir_fd and a name relative to it. A name may be a relative path ("UNIT.d/NAME");
 * the temporary file is then made in that subdirectory, next to its final name. */

#define ATOMIC_FILE_TMP_PREFIX ".#hardenctl."

typedef enum AtomicFlags {
        ATOMIC_NOREPLACE = 1 << 0, /* never replace what is there (a file, a symlink, anything): -EEXIST */
        ATOMIC_SYNC_DIR = 1 << 1,  /* fsync dir_fd after the rename, so that the new name survives a crash;
                                    * name must then be a plain name and dir_fd opened for reading */
        ATOMIC_NO_SYNC = 1 << 2,   /* no fsync of the file: what it is written to keeps nothing across a
                                    * crash anyway (a generator's output, in /run); the rename stays */
} AtomicFlags;

/* A new temporary name for name (random: a name once handed out is not handed out again). */
int atomic_file_tmp_name(const char *name, char **ret);

/* Whether a file name has the form atomic_file_tmp_name() gives. */
bool atomic_file_tmp_name_is(const char *fn) _pure_;

/* A temporary file (or symlink) on its way to its final name. It owns the temporary entry until it is
 * renamed: atomic_file_done(), which _cleanup_(atomic_file_done) calls when the scope is left, closes it
 * and removes it if it was not renamed, so that no failure path (nor a caller that gives up) leaves one
 * behind. dir_fd is borrowed, never closed. */
typedef struct AtomicFile {
        int dir_fd;
        int fd;    /* the temporary file, O_WRONLY; -EBADF for a symlink, or once f has it */
        FILE *f;   /* a stream on it, from atomic_file_fdopen() */
        char *tmp; /* its name relative to dir_fd; NULL once renamed or removed */
} AtomicFile;

#define ATOMIC_FILE_NULL ((AtomicFile){ .dir_fd = -EBADF, .fd = -EBADF })

/* Creates a temporary file for name, exclusively and without following a symlink, with exactly mode
 * (whatever the umask). Returns its fd (a->fd, still a's: not to be closed by the caller) or a negative
 * errno, a left empty then. */
int atomic_file_open(AtomicFile *a, int dir_fd, const char *name, mode_t mode);

/* The same for a symbolic link to target. Returns 0 or a negative errno. */
int atomic_file_symlink(AtomicFile *a, int dir_fd, const char *name, const char *target);

/* A stream on the temporary file (a->f, also returned), or NULL with errno set. */
FILE *atomic_file_fdopen(AtomicFile *a);

/* Closes the temporary file and renames it to name: over what is there, or with ATOMIC_NOREPLACE only if
 * nothing is (-EEXIST otherwise); then, with ATOMIC_SYNC_DIR, syncs the directory. Returns 0 or a
 * negative errno; if the rename fails, the temporary file is removed; after a failed directory sync
 * name is replaced all the same. */
int atomic_file_rename(AtomicFile *a, const char *name, AtomicFlags flags);

/* Completes a temporary file the caller has written through a->fd or a->f: the stream flushed and
 * checked for write errors (a full disk, a file size limit: errno of the failed write), fsync'd, closed,
 * then atomic_file_rename(). On any failure the temporary file is removed. */
int atomic_file_commit(AtomicFile *a, const char *name, AtomicFlags flags);

/* Closes what is open and removes the temporary entry unless it was renamed; a is ATOMIC_FILE_NULL
 * after, and may be given again. */
void atomic_file_done(AtomicFile *a);

/* The whole of it for size bytes at data: a temporary file with mode, written, committed. */
int atomic_file_write_at(int dir_fd, const char *name, const void *data, size_t size, mode_t mode, AtomicFlags flags);

/* The same at path, in its directory, which is made (0755, its parent must exist) if it is not there. */
int atomic_file_write(const char *path, const void *data, size_t size, mode_t mode, AtomicFlags flags);

/* Removes the temporary files (atomic_file_tmp_name_is()) a crash left in dir_fd. Only for a
 * directory no other writer is using (apply holds its lock). Returns how many were removed. */
int atomic_file_remove_stale_at(int dir_fd);
