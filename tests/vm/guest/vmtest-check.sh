#!/bin/bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Runs in the guest at the end of the boot: reports the state the host tests judge, as KEY=VALUE lines
# between BEGIN and END on the serial port named by $1 (repeated keys are lists). With vmtest.marker=write
# on the kernel command line, it then leaves a marker in /etc (volatile) and one in /var (persistent),
# which the next boot of the same disk reports.
# Usage: vmtest-check.sh DEVICE
set -u
out=${1:-/dev/ttyS1}
buf=$(mktemp)
kv() { printf '%s=%s\n' "$1" "$2" >>"$buf"; }
has_arg() { [[ " $(cat /proc/cmdline) " == *" $1 "* ]]; }
# journalctl through the dynamic loader: so it stays in this script's SELinux domain, which may read the
# journal; Debian 13's policy gives journalctl's own domain, which it would enter, no access from here.
journalctl() { /lib64/ld-linux-x86-64.so.2 /usr/bin/journalctl "$@"; }

# With vmtest.bench=N (bench/bench-ipe.sh): how long the boot took to get here (the guest's uptime), and
# how long N runs of /usr/bin/true take; nothing else.
bench_execs=$(tr ' ' '\n' </proc/cmdline | sed -n 's/^vmtest\.bench=//p' | tail -n 1)
if [ -n "$bench_execs" ]; then
        up0=$(cut -d' ' -f1 /proc/uptime)
        kv BENCH_UPTIME "$up0"
        kv BENCH_FORKS "$(sed -n 's/^processes //p' /proc/stat)"
        # The execs once the rest of the boot has settled (no job left but this one's, for at most five
        # minutes), in rounds of 250, each timed: a stall of the emulator's host falls on a round or two,
        # and the fastest round says what an exec costs.
        if [ "$bench_execs" -gt 0 ]; then
                for _ in $(seq 300); do
                        [ "$(/lib64/ld-linux-x86-64.so.2 /usr/bin/systemctl list-jobs --no-legend 2>/dev/null | wc -l)" -le 1 ] && break
                        sleep 1
                done
                kv BENCH_SETTLED_UPTIME "$(cut -d' ' -f1 /proc/uptime)"
        fi
        t0=$(cut -d' ' -f1 /proc/uptime)
        for ((i = 0; i < bench_execs; i += 250)); do
                t1=$(cut -d' ' -f1 /proc/uptime)
                for ((j = i; j < bench_execs && j < i + 250; j++)); do /usr/bin/true; done
                kv BENCH_EXEC_ROUND_US "$(awk -v a="$t1" -v n=$((j - i)) '{ printf "%.0f", ($1 - a) * 1e6 / n }' /proc/uptime)"
        done
        kv BENCH_EXEC_SECONDS "$(awk -v a="$t0" '{print $1 - a}' /proc/uptime)"
        # Where the boot went, measured after the numbers above: the phases, and the units that took
        # longest (through the loader, as journalctl above).
        sa() { /lib64/ld-linux-x86-64.so.2 /usr/bin/systemd-analyze "$@" 2>&1; }
        sc() { /lib64/ld-linux-x86-64.so.2 /usr/bin/systemctl show -P "$@" 2>/dev/null; }
        kv BENCH_PHASES "$(awk -v i="$(sc InitRDTimestampMonotonic)" -v u="$(sc UserspaceTimestampMonotonic)" -v t="$up0" \
                'BEGIN { printf "kernel %.2f s, initrd %.2f s, system %.2f s", i / 1e6, (u - i) / 1e6, t - u / 1e6 }')"
        # What the record and its measurement cost at boot (systemd's accounting; the measurement's own
        # share is in hardenctl-measure's last line), and what programs cost with the page cache warm: the
        # least user+system time of five runs of an empty program and of one that links libcrypto
        # (sha256sum); three runs of hardenctl-measure (each rewriting the record with the same content,
        # into an event log of its own, or it would find its events there and stop; with a TPM the PCR
        # takes the events again, which a bench boot can afford), and with a TCTI that reaches no TPM;
        # and what the dynamic loader says of its own share (LD_DEBUG=statistics).
        # (Not a number when the unit did not run: an arithmetic error would abort this whole block.)
        kv BENCH_MEASURE_BOOT_CPU_MS "$(sc CPUUsageNSec hardenctl-measure.service | awk '/^[0-9]+$/ { printf "%.0f", $1 / 1e6 }')"
        journalctl -b -o cat --no-pager -u hardenctl-measure.service 2>/dev/null | grep -E '^Measured|nothing measured' |
                while IFS= read -r line; do kv BENCH_MEASURE_BOOT_LINE "$line"; done
        cpu_ms() {
                local TIMEFORMAT='%3U %3S'
                { time "$@" >/dev/null 2>&1; } 2>&1 | awk '{ printf "%.0f\n", ($1 + $2) * 1000 }'
        }
        least_cpu_ms() { for _ in 1 2 3 4 5; do cpu_ms "$@"; done | sort -n | head -n 1; }
        kv BENCH_CPU_MS_TRUE "$(least_cpu_ms /usr/bin/true)"
        kv BENCH_CPU_MS_SHA256SUM "$(least_cpu_ms /usr/bin/sha256sum /dev/null)"
        for i in 1 2 3; do
                kv BENCH_MEASURE_WARM_CPU_MS "$(cpu_ms /usr/lib/hardenctl/hardenctl-measure measure \
                        --posture=/run/hardenctl/posture.json --event-log="/run/bench-measure-$i.log")"
        done
        [ -e /run/bench-measure-1.log ] && kv BENCH_MEASURE_WARM_EVENTS "$(wc -l </run/bench-measure-1.log)"
        if [ -e /dev/tpmrm0 ]; then
                for i in 1 2 3; do
                        kv BENCH_MEASURE_NO_TPM_CPU_MS "$(HARDENCTL_TPM2_TCTI=device:/dev/null cpu_ms \
                                /usr/lib/hardenctl/hardenctl-measure measure --event-log="/run/bench-null-$i.log")"
                done
        fi
        LD_DEBUG=statistics /usr/lib/hardenctl/hardenctl-measure measure --event-log=/run/bench-ld.log 2>&1 >/dev/null |
                grep -E 'time|relocations' | sed 's/^ *[0-9]*: *//' | while IFS= read -r line; do kv BENCH_LD_MEASURE "$line"; done
        sa blame --no-pager | grep -v '\.device$' | head -n 15 | while IFS= read -r line; do kv BENCH_BLAME "$line"; done
        # What the initrd's units that differ between the configurations took, from the job's start to its
        # end as the initrd's systemd logged them (the first of each in this boot's journal): the verity
        # setup, which with a signature has the kernel check it, and the policy's load.
        for u in hardenctl-verity-usr.service hardenctl-ipe.service; do
                a=$(journalctl -b -q -o short-monotonic --no-pager _PID=1 UNIT="$u" MESSAGE_ID=7d4958e842da4a758f6c1cdc7b36dcc5 2>/dev/null |
                        head -n 1 | sed -nE 's/^\[ *([0-9.]+)\].*/\1/p')
                b=$(journalctl -b -q -o short-monotonic --no-pager _PID=1 UNIT="$u" MESSAGE_ID=39f53479d3a045ac8e11786248231fbf 2>/dev/null |
                        head -n 1 | sed -nE 's/^\[ *([0-9.]+)\].*/\1/p')
                [ -n "$a" ] && [ -n "$b" ] && kv BENCH_INITRD_UNIT_MS "$u $(awk -v a="$a" -v b="$b" 'BEGIN { printf "%.0f", (b - a) * 1000 }')"
        done
        { echo "VMTEST BEGIN"; cat "$buf"; echo "VMTEST END"; } >"$out"
        exit 0
fi

# With vmtest.apply=PROFILE: hardenctl apply on the running system, before the report, so that the
# report shows the state it left. Each step's exit code, and its output, and the results of
# `hardenctl check PROFILE` before and after (lines "RESULT RULE-ID[ [INSTANCE]]").
apply_profile=$(tr ' ' '\n' </proc/cmdline | sed -n 's/^vmtest\.apply=//p' | tail -n 1)
hc() {
        local key=$1
        shift
        hardenctl "$@" >"/tmp/vmtest-$key.out" 2>&1
        kv "${key}_RC" $?
        head -n 600 "/tmp/vmtest-$key.out" | while IFS= read -r line; do kv "${key}_OUT" "$line"; done
}
check_results() {
        local key=$1
        hardenctl check "$apply_profile" >"/tmp/vmtest-$key.out" 2>&1
        kv "${key}_RC" $?
        sed -nE 's/^(pass|fail|error|notapplicable|notchecked) +[a-z]+ +([^:]+):.*/\1 \2/p' "/tmp/vmtest-$key.out" |
                while read -r line; do kv "${key}_RESULT" "$line"; done
        grep -E '^(fail|error) ' "/tmp/vmtest-$key.out" | while read -r line; do kv "${key}_DETAIL" "$line"; done
}
if [ -n "$apply_profile" ]; then
        t0=$(cut -d' ' -f1 /proc/uptime)
        # What loaded the audit rules at boot (auditd's augenrules) said, and what the kernel has.
        journalctl -b -o cat --no-pager -u auditd.service -u audit-rules.service 2>/dev/null | grep -v '^$' | tail -n 20 |
                while IFS= read -r line; do kv AUDITD_LOG "$line"; done
        kv AUDIT_RULES_AT_BOOT "$(auditctl -l 2>/dev/null | grep -vc '^No rules')"
        check_results CHECK_BEFORE
        hc STATUS_BEFORE status
        hc DRYRUN apply --dry-run "$apply_profile"
        hc APPLY apply "$apply_profile"
        hc APPLY_AGAIN apply "$apply_profile"
        hc DRYRUN_AFTER apply --dry-run "$apply_profile"
        hc STATUS_AFTER status
        check_results CHECK_AFTER
        kv APPLY_SECONDS "$(awk -v a="$t0" '{print $1 - a}' /proc/uptime)"
        # The labels of what apply made, and what restorecon would change about them (nothing, if
        # apply labelled them as the policy says).
        for f in /etc/sysctl.d/zz-hardenctl-apply.conf /etc/modprobe.d/50-hardenctl.conf /etc/audit/rules.d/50-hardenctl.rules \
                 /etc/systemd/system/vmtest-sleeper.service.d /etc/systemd/system/vmtest-sleeper.service.d/99-hardenctl-confine.conf \
                 /etc/hardenctl /etc/hardenctl/applied; do
                [ -e "$f" ] || continue
                kv FILE_LABEL "$f $(stat -c %C "$f")"
                restorecon -n -v "$f" 2>&1 | while IFS= read -r line; do kv FILE_RELABEL "$line"; done
        done
        # With vmtest.runtime=1, a run-time apply on top: its sysctl.d and modprobe.d files in /run
        # must carry the labels of their twins in /etc, which their confined readers may read.
        if has_arg vmtest.runtime=1; then
                hc RUNTIME --runtime apply "$apply_profile"
                for f in sysctl.d/zz-hardenctl-apply.conf modprobe.d/50-hardenctl.conf; do
                        kv RUNTIME_LABEL "$f $(stat -c %C "/run/$f" 2>&1) $(stat -c %C "/etc/$f" 2>&1)"
                done
        fi
        # What the journal recorded of each apply (this boot's): its fields, one entry a line.
        journalctl -b -o export --no-pager MESSAGE_ID=d950cb0034664b2eb2aed47be5ae9c75 2>/dev/null |
                awk -F= '/^$/ { if (e != "") print e; e = ""; next }
                         /^HARDENCTL_(PROFILE|SCOPE|DIGEST|CHANGES|UID)=/ { e = e (e == "" ? "" : " ") $0 }
                         END { if (e != "") print e }' |
                while read -r line; do kv JOURNAL_APPLY "$line"; done
        systemctl show -p ActiveState -p NoNewPrivileges -p ProtectSystem vmtest-sleeper.service 2>/dev/null |
                while read -r line; do kv "SLEEPER_${line%%=*}" "${line#*=}"; done
fi

kv BOOT_ID "$(cat /proc/sys/kernel/random/boot_id)"
kv SELF_CONTEXT "$(cat /proc/self/attr/current 2>/dev/null | tr -d '\0')"
kv UPTIME "$(cut -d' ' -f1 /proc/uptime)"
kv SYSTEM_STATE "$(systemctl is-system-running 2>/dev/null)"
while read -r u _; do [ -n "$u" ] && kv FAILED_UNIT "$u"; done < <(systemctl --failed --plain --no-legend 2>/dev/null)

# /usr: which device, which file system, how mounted, and what device-mapper says about it.
kv USR_SOURCE "$(findmnt -n -o SOURCE /usr)"
kv USR_FSTYPE "$(findmnt -n -o FSTYPE /usr)"
kv USR_OPTIONS "$(findmnt -n -o OPTIONS /usr)"
kv USR_LABEL "$(stat -c %C /usr/bin/bash 2>/dev/null)"
if touch /usr/.vmtest-write 2>/dev/null; then
        rm -f /usr/.vmtest-write
        kv USR_WRITABLE yes
else
        kv USR_WRITABLE no
fi
if dmsetup info usr >/dev/null 2>&1; then
        # START LENGTH verity VERSION DATA HASH DATA_BLOCK HASH_BLOCK BLOCKS HASH_START ALGORITHM DIGEST SALT …
        kv USR_DM_TARGET "$(dmsetup table usr | awk '{print $3}')"
        kv USR_DM_ROOTHASH "$(dmsetup table usr | awk '{print $12}')"
        kv USR_DM_STATUS "$(dmsetup status usr | awk '{print $4}')"
        kv USR_DM_UUID "$(dmsetup info -c --noheadings -o uuid usr)"
        # A signed activation: the table names the kernel key the signature was checked with, and
        # veritysetup (where the image has it) says so.
        kv USR_DM_SIG_KEY "$(dmsetup table usr | grep -o 'root_hash_sig_key_desc [^ ]*' | cut -d' ' -f2)"
        if command -v veritysetup >/dev/null; then
                kv USR_VERITY_STATUS "$(veritysetup status usr 2>/dev/null | sed -n 's/^ *status: *//p' | head -n 1)"
                # The same volume without its signature: with dm_verity.require_signatures on (as
                # Signature=required has hardenctl-verity set it) the kernel must refuse the table. (Through device-mapper itself: veritysetup will not open
                # devices that are in use.) The table is usr's, up to the salt, with no optional
                # arguments: no root_hash_sig_key_desc.
                if [ "$(cat /sys/module/dm_verity/parameters/require_signatures 2>/dev/null)" = Y ]; then
                        table=$(dmsetup table usr | awk '{for (i = 1; i <= 13; i++) printf "%s ", $i; print 0}')
                        if dmsetup create vmtest-unsigned --readonly --table "$table" >/tmp/vmtest-unsigned.out 2>&1; then
                                dmsetup remove vmtest-unsigned
                                kv UNSIGNED_OPEN "accepted: $table"
                        else
                                kv UNSIGNED_OPEN "refused (exit $?): $(tr '\n' ' ' </tmp/vmtest-unsigned.out) kernel: $(dmesg |
                                        grep 'verity: Root hash verification failed' | tail -n 1)"
                        fi
                fi
        fi
else
        kv USR_DM_TARGET none
fi
kv DM_VERITY_REQUIRE_SIGNATURES "$(cat /sys/module/dm_verity/parameters/require_signatures 2>/dev/null)"
if command -v keyctl >/dev/null; then
        kv PLATFORM_KEY "$(keyctl show %:.platform 2>/dev/null | grep -i 'asymmetric' | tr '\n' ' ')"
fi

# /etc: the overlay and its tmpfs, and the markers of an earlier boot.
kv ETC_FSTYPE "$(findmnt -n -o FSTYPE --target /etc)"
kv ETC_OPTIONS "$(findmnt -n -o OPTIONS --target /etc)"
kv ETC_UPPER_FSTYPE "$(findmnt -n -o FSTYPE --target /run/hardenctl/etc/upper 2>/dev/null)"
kv ETC_UPPER_FILES "$(find /run/hardenctl/etc/upper -mindepth 1 2>/dev/null | wc -l)"
find /run/hardenctl/etc/upper -mindepth 1 -printf '%P\n' 2>/dev/null | sort | head -n 40 | while read -r f; do kv ETC_UPPER_ENTRY "$f"; done
kv ETC_LABEL "$(stat -c %C /etc 2>/dev/null)"
kv ETC_SELINUX_CONFIG_LABEL "$(stat -c %C /etc/selinux/config 2>/dev/null)"
kv MARKER_ETC "$([ -e /etc/vmtest-marker ] && cat /etc/vmtest-marker || echo absent)"
kv MARKER_VAR "$([ -e /var/lib/vmtest-marker ] && cat /var/lib/vmtest-marker || echo absent)"

# Audit: status and every loaded rule.
kv AUDIT_ENABLED "$(auditctl -s 2>/dev/null | sed -n 's/^enabled //p')"
kv AUDIT_FAILURE "$(auditctl -s 2>/dev/null | sed -n 's/^failure //p')"
kv AUDIT_BACKLOG_LIMIT "$(auditctl -s 2>/dev/null | sed -n 's/^backlog_limit //p')"
while read -r rule; do kv AUDIT_RULE "$rule"; done < <(auditctl -l 2>/dev/null | grep -v '^No rules')

# SELinux: mode, policy, and the denials since boot (the audit log and the kernel log).
kv SELINUX_MODE "$(getenforce 2>/dev/null || echo unavailable)"
kv SELINUX_POLICY "$(sed -n 's/^SELINUXTYPE=//p' /etc/selinux/config 2>/dev/null)"
kv SELINUX_CONFIG_MODE "$(sed -n 's/^SELINUX=//p' /etc/selinux/config 2>/dev/null)"
avc_log=$(grep -h 'avc: *denied' /var/log/audit/audit.log 2>/dev/null; dmesg 2>/dev/null | grep 'avc: *denied')
kv AVC_DENIALS "$(printf '%s' "$avc_log" | grep -c 'denied')"
# One line per kind of denial: what, by whom, on what (name= when the kernel gives it), with a count.
printf '%s\n' "$avc_log" | grep denied | sed -E 's/.*(denied *\{[^}]*\}).* comm="([^"]*)".*(scontext=[^ ]*) (tcontext=[^ ]*) (tclass=[^ ]*).*/\1 comm=\2 \3 \4 \5/; t; s/.*(denied *\{[^}]*\}).*/\1/' |
        sort | uniq -c | sort -rn | head -n 20 | while read -r line; do kv AVC "$line"; done
printf '%s\n' "$avc_log" | grep -E 'denied.* (name|path)="[^"]*"' |
        sed -E 's/.*\{([^}]*)\}.* comm="([^"]*)" (name|path)="([^"]*)".* tcontext=[^:]*:[^:]*:([^: ]*).*/\2 \1 \4 \5/' |
        sort | uniq -c | sort -rn | head -n 10 | while read -r line; do kv AVC_NAME "$line"; done

# The module deny list of the profile: modprobe must see it (a dry run prints the refusing "install").
kv MODPROBE_DENIED "$(modprobe -n -v cramfs 2>&1 | head -n 1)"
# Its files, and their labels: a directory modprobe may not read counts for nothing.
for f in /run/modprobe.d /run/modprobe.d/* /run/sysctl.d /run/sysctl.d/*; do
        [ -e "$f" ] && kv RUN_CONF_LABEL "$f $(stat -c %C "$f" 2>/dev/null)"
done

# Kernel settings of the profile, a sample.
for s in kernel.kptr_restrict kernel.dmesg_restrict kernel.kexec_load_disabled kernel.perf_event_paranoid; do
        kv "SYSCTL_$s" "$(sysctl -n "$s" 2>/dev/null)"
done

# hardenctl in the guest: the boot profile validates, and its description.
hardenctl validate --quiet /usr/lib/hardenctl/active.profile >/dev/null 2>&1
kv HARDENCTL_VALIDATE_RC $?
kv HARDENCTL_PROFILE "$(hardenctl show-profile --json=short /usr/lib/hardenctl/active.profile 2>/dev/null |
        sed -n 's/.*"Description": *"\([^"]*\)".*/\1/p')"
# The compliance verbs, where this build has them: the host judges their exit code, and each result of
# the check ("RESULT RULE-ID[ [INSTANCE]]").
for verb in check status; do
        if hardenctl --help 2>/dev/null | grep -q "^  $verb "; then
                hardenctl "$verb" >/tmp/vmtest-$verb.out 2>&1
                kv "HARDENCTL_${verb^^}_RC" $?
        else
                kv "HARDENCTL_${verb^^}_RC" absent
        fi
done
if [ -s /tmp/vmtest-check.out ]; then
        sed -nE 's/^(pass|fail|error|notapplicable|notchecked) +[a-z]+ +([^:]+):.*/\1 \2/p' /tmp/vmtest-check.out |
                while read -r line; do kv CHECK_RESULT "$line"; done
        grep -E '^(fail|error) ' /tmp/vmtest-check.out | while read -r line; do kv CHECK_DETAIL "$line"; done
        hardenctl check --json=short 2>/dev/null | tr ',' '\n' | grep -E '"(id|instance|result|source|expected|actual)"' |
                head -n 2000 >/tmp/vmtest-check.fields
        grep -A14 -E 'hardenctl-(usr-verity|etc-drift)"' /tmp/vmtest-check.fields |
                head -n 200 | while read -r line; do kv CHECK_FIELD "$line"; done
fi

# What hardenctl-measure.service (the record and, with a TPM, the measurement) held the boot back:
# sysinit.target, which every service waits for, is ordered after it. The time from the end of the last
# other unit sysinit.target is ordered after (active, or ended, or skipped by a condition) to
# sysinit.target itself, or 0 when another unit ended last; and which unit that was. And how long the
# unit ran, from its start to its exit, in microseconds.
sysinit_usec=$(systemctl show -P ActiveEnterTimestampMonotonic sysinit.target)
# shellcheck disable=SC2046 # one word a unit
systemctl show -p Id -p ActiveEnterTimestampMonotonic -p InactiveEnterTimestampMonotonic \
        -p ConditionTimestampMonotonic $(systemctl show -P After sysinit.target | tr ' ' '\n' |
                grep -vx hardenctl-measure.service) 2>/dev/null |
        awk -F= -v sysinit="${sysinit_usec:-0}" '
                $1 == "Id" { id = $2 }
                $1 ~ /Timestamp/ && $2 > 0 && $2 <= sysinit && $2 > last { last = $2; who = id }
                END { d = sysinit - last; printf "%d %s\n", last ? d : 0, who }' |
        { read -r d who; kv SYSINIT_MEASURE_DELAY_USEC "$d"; kv SYSINIT_LAST_OTHER "$who"; }
kv MEASURE_USEC "$(($(systemctl show -P ExecMainExitTimestampMonotonic hardenctl-measure.service) - \
        $(systemctl show -P ExecMainStartTimestampMonotonic hardenctl-measure.service)))"

# With vmtest.attest=NONCE (a TPM attached): what hardenctl-measure said, and hardenctl attest's answer
# to that nonce, timed, as base64 on one line.
# Whether the firmware claims a TPM (systemd then makes tpm2.target wait for /dev/tpmrm0).
kv TPM2_TARGET_REQUIRES "$(systemctl show -P Requires tpm2.target 2>&1)"
kv ACPI_TPM2 "$(ls /sys/firmware/acpi/tables/TPM2 2>&1)"
attest_nonce=$(tr ' ' '\n' </proc/cmdline | sed -n 's/^vmtest\.attest=//p' | tail -n 1)
if [ -n "$attest_nonce" ]; then
        kv TPM_DEVICE "$(ls /dev/tpmrm0 2>&1)"
        journalctl -b -o cat --no-pager -u hardenctl-measure.service 2>/dev/null | grep -v '^$' |
                tail -n 10 | while IFS= read -r line; do kv MEASURE_LOG "$line"; done
        # The wall time (MEASURE_USEC, above) includes waiting for the CPU while the rest of early boot
        # runs; the unit's CPU time (systemd's accounting, on by default with cgroup v2) is that of the
        # record and the measurement, and of systemd's start of the unit; what the measurement adds is in
        # its own last line (MEASURE_LOG).
        kv MEASURE_CPU_NSEC "$(systemctl show -P CPUUsageNSec hardenctl-measure.service)"
        t0=$(cut -d' ' -f1 /proc/uptime)
        hardenctl attest --nonce="$attest_nonce" >/tmp/vmtest-attest.json 2>/tmp/vmtest-attest.err
        kv ATTEST_RC $?
        kv ATTEST_SECONDS "$(awk -v a="$t0" '{print $1 - a}' /proc/uptime)"
        kv ATTEST_B64 "$(base64 -w 0 /tmp/vmtest-attest.json)"
        head -n 20 /tmp/vmtest-attest.err | while IFS= read -r line; do kv ATTEST_ERR "$line"; done
fi

# The runtime watcher: auditd's plugin (or the journald fallback) runs, in which SELinux domain, and
# what its state file says. Then a program run from outside the verified /usr, after check has judged
# the host: the watcher's journal entry for it (at most 10 s later), and its count in the state file.
kv WATCH_PROCESS "$(ps -C hardenctl-watch -o pid=,label=,args= 2>/dev/null | head -n 1 | sed 's/^ *//')"
if has_arg vmtest.watch=1 && cp /usr/bin/true /var/tmp/vmtest-true; then
        /var/tmp/vmtest-true
        kv WATCH_EXEC_RC $?
        for _ in $(seq 20); do
                entry=$(journalctl -b -o export --no-pager HARDENCTL_ANOMALY=exec-unverified HARDENCTL_PATH=/var/tmp/vmtest-true 2>/dev/null |
                        awk 'NF == 0 { exit } { print }' |
                        grep -E '^(HARDENCTL_(ANOMALY|PATH|EXE|PROFILE|AUDIT_KEY|IPE_RULE)|PRIORITY|SYSLOG_IDENTIFIER)=' | sort | tr '\n' ' ')
                [ -n "$entry" ] && break
                sleep 0.5
        done
        kv WATCH_ANOMALY "$entry"
        # The same program copied to the other writable places, run directly and through the dynamic
        # loader (which maps it, rather than the kernel executing it): "DIR EXIT-CODE LOADER-EXIT-CODE".
        for d in /tmp /var/tmp /dev/shm /root /etc; do
                cp /usr/bin/true "$d/vmtest-true" || continue
                "$d/vmtest-true" 2>/dev/null
                rc=$?
                /lib64/ld-linux-x86-64.so.2 "$d/vmtest-true" 2>/dev/null
                kv EXEC_COPY "$d $rc $?"
                rm -f "$d/vmtest-true"
        done
        /usr/bin/true
        kv EXEC_USR_RC $?
        sleep 1.5
        # The report's account of those denials (refused, or with Mode=audit would-be): by path, by program.
        kv CHECK_DENIALS "$(hardenctl check 2>/dev/null | grep -E '^[a-z]+ +[a-z]+ +hardenctl-exec-denials:' | head -n 1)"
fi
# With vmtest.anomalies=1 (agent-host): once agent.service has done what it does, the anomalies of this
# boot as the journal has them ("KIND UNIT EXE PATH KEY", one entry a line), and as the JSON report and
# the Prometheus output count them ("KIND COUNT").
anomaly_entries() {
        journalctl -b -o export --no-pager SYSLOG_IDENTIFIER=hardenctl-watch 2>/dev/null |
                awk -F= 'function d(v) { return v == "" ? "-" : v }
                         BEGIN { a = u = x = p = k = "-" }
                         /^$/ { if (a != "-") print d(a), d(u), d(x), d(p), d(k); a = u = x = p = k = "-"; next }
                         /^HARDENCTL_ANOMALY=/ { a = substr($0, 19) } /^HARDENCTL_UNIT=/ { u = substr($0, 16) }
                         /^HARDENCTL_EXE=/ { x = substr($0, 15) } /^HARDENCTL_PATH=/ { p = substr($0, 16) }
                         /^HARDENCTL_AUDIT_KEY=/ { k = substr($0, 21) }
                         END { if (a != "-") print d(a), d(u), d(x), d(p), d(k) }'
}
if has_arg vmtest.anomalies=1; then
        for _ in $(seq 60); do
                grep -q 'model v2' /var/lib/models/current 2>/dev/null && break
                sleep 0.5
        done
        kv AGENT_STATE "$(systemctl show -p ActiveState --value agent.service) $(cat /var/lib/models/current 2>&1)"
        for _ in $(seq 40); do
                [ "$(anomaly_entries | grep -c -E '^(exec-unlisted|watched-write) ')" -ge 2 ] && break
                sleep 0.5
        done
        sleep 2
        anomaly_entries | sort | uniq -c | while read -r line; do kv ANOMALY "$line"; done
        hardenctl report --format=json 2>/dev/null | tr -d ' \n' | grep -o '"[a-z-]*":{"count":[0-9]*' |
                sed -E 's/^"([a-z-]+)":\{"count":([0-9]+)/\1 \2/' | while read -r line; do kv REPORT_ANOMALY "$line"; done
        hardenctl report --format=prometheus 2>/dev/null | sed -nE 's/^hardenctl_anomalies_total\{.*kind="([a-z-]+)"\} ([0-9]+)$/\1 \2/p' |
                while read -r line; do kv PROM_ANOMALY "$line"; done
fi

# With vmtest.burst=N: N programs run, each one audited (agent-host's exec-monitoring rules): four chains
# of a program without libc that executes itself, so that each exec costs the kernel's execve() and its
# audit records, not a dynamic loader's work. The kernel's lost counter before and after, the events auditd
# and the watcher saw, and whether auditd dropped any on the way to its plugins.
burst=$(tr ' ' '\n' </proc/cmdline | sed -n 's/^vmtest\.burst=//p' | tail -n 1)
watch_events() { tr -d '\n ' </run/hardenctl/watch.json 2>/dev/null | grep -o '"events":[0-9]*' | grep -o '[0-9]*$'; }
if [ -n "$burst" ]; then
        kv BURST_LOST_BEFORE "$(auditctl -s 2>/dev/null | sed -n 's/^lost //p')"
        kv BURST_WATCH_EVENTS_BEFORE "$(watch_events)"
        t0=$(cut -d' ' -f1 /proc/uptime)
        for _ in 1 2 3 4; do
                /usr/local/sbin/vmtest-exec-chain $(( (burst + 3) / 4 - 1 )) &
        done
        wait
        kv BURST_SECONDS "$(awk -v a="$t0" '{print $1 - a}' /proc/uptime)"
        t0=$(cut -d' ' -f1 /proc/uptime)
        # Drained: the kernel's backlog is empty and the watcher's count has not moved for three seconds
        # (it saves its state once a second while events come, and when they stop).
        seen= still=0
        for _ in $(seq 180); do
                n=$(watch_events)
                if [ "$(auditctl -s 2>/dev/null | sed -n 's/^backlog //p')" = 0 ] && [ "$n" = "$seen" ]; then
                        still=$((still + 1))
                        [ "$still" -ge 3 ] && break
                else
                        still=0
                fi
                seen=$n
                sleep 1
        done
        kv BURST_DRAIN_SECONDS "$(awk -v a="$t0" '{print $1 - a}' /proc/uptime)"
        kv BURST_LOST_AFTER "$(auditctl -s 2>/dev/null | sed -n 's/^lost //p')"
        kv BURST_WATCH_EVENTS_AFTER "$(watch_events)"
        kv BURST_AUDITD_DROPS "$(journalctl -b -o cat --no-pager -u auditd.service 2>/dev/null | grep -c -i -E 'dropping|queue.*full|overflow')"
        kv BURST_WATCH_PROCESS "$(ps -C hardenctl-watch -o pid=,rss= 2>/dev/null | head -n 1 | sed 's/^ *//')"
        # Who spent the time: CPU seconds of auditd, the watcher and journald since boot.
        for c in auditd hardenctl-watch systemd-journald; do
                kv BURST_CPU "$c $(ps -C "$c" -o cputime= 2>/dev/null | head -n 1 | tr -d ' ')"
        done
fi

# IPE: whether it enforces, the policies loaded, and its record of that program (type 1420, which
# auditd 3.0.9 and 4.0 print as UNKNOWN[1420]).
if [ -d /sys/kernel/security/ipe ]; then
        kv IPE_ENFORCE "$(cat /sys/kernel/security/ipe/enforce 2>&1)"
        for d in /sys/kernel/security/ipe/policies/*/; do
                [ -d "$d" ] && kv IPE_POLICY "$(basename "$d") active=$(cat "$d/active" 2>&1) version=$(cat "$d/version" 2>&1)"
        done
        kv IPE_RECORD "$(grep -a -E '^type=(UNKNOWN\[1420\]|IPE_ACCESS) ' /var/log/audit/audit.log 2>/dev/null | grep -a vmtest-true | head -n 1)"
        # Every denial of a copy: "HOOK PATH" (BPRM_CHECK: executed; MMAP: mapped by the loader).
        grep -a -E '^type=(UNKNOWN\[1420\]|IPE_ACCESS) ' /var/log/audit/audit.log 2>/dev/null | grep -a 'vmtest-true' | grep -a 'action=DENY' |
                sed -nE 's/.*ipe_hook=([A-Z_]+).*path="([^"]*)".*/\1 \2/p' | sort -u | while read -r line; do kv IPE_DENIED "$line"; done
else
        kv IPE_ENFORCE absent
fi
kv POSTURE_IPE "$(tr -d '\n ' </run/hardenctl/posture.json 2>/dev/null | grep -o '"ipe":{[^}]*}')"
# The posture record whole, the report's line for it, and what the kernel says beside it: the lockdown
# mode and the digest of each IPE policy as loaded (its PKCS#7).
kv POSTURE "$(tr -d '\n' </run/hardenctl/posture.json 2>/dev/null)"
kv CHECK_POSTURE "$(sed -n 's/^ *posture record: //p' /tmp/vmtest-check.out 2>/dev/null | head -n 1)"
kv LOCKDOWN "$(cat /sys/kernel/security/lockdown 2>&1)"
for d in /sys/kernel/security/ipe/policies/*/; do
        [ -r "$d/pkcs7" ] && kv IPE_POLICY_DIGEST "$(basename "$d") sha256:$(sha256sum <"$d/pkcs7" | cut -c1-64)"
done
if [ -r /run/hardenctl/watch.json ]; then
        kv WATCH_STATE "$(tr -d '\n' </run/hardenctl/watch.json | grep -o '"source": *"[^"]*"\|"events": *[0-9]*' | tr '\n' ' ')"
        kv WATCH_STATE_EXEC_UNVERIFIED "$(tr -d '\n ' </run/hardenctl/watch.json | grep -o '"exec-unverified":{"count":[0-9]*' | grep -o '[0-9]*$')"
        kv WATCH_STATE_LABEL "$(stat -c %C /run/hardenctl/watch.json)"
else
        kv WATCH_STATE absent
fi

# The journal itself: where journald keeps it, and whether journalctl reads this boot's entries.
find /run/log/journal /var/log/journal -maxdepth 2 -printf '%p %Z\n' 2>/dev/null | head -n 8 | while read -r line; do kv JOURNAL_FILE "$line"; done
kv JOURNAL_ENTRIES "$(journalctl -b -q --no-pager -o cat 2>&1 | wc -l) $(journalctl -b -q --no-pager -n 1 -o cat 2>&1 | head -c 200)"

# The hardenctl lines of this boot's journal (initrd included).
journalctl -b -o cat --no-pager 2>/dev/null | grep -E '^(hardenctl|Verity|WARNING: Verity|Kill switch|Enforcement of)' | head -n 40 |
        while read -r line; do kv JOURNAL "$line"; done

if has_arg vmtest.marker=write; then
        echo "$(cat /proc/sys/kernel/random/boot_id)" >/etc/vmtest-marker && kv MARKER_ETC_WRITTEN yes || kv MARKER_ETC_WRITTEN no
        echo "$(cat /proc/sys/kernel/random/boot_id)" >/var/lib/vmtest-marker && kv MARKER_VAR_WRITTEN yes || kv MARKER_VAR_WRITTEN no
        sync
fi

{
        echo "VMTEST BEGIN"
        cat "$buf"
        echo "VMTEST END"
} >"$out"
cat "$buf"
rm -f "$buf"
