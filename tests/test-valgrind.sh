#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# check, apply and status under valgrind (memcheck): valgrind does not know openat2(), and hardenctl
# then resolves paths below --root with its own walk (open_resolve_walk(), the same rules). Any memory
# error or definite leak fails the test; exit 77 (skipped) without valgrind.
# Usage: test-valgrind.sh HARDENCTL SOURCE_ROOT
set -uo pipefail

hc=$1
src=$2
command -v valgrind >/dev/null || { echo "valgrind is not installed"; exit 77; }
for v in $(env | sed -n 's/^\(HARDENCTL_[A-Z_]*\)=.*/\1/p'); do unset "$v"; done
export SOURCE_DATE_EPOCH=1700000000 HARDENCTL_LOG_LEVEL=err

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failed=0
vg() {
        local want=$1 got
        shift
        valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite \
                --show-leak-kinds=definite "$hc" "$@" >"$tmp/out" 2>"$tmp/err"
        got=$?
        if [ "$got" -ne "$want" ]; then
                echo "FAIL: valgrind hardenctl $* exited $got, expected $want" >&2
                grep -v -e 'unhandled amd64-linux syscall' -e 'write your own handler' -e README_MISSING \
                        -e 'consider this a bug' -e 'valgrind.org/support' "$tmp/err" | sed 's/^/  | /' >&2
                failed=$((failed + 1))
        fi
}

cp -a "$src/tests/check/root" "$tmp/root"
mkdir -p "$tmp/root/usr/lib/hardenctl/profiles"
cp "$src"/tests/apply/*.profile "$tmp/root/usr/lib/hardenctl/profiles/"

vg 2 --root="$tmp/root" check fixture --json=short
vg 0 --root="$tmp/root" apply old
vg 0 --root="$tmp/root" status
vg 0 --root="$tmp/root" apply web
vg 0 --root="$tmp/root" status --json=short
grep -q "Profile=web" "$tmp/root/etc/hardenctl/applied" || { echo "FAIL: the record does not name web" >&2; failed=$((failed + 1)); }
echo "$failed failures"
[ "$failed" -eq 0 ]
