/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdint.h>
#include <stdio.h>

#include <libaudit.h>

/* One line that says everything the kernel is sent for a rule: list and flags, action, the system call
 * mask, each field with its operator and value, and the strings. Written the same way by the auditctl
 * shim and by hardenctl's side of tests/test-auditctl-diff.sh, so that the two compare as text. */
void rule_dump(FILE *f, const struct audit_rule_data *d);

/* The feature bitmap both sides are given, in place of asking the kernel (libaudit asks it which fields
 * the exclude and filesystem lists take): everything a current kernel supports. */
#define RULE_DUMP_FEATURES UINT32_C(0x7f)
