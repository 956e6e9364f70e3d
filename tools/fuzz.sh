#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Builds the libFuzzer targets with clang (ASan+UBSan) and runs them, one after the other.
# Usage: tools/fuzz.sh [SECONDS] [TARGET...]   (default 600 seconds each; every target)
# Targets: profile audit-rule record accounts sudoers dpkg conf login pam sshd mounts drift posture event-log watch
# New inputs go to build-fuzz/corpus-TARGET; a crash is written to build-fuzz/ and fails the run.
set -euo pipefail
cd "$(dirname "$0")/.."

all=(profile audit-rule record accounts sudoers dpkg conf login pam sshd mounts grub rsyslog dconf ufw journald drift posture
        event-log watch)
seconds=${1:-600}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=("${all[@]}")
for t in "${targets[@]}"; do
        [[ " ${all[*]} " == *" $t "* ]] || { echo "fuzz: no target '$t' (targets: ${all[*]})" >&2; exit 2; }
done

bash tools/install-deps.sh

if [ ! -d build-fuzz ]; then
        CC=clang meson setup build-fuzz -Dfuzzer=true -Dtests=enabled -Dman=disabled \
                -Db_sanitize=address,undefined -Db_lundef=false -Dbuildtype=debugoptimized \
                -Dc_args=-fsanitize=fuzzer-no-link
fi
ninja -C build-fuzz $(printf 'tests/fuzz/fuzz-%s ' "${targets[@]}")

status=0
for t in "${targets[@]}"; do
        seeds=tests/fuzz/corpus-$t
        [ "$t" = profile ] && seeds=tests/fuzz/corpus
        mkdir -p "build-fuzz/corpus-$t"
        cp -n "$seeds"/* "build-fuzz/corpus-$t/" 2>/dev/null || true
        # The profile: 20 KiB covers the longest physical (4 KiB) and logical (16 KiB) line; the file size
        # limit (256 KiB) and full 1024-entry lists are covered by the unit tests, and would slow the
        # fuzzer down a hundredfold. The others: 64 KiB, many lines and entries.
        max_len=65536
        [ "$t" = profile ] && max_len=20480
        (cd build-fuzz && "./tests/fuzz/fuzz-$t" -max_total_time="$seconds" -max_len=$max_len -timeout=10 \
                -rss_limit_mb=2048 -print_final_stats=1 "corpus-$t" >"fuzz-$t.log" 2>&1) || true
        if grep -qE '==[0-9]+==ERROR|^SUMMARY|deadly signal' "build-fuzz/fuzz-$t.log"; then
                echo "fuzz-$t: finding, see build-fuzz/fuzz-$t.log" >&2
                status=1
                continue
        fi
        echo "fuzz-$t: $(sed -n 's/^stat::number_of_executed_units: *//p' "build-fuzz/fuzz-$t.log") executions in ${seconds}s, no finding"
done
exit $status
