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
# The rule sets @stig and @ospp must cover every rule of 30-stig.rules and of the OSPP v4.2 files
# (30-ospp-v42.rules and the twelve 30-ospp-v42-*.rules it depends on): load the same rule, or for auditd
# 4.0's files (which state each watch once per arch=) a broader one, which records every event the rule
# records (audit-stig-coverage counts them apart). The closing note also says how many of them each
# shipped profile covers.
#
# With AUDITCTL_ROOT=DIR, the auditctl is that of the system tree DIR (another release's, e.g. Debian 13's
# auditctl 4.0, which does not run on this host's C library): auditctl and hardenctl's side both run
# chrooted into DIR, so that hardenctl's parser works with DIR's libaudit, as it does when installed there.
# DIR is not changed: the run is in a private mount namespace, on an overlay whose upper layer is a
# temporary directory. The files to compare are then those of DIR (give DIR/usr/share/doc/auditd/examples/…).
# The rule sets are checked against the example files of the first directory given.
#
# usage: test-auditctl-diff.sh SHIM DUMP COVERAGE PROFILES-DIR FILE|DIR...
set -euo pipefail

shim=$1 dump=$2 coverage=$3 profiles=$4
root=${AUDITCTL_ROOT:-}

if [ -n "$root" ]; then
        root=$(cd "$root" && pwd) || { echo "auditctl-diff: AUDITCTL_ROOT=$AUDITCTL_ROOT: no such directory"; exit 1; }
        case $root in *[,:]*) echo "auditctl-diff: AUDITCTL_ROOT=$root: ',' and ':' cannot be in an overlay's lower directory"; exit 1 ;; esac
        auditctl=$root/sbin/auditctl
        [ -x "$auditctl" ] || { echo "auditctl-diff: $root has no sbin/auditctl (package auditd)"; exit 1; }
else
        auditctl=$(command -v auditctl || true)
        [ -n "$auditctl" ] || [ ! -x /sbin/auditctl ] || auditctl=/sbin/auditctl
        if [ -z "$auditctl" ]; then
                echo "auditctl-diff: no auditctl (package auditd): skipped"
                exit 77
        fi
fi
if [ "$(id -u)" -ne 0 ]; then
        echo "auditctl-diff: auditctl reads only rule files that root owns: skipped (not root)"
        exit 77
fi
if [ -n "$root" ] && [ "${AUDITCTL_DIFF_NAMESPACE:-}" != "$root" ]; then
        exec unshare --mount --propagation private -- env AUDITCTL_DIFF_NAMESPACE="$root" bash "$0" "$@"
fi
shift 4

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
# work: where the line, the shim's record and the dump's input are, as the host sees it; there: the same
# for the programs run (in the root, or not); run: how they are run.
if [ -n "$root" ]; then
        mnt=$tmp/root there=/run/auditctl-diff
        work=$mnt$there
        trap 'umount -R "$mnt" 2>/dev/null || true; rm -rf --one-file-system "$tmp"' EXIT
        mkdir "$tmp/upper" "$tmp/work" "$mnt"
        mount -t overlay overlay -o "lowerdir=$root,upperdir=$tmp/upper,workdir=$tmp/work" "$mnt"
        mount -t proc proc "$mnt/proc"
        [ -e "$mnt/dev/null" ] || touch "$mnt/dev/null"
        mount --bind /dev/null "$mnt/dev/null"
        mkdir -p "$work"
        cp "$shim" "$work/auditctl-shim.so"
        cp "$dump" "$work/audit-line-dump"
        run=(chroot "$mnt" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin)
        auditctl_there=/sbin/auditctl shim_there=$there/auditctl-shim.so dump_there=$there/audit-line-dump
else
        work=$tmp there=$tmp
        run=(env)
        auditctl_there=$auditctl shim_there=$shim dump_there=$dump
fi
# auditctl with the shim: the shim must have loaded (auditctl -l records "control -D 0" through it), or
# the lines would reach the kernel.
: >"$work/theirs"
"${run[@]}" AUDITCTL_SHIM_OUT="$there/theirs" LD_PRELOAD="$shim_there" "$auditctl_there" -l >/dev/null 2>&1 || true
if ! grep -qx 'control -D 0' "$work/theirs"; then
        echo "auditctl-diff: $shim does not load into $auditctl"
        exit 1
fi
echo "auditctl-diff: $("${run[@]}" "$auditctl_there" -v 2>&1)${root:+ (in $root)}"

counters="lines kernel_refuses not_rules accepted identical refused_both different"
for c in $counters; do eval "$c=0 ex_$c=0"; done
# Counts a line, and apart those of auditd's example files.
bump() {
        eval "$1=\$(($1 + 1))"
        [ "$example" -eq 0 ] || eval "ex_$1=\$((ex_$1 + 1))"
}
for f in "${files[@]}"; do
        case $f in */examples/*) example=1 ;; *) example=0 ;; esac
        cp "$f" "$work/input.rules"
        "${run[@]}" "$dump_there" "$there/input.rules" >"$tmp/ours" || { echo "auditctl-diff: $dump $f failed"; exit 1; }
        n=0
        while IFS= read -r line || [ -n "$line" ]; do
                n=$((n + 1))
                stripped=${line#"${line%%[! ]*}"}
                [ -z "$stripped" ] || [ "${stripped:0:1}" = "#" ] && continue
                bump lines

                printf '%s\n' "$line" >"$work/line.rules"
                chmod 600 "$work/line.rules"
                : >"$work/theirs"
                rc=0
                "${run[@]}" AUDITCTL_SHIM_OUT="$there/theirs" LD_PRELOAD="$shim_there" "$auditctl_there" -R "$there/line.rules" \
                        >/dev/null 2>&1 || rc=$?
                theirs=$(cat "$work/theirs")
                ours=$(sed -n "s|^$there/input.rules:$n ||p" "$tmp/ours")

                if [ $rc -ne 0 ] || [ -z "$theirs" ]; then
                        # Refused, or nothing sent: "possible" rules, which auditctl skips with an error;
                        # -i and -c, which only change how it goes on after an error.
                        case $ours in
                        refused*)
                                bump refused_both
                                continue
                                ;;
                        "control -i 0" | "control -c 0")
                                if [ $rc -eq 0 ]; then
                                        bump accepted
                                        bump identical
                                        continue
                                fi
                                ;;
                        esac
                        bump different
                        printf 'DIFFERENT %s:%d: %s\n  auditctl: refused (exit %d)\n  hardenctl: %s\n' \
                                "$f" "$n" "$line" "$rc" "$ours"
                        continue
                fi
                case $ours in
                "refused '-"*"' deletes a rule"* | "refused '-"*"' is neither a rule nor a setting")
                        # Deleting rules (-d, -W) and asking the kernel (-l, -s, …) are not for a profile.
                        bump not_rules
                        continue
                        ;;
                esac
                bump accepted
                case $ours in
                "refused the kernel "*)
                        # auditctl sends it, and the kernel refuses it: hardenctl says so before.
                        bump kernel_refuses
                        printf 'KERNEL REFUSES %s:%d: %s\n  hardenctl: %s\n' "$f" "$n" "$line" "$ours"
                        continue
                        ;;
                esac
                if [ "$theirs" = "$ours" ]; then
                        bump identical
                else
                        bump different
                        printf 'DIFFERENT %s:%d: %s\n  auditctl:  %s\n  hardenctl: %s\n' "$f" "$n" "$line" "$theirs" "$ours"
                fi
        done <"$f"
done

echo "auditctl-diff: auditd's example files: $ex_lines rule lines: $ex_accepted accepted by auditctl, $ex_identical of them identical in hardenctl, $ex_kernel_refuses refused as the kernel would refuse them; $ex_refused_both refused by both; $ex_not_rules not for a profile; $ex_different different"
echo "auditctl-diff: all: $lines lines in ${#files[@]} files: $accepted accepted by auditctl, $identical of them identical in hardenctl, $kernel_refuses refused as the kernel would refuse them; $refused_both refused by both; $not_rules not for a profile (-d, -W, -l, …); $different different"
ex=
for a in "$@"; do
        [ -d "$a" ] && [ -e "$a/30-stig.rules" ] && { ex=$a; break; }
done
sets_ok=1
if [ -n "$ex" ] && [ -e "$ex/30-ospp-v42.rules" ]; then
        tmp=$(mktemp -d)
        trap 'rm -rf "$tmp"' EXIT
        cat "$ex/30-ospp-v42.rules" "$ex"/30-ospp-v42-*.rules >"$tmp/ospp.rules"
        printf '[Audit]\nRules=@stig\n' >"$tmp/stig-set.profile"
        printf '[Audit]\nRules=@ospp\n' >"$tmp/ospp-set.profile"
        for s in stig:"$ex/30-stig.rules" ospp:"$tmp/ospp.rules"; do
                name=${s%%:*} file=${s#*:}
                n=$(grep -c '^-[aw]' "$file")
                out=$("$coverage" "$file" "$tmp/$name-set.profile")
                echo "rule set @$name: $out"
                case $out in
                "$name-set: $n of $n rules of "*) ;;
                *) echo "FAIL: @$name does not load all $n rules"; sets_ok=0 ;;
                esac
        done
        for p in "$profiles"/*.profile; do
                "$coverage" "$ex/30-stig.rules" "$p" | sed "s|$ex/||; s|^|STIG coverage: |"
                "$coverage" "$tmp/ospp.rules" "$p" | sed "s|$tmp/||; s|^|OSPP coverage: |"
        done
fi
[ "$different" -eq 0 ] && [ "$sets_ok" -eq 1 ]
