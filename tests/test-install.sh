#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# meson install into a staging tree: everything the dracut module and the units name is installed where
# they look for it, and the module is valid shell.
# Usage: test-install.sh BUILD_ROOT
set -uo pipefail

build=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passed=0
failed=0
check() { if eval "$2"; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAIL: $1" >&2; fi; }

meson install -C "$build" --destdir "$tmp/dest" --no-rebuild --quiet >"$tmp/log" 2>&1
check "meson install works" '[ $? -eq 0 ]' || cat "$tmp/log" >&2

module=$(find "$tmp/dest" -path '*/modules.d/90hardenctl/module-setup.sh' | head -n1)
check "dracut module installed" '[ -n "$module" ] && [ -x "$module" ]'
check "dracut module is valid shell" 'bash -n "$module"'

# Every absolute path the module and the units name (but the profile files, which the image adds, and
# the metrics file, which the check writes) exists in the staging tree.
mapfile -t paths < <(cat "$module" "$tmp"/dest/*/lib/systemd/system/hardenctl-*.service "$tmp"/dest/lib/systemd/system/hardenctl-*.service 2>/dev/null |
                     grep -oE '/(usr/)?lib/[A-Za-z0-9_./-]*hardenctl[A-Za-z0-9_.-]*' | grep -vE '\.profile|\.conf$|\.prom$' | sort -u)
check "the module names some paths" '[ ${#paths[@]} -gt 3 ]'
for p in "${paths[@]}"; do
        check "$p is installed" '[ -e "$tmp/dest$p" ] || [ -e "$tmp/dest/usr$p" ]'
done

check "shipped profiles installed" '[ -f "$tmp/dest/usr/lib/hardenctl/profiles/immutable-host.profile" ]'
check "man pages installed" '[ -f "$tmp/dest/usr/share/man/man5/hardenctl.profile.5" ]'
# Every unit and helper that is installed or generated has a man page under its own name.
for u in "$tmp"/dest/lib/systemd/system/hardenctl-* "$tmp"/dest/usr/lib/systemd/system/hardenctl-* "$tmp"/dest/usr/lib/hardenctl/hardenctl-*; do
        [ -e "$u" ] || continue
        check "man page for $(basename "$u")" '[ -e "$tmp/dest/usr/share/man/man8/$(basename "$u").8" ]'
done
for u in hardenctl-verity-usr.service hardenctl-etc-prepare.service hardenctl-etc-persist.service hardenctl-fail-closed.service; do
        check "man page for the generated $u" '[ -e "$tmp/dest/usr/share/man/man8/$u.8" ]'
done

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
