#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# The execution policy without a VM: hardenctl exec-policy against a real consumer (openssl recovers
# exactly the policy text from the signed policy, verifies it with the signer's certificate and not with
# another), and hardenctl-ipe load against a fake securityfs tree (in a build with test hooks), where
# HARDENCTL_TEST_IPE_ERRNO plays a kernel that rejects the policy. The keys are made here.
# Usage: test-ipe.sh HARDENCTL HARDENCTL_IPE TEST_HOOKS(true|false)
set -uo pipefail

hc=$1
helper=$2
hooks=$3
unset HARDENCTL_LOG_LEVEL
export HARDENCTL_LOG_TARGET=console

. "$(dirname "$0")/test-lib.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

command -v openssl >/dev/null || { echo "SKIP: openssl is missing"; exit 77; }

for n in signer other; do
        openssl req -x509 -newkey rsa:2048 -nodes -keyout "$tmp/$n.key" -out "$tmp/$n.crt" -days 1 \
                -subj "/CN=hardenctl test $n" -addext keyUsage=digitalSignature \
                -addext extendedKeyUsage=codeSigning 2>/dev/null || { ko "openssl req failed"; exit 1; }
done
sign=(--private-key="$tmp/signer.key" --certificate="$tmp/signer.crt")
usr=85F0D6C603C3AEC6C78D4AAD0E42FDBC9D227900CC5764D24A276B615E5A9AC2
extra=sha256:00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff
fsv=sha256:ffeeddccbbaa99887766554433221100ffeeddccbbaa99887766554433221100

mkdir -p "$tmp/p"
cat >"$tmp/p/signed.profile" <<EOT
[Usr]
Verity=required
Signature=required
[Exec]
Mode=enforce
AllowVerityRootHash=sha256:$(tr a-f A-F <<<"${extra#sha256:}")
AllowFsVerityDigest=$fsv
EOT
printf '[Exec]\nMode=audit\n' >"$tmp/p/unsigned.profile"
printf '[Exec]\nMode=off\n' >"$tmp/p/off.profile"

# ---- the compiler: deterministic text, in this order ----
expect 0 "$hc" exec-policy "$tmp/p/signed.profile" --policy-version=1.0.7 --format=text
cp "$tmp/out" "$tmp/signed.txt"
cat >"$tmp/expected" <<EOT
policy_name=hardenctl policy_version=1.0.7
DEFAULT action=ALLOW
DEFAULT op=EXECUTE action=DENY
op=EXECUTE boot_verified=TRUE action=ALLOW
op=EXECUTE dmverity_signature=TRUE action=ALLOW
op=EXECUTE dmverity_roothash=$extra action=ALLOW
op=EXECUTE fsverity_digest=$fsv action=ALLOW
EOT
cmp -s "$tmp/expected" "$tmp/signed.txt" && ok || { ko "the policy text differs:"; diff -u "$tmp/expected" "$tmp/signed.txt" >&2; }
expect 0 "$hc" exec-policy "$tmp/p/signed.profile" --policy-version=1.0.7 --format=text
cmp -s "$tmp/out" "$tmp/signed.txt" && ok || ko "the same profile and version gave another text"

# A pinned /usr: by its root hash (lowercase), and no longer by any signature.
expect 0 "$hc" exec-policy "$tmp/p/unsigned.profile" --policy-version=2.0.0 --usr-root-hash=$usr --format=text
contains "$tmp/out" "op=EXECUTE dmverity_roothash=sha256:${usr,,} action=ALLOW"
lacks "$tmp/out" "dmverity_signature"

# ---- signed: openssl recovers exactly the text, and verifies the signer only ----
expect 0 "$hc" exec-policy "$tmp/p/signed.profile" --policy-version=1.0.7 "${sign[@]}" --output="$tmp/policy.p7s"
contains "$tmp/err" "Wrote the signed IPE policy hardenctl 1.0.7 of profile 'signed'"
if openssl smime -verify -binary -inform der -noverify -in "$tmp/policy.p7s" -out "$tmp/recovered" 2>"$tmp/err"; then
        cmp -s "$tmp/recovered" "$tmp/signed.txt" && ok || ko "openssl recovers another text than the policy's"
else
        ko "openssl cannot read the signed policy"; cat "$tmp/err" >&2
fi
openssl smime -verify -binary -inform der -in "$tmp/policy.p7s" -CAfile "$tmp/signer.crt" -purpose any \
        -out /dev/null 2>/dev/null && ok || ko "openssl does not verify the policy with the signer's certificate"
openssl smime -verify -binary -inform der -in "$tmp/policy.p7s" -CAfile "$tmp/other.crt" -purpose any \
        -out /dev/null 2>/dev/null && ko "openssl verifies the policy with another certificate" || ok
openssl cms -cmsout -print -inform der -in "$tmp/policy.p7s" >"$tmp/cms" 2>&1
grep -A1 'signedAttrs:' "$tmp/cms" | grep -q '<ABSENT>' && ok || ko "the signature has signed attributes"
lacks "$tmp/cms" "SMIMECapabilities"
contains "$tmp/cms" "eContentType: pkcs7-data"

# ---- what is refused, and how; nothing is written ----
expect 1 "$hc" exec-policy "$tmp/p/signed.profile" "${sign[@]}" --output="$tmp/x"
contains "$tmp/err" "exec-policy needs --policy-version=X.Y.Z."
for v in 1.2 1.2.65536 01.2.3 1.2.3.4 a.b.c; do
        expect 1 "$hc" exec-policy "$tmp/p/signed.profile" --policy-version=$v "${sign[@]}" --output="$tmp/x"
        contains "$tmp/err" "'$v' is not a policy version: expected X.Y.Z, each at most 65535"
done
expect 1 "$hc" exec-policy "$tmp/p/signed.profile" --policy-version=1.0.0 --output="$tmp/x"
contains "$tmp/err" "exec-policy needs --private-key= and --certificate= (or --format=text)."
expect 1 "$hc" exec-policy "$tmp/p/signed.profile" --policy-version=1.0.0 --format=dps "${sign[@]}"
contains "$tmp/err" "Invalid --format= 'dps' for exec-policy: expected pkcs7 or text."
expect 1 "$hc" exec-policy "$tmp/p/signed.profile" --policy-version=1.0.0 --private-key="$tmp/signer.key" \
        --certificate="$tmp/other.crt" --output="$tmp/x"
contains "$tmp/err" "does not belong to the certificate"
expect 1 "$hc" exec-policy "$tmp/p/off.profile" --policy-version=1.0.0 --format=text
contains "$tmp/err" "The profile 'off' does not restrict execution ([Exec] Mode=off): there is no policy to make."
expect 1 "$hc" exec-policy "$tmp/p/unsigned.profile" --policy-version=1.0.0 --format=text
contains "$tmp/err" "/usr would not be allowed to execute: give its root hash, or require a signed /usr in the profile"
expect 1 "$hc" exec-policy "$tmp/p/unsigned.profile" --policy-version=1.0.0 --usr-root-hash=abcd --format=text
contains "$tmp/err" "'abcd' is not a /usr root hash: expected 64 hexadecimal digits (SHA-256)"
expect 1 "$hc" verity sign "$usr" --policy-version=1.0.0 "${sign[@]}"
contains "$tmp/err" "--policy-version= is not an option of verity"
[ ! -e "$tmp/x" ] && ok || ko "a refused exec-policy wrote $tmp/x"

# ---- the loader, against a fake securityfs ----
if [ "$hooks" != true ]; then
        echo "SKIP: hardenctl-ipe load needs a build with -Dtest-hooks=true"
        finish
        exit
fi

root=$tmp/root
sfs=$tmp/sfs
export HARDENCTL_ROOT=$root HARDENCTL_TEST_SECURITYFS=$sfs HARDENCTL_TEST_SYSFS=$tmp/sys SYSTEMD_PROC_CMDLINE=
mkdir -p "$root/usr/lib/hardenctl/profiles" "$root/sysroot/usr/lib/hardenctl"
# /sysroot/usr's device, as sysfs describes it: a dm-verity volume (usr_is verity), or not (usr_is plain).
usr_dm=$tmp/sys/dev/block/$(stat -c '%Hd:%Ld' "$root/sysroot/usr")/dm
usr_is() {
        rm -rf "$usr_dm"
        [ "$1" = plain ] && return
        mkdir -p "$usr_dm"
        echo "CRYPT-$1-0123456789abcdef-usr" >"$usr_dm/uuid"
}
usr_is VERITY
ln -s profiles/boot.profile "$root/usr/lib/hardenctl/active.profile"

# A fresh kernel with IPE: the files it has, and the directory a loaded policy gets.
fake_kernel() {
        rm -rf "$sfs"
        mkdir -p "$sfs/ipe/policies/hardenctl"
        : >"$sfs/ipe/new_policy"
        printf 1 >"$sfs/ipe/enforce"
        : >"$sfs/ipe/policies/hardenctl/active"
        : >"$sfs/ipe/policies/hardenctl/update"
}
profile() { printf '[Usr]\nVerity=required\nSignature=required\n[Exec]\nMode=%s\n' "$1" >"$root/usr/lib/hardenctl/profiles/boot.profile"; }

# On /usr (as the initrd sees it, below /sysroot): enforce.
profile enforce
cp "$tmp/policy.p7s" "$root/sysroot/usr/lib/hardenctl/exec-policy.p7s"
fake_kernel
expect 0 "$helper" load
contains "$tmp/err" "Execution policy hardenctl 1.0.7 from /sysroot/usr/lib/hardenctl/exec-policy.p7s active, enforcing."
cmp -s "$sfs/ipe/new_policy" "$tmp/policy.p7s" && ok || ko "new_policy did not get the signed policy"
[ "$(cat "$sfs/ipe/policies/hardenctl/active")" = 1 ] && ok || ko "the policy was not activated"
[ "$(cat "$sfs/ipe/enforce")" = 1 ] && ok || ko "enforcement is not on"

# The initrd's own copy comes first; audit turns enforcement off.
"$hc" exec-policy "$tmp/p/unsigned.profile" --policy-version=1.1.0 --usr-root-hash=$usr "${sign[@]}" \
        --output="$root/usr/lib/hardenctl/exec-policy.p7s" 2>/dev/null
profile audit
fake_kernel
expect 0 "$helper" load
contains "$tmp/err" "Execution policy hardenctl 1.1.0 from /usr/lib/hardenctl/exec-policy.p7s active, audit only (enforce=0)."
cmp -s "$sfs/ipe/new_policy" "$root/usr/lib/hardenctl/exec-policy.p7s" && ok || ko "the initrd's policy was not loaded"
[ "$(cat "$sfs/ipe/enforce")" = 0 ] && ok || ko "audit left enforcement on"
rm "$root/usr/lib/hardenctl/exec-policy.p7s"

# A policy of that name loaded already: replaced through its update file.
profile enforce
fake_kernel
HARDENCTL_TEST_IPE_ERRNO=17 expect 0 "$helper" load
cmp -s "$sfs/ipe/policies/hardenctl/update" "$tmp/policy.p7s" && ok || ko "the loaded policy was not updated"

# No IPE in the kernel: enforce stops the boot, audit warns.
rm -rf "$sfs"
mkdir -p "$sfs"
expect 1 "$helper" load
contains "$tmp/err" "Execution policy: Mode=enforce, but the kernel has no IPE (no $sfs/ipe), refusing to boot."
[ "$(wc -l <"$tmp/err")" -eq 1 ] && ok || ko "more than one line for a kernel without IPE"
profile audit
expect 0 "$helper" load
contains "$tmp/err" "Mode=audit, but the kernel has no IPE (no $sfs/ipe); Mode=audit, booting without it."

# The kernel rejects the policy: each cause said, enforce fails, audit goes on.
profile enforce
for c in "74 EBADMSG not signed" "126 ENOKEY a key the kernel does not trust" "22 EINVAL does not accept its text"; do
        read -r n name words <<<"$c"
        fake_kernel
        HARDENCTL_TEST_IPE_ERRNO=$n expect 1 "$helper" load
        contains "$tmp/err" "the kernel rejected policy hardenctl 1.0.7 from /sysroot/usr/lib/hardenctl/exec-policy.p7s:"
        contains "$tmp/err" "($name)"
        contains "$tmp/err" "$words"
        [ "$(cat "$sfs/ipe/policies/hardenctl/active")" = "" ] && ok || ko "a rejected policy was activated"
done
profile audit
fake_kernel
HARDENCTL_TEST_IPE_ERRNO=126 expect 0 "$helper" load
contains "$tmp/err" "booting without it."

# No policy, or not a signed one.
profile enforce
fake_kernel
mv "$root/sysroot/usr/lib/hardenctl/exec-policy.p7s" "$tmp/moved.p7s"
expect 1 "$helper" load
contains "$tmp/err" "Mode=enforce, but there is no signed policy (/usr/lib/hardenctl/exec-policy.p7s or /sysroot/usr/lib/hardenctl/exec-policy.p7s)"
cp "$tmp/signed.txt" "$root/sysroot/usr/lib/hardenctl/exec-policy.p7s"
expect 1 "$helper" load
contains "$tmp/err" "/sysroot/usr/lib/hardenctl/exec-policy.p7s is not a signed IPE policy"
[ ! -s "$sfs/ipe/new_policy" ] && ok || ko "an unsigned text was written to the kernel"
mv "$tmp/moved.p7s" "$root/sysroot/usr/lib/hardenctl/exec-policy.p7s"

# Enforced on a /usr that is not verified, everything on it would be refused: the boot stops with one
# line, or with Verity=optional (which boots an unverified /usr by choice), the policy is only audited.
for dev in plain CRYPT; do
        usr_is $dev
        fake_kernel
        expect 1 "$helper" load
        contains "$tmp/err" "Execution policy: Mode=enforce, but /sysroot/usr is not a verified dm-verity volume, and every program on it would be refused, refusing to boot."
        [ "$(wc -l <"$tmp/err")" -eq 1 ] && ok || ko "more than one line for an unverified /usr"
        [ ! -s "$sfs/ipe/new_policy" ] && ok || ko "a policy was loaded for an unverified /usr"
done
printf '[Usr]\nVerity=optional\n[Exec]\nMode=enforce\n' >"$root/usr/lib/hardenctl/profiles/boot.profile"
fake_kernel
expect 0 "$helper" load
contains "$tmp/err" "WARNING: Execution policy: /usr is not verified (Verity=optional), and enforcing the policy would refuse every program on it: loading it audit only (enforce=0)."
contains "$tmp/err" "active, audit only (enforce=0)."
[ "$(cat "$sfs/ipe/enforce")" = 0 ] && ok || ko "enforcement is on for an unverified /usr"
profile enforce
printf '[Profile]\nAllowKillSwitch=no\n' >>"$root/usr/lib/hardenctl/profiles/boot.profile"
SYSTEMD_PROC_CMDLINE="rd.hardenctl.usr=0" expect 1 "$helper" load
contains "$tmp/err" "not a verified dm-verity volume"
profile enforce
fake_kernel
SYSTEMD_PROC_CMDLINE="rd.hardenctl.usr=0" expect 0 "$helper" load
contains "$tmp/err" "WARNING: Execution policy: /usr is not verified (switched off on the kernel command line)"
[ "$(cat "$sfs/ipe/enforce")" = 0 ] && ok || ko "enforcement is on for an unverified /usr"
usr_is VERITY
fake_kernel
expect 0 "$helper" load
contains "$tmp/err" "active, enforcing."
profile enforce

# Off, or switched off on the command line: nothing is touched.
fake_kernel
SYSTEMD_PROC_CMDLINE="rd.hardenctl.exec=0" expect 0 "$helper" load
[ ! -s "$sfs/ipe/new_policy" ] && ok || ko "the kill switch did not keep the policy out"
profile off
expect 0 "$helper" load
[ ! -s "$sfs/ipe/new_policy" ] && ok || ko "Mode=off loaded a policy"
expect 1 "$helper" unload
contains "$tmp/err" "Unknown command 'unload'"

finish
