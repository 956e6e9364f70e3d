#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# A TPM's manufacture, for the tests: swtpm_setup makes the state of a TPM 2.0 (SHA-256 bank) in
# STATE_DIR with an endorsement key and its certificate, issued by a local CA of the test's own in CA_DIR
# (its certificate: CA_DIR/issuercert.pem), not the host's /var/lib/swtpm-localca.
# Usage: tpm-manufacture.sh STATE_DIR CA_DIR   (exit 77 without swtpm_setup)
set -euo pipefail
state=$1 ca=$2

command -v swtpm_setup >/dev/null || exit 77
mkdir -p "$state" "$ca"
printf 'statedir = %s\nsigningkey = %s/signkey.pem\nissuercert = %s/issuercert.pem\ncertserial = %s/certserial\n' \
        "$ca" "$ca" "$ca" "$ca" >"$ca/localca.conf"
: >"$ca/localca.options"
printf 'create_certs_tool = /usr/bin/swtpm_localca\ncreate_certs_tool_config = %s\ncreate_certs_tool_options = %s\nactive_pcr_banks = sha256\n' \
        "$ca/localca.conf" "$ca/localca.options" >"$ca/swtpm_setup.conf"
swtpm_setup --tpm2 --tpmstate "$state" --config "$ca/swtpm_setup.conf" --create-ek-cert --overwrite >"$ca/setup.log" 2>&1 ||
        { cat "$ca/setup.log" >&2; exit 1; }
