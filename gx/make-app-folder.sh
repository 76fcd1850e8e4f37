#!/usr/bin/env bash
# Lays out the release's app folder: what the tarball holds and what is unpacked into /data/apps/available/.
#
#   gx/make-app-folder.sh BINARY OUT_DIR
#   gx/make-app-folder.sh --check      only checks that the plugin can be built (before a long publish)
#
# Makes OUT_DIR/MeterBridge/ (OUT_DIR must not hold one yet):
#   meterbridge                     BINARY
#   service/run, service/log/run    the app's service: `meterbridge app --home /data/meterbridge` (gx/app/service)
#   gui-v2/MeterBridge.json         the GUI v2 plugin, made by scripts/pack-gui-plugin.sh from gx/gui-v2/*.qml
#   meter-service/run, …/log/run    a meter's service of the SSH route (service/; install.sh --ssh)
#   install.sh, uninstall.sh, INSTALL.md, config.sample.ini
# build-linux-arm.sh calls it; the tests call it with a stand-in binary. The folder name is the plugin's name:
# gui-v2 and dbus-flashmq find the plugin as <app folder>/gui-v2/<app folder>.json.
#
# The plugin: with gx/gui-v2/*.qml in the repository the packer must be there and succeed, else this fails;
# with no QML yet (and no packer) the folder has no gui-v2/ and a note says so. MB_GUI_PACKER and MB_GUI_QML
# point at another packer or QML folder (tests).
set -euo pipefail

fail() { echo "make-app-folder.sh: $*" >&2; exit 1; }

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
packer=${MB_GUI_PACKER:-$repo/scripts/pack-gui-plugin.sh}
qml_dir=${MB_GUI_QML:-$repo/gx/gui-v2}
name=MeterBridge
qml=$(find "$qml_dir" -maxdepth 1 -name '*.qml' 2>/dev/null | head -n1 || true)

# The one rule that makes the plugin a hard dependency once its pages exist.
if [ ! -f "$packer" ] && [ -n "$qml" ]; then
    fail "$qml_dir has QML pages but $packer is missing: cannot build the GUI plugin"
fi
[ "${1:-}" != --check ] || exit 0

[ $# -eq 2 ] || fail "usage: gx/make-app-folder.sh BINARY OUT_DIR"
binary=$1 out=$2

[ -f "$binary" ] || fail "no binary $binary"
[ -d "$out" ] || fail "$out is not a directory"
app=$out/$name
[ ! -e "$app" ] || fail "$app exists already (lay the folder out into an empty directory)"

mkdir -p "$app/service/log" "$app/meter-service/log"
cp "$binary" "$app/meterbridge"
cp "$repo/gx/app/service/run" "$app/service/run"
cp "$repo/gx/app/service/log/run" "$app/service/log/run"
cp "$repo/service/run" "$app/meter-service/run"
cp "$repo/service/log/run" "$app/meter-service/log/run"
cp "$repo/gx/install.sh" "$repo/gx/uninstall.sh" "$repo/gx/INSTALL.md" "$app/"
cp "$repo/config.sample.ini" "$app/config.sample.ini"

if [ -f "$packer" ]; then
    mkdir -p "$app/gui-v2"
    json=$app/gui-v2/$name.json
    bash "$packer" "$json" >&2 || fail "$packer $json failed"
    [ -s "$json" ] || fail "$packer made no $json"
    # gui-v2 drops a plugin whose name is not its folder's, and dbus-flashmq serves it by that name.
    grep -Eq '"name"[[:space:]]*:[[:space:]]*"'$name'"' "$json" || fail "$json does not say \"name\": \"$name\""
else
    echo "make-app-folder.sh: note: no GUI plugin in $app ($qml_dir has no QML and $packer is missing)" >&2
fi

chmod 755 "$app/meterbridge" "$app/install.sh" "$app/uninstall.sh" \
    "$app/service/run" "$app/service/log/run" "$app/meter-service/run" "$app/meter-service/log/run"
chmod 644 "$app/INSTALL.md" "$app/config.sample.ini"
[ ! -d "$app/gui-v2" ] || chmod 644 "$app/gui-v2/$name.json"
