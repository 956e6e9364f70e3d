#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# The HTML report of the fixture tree (with /etc drift and a runtime section) in headless Chromium: it loads from a file
# with the network unreachable, the page logs nothing to the console, the DOM holds the report, and a
# screenshot is taken (left in the build directory as check-report.png, for a person to look at).
#
# Usage: test-html.sh HARDENCTL SOURCE_ROOT BUILD_ROOT
set -uo pipefail

hc=$1
src=$2
build=$3
unset HARDENCTL_LOG_LEVEL HARDENCTL_PROFILE_PATH
export HARDENCTL_CHECK_TIME=1700000000

browser=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$browser" ]; then
        echo "FAIL: chromium is missing (tools/install-deps.sh installs it)" >&2
        exit 1
fi

. "$(dirname "$0")/test-lib.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

cp -a "$src/tests/check/root" "$tmp/root"
mkdir -p "$tmp/root/run/hardenctl/etc/upper/ssh"
echo "nameserver 192.0.2.1" >"$tmp/root/run/hardenctl/etc/upper/resolv.conf"
echo "PermitRootLogin yes" >"$tmp/root/run/hardenctl/etc/upper/ssh/sshd_config"
echo "<script>alert(1)</script>" >"$tmp/root/run/hardenctl/etc/upper/<b>odd name"
mknod "$tmp/root/run/hardenctl/etc/upper/motd" c 0 0 2>/dev/null || true

# The runtime section from a watcher's state, markup from the audit trail in it.
HARDENCTL_TEST_WATCH_STATE="$src/tests/check/watch.json" \
        "$hc" --root="$tmp/root" report fixture --format=html --output="$tmp/report.html" -q
rc=$?
if [ "$rc" -eq 2 ]; then ok; else ko "report exited $rc, expected 2"; fi

# Self-contained: nothing that would load from elsewhere.
if grep -qiE '<(script|link|img|iframe)|https?://[^"<]*\.(css|js|png|woff)|url\(' "$tmp/report.html"; then
        ko "the report refers to external assets or carries scripts"
else
        ok
fi
if grep -qF '&lt;b&gt;odd name' "$tmp/report.html"; then ok; else ko "a file name was not escaped"; fi
if grep -qF 'comm</span> <span class="mono">&lt;script&gt;x&lt;/script&gt;' "$tmp/report.html"; then ok; else ko "an audit record's comm was not escaped"; fi

flags=(--headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking
       --disable-component-update --disable-sync --disable-dev-shm-usage --enable-logging=stderr --v=0
       --user-data-dir="$tmp/profile" --window-size=1200,2000)

timeout 120 "$browser" "${flags[@]}" --screenshot="$tmp/report.png" "file://$tmp/report.html" >"$tmp/shot.out" 2>"$tmp/shot.err"
rc=$?
if [ "$rc" -eq 0 ] && [ -s "$tmp/report.png" ]; then ok; else ko "no screenshot (exit $rc)"; tail -5 "$tmp/shot.err" >&2; fi
if head -c 8 "$tmp/report.png" | od -An -tx1 | grep -q "89 50 4e 47"; then ok; else ko "the screenshot is not a PNG"; fi
cp "$tmp/report.png" "$build/check-report.png" 2>/dev/null || true

rm -rf "$tmp/profile"
timeout 120 "$browser" "${flags[@]}" --dump-dom "file://$tmp/report.html" >"$tmp/dom.html" 2>"$tmp/dom.err"
if grep -q "Compliance report: fixture-host" "$tmp/dom.html" && grep -q "NOT COMPLIANT" "$tmp/dom.html" &&
        grep -q "Drift of /etc since boot" "$tmp/dom.html" && grep -q "Runtime since boot" "$tmp/dom.html" &&
        grep -q "IPE denied EXECUTE of /root/vol/bin/hello" "$tmp/dom.html"; then ok; else ko "the DOM does not hold the report"; fi
if grep -qi '<script' "$tmp/dom.html"; then ko "markup from the audit trail became an element"; else ok; fi

# Console messages from the page (errors, CSP violations) are logged as CONSOLE lines.
if grep -h "CONSOLE" "$tmp/shot.err" "$tmp/dom.err"; then ko "the page logged to the console"; else ok; fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
