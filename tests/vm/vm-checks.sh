# SPDX-License-Identifier: LGPL-2.1-or-later
#
# The checks of what a boot enforced, sourced by test-vm.sh: each judges the results of the last boot
# (R, RALL, console_has) with test-vm.sh's check, for the scenario in $run of release $release.

# /usr is the verified dm-verity device, read-only.
check_usr_verified() {
        check "/usr is the dm-verity device 'usr' (${R[USR_SOURCE]:-})" '[ "${R[USR_SOURCE]:-}" = /dev/mapper/usr ] && [ "${R[USR_DM_TARGET]:-}" = verity ]'
        check "its root hash is the image's" '[ "${R[USR_DM_ROOTHASH]:-}" = "$ROOT_HASH" ]'
        check "dm-verity status is V (verified) (${R[USR_DM_STATUS]:-})" '[ "${R[USR_DM_STATUS]:-}" = V ]'
        check "/usr is erofs, mounted ro,nodev (${R[USR_OPTIONS]:-})" '[ "${R[USR_FSTYPE]:-}" = erofs ] && [[ ,${R[USR_OPTIONS]:-}, == *,ro,* && ,${R[USR_OPTIONS]:-}, == *,nodev,* ]]'
        check "/usr cannot be written" '[ "${R[USR_WRITABLE]:-}" = no ]'
}

# /usr was activated with its root hash signature, which the kernel checked against the key in the
# UEFI db (its .platform keyring), and the kernel refuses tables without one.
check_usr_signed() {
        check "veritysetup status usr: verified (with signature) (${R[USR_VERITY_STATUS]:-})" \
                '[ "${R[USR_VERITY_STATUS]:-}" = "verified (with signature)" ]'
        check "the dm table names the signature's key (${R[USR_DM_SIG_KEY]:-})" '[ -n "${R[USR_DM_SIG_KEY]:-}" ]'
        check "the test certificate is in the kernel's .platform keyring (${R[PLATFORM_KEY]:-})" \
                '[[ ${R[PLATFORM_KEY]:-} == *"hardenctl VM test image key"* ]]'
        check "dm_verity.require_signatures is on (${R[DM_VERITY_REQUIRE_SIGNATURES]:-})" '[ "${R[DM_VERITY_REQUIRE_SIGNATURES]:-}" = Y ]'
        check "the kernel refuses the same volume without the signature (${R[UNSIGNED_OPEN]:-})" \
                '[[ ${R[UNSIGNED_OPEN]:-} == refused*"verity: Root hash verification failed"* ]]'
}

# The posture record, and the report that carries it, agree with what the guest's kernel says: the dm
# table, the keyring, securityfs (IPE, lockdown) and SELinux.
check_posture_agrees() {
        local doc=$run/posture-$boot_n.json fp want_ipe
        printf '%s\n' "${R[POSTURE]:-}" >"$doc"
        fp=$(openssl x509 -in "$TEST_CERT" -outform DER | sha256sum | cut -c1-64)
        check "posture record: /usr is the dm table's root hash, verified and signed ($(jq -c .usr "$doc" 2>/dev/null))" \
                '[ "$(jq -r .usr.rootHash "$doc")" = "${R[USR_DM_ROOTHASH]:-}" ] && [ "$(jq -r .usr.verified "$doc")" = "$([ "${R[USR_DM_STATUS]:-}" = V ] && echo true || echo false)" ] && [ "$(jq -r .usr.signed "$doc")" = "$([ -n "${R[USR_DM_SIG_KEY]:-}" ] && echo true || echo false)" ]'
        check "posture record: signed by the test certificate (sha256:$fp), its key in .platform" \
                '[ "$(jq -r .usr.signer "$doc")" = "$fp" ] && [ "$(jq -r .usr.keyring "$doc")" = .platform ]'
        want_ipe=$(RALL IPE_POLICY_DIGEST | awk '$1 == "hardenctl" {print $2}')
        check "posture record: the IPE policy securityfs has active (${R[IPE_POLICY]:-}, $want_ipe, enforce ${R[IPE_ENFORCE]:-})" \
                '[ "$(jq -r "\"\(.ipe.policy) active=1 version=\(.ipe.version)\"" "$doc")" = "${R[IPE_POLICY]:-}" ] && [ "$(jq -r .ipe.digest "$doc")" = "$want_ipe" ] && [ "$(jq -r .ipe.enforce "$doc")" = "$([ "${R[IPE_ENFORCE]:-}" = 1 ] && echo true || echo false)" ]'
        check "posture record: SELinux and lockdown as the kernel says (${R[SELINUX_MODE]:-}, ${R[LOCKDOWN]:-})" \
                'v=${R[SELINUX_MODE]:-} && [ "$(jq -r .selinux "$doc")" = "${v,,}" ] && [[ ${R[LOCKDOWN]:-} == *"[$(jq -r .lockdown "$doc")]"* ]]'
        check "the report's posture line says the same (${R[CHECK_POSTURE]:-})" \
                '[[ ${R[CHECK_POSTURE]:-} == "/usr ${R[USR_DM_ROOTHASH]:-} verified, signed by certificate sha256:$fp (key in .platform); IPE policy hardenctl 1.0.0 (enforcing) $want_ipe; SELinux ${v,,}; lockdown $(jq -r .lockdown "$doc");"* ]]'
}

check_etc_overlay() {
        check "/etc is an overlay with its upper directory on the tmpfs (${R[ETC_OPTIONS]:-})" \
                '[ "${R[ETC_FSTYPE]:-}" = overlay ] && [[ ${R[ETC_OPTIONS]:-} == *upperdir=/run/hardenctl/etc/upper* ]] && [ "${R[ETC_UPPER_FSTYPE]:-}" = tmpfs ]'
}

# Every audit rule of the profile is loaded: per key, as many rules as the profile has, and the watches
# as written; and the configuration is locked.
check_audit() {
        local profile=${1:-immutable-host} expect=$run/audit-expected got=$run/audit-got key n m
        # A rule the profile names twice (a set's and Rule=) is one rule in the kernel.
        "$build/tests/vm/audit-expect" "$vmdir/tree" "$profile" | awk '!seen[$0]++' >"$expect" ||
                { check "the expected audit rules are known" false; return; }
        RALL AUDIT_RULE >"$got"
        check "auditctl -s: enabled 2 (${R[AUDIT_ENABLED]:-})" '[ "${R[AUDIT_ENABLED]:-}" = 2 ]'
        check "auditctl -s: failure 1 (printk) (${R[AUDIT_FAILURE]:-})" '[ "${R[AUDIT_FAILURE]:-}" = 1 ]'
        check "auditctl -l lists $(wc -l <"$expect") rules, as many as the profile has ($(wc -l <"$got"))" \
                '[ "$(wc -l <"$got")" -eq "$(wc -l <"$expect")" ]'
        for key in $(cut -f1 "$expect" | sort -u); do
                n=$(awk -F'\t' -v k="$key" '$1 == k' "$expect" | wc -l)
                m=$(grep -c -E -- "(-k |key=)$key\$" "$got")
                check "audit key $key: $n rules expected, $m loaded" '[ "$n" -eq "$m" ]'
        done
        while IFS=$'\t' read -r key rule; do
                [[ $rule == -w* ]] || continue
                check "watch listed: $rule" 'grep -q -x -F -- "$rule" "$got"'
        done <"$expect"
}

check_selinux() {
        # What the image's profile says, as hardenctl reads it.
        local mode policy
        read -r mode policy < <("$build/src/hardenctl/hardenctl" show-profile --root="$vmdir/tree" --json=short immutable-host |
                python3 -c 'import json, sys; s = json.load(sys.stdin)["SELinux"]; print(s["Mode"], s.get("Policy", ""))')
        check "SELinux mode is the profile's $mode (${R[SELINUX_MODE]:-})" '[ -n "$mode" ] && v=${R[SELINUX_MODE]:-} && [ "${v,,}" = "$mode" ]'
        check "/etc/selinux/config agrees (SELINUX=${R[SELINUX_CONFIG_MODE]:-}, SELINUXTYPE=${R[SELINUX_POLICY]:-})" \
                '[ "${R[SELINUX_CONFIG_MODE]:-}" = "$mode" ] && [ "${R[SELINUX_POLICY]:-}" = "$policy" ]'
        # The overlay's root and the files the initrd writes exist before the policy: they must carry
        # real labels, or confined services are denied /etc.
        check "/etc is labelled etc_t (${R[ETC_LABEL]:-})" '[[ ${R[ETC_LABEL]:-} == *:etc_t:* ]]'
        check "/etc/selinux/config is labelled selinux_config_t (${R[ETC_SELINUX_CONFIG_LABEL]:-})" '[[ ${R[ETC_SELINUX_CONFIG_LABEL]:-} == *:selinux_config_t:* ]]'
        # (Debian 12's policy does not know systemd's /run/credentials, a tmpfs of PID 1's: not ours.)
        check "no denial on an unlabelled tmpfs (/etc)" '! RALL AVC_NAME | grep " tmpfs_t\$" | grep -v " credentials tmpfs_t\$" >/dev/null'
        check "no unit failed ($(RALL FAILED_UNIT | wc -l))" '[ -z "$(RALL FAILED_UNIT)" ]'
        RALL FAILED_UNIT | sed 's/^/    failed unit: /'
        echo "AVC denials this boot: ${R[AVC_DENIALS]:-?}"
        RALL AVC | sed 's/^/    /'
        RALL AVC_NAME | sed 's/^/    (count, by, permission, on, type): /'
        echo "label of /usr/bin/bash on the erofs /usr: ${R[USR_LABEL]:-?}"
}

check_hardenctl() {
        check "hardenctl validate of the boot profile in the guest exits 0 (${R[HARDENCTL_VALIDATE_RC]:-})" '[ "${R[HARDENCTL_VALIDATE_RC]:-}" = 0 ]'
        check "hardenctl show-profile in the guest names the profile (${R[HARDENCTL_PROFILE]:-})" '[[ ${R[HARDENCTL_PROFILE]:-} == "Immutable host"* ]]'
        # hardenctl check in the guest must agree with what the boot enforces: every result of a rule
        # the boot pieces put in force passes. The rest are properties of how an image is built
        # (partitioning, mount options, accounts, packages, keys to persist), which this test image
        # does not have; they are listed, not judged — and the check is right to fail them.
        local boot_rules='^hardenctl-(usr-verity|usr-verity-root-hash|usr-verity-signature|usr-verity-corruption|usr-read-only|etc-overlay|etc-overlay-lower|etc-drift|selinux-mode|selinux-config|audit-rules|audit-immutable|audit-failure-mode|audit-backlog|kernel-sysctl|kernel-deny-module|kernel-lockdown|kernel-module-loading|kernel-cmdline|service-masked|service-confinement|boot-kill-switch)( |$)'
        # Debian 13's image enforces the execution policy: its integrity rules are the boot's too.
        [ "$release" = deb12 ] ||
                boot_rules='^hardenctl-(usr-verity|usr-verity-root-hash|usr-verity-signature|usr-verity-corruption|usr-read-only|etc-overlay|etc-overlay-lower|etc-drift|selinux-mode|selinux-config|audit-rules|audit-immutable|audit-failure-mode|audit-backlog|kernel-sysctl|kernel-deny-module|kernel-lockdown|kernel-module-loading|kernel-cmdline|service-masked|service-confinement|boot-kill-switch|exec-ipe-available|exec-ipe-policy|exec-ipe-enforce|exec-denials)( |$)'
        local rc=${R[HARDENCTL_CHECK_RC]:-absent}
        if [ "$rc" = absent ]; then
                echo "hardenctl check: not in this build, not judged"
        else
                check "hardenctl check in the guest ran and reported (exit $rc: 0 compliant or 2 not)" '[ "$rc" = 0 ] || [ "$rc" = 2 ]'
                check "hardenctl check reported results ($(RALL CHECK_RESULT | wc -l))" '[ "$(RALL CHECK_RESULT | wc -l)" -ge 40 ]'
                local line result rule
                while read -r result rule; do
                        if [[ $rule =~ $boot_rules ]]; then
                                # A Confine= unit this image does not have is rightly not applicable.
                                check "guest check: $rule passes ($result)" \
                                        '[ "$result" = pass ] || { [ "$result" = notapplicable ] && [[ $rule == hardenctl-service-confinement* ]]; }'
                        elif [ "$result" != pass ]; then
                                echo "    guest check, image property, not judged: $result $rule"
                        fi
                done < <(RALL CHECK_RESULT)
                RALL CHECK_DETAIL | sed 's/^/    guest check: /'
                check "guest check judged every boot-enforced rule of the profile" \
                        '[ "$(RALL CHECK_RESULT | awk "{print \$2}" | grep -cE "$boot_rules")" -ge 30 ]'
        fi
        rc=${R[HARDENCTL_STATUS_RC]:-absent}
        [ "$rc" = absent ] || check "hardenctl status in the guest exits 0 (nothing applied by hand) ($rc)" '[ "$rc" = 0 ]'
        check "no hardenctl unit failed" '! RALL FAILED_UNIT | grep hardenctl >/dev/null'
}

# The runtime watcher, as auditd's plugin in the SELinux domain hardenctl.cil gives it, reports a program run from outside
# the verified /usr in the journal and counts it in its state file.
check_watch() {
        check "auditd runs hardenctl-watch, in its own SELinux domain (${R[WATCH_PROCESS]:-none})" \
                '[[ ${R[WATCH_PROCESS]:-} == *":hardenctl_watch_t:"*"/usr/sbin/hardenctl-watch"* ]]'
        check "no SELinux denial of the watcher ($(RALL AVC | grep -c hardenctl_watch_t))" '! RALL AVC | grep hardenctl_watch_t >/dev/null'
        check "a program run from /var/tmp (exit ${R[WATCH_EXEC_RC]:-?}) is an exec-unverified anomaly in the journal" \
                '[[ ${R[WATCH_ANOMALY]:-} == *"HARDENCTL_ANOMALY=exec-unverified"*"HARDENCTL_PATH=/var/tmp/vmtest-true"*"PRIORITY=4"* ]]'
        echo "    anomaly: ${R[WATCH_ANOMALY]:-none}"
        check "the watcher's state file counts it (${R[WATCH_STATE]:-} exec-unverified ${R[WATCH_STATE_EXEC_UNVERIFIED]:-})" \
                '[[ ${R[WATCH_STATE]:-} == *source*audisp* ]] && [ "${R[WATCH_STATE_EXEC_UNVERIFIED]:-0}" -ge 1 ]'
}

# IPE (Debian 13): the policy compiled from the profile is active, enforced or (audit) not, and the
# program check_watch ran from /var/tmp was refused (126) or ran, with IPE's record of it, a DENY;
# the watcher's anomaly names IPE's rule.
check_ipe() {
        local want_enforce=1 want_rc=126 ipe_word=enforcing
        [ "$1" = enforce ] || want_enforce=0 want_rc=0 ipe_word="audit only"
        RALL JOURNAL_FILE | sed 's/^/    journal: /'
        echo "    journal entries of this boot: ${R[JOURNAL_ENTRIES]:-}"
        check "IPE enforce is $want_enforce (${R[IPE_ENFORCE]:-})" '[ "${R[IPE_ENFORCE]:-}" = "$want_enforce" ]'
        check "the profile's execution policy is active (${R[IPE_POLICY]:-})" '[ "${R[IPE_POLICY]:-}" = "hardenctl active=1 version=1.0.0" ]'
        check "the program from /var/tmp exits $want_rc (${R[WATCH_EXEC_RC]:-})" '[ "${R[WATCH_EXEC_RC]:-}" = "$want_rc" ]'
        check "IPE recorded a DENY for it, enforcing=$want_enforce" \
                '[[ ${R[IPE_RECORD]:-} == *"enforcing=$want_enforce"*"/var/tmp/vmtest-true"*"action=DENY"* ]]'
        echo "    IPE record: ${R[IPE_RECORD]:-none}"
        check "the watcher's anomaly names IPE's rule" '[[ ${R[WATCH_ANOMALY]:-} == *"HARDENCTL_IPE_RULE=DEFAULT op=EXECUTE action=DENY"* ]]'
        check "a program on /usr runs (${R[EXEC_USR_RC]:-})" '[ "${R[EXEC_USR_RC]:-}" = 0 ]'
        # Copies elsewhere: run (126, EACCES, when enforced) and through the loader, which maps it (127:
        # the loader cannot map it, when enforced); IPE's DENY records for both.
        local d line want_ld=127
        [ "$1" = enforce ] || want_ld=0
        for d in /tmp /var/tmp /dev/shm /root /etc; do
                line=$(RALL EXEC_COPY | grep "^$d " || true)
                check "a copy in $d exits $want_rc, through the loader $want_ld (${line:-not run})" '[ "$line" = "$d $want_rc $want_ld" ]'
                check "IPE denied executing it and mapping it" \
                        'RALL IPE_DENIED | grep -x "BPRM_CHECK $d/vmtest-true" >/dev/null && RALL IPE_DENIED | grep -x "MMAP $d/vmtest-true" >/dev/null'
        done
        # The report lists them by path and by program: as refused (a pass: the policy at work), or as
        # what enforcing would refuse (a failure).
        local want_denials="pass .* executions were refused since boot: "
        [ "$1" = enforce ] || want_denials="fail .* executions would have been refused since boot: "
        check "the report's exec-denials groups them by path and by program (${R[CHECK_DENIALS]:-})" \
                '[[ ${R[CHECK_DENIALS]:-} =~ ^$want_denials ]] && [[ ${R[CHECK_DENIALS]} == *"; by program: "?* ]] && ! for d in /tmp /var/tmp /dev/shm /root /etc; do [[ ${R[CHECK_DENIALS]} == *" $d/vmtest-true ("* ]] || echo "$d"; done | grep -q .'
        check "hardenctl-ipe activated it in the initrd" \
                'console_has "Execution policy hardenctl 1\.0\.0 from /sysroot/usr/lib/hardenctl/exec-policy\.p7s active, $ipe_word"'
}

# What hardenctl-measure.service held sysinit.target back by in this boot (informational: under TCG
# it varies from boot to boot).
report_sysinit_delay() {
        echo "    sysinit.target held back by hardenctl-measure.service: ${R[SYSINIT_MEASURE_DELAY_USEC]:-?} us (the unit ran ${R[MEASURE_USEC]:-?} us; the last other unit before sysinit.target: ${R[SYSINIT_LAST_OTHER]:-?})"
}

# A boot with a TPM and vmtest.attest=NONCE: it was measured, and hardenctl attest answered; the
# document and its parts for the verifiers: $run/attestation-N.json, ak-N.pem, quote-N.bin, sig-N.bin,
# pcrs-N.bin. Usage: check_attested N NONCE
check_attested() {
        local n=$1 nonce=$2 doc=$run/attestation-$1.json
        RALL MEASURE_LOG | sed 's/^/    measure: /'
        check "boot $n: the guest has a TPM (${R[TPM_DEVICE]:-})" '[ "${R[TPM_DEVICE]:-}" = /dev/tpmrm0 ]'
        check "boot $n: the posture was measured into PCR 8 (${R[MEASURE_USEC]:-?} us)" 'RALL MEASURE_LOG | grep -E "Measured 5 events into PCR 8" >/dev/null'
        echo "    record and measurement at boot: ${R[MEASURE_USEC]:-?} us from start to exit, CPU ${R[MEASURE_CPU_NSEC]:-?} ns; attest in the guest: ${R[ATTEST_SECONDS]:-?} s"
        report_sysinit_delay
        RALL ATTEST_ERR | sed 's/^/    attest: /'
        check "boot $n: hardenctl attest --nonce=$nonce exits 0 (${R[ATTEST_RC]:-})" '[ "${R[ATTEST_RC]:-}" = 0 ]'
        printf '%s' "${R[ATTEST_B64]:-}" | base64 -d >"$doc" 2>/dev/null
        jq -r .akPublic.pem "$doc" >"$run/ak-$n.pem" 2>/dev/null
        jq -r .quote "$doc" 2>/dev/null | base64 -d >"$run/quote-$n.bin" 2>/dev/null
        jq -r .signature "$doc" 2>/dev/null | base64 -d >"$run/sig-$n.bin" 2>/dev/null
        printf "$(jq -r '.pcrs."8"' "$doc" 2>/dev/null | sed 's/../\\x&/g')" >"$run/pcrs-$n.bin"
        [ "$release" = deb12 ] || check "boot $n: hardenctl check in the guest passes hardenctl-attest-measured" \
                'RALL CHECK_RESULT | grep -x "pass hardenctl-attest-measured" >/dev/null'
        check "boot $n: the attestation document holds a quote, its key and the event log" \
                '[ -s "$run/quote-$n.bin" ] && [ -s "$run/sig-$n.bin" ] && grep -q "BEGIN PUBLIC KEY" "$run/ak-$n.pem" && [ "$(jq ".eventLog | length" "$doc")" -ge 5 ]'
}
