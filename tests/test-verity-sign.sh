#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# hardenctl verity sign against a real consumer: openssl verifies both forms of the signature with the
# signer's certificate, and refuses them with another; and hardenctl-verity attach refuses signatures
# that cannot be used (another root hash, malformed, a FIFO) before anything reaches the kernel. The
# keys are made here, with openssl.
# Usage: test-verity-sign.sh HARDENCTL HARDENCTL_VERITY
set -uo pipefail

hc=$1
helper=$2
unset HARDENCTL_LOG_LEVEL
export HARDENCTL_LOG_TARGET=console

. "$(dirname "$0")/test-lib.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

command -v openssl >/dev/null || { echo "SKIP: openssl is missing"; exit 77; }

hash=85f0d6c603c3aec6c78d4aad0e42fdbc9d227900cc5764d24a276b615e5a9ac2
other=00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff
for n in signer other; do
        openssl req -x509 -newkey rsa:2048 -nodes -keyout "$tmp/$n.key" -out "$tmp/$n.crt" -days 1 \
                -subj "/CN=hardenctl test $n" -addext keyUsage=digitalSignature \
                -addext extendedKeyUsage=codeSigning 2>/dev/null || { ko "openssl req failed"; exit 1; }
done
printf %s "$hash" >"$tmp/content"

# Both forms; the partition is JSON padded to 4096 bytes, and its signature is the bare one's kind.
expect 0 "$hc" verity sign "$hash" --private-key="$tmp/signer.key" --certificate="$tmp/signer.crt" --output="$tmp/sig.img"
contains "$tmp/err" "Wrote the usr-verity signature partition"
expect 0 "$hc" -q verity sign "$hash" --private-key="$tmp/signer.key" --certificate="$tmp/signer.crt" --format=pkcs7 \
        --output="$tmp/sig.p7s"
[ "$(stat -c %s "$tmp/sig.img")" -eq 4096 ] && ok || ko "the signature partition is not 4096 bytes"
python3 - "$tmp/sig.img" "$tmp/from-partition.der" "$hash" "$(openssl x509 -in "$tmp/signer.crt" -outform DER | sha256sum | cut -c1-64)" <<'PY' && ok || ko "the signature partition's JSON is not as specified"
import base64, json, sys
raw = open(sys.argv[1], "rb").read()
text = raw.rstrip(b"\0")
assert set(raw[len(text):]) <= {0}
j = json.loads(text)
assert j["rootHash"] == sys.argv[3], j
assert j["certificateFingerprint"] == sys.argv[4], j
open(sys.argv[2], "wb").write(base64.b64decode(j["signature"]))
PY
for sig in sig.p7s from-partition.der; do
        if openssl smime -verify -binary -inform DER -in "$tmp/$sig" -content "$tmp/content" \
                -certfile "$tmp/signer.crt" -CAfile "$tmp/signer.crt" -purpose any -out /dev/null 2>"$tmp/err"; then
                ok
        else
                ko "openssl does not verify $sig"; cat "$tmp/err" >&2
        fi
        if openssl smime -verify -binary -inform DER -in "$tmp/$sig" -content "$tmp/content" \
                -certfile "$tmp/other.crt" -CAfile "$tmp/other.crt" -purpose any -out /dev/null 2>/dev/null; then
                ko "openssl verifies $sig with another certificate"
        else
                ok
        fi
done
# The signature carries its signer's certificate, as systemd-repart's do: that names the signer.
openssl pkcs7 -inform DER -in "$tmp/sig.p7s" -print_certs 2>/dev/null | grep -q "subject=CN *= *hardenctl test signer" &&
        ok || ko "the signature does not carry the signer's certificate"
# Standard output takes it too, when it is not a terminal.
expect 0 "$hc" verity sign "$hash" --private-key="$tmp/signer.key" --certificate="$tmp/signer.crt" --format=pkcs7
cmp -s <(openssl asn1parse -inform DER -in "$tmp/out" | wc -l) <(openssl asn1parse -inform DER -in "$tmp/sig.p7s" | wc -l) &&
        ok || ko "the signature on standard output is not DER like the one in the file"

# What is refused, and how.
expect 1 "$hc" verity sign "$hash" --private-key="$tmp/signer.key"
contains "$tmp/err" "verity sign needs --private-key= and --certificate=."
expect 1 "$hc" verity sign "$hash" --private-key="$tmp/signer.key" --certificate="$tmp/signer.crt" --format=xccdf
contains "$tmp/err" "Invalid --format= 'xccdf' for verity sign: expected dps or pkcs7."
expect 1 "$hc" verity sign "$hash" --private-key="$tmp/signer.key" --certificate="$tmp/other.crt" --output="$tmp/x"
contains "$tmp/err" "does not belong to the certificate"
[ ! -e "$tmp/x" ] && ok || ko "a failed signing left $tmp/x"
expect 1 "$hc" verity sign nothex --private-key="$tmp/signer.key" --certificate="$tmp/signer.crt" --output="$tmp/x"
contains "$tmp/err" "'nothex' is not a root hash"
expect 1 "$hc" verity format "$tmp/content" "$tmp/hash" --private-key="$tmp/signer.key"
contains "$tmp/err" "--private-key= is not an option of verity format, only of sign."
expect 1 "$hc" verity verify "$tmp/content" "$tmp/hash" "$hash" --json
contains "$tmp/err" "--json is not an option of verity verify, only of format."
expect 1 "$hc" report --format=pkcs7
contains "$tmp/err" "Invalid --format= 'pkcs7': expected json, html, xccdf, arf, junit or prometheus."

# hardenctl-verity: a signature that cannot be used stops attach with one line, before the kernel.
expect 1 "$helper" attach usr /nonexistent/data /nonexistent/hash "$other" --signature="$tmp/sig.img"
contains "$tmp/err" "the signature in $tmp/sig.img is for the root hash $hash, not $other."
head -c 100 "$tmp/sig.p7s" >"$tmp/cut.p7s"
expect 1 "$helper" attach usr /nonexistent/data /nonexistent/hash "$hash" --signature="$tmp/cut.p7s"
contains "$tmp/err" "is unusable: the signature is not a PKCS#7 signature (DER)."
# A signature partition that names another signer than the certificate its signature carries: the
# claim (certificateFingerprint is not signed) is refused, naming both.
signer_fp=$(openssl x509 -in "$tmp/signer.crt" -outform DER | sha256sum | cut -c1-64)
other_fp=$(openssl x509 -in "$tmp/other.crt" -outform DER | sha256sum | cut -c1-64)
python3 - "$tmp/sig.img" "$tmp/claim.img" "$other_fp" <<'PY' || ko "could not write the partition with a false claim"
import json, sys
j = json.loads(open(sys.argv[1], "rb").read().rstrip(b"\0"))
j["certificateFingerprint"] = sys.argv[3]
text = json.dumps(j).encode()
open(sys.argv[2], "wb").write(text + b"\0" * (4096 - len(text)))
PY
expect 1 "$helper" attach usr /nonexistent/data /nonexistent/hash "$hash" --signature="$tmp/claim.img"
contains "$tmp/err" "the signature in $tmp/claim.img names certificate sha256:$other_fp, but was made by sha256:$signer_fp, refusing to boot."
# A signature without its certificate: the kernel may still accept it; the record will not name a signer.
openssl smime -sign -binary -noattr -nocerts -outform DER -in "$tmp/content" -signer "$tmp/signer.crt" \
        -inkey "$tmp/signer.key" -out "$tmp/nocerts.p7s" 2>/dev/null || ko "openssl smime -nocerts failed"
expect 1 "$helper" attach usr /nonexistent/data /nonexistent/hash "$hash" --signature="$tmp/nocerts.p7s"
contains "$tmp/err" "does not carry its signer's certificate: the posture record will not name the signer."
mkfifo "$tmp/fifo"
expect 1 timeout 30 "$helper" attach usr /nonexistent/data /nonexistent/hash "$hash" --signature="$tmp/fifo"
contains "$tmp/err" "not a file or a block device"

# Without libcryptsetup (its file hidden in a private mount namespace): the verity verbs name it, and
# what does not set anything up works: another verb, and the fail-closed helper's line.
lib=$(ldconfig -p | awk '/libcryptsetup\.so\.12 /{ print $NF; exit }')
if [ "$(id -u)" -eq 0 ] && [ -n "$lib" ]; then
        without() { unshare -m sh -c 'mount --make-rprivate / && mount --bind /dev/null "$0" && shift && exec "$@"' "$lib" x "$@"; }
        head -c 8192 /dev/zero >"$tmp/data.img"
        expect 1 without "$hc" verity format "$tmp/data.img" "$tmp/hash.img"
        contains "$tmp/err" "libcryptsetup.so.12 (libcryptsetup) is not installed"
        expect 1 without "$helper" attach usr "$tmp/data.img" "$tmp/hash.img" "$hash"
        contains "$tmp/err" "libcryptsetup.so.12 (libcryptsetup) is not installed"
        expect 0 without "$hc" verity sign "$hash" --private-key="$tmp/signer.key" --certificate="$tmp/signer.crt" \
                --output="$tmp/sig2.img"
        expect 1 without "$helper" fail "the profile says no"
        contains "$tmp/err" "the profile says no"
else
        echo "not root, or no libcryptsetup.so.12: the run without libcryptsetup is skipped"
fi

finish
