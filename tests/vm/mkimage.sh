#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Builds a bootable Debian test image with hardenctl installed from a build tree, for the release
# VM_RELEASE: bookworm (Debian 12, the default) or trixie (Debian 13). Each release has its own OUT.
#
#   OUT/base-KEY.tar        debootstrap + kernel, dracut, auditd, SELinux policy (cached; KEY names the
#                           release and package list, so a changed list builds a new one)
#   OUT/keys/               trixie: the test key and certificate (made with the base, never committed),
#                           enrolled in the UEFI db of OUT/vars.fd, so the guest kernel trusts them
#                           (.platform keyring) for dm-verity root hash signatures
#   OUT/vars.fd             trixie: OVMF's variable store with that certificate in db
#   OUT/tree/               that tree + `meson install` of hardenctl + the guest check unit, labelled
#                           for SELinux; /usr/lib/hardenctl/active.profile → immutable-host (on trixie
#                           with a drop-in Signature=required, [Exec] Mode=enforce and [Attest]
#                           RequireTPM=no: /usr's root hash is
#                           signed, and /usr/lib/hardenctl/exec-policy.p7s is the IPE policy for it)
#   OUT/vmlinuz             the guest kernel
#   OUT/initrd.img          dracut, systemd-based, with 90hardenctl and the tree's boot profile
#   OUT/initrd-lenient.img  the same plus a drop-in Verity=optional + AllowKillSwitch=yes, in the initrd
#                           only (for the Verity=optional and kill switch scenarios)
#   OUT/initrd-ipe.img      (Debian 12) the same plus a drop-in [Exec] Mode=enforce, which its kernel
#                           cannot do
#   OUT/initrd-ipe-audit.img
#                           the same plus a drop-in [Exec] Mode=audit
#   OUT/initrd-ipe-rogue.img, OUT/initrd-ipe-other.img
#                           (Debian 13) an execution policy signed by a key the kernel does not trust;
#                           another one, newer, signed by the image key
#   OUT/disk.img            GPT: root (ext4), usr (erofs), usr-verity (hash tree from `hardenctl verity
#                           format`), with the Discoverable Partitions type GUIDs and the usr partition
#                           UUIDs taken from the root hash; on trixie also usr-verity-sig, the root hash
#                           signed with the test key (`hardenctl verity sign --format=dps`)
#   OUT/initrd-plain.img    dracut without hardenctl and verity, for the plain disk
#   OUT/disk-plain.img      GPT: one ext4 root with /usr on it, the same system with no boot profile,
#                           SELinux permissive and a drop-in for cis-level1-server (scenario apply-live)
#   OUT/image.env           ROOT_HASH=, ROOT_PARTUUID=, KVER=, KERNEL_LSM_ARGS=, OVMF_CODE=, … for the
#                           runner
#
# Everything after the base is rebuilt only when its inputs change: the installed hardenctl files,
# the guest files, this script, and VM_BREAK. Needs root, debootstrap, sfdisk, mkfs.erofs, mkfs.ext4,
# openssl and OVMF (trixie) and network access to the Debian archive (for the base only).
#
# Usage: mkimage.sh BUILD_ROOT OUT
#
# Environment:
#   VM_RELEASE    bookworm (default) or trixie
#   VM_MIRROR     Debian mirror for debootstrap (default: debootstrap's own)
#   VM_BREAK      build a deliberately broken image, to show that the VM tests can fail:
#                 "usr-generator" leaves hardenctl-usr-generator (and so the verity unit) out of the
#                 initrds
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
. "$here/vm-lib.sh"

[ $# -eq 2 ] || vm_die "usage: mkimage.sh BUILD_ROOT OUT"
build=$(cd "$1" && pwd)
mkdir -p "$2"
out=$(cd "$2" && pwd)

[ "$(id -u)" -eq 0 ] || vm_die "needs root"
for t in debootstrap sfdisk mkfs.erofs mkfs.ext4 unshare; do
        command -v "$t" >/dev/null || vm_die "$t is missing (tools/install-vm-deps.sh installs it)"
done

case "${VM_BREAK:-}" in
"" | usr-generator) ;;
*) vm_die "unknown VM_BREAK=${VM_BREAK}" ;;
esac

exec 9>"$out/.lock"
flock 9

suite=${VM_RELEASE:-bookworm}
# debootstrap cannot resolve the kernel together with dracut (it picks initramfs-tools), so the base is
# two steps: a minimal system, then the rest with apt in the chroot.
debootstrap_packages=systemd,systemd-sysv,udev,dbus,kmod,procps,libjson-c5,libcryptsetup12,libaudit1,libselinux1,libmount1
case $suite in
bookworm)
        # tpm2-tools brings the tpm2-tss libraries that hardenctl loads for the TPM measurement and attestation.
        apt_packages=(linux-image-amd64 dracut-core auditd selinux-policy-default policycoreutils dmsetup tpm2-tools)
        # Debian 12's kernel takes SELinux as its major LSM with security=selinux (it ignores selinux=1).
        lsm_args="security=selinux selinux=1"
        ;;
trixie)
        # systemd-veritysetup is in systemd-cryptsetup since systemd 256. dracut-core alone would pull
        # initramfs-tools too. cryptsetup-bin for veritysetup in the guest checks; python3-virt-firmware
        # (virt-fw-vars) enrolls the test certificate and is removed again before the tarball.
        apt_packages=(linux-image-amd64 dracut systemd-cryptsetup auditd selinux-policy-default policycoreutils dmsetup
                      cryptsetup-bin keyutils python3-virt-firmware tpm2-tools)
        # AppArmor is Debian 13's default major LSM: this list has SELinux instead, and keeps IPE.
        lsm_args="lsm=lockdown,capability,landlock,yama,selinux,bpf,ipe,ima,evm"
        ;;
*) vm_die "unknown VM_RELEASE=$suite (bookworm or trixie)" ;;
esac
base_key=$(printf '%s\n' "$suite" "$debootstrap_packages" "${apt_packages[*]}" 3 | sha256sum | cut -c1-12)
base=$out/base-$base_key.tar
ovmf_code=/usr/share/OVMF/OVMF_CODE_4M.fd
ovmf_vars=/usr/share/OVMF/OVMF_VARS_4M.fd
if [ "$suite" = trixie ]; then
        command -v openssl >/dev/null || vm_die "openssl is missing (tools/install-vm-deps.sh installs it)"
        [ -f "$ovmf_code" ] && [ -f "$ovmf_vars" ] || vm_die "OVMF is missing (tools/install-vm-deps.sh installs it)"
fi

# The dracut modules for a systemd initrd with verity /usr; dracut adds systemd-veritysetup only when it
# is named. No kernel-modules (it adds every storage driver): the drivers the VM needs are named. The
# initrd is not compressed: gzip takes most of dracut's time, and unpacking it most of the kernel's under
# TCG.
dracut_modules="bash systemd systemd-initrd systemd-journald systemd-udevd systemd-tmpfiles systemd-modules-load
systemd-veritysetup dm rootfs-block udev-rules dracut-systemd usrmount base fs-lib shutdown hardenctl"
dracut_drivers="virtio_pci virtio_blk virtio_scsi virtio_rng sd_mod ext4 crc32c_generic erofs overlay dm_mod dm_verity"

root_type=4f68bce3-e8cd-4db1-96e7-fbcaf984b709       # root, x86-64
usr_type=8484680c-9521-48c6-9c11-b0720656f69e        # usr, x86-64
usr_verity_type=77ff5f63-e7b6-4633-acf4-1565b864c0e6 # usr-verity, x86-64
usr_verity_sig_type=e7bb33fb-06cf-4e81-8273-e543b413e2e2 # usr-verity-sig, x86-64
usr_verity_sig_partuuid=6e2d1a1c-7c3b-4f0e-9d4a-7369676e6564
root_partuuid=6e2d1a1c-7c3b-4f0e-9d4a-68617264656e

# The test key and its certificate (X.509, digitalSignature + codeSigning), and OVMF's variable store
# with the certificate in db: the kernel loads db into its .platform keyring, which dm-verity trusts for
# root hash signatures. virt-fw-vars is Debian 13's, run in the trixie tree TREE (Debian 12 has none).
make_keys() {
        local tmp=$1 guid=48617264-656e-6374-6c2d-766d74657374
        rm -rf "$out/keys" "$out/vars.fd"
        mkdir -p "$out/keys"
        chmod 700 "$out/keys"
        openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=hardenctl VM test image key/" \
                -addext "keyUsage=critical,digitalSignature" -addext "extendedKeyUsage=codeSigning" \
                -addext "basicConstraints=critical,CA:FALSE" \
                -keyout "$out/keys/test.key" -out "$out/keys/test.crt" 2>"$out/keys/openssl.log" ||
                { cat "$out/keys/openssl.log" >&2; vm_die "openssl req failed"; }
        cp "$out/keys/test.crt" "$tmp/var/tmp/test.crt"
        cp "$ovmf_vars" "$tmp/var/tmp/OVMF_VARS.fd"
        in_tree "$tmp" virt-fw-vars -i /var/tmp/OVMF_VARS.fd --add-db "$guid" /var/tmp/test.crt -o /var/tmp/vars.fd \
                >"$out/keys/virt-fw-vars.log" 2>&1 || { cat "$out/keys/virt-fw-vars.log" >&2; vm_die "virt-fw-vars failed"; }
        mv "$tmp/var/tmp/vars.fd" "$out/vars.fd.new"
        rm -f "$tmp/var/tmp/test.crt" "$tmp/var/tmp/OVMF_VARS.fd"
        mv "$out/vars.fd.new" "$out/vars.fd"
}

build_base() {
        local tmp=$out/base.tmp
        rm -rf "$tmp" "$tmp.tar"
        mkdir -p "$tmp"
        stage "debootstrap"
        debootstrap --variant=minbase --include="$debootstrap_packages" "$suite" "$tmp" ${VM_MIRROR:+"$VM_MIRROR"} \
                >"$out/debootstrap.log" 2>&1 || { tail -n 30 "$out/debootstrap.log" >&2; vm_die "debootstrap failed"; }
        stage "packages"
        printf '#!/bin/sh\nexit 101\n' >"$tmp/usr/sbin/policy-rc.d"
        chmod 755 "$tmp/usr/sbin/policy-rc.d"
        in_tree "$tmp" apt-get install -y -q --no-install-recommends "${apt_packages[@]}" >"$out/packages.log" 2>&1 ||
                { tail -n 30 "$out/packages.log" >&2; vm_die "installing the packages failed"; }
        if [ "$suite" = trixie ]; then
                stage "test key, UEFI db"
                make_keys "$tmp"
                in_tree "$tmp" apt-get purge -y -q --autoremove python3-virt-firmware >>"$out/packages.log" 2>&1 ||
                        { tail -n 30 "$out/packages.log" >&2; vm_die "removing python3-virt-firmware failed"; }
        fi
        in_tree "$tmp" apt-get clean
        rm -rf "$tmp"/var/lib/apt/lists/* "$tmp/usr/sbin/policy-rc.d"
        stage "base tarball"
        tar --numeric-owner --xattrs -C "$tmp" -cf "$tmp.tar" .
        rm -rf "$tmp"
        rm -f "$out"/base-*.tar
        mv "$tmp.tar" "$base"
        stage_end
}

# On trixie the keys and the variable store are made with the base: without them, the base is made anew.
[ -f "$base" ] && { [ "$suite" != trixie ] || { [ -f "$out/vars.fd" ] && [ -f "$out/keys/test.key" ]; }; } || build_base

# What decides whether the rest is current: hardenctl as installed, the guest files, this script and the
# knob.
stage "install hardenctl"
rm -rf "$out/stage"
meson install -C "$build" --destdir "$out/stage" --no-rebuild --quiet >"$out/install.log" 2>&1 ||
        { cat "$out/install.log" >&2; vm_die "meson install failed"; }
key=$(files_hash "$out/stage" "$here/guest" "$here/mkimage.sh" "$here/vm-lib.sh" "$out/vars.fd")-$base_key-${VM_BREAK:-ok}
if [ -f "$out/image.env" ] && grep -qx "IMAGE_KEY=$key" "$out/image.env"; then
        stage_end
        vm_log "image is current ($key)"
        exit 0
fi
rm -f "$out/image.env"

stage "unpack base"
rm -rf "$out/tree"
mkdir -p "$out/tree"
tar --numeric-owner --xattrs -C "$out/tree" -xf "$base"
tree=$out/tree
tar -C "$out/stage" -cf - . | tar -C "$tree" --keep-directory-symlink -xf -

stage "configure"
kver=$(basename "$(ls -d "$tree"/usr/lib/modules/* | sort -V | tail -n1)")
ln -sf profiles/immutable-host.profile "$tree/usr/lib/hardenctl/active.profile"
# An image built for its profile has the SELinux configuration the profile says; otherwise the initrd
# writes it at every boot, and it shows up as drift.
printf 'SELINUX=enforcing\nSELINUXTYPE=default\n' >"$tree/etc/selinux/config"
# The policy module that gives the runtime watcher its domain, as a package's postinst would install it.
in_tree "$tree" semodule -n -i /usr/share/selinux/packages/hardenctl.cil >"$out/semodule.log" 2>&1 ||
        { cat "$out/semodule.log" >&2; vm_die "semodule -i hardenctl.cil failed"; }
echo hardenctl-vm >"$tree/etc/hostname"
# auditd's queue to its plugins holds 2,000 events by default: the burst of deb12-anomalies (450 programs a
# second under TCG on two cores) overflowed it while the watcher waited for a CPU. Sized as
# hardenctl-watch(8) says for hosts with bursts.
sed -i 's/^q_depth = .*/q_depth = 16384/' "$tree/etc/audit/auditd.conf"
grep -q '^q_depth = 16384$' "$tree/etc/audit/auditd.conf" || vm_die "auditd.conf has no q_depth to set"
# A fixed machine ID: no first boot, and the same journal directory in every boot.
echo 4861726465e6374c566d54657374000a | cut -c1-32 >"$tree/etc/machine-id"
: >"$tree/etc/fstab"
# The guest check: a oneshot unit that reports on the second serial port and powers off.
install -D -m 0755 "$here/guest/vmtest-check.sh" "$tree/usr/local/sbin/vmtest-check"
# The burst of audited programs: a program without libc that executes itself (x86-64, as the guests).
gcc -O2 -static -nostdlib -fno-stack-protector -fno-pie -no-pie -o "$tree/usr/local/sbin/vmtest-exec-chain" \
        "$here/guest/vmtest-exec-chain.c" || vm_die "vmtest-exec-chain could not be built"
install -D -m 0644 "$here/guest/vmtest-check.service" "$tree/etc/systemd/system/vmtest-check.service"
mkdir -p "$tree/etc/systemd/system/multi-user.target.wants"
ln -sf ../vmtest-check.service "$tree/etc/systemd/system/multi-user.target.wants/vmtest-check.service"
# A throwaway test image: root logs in on the console without a password (tools/vm-shell.sh).
sed -i 's/^root:[^:]*:/root::/' "$tree/etc/shadow"
if [ "$suite" = trixie ]; then
        # Debian 13's kernel trusts the test key (in the UEFI db): this image's /usr is signed, and its
        # profile requires it. The kernel refuses unsigned tables too: Signature=required has
        # hardenctl-verity set dm_verity.require_signatures as dm_verity loads (no command-line word).
        mkdir -p "$tree/usr/lib/hardenctl/active.profile.d"
        # Only verified code runs: IPE enforces the policy compiled from the profile, signed with the same
        # key and shipped on the signed /usr (it trusts /usr by its signature, so it can live there).
        # [Attest] RequireTPM=no: check reports whether the boot was measured (scenario attest boots with a
        # TPM, the others without).
        printf '[Usr]\nSignature=required\n\n[Exec]\nMode=enforce\n\n[Attest]\nRequireTPM=no\n' \
                >"$tree/usr/lib/hardenctl/active.profile.d/50-vmtest-signed.conf"
        "$build/src/hardenctl/hardenctl" exec-policy --root="$tree" --policy-version=1.0.0 --private-key="$out/keys/test.key" \
                --certificate="$out/keys/test.crt" --output="$tree/usr/lib/hardenctl/exec-policy.p7s" ||
                vm_die "hardenctl exec-policy failed"
fi
cp "$tree/boot/vmlinuz-$kver" "$out/vmlinuz"

build_initrd() {
        local name=$1 modules=${2:-$dracut_modules}
        in_tree "$tree" dracut --quiet --force --no-hostonly --no-hostonly-cmdline --nomdadm --nolvm --compress=cat \
                -m "$(echo $modules)" --add-drivers "$dracut_drivers" --kver "$kver" "/boot/$name" \
                >"$out/dracut-$name.log" 2>&1 || { tail -n 30 "$out/dracut-$name.log" >&2; vm_die "dracut failed for $name"; }
        mv "$tree/boot/$name" "$out/$name"
}

gen=$tree/lib/systemd/system-generators/hardenctl-usr-generator
if [ "${VM_BREAK:-}" = usr-generator ]; then
        vm_log "VM_BREAK=usr-generator: the initrds are built without hardenctl-usr-generator"
        mv "$gen" "$gen.real"
        printf '#!/bin/sh\nexit 0\n' >"$gen"
        chmod 755 "$gen"
fi

stage "initrd"
build_initrd initrd.img

# The same initrd with one more archive appended (the kernel unpacks them in turn), made of FILE=CONTENT
# pairs: files that exist in that initrd only, such as a drop-in for the boot profile.
# Usage: extra_initrd NAME PATH=FILE…
extra_initrd() {
        local name=$1 dir=$tree/var/tmp/extra-initrd f
        shift
        rm -rf "$dir"
        for f in "$@"; do
                install -D -m 0644 "${f#*=}" "$dir/${f%%=*}"
        done
        in_tree "$tree" /bin/sh -c 'cd /var/tmp/extra-initrd && find . | LC_ALL=C sort | cpio --quiet -o -H newc -R 0:0' >"$out/$name.cpio"
        rm -rf "$dir"
        cat "$out/initrd.img" "$out/$name.cpio" >"$out/$name"
        rm -f "$out/$name.cpio"
}
dropin=/usr/lib/hardenctl/active.profile.d

stage "initrd (lenient)"
printf '[Profile]\nAllowKillSwitch=yes\n\n[Usr]\nVerity=optional\n' >"$out/lenient.conf"
extra_initrd initrd-lenient.img "$dropin/50-vmtest-lenient.conf=$out/lenient.conf"

stage "initrd (IPE)"
# IPE in audit mode: the same policy, denials logged and not enforced (on Debian 12: a warning).
printf '[Exec]\nMode=audit\n' >"$out/ipe-audit.conf"
extra_initrd initrd-ipe-audit.img "$dropin/60-vmtest-ipe-audit.conf=$out/ipe-audit.conf"
if [ "$suite" = trixie ]; then
        # A policy signed by a key the kernel does not trust, in the initrd, where hardenctl-ipe looks
        # first. The key is made here and not kept.
        openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj "/CN=rogue policy key/" \
                -addext "keyUsage=critical,digitalSignature" -addext "extendedKeyUsage=codeSigning" \
                -keyout "$out/rogue.key" -out "$out/rogue.crt" 2>"$out/openssl-rogue.log" || vm_die "openssl req failed"
        "$build/src/hardenctl/hardenctl" exec-policy --root="$tree" --policy-version=1.0.0 --private-key="$out/rogue.key" \
                --certificate="$out/rogue.crt" --output="$out/rogue-policy.p7s" || vm_die "hardenctl exec-policy failed"
        rm -f "$out/rogue.key"
        extra_initrd initrd-ipe-rogue.img "/usr/lib/hardenctl/exec-policy.p7s=$out/rogue-policy.p7s"
        # Another policy the kernel trusts (the image key, a newer version): it loads, and an attestation
        # of a boot under it is not the image's.
        "$build/src/hardenctl/hardenctl" exec-policy --root="$tree" --policy-version=1.0.1 --private-key="$out/keys/test.key" \
                --certificate="$out/keys/test.crt" --output="$out/other-policy.p7s" || vm_die "hardenctl exec-policy failed"
        extra_initrd initrd-ipe-other.img "/usr/lib/hardenctl/exec-policy.p7s=$out/other-policy.p7s"
else
        # Debian 12's kernel has no IPE: a profile that enforces it cannot boot there.
        printf '[Exec]\nMode=enforce\n' >"$out/ipe.conf"
        extra_initrd initrd-ipe.img "$dropin/60-vmtest-ipe.conf=$out/ipe.conf"
fi

stage "initrd (plain)"
# For the plain disk: no hardenctl in the initrd, no verity.
build_initrd initrd-plain.img "$(echo $dracut_modules | tr ' ' '\n' | grep -v -x -E 'hardenctl|systemd-veritysetup' | tr '\n' ' ')"

if [ -e "$gen.real" ]; then
        mv "$gen.real" "$gen"
fi

stage "first boot work"
# What a booted system would otherwise do at its first boot and write to the volatile /etc, where it
# shows as drift: tmpfiles' entries in /etc, the linker cache, and the stamp that says /etc is as new as
# /usr (ConditionNeedsUpdate=/etc: ldconfig.service, systemd-update-done.service). Last of all that
# changes /usr, so the stamp holds.
# (Debian 12's systemd has no systemd-update-done, and no unit that waits for it.)
in_tree "$tree" /bin/sh -c 'systemd-tmpfiles --create --prefix=/etc; ldconfig
        u=/usr/lib/systemd/systemd-update-done; [ ! -x $u ] || $u' \
        >"$out/firstboot.log" 2>&1 || { cat "$out/firstboot.log" >&2; vm_die "the first boot work failed"; }

stage "selinux labels"
# Only /proc mounted: /tmp, /run and /dev of the tree itself are labelled too (in_tree would hide them).
unshare --mount --propagation private -- /bin/bash -euc '
        mount -t proc proc "$1/proc"
        exec chroot "$1" /usr/bin/env -i PATH=/usr/sbin:/usr/bin setfiles -F -e /proc -e /sys \
                /etc/selinux/default/contexts/files/file_contexts /' setfiles "$tree" >"$out/setfiles.log" 2>&1 ||
        { tail -n 30 "$out/setfiles.log" >&2; vm_die "setfiles failed"; }

stage "usr erofs"
rm -f "$out/usr.erofs" "$out/usr.verity" "$out/usr.sig"
mkfs.erofs --quiet "$out/usr.erofs" "$tree/usr" >"$out/erofs.log" 2>&1 ||
        { cat "$out/erofs.log" >&2; vm_die "mkfs.erofs failed"; }

stage "usr verity"
"$build/src/hardenctl/hardenctl" verity format "$out/usr.erofs" "$out/usr.verity" >"$out/verity.env"
. "$out/verity.env"

if [ "$suite" = trixie ]; then
        stage "usr signature"
        "$build/src/hardenctl/hardenctl" verity sign "$ROOT_HASH" --private-key="$out/keys/test.key" \
                --certificate="$out/keys/test.crt" --format=dps --output="$out/usr.sig" ||
                vm_die "hardenctl verity sign failed"
fi

# The root file system of the tree, without /usr (which is its own partition).
# Usage: make_root_ext4 FILE
make_root_ext4() {
        local failed=
        mv "$tree/usr" "$tree.usr"
        mkdir "$tree/usr"
        rm -f "$1"
        mkfs.ext4 -q -F -L root -d "$tree" "$1" "$(( $(du -sm "$tree" | cut -f1) + 256 ))M" || failed=1
        rmdir "$tree/usr"
        mv "$tree.usr" "$tree/usr"
        [ -z "$failed" ] || vm_die "mkfs.ext4 failed"
}

# Sizes in 512-byte sectors, partitions 1 MiB aligned.
mib() { echo $(( ($(stat -c %s "$1") + 1048575) / 1048576 )); }
offset() { sfdisk --json "$1" | python3 -c "import json,sys; print(json.load(sys.stdin)['partitiontable']['partitions'][$2]['start'])"; }
# A GPT disk with the Discoverable Partitions types: root, usr, usr-verity and, if SIG is not empty, the
# usr-verity signature. Usage: make_disk DISK ROOT USR VERITY SIG USR_PARTUUID VERITY_PARTUUID
make_disk() {
        local disk=$1 root=$2 usr=$3 verity=$4 sig=$5 sig_size=0 i=0 f
        [ -z "$sig" ] || sig_size=1
        rm -f "$disk"
        truncate -s $(( (1 + $(mib "$root") + $(mib "$usr") + $(mib "$verity") + sig_size + 1) * 1048576 )) "$disk"
        {
                echo "start=1MiB, size=$(mib "$root")MiB, type=$root_type, uuid=$root_partuuid, name=root-x86-64"
                echo "size=$(mib "$usr")MiB, type=$usr_type, uuid=$6, name=usr-x86-64"
                echo "size=$(mib "$verity")MiB, type=$usr_verity_type, uuid=$7, name=usr-x86-64-verity"
                [ "$sig_size" = 0 ] ||
                        echo "size=1MiB, type=$usr_verity_sig_type, uuid=$usr_verity_sig_partuuid, name=usr-x86-64-verity-sig"
        } | sfdisk --quiet --label gpt "$disk"
        for f in "$root" "$usr" "$verity" $sig; do
                dd if="$f" of="$disk" bs=512 seek="$(offset "$disk" $i)" conv=notrunc,sparse status=none
                i=$((i + 1))
        done
}

stage "root ext4"
make_root_ext4 "$out/root.ext4"

stage "disk"
disk=$out/disk.img
sig=
[ ! -f "$out/usr.sig" ] || sig=$out/usr.sig
make_disk "$disk" "$out/root.ext4" "$out/usr.erofs" "$out/usr.verity" "$sig" "$USR_PARTUUID" "$USR_VERITY_PARTUUID"
rm -f "$out/root.ext4"

if [ "$suite" = bookworm ]; then
        stage "agent disk"
        # agent-host as the boot profile, with its own /usr (where the profile is) and initrd: the service
        # agent.service it confines, and a drop-in that allows it bash and sleep (scenario anomalies).
        # The changes to the tree are undone once the disk is made.
        mv "$tree/usr/lib/hardenctl/active.profile" "$out/active.profile.saved"
        ln -s profiles/agent-host.profile "$tree/usr/lib/hardenctl/active.profile"
        mkdir -p "$tree/usr/lib/hardenctl/active.profile.d"
        printf '[Services]\nAllowExec=agent.service:/usr/bin/bash agent.service:/usr/bin/sleep\n' \
                >"$tree/usr/lib/hardenctl/active.profile.d/50-vmtest-agent.conf"
        install -D -m 0755 "$here/guest/vmtest-agent.sh" "$tree/usr/local/sbin/vmtest-agent"
        install -D -m 0644 "$here/guest/vmtest-agent.service" "$tree/etc/systemd/system/agent.service"
        ln -sf ../agent.service "$tree/etc/systemd/system/multi-user.target.wants/agent.service"
        install -d -m 0755 -o 1 -g 1 "$tree/var/lib/models"
        agent_files=(/usr/lib/hardenctl/active.profile /usr/lib/hardenctl/active.profile.d /usr/local/sbin/vmtest-agent /etc/systemd/system/agent.service
                     /etc/systemd/system/multi-user.target.wants/agent.service /var/lib/models)
        unshare --mount --propagation private -- /bin/bash -euc '
                t=$1; shift
                mount -t proc proc "$t/proc"
                exec chroot "$t" /usr/bin/env -i PATH=/usr/sbin:/usr/bin setfiles -F \
                        /etc/selinux/default/contexts/files/file_contexts "$@"' setfiles "$tree" "${agent_files[@]}" \
                >>"$out/setfiles.log" 2>&1 || agent_failed=setfiles
        if [ -z "${agent_failed:-}" ]; then
                build_initrd initrd-agent.img
                rm -f "$out/usr-agent.erofs" "$out/usr-agent.verity"
                mkfs.erofs --quiet "$out/usr-agent.erofs" "$tree/usr" >>"$out/erofs.log" 2>&1 || agent_failed=mkfs.erofs
        fi
        if [ -z "${agent_failed:-}" ]; then
                "$build/src/hardenctl/hardenctl" verity format "$out/usr-agent.erofs" "$out/usr-agent.verity" \
                        >"$out/verity-agent.env" || agent_failed="verity format"
        fi
        [ -n "${agent_failed:-}" ] || make_root_ext4 "$out/root-agent.ext4"
        rm -rf "$tree/usr/lib/hardenctl/active.profile.d" "$tree/usr/local/sbin/vmtest-agent" "$tree/var/lib/models" \
                "$tree/etc/systemd/system/agent.service" "$tree/etc/systemd/system/multi-user.target.wants/agent.service"
        rm -f "$tree/usr/lib/hardenctl/active.profile"
        mv "$out/active.profile.saved" "$tree/usr/lib/hardenctl/active.profile"
        [ -z "${agent_failed:-}" ] || vm_die "the agent disk could not be made: ${agent_failed} failed"
        agent_root_hash=$(sed -n 's/^ROOT_HASH=//p' "$out/verity-agent.env")
        make_disk "$out/disk-agent.img" "$out/root-agent.ext4" "$out/usr-agent.erofs" "$out/usr-agent.verity" "" \
                "$(sed -n 's/^USR_PARTUUID=//p' "$out/verity-agent.env")" \
                "$(sed -n 's/^USR_VERITY_PARTUUID=//p' "$out/verity-agent.env")"
        rm -f "$out/root-agent.ext4" "$out/usr-agent.erofs" "$out/usr-agent.verity"
fi

stage "plain disk"
# The same system as a plain Debian host with hardenctl installed and no profile in force at boot: one
# ext4 partition with /usr on it, no boot profile, SELinux permissive, a service to confine and an
# operator's drop-in for the shipped cis-level1-server profile (scenario apply-live puts it in force
# with hardenctl apply). The changes to the tree are undone once the file system is made.
plain_partuuid=6e2d1a1c-7c3b-4f0e-9d4a-706c61696e00
active_target=$(readlink "$tree/usr/lib/hardenctl/active.profile")
cp -a "$tree/etc/selinux/config" "$out/selinux-config.saved"
rm "$tree/usr/lib/hardenctl/active.profile"
printf 'SELINUX=permissive\nSELINUXTYPE=default\n' >"$tree/etc/selinux/config"
plain_files=(/etc/selinux/config /etc/hardenctl /etc/systemd/system/vmtest-sleeper.service
             /etc/systemd/system/multi-user.target.wants/vmtest-sleeper.service)
install -D -m 0644 "$here/guest/50-vmtest-apply.conf" "$tree/etc/hardenctl/profiles/cis-level1-server.profile.d/50-vmtest-apply.conf"
install -D -m 0644 "$here/guest/vmtest-sleeper.service" "$tree/etc/systemd/system/vmtest-sleeper.service"
ln -sf ../vmtest-sleeper.service "$tree/etc/systemd/system/multi-user.target.wants/vmtest-sleeper.service"
unshare --mount --propagation private -- /bin/bash -euc '
        t=$1; shift
        mount -t proc proc "$t/proc"
        exec chroot "$t" /usr/bin/env -i PATH=/usr/sbin:/usr/bin setfiles -F \
                /etc/selinux/default/contexts/files/file_contexts "$@"' setfiles "$tree" "${plain_files[@]}" \
        >>"$out/setfiles.log" 2>&1 || plain_failed="setfiles"
if [ -z "${plain_failed:-}" ]; then
        plain_mb=$(( $(du -sm "$tree" | cut -f1) + 512 ))
        rm -f "$out/root-plain.ext4"
        mkfs.ext4 -q -F -L root -d "$tree" "$out/root-plain.ext4" "${plain_mb}M" || plain_failed="mkfs.ext4"
fi
rm -rf "$tree/etc/hardenctl/profiles/cis-level1-server.profile.d" "$tree/etc/systemd/system/vmtest-sleeper.service" \
        "$tree/etc/systemd/system/multi-user.target.wants/vmtest-sleeper.service"
rmdir --ignore-fail-on-non-empty "$tree/etc/hardenctl/profiles" "$tree/etc/hardenctl" 2>/dev/null || true
mv "$out/selinux-config.saved" "$tree/etc/selinux/config"
ln -s "$active_target" "$tree/usr/lib/hardenctl/active.profile"
[ -z "${plain_failed:-}" ] || vm_die "the plain disk could not be made: $plain_failed failed"
rm -f "$out/disk-plain.img"
truncate -s $(( ($(mib "$out/root-plain.ext4") + 2) * 1048576 )) "$out/disk-plain.img"
sfdisk --quiet --label gpt "$out/disk-plain.img" <<SFDISK
start=1MiB, type=$root_type, uuid=$plain_partuuid, name=root-x86-64
SFDISK
dd if="$out/root-plain.ext4" of="$out/disk-plain.img" bs=1M seek=1 conv=notrunc,sparse status=none
rm -f "$out/root-plain.ext4"

{
        echo "KVER=$kver"
        echo "PLAIN_PARTUUID=$plain_partuuid"
        echo "ROOT_HASH=$ROOT_HASH"
        echo "ROOT_PARTUUID=$root_partuuid"
        echo "USR_PARTUUID=$USR_PARTUUID"
        echo "USR_VERITY_PARTUUID=$USR_VERITY_PARTUUID"
        echo "USR_OFFSET=$(( $(offset "$disk" 1) * 512 ))"
        echo "USR_SIZE=$(stat -c %s "$out/usr.erofs")"
        echo "VERITY_OFFSET=$(( $(offset "$disk" 2) * 512 ))"
        echo "KERNEL_LSM_ARGS=\"$lsm_args\""
        echo "KERNEL_EXTRA_ARGS=\"${extra_args:-}\""
        [ -z "${agent_root_hash:-}" ] || echo "AGENT_ROOT_HASH=$agent_root_hash"
        if [ "$suite" = trixie ]; then
                echo "OVMF_CODE=$ovmf_code"
                echo "OVMF_VARS=$out/vars.fd"
                echo "TEST_CERT=$out/keys/test.crt"
                echo "TEST_KEY=$out/keys/test.key"
                echo "SIG_OFFSET=$(( $(offset "$disk" 3) * 512 ))"
        fi
        echo "IMAGE_KEY=$key"
} >"$out/image.env.tmp"
mv "$out/image.env.tmp" "$out/image.env"
stage_end
vm_log "image built: $disk ($(du -sh --apparent-size "$disk" | cut -f1)), usrhash=$ROOT_HASH"
