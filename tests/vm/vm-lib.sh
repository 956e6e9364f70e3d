# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Shared by the VM scripts: stage timing, logging, and running commands in the image tree inside a
# private mount namespace. Sourced, not run.

vm_t0=$SECONDS
vm_stage_name=
vm_stage_start=

vm_log() { printf '[vm %4ds] %s\n' $((SECONDS - vm_t0)) "$*" >&2; }
vm_die() { vm_log "ERROR: $*"; exit 1; }
# The Debian suite of a release (deb12: bookworm, deb13: trixie); nothing for another name.
vm_suite() { case $1 in deb12) echo bookworm ;; deb13) echo trixie ;; esac; }

# "stage NAME" starts a stage and ends the previous one; "stage_end" ends the last. Each ends with a
# line "STAGE NAME Ns", which the tests collect into their summary.
stage() {
        stage_end
        vm_stage_name=$1
        vm_stage_start=$SECONDS
        vm_log "stage $vm_stage_name"
}
stage_end() {
        [ -n "$vm_stage_name" ] || return 0
        printf 'STAGE %-24s %4ds\n' "$vm_stage_name" $((SECONDS - vm_stage_start)) >&2
        vm_stage_name=
}

# Runs a command chrooted into TREE, in a private mount namespace with its own /proc, /sys, /dev and
# /run: nothing is mounted on the host, and everything is gone when the command ends.
in_tree() {
        local tree=$1
        shift
        unshare --mount --propagation private -- /bin/bash -euc '
                t=$1; shift
                mount -t proc proc "$t/proc"
                mount -t sysfs sysfs "$t/sys"
                mount --rbind /dev "$t/dev"
                mount -t tmpfs tmpfs "$t/run"
                mount -t tmpfs tmpfs "$t/tmp"
                exec chroot "$t" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 \
                        DEBIAN_FRONTEND=noninteractive INITRD=No "$@"' in_tree "$tree" "$@"
}

# The hash of a list of files' contents and names, for deciding whether a cached stage is current.
files_hash() {
        local f
        for f in "$@"; do
                printf '%s\n' "$f"
                if [ -d "$f" ]; then
                        (cd "$f" && find . -type f -o -type l | LC_ALL=C sort | while read -r x; do
                                printf '%s ' "$x"; if [ -L "$x" ]; then readlink "$x"; else sha256sum <"$x"; fi
                        done)
                elif [ -e "$f" ]; then
                        sha256sum <"$f"
                fi
        done | sha256sum | cut -c1-16
}
