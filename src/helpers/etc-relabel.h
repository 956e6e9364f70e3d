/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Gives every entry of the overlay's upper directory UPPER, seen at its place below TARGET (/etc), the
 * SELinux label the policy's file contexts name for it, and TARGET itself too; and, if PERSIST (the
 * lower layer of [Etc] Persist=, on the same tmpfs) is given and exists, every entry of it, in place,
 * the label of its path below TARGET. Other lower-layer entries are not touched, so nothing is copied
 * up. Returns the number relabelled, 0 when SELinux is off, or a negative errno (logged). */
int etc_relabel(const char *upper, const char *target, const char *persist);
