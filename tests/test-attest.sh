#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Measurement and attestation end to end, against a swtpm this test starts and stops by its PID:
# hardenctl-measure records a posture and extends PCR 8 with it, hardenctl attest quotes it, and the quote is
# verified by hardenctl verify-attestation against golden values from hardenctl attest golden, and by
# tpm2_checkquote (tpm2-tools) as an independent verifier. An old nonce, another profile and another IPE
# policy are rejected, each named. The posture measured is the test's, through a test hook
# (HARDENCTL_TEST_POSTURE); the live one is read below a root at the end. Skipped (77) only without
# swtpm.
#
#   test-attest.sh HARDENCTL HARDENCTL-MEASURE SOURCE_ROOT

set -u
hardenctl=$1
measure=$2
src=$3

command -v swtpm >/dev/null || { echo "swtpm is missing: skipped."; exit 77; }

tmp=$(mktemp -d /tmp/hardenctl-attest.XXXXXX)
swtpm_pid=
cleanup() {
        [ -n "$swtpm_pid" ] && kill "$swtpm_pid" 2>/dev/null && wait "$swtpm_pid" 2>/dev/null
        rm -rf "$tmp"
}
trap cleanup EXIT

. "$(dirname "$0")/test-lib.sh"

export TSS2_LOG=all+NONE HARDENCTL_PROFILE_PATH="$src/profiles"

# The TPM's manufacture: an EK and its certificate, from a local CA of the test's own.
mkdir -p "$tmp/tpm" "$tmp/ca"
have_ek=0
rc=0
bash "$src/tests/tpm-manufacture.sh" "$tmp/tpm" "$tmp/ca" || rc=$?
case $rc in
0) have_ek=1 ;;
77) ;;
*) ko "swtpm_setup failed" ;;
esac

# A swtpm on a free TCP port (tpm2-tss 3.2's swtpm TCTI speaks TCP only).
for attempt in 1 2 3 4 5; do
        port=$((20000 + (RANDOM * 7 + attempt * 1013) % 30000))
        swtpm socket --tpm2 --tpmstate dir="$tmp/tpm" --server type=tcp,port=$port,bindaddr=127.0.0.1 \
                --ctrl type=tcp,port=$((port + 1)),bindaddr=127.0.0.1 --flags startup-clear,not-need-init \
                >"$tmp/swtpm.log" 2>&1 &
        swtpm_pid=$!
        for _ in $(seq 50); do
                kill -0 "$swtpm_pid" 2>/dev/null || break
                TPM2TOOLS_TCTI=swtpm:host=127.0.0.1,port=$port tpm2_pcrread sha256:8 >/dev/null 2>&1 && break 2
                sleep 0.1
        done
        kill "$swtpm_pid" 2>/dev/null; wait "$swtpm_pid" 2>/dev/null; swtpm_pid=
done
[ -n "$swtpm_pid" ] || { echo "FAIL: cannot start swtpm" >&2; cat "$tmp/swtpm.log" >&2; exit 1; }
export HARDENCTL_TPM2_TCTI=swtpm:host=127.0.0.1,port=$port TPM2TOOLS_TCTI=swtpm:host=127.0.0.1,port=$port

# The image: a signing certificate, a root hash, a (stand-in) signed IPE policy; golden values for it.
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$tmp/image.key" \
        -out "$tmp/image.crt" -subj "/O=Example/CN=Example image key" -days 1 2>/dev/null
root_hash=$(printf 'usr image' | sha256sum | cut -d' ' -f1)
printf 'policy_name=hardenctl policy_version=0.0.1\n' >"$tmp/ipe.p7"
printf 'policy_name=hardenctl policy_version=0.0.2\n' >"$tmp/ipe-other.p7"
expect 0 "$hardenctl" attest golden immutable-host --usr-root-hash="$root_hash" --certificate="$tmp/image.crt" \
        --ipe-policy="$tmp/ipe.p7"
cp "$tmp/out" "$tmp/golden.json"
contains "$tmp/golden.json" '"pcr": 8'
contains "$tmp/golden.json" "signer=$(openssl x509 -in "$tmp/image.crt" -outform DER | sha256sum | cut -d' ' -f1)"
expect 0 "$hardenctl" attest golden baseline --usr-root-hash="$root_hash" --certificate="$tmp/image.crt" \
        --ipe-policy="$tmp/ipe.p7"
cp "$tmp/out" "$tmp/golden-baseline.json"
expect 0 "$hardenctl" attest golden immutable-host --usr-root-hash="$root_hash" --certificate="$tmp/image.crt" \
        --ipe-policy="$tmp/ipe-other.p7"
cp "$tmp/out" "$tmp/golden-ipe.json"
expect 1 "$hardenctl" attest golden immutable-host --usr-root-hash=xyz
contains "$tmp/err" "Invalid --usr-root-hash="
expect 1 "$hardenctl" attest golden immutable-host
contains "$tmp/err" "requires a verity /usr: give its --usr-root-hash="
expect 1 "$hardenctl" attest golden immutable-host --certificate="$tmp/image.crt"
contains "$tmp/err" "give --usr-root-hash= too"

# The host: the posture record its boot wrote, as the golden values expect it.
event() { jq -r ".events[] | select(.name == \"$1\") | .string" "$tmp/golden.json"; }
profile_digest=$(event profile | sed 's/^hardenctl-profile://')
signer=$(event usr | sed 's/.*;signer=//')
# The signer golden names is the certificate's SHA-256 fingerprint, as openssl computes it (and as the
# usr-verity signature partition carries it): what hardenctl-verity records and the posture reports.
want_signer=$(openssl x509 -in "$tmp/image.crt" -outform DER | sha256sum | cut -d' ' -f1)
[ "$signer" = "$want_signer" ] && ok || ko "golden signer $signer is not the certificate's fingerprint $want_signer"
# ... and the certificateFingerprint of the signature partition verity sign writes for this /usr,
# which hardenctl-verity attach records at boot for the posture record.
expect 0 "$hardenctl" verity sign "$root_hash" --private-key="$tmp/image.key" --certificate="$tmp/image.crt" \
        --output="$tmp/usr-sig.img"
part_signer=$(tr -d '\000' <"$tmp/usr-sig.img" | jq -r .certificateFingerprint)
[ "$part_signer" = "$signer" ] && ok || ko "the signature partition's certificateFingerprint $part_signer is not golden's $signer"
# The image pipeline's one step: signing /usr writes its golden values too, for the boot profile of the
# image tree (--root=): the same as attest golden gives for that profile.
image="$tmp/image"
mkdir -p "$image/usr/lib/hardenctl"
printf '[Usr]\nVerity=required\nSignature=required\n\n[SELinux]\nMode=enforcing\n\n[Audit]\nImmutable=yes\n' \
        >"$image/usr/lib/hardenctl/active.profile"
expect 0 "$hardenctl" verity sign "$root_hash" --private-key="$tmp/image.key" --certificate="$tmp/image.crt" \
        --output="$tmp/usr-sig2.img" --root="$image" --ipe-policy="$tmp/ipe.p7" --golden="$tmp/golden-sign.json"
contains "$tmp/err" "Wrote the golden values of $root_hash to $tmp/golden-sign.json."
expect 0 "$hardenctl" attest golden --root="$image" --usr-root-hash="$root_hash" --certificate="$tmp/image.crt" \
        --ipe-policy="$tmp/ipe.p7"
cmp -s "$tmp/out" "$tmp/golden-sign.json" && ok || ko "verity sign --golden= differs from attest golden"
jq -e '.events | length == 5' "$tmp/golden-sign.json" >/dev/null && ok || ko "verity sign --golden= wrote no events"
cmp -s "$tmp/usr-sig.img" "$tmp/usr-sig2.img" && ko "two signatures of one root hash are the same bytes (ECDSA is randomized)" || ok
# A tree without a boot profile: nothing is written, the signature neither.
expect 1 "$hardenctl" verity sign "$root_hash" --private-key="$tmp/image.key" --certificate="$tmp/image.crt" \
        --output="$tmp/usr-sig3.img" --root="$tmp/nothing" --golden="$tmp/golden3.json"
[ ! -e "$tmp/usr-sig3.img" ] && [ ! -e "$tmp/golden3.json" ] && ok || ko "a failed verity sign --golden= wrote something"
expect 1 "$hardenctl" verity sign "$root_hash" --private-key="$tmp/image.key" --certificate="$tmp/image.crt" \
        --output="$tmp/usr-sig3.img" --ipe-policy="$tmp/ipe.p7"
contains "$tmp/err" "--ipe-policy= is for the golden values: give --golden= too."

ipe_digest=$(sha256sum "$tmp/ipe.p7" | cut -d' ' -f1)
cat >"$tmp/posture.json" <<EOT
{"usr":{"device":"usr","rootHash":"$root_hash","verified":true,"signed":true,"signer":"$signer","keyring":".platform"},
 "ipe":{"available":true,"policy":"hardenctl","version":"0.0.1","digest":"sha256:$ipe_digest","enforce":true},
 "selinux":"enforcing","lockdown":"integrity","secureBoot":false,"auditLocked":true,"profileDigest":"$profile_digest"}
EOT
log="$tmp/run/log/systemd/tpm2-measure.log"
record="$tmp/run/hardenctl/posture.json"
mkdir -p "$tmp/run/hardenctl"
# measure EXPECTED ARGS…: hardenctl-measure measure with the test's posture, recorded in $record.
measure() {
        local want=$1
        shift
        expect "$want" env HARDENCTL_TEST_POSTURE="$tmp/posture.json" "$measure" measure --posture="$record" "$@"
}

# A record that cannot be written: a failure, and nothing measured.
touch "$tmp/file"
expect 1 env HARDENCTL_TEST_POSTURE="$tmp/posture.json" "$measure" measure --posture="$tmp/file/posture.json" \
        --event-log="$log"
contains "$tmp/err" "Cannot write the posture record $tmp/file/posture.json: Not a directory"
[ ! -e "$log" ] && ok || ko "a log was written without a record"
# A test posture that is malformed: a failure too.
echo '{"selinux":"strict"}' >"$tmp/bad.json"
expect 1 env HARDENCTL_TEST_POSTURE="$tmp/bad.json" "$measure" measure --posture="$record" --event-log="$log"
contains "$tmp/err" "Invalid test posture"
[ ! -e "$log" ] && ok || ko "a log was written without a measurement"
# No TPM at all (only where the host has none: never touch a real one): the record all the same.
if [ ! -e /dev/tpmrm0 ]; then
        expect 0 env -u HARDENCTL_TPM2_TCTI HARDENCTL_TEST_POSTURE="$tmp/posture.json" "$measure" measure \
                --posture="$record" --event-log="$log"
        contains "$tmp/err" "No TPM"
        [ "$(jq -r .profileDigest "$record")" = "$profile_digest" ] && ok || ko "no record (or another) without a TPM"
        [ ! -e "$log" ] && ok || ko "a log was written without a TPM"
        expect 1 env -u HARDENCTL_TPM2_TCTI HARDENCTL_TEST_POSTURE="$tmp/posture.json" "$measure" measure --require-tpm \
                --posture="$record" --event-log="$log"
        expect 1 env -u HARDENCTL_TPM2_TCTI "$hardenctl" attest --nonce=00 --event-log="$log"
        contains "$tmp/err" "no TPM"
fi

# hardenctl check says whether this boot was measured (this host's own state, read only).
if [ ! -e /sys/class/tpm/tpm0 ]; then
        printf '[Attest]\nRequireTPM=yes\n' >"$tmp/required.profile"
        printf '[Attest]\nRequireTPM=no\n' >"$tmp/optional.profile"
        expect 2 "$hardenctl" check "$tmp/required.profile"
        contains "$tmp/out" "hardenctl-attest-measured: No TPM: nothing measured, but the profile requires a TPM measurement"
        expect 0 "$hardenctl" check "$tmp/optional.profile" --json=short
        contains "$tmp/out" '"result":"notapplicable"'
fi

# Measure, timed.
start=$(date +%s%N)
measure 0 --require-tpm --event-log="$log"
echo "measure: $(( ($(date +%s%N) - start) / 1000000 )) ms"
contains "$tmp/err" "Measured 5 events into PCR 8"
[ "$(stat -c %a "$log")" = 600 ] && ok || ko "the log is not 0600 (or still sticky)"

# Once a boot: a second run measures nothing.
measure 0 --require-tpm --event-log="$log"
contains "$tmp/err" "measured already in this boot"

# The PCR as tpm2-tools reads it is the golden value.
tpm2_pcrread sha256:8 -o "$tmp/pcr8.bin" >/dev/null
[ "$(od -An -tx1 -v "$tmp/pcr8.bin" | tr -d ' \n')" = "$(jq -r .pcrValue "$tmp/golden.json")" ] && ok ||
        ko "PCR 8 is not the golden value"

# Attest with the verifier's nonce, timed; verify.
nonce=$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')
start=$(date +%s%N)
expect 0 "$hardenctl" attest --nonce="$nonce" --event-log="$log" --posture="$record"
echo "attest: $(( ($(date +%s%N) - start) / 1000000 )) ms"
cp "$tmp/out" "$tmp/attestation.json"
# It carries the posture record the boot wrote, as the reports do.
[ "$(jq -c .posture "$tmp/attestation.json")" = "$(jq -c . "$record")" ] && ok || ko "the document does not carry the posture record"
start=$(date +%s%N)
expect 0 "$hardenctl" verify-attestation "$tmp/attestation.json" --nonce="$nonce" --golden="$tmp/golden.json"
echo "verify-attestation: $(( ($(date +%s%N) - start) / 1000000 )) ms"
contains "$tmp/out" "verified"
jq -r .akPublic.pem "$tmp/attestation.json" >"$tmp/ak.pem"
expect 0 "$hardenctl" verify-attestation "$tmp/attestation.json" --nonce="$nonce" --golden="$tmp/golden.json" \
        --ak="$tmp/ak.pem" --json=short
contains "$tmp/out" '{"verified":true,"problems":[],"quotedPcrs":[8]}'
# A posture record that is not what was measured (a report's claim the quote does not back): named.
jq '.posture.selinux = "permissive"' "$tmp/attestation.json" >"$tmp/attestation-record.json"
expect 2 "$hardenctl" verify-attestation "$tmp/attestation-record.json" --nonce="$nonce" --golden="$tmp/golden.json"
contains "$tmp/err" 'the posture record is not what was measured: selinux "hardenctl-selinux:permissive", measured "hardenctl-selinux:enforcing"'
jq '.posture.selinux = "strict"' "$tmp/attestation.json" >"$tmp/attestation-record.json"
expect 1 "$hardenctl" verify-attestation "$tmp/attestation-record.json" --nonce="$nonce" --golden="$tmp/golden.json"
contains "$tmp/err" "\"posture\" is not a posture record"
# A record named with --posture= that is not there: an error, and no document.
expect 1 "$hardenctl" attest --nonce="$nonce" --event-log="$log" --posture="$tmp/no-record.json"
contains "$tmp/err" "Cannot read the posture record $tmp/no-record.json: No such file or directory"
[ ! -s "$tmp/out" ] && ok || ko "a document without the posture record --posture= names"
# A document whose pcrs has a value the quote does not cover: named. The verifier can require PCRs.
jq '.pcrs."7" = .pcrs."8"' "$tmp/attestation.json" >"$tmp/attestation-uncovered.json"
expect 2 "$hardenctl" verify-attestation "$tmp/attestation-uncovered.json" --nonce="$nonce" --golden="$tmp/golden.json"
contains "$tmp/err" '"pcrs"."7" is not a PCR the quote is over: nothing vouches for its value'
expect 2 "$hardenctl" verify-attestation "$tmp/attestation.json" --nonce="$nonce" --golden="$tmp/golden.json" --pcrs=7
contains "$tmp/err" "the quote is not over PCR 7, which --pcrs= requires"

# tpm2_checkquote on the same quote: signature, nonce, and the PCR value the document carries.
jq -r .quote "$tmp/attestation.json" | base64 -d >"$tmp/quote.bin"
jq -r .signature "$tmp/attestation.json" | base64 -d >"$tmp/sig.bin"
printf "$(jq -r '.pcrs."8"' "$tmp/attestation.json" | sed 's/../\\x&/g')" >"$tmp/pcrs.bin"
expect 0 tpm2_checkquote -u "$tmp/ak.pem" -m "$tmp/quote.bin" -s "$tmp/sig.bin" -q "$nonce" -g sha256 \
        -f "$tmp/pcrs.bin" -l sha256:8
jq -r .akPublic.tpm2bPublic "$tmp/attestation.json" | base64 -d >"$tmp/ak.tpm2b"
expect 0 tpm2_checkquote -u "$tmp/ak.tpm2b" -m "$tmp/quote.bin" -s "$tmp/sig.bin" -q "$nonce" -g sha256

# The verifier's choice of PCRs besides PCR 8 (here the firmware's 0 and 7, as tpm2_pcrextend leaves
# them): the document carries their values, bound by the quote; tpm2_checkquote agrees on all three.
tpm2_pcrextend 7:sha256=0000000000000000000000000000000000000000000000000000000000000007
expect 0 "$hardenctl" attest --nonce="$nonce" --event-log="$log" --posture="$record" --pcrs=7,0
cp "$tmp/out" "$tmp/attestation-pcrs.json"
[ "$(jq -r '.pcrs | keys | join(" ")' "$tmp/attestation-pcrs.json")" = "0 7 8" ] && ok || ko "the document does not carry PCRs 0, 7 and 8"
expect 0 "$hardenctl" verify-attestation "$tmp/attestation-pcrs.json" --nonce="$nonce" --golden="$tmp/golden.json" --pcrs=0,7
contains "$tmp/out" "the posture record as measured; quoted too, values as in the document: PCR 0, 7."
printf "$(jq -r '.pcrs."0", .pcrs."7", .pcrs."8"' "$tmp/attestation-pcrs.json" | tr -d '\n' | sed 's/../\\x&/g')" >"$tmp/pcrs3.bin"
jq -r .quote "$tmp/attestation-pcrs.json" | base64 -d >"$tmp/quote3.bin"
jq -r .signature "$tmp/attestation-pcrs.json" | base64 -d >"$tmp/sig3.bin"
expect 0 tpm2_checkquote -u "$tmp/ak.pem" -m "$tmp/quote3.bin" -s "$tmp/sig3.bin" -q "$nonce" -g sha256 \
        -f "$tmp/pcrs3.bin" -l sha256:0,7,8
# PCR 7's value edited in the document: the quote's digest no longer matches.
jq '.pcrs."7" = .pcrs."0"' "$tmp/attestation-pcrs.json" >"$tmp/attestation-pcr7.json"
expect 2 "$hardenctl" verify-attestation "$tmp/attestation-pcr7.json" --nonce="$nonce" --golden="$tmp/golden.json"
contains "$tmp/err" "document's values of the other PCRs quoted"
expect 1 "$hardenctl" attest --nonce="$nonce" --event-log="$log" --pcrs=7,24
contains "$tmp/err" "Invalid --pcrs= '7,24': expected PCR numbers 0 to 23, separated by commas."
expect 1 "$hardenctl" attest --nonce="$nonce" --event-log="$log" --pcrs=7,7
expect 1 "$hardenctl" attest --nonce="$nonce" --event-log="$log" --pcrs=,

# With HARDENCTL_ATTEST_FIXTURES=DIR the documents, their nonce and the golden values are kept there:
# tests/attest/ holds such a capture, which test-attest verifies (and tampers with) without a TPM.
if [ -n "${HARDENCTL_ATTEST_FIXTURES:-}" ]; then
        mkdir -p "$HARDENCTL_ATTEST_FIXTURES"
        cp "$tmp/attestation.json" "$tmp/attestation-pcrs.json" "$tmp/golden.json" "$tmp/golden-baseline.json" \
                "$tmp/golden-ipe.json" "$HARDENCTL_ATTEST_FIXTURES/"
        echo "$nonce" >"$HARDENCTL_ATTEST_FIXTURES/nonce"
fi

# The EK certificate swtpm_setup made comes along, and chains to the local CA.
if [ $have_ek = 1 ]; then
        jq -r .ekCertificate "$tmp/attestation.json" | base64 -d >"$tmp/ek.der"
        expect 0 openssl x509 -inform der -in "$tmp/ek.der" -noout -issuer
        contains "$tmp/out" "swtpm-localca"
        openssl x509 -inform der -in "$tmp/ek.der" -out "$tmp/ek.pem"
        expect 0 openssl verify -partial_chain -CAfile "$tmp/ca/issuercert.pem" "$tmp/ek.pem"
fi

# An old nonce: both verifiers refuse.
old=$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')
expect 2 "$hardenctl" verify-attestation "$tmp/attestation.json" --nonce="$old" --golden="$tmp/golden.json"
contains "$tmp/err" "nonce differs"
expect 1 tpm2_checkquote -u "$tmp/ak.pem" -m "$tmp/quote.bin" -s "$tmp/sig.bin" -q "$old" -g sha256

# Another profile, another IPE policy: rejected, the event named.
expect 2 "$hardenctl" verify-attestation "$tmp/attestation.json" --nonce="$nonce" --golden="$tmp/golden-baseline.json"
contains "$tmp/err" "profile digest differs"
contains "$tmp/err" "SELinux mode differs"
lacks "$tmp/err" "IPE policy"
expect 2 "$hardenctl" verify-attestation "$tmp/attestation.json" --nonce="$nonce" --golden="$tmp/golden-ipe.json"
contains "$tmp/err" "IPE policy not the one shipped"
lacks "$tmp/err" "profile digest"

# A second quote uses the same attestation key (a primary of the endorsement hierarchy).
expect 0 "$hardenctl" attest --nonce="$old" --event-log="$log"
[ "$(jq -r .akPublic.pem "$tmp/out")" = "$(cat "$tmp/ak.pem")" ] && ok || ko "the AK changed between quotes"

# A measurement not in the log (someone extended PCR 8 behind the log's back).
tpm2_pcrextend 8:sha256=0000000000000000000000000000000000000000000000000000000000000001
expect 0 "$hardenctl" attest --nonce="$nonce" --event-log="$log"
cp "$tmp/out" "$tmp/attestation2.json"
expect 2 "$hardenctl" verify-attestation "$tmp/attestation2.json" --nonce="$nonce" --golden="$tmp/golden.json"
contains "$tmp/err" "digest does not match the event log"

# Malformed input: exit 1.
echo '{}' >"$tmp/empty.json"
expect 1 "$hardenctl" verify-attestation "$tmp/empty.json" --nonce="$nonce" --golden="$tmp/golden.json"
contains "$tmp/err" "malformed attestation"
expect 1 "$hardenctl" verify-attestation "$tmp/attestation.json" --nonce=xyz --golden="$tmp/golden.json"
expect 1 "$hardenctl" verify-attestation "$tmp/attestation.json" --nonce="$nonce"
contains "$tmp/err" "--golden="

# --- the live posture below a root, recorded and measured (what hardenctl-measure.service runs).
# Another root than / has no dm table and no audit status of its own: those are said to be unknown.
host="$tmp/host"
mkdir -p "$host/usr/lib/hardenctl" "$host/sys/fs/selinux" "$host/sys/kernel/security"
printf '[SELinux]\nMode=enforcing\n' >"$host/usr/lib/hardenctl/active.profile"
echo 1 >"$host/sys/fs/selinux/enforce"
echo "none [integrity] confidentiality" >"$host/sys/kernel/security/lockdown"
HARDENCTL_ROOT="$host" expect 0 "$measure" measure --posture="$tmp/rec/posture.json" --event-log="$tmp/rec/1.log"
python3 - "$tmp/rec/posture.json" <<'EOT' && ok || ko "the posture record hardenctl-measure writes"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["selinux"] == "enforcing" and d["lockdown"] == "integrity", d
assert d["unknown"] == ["usr", "auditLocked"] and d["usr"] is None and d["auditLocked"] is None, d
assert d["profileDigest"].startswith("sha256:") and len(d["profileDigest"]) == 71, d
EOT
ls -A "$tmp/rec" | grep -q '^\.#' && ko "a temporary file was left next to the record" || ok
contains "$tmp/err" "Measured 5 events into PCR 8"
grep -q "hardenctl-selinux:enforcing" "$tmp/rec/1.log" && ok || ko "the live posture was not what was measured"
# No boot profile: still a record, which says the profile digest is unknown; the measurement takes it.
rm "$host/usr/lib/hardenctl/active.profile"
HARDENCTL_ROOT="$host" expect 0 "$measure" measure --posture="$tmp/rec/posture.json" --event-log="$tmp/rec/2.log"
contains "$tmp/err" "profileDigest could not be read"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert "profileDigest" in d["unknown"] and d["profileDigest"] is None, d' \
        "$tmp/rec/posture.json" && ok || ko "an unknown profile digest in the record"
grep -q "hardenctl-profile:none" "$tmp/rec/2.log" && ok || ko "an unknown profile digest was not measured as none"

# tpm2-tss's ESAPI is loaded when a TPM is opened, not at every start of hardenctl (the quotes above
# used it); the marshalling library, which verify-attestation uses without a TPM, is linked.
ldd "$hardenctl" >"$tmp/ldd"
lacks "$tmp/ldd" "libtss2-esys"
lacks "$tmp/ldd" "libtss2-tctildr"
contains "$tmp/ldd" "libtss2-mu"

finish
