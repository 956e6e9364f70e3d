#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# The hardenctl command against the shipped profiles and fixture trees below --root.
# Usage: test-cli.sh HARDENCTL SOURCE_ROOT
set -uo pipefail

hc=$1
src=$2
unset HARDENCTL_LOG_LEVEL HARDENCTL_PROFILE_PATH

. "$(dirname "$0")/test-lib.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# --- basics
expect 0 "$hc" --version
contains "$tmp/out" "hardenctl "
expect 0 "$hc" --help
for v in validate list-profiles cat-profile show-profile; do contains "$tmp/out" "  $v"; done
expect 1 "$hc"
contains "$tmp/err" "No command given"
expect 1 "$hc" frobnicate
contains "$tmp/err" "Unknown command 'frobnicate'"
expect 1 "$hc" --bogus-option validate
expect 1 "$hc" --json=yaml validate
contains "$tmp/err" "Invalid --json= mode 'yaml'"
expect 1 "$hc" show-profile
contains "$tmp/err" "too few arguments"
expect 1 "$hc" show-profile a b
contains "$tmp/err" "too many arguments"
expect 1 "$hc" --root="$tmp/does-not-exist" list-profiles
contains "$tmp/err" "Cannot open root directory"

# --- the shipped profiles are valid, by path and by name
for p in "$src"/profiles/*.profile; do
        expect 0 "$hc" validate "$p"
        contains "$tmp/out" ": valid"
done
HARDENCTL_PROFILE_PATH="$src/profiles" expect 0 "$hc" validate
contains "$tmp/out" "baseline: valid (1 file)"
contains "$tmp/out" "immutable-host: valid (2 files)"

# --- a fixture root: precedence, drop-ins, inheritance, and paths that stay inside the root
r="$tmp/root"
mkdir -p "$r/etc/hardenctl/profiles" "$r/usr/lib/hardenctl/profiles/web.profile.d" \
         "$r/etc/hardenctl/profiles/web.profile.d" "$r/run/hardenctl/profiles"
cat >"$r/usr/lib/hardenctl/profiles/base.profile" <<'P'
[Profile]
Description=vendor base
[Packages]
Forbid=telnet gcc
P
cat >"$r/etc/hardenctl/profiles/base.profile" <<'P'
[Profile]
Description=local base
[Packages]
Forbid=telnet
P
cat >"$r/usr/lib/hardenctl/profiles/web.profile" <<'P'
[Profile]
Inherit=base
[SELinux]
Mode=permissive
P
cat >"$r/usr/lib/hardenctl/profiles/web.profile.d/10-mode.conf" <<'P'
[SELinux]
Mode=enforcing
P
cat >"$r/usr/lib/hardenctl/profiles/web.profile.d/20-extra.conf" <<'P'
[Packages]
Forbid=gdb
P
# Same name in /etc masks the vendor drop-in.
cat >"$r/etc/hardenctl/profiles/web.profile.d/20-extra.conf" <<'P'
[Packages]
Forbid=strace
P
# An absolute symlink must resolve inside the root, not on the host.
ln -s /etc/hardenctl/profiles/base.profile "$r/run/hardenctl/profiles/alias.profile"

expect 0 "$hc" --root="$r" list-profiles
contains "$tmp/out" "base                     /etc/hardenctl/profiles/base.profile"
contains "$tmp/out" "web                      /usr/lib/hardenctl/profiles/web.profile"
contains "$tmp/out" "3 profiles listed."

expect 0 "$hc" --root="$r" show-profile web
contains "$tmp/out" "Description=local base"
contains "$tmp/out" "Mode=enforcing"
contains "$tmp/out" "Forbid=telnet strace"
lacks "$tmp/out" "gdb"
lacks "$tmp/out" "gcc"

expect 0 "$hc" --root="$r" cat-profile web
contains "$tmp/out" "# /etc/hardenctl/profiles/base.profile"
contains "$tmp/out" "# /usr/lib/hardenctl/profiles/web.profile"
contains "$tmp/out" "# /usr/lib/hardenctl/profiles/web.profile.d/10-mode.conf"
contains "$tmp/out" "# /etc/hardenctl/profiles/web.profile.d/20-extra.conf"
# Parents first, then the profile, then its drop-ins in name order.
if [ "$(grep '^# /' "$tmp/out" | tr '\n' ' ')" = "# /etc/hardenctl/profiles/base.profile # /usr/lib/hardenctl/profiles/web.profile # /usr/lib/hardenctl/profiles/web.profile.d/10-mode.conf # /etc/hardenctl/profiles/web.profile.d/20-extra.conf " ]; then ok; else ko "cat-profile order"; cat "$tmp/out" >&2; fi

expect 0 "$hc" --root="$r" show-profile alias
contains "$tmp/out" "Description=local base"

expect 0 "$hc" --root="$r" show-profile web --json=short
python3 - "$tmp/out" <<'PY' && ok || ko "show-profile --json is not the expected JSON"
import json, sys
j = json.load(open(sys.argv[1]))
assert j["schemaVersion"] == 1, j
assert j["name"] == "web", j
assert j["SELinux"]["Mode"] == "enforcing", j
assert j["Packages"]["Forbid"] == ["telnet", "strace"], j
assert j["Usr"]["Verity"] is None, j
assert j["sources"][0] == "/etc/hardenctl/profiles/base.profile", j
PY
expect 0 "$hc" --root="$r" show-profile web --json
python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); assert j["name"]=="web", j' "$tmp/out" && ok || ko "show-profile with a bare --json"
grep -q '^  "name": "web",$' "$tmp/out" && ok || ko "a bare --json is pretty"
expect 0 "$hc" --root="$r" list-profiles --json=pretty
python3 -c 'import json,sys; l=json.load(open(sys.argv[1])); assert [e["name"] for e in l]==["alias","base","web"], l' "$tmp/out" && ok || ko "list-profiles --json"

# --- invalid and missing profiles: exit 3, file:line: Section.Key: message
cat >"$r/etc/hardenctl/profiles/broken.profile" <<'P'
[Usr]
Verity=requird
P
expect 3 "$hc" --root="$r" validate broken
contains "$tmp/err" "/etc/hardenctl/profiles/broken.profile:2: Usr.Verity: invalid value 'requird', expected one of: off, optional, required"
expect 3 "$hc" --root="$r" validate nosuch
contains "$tmp/err" "no profile 'nosuch' in the search path"
# validate without arguments checks every profile, and fails if one is bad.
expect 3 "$hc" --root="$r" validate
contains "$tmp/out" "web: valid"
# The boot path's view: Verity= says how strict to be, so even lenient mode refuses a bad value.
expect 3 "$hc" --root="$r" --lenient validate broken
cat >"$r/etc/hardenctl/profiles/sloppy.profile" <<'P'
[Packages]
Forbid=telnet Bad_Name
[Kernel]
Sysctl=kernel.kptr_restrict=2
P
expect 0 "$hc" --root="$r" --lenient validate sloppy
contains "$tmp/err" "sloppy.profile:2: Packages.Forbid: 'Bad_Name' is not a valid package name, ignoring"
expect 3 "$hc" --root="$r" validate sloppy

# --- boot-files: exactly what the initrd needs for the boot profile, resolved inside the root
b="$tmp/boot"
mkdir -p "$b/usr/lib/hardenctl/profiles/baseline.profile.d" "$b/usr/lib/hardenctl/active.profile.d" "$b/etc/hardenctl/profiles"
cp "$src"/profiles/baseline.profile "$src"/profiles/immutable-host.profile "$b/usr/lib/hardenctl/profiles/"
printf '[Kernel]\nSysctl=kernel.dmesg_restrict=1\n' >"$b/usr/lib/hardenctl/profiles/baseline.profile.d/10-site.conf"
printf '[Usr]\nSignature=required\nSignatureFile=/usr/lib/hardenctl/usr.p7s\nRootHash=/usr/lib/hardenctl/usr.roothash\n' \
        >"$b/usr/lib/hardenctl/active.profile.d/50-signed.conf"
ln -s profiles/immutable-host.profile "$b/usr/lib/hardenctl/active.profile"
# Not the boot profile's: in /etc, and an unrelated profile.
printf '[Profile]\n' >"$b/etc/hardenctl/profiles/immutable-host.profile"
cp "$src"/profiles/baseline.profile "$b/usr/lib/hardenctl/profiles/unrelated.profile"
expect 3 "$hc" --root="$b" boot-files
contains "$tmp/err" "The boot profile names /usr/lib/hardenctl/usr.roothash below $b, which cannot be opened"
echo 0123 >"$b/usr/lib/hardenctl/usr.roothash"
: >"$b/usr/lib/hardenctl/usr.p7s"
expect 0 "$hc" --root="$b" boot-files
printf '%s\n' /usr/lib/hardenctl/profiles/baseline.profile /usr/lib/hardenctl/active.profile \
        /usr/lib/hardenctl/active.profile.d/50-signed.conf /usr/lib/hardenctl/profiles/baseline.profile.d/10-site.conf \
        /usr/lib/hardenctl/usr.roothash /usr/lib/hardenctl/usr.p7s | sort >"$tmp/want"
if diff -u "$tmp/want" <(sort "$tmp/out") >"$tmp/diff"; then ok; else ko "boot-files lists other files:"; cat "$tmp/diff" >&2; fi
# An absolute symlink is resolved inside the root, never on the host.
ln -sfn /usr/lib/hardenctl/profiles/immutable-host.profile "$b/usr/lib/hardenctl/active.profile"
expect 0 "$hc" --root="$b" boot-files
contains "$tmp/out" "/usr/lib/hardenctl/profiles/baseline.profile"
rm "$b/usr/lib/hardenctl/active.profile"
expect 3 "$hc" --root="$b" boot-files
contains "$tmp/err" "There is no boot profile below the root /usr/lib/hardenctl/active.profile"
printf '[Usr]\nVerity=requird\n' >"$b/usr/lib/hardenctl/active.profile"
expect 3 "$hc" --root="$b" boot-files
contains "$tmp/err" "active.profile:2: Usr.Verity: invalid value 'requird'"

# --- options per command: an option the command does not take is a usage error (exit 1), refused before
# anything is read or changed, and the message names the option, the command and the commands that take it.
foreign() { # MESSAGE ARGS…
        local want=$1
        shift
        expect 1 "$hc" "$@"
        contains "$tmp/err" "$want"
        [ -s "$tmp/out" ] && ko "'$*' printed: $(head -c 200 "$tmp/out")" || ok
}
foreign "--dry-run is not an option of list-profiles, only of apply." --dry-run --format=xccdf list-profiles
foreign "--json is not an option of validate, only of list-profiles, show-profile, status, check, verity, attest and verify-attestation." --root="$r" --json validate
foreign "--lenient is not an option of cat-profile, only of validate, show-profile, boot-files, apply, status, check, report, verity, exec-policy and attest." --root="$r" cat-profile web --lenient
foreign "--json is not an option of report" --root="$r" report web --json=short
foreign "--format= is not an option of check, only of report, verity and exec-policy." --root="$r" check web --format=html
foreign "--output= is not an option of check, only of report, verity and exec-policy." --root="$r" check web --output="$tmp/report"
foreign "--journal is not an option of apply, only of check and report." --root="$r" apply web --journal
foreign "--dry-run is not an option of status, only of apply." --root="$r" status --dry-run
foreign "--runtime is not an option of show-profile, only of apply and status." show-profile web --runtime
foreign "--hash-offset= is not an option of boot-files, only of verity." --root="$b" boot-files --hash-offset=4096
foreign "--root= is not an option of verity format, only of sign." --root=/ verity format "$tmp/data" "$tmp/hash"
foreign "--runtime is not an option of verity" verity verify --runtime "$tmp/data" "$tmp/hash" 00
if [ -e "$tmp/report" ] || [ -e "$tmp/hash" ]; then ko "a refused command wrote a file"; else ok; fi
# Unknown commands and argument counts are judged first and second, as before.
expect 1 "$hc" --dry-run frobnicate
contains "$tmp/err" "Unknown command 'frobnicate'"
expect 1 "$hc" --json show-profile
contains "$tmp/err" "show-profile: too few arguments (expected NAME|PATH)."
# -q, --help and --version go with any command.
expect 0 "$hc" -q --root="$r" cat-profile web
expect 0 "$hc" --dry-run --help
expect 0 "$hc" --root="$r" --lenient -q show-profile web --json=short
# The subcommands of verity are checked as the commands are.
expect 1 "$hc" verity format "$tmp/data"
contains "$tmp/err" "verity format: too few arguments (expected DATA HASH)."
expect 1 "$hc" verity fromat "$tmp/data" "$tmp/hash"
contains "$tmp/err" "Unknown verity command 'fromat'. See 'hardenctl --help'."
# --help lists each command's options from the table, and hardenctl(8) says the same.
"$hc" --help | sed -n '/^The options each command takes/,/^$/p' | sed '1d;/^$/d' >"$tmp/help-options"
[ "$(wc -l <"$tmp/help-options")" -eq 13 ] && ok || ko "--help lists the options of $(wc -l <"$tmp/help-options") commands"
contains "$tmp/help-options" "  apply              --root= --lenient --dry-run --runtime"
sed -n '/^# OPTIONS$/,/^\*-h\*/p' "$src/man/hardenctl.8.scd" | sed -n '/^```$/,/^```$/p' | sed '/^```$/d' >"$tmp/man-options"
if diff -u "$tmp/help-options" "$tmp/man-options" >"$tmp/diff"; then ok; else ko "hardenctl(8) and --help list other options per command:"; cat "$tmp/diff" >&2; fi

# $HARDENCTL_CHECK_TIME: seconds since the epoch, or the check refuses to run.
for t in yesterday 0 -5 99999999999999999999; do
        HARDENCTL_CHECK_TIME=$t expect 1 "$hc" --root="$r" check web
        contains "$tmp/err" "Invalid \$HARDENCTL_CHECK_TIME '$t': expected seconds since the epoch."
done
HARDENCTL_CHECK_TIME=1700000000 expect 2 "$hc" --root="$r" check web --json=short
python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); assert j["time"].startswith("2023-11-14T22:13:20"), j["time"]' "$tmp/out" && ok || ko "HARDENCTL_CHECK_TIME is not the report's time"

# A failed write to stdout is an error, not silent truncation.
if [ -w /dev/full ]; then
        "$hc" --root="$r" show-profile web >/dev/full 2>"$tmp/err"; rc=$?
        if [ $rc -eq 1 ]; then ok; else ko "writing to /dev/full exited $rc"; fi
fi

finish
