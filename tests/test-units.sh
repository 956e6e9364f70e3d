#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Every unit in units/ passes systemd-analyze verify without a single message, in a root where the
# helpers they run exist.
# Usage: test-units.sh BUILD_ROOT
set -uo pipefail

build=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

mkdir -p "$tmp/etc/systemd/system" "$tmp/usr/lib/hardenctl" "$tmp/usr/bin"
cp "$build/src/hardenctl/hardenctl" "$tmp/usr/bin/"
# Units with default dependencies (the compliance check and its timer) need systemd's targets.
mkdir -p "$tmp/usr/lib/systemd/system"
cp /usr/lib/systemd/system/*.target "$tmp/usr/lib/systemd/system/"
find "$build/src" -maxdepth 2 -type f -perm -u+x -name 'hardenctl-*' ! -name '*-generator' ! -name hardenctl-watch \
        -exec cp {} "$tmp/usr/lib/hardenctl/" \;
# auditd's plugin is where auditd's own are.
mkdir -p "$tmp/usr/sbin"
cp "$build/src/watch/hardenctl-watch" "$tmp/usr/sbin/"
mapfile -t units < <(find "$build/units" -maxdepth 1 -type f \( -name '*.service' -o -name '*.timer' \) -printf '%f\n' | sort)
[ ${#units[@]} -gt 0 ] || { echo "FAIL: no units" >&2; exit 1; }
for u in "${units[@]}"; do cp "$build/units/$u" "$tmp/etc/systemd/system/"; done

if ! (cd "$tmp" && systemd-analyze verify --man=no --root="$tmp" "${units[@]}") >"$tmp/out" 2>&1 || [ -s "$tmp/out" ]; then
        echo "FAIL: systemd-analyze verify complains:" >&2
        cat "$tmp/out" >&2
        echo "0 passed, 1 failed"
        exit 1
fi
echo "${#units[@]} units verified"

# A unit that udevd waits for must not wait for anything itself but sockets, or it holds udev back
# (hardenctl-kernel-early.service needs only /run and /sys).
for u in "${units[@]}"; do
        grep -q '^Before=.*systemd-udevd\.service' "$build/units/$u" || continue
        waits=$(sed -n 's/^After=//p' "$build/units/$u" | tr ' ' '\n' | grep -v '\.socket$' | grep -v '^$')
        if [ -n "$waits" ]; then
                echo "FAIL: $u is ordered before systemd-udevd.service but after: $waits" >&2
                echo "1 passed, 1 failed"
                exit 1
        fi
done

# hardenctl-check.service reads device-mapper: a device allow list (which ProtectClock=, PrivateDevices=
# and DeviceAllow= each set up) must let /dev/mapper/control through; and an incomplete check (4) must
# fail the unit, not pass as success.
u="$build/units/hardenctl-check.service"
if grep -Eq '^(ProtectClock=yes|PrivateDevices=yes|DeviceAllow=|DevicePolicy=(closed|strict))' "$u" &&
   ! grep -q '^DeviceAllow=/dev/mapper/control rw' "$u"; then
        echo "FAIL: hardenctl-check.service has a device allow list without /dev/mapper/control" >&2
        echo "1 passed, 1 failed"
        exit 1
fi
if grep -Eq '^SuccessExitStatus=.*\b4\b' "$u" || ! grep -q '^SystemCallFilter=~@clock' "$u"; then
        echo "FAIL: hardenctl-check.service counts exit 4 as success, or lets the clock be set" >&2
        echo "1 passed, 1 failed"
        exit 1
fi

# The helper of the fail-closed units, hardenctl-verity also as hardenctl-fail: logs its message, and fails.
if [ "$(readlink "$build/src/helpers/hardenctl-fail")" != hardenctl-verity ]; then
        echo "FAIL: hardenctl-fail is not a symlink to hardenctl-verity" >&2
        echo "2 passed, 1 failed"
        exit 1
fi
if HARDENCTL_LOG_TARGET=console "$build/src/helpers/hardenctl-verity" fail "the test's reason" 2>"$tmp/fail" ||
   [ "$(cat "$tmp/fail")" != "hardenctl-verity: the test's reason" ]; then
        echo "FAIL: hardenctl-verity fail succeeded, or logged:" >&2
        cat "$tmp/fail" >&2
        echo "2 passed, 1 failed"
        exit 1
fi
if HARDENCTL_LOG_TARGET=console "$build/src/helpers/hardenctl-fail" "the test's reason" 2>"$tmp/fail"; then
        echo "FAIL: hardenctl-fail succeeded" >&2
        echo "2 passed, 1 failed"
        exit 1
fi
if [ "$(cat "$tmp/fail")" != "hardenctl-fail: the test's reason" ]; then
        echo "FAIL: hardenctl-fail logged:" >&2
        cat "$tmp/fail" >&2
        echo "2 passed, 1 failed"
        exit 1
fi

# The helpers' verbs, from one table each: a wrong call fails with one line that says the usage.
passed=3
failed=0
usage() { # WANT HELPER ARGS…: exits 1, and logs WANT
        local want=$1 h=$2
        shift 2
        if HARDENCTL_LOG_TARGET=console "$build/src/helpers/$h" "$@" >/dev/null 2>"$tmp/usage"; then
                echo "FAIL: $h $* succeeded" >&2
                failed=$((failed + 1))
        elif [ "$(cat "$tmp/usage")" != "$h: $want" ]; then
                echo "FAIL: $h $* logged, instead of '$h: $want':" >&2
                sed 's/^/  | /' "$tmp/usage" >&2
                failed=$((failed + 1))
        else
                passed=$((passed + 1))
        fi
}
usage "No command given. Usage: hardenctl-audit load" hardenctl-audit
usage "load: too many arguments (expected none)." hardenctl-audit load now
usage "Unknown command 'middle'. Usage: hardenctl-kernel early | late" hardenctl-kernel middle
usage "config: too few arguments (expected ROOT)." hardenctl-selinux config
usage "Unknown command 'permissive'. Usage: hardenctl-selinux config ROOT | enforce" hardenctl-selinux permissive
usage "attach: too few arguments (expected NAME DATA HASH ROOTHASH [OPTIONS])." hardenctl-verity attach usr /dev/a /dev/b
usage "--optional is not an option of detach, only of attach." hardenctl-verity --optional detach usr
usage "prepare: too few arguments (expected DIR [[--root-fs=FS] STORE PATH…])." hardenctl-etc prepare "$tmp/x" --root-fs=/ store
usage "save: too few arguments (expected [--root-fs=DIR] ETC STORE PATH…)." hardenctl-etc save /etc store
usage "relabel: too many arguments (expected UPPER TARGET [PERSIST])." hardenctl-etc relabel a b c d
usage "Unknown command 'help'. Usage: hardenctl-etc prepare DIR [[--root-fs=FS] STORE PATH…] | save [--root-fs=DIR] ETC STORE PATH… | relabel UPPER TARGET [PERSIST]" hardenctl-etc help

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
