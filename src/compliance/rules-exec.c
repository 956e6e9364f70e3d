/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* The [Exec] section's rules: IPE in the kernel, the active policy being the one the image shipped,
 * enforcement as Mode= says, the denials since boot, and, on kernels without IPE, the noexec writable
 * mounts that are all that is left. IPE's state is read by posture_read(), below the root. */

#include <fcntl.h>
#include <libmount.h>

#include "compliance-rules.h"
#include "config.h"
#include "digest.h"
#include "fs-util.h"
#include "ipe.h"
#include "posture.h"

#define IPE_SECURITYFS "/sys/kernel/security/ipe"
#define SHIPPED_POLICY PKGLIBDIR "/" IPE_POLICY_FILE
#define GROUPS_SHOWN 10U

static bool exec_wanted(const CheckContext *c) {
        return c->profile->exec.mode == EXEC_AUDIT || c->profile->exec.mode == EXEC_ENFORCE;
}

/* Begins a result and reads IPE's state. Returns 1 and the posture when IPE is there; 0 with the result
 * recorded otherwise (offline: not checked; a running kernel without IPE: fail_why, as a failure, or
 * not applicable when fail_why is NULL); or a negative errno. */
static int ipe_begin(CheckContext *c, const ComplianceRule *rule, ComplianceResult **ret, Posture *p,
                     const char *fail_why) {
        _cleanup_close_ int fd = -EBADF;
        ComplianceResult *x;
        int r;

        r = check_begin(c, rule, NULL, &x);
        if (r < 0)
                return r;
        *ret = x;
        fd = open_in_root(c->root_fd, "/sys/kernel/security", O_PATH | O_DIRECTORY);
        if (fd < 0)
                return result_missing_state(c, x, fd, "/sys/kernel/security");
        r = posture_read(c->root, p);
        if (r == -ENOMEM)
                return r;
        if (r < 0)
                return result_errno(x, r, IPE_SECURITYFS);
        if (p->ipe_available)
                return 1;
        r = result_evidence(x, IPE_SECURITYFS, "present", "missing (no IPE in the kernel)");
        if (r < 0)
                return r;
        if (!fail_why)
                return result_set(x, RULE_NOTAPPLICABLE, "The kernel has no IPE");
        return result_set(x, RULE_FAIL, "%s", fail_why);
}

static int check_ipe_available(CheckContext *c, const ComplianceRule *rule) {
        _cleanup_(posture_done) Posture p = {};
        ComplianceResult *x;
        int r;

        if (!exec_wanted(c))
                return 0;
        r = ipe_begin(c, rule, &x, &p,
                      c->profile->exec.mode == EXEC_ENFORCE ?
                              "The kernel has no IPE: execution is not restricted (see hardenctl-exec-noexec-mounts)" :
                              "The kernel has no IPE: nothing is audited (see hardenctl-exec-noexec-mounts)");
        if (r <= 0)
                return r;
        r = result_evidence(x, IPE_SECURITYFS, "present", "present");
        if (r < 0)
                return r;
        return result_set(x, RULE_PASS, "The kernel has IPE");
}

static int check_ipe_policy(CheckContext *c, const ComplianceRule *rule) {
        _cleanup_(posture_done) Posture p = {};
        _cleanup_free_ char *shipped = NULL;
        _cleanup_close_ int fd = -EBADF;
        ComplianceResult *x;
        size_t n = 0;
        char hex[65];
        int r;

        if (!exec_wanted(c))
                return 0;
        r = ipe_begin(c, rule, &x, &p, NULL);
        if (r <= 0)
                return r;
        r = result_evidence(x, IPE_SECURITYFS "/policies", IPE_POLICY_NAME " active",
                            p.ipe_policy ? check_tmp(c, "%s %s active", p.ipe_policy, strna(p.ipe_version)) :
                                           "no active policy");
        if (r < 0)
                return r;
        if (!p.ipe_policy)
                return result_set(x, RULE_FAIL, "No IPE policy is active: everything may execute");
        if (!streq(p.ipe_policy, IPE_POLICY_NAME))
                return result_set(x, RULE_FAIL, "The active IPE policy is %s %s, not the image's " IPE_POLICY_NAME,
                                  p.ipe_policy, strna(p.ipe_version));

        /* The policy on /usr, if the image shipped it there (one in the initrd is not visible from here). */
        /* DER, so not through the text reader. */
        fd = open_in_root_regular(c->root_fd, SHIPPED_POLICY, O_RDONLY | O_NOCTTY);
        r = fd < 0 ? fd : read_full_fd(fd, IPE_POLICY_DER_MAX, &shipped, &n);
        if (r == -ENOENT) {
                r = result_evidence(x, SHIPPED_POLICY, NULL, "missing: shipped in the initrd, not compared");
                if (r < 0)
                        return r;
                return result_set(x, RULE_PASS, "The active IPE policy is " IPE_POLICY_NAME " %s (%s)",
                                  strna(p.ipe_version), strna(p.ipe_digest));
        }
        if (r < 0)
                return result_errno(x, r, SHIPPED_POLICY);
        r = sha256_hex(shipped, n, hex);
        if (r < 0)
                return result_errno(x, r, SHIPPED_POLICY);
        r = result_evidence(x, SHIPPED_POLICY, check_tmp(c, "sha256:%s", hex), strna(p.ipe_digest));
        if (r < 0)
                return r;
        if (!p.ipe_digest || !streq(p.ipe_digest + STRLEN("sha256:"), hex))
                return result_set(x, RULE_FAIL,
                                  "The active IPE policy " IPE_POLICY_NAME " %s is not the one the image shipped",
                                  strna(p.ipe_version));
        return result_set(x, RULE_PASS, "The active IPE policy is the image's, " IPE_POLICY_NAME " %s",
                          strna(p.ipe_version));
}

static int check_ipe_enforce(CheckContext *c, const ComplianceRule *rule) {
        _cleanup_(posture_done) Posture p = {};
        bool want = c->profile->exec.mode == EXEC_ENFORCE;
        ComplianceResult *x;
        int r;

        if (!exec_wanted(c))
                return 0;
        r = ipe_begin(c, rule, &x, &p, NULL);
        if (r <= 0)
                return r;
        r = result_evidence(x, IPE_SECURITYFS "/enforce", want ? "1" : "0", p.ipe_enforce ? "1" : "0");
        if (r < 0)
                return r;
        if (p.ipe_enforce == want)
                return result_set(x, RULE_PASS, want ? "IPE enforces the policy" : "IPE audits only, as Mode=audit says");
        return result_set(x, RULE_FAIL,
                          want ? "IPE does not enforce: denials are only logged" :
                                 "IPE enforces, but the profile says Mode=audit");
}

/* "a (3), b (1), … and N more" */
static const char *groups_text(CheckContext *c, const IpeCount *a, size_t n) {
        _cleanup_free_ char *s = NULL;

        for (size_t i = 0; i < n && i < GROUPS_SHOWN; i++) {
                char *t = strprintf("%s%s%s (%u)", strempty(s), s ? ", " : "", a[i].name, a[i].count);

                if (!t)
                        return NULL;
                free(s);
                s = t;
        }
        return check_tmp(c, "%s%s", strempty(s), n > GROUPS_SHOWN ? check_tmp(c, " and %zu more", n - GROUPS_SHOWN) : "");
}

static int check_denials(CheckContext *c, const ComplianceRule *rule) {
        _cleanup_(ipe_denials_done) IpeDenials d = {};
        bool audit = c->profile->exec.mode == EXEC_AUDIT;
        const char *source = NULL, *paths, *programs;
        ComplianceResult *x;
        int r;

        if (!exec_wanted(c))
                return 0;
        r = check_begin(c, rule, NULL, &x);
        if (r < 0)
                return r;
        r = probe_ipe_denials(c, &d, &source);
        if (r == -ENOENT)
                return result_set(x, RULE_NOTCHECKED, "There is no audit trail (/var/log/audit/audit.log)");
        if (r == -ENOMEM)
                return r;
        if (r < 0)
                return result_errno(x, r, "/var/log/audit/audit.log");

        paths = groups_text(c, d.by_path, d.n_by_path);
        programs = groups_text(c, d.by_comm, d.n_by_comm);
        if (!paths || !programs)
                return -ENOMEM;
        r = result_evidence(x, source, audit ? "no execution IPE would refuse" : NULL,
                            check_tmp(c, "%u IPE denials since boot, %u with enforcement off", d.total, d.audit_only));
        if (r >= 0 && d.total > 0)
                r = result_evidence(x, check_tmp(c, "%s: by path", source), NULL, paths);
        if (r >= 0 && d.total > 0)
                r = result_evidence(x, check_tmp(c, "%s: by program", source), NULL, programs);
        if (r < 0)
                return r;

        if (d.total == 0)
                return result_set(x, RULE_PASS, "No execution was refused since boot");
        /* Enforced, a denial is the policy at work; audited, it is what enforcing would break. A profile that
         * says enforce, with denials IPE logged with its enforcement off, had programs run that it refuses. */
        if (audit)
                return result_set(x, RULE_FAIL, "%u executions would have been refused since boot: %s; by program: %s",
                                  d.total, paths, programs);
        if (d.audit_only > 0)
                return result_set(x, RULE_FAIL,
                                  "%u executions would have been refused since boot: %s; by program: %s (they ran: "
                                  "IPE's enforcement was off for %u of them)",
                                  d.total, paths, programs, d.audit_only);
        return result_set(x, RULE_PASS, "%u executions were refused since boot: %s; by program: %s", d.total, paths,
                          programs);
}

/* Without IPE, noexec on the writable file systems is what keeps planted binaries from running: those
 * of [Mounts] Options= with noexec, and the usual ones. */
static int check_noexec_mounts(CheckContext *c, const ComplianceRule *rule) {
        static const char *const usual[] = { "/tmp", "/var/tmp", "/dev/shm" };
        _cleanup_strv_free_ char **paths = NULL, **bad = NULL;
        _cleanup_(posture_done) Posture p = {};
        _cleanup_close_ int fd = -EBADF;
        ComplianceResult *x;
        int r;

        if (!exec_wanted(c))
                return 0;
        fd = open_in_root(c->root_fd, "/sys/kernel/security", O_PATH | O_DIRECTORY);
        if (fd >= 0) {
                r = posture_read(c->root, &p);
                if (r == -ENOMEM)
                        return r;
                if (r >= 0 && p.ipe_available)
                        return 0; /* IPE decides: this weaker guarantee is not needed */
        }

        r = check_begin(c, rule, NULL, &x);
        if (r < 0)
                return r;
        for (size_t i = 0; i < ELEMENTSOF(usual); i++)
                if (strv_extend(&paths, usual[i]) < 0)
                        return -ENOMEM;
        STRV_FOREACH(e, c->profile->mounts.options) {
                const char *sp = strchr(*e, ' ');
                _cleanup_free_ char *path = sp ? strndup(*e, sp - *e) : NULL;

                if (!sp || !strstr(sp, "noexec"))
                        continue;
                if (!path)
                        return -ENOMEM;
                if (!strv_contains(paths, path) && strv_extend(&paths, path) < 0)
                        return -ENOMEM;
        }

        STRV_FOREACH(path, paths) {
                struct libmnt_fs *fs;
                bool exact;

                r = probe_mount_for_path(c, *path, &fs, &exact);
                if (r == -ENOENT && !c->live)
                        return result_offline(x, "The mount table");
                if (r < 0)
                        return result_errno(x, r, "/proc/self/mountinfo");
                /* A path that is part of a read-only file system cannot be written to. */
                if (mount_has_option(fs, "noexec") || mount_has_option(fs, "ro"))
                        continue;
                if (strv_extend(&bad, exact ? *path : check_tmp(c, "%s (on %s)", *path, mnt_fs_get_target(fs))) < 0)
                        return -ENOMEM;
        }

        {
                _cleanup_free_ char *want = strv_join(paths, " "), *got = bad ? strv_join(bad, " ") : NULL;

                if (!want || (bad && !got))
                        return -ENOMEM;
                r = result_evidence(x, c->mounts_source, check_tmp(c, "noexec: %s", want),
                                    bad ? check_tmp(c, "executable: %s", got) : "all noexec");
                if (r < 0)
                        return r;
                if (bad)
                        return result_set(x, RULE_FAIL,
                                          "No IPE in the kernel, and %s can hold and execute planted binaries", got);
        }
        return result_set(x, RULE_PASS,
                          "No IPE in the kernel; the writable file systems are noexec, the weaker guarantee "
                          "(interpreters still run scripts from them, and other writable places remain)");
}

/* ---- the rules ---- */

const ComplianceRule rule_exec_ipe_available = {
        .id = "hardenctl-exec-ipe-available",
        .title = "The kernel has IPE, to restrict execution to verified code",
        .severity = SEVERITY_HIGH,
        .rationale =
                "Only the kernel can refuse to execute what it has not verified; without IPE, any binary written to a writable file system can run.",
        .srg = "SRG-OS-000368-GPOS-00154 SRG-OS-000370-GPOS-00155",
        .nist = "CM-7(2) CM-7(5)(b) SI-7(1)",
        .remediation = "Boot a kernel with IPE (Linux 6.12 or later, CONFIG_SECURITY_IPE, ipe in lsm=).",
        .check = check_ipe_available,
};

const ComplianceRule rule_exec_ipe_policy = {
        .id = "hardenctl-exec-ipe-policy",
        .title = "The active IPE policy is the one the image shipped",
        .severity = SEVERITY_HIGH,
        .rationale = "A policy other than the image's, or none, lets code run that the image's execution policy refuses.",
        .srg = "SRG-OS-000368-GPOS-00154",
        .nist = "CM-7(5)(b) SI-7(1)",
        .remediation =
                "Ship the policy made by hardenctl exec-policy in the image, and boot with hardenctl-ipe.service in the initrd.",
        .check = check_ipe_policy,
};

const ComplianceRule rule_exec_ipe_enforce = {
        .id = "hardenctl-exec-ipe-enforce",
        .title = "IPE enforces the policy as the profile says",
        .severity = SEVERITY_HIGH,
        .rationale = "With enforcement off, IPE only logs what it would refuse, and everything runs.",
        .srg = "SRG-OS-000368-GPOS-00154",
        .nist = "CM-7(5)(b)",
        .remediation = "Set [Exec] Mode=enforce; IPE's enforcement is set at boot by hardenctl-ipe.service.",
        .check = check_ipe_enforce,
};

const ComplianceRule rule_exec_denials = {
        .id = "hardenctl-exec-denials",
        .title = "Executions IPE refused, or would have refused, since boot",
        .severity = SEVERITY_MEDIUM,
        .rationale =
                "Denials show attempts to run code from outside the verified image; in audit mode, what enforcing the policy would break.",
        .srg = "SRG-OS-000368-GPOS-00154 SRG-OS-000037-GPOS-00015",
        .nist = "CM-7(5)(b) AU-12(c)",
        .remediation =
                "Move what must run onto the verified /usr (or allow its volume or fs-verity digest in [Exec]); investigate the rest.",
        .check = check_denials,
};

const ComplianceRule rule_exec_noexec_mounts = {
        .id = "hardenctl-exec-noexec-mounts",
        .title = "Without IPE, writable file systems are noexec",
        .severity = SEVERITY_MEDIUM,
        .rationale =
                "On kernels without IPE, noexec on writable file systems is the weaker guarantee left: planted binaries there do not execute, but interpreters still run scripts.",
        .srg = "SRG-OS-000368-GPOS-00154",
        .nist = "CM-7(a) CM-7(b)",
        .remediation = "Mount /tmp, /var/tmp and /dev/shm noexec ([Mounts] Options=), or boot a kernel with IPE.",
        .check = check_noexec_mounts,
};
