#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# The man page documents exactly the keys the parser accepts, each in its section, with the type (and,
# for enumerations, every value, in order) and the rules the key table gives it; and it renders.
# Usage: test-man-keys.sh DUMP_SCHEMA MAN_PAGE.scd
set -euo pipefail

dump=$1
page=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

scdoc <"$page" >"$tmp/page.man" || { echo "FAIL: scdoc cannot render $page" >&2; exit 1; }

# From the tables: Section<TAB>Key<TAB>type, with "(values)" for enumerations<TAB>rules (space-separated, or -).
"$dump" | awk -F'\t' '{ r = ($4 == "-") ? "none" : $4; gsub(/ /, ", ", r); print $1 "\t" $2 "\t" $3 "\t" r }' | sort >"$tmp/table"

# From the page: "# [Section] SECTION" headers, "*Key=*" lines, and the Type:/Rules: lines after them.
awk '
        /^# \[[A-Za-z]+\] SECTION$/ { s = $2; gsub(/[][]/, "", s); next }
        /^# / { s = "" }
        /^\*[A-Za-z]+=\*$/ {
                if (key != "") { print section "\t" key "\t" type "\t" rules }
                key = substr($0, 2, length($0) - 3); section = s; type = "?"; rules = "?"; next
        }
        key != "" && /^\tType: / {
                t = $0; sub(/^\tType: /, "", t); sub(/\..*$/, "", t)
                if (t !~ /^enumeration /) sub(/ *\(.*$/, "", t)
                type = t
        }
        key != "" && /^Rules: / { r = $0; sub(/^Rules: /, "", r); sub(/\.$/, "", r); rules = r }
        END { if (key != "") print section "\t" key "\t" type "\t" rules }
' "$page" | sort >"$tmp/page"

if ! diff -u --label "key tables" --label "$page" "$tmp/table" "$tmp/page" >"$tmp/diff"; then
        echo "FAIL: the man page and the key tables disagree (Section, Key, type, rules):" >&2
        cat "$tmp/diff" >&2
        exit 1
fi

n=$(wc -l <"$tmp/table")
[ "$n" -gt 0 ] || { echo "FAIL: no keys in the tables" >&2; exit 1; }
echo "$n keys documented in their sections, with their types and rules"
echo "1 passed, 0 failed"
