#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Installs what is needed, builds hardenctl and runs its main job on the shipped default profile:
# validate every shipped profile strictly, show the default one, merged, with where each setting
# comes from, then check this machine against it, rule by rule. A machine that is not hardened is
# not compliant (exit status 2): that is the honest answer, not a failure of this script.
set -euo pipefail
cd "$(dirname "$0")/.."

bash tools/install-deps.sh
[ -d build ] || meson setup build
ninja -C build

export HARDENCTL_PROFILE_PATH="$PWD/profiles"
./build/src/hardenctl/hardenctl validate
./build/src/hardenctl/hardenctl cat-profile immutable-host
./build/src/hardenctl/hardenctl show-profile immutable-host
echo
rc=0
./build/src/hardenctl/hardenctl check immutable-host || rc=$?
case $rc in
0) echo "run-main: this machine is compliant with immutable-host." ;;
2) echo "run-main: this machine is not compliant with immutable-host (exit status 2), as expected of a host it does not harden." ;;
4) echo "run-main: the check is incomplete (exit status 4): some rules could not be evaluated (run as root)." ;;
*) echo "run-main: the check failed (exit status $rc)." >&2; exit "$rc" ;;
esac
