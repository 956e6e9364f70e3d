/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdio.h>

#include "macro.h"

/* A line diff of two texts (Myers' O(ND) algorithm), written in the unified format of diff -u. */

#define DIFF_CONTEXT_DEFAULT 3U

/* Writes the unified diff of old_text and new_text to f, headed "--- old_label" and "+++ new_label".
 * A NULL text is an absent file: its label should be "/dev/null". Nothing is written when the texts
 * are equal. Lines are compared with their newline, so that a missing newline at the end is a change,
 * shown as "\ No newline at end of file". Files too different for the algorithm's limits are shown as
 * removed and added as a whole, which is still a correct diff.
 *
 * Returns the number of hunks written (0 if the texts are equal), or a negative errno. */
int diff_unified(FILE *f, const char *old_label, const char *old_text, const char *new_label, const char *new_text,
                 unsigned context);
