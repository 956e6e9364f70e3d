# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Sourced by the benchmarks that run oscap beside hardenctl check (bench-check.sh, bench-cis.sh): builds
# hardenctl if needed, installs openscap-scanner and ssg-debderived if missing, makes $tmp (removed on
# exit) with the runner bench-run, and $tmp/ds.xml: SSG's Ubuntu 22.04 content retargeted to Debian 12
# (its platform checks read /etc/lsb-release and ask for jammy). Needs $name, $build and $hc set.
content=/usr/share/xml/scap/ssg/content/ssg-ubuntu2204-ds.xml

if [ ! -x "$hc" ]; then
        [ -d "$build" ] || meson setup "$build" >/dev/null
        ninja -C "$build" >/dev/null
fi
if ! command -v oscap >/dev/null || [ ! -f "$content" ]; then
        if [ "$(id -u)" -ne 0 ]; then
                echo "$name: needs openscap-scanner and ssg-debderived (apt-get install them as root)" >&2
                exit 1
        fi
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends openscap-scanner ssg-debderived >/dev/null
fi

tmp=$(mktemp -d "/dev/shm/$name.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
cc -O2 -o "$tmp/bench-run" bench/bench-run.c

sed -e 's|/etc/lsb-release|/etc/os-release|g' \
    -e 's|\^DISTRIB_ID=Ubuntu\$|^ID=debian$|g' \
    -e 's|\^DISTRIB_CODENAME=jammy\$|^VERSION_CODENAME=bookworm$|g' \
    -e 's|>/\.dockerenv<|>/nonexistent/.dockerenv<|g' \
    "$content" >"$tmp/ds.xml"
