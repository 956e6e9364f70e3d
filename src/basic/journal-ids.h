/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* hardenctl's journal vocabulary: the MESSAGE_IDs of its structured entries and the fields they carry,
 * one name for one thing whichever program sends it. Documented in hardenctl.journal(7): a field added or
 * renamed here is added or renamed there, in NEWS, and in what reads the journal in the tests
 * (tests/test-journal.sh, tests/vm/guest/vmtest-check.sh and tests/vm/test-vm.sh). Plain strings, no
 * dependency: the helpers can use it as hardenctl does.
 *
 * Field names end in '=', ready for sd_journal_send(): FIELD_PROFILE "%s", name. */

/* hardenctl apply put a profile in force: it changed something. */
#define MESSAGE_ID_APPLIED "d950cb0034664b2eb2aed47be5ae9c75"
/* hardenctl apply failed a step and rolled back (completely or not: FIELD_ROLLBACK_COMPLETE). */
#define MESSAGE_ID_ROLLED_BACK "538bcc97e8e04a228c61e977db4fd378"
/* hardenctl check or report --journal: one run. */
#define MESSAGE_ID_CHECK_RUN "2145af97642c4a24b82234aaa2255c61"
/* hardenctl check or report --journal: one rule that failed or could not be evaluated. */
#define MESSAGE_ID_CHECK_RULE "4220c0de945247c7aa972c40e4d06c6f"

/* hardenctl-watch: one anomaly each, by kind (hardenctl-watch(8)). */
#define MESSAGE_ID_ANOMALY_EXEC_UNVERIFIED "dfc26e5fe1534ef9b9ff79e742d99eac"
#define MESSAGE_ID_ANOMALY_EXEC_UNLISTED "7b980c01afb547a0af6b8041e7049ec9"
#define MESSAGE_ID_ANOMALY_WATCHED_WRITE "dfba1889c0354090bf579b4397d75b60"
#define MESSAGE_ID_ANOMALY_PRIVILEGE "465e2745b82042f99fd4ca68ff82dd7a"
#define MESSAGE_ID_ANOMALY_MODULE_LOAD "ef41196f4bf34447b7d99c791bd4532a"
#define MESSAGE_ID_ANOMALY_SELINUX_DENIAL "a6dca7c2f3ac4f2d81a089173aacffe2"
#define MESSAGE_ID_ANOMALY_ETC_DRIFT "5c4779528a2c49dcbe995831a43460e4"

/* Every entry: the profile and the tree. */
#define FIELD_PROFILE "HARDENCTL_PROFILE=" /* its name */
#define FIELD_DIGEST "HARDENCTL_DIGEST="   /* of its sources: "sha256:" and 64 hexadecimal digits */
#define FIELD_ROOT "HARDENCTL_ROOT="       /* --root= as given, or "/" */

/* apply. */
#define FIELD_SPEC "HARDENCTL_SPEC="                           /* the profile as named: a name, or an absolute path */
#define FIELD_SCOPE "HARDENCTL_SCOPE="                         /* "host", "runtime" or "image" */
#define FIELD_CHANGES "HARDENCTL_CHANGES="                     /* changes made, or planned when it failed */
#define FIELD_UID "HARDENCTL_UID="                             /* who ran it */
#define FIELD_LOGIN_UID "HARDENCTL_LOGIN_UID="                 /* the login user behind it, across sudo */
#define FIELD_LOGIN_NAME "HARDENCTL_LOGIN_NAME="               /* that user's name, or empty */
#define FIELD_ROLLED_BACK "HARDENCTL_ROLLED_BACK="             /* changes undone */
#define FIELD_ROLLBACK_COMPLETE "HARDENCTL_ROLLBACK_COMPLETE=" /* "yes" or "no" */

/* check: the run. */
#define FIELD_LIVE "HARDENCTL_LIVE=" /* "yes" for the running system, "no" for an offline tree */
#define FIELD_RESULTS "HARDENCTL_RESULTS="
#define FIELD_PASS "HARDENCTL_PASS="
#define FIELD_FAIL "HARDENCTL_FAIL="
#define FIELD_ERROR "HARDENCTL_ERROR="
#define FIELD_NOTCHECKED "HARDENCTL_NOTCHECKED="
#define FIELD_NOTAPPLICABLE "HARDENCTL_NOTAPPLICABLE="

/* check: a rule. */
#define FIELD_RULE "HARDENCTL_RULE="         /* the rule id */
#define FIELD_INSTANCE "HARDENCTL_INSTANCE=" /* the item, or empty */
#define FIELD_RESULT "HARDENCTL_RESULT="     /* "fail" or "error" */
#define FIELD_SEVERITY "HARDENCTL_SEVERITY="

/* watch: an anomaly. The profile (FIELD_PROFILE, FIELD_DIGEST), and FIELD_UID and FIELD_LOGIN_UID for
 * the process's uid and audit login uid (-1: unset). */
#define FIELD_ANOMALY "HARDENCTL_ANOMALY=" /* its kind: "exec-unverified", "exec-unlisted", … */
#define FIELD_UNIT "HARDENCTL_UNIT="       /* the unit of the process, or empty */
#define FIELD_EXE "HARDENCTL_EXE="         /* the program that ran */
#define FIELD_COMM "HARDENCTL_COMM="
#define FIELD_PID "HARDENCTL_PID="
#define FIELD_PATH "HARDENCTL_PATH="               /* the file, or the module */
#define FIELD_AUDIT_KEY "HARDENCTL_AUDIT_KEY="     /* the key of the audit rule that recorded it */
#define FIELD_IPE_RULE "HARDENCTL_IPE_RULE="       /* the IPE rule that denied it */
#define FIELD_AUDIT_EVENT "HARDENCTL_AUDIT_EVENT=" /* "SECONDS.MILLISECONDS:SERIAL", as msg=audit(…) */
#define FIELD_COUNT "HARDENCTL_COUNT="             /* occurrences this entry stands for (1, or repeats) */
#define FIELD_SUPPRESSED "HARDENCTL_SUPPRESSED="   /* entries of its kind left out by the rate limit before it */
#define FIELD_KIND_TOTAL "HARDENCTL_KIND_TOTAL="   /* anomalies of its kind since the watcher started */
