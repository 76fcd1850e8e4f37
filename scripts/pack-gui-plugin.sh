#!/usr/bin/env bash
# Packs the GUI v2 plugin: gx/gui-v2/*.qml and *.js into an rcc binary under the prefix /MeterBridge (zlib), base64,
# and the plugin JSON gui-v2 reads (src/guiplugins.cpp, GuiPluginLoader::populatePlugins): name, version, resource,
# integrations, and the keys Victron's tools/gui-v2-plugin-compiler.py writes too (translations, min/max version).
# Usage: scripts/pack-gui-plugin.sh OUT.json
# Needs rcc (qt6-base-dev-tools) and jq; a missing tool is an error.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=${1:?usage: pack-gui-plugin.sh OUT.json}
# The plugin's name is its folder, its JSON file and its resource prefix (dbus-flashmq serves
# <app>/gui-v2/<app>.json): one word, no spaces.
name=MeterBridge

rcc=${RCC:-}
if [ -z "$rcc" ]; then
  for candidate in /usr/lib/qt6/libexec/rcc /usr/lib/x86_64-linux-gnu/qt6/libexec/rcc "$(command -v rcc || true)"; do
    [ -n "$candidate" ] && [ -x "$candidate" ] && { rcc=$candidate; break; }
  done
fi
[ -n "$rcc" ] && [ -x "$rcc" ] || { echo "pack-gui-plugin: rcc not found (apt-get install qt6-base-dev-tools)" >&2; exit 1; }
command -v jq >/dev/null || { echo "pack-gui-plugin: jq not found" >&2; exit 1; }

version=$(sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' "$root/MeterBridge.csproj" | head -1)
[ -n "$version" ] || { echo "pack-gui-plugin: no <Version> in MeterBridge.csproj" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
files=()
for file in "$root"/gx/gui-v2/*.qml "$root"/gx/gui-v2/*.js; do
  [ -e "$file" ] || continue
  cp "$file" "$work/"
  files+=("$(basename "$file")")
done
for page in MeterBridgeSettings.qml MeterDevicePage.qml; do
  [ -e "$work/$page" ] || { echo "pack-gui-plugin: gx/gui-v2/$page is missing" >&2; exit 1; }
done
{
  echo "<RCC>"
  echo "<qresource prefix=\"/$name\">"
  for file in "${files[@]}"; do echo "<file>$file</file>"; done
  echo "</qresource>"
  echo "</RCC>"
} >"$work/$name.qrc"
(cd "$work" && "$rcc" -binary -compress-algo zlib -o "$name.rcc" "$name.qrc")
base64 -w0 "$work/$name.rcc" >"$work/$name.b64"

# productId is compared as text with Utils.toHexFormat(device.productId), "0x" + upper-case hex, case-insensitively.
# min/maxRequiredVersion stay empty as Victron's compiler leaves them by default: gui-v2 checks them only from 1.3.9
# on, every such version is above our floor (1.2.14, for types 1 and 2), and a floor below 1.3.9 is never checked.
mkdir -p "$(dirname "$out")"
jq -n --arg name "$name" --arg version "$version" --rawfile resource "$work/$name.b64" '{
  name: $name,
  version: $version,
  minRequiredVersion: "",
  maxRequiredVersion: "",
  translations: [],
  integrations: [
    { type: 1, url: "qrc:/\($name)/MeterBridgeSettings.qml" },
    { type: 2, productId: "0xFFFF", url: "qrc:/\($name)/MeterDevicePage.qml", title: "MeterBridge" }
  ],
  resource: $resource
}' >"$out.tmp"
mv "$out.tmp" "$out"
echo "pack-gui-plugin: $out ($name $version, ${#files[@]} files, $(stat -c %s "$out") bytes)"
