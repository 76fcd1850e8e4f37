#!/usr/bin/env bash
# Builds MeterBridge as native AOT for the ARM GX devices and packs a release tarball.
#
#   ./build-linux-arm.sh [arm|arm64|all|x64] [--static] [--probe]
#
#   arm     linux-arm   (32-bit: Cerbo GX, Venus GX, Color Control GX, MultiPlus-II GX, Ekrano GX, Raspberry Pi 2-4)
#   arm64   linux-arm64 (Raspberry Pi 5, the new Cerbo GX boards)
#   all     both (default)
#   x64     linux-x64   (an x86-64 Linux PC or VM; the release carries it too)
#   --static  a fully static binary: no glibc needed at all, but no TLS to the broker (OpenSSL cannot be loaded)
#   --probe   build nothing: only ask the NuGet feed whether it serves the RIDs' native AOT packs. Exit 0: it
#             does; exit 3: it does not (one line says so); exit 1: the question itself failed (network?)
#
# Output: out/<rid>[-static]/meterbridge and dist/meterbridge-<version>-<rid>[-static].tar.gz, which
# unpacks to the app folder MeterBridge/ (the binary, the app's service/, gui-v2/MeterBridge.json, meter-service/
# for the SSH route, install.sh, uninstall.sh, INSTALL.md, config.sample.ini): gx/make-app-folder.sh.
# How and why (Debian packages, lld, no SysRoot, qemu): docs/platform.md.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
project=$repo/MeterBridge.csproj

usage() { echo "usage: $0 [arm|arm64|all|x64] [--static] [--probe]" >&2; exit 2; }

target=all
static=false
probe_only=false
for arg in "$@"; do
    case $arg in
        arm|arm64|all|x64) target=$arg ;;
        --static) static=true ;;
        --probe) probe_only=true ;;
        -h|--help) usage ;;
        *) echo "unknown argument: $arg" >&2; usage ;;
    esac
done

case $target in
    arm) rids=(linux-arm) ;;
    arm64) rids=(linux-arm64) ;;
    all) rids=(linux-arm64 linux-arm) ;;
    x64) rids=(linux-x64) ;;
esac

version=$(sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' "$project" | head -n1)
tfm=$(sed -n 's:.*<TargetFramework>\(.*\)</TargetFramework>.*:\1:p' "$project" | head -n1)
[[ -n $version && -n $tfm ]] || { echo "cannot read <Version> and <TargetFramework> from $project" >&2; exit 1; }

# Asks the package feed, before any MSBuild build, whether it serves the native AOT compiler and the
# runtime packs for a RID: a restore of an empty AOT project for that RID, quietly, in a scratch folder
# (the repository's obj/ is not touched). Prints nothing when the packs are there, else the one line
# that says why the RID cannot be built.
packs_problem() {
    local rid=$1 probe log
    probe=$(mktemp -d)
    log=$probe/restore.log
    cat > "$probe/probe.csproj" <<EOF
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <OutputType>Exe</OutputType>
    <TargetFramework>$tfm</TargetFramework>
    <PublishAot>true</PublishAot>
    <RuntimeIdentifier>$rid</RuntimeIdentifier>
  </PropertyGroup>
</Project>
EOF
    local config=()
    for f in "$repo/nuget.config" "$repo/NuGet.Config" "$repo/NuGet.config"; do
        [[ -f $f ]] && { config=(--configfile "$f"); break; }
    done
    if dotnet restore "$probe/probe.csproj" "${config[@]}" -nologo -v q >"$log" 2>&1; then
        rm -rf "$probe"
        return
    fi
    if grep -Eq "NU110[12].*$rid" "$log"; then
        rm -rf "$probe"
        echo "$rid: cannot be built here: the NuGet feed this machine uses does not serve the $rid native AOT packs (runtime.$rid.Microsoft.DotNet.ILCompiler, Microsoft.NETCore.App.Runtime.$rid); run './build-linux-arm.sh ${rid#linux-}' with the same RID on a machine whose feed serves them (e.g. the public nuget.org)."
    else
        echo "$rid: cannot be built: restoring its native AOT packs failed for another reason (network?); the restore log is $log"
    fi
}

# The cross libgcc that clang links against (crtbegin.o, libgcc.a): Debian 12 has gcc 12, Ubuntu 24.04 gcc 13
# (and 12, 14); any one will do, clang picks the highest in /usr/lib/gcc-cross/<triple>/. Prints the one
# already installed, else the newest the package index offers, else Debian 12's name.
libgcc_cross() {
    local arch=$1 triple=$2 installed
    installed=$(ls /usr/lib/gcc-cross/"$triple" 2>/dev/null | sort -V | tail -n1 || true)
    if [[ -n $installed ]]; then echo "libgcc-${installed%%.*}-dev-$arch-cross"; return; fi
    local newest
    newest=$(apt-cache pkgnames "libgcc-" 2>/dev/null | grep -E "^libgcc-[0-9]+-dev-$arch-cross\$" | sort -V | tail -n1 || true)
    echo "${newest:-libgcc-12-dev-$arch-cross}"
}

# The cross toolchain of docs/platform.md, installed with apt-get when a piece is missing (Debian and Ubuntu
# name these packages alike).
ensure_toolchain() {
    local rid=$1 missing=()
    local packages=(clang lld llvm)
    case $rid in
        linux-arm64) packages+=(libc6-dev-arm64-cross "$(libgcc_cross arm64 aarch64-linux-gnu)") ;;
        linux-arm) packages+=(libc6-dev-armhf-cross "$(libgcc_cross armhf arm-linux-gnueabihf)") ;;
    esac
    if ! command -v dpkg-query >/dev/null; then
        echo "no dpkg-query: not checking the Debian packages ${packages[*]}" >&2
        return 0
    fi
    for p in "${packages[@]}"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
    done
    [[ ${#missing[@]} -eq 0 ]] && return 0

    local sudo=()
    [[ $(id -u) -eq 0 ]] || sudo=(sudo)
    echo "installing the cross toolchain: ${missing[*]}"
    if ! "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}"; then
        # Only a stale package index needs this; do not pay for it otherwise.
        "${sudo[@]}" apt-get update -q
        "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}"
    fi
}

# The highest GLIBC_x.y symbol version the binary needs, or "none" (a static binary needs none).
glibc_floor() {
    local floor
    floor=$(llvm-objdump -T "$1" 2>/dev/null | grep -o 'GLIBC_[0-9.]*' | sort -uV | tail -n1 || true)
    echo "${floor:-none}"
}

build() {
    local rid=$1 name=$1
    [[ $static == true ]] && name=$rid-static
    local out=$repo/out/$name

    ensure_toolchain "$rid"

    local props=(-p:LinkerFlavor=lld)
    [[ $static == true ]] && props+=(-p:StaticExecutable=true)
    # Debian's armhf glibc ships no rcrt1.o, so a static PIE (the SDK's default for a static executable)
    # cannot be linked: a plain static executable at a fixed address links and runs.
    [[ $static == true && $rid == linux-arm ]] && props+=(-p:PositionIndependentExecutable=false)

    # The ILC and link steps do not notice a change of StaticExecutable: start them afresh.
    rm -rf "$repo/obj/Release/$tfm/$rid/native" "$out"

    echo "publishing $name (native AOT) ..."
    local start=$SECONDS
    dotnet publish "$project" -c Release -r "$rid" "${props[@]}" -o "$out" -nologo -v q
    local took=$((SECONDS - start))

    local bin=$out/meterbridge
    local size floor
    size=$(stat -c %s "$bin")
    floor=$(glibc_floor "$bin")

    # The release tarball: the app folder MeterBridge/ (gx/make-app-folder.sh), to unpack into /data/apps/available/.
    local stage
    stage=$(mktemp -d)
    "$repo/gx/make-app-folder.sh" "$bin" "$stage" || { rm -rf "$stage"; exit 1; }
    mkdir -p "$repo/dist"
    local tarball=$repo/dist/meterbridge-$version-$name.tar.gz
    tar -C "$stage" --owner=0 --group=0 --numeric-owner -czf "$tarball" MeterBridge
    rm -rf "$stage"

    echo "$name: published in ${took}s"
    echo "$name: binary $bin"
    echo "$name: size $size bytes"
    echo "$name: glibc $floor"
    echo "$name: tarball $tarball"
}

# The app folder's GUI plugin can be built (else fail now, not after a publish).
[[ $probe_only == true ]] || "$repo/gx/make-app-folder.sh" --check

# Every RID is checked against the feed first, so 'all' still builds what it can and ends on the reason.
buildable=()
problems=()
for rid in "${rids[@]}"; do
    problem=$(packs_problem "$rid")
    if [[ -z $problem ]]; then buildable+=("$rid"); else problems+=("$problem"); fi
done
if [[ $probe_only == true ]]; then
    [[ ${#problems[@]} -eq 0 ]] && exit 0
    printf '%s\n' "${problems[@]}" >&2
    printf '%s\n' "${problems[@]}" | grep -qv 'cannot be built here' && exit 1
    exit 3
fi
for rid in "${buildable[@]}"; do build "$rid"; done
if [[ ${#problems[@]} -gt 0 ]]; then
    printf '%s\n' "${problems[@]}" >&2
    exit 1
fi
