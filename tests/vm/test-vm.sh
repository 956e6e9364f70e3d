#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# One VM scenario: builds the test image of its release if it is not current (mkimage.sh), makes the
# scenario's copy of the disk, boots it under qemu (boot.sh) and judges what the guest reported on its
# second serial port and what the console showed. A scenario's name starts with its release: deb12-…
# (Debian 12, bookworm) or deb13-… (Debian 13, trixie: booted through OVMF with the image's test
# certificate in the UEFI db, and a /usr whose root hash is signed with its key).
#
#   deb12-immutable-host, deb13-immutable-host
#                           the shipped profile, booted twice: /usr is the verified dm-verity device,
#                           read-only (on Debian 13 activated with the root hash signature, which the
#                           kernel checked: "verified (with signature)", and unsigned tables are refused);
#                           /etc is an overlay on tmpfs; the profile's audit rules are loaded and locked;
#                           SELinux enforcing; hardenctl check in the guest agrees. The second boot has
#                           hardenctl=0 on the command line, which AllowKillSwitch=no refuses: everything
#                           is enforced again, and a file written to /etc in the first boot is gone, while
#                           one in /var stays
#   deb12-tampered-usr, deb13-tampered-usr
#                           one byte of the usr partition's first block changed: refused in the initrd
#   deb12-tampered-usr-file, deb13-tampered-usr-file
#                           one byte of /usr/lib/systemd/systemd changed: caught when it is read, restart
#   deb12-wrong-roothash    usrhash= names partitions whose hash tree has another root hash: refused
#   deb12-missing-hash-partition
#                           the usr-verity partition is gone: refused
#   deb12-verity-optional-killswitch, deb13-verity-optional-killswitch
#                           the same with Verity=optional and AllowKillSwitch=yes, and hardenctl.etc=0:
#                           boots, /usr unverified, with a warning; /etc is not an overlay; on Debian 13,
#                           whose image enforces its execution policy, the policy is loaded audit only,
#                           with a warning (enforced, it would refuse every program on /usr)
#   deb13-signed-usr-rogue  the signature partition holds the root hash signed by a key the firmware
#                           does not know: the kernel refuses it, the boot stops with one line
#   deb13-signed-usr-unsigned
#                           no signature partition, with Signature=required: the boot stops, one line
#   deb12-anomalies         agent-host as the boot profile: its confined agent.service runs a program
#                           AllowExec= does not list and writes below a watched path; the journal, the
#                           JSON report and the Prometheus output show exactly that; then a burst of
#                           100,000 audited programs, none lost by the kernel, auditd or the watcher
#   deb13-ipe-audit         the image's execution policy with a drop-in Mode=audit in the initrd: active,
#                           not enforced; a program copied to /var/tmp runs, IPE logs the DENY and the
#                           watcher reports it
#   deb13-ipe-wrong-key     an execution policy signed by a key the kernel does not trust, in the
#                           initrd: the boot stops with one line (the image itself enforces its policy:
#                           deb13-immutable-host shows the program from /var/tmp refused)
#   deb12-ipe-unavailable   [Exec] Mode=enforce on a kernel without IPE: the boot stops with one line;
#                           Mode=audit: it goes on with a warning, and the posture record says no IPE
#   deb12-attest, deb13-attest
#                           with a TPM (swtpm, manufactured with an EK certificate): the boot measures the
#                           posture into PCR 8; hardenctl attest in the guest answers a nonce, with the EK
#                           certificate from the TPM's NV; on the host hardenctl verify-attestation accepts
#                           it against the image pipeline's golden values (attest golden), tpm2_checkquote
#                           accepts the same quote, an old nonce is refused by both; boots that are not the
#                           image's (Debian 12: another image, agent-host; Debian 13: another execution
#                           policy, and the image's policy audit only) are rejected, the events named
#   deb12-apply-live, deb13-apply-live
#                           a plain host (no boot profile, SELinux permissive) runs hardenctl apply of
#                           cis-level1-server with a drop-in: a dry run, the apply, a second apply that
#                           changes nothing, status, and hardenctl check then passes every rule apply
#                           enforces; after a reboot the files still hold, and a new apply puts back the
#                           live-only settings
#
# Needs root, qemu-system-x86_64, debootstrap and the rest (tools/install-vm-deps.sh), and the Debian
# archive for the first image of each release. Exits 77 (skip) when they are missing, unless VM_REQUIRE=1.
# Usage: test-vm.sh BUILD_ROOT SOURCE_ROOT SCENARIO
# Environment: VM_DIR (default BUILD_ROOT/vm; the images are in VM_DIR/deb12 and VM_DIR/deb13),
# VM_BOOT_TIMEOUT (default 420 s), VM_KEEP=1 keeps the scenario's disk, and mkimage.sh's
# (VM_BREAK=usr-generator builds a broken image: the suite must fail).
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
. "$here/vm-lib.sh"

[ $# -eq 3 ] || vm_die "usage: test-vm.sh BUILD_ROOT SOURCE_ROOT SCENARIO"
build=$(cd "$1" && pwd)
src=$(cd "$2" && pwd)
scenario=$3
release=${scenario%%-*}
suite=$(vm_suite "$release")
[ -n "$suite" ] || vm_die "scenario $scenario names no release (deb12-… or deb13-…)"
what=${scenario#"$release"-}
vmdir=${VM_DIR:-$build/vm}/$release
boot_timeout=${VM_BOOT_TIMEOUT:-420}

missing=()
[ "$(id -u)" -eq 0 ] || missing+=(root)
for t in qemu-system-x86_64 debootstrap sfdisk mkfs.erofs mkfs.ext4 unshare python3; do
        command -v "$t" >/dev/null || missing+=("$t")
done
if [ ${#missing[@]} -gt 0 ]; then
        if [ "${VM_REQUIRE:-0}" = 1 ]; then
                vm_die "missing: ${missing[*]} (tools/install-vm-deps.sh)"
        fi
        echo "SKIP: missing ${missing[*]} (tools/install-vm-deps.sh installs them)"
        exit 77
fi

passed=0 failed=0
check() {
        if eval "$2"; then
                passed=$((passed + 1))
                printf 'ok    %s\n' "$1"
        else
                failed=$((failed + 1))
                printf 'FAIL  %s\n' "$1"
        fi
}

stage "image"
VM_RELEASE=$suite bash "$here/mkimage.sh" "$build" "$vmdir" || vm_die "the image could not be built"
. "$vmdir/image.env"

run=$vmdir/run/$scenario
rm -rf "$run"
mkdir -p "$run"

stage "disk"
disk=$run/disk.img
case $what in
apply-live) ;;
anomalies) cp --sparse=always "$vmdir/disk-agent.img" "$disk" ;;
*) cp --sparse=always "$vmdir/disk.img" "$disk" ;;
esac
# Debian 13 boots through OVMF, from the scenario's own copy of the variable store (with the test
# certificate in db).
if [ -n "${OVMF_CODE:-}" ]; then
        cp "$OVMF_VARS" "$run/vars.fd"
        export VM_OVMF_CODE=$OVMF_CODE VM_OVMF_VARS=$run/vars.fd
fi

# The words immutable-host's [Kernel] CommandLine= asks for are on it, as a boot loader entry built for
# the profile would have them.
# SELinux is the major LSM: on Debian 12 with security=selinux, on Debian 13 with an lsm= list (its
# default is AppArmor) that keeps IPE.
base_append="console=ttyS0,115200 root=PARTUUID=$ROOT_PARTUUID rootfstype=ext4 rw $KERNEL_LSM_ARGS panic=-1 slab_nomerge init_on_alloc=1 page_alloc.shuffle=1 $KERNEL_EXTRA_ARGS"
append_hash="usrhash=$ROOT_HASH"

# Results of the last boot: R[KEY] is the first value, RALL KEY lists every value.
declare -A R
boot_n=0
boot() {
        local initrd=$1
        shift
        boot_n=$((boot_n + 1))
        local dir=$run/boot-$boot_n
        stage "boot $boot_n"
        vm_log "append: $*"
        # A guest kernel that never gets as far as starting the initrd has stalled in the emulator (seen
        # once under TCG, at 1 s of kernel time, on a loaded machine), or tripped over code it was
        # patching itself ("Oops: int3" in the idle loop, seen once with Debian 13's kernel: multi-threaded
        # TCG and the kernel's text patching race). Nothing of ours ran yet, so one more boot of the same
        # disk is a fair retry, and the log says so. Everything after the kernel's start is judged.
        local attempt why
        for attempt in 1 2; do
                bash "$here/boot.sh" "$dir" "$vmdir/vmlinuz" "$vmdir/$initrd" "$disk" "$boot_timeout" "$@" >"$dir.outcome" 2>"$dir.err" ||
                        vm_die "boot.sh failed: $(cat "$dir.err")"
                [ "$attempt" = 1 ] && grep -qx 'T_INITRD=' "$dir.outcome" || break
                if grep -qx 'OUTCOME=timeout' "$dir.outcome"; then
                        why="the guest kernel never started the initrd (an emulator stall)"
                elif grep -aq 'Oops: int3' "$dir/console.log"; then
                        why="the guest kernel oopsed on an int3 before the initrd ($(grep -a -m1 'RIP:' "$dir/console.log" | tr -d '\r'))"
                else
                        break
                fi
                vm_log "boot $boot_n: $why; booting once more"
                mv "$dir" "$dir.stalled"
        done
        R=()
        while IFS= read -r line; do
                local k=${line%%=*}
                [ -n "${R[$k]+x}" ] || R[$k]=${line#*=}
        done < <(cat "$dir.outcome"; sed -n '/^VMTEST BEGIN/,/^VMTEST END/p' "$dir/results.log" | tr -d '\r' | grep '=')
        results=$dir/results.log
        console=$dir/console.log
        printf 'STAGE %-24s %4ss (outcome %s; initrd from %ss, switch-root at %ss, report at %ss)\n' \
                "boot $boot_n" "${R[T_TOTAL]}" "${R[OUTCOME]}" "${R[T_INITRD]:--}" "${R[T_SWITCH_ROOT]:--}" "${R[T_REPORT]:--}" >&2
        vm_stage_name=
}
RALL() { sed -n '/^VMTEST BEGIN/,/^VMTEST END/p' "$results" | tr -d '\r' | sed -n "s/^$1=//p"; }
# No grep -q in pipelines: with pipefail, the writer's SIGPIPE would make a match look like a failure.
console_has() { tr -d '\r' <"$console" | grep -a -E "$1" >/dev/null; }
console_count() { tr -d '\r' <"$console" | grep -a -c -E "$1"; }

# The boot reached the real system and reported.
check_reported() {
        check "boot $boot_n: the guest reported and powered off (outcome ${R[OUTCOME]})" '[ "${R[OUTCOME]}" = poweroff ] && [ -n "${R[BOOT_ID]:-}" ]'
}

# The boot did not reach the real system: no switch-root, no report, and it stopped on its own.
check_fail_closed() {
        check "boot $boot_n: did not reach the real system (outcome ${R[OUTCOME]}: ${R[STOP_LINE]:-})" \
                '[ "${R[OUTCOME]}" = stopped ] && [ -z "${R[BOOT_ID]:-}" ] && ! console_has "Starting.*initrd-switch-root.service"'
        check "boot $boot_n: /usr was never mounted" '! console_has "Mounted .*sys(usr|root)-usr\.mount|erofs: .*mounted with root inode"'
}

# The boot stopped in the initrd after /usr was set up (an initrd unit after initrd-fs.target failed):
# no switch-root, no report.
check_fail_closed_late() {
        check "boot $boot_n: did not reach the real system (outcome ${R[OUTCOME]}: ${R[STOP_LINE]:-})" \
                '[ "${R[OUTCOME]}" = stopped ] && [ -z "${R[BOOT_ID]:-}" ] && ! console_has "Starting.*initrd-switch-root.service"'
}

# What a boot enforced: /usr, /etc, audit, SELinux, hardenctl check, the watcher, IPE, the posture
# record, the measurement.
. "$here/vm-checks.sh"

# The rules of a profile that hardenctl apply puts in force on a running system; a profile's other rules
# are properties of how the host is built (partitions, mount options, accounts, packages).
apply_rules='^hardenctl-(selinux-mode|selinux-config|audit-rules|audit-immutable|audit-failure-mode|audit-backlog|kernel-sysctl|kernel-deny-module|kernel-lockdown|kernel-module-loading|service-masked|service-confinement)( |$)'
# Of those, the ones a plain host keeps across a reboot: what apply wrote to /etc, which the usual
# boot services read. The audit lock, the lockdown and module signature enforcement are live only.
apply_persistent_rules='^hardenctl-(selinux-mode|selinux-config|audit-rules|audit-failure-mode|audit-backlog|kernel-sysctl|kernel-deny-module|service-masked|service-confinement)( |$)'

# Judges the results KEY_RESULT of `hardenctl check` in the guest: every result of a rule that matches
# RE passes; the rest are listed.
check_results_pass() {
        local key=$1 re=$2 what=$3 result rule n=0
        while read -r result rule; do
                if [[ $rule =~ $re ]]; then
                        n=$((n + 1))
                        check "$what: $rule passes ($result)" '[ "$result" = pass ]'
                elif [ "$result" != pass ]; then
                        echo "    $what, not judged: $result $rule"
                fi
        done < <(RALL "${key}_RESULT")
        RALL "${key}_DETAIL" | sed "s/^/    $what: /"
        check "$what: judged $n results (at least 30)" '[ "$n" -ge 30 ]'
}

# The lines of a hardenctl step's output in the guest.
out_has() { RALL "$1_OUT" | grep -E -- "$2" >/dev/null; }

case $what in
apply-live)
        # A plain host — /usr and /etc on the root file system, no profile at boot, SELinux permissive —
        # adopts cis-level1-server with an operator's drop-in: hardenctl apply in the running guest,
        # then its compliance check; then a reboot, and the same again.
        disk=$run/disk-plain.img
        cp --sparse=always "$vmdir/disk-plain.img" "$disk"
        profile=cis-level1-server
        plain_append="console=ttyS0,115200 root=PARTUUID=$PLAIN_PARTUUID rootfstype=ext4 rw $KERNEL_LSM_ARGS panic=-1 vmtest.apply=$profile"
        boot initrd-plain.img $plain_append
        check_reported
        check "a plain host: /usr is not dm-verity, /etc is not an overlay (${R[USR_DM_TARGET]:-}, ${R[ETC_FSTYPE]:-})" \
                '[ "${R[USR_DM_TARGET]:-}" = none ] && [ "${R[ETC_FSTYPE]:-}" = ext4 ]'
        n=$(RALL CHECK_BEFORE_RESULT | awk '$1 != "pass" {print $2}' | grep -cE "$apply_rules")
        check "before apply, the check fails (exit ${R[CHECK_BEFORE_RC]:-}), $n results of rules apply enforces not passing" \
                '[ "${R[CHECK_BEFORE_RC]:-}" = 2 ] && [ "$n" -ge 10 ]'
        check "hardenctl status before any apply: nothing applied, exit 0 (${R[STATUS_BEFORE_RC]:-})" '[ "${R[STATUS_BEFORE_RC]:-}" = 0 ]'
        check "apply --dry-run: something would change, exit 2 (${R[DRYRUN_RC]:-})" '[ "${R[DRYRUN_RC]:-}" = 2 ]'
        check "the dry run shows the audit rules file as a diff" 'out_has DRYRUN "^\+\+\+ b/etc/audit/rules.d/50-hardenctl.rules"'
        check "the dry run shows the module deny list as a diff" 'out_has DRYRUN "^\+\+\+ b/etc/modprobe.d/50-hardenctl.conf"'
        check "the dry run lists the live changes: SELinux, sysctls, restart, audit lock" \
                'out_has DRYRUN "SELinux mode: permissive → enforcing" && out_has DRYRUN "^  sysctl kernel.yama.ptrace_scope: 0 → 1" &&
                 out_has DRYRUN "try-restart vmtest-sleeper.service" && out_has DRYRUN "audit: lock the configuration"'
        check "the dry run says that nothing puts the lockdown and module signatures back at the next boot" \
                'out_has DRYRUN "there is no boot profile .*nothing sets Lockdown= and ModuleLoading= again"'
        RALL DRYRUN_OUT | grep -A60 -E '^Live changes:' | sed 's/^/    dry run: /'
        check "apply: exit 0 (${R[APPLY_RC]:-})" '[ "${R[APPLY_RC]:-}" = 0 ]'
        RALL APPLY_OUT | tail -n 5 | sed 's/^/    apply: /'
        check "apply again: nothing to change, exit 0 (${R[APPLY_AGAIN_RC]:-})" \
                '[ "${R[APPLY_AGAIN_RC]:-}" = 0 ] && out_has APPLY_AGAIN "is in force: nothing to change"'
        check "apply --dry-run after it: exit 0 (${R[DRYRUN_AFTER_RC]:-})" '[ "${R[DRYRUN_AFTER_RC]:-}" = 0 ]'
        check "hardenctl status: the host matches, exit 0 (${R[STATUS_AFTER_RC]:-})" '[ "${R[STATUS_AFTER_RC]:-}" = 0 ]'
        check "hardenctl check after apply ran (exit ${R[CHECK_AFTER_RC]:-}: 0 or 2)" '[ "${R[CHECK_AFTER_RC]:-}" = 0 ] || [ "${R[CHECK_AFTER_RC]:-}" = 2 ]'
        check_results_pass CHECK_AFTER "$apply_rules" "check after apply"
        check "the journal has one entry for the apply that changed something ($(RALL JOURNAL_APPLY | wc -l))" \
                '[ "$(RALL JOURNAL_APPLY | wc -l)" = 1 ] && RALL JOURNAL_APPLY | grep -E "HARDENCTL_PROFILE=$profile .*HARDENCTL_DIGEST=sha256:[0-9a-f]{64}" >/dev/null &&
                 RALL JOURNAL_APPLY | grep "HARDENCTL_SCOPE=host" >/dev/null'
        RALL JOURNAL_APPLY | sed 's/^/    journal: /'
        check "SELinux enforcing (${R[SELINUX_MODE]:-}), and so configured (${R[SELINUX_CONFIG_MODE]:-})" \
                '[ "${R[SELINUX_MODE]:-}" = Enforcing ] && [ "${R[SELINUX_CONFIG_MODE]:-}" = enforcing ]'
        check_audit "$profile"
        check "the module deny list reaches modprobe (${R[MODPROBE_DENIED]:-})" '[[ ${R[MODPROBE_DENIED]:-} == "install /bin/false"* ]]'
        check "what apply made carries the policy's labels: restorecon -n finds nothing to change ($(RALL FILE_LABEL | wc -l) files)" \
                '[ "$(RALL FILE_LABEL | wc -l)" -ge 6 ] && [ -z "$(RALL FILE_RELABEL)" ]'
        RALL FILE_LABEL | sed 's/^/    label: /'
        RALL FILE_RELABEL | sed 's/^/    restorecon would change: /'
        check "the confined service runs again, confined (${R[SLEEPER_ActiveState]:-}, NoNewPrivileges=${R[SLEEPER_NoNewPrivileges]:-})" \
                '[ "${R[SLEEPER_ActiveState]:-}" = active ] && [ "${R[SLEEPER_NoNewPrivileges]:-}" = yes ]'
        check "no unit failed ($(RALL FAILED_UNIT | wc -l))" '[ -z "$(RALL FAILED_UNIT)" ]'
        RALL FAILED_UNIT | sed 's/^/    failed unit: /'
        echo "apply steps in the guest took ${R[APPLY_SECONDS]:-?} s; AVC denials this boot: ${R[AVC_DENIALS]:-?}"
        RALL AVC | sed 's/^/    /'
        first_boot=${R[BOOT_ID]:-none}

        boot initrd-plain.img $plain_append vmtest.runtime=1
        check_reported
        check "a second boot of the same disk" '[ "${R[BOOT_ID]:-}" != "$first_boot" ]'
        echo "    audit rules loaded at boot: ${R[AUDIT_RULES_AT_BOOT]:-?}"
        RALL AUDITD_LOG | sed 's/^/    auditd: /'
        check_results_pass CHECK_BEFORE "$apply_persistent_rules" "boot 2, before apply"
        check "boot 2: apply plans no file: what it wrote survived the reboot" \
                '[ "${R[DRYRUN_RC]:-}" = 0 ] || ! out_has DRYRUN "^\+\+\+ b/|^symlink "'
        RALL DRYRUN_OUT | grep -A20 -E '^Live changes:' | sed 's/^/    boot 2 dry run: /'
        check "boot 2: apply puts back what lives only until reboot, exit 0 (${R[APPLY_RC]:-})" '[ "${R[APPLY_RC]:-}" = 0 ]'
        check "boot 2: hardenctl status: the host matches, exit 0 (${R[STATUS_AFTER_RC]:-})" '[ "${R[STATUS_AFTER_RC]:-}" = 0 ]'
        check_results_pass CHECK_AFTER "$apply_rules" "boot 2, check after apply"
        check "boot 2: a run-time apply on top, exit 0 (${R[RUNTIME_RC]:-})" '[ "${R[RUNTIME_RC]:-}" = 0 ]'
        RALL RUNTIME_OUT | tail -n 3 | sed 's/^/    runtime apply: /'
        while read -r f run etc; do
                check "boot 2: /run/$f is labelled as /etc/$f ($run)" '[ -n "$etc" ] && [ "$run" = "$etc" ]'
        done < <(RALL RUNTIME_LABEL)
        check "boot 2: both run-time files were looked at" '[ "$(RALL RUNTIME_LABEL | wc -l)" = 2 ]'
        check "boot 2: no unit failed ($(RALL FAILED_UNIT | wc -l))" '[ -z "$(RALL FAILED_UNIT)" ]'
        RALL FAILED_UNIT | sed 's/^/    failed unit: /'
        ;;
immutable-host)
        boot initrd.img $base_append $append_hash vmtest.marker=write vmtest.watch=1
        check_reported
        check "no kill switch was refused or honoured" '! console_has "Kill switch|turned off by a kill switch"'
        check_usr_verified
        [ "$release" = deb12 ] || check_usr_signed
        check_etc_overlay
        # What is in the upper directory is the drift since boot: right after boot, only what the boot
        # itself writes, not a copy of /etc.
        check "the upper directory holds only what the boot wrote (${R[ETC_UPPER_FILES]:-?} entries)" '[ "${R[ETC_UPPER_FILES]:-999}" -le 20 ]'
        RALL ETC_UPPER_ENTRY | sed 's/^/    upper: /'
        check "the profile's module deny list reaches modprobe (${R[MODPROBE_DENIED]:-})" '[[ ${R[MODPROBE_DENIED]:-} == "install /bin/false"* ]]'
        # The initrd may make /run/modprobe.d before the SELinux policy is loaded (Debian 13's dracut
        # does): it must carry the label modprobe may read, as its files do.
        check "/run/modprobe.d and its files are labelled modules_conf_t ($(RALL RUN_CONF_LABEL | grep -c modprobe))" \
                '[ "$(RALL RUN_CONF_LABEL | grep -c "^/run/modprobe.d")" -ge 2 ] && ! RALL RUN_CONF_LABEL | grep "^/run/modprobe.d" | grep -v ":modules_conf_t:" >/dev/null'
        RALL RUN_CONF_LABEL | sed 's/^/    label: /'
        check "no /etc marker from an earlier boot" '[ "${R[MARKER_ETC]:-}" = absent ]'
        check "markers written to /etc and /var" '[ "${R[MARKER_ETC_WRITTEN]:-}" = yes ] && [ "${R[MARKER_VAR_WRITTEN]:-}" = yes ]'
        first_boot=${R[BOOT_ID]:-none}
        check_audit
        check_selinux
        check_hardenctl
        check "sysctl kernel.kptr_restrict=2 and kernel.kexec_load_disabled=1" \
                '[ "${R[SYSCTL_kernel.kptr_restrict]:-}" = 2 ] && [ "${R[SYSCTL_kernel.kexec_load_disabled]:-}" = 1 ]'
        check_watch
        [ "$release" = deb12 ] || check_ipe enforce
        [ "$release" = deb12 ] || check_posture_agrees
        check "no TPM: nothing measured, and hardenctl-measure says so" 'RALL JOURNAL | grep -F "No TPM (/dev/tpmrm0): nothing measured." >/dev/null'
        report_sysinit_delay
        [ "$release" = deb12 ] || check "no TPM: the guest check reports hardenctl-attest-measured not applicable" \
                'RALL CHECK_RESULT | grep -x "notapplicable hardenctl-attest-measured" >/dev/null'

        # The second boot asks to turn all enforcement off, which the profile (AllowKillSwitch=no)
        # refuses.
        boot initrd.img $base_append $append_hash hardenctl=0
        check_reported
        check "a second boot of the same disk" '[ "${R[BOOT_ID]:-}" != "$first_boot" ]'
        check "the file written to /etc in the first boot is gone (${R[MARKER_ETC]:-})" '[ "${R[MARKER_ETC]:-}" = absent ]'
        check "the file written to /var in the first boot is still there" '[ "${R[MARKER_VAR]:-}" = "$first_boot" ]'
        check "the kill switch hardenctl=0 was refused in the initrd" 'console_has "Kill switch for usr on the kernel command line refused"'
        check "and in the real system" 'console_has "Kill switch for audit on the kernel command line refused"'
        check_usr_verified
        [ "$release" = deb12 ] || check_usr_signed
        check_etc_overlay
        check "audit locked again (${R[AUDIT_ENABLED]:-})" '[ "${R[AUDIT_ENABLED]:-}" = 2 ]'
        check "SELinux enforcing again" '[ "${R[SELINUX_MODE]:-}" = Enforcing ]'
        check "the module deny list reaches modprobe again (${R[MODPROBE_DENIED]:-})" '[[ ${R[MODPROBE_DENIED]:-} == "install /bin/false"* ]]'
        ;;
tampered-usr)
        # One byte of the usr partition's first block, a byte the file system itself does not even use:
        # hardenctl-verity reads the first block before it leaves the device in place.
        printf '\x5a' | dd of="$disk" bs=1 seek="$USR_OFFSET" count=1 conv=notrunc status=none
        boot initrd.img $base_append $append_hash
        check_fail_closed
        check "one line names the cause" 'console_has "Verity /usr failed, refusing to boot: the data does not match the hash tree"'
        check "the kernel names the corrupted block" 'console_has "device-mapper: verity: .*data block 0 is corrupted"'
        check "the boot stopped in the emergency target" 'console_has "Emergency Mode|emergency mode"'
        ;;
tampered-usr-file)
        # One byte of /usr/lib/systemd/systemd's first block (its ELF header): not read until switch-root
        # executes it, and then OnCorruption=restart restarts the machine.
        off=$(python3 - "$vmdir/usr.erofs" "$vmdir/tree/usr/lib/systemd/systemd" <<'PY'
import sys
img, f = open(sys.argv[1], 'rb').read(), open(sys.argv[2], 'rb').read()
probe = f[:4096]
i = img.find(probe)
print(i + 100 if i >= 0 and img.find(probe, i + 1) < 0 else -1)
PY
)
        check "the file's data is found in the usr image once" '[ "$off" -gt 0 ]'
        printf '\x5a' | dd of="$disk" bs=1 seek=$((USR_OFFSET + off)) count=1 conv=notrunc status=none
        boot initrd.img $base_append $append_hash
        check "the boot did not reach the real system (outcome ${R[OUTCOME]}: ${R[STOP_LINE]:-})" '[ "${R[OUTCOME]}" = stopped ] && [ -z "${R[BOOT_ID]:-}" ]'
        check "verity passed the first and last blocks" 'console_has "Verity /usr: .* verified against root hash"'
        check "the kernel names a corrupted data block" 'console_has "device-mapper: verity: .*data block [0-9]+ is corrupted"'
        check "and restarts, as OnCorruption=restart says" 'console_has "reboot: Restarting system.*dm-verity device corrupted"'
        ;;
wrong-roothash)
        # Partitions that claim a root hash (their UUIDs derive from it) which their hash tree does not
        # have: what a replaced usr image looks like.
        wrong=$(printf '%s' "$ROOT_HASH" | sha256sum | cut -c1-64)
        uuid() { printf '%s' "$1" | sed -E 's/^(.{8})(.{4})(.{4})(.{4})(.{12}).*/\1-\2-\3-\4-\5/'; }
        sfdisk --quiet --part-uuid "$disk" 2 "$(uuid "${wrong:0:32}")" &&
                sfdisk --quiet --part-uuid "$disk" 3 "$(uuid "${wrong:32:32}")" || vm_die "sfdisk failed"
        boot initrd.img $base_append usrhash=$wrong
        check_fail_closed
        check "one line names the cause" 'console_has "Verity /usr failed, refusing to boot: the root hash does not match the hash tree"'
        check "the boot stopped in the emergency target" 'console_has "Emergency Mode|emergency mode"'
        ;;
missing-hash-partition)
        # The verity unit runs once systemd's device timeout (90 s) has passed.
        sfdisk --quiet --delete "$disk" 3 || vm_die "sfdisk failed"
        boot initrd.img $base_append $append_hash
        check_fail_closed
        check "one line names the cause" 'console_has "Verity /usr failed, refusing to boot: a device is missing"'
        check "the boot stopped in the emergency target" 'console_has "Emergency Mode|emergency mode"'
        ;;
verity-optional-killswitch)
        # The lenient initrd (Verity=optional, AllowKillSwitch=yes) without the hash partition, and the
        # kill switch for /etc: after systemd's device timeout (90 s), /usr is mounted from the data
        # partition, and /etc is the root file system's.
        sfdisk --quiet --delete "$disk" 3 || vm_die "sfdisk failed"
        boot initrd-lenient.img $base_append $append_hash hardenctl.etc=0
        check_reported
        check "the console warns that /usr is unverified" 'console_has "WARNING: Verity /usr failed .*Verity=optional, so /usr is mounted UNVERIFIED"'
        check "/usr is the plain usr partition, no dm-verity (${R[USR_SOURCE]:-})" \
                '[ "${R[USR_DM_TARGET]:-}" = none ] && [[ "${R[USR_SOURCE]:-}" == /dev/vda2 ]]'
        check "/usr is still read-only" '[ "${R[USR_WRITABLE]:-}" = no ]'
        check "the kill switch was honoured, with a warning" 'console_has "Enforcement of etc turned off by a kill switch"'
        check "/etc is not an overlay (${R[ETC_FSTYPE]:-})" '[ "${R[ETC_FSTYPE]:-}" = ext4 ]'
        if [ "$release" = deb13 ]; then
                # The image enforces its execution policy, which allows /usr only as a verified volume.
                check "the execution policy is loaded audit only, with a warning" \
                        'console_has "WARNING: Execution policy: /usr is not verified \(Verity=optional\).*audit only \(enforce=0\)"'
                check "IPE enforce is 0 (${R[IPE_ENFORCE]:-})" '[ "${R[IPE_ENFORCE]:-}" = 0 ]'
        fi
        ;;
signed-usr-rogue)
        # A root hash signature by a key the firmware's db does not hold: made here, never kept.
        openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj "/CN=rogue key/" \
                -addext "keyUsage=critical,digitalSignature" -addext "extendedKeyUsage=codeSigning" \
                -keyout "$run/rogue.key" -out "$run/rogue.crt" 2>"$run/openssl.log" || vm_die "openssl req failed"
        "$build/src/hardenctl/hardenctl" verity sign "$ROOT_HASH" --private-key="$run/rogue.key" \
                --certificate="$run/rogue.crt" --format=dps --output="$run/rogue.sig" || vm_die "hardenctl verity sign failed"
        rm -f "$run/rogue.key"
        dd if=/dev/zero of="$disk" bs=4096 seek=$((SIG_OFFSET / 4096)) count=256 conv=notrunc status=none
        dd if="$run/rogue.sig" of="$disk" bs=4096 seek=$((SIG_OFFSET / 4096)) conv=notrunc status=none
        boot initrd.img $base_append $append_hash
        check_fail_closed
        check "one line names the cause" 'console_has "Verity /usr failed, refusing to boot: the root hash signature was not accepted by the kernel"'
        check "the kernel refused the signature" 'console_has "verity: Root hash verification failed"'
        check "the boot stopped in the emergency target" 'console_has "Emergency Mode|emergency mode"'
        ;;
signed-usr-unsigned)
        sfdisk --quiet --delete "$disk" 4 || vm_die "sfdisk failed"
        boot initrd.img $base_append $append_hash
        check_fail_closed
        check "one line names the cause" 'console_has "Verity /usr: signature required, but the disk of .* has no usr-verity signature partition"'
        check "the boot stopped in the emergency target" 'console_has "Emergency Mode|emergency mode"'
        ;;
attest)
        # A TPM (swtpm, its state kept across the boots of this scenario, as a machine's). The golden
        # values come from the image pipeline: hardenctl attest golden for the image's boot profile, /usr
        # root hash, signer and execution policy.
        export VM_TPM_STATE=$run/tpm
        # Manufactured as a machine's: an EK and its certificate in the TPM's NV, from a CA of the test's own.
        rm -rf "$VM_TPM_STATE" "$run/ca"
        bash "$src/tests/tpm-manufacture.sh" "$VM_TPM_STATE" "$run/ca" || vm_die "the TPM could not be manufactured"
        golden=(--usr-root-hash="$ROOT_HASH")
        [ "$release" = deb12 ] || golden+=(--certificate="$TEST_CERT" --ipe-policy="$vmdir/tree/usr/lib/hardenctl/exec-policy.p7s")
        "$build/src/hardenctl/hardenctl" --root="$vmdir/tree" attest golden "${golden[@]}" >"$run/golden.json" ||
                vm_die "hardenctl attest golden failed"
        nonce=$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')
        boot initrd.img $base_append $append_hash vmtest.attest=$nonce
        check_reported
        check_attested 1 "$nonce"
        check "hardenctl verify-attestation accepts it (the quote, the nonce, the event log, the golden values)" \
                '"$build/src/hardenctl/hardenctl" verify-attestation "$run/attestation-1.json" --nonce="$nonce" --golden="$run/golden.json" --ak="$run/ak-1.pem" >"$run/verify-1.out" 2>&1'
        sed 's/^/    /' "$run/verify-1.out"
        check "tpm2_checkquote accepts the same quote" \
                'tpm2_checkquote -u "$run/ak-1.pem" -m "$run/quote-1.bin" -s "$run/sig-1.bin" -q "$nonce" -g sha256 -f "$run/pcrs-1.bin" -l sha256:8 >/dev/null 2>&1'
        check "the EK certificate, read by the guest from the TPM's NV index, chains to the manufacturer's CA" \
                'jq -r .ekCertificate "$run/attestation-1.json" | base64 -d | openssl x509 -inform der -out "$run/ek.pem" 2>/dev/null && openssl verify -partial_chain -CAfile "$run/ca/issuercert.pem" "$run/ek.pem" >/dev/null 2>&1'
        old=$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')
        check "an old nonce: verify-attestation refuses it (exit 2, \"nonce differs\")" \
                '"$build/src/hardenctl/hardenctl" verify-attestation "$run/attestation-1.json" --nonce="$old" --golden="$run/golden.json" >/dev/null 2>"$run/verify-old.err"; [ $? = 2 ] && grep -q "nonce differs" "$run/verify-old.err"'
        check "an old nonce: tpm2_checkquote refuses it" \
                '! tpm2_checkquote -u "$run/ak-1.pem" -m "$run/quote-1.bin" -s "$run/sig-1.bin" -q "$old" -g sha256 >/dev/null 2>&1'
        # Other boots, not the image's: on Debian 12 another image (agent-host as its profile, its own
        # /usr); on Debian 13 another execution policy the kernel trusts, and the image's policy loaded
        # audit only (a drop-in [Exec] Mode=audit in the initrd; the running system's profile, on /usr, is
        # the image's), both from the initrd. The verifier holding the image's golden values rejects each
        # one and names what differs.
        others=(agent)
        [ "$release" = deb12 ] || others=(ipe-other ipe-audit)
        n=1
        for other in "${others[@]}"; do
                n=$((n + 1))
                nonce=$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')
                case $other in
                agent)
                        cp --sparse=always "$vmdir/disk-agent.img" "$disk"
                        boot initrd-agent.img $base_append usrhash=$AGENT_ROOT_HASH vmtest.attest=$nonce
                        differs=("profile digest differs" "/usr root hash or signer differs") ;;
                ipe-other)
                        boot initrd-ipe-other.img $base_append $append_hash vmtest.attest=$nonce
                        differs=("IPE policy not the one shipped") ;;
                ipe-audit)
                        boot initrd-ipe-audit.img $base_append $append_hash vmtest.attest=$nonce
                        differs=("IPE policy not the one shipped" "enforce=no") ;;
                esac
                check_reported
                check_attested $n "$nonce"
                "$build/src/hardenctl/hardenctl" verify-attestation "$run/attestation-$n.json" --nonce="$nonce" \
                        --golden="$run/golden.json" >"$run/verify-$n.out" 2>&1
                rc=$?
                sed 's/^/    /' "$run/verify-$n.out"
                check "$other: verify-attestation rejects it (exit $rc)" '[ "$rc" = 2 ]'
                for d in "${differs[@]}"; do
                        check "... and names it: $d" 'grep -F -- "$d" "$run/verify-$n.out" >/dev/null'
                done
                check "tpm2_checkquote still accepts its quote (the TPM signed it; what it says is the verifier's business)" \
                        'tpm2_checkquote -u "$run/ak-$n.pem" -m "$run/quote-$n.bin" -s "$run/sig-$n.bin" -q "$nonce" -g sha256 >/dev/null 2>&1'
        done
        ;;
anomalies)
        # agent-host is the boot profile (its own /usr and initrd): its confined agent.service runs a
        # program its AllowExec= does not list (id) and writes below a watched path (/var/lib/models).
        # The journal, the JSON report and the Prometheus output show those anomalies and no other of
        # the agent's. Then a burst of programs, each one audited: the kernel loses none, the watcher
        # reads them all, and auditd drops none on the way to it.
        ROOT_HASH=$AGENT_ROOT_HASH
        boot_timeout=${VM_BOOT_TIMEOUT:-1700}
        # 100,000 programs, each one exec of a program without libc (vmtest-exec-chain): under TCG the
        # guest runs about 170 a second on one host core, auditd, journald and the watcher reading their
        # records taking most of the time. The watcher's own throughput is bench/bench-watch.sh's.
        burst=${VM_BURST:-100000}
        boot initrd-agent.img $base_append usrhash=$AGENT_ROOT_HASH vmtest.anomalies=1 vmtest.burst=$burst
        check_reported
        check_usr_verified
        check "agent.service ran and wrote its model (${R[AGENT_STATE]:-})" '[ "${R[AGENT_STATE]:-}" = "active model v2" ]'
        RALL ANOMALY | sed 's/^/    journal: /'
        check "the journal has exec-unlisted: agent.service ran /usr/bin/id" \
                'RALL ANOMALY | grep -E "^[0-9]+ exec-unlisted agent\.service /usr/bin/id " >/dev/null'
        check "the journal has watched-write: agent.service wrote below /var/lib/models (key agent-models)" \
                'RALL ANOMALY | grep -E "^[0-9]+ watched-write agent\.service .* /var/lib/models/current agent-models$" >/dev/null'
        check "no other anomaly of agent.service (the programs AllowExec= lists are not reported)" \
                '! RALL ANOMALY | grep " agent\.service " | grep -v -E "^[0-9]+ (exec-unlisted agent\.service /usr/bin/id |watched-write agent\.service .* /var/lib/models/current agent-models$)" >/dev/null'
        # Repeats of one anomaly within minutes are counted, not sent again: the reports count at least
        # as many as the journal has entries, and agree with each other.
        anomaly_count() { RALL "$1" | awk -v k="$2" '$1 == k { print $2 }'; }
        for kind in exec-unlisted watched-write; do
                journal_n=$(RALL ANOMALY | awk -v k="$kind" '$2 == k { n++ } END { print n + 0 }')
                report_n=$(anomaly_count REPORT_ANOMALY "$kind")
                prom_n=$(anomaly_count PROM_ANOMALY "$kind")
                check "$kind: the JSON report ($report_n) and Prometheus ($prom_n) count it, at least as often as the journal has it ($journal_n)" \
                        '[ "$journal_n" -ge 1 ] && [ -n "$report_n" ] && [ "$report_n" -ge "$journal_n" ] && [ "$prom_n" = "$report_n" ]'
        done
        RALL PROM_ANOMALY | sed 's/^/    prometheus: /'
        vm_log "burst: CPU time $(RALL BURST_CPU | tr '\n' ' ')"
        vm_log "burst: $burst programs in ${R[BURST_SECONDS]:-?} s, drained in ${R[BURST_DRAIN_SECONDS]:-?} s; lost ${R[BURST_LOST_BEFORE]:-?} -> ${R[BURST_LOST_AFTER]:-?}; watcher events ${R[BURST_WATCH_EVENTS_BEFORE]:-?} -> ${R[BURST_WATCH_EVENTS_AFTER]:-?}; watcher pid/RSS ${R[BURST_WATCH_PROCESS]:-?}"
        check "burst of $burst programs: the kernel lost no audit event (${R[BURST_LOST_BEFORE]:-?} -> ${R[BURST_LOST_AFTER]:-?})" \
                '[ -n "${R[BURST_LOST_AFTER]:-}" ] && [ "${R[BURST_LOST_AFTER]}" = "${R[BURST_LOST_BEFORE]:-x}" ]'
        check "the watcher read at least one event per program (${R[BURST_WATCH_EVENTS_BEFORE]:-?} -> ${R[BURST_WATCH_EVENTS_AFTER]:-?})" \
                '[ -n "${R[BURST_WATCH_EVENTS_AFTER]:-}" ] && [ $(( ${R[BURST_WATCH_EVENTS_AFTER]} - ${R[BURST_WATCH_EVENTS_BEFORE]:-0} )) -ge "$burst" ]'
        check "auditd dropped no event on the way to its plugins (${R[BURST_AUDITD_DROPS]:-?} messages)" '[ "${R[BURST_AUDITD_DROPS]:-x}" = 0 ]'
        check "the watcher still runs (${R[BURST_WATCH_PROCESS]:-none})" '[ -n "${R[BURST_WATCH_PROCESS]:-}" ]'
        ;;
ipe-audit)
        # The same image, with a drop-in in the initrd that says [Exec] Mode=audit: the policy is active,
        # IPE does not enforce it, and a refused program runs, its denial logged and reported.
        boot initrd-ipe-audit.img $base_append $append_hash vmtest.watch=1
        check_reported
        check_usr_verified
        check_usr_signed
        check_ipe audit
        check_watch
        ;;
ipe-wrong-key)
        # The initrd carries an execution policy signed by a key the kernel does not trust: with
        # Mode=enforce the boot stops, with one line.
        boot initrd-ipe-rogue.img $base_append $append_hash
        check_fail_closed_late
        check "one line names the cause" \
                'console_has "Execution policy: the kernel rejected policy hardenctl 1\.0\.0 from /usr/lib/hardenctl/exec-policy\.p7s: it is signed by a key the kernel does not trust \(ENOKEY\), refusing to boot\."'
        check "the boot stopped in the emergency target" 'console_has "Emergency Mode|emergency mode"'
        ;;
ipe-unavailable)
        # Debian 12's kernel has no IPE: a boot profile that says [Exec] Mode=enforce stops the boot.
        boot initrd-ipe.img $base_append $append_hash
        check_fail_closed_late
        check "one line names the cause" \
                'console_has "Execution policy: Mode=enforce, but the kernel has no IPE \(no /sys/kernel/security/ipe\), refusing to boot\."'
        check "the boot stopped in the emergency target" 'console_has "Emergency Mode|emergency mode"'
        # Mode=audit instead: a warning, the boot goes on, and the posture record (which every report
        # carries) says the kernel has no IPE. (The drop-in is in the initrd only: the running system's
        # profile has no [Exec] section, so its check has no exec rules.)
        boot initrd-ipe-audit.img $base_append $append_hash
        check_reported
        check "one line warns" \
                'console_has "Execution policy: Mode=audit, but the kernel has no IPE \(no /sys/kernel/security/ipe\); Mode=audit, booting without it\."'
        check "the posture record says the kernel has no IPE (${R[POSTURE_IPE]:-})" '[[ ${R[POSTURE_IPE]:-} == *'"'"'"available":false'"'"'* ]]'
        ;;
*)
        vm_die "unknown scenario $scenario"
        ;;
esac
stage_end

# The logs stay for a look; the disk copy goes, unless asked to keep it.
[ "${VM_KEEP:-0}" = 1 ] || rm -f "$disk"

if [ "$failed" -gt 0 ]; then
        echo "--- console of the last boot ($console), the lines that matter:"
        tr -d '\r' <"$console" | grep -a -E 'hardenctl|Verity|verity|emergency|Emergency|Failed|FAILED|Dependency|Timed out|panic|Kill switch' | head -n 60
fi
echo "$scenario: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
