#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Builds the libFuzzer target for the profile parser with clang (ASan+UBSan) and runs it.
# Usage: tools/fuzz.sh [SECONDS]   (default 600)
# New inputs go to build-fuzz/corpus; a crash is written to build-fuzz/ and fails the run.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${1:-600}
bash tools/install-deps.sh

if [ ! -d build-fuzz ]; then
        CC=clang meson setup build-fuzz -Dfuzzer=true -Dtests=enabled -Dman=disabled \
                -Db_sanitize=address,undefined -Db_lundef=false -Dbuildtype=debugoptimized \
                -Dc_args=-fsanitize=fuzzer-no-link
fi
ninja -C build-fuzz tests/fuzz/fuzz-profile

mkdir -p build-fuzz/corpus
cp -n tests/fuzz/corpus/* build-fuzz/corpus/ 2>/dev/null || true

cd build-fuzz
# 20 KiB covers the longest physical (4 KiB) and logical (16 KiB) line; the file size limit (256 KiB)
# and full 1024-entry lists are covered by the unit tests, and would slow the fuzzer down a hundredfold.
./tests/fuzz/fuzz-profile -max_total_time="$seconds" -max_len=20480 -timeout=10 -rss_limit_mb=2048 \
        -print_final_stats=1 corpus 2>&1 | tee fuzz.log | grep -E '^(#[0-9]+ +(DONE|INITED)|stat::number_of_executed_units|==[0-9]+==ERROR)' || true

if grep -qE '==[0-9]+==ERROR|^SUMMARY|deadly signal' fuzz.log; then
        echo "fuzz: finding, see build-fuzz/fuzz.log" >&2
        exit 1
fi
echo "fuzz: $(sed -n 's/^stat::number_of_executed_units: *//p' fuzz.log) executions in ${seconds}s, no finding"
