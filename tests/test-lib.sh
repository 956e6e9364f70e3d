# SPDX-License-Identifier: LGPL-2.1-or-later
#
# What the shell tests share, sourced by them: counting results and the checks that count. The test
# sets $tmp (a directory of its own, which it removes) before using expect.

passed=0
failed=0

ok() { passed=$((passed + 1)); }
ko() { failed=$((failed + 1)); echo "FAIL: $*" >&2; }

# expect CODE CMD… : runs CMD, stdout in $tmp/out, stderr in $tmp/err; checks the exit status.
expect() {
        local want=$1 got
        shift
        "$@" >"$tmp/out" 2>"$tmp/err"
        got=$?
        if [ "$got" -eq "$want" ]; then ok; else ko "'$*' exited $got, expected $want"; sed 's/^/  | /' "$tmp/out" "$tmp/err" >&2; fi
}

# contains FILE STRING, lacks FILE STRING
contains() {
        if grep -qF -- "$2" "$1"; then ok; else ko "$1 does not contain '$2'"; sed 's/^/  | /' "$1" >&2; fi
}
lacks() {
        if grep -qF -- "$2" "$1"; then ko "$1 contains '$2'"; else ok; fi
}

# The last line of a test: the counts, and its exit status.
finish() {
        echo "$passed passed, $failed failed"
        [ "$failed" -eq 0 ]
}
