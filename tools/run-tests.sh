#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Installs what is needed, builds hardenctl twice — warnings as errors, and with AddressSanitizer and
# UndefinedBehaviorSanitizer — and runs the whole test suite in both builds; the VM tests (suite vm:
# Debian 12 and Debian 13 images booted under qemu) run once, from the first build. Both have test
# hooks; a release build without them checks that its programs refuse them.
set -euo pipefail
cd "$(dirname "$0")/.."

start=$SECONDS
stage() { printf '\n==> %s (%ds)\n' "$*" $((SECONDS - start)); }

stage "dependencies"
bash tools/install-deps.sh
bash tools/install-vm-deps.sh

stage "build (-Werror)"
# -Dtest-hooks=true: the apply tests need HARDENCTL_TEST_* (failure injection, fake /proc/sys and /sys).
# An existing build directory is reconfigured: it may predate an option.
setup() { local dir=$1; shift; meson setup $([ -d "$dir" ] && echo --reconfigure) "$dir" "$@"; }
setup build-ci --werror -Dtests=enabled -Dman=enabled -Dtest-hooks=true
ninja -C build-ci

stage "tests"
meson test -C build-ci --print-errorlogs --no-suite vm

stage "VM tests"
VM_REQUIRE=1 meson test -C build-ci --verbose --suite vm

stage "build (ASan+UBSan)"
setup build-asan --werror -Dtests=enabled -Dman=enabled -Dtest-hooks=true \
        -Db_sanitize=address,undefined -Db_lundef=false -Dbuildtype=debug
ninja -C build-asan

stage "tests under ASan+UBSan"
meson test -C build-asan --print-errorlogs --no-suite vm

stage "release build: no test hooks"
# What users build: without test hooks (said, as a reused directory keeps its options), the programs
# refuse a HARDENCTL_TEST_* variable.
setup build-rel --werror -Dtests=enabled -Dbuildtype=release -Dtest-hooks=false
ninja -C build-rel src/hardenctl/hardenctl src/helpers/hardenctl-ipe src/helpers/hardenctl-measure
meson test -C build-rel --no-rebuild --print-errorlogs no-test-hooks

stage "done"
# The closing note of issue 13: auditd's example rule lines through auditctl and hardenctl, and how much
# of the STIG's audit rules each shipped profile loads.
grep -a -h -E '^(auditctl-diff|auditctl-roundtrip|rule set @[a-z]+|STIG coverage|OSPP coverage):' build-ci/meson-logs/testlog.txt || true
