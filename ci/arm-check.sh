#!/usr/bin/env bash
# CI: the linux-arm binary, for the 32-bit GX devices (most of them). One probe decides first whether this
# machine's NuGet feed serves the linux-arm native AOT packs (build-linux-arm.sh --probe: a restore of an empty
# AOT project for linux-arm, the same restore the build itself would do, so the answer cannot differ from it).
#
# Served (a hosted runner on nuget.org): builds with build-linux-arm.sh arm, dynamic and --static; checks each
# binary is a 32-bit ARM EABI5 hard-float ELF of at most 8 MiB that needs glibc <= 2.34 (none when static),
# then runs it under qemu-arm against a private broker and bus: one payload in, GetItems shows it, SIGTERM
# exits 0. Any failure exits 1.
# Not served (our machines): prints "SKIPPED: linux-arm packs not served by this feed" and exits 0; the
# check is skipped, not passed. If the probe itself fails (network?) it exits 1.
#
#   MB_LINUX_ARM_PACKS=served|missing   forces the probe's answer instead of asking the feed
#   MB_ARM_CHECK_DRY_RUN=1              prints the commands the build branch would run and runs none of them
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"

max_size=8388608
max_glibc=2.34
root=/usr/arm-linux-gnueabihf
qemu_run=(qemu-arm -L "$root")
dry_run=${MB_ARM_CHECK_DRY_RUN:-0}
source ci/binary-checks.sh

packs=${MB_LINUX_ARM_PACKS:-}
case $packs in
    served|missing) echo "linux-arm packs: $packs (forced by MB_LINUX_ARM_PACKS)" ;;
    "")
        rc=0
        answer=$(./build-linux-arm.sh arm --probe 2>&1) || rc=$?
        case $rc in
            0) packs=served ;;
            3) packs=missing ;;
            *) echo "FAIL: could not ask the feed for the linux-arm packs: $answer" >&2; exit 1 ;;
        esac ;;
    *) echo "MB_LINUX_ARM_PACKS must be 'served' or 'missing', not '$packs'" >&2; exit 2 ;;
esac

if [ "$packs" = missing ]; then
    echo "SKIPPED: linux-arm packs not served by this feed"
    exit 0
fi

# One build: dynamic (glibc floor $max_glibc) or static (no glibc at all).
check_build() {
    local variant=$1 bin=out/linux-arm/meterbridge floor=$max_glibc need="glibc <= $max_glibc" build=(./build-linux-arm.sh arm)
    if [ "$variant" = static ]; then bin=out/linux-arm-static/meterbridge floor=none need="no glibc" build+=(--static); fi
    if [ "$dry_run" = 1 ]; then
        echo "would run: ${build[*]}"
        echo "would check: $bin is ELF 32-bit ARM EABI5 hard-float, size <= $max_size bytes, $need"
        echo "would run: ${qemu_run[*]} $bin --dbus-address <private bus> --broker-port <private Mosquitto> ..."
        return
    fi
    "${build[@]}"
    check_elf_armhf "$bin"
    check_size "$bin" $max_size
    check_glibc "$bin" $floor
    check_bridge_end_to_end "linux-arm $variant under qemu-arm" "$bin" "${qemu_run[@]}"
}

if [ "$dry_run" != 1 ]; then
    command -v qemu-arm >/dev/null || { echo "FAIL: qemu-arm not found (apt-get install qemu-user)" >&2; exit 1; }
fi
check_build dynamic
# qemu needs the armhf loader and libc (libc6-armhf-cross, which build-linux-arm.sh installs with the toolchain).
if [ "$dry_run" != 1 ] && [ ! -e "$root/lib/ld-linux-armhf.so.3" ]; then fail "no armhf libc at $root (libc6-armhf-cross)"; fi
check_build static

if [ "$dry_run" = 1 ]; then echo "arm check: dry run, nothing built or checked"; exit 0; fi
if [ $failures -gt 0 ]; then echo "arm check: $failures failure(s)" >&2; exit 1; fi
echo "arm check: all passed"
