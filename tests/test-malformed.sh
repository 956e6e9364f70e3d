#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Every malformed profile must be rejected by "hardenctl validate" with exit status 3 and exactly the
# messages in NAME.expected. Profiles that cases inherit from live in lib/, which is the search path;
# its absolute path appears as @LIB@ in the expected output.
# Usage: test-malformed.sh HARDENCTL DIR
set -uo pipefail

hc=$1
dir=$2
unset HARDENCTL_LOG_LEVEL
export HARDENCTL_PROFILE_PATH="$dir/lib"

cd "$dir" || exit 1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

passed=0
failed=0

for p in *.profile; do
        name=${p%.profile}
        if [ ! -f "$name.expected" ]; then
                echo "FAIL: $p has no $name.expected" >&2
                failed=$((failed + 1))
                continue
        fi

        "$hc" validate "$p" >"$tmp/out" 2>"$tmp/err"
        rc=$?
        sed -i "s|$dir/lib|@LIB@|g" "$tmp/err"

        if [ $rc -ne 3 ]; then
                echo "FAIL: $p: exit status $rc, expected 3" >&2
                sed 's/^/  | /' "$tmp/err" >&2
                failed=$((failed + 1))
        elif ! diff -u --label "$name.expected" --label "actual" "$name.expected" "$tmp/err" >"$tmp/diff"; then
                echo "FAIL: $p: messages differ" >&2
                cat "$tmp/diff" >&2
                failed=$((failed + 1))
        else
                passed=$((passed + 1))
        fi
done

for e in *.expected; do
        if [ ! -f "${e%.expected}.profile" ]; then
                echo "FAIL: $e has no profile" >&2
                failed=$((failed + 1))
        fi
done

if [ $((passed + failed)) -lt 30 ]; then
        echo "FAIL: only $((passed + failed)) cases, expected at least 30" >&2
        failed=$((failed + 1))
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
