#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Every C source and header of the tree is formatted as .clang-format says, and none is over
# 800 lines (a file that long wants splitting by job). The style is written for
# Debian 12's clang-format 14; another version formats some constructs differently, so it skips (77).
# Usage: test-format.sh SOURCE_ROOT CLANG_FORMAT
set -uo pipefail

src=$1 cf=$2
version=$("$cf" --version | sed -n 's/.*clang-format version \([0-9]*\).*/\1/p')
if [ "$version" != 14 ]; then
        echo "clang-format $version is not 14, the version .clang-format is written for: skipped"
        exit 77
fi

cd "$src" || exit 1
files=0 drift=0 long=0
while IFS= read -r -d '' f; do
        files=$((files + 1))
        if [ "$(wc -l <"$f")" -gt 800 ]; then
                long=$((long + 1))
                echo "FAIL: $f has $(wc -l <"$f") lines, more than 800" >&2
        fi
        if ! "$cf" --style=file "$f" | cmp -s - "$f"; then
                drift=$((drift + 1))
                echo "FAIL: $f is not formatted as .clang-format says:" >&2
                "$cf" --style=file "$f" | diff -u "$f" - | head -20 >&2
        fi
done < <(find src tests bench -name '*.[ch]' -not -path 'tests/fuzz/corpus/*' -print0 | sort -z)

echo "$files files, $drift not formatted, $long over 800 lines"
[ "$files" -gt 0 ] && [ "$drift" -eq 0 ] && [ "$long" -eq 0 ]
