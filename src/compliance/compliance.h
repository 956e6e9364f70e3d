/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdint.h>

#include "macro.h"
#include "digest.h"
#include "posture.h"
#include "profile.h"
#include "watch-state.h"

/* The compliance data model: what `hardenctl check` found, rule by rule, before any writer renders it.
 * Writers (text, JSON, HTML, XCCDF/ARF, JUnit) read this model only; the JSON form is documented in
 * hardenctl-report(5) and versioned by COMPLIANCE_SCHEMA_VERSION. */

#define COMPLIANCE_SCHEMA_VERSION 1U
#define COMPLIANCE_RULE_ID_PREFIX "hardenctl-"
/* The version of the rule catalog, as XCCDF documents state it; raised when rules change meaning. */
#define COMPLIANCE_CATALOG_VERSION "1"

typedef enum RuleResult {
        RULE_PASS,
        RULE_FAIL,
        RULE_ERROR,         /* the probe failed: the state could not be read */
        RULE_NOTAPPLICABLE, /* the rule does not apply to this host (e.g. sshd is not installed) */
        RULE_NOTCHECKED,    /* the rule cannot be evaluated here (e.g. live kernel state, offline) */
        _RULE_RESULT_MAX,
} RuleResult;

typedef enum Severity {
        SEVERITY_LOW,
        SEVERITY_MEDIUM,
        SEVERITY_HIGH,
        _SEVERITY_MAX,
} Severity;

const char *rule_result_to_string(RuleResult r) _const_;
const char *severity_to_string(Severity s) _const_;

typedef struct CheckContext CheckContext;

/* References that belong to one item of a rule rather than the rule as a whole: the CIS item for one
 * sysctl, module, package, mount point or unit, and the SRG and STIG ids of that item. */
typedef struct ItemRef {
        const char *item;
        const char *cis;
        const char *srg;
        const char *stig;
} ItemRef;

/* One rule of the catalog (defined in rules-SECTION.c, listed in compliance-catalog.c). References are
 * space-separated lists. */
typedef struct ComplianceRule {
        const char *id; /* stable: "hardenctl-usr-verity" */
        const char *title;
        Severity severity;
        const char *rationale;
        const char *cis;  /* CIS Debian Linux 12 Benchmark v1.1.0 item numbers */
        const char *srg;  /* DISA General Purpose Operating System SRG ids */
        const char *stig; /* DISA STIG ids of the Canonical Ubuntu 22.04 LTS STIG (UBTU-22-…) */
        const char *nist; /* NIST SP 800-53 rev5 controls */
        const char *remediation;
        /* Records zero or more results through check_begin(); records nothing when the profile does not
         * ask for what the rule checks. Returns 0, or a negative errno only for failures that must stop
         * the whole check (out of memory); a probe that cannot read its state emits RULE_ERROR. */
        int (*check)(CheckContext *c, const struct ComplianceRule *rule);
        /* The rule's items and their references, when the rule defines them itself (the rules of
         * [Benchmark], whose items are benchmark items); otherwise compliance-catalog.c has them. */
        const ItemRef *items;
        size_t n_items;
} ComplianceRule;

/* Every rule, in the order they are checked and reported. */
extern const ComplianceRule *const compliance_rules[];
extern const size_t compliance_n_rules;

const ComplianceRule *compliance_rule_lookup(const char *id) _pure_;

/* What was read, from where, and what was expected. Any field may be NULL. */
typedef struct Evidence {
        char *source; /* a path below the root, "netlink:audit", "dbus:UNIT", … */
        char *expected;
        char *actual;
} Evidence;

typedef struct ComplianceResult {
        const ComplianceRule *rule;
        char *instance; /* what the rule was applied to (a sysctl, a path, a unit), or NULL */
        RuleResult result;
        char *message; /* one line that says why */
        Evidence *evidence;
        size_t n_evidence;
} ComplianceResult;

typedef enum DriftKind {
        DRIFT_ADDED,
        DRIFT_MODIFIED,
        DRIFT_DELETED,       /* a whiteout */
        DRIFT_METADATA_ONLY, /* owner, mode or xattrs changed; content as below */
        DRIFT_OPAQUE,        /* a directory that replaces the one below */
        _DRIFT_KIND_MAX,
} DriftKind;

const char *drift_kind_to_string(DriftKind k) _const_;

#define DRIFT_UNHASHED_PREFIX "unhashed:"

typedef struct DriftEntry {
        char *path; /* relative to /etc */
        DriftKind kind;
        char type;    /* 'f' file, 'd' directory, 'l' symlink, 'c' whiteout, '?' other */
        char *digest; /* "sha256:…" of the content (the link target for symlinks), or NULL; for a file too
                       * large or sparse to hash, DRIFT_UNHASHED_PREFIX and why */
        uint32_t mode, uid, gid;
        bool expected; /* matched by [Etc] ExpectedDrift= */
} DriftEntry;

/* The integrity posture of the boot, as far as it could be read. Strings are NULL when unknown. */
typedef struct BootPosture {
        char *usr_source; /* the device /usr is mounted from */
        char *usr_fstype;
        bool usr_read_only;
        bool usr_verity;     /* /usr is a dm-verity device */
        char *verity_name;   /* device-mapper name */
        char *verity_status; /* "verified", "corrupted", or NULL */
        char *root_hash;     /* active root hash (hex) */
        char *expected_root_hash;
        char *hash_algorithm;
        int signature;       /* 1 signed activation, 0 unsigned, -1 unknown */
        char *on_corruption; /* "eio", "restart", "panic", "ignore" */
        bool etc_overlay;    /* /etc is the overlay with its upper dir below /run/hardenctl/etc */
        char *etc_lower;
        char *etc_upper;
        bool etc_read;   /* the options of the mount on /etc were read */
        bool drift_read; /* the upper dir was read */
        DriftEntry *drift;
        size_t n_drift;
} BootPosture;

/* The runtime section: what the watcher (hardenctl-watch) found since boot, from its state file. Read on
 * a live check only. */
typedef struct RuntimeWatch {
        bool read;    /* the state file was read */
        int error;    /* why it was not: -ENOENT (no watcher has run this boot), another negative errno;
                       * 0 when it was read, or not looked for (an offline tree) */
        bool running; /* the watcher that wrote it runs */
        char *path;   /* the state file */
        WatchState state;
} RuntimeWatch;

uint64_t runtime_watch_anomalies(const RuntimeWatch *w) _pure_;

typedef struct HostIdentity {
        char *machine_id;
        char *hostname;
        char *os_pretty_name;
        char *os_id;
        char *os_version_id;
        char *kernel; /* uname release; NULL offline */
        char *architecture;
} HostIdentity;

typedef struct ComplianceReport {
        unsigned schema_version;
        char *root; /* as given with --root, or "/" */
        bool live;  /* the root is the running system */
        HostIdentity host;

        char *profile_name;
        char *profile_description;
        char *profile_digest; /* profile_digest() of the profile checked */
        char **profile_sources;

        uint64_t time_usec;     /* when the check started (CLOCK_REALTIME) */
        uint64_t duration_usec; /* how long it took; 0 when the time is fixed for reproducible output */

        ComplianceResult *results;
        size_t n_results;

        BootPosture posture;
        RuntimeWatch runtime;

        /* The posture record this boot wrote (POSTURE_RECORD_PATH below the root, posture.h):
         * posture_record_state is 0 if it was read, -ENOENT if there is none, another negative errno if
         * it could not be read (-EBADMSG: malformed, posture_record_error saying how). */
        int posture_record_state;
        char *posture_record_error;
        Posture posture_record;
} ComplianceReport;

ComplianceReport *compliance_report_free(ComplianceReport *r);
DEFINE_TRIVIAL_CLEANUP_FUNC(ComplianceReport *, compliance_report_free);

typedef struct ComplianceCounts {
        size_t n[_RULE_RESULT_MAX];
        size_t failed_by_severity[_SEVERITY_MAX];
        size_t total;
} ComplianceCounts;

/* Makes every string of the report valid UTF-8 (utf8_make_valid()): what was read from the host (file
 * names, sudoers lines, package versions, os-release) may hold any bytes, and every writer (JSON, XML,
 * HTML, the journal) needs text. compliance_check() calls it on the report it returns. */
int compliance_report_make_utf8(ComplianceReport *r);

/* The verdict of a result and what was read for it; each returns 0 or -ENOMEM. */
int result_set(ComplianceResult *r, RuleResult result, const char *format, ...) _printf_(3, 4);
int result_evidence(ComplianceResult *r, const char *source, const char *expected, const char *actual);
/* Records "not checked" offline for state only the running system has. */
int result_offline(ComplianceResult *r, const char *what);
/* Records RULE_ERROR for what could not be read (error, a negative errno), saying why. what names it: a
 * path, or "the PROPERTY of UNIT over D-Bus". */
int result_errno(ComplianceResult *x, int error, const char *what);

void drift_entries_free(DriftEntry *e, size_t n);

void compliance_report_count(const ComplianceReport *r, ComplianceCounts *ret);

/* Passed rules as a share of passed and failed rules, weighted by severity (low 1, medium 3, high 10):
 * 100.0 when nothing failed, also when nothing was evaluated. */
double compliance_report_score(const ComplianceReport *r);

/* The weight of a severity in that score: low 1, medium 3, high 10. */
unsigned severity_weight(Severity s) _const_;

/* The scoring model of that score, as XCCDF documents name it (not one of XCCDF's own models). */
#define COMPLIANCE_SCORING_SYSTEM "urn:org.hardenctl:scoring:severity"

/* The identifier used in XML documents: "xccdf_org.hardenctl_rule_usr-verity" for "hardenctl-usr-verity". */
char *compliance_rule_xccdf_id(const ComplianceRule *rule);

/* "2024-05-01T12:00:00Z". NULL on failure. */
char *format_timestamp_utc(uint64_t usec);
