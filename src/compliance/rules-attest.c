/* SPDX-License-Identifier: LGPL-2.1-or-later */

/* The [Attest] section's rule: the posture measured into the TPM at boot, as its event log shows. */

#include "attest-event.h"
#include "compliance-rules.h"

static int check_attest_measured(CheckContext *c, const ComplianceRule *rule) {
        const ProfileAttest *a = &c->profile->attest;
        _cleanup_(attest_log_done) AttestLog l = {};
        _cleanup_free_ char *text = NULL, *tpm = NULL;
        ComplianceResult *x;
        size_t n = 0;
        bool have_tpm;
        int r;

        if (a->require_tpm < 0)
                return 0;
        r = check_begin(c, rule, NULL, &x);
        if (r < 0)
                return r;
        if (!c->live)
                return result_offline(x, "The TPM measurement of this boot");

        /* The device node is there or not; reading it is not needed (nor possible without a TPM). */
        r = probe_read_line(c, "/sys/class/tpm/tpm0/tpm_version_major", &tpm);
        have_tpm = r >= 0 && streq(tpm, "2");
        r = result_evidence(x, "/sys/class/tpm/tpm0/tpm_version_major", "2", have_tpm ? "2" : "no TPM 2.0");
        if (r < 0)
                return r;

        r = probe_read_file(c, ATTEST_LOG_PATH, ATTEST_LOG_MAX, &text);
        if (r < 0 && r != -ENOENT)
                return result_errno(x, r, ATTEST_LOG_PATH);
        if (r >= 0) {
                r = attest_log_parse(text, strlen(text), &l, NULL);
                if (r == -EBADMSG)
                        return result_set(x, RULE_FAIL, "The event log %s is malformed: no verifier can replay it",
                                          ATTEST_LOG_PATH);
                if (r < 0)
                        return r;
        }
        for (size_t i = 0; i < l.n; i++)
                if (l.events[i].kind >= 0)
                        n++;
        r = result_evidence(x, ATTEST_LOG_PATH,
                            check_tmp(c, "%u hardenctl events on PCR %u", _ATTEST_EVENT_MAX, ATTEST_PCR),
                            check_tmp(c, "%zu hardenctl events", n));
        if (r < 0)
                return r;

        if (n == _ATTEST_EVENT_MAX)
                return result_set(x, RULE_PASS, "The posture was measured into PCR %u at boot", ATTEST_PCR);
        if (n > 0)
                return result_set(x, RULE_FAIL,
                                  "%zu hardenctl events in PCR %u, not %u: no verifier will recognise the host", n,
                                  ATTEST_PCR, _ATTEST_EVENT_MAX);
        if (!have_tpm && a->require_tpm == 0)
                return result_set(x, RULE_NOTAPPLICABLE, "No TPM: nothing measured, and the profile does not require it");
        if (!have_tpm)
                return result_set(x, RULE_FAIL, "No TPM: nothing measured, but the profile requires a TPM measurement");
        return result_set(x, RULE_FAIL, "The host has a TPM, but the posture was not measured at boot");
}

const ComplianceRule rule_attest_measured = {
        .id = "hardenctl-attest-measured",
        .title = "The enforced posture is measured into the TPM",
        .severity = SEVERITY_MEDIUM,
        .rationale =
                "A quote of the measurement lets a remote verifier check what the host enforces without trusting the host.",
        .nist = "SI-7(6) SI-7(9) SC-51",
        .remediation =
                "Boot with a TPM 2.0 and the posture record in place; hardenctl-measure.service measures it (see hardenctl-measure.service(8)).",
        .check = check_attest_measured,
};
