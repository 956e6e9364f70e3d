#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Every line of auditd's example rule files (and of auditctl/edge.rules), read by auditctl(8) and by
# hardenctl's parser, side by side: a line auditctl accepts must be accepted and give the identical
# struct audit_rule_data (list, action, system call mask, fields, operators, values, strings); a line it
# refuses must be refused. auditctl runs with auditctl-shim.so preloaded, which writes down what it would
# send and keeps it from reaching the kernel (no netlink socket can be opened). Needs root, as auditctl
# does; skipped without auditctl or without the example files.
#
# usage: test-auditctl-diff.sh SHIM DUMP FILE|DIR...
set -euo pipefail

shim=$1 dump=$2
shift 2

auditctl=$(command -v auditctl || true)
[ -n "$auditctl" ] || [ ! -x /sbin/auditctl ] || auditctl=/sbin/auditctl
if [ -z "$auditctl" ]; then
        echo "auditctl-diff: no auditctl (package auditd): skipped"
        exit 77
fi
if [ "$(id -u)" -ne 0 ]; then
        echo "auditctl-diff: auditctl reads only rule files that root owns: skipped (not root)"
        exit 77
fi

files=()
for a in "$@"; do
        if [ -d "$a" ]; then
                for f in "$a"/*.rules; do [ -e "$f" ] && files+=("$f"); done
        elif [ -e "$a" ]; then
                files+=("$a")
        fi
done
n_examples=0
for f in "${files[@]}"; do case $f in */examples/*) n_examples=$((n_examples + 1)) ;; esac; done
if [ "$n_examples" -eq 0 ]; then
        echo "auditctl-diff: no example rule files (/usr/share/doc/auditd/examples/rules): skipped"
        exit 77
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

lines=0 kernel_refuses=0 not_rules=0 accepted=0 identical=0 refused_both=0 different=0
for f in "${files[@]}"; do
        "$dump" "$f" >"$tmp/ours" || { echo "auditctl-diff: $dump $f failed"; exit 1; }
        n=0
        while IFS= read -r line || [ -n "$line" ]; do
                n=$((n + 1))
                stripped=${line#"${line%%[! ]*}"}
                [ -z "$stripped" ] || [ "${stripped:0:1}" = "#" ] && continue
                lines=$((lines + 1))

                printf '%s\n' "$line" >"$tmp/line.rules"
                chmod 600 "$tmp/line.rules"
                : >"$tmp/theirs"
                rc=0
                AUDITCTL_SHIM_OUT=$tmp/theirs LD_PRELOAD=$shim "$auditctl" -R "$tmp/line.rules" >/dev/null 2>&1 || rc=$?
                theirs=$(cat "$tmp/theirs")
                ours=$(sed -n "s|^$f:$n ||p" "$tmp/ours")

                if [ $rc -ne 0 ] || [ -z "$theirs" ]; then
                        # Refused, or nothing sent: "possible" rules, which auditctl skips with an error;
                        # -i and -c, which only change how it goes on after an error.
                        case $ours in
                        refused*)
                                refused_both=$((refused_both + 1))
                                continue
                                ;;
                        "control -i 0" | "control -c 0")
                                if [ $rc -eq 0 ]; then
                                        accepted=$((accepted + 1)) identical=$((identical + 1))
                                        continue
                                fi
                                ;;
                        esac
                        different=$((different + 1))
                        printf 'DIFFERENT %s:%d: %s\n  auditctl: refused (exit %d)\n  hardenctl: %s\n' \
                                "$f" "$n" "$line" "$rc" "$ours"
                        continue
                fi
                case $ours in
                "refused '-"*"' deletes a rule"* | "refused '-"*"' is neither a rule nor a setting")
                        # Deleting rules (-d, -W) and asking the kernel (-l, -s, …) are not for a profile.
                        not_rules=$((not_rules + 1))
                        continue
                        ;;
                esac
                accepted=$((accepted + 1))
                case $ours in
                "refused the kernel "*)
                        # auditctl sends it, and the kernel refuses it: hardenctl says so before.
                        kernel_refuses=$((kernel_refuses + 1))
                        printf 'KERNEL REFUSES %s:%d: %s\n  hardenctl: %s\n' "$f" "$n" "$line" "$ours"
                        continue
                        ;;
                esac
                if [ "$theirs" = "$ours" ]; then
                        identical=$((identical + 1))
                else
                        different=$((different + 1))
                        printf 'DIFFERENT %s:%d: %s\n  auditctl:  %s\n  hardenctl: %s\n' "$f" "$n" "$line" "$theirs" "$ours"
                fi
        done <"$f"
done

echo "auditctl-diff: $lines lines in ${#files[@]} files: $accepted accepted by auditctl, $identical of them identical in hardenctl, $kernel_refuses refused as the kernel would refuse them; $refused_both refused by both; $not_rules not for a profile (-d, -W, -l, …); $different different"
[ "$different" -eq 0 ]
