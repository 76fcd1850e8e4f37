#!/usr/bin/env bash
# qmllint on every page of the plugin, against the stub Victron.VenusOS module (tests/gui/stubs).
# qmllint's default levels, with one exception: Debian's Qt 6.4.2 ships no jsroot.qmltypes, so qmllint always
# warns "Failed to find the following builtins: jsroot.qmltypes" (and its header line) whatever the file;
# those two messages, and only those, are dropped. Any other warning fails. Prints "qmllint: N files clean".
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
. "$here/qt-tools.sh"
qmllint=$(qt_tool qmllint)
command -v jq >/dev/null || { echo "missing jq" >&2; exit 1; }
status=0
count=0
# Arguments: the files to lint (default: every page in gx/gui-v2).
[ $# -gt 0 ] && files=("$@") || files=("$root"/gx/gui-v2/*.qml)
for file in "${files[@]}"; do
  count=$((count + 1))
  json=$("$qmllint" --json - -I "$here/stubs" "$file" || true)
  problems=$(jq -r --arg f "${file#$root/}" '.files[].warnings[]
    | select(.type != "info")
    | select((.message | startswith("Warnings occurred while importing base modules")) | not)
    | select((.message | startswith("Failed to find the following builtins: jsroot.qmltypes")) | not)
    | "\($f):\(.line // 0):\(.column // 0): \(.type): \(.message)"' <<<"$json")
  if [ -n "$problems" ]; then
    echo "$problems"
    status=1
  fi
done
[ "$count" -gt 0 ] || { echo "no QML files to lint" >&2; exit 1; }
[ $status -eq 0 ] && echo "qmllint: $count files clean"
exit $status
