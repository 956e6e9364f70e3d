#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Golden tests for the generators. Each directory in CASES is one case:
#   generator   the generator's topic (usr → hardenctl-usr-generator)
#   env         variables for it: SYSTEMD_PROC_CMDLINE=…, SYSTEMD_IN_INITRD=0|1
#   root/       files below the fixture root, on top of the shipped profiles in
#               /usr/lib/hardenctl/profiles (root/NONE: no shipped profiles)
#   expected/   the exact tree the generator must write (early, normal, late)
#   expected.log  what it must log
# Every unit written must pass systemd-analyze verify without a single message.
# Usage: test-generators.sh BUILD_ROOT SOURCE_ROOT CASES   (UPDATE_GOLDEN=1 rewrites expected/)
set -uo pipefail

build=$1
src=$2
cases=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export HARDENCTL_LOG_TARGET=console
unset HARDENCTL_LOG_LEVEL

passed=0
failed=0
fail() { echo "FAIL: $*" >&2; failed=$((failed + 1)); }

listing() { (cd "$1" && find . -mindepth 1 -printf '%y %p %l\n' | sort); }

for c in "$cases"/*/; do
        c=${c%/}
        name=$(basename "$c")
        gen="$build/src/generators/hardenctl-$(cat "$c/generator")-generator"
        root="$tmp/$name/root"
        out="$tmp/$name/out"
        mkdir -p "$root/usr/lib/hardenctl/profiles" "$out/normal" "$out/early" "$out/late"
        [ -e "$c/root/NONE" ] || cp "$src"/profiles/*.profile "$root/usr/lib/hardenctl/profiles/"
        [ -d "$c/root" ] && cp -a "$c/root/." "$root/" && rm -f "$root/NONE"

        (
                set -a
                # shellcheck disable=SC1091
                . "$c/env"
                set +a
                HARDENCTL_ROOT="$root" "$gen" "$out/normal" "$out/early" "$out/late"
        ) 2>"$tmp/$name/log"
        rc=$?
        if [ $rc -ne 0 ]; then
                fail "$name: generator exited $rc"
                sed 's/^/  | /' "$tmp/$name/log" >&2
                continue
        fi

        if [ -n "${UPDATE_GOLDEN:-}" ]; then
                rm -rf "$c/expected"
                cp -a "$out" "$c/expected"
                cp "$tmp/$name/log" "$c/expected.log"
                # git does not keep empty directories.
                find "$c/expected" -type d -empty -exec touch {}/.keep \;
        fi
        find "$c/expected" -name .keep -printf '%P\n' | while read -r k; do touch "$out/$k"; done

        ok=1
        if ! diff -u <(listing "$c/expected") <(listing "$out") >"$tmp/diff" ||
           ! diff -ru --no-dereference "$c/expected" "$out" >>"$tmp/diff" 2>&1; then
                fail "$name: the generated tree differs"
                cat "$tmp/diff" >&2
                ok=0
        fi
        if ! diff -u "$c/expected.log" "$tmp/$name/log" >"$tmp/diff"; then
                fail "$name: the log differs"
                cat "$tmp/diff" >&2
                ok=0
        fi

        # systemd-analyze verify, in a root where the helpers exist.
        units=$(cd "$out" && find . -type f \( -name '*.service' -o -name '*.mount' -o -name '*.conf' \) -printf '%f\n' | sort -u)
        if [ -n "$units" ]; then
                vroot="$tmp/$name/verify"
                mkdir -p "$vroot/etc/systemd/system" "$vroot/usr/lib/hardenctl"
                cp "$build/src/helpers/hardenctl-verity" "$build/src/helpers/hardenctl-etc" "$build/src/helpers/hardenctl-fail" \
                        "$build/src/helpers/hardenctl-measure" "$vroot/usr/lib/hardenctl/"
                for d in late normal early; do cp -a "$out/$d/." "$vroot/etc/systemd/system/"; done
                # Drop-ins are verified on a stub of the unit they extend.
                mapfile -t extended < <(cd "$vroot/etc/systemd/system" && find . -maxdepth 1 -type d -name '*.service.d' -printf '%f\n' | sed 's/\.d$//')
                for u in "${extended[@]}"; do
                        [ -e "$vroot/etc/systemd/system/$u" ] ||
                                printf '[Unit]\nDefaultDependencies=no\n[Service]\nExecStart=/usr/lib/hardenctl/hardenctl-etc\n' >"$vroot/etc/systemd/system/$u"
                done
                # shellcheck disable=SC2086
                if ! (cd "$vroot" && systemd-analyze verify --man=no --root="$vroot" $(cd "$out" && find . -type f \( -name '*.service' -o -name '*.mount' \) -not -path '*.d/*' -printf '%f\n' | sort -u) "${extended[@]}") >"$tmp/verify" 2>&1 ||
                   [ -s "$tmp/verify" ]; then
                        fail "$name: systemd-analyze verify complains"
                        sed 's/^/  | /' "$tmp/verify" >&2
                        ok=0
                fi
        fi

        [ $ok -eq 1 ] && passed=$((passed + 1))
done

[ $((passed + failed)) -gt 0 ] || fail "no cases in $cases"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
