#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Installs what is needed, builds hardenctl and runs its main job on the shipped default profile:
# validate every shipped profile strictly, then show the default one, merged, with where each
# setting comes from.
set -euo pipefail
cd "$(dirname "$0")/.."

bash tools/install-deps.sh
[ -d build ] || meson setup build
ninja -C build

export HARDENCTL_PROFILE_PATH="$PWD/profiles"
./build/src/hardenctl/hardenctl validate
./build/src/hardenctl/hardenctl cat-profile immutable-host
./build/src/hardenctl/hardenctl show-profile immutable-host
