#!/usr/bin/env bash
# Runs the pages' behaviour tests (tst_pages.qml) headless against the stubs, on the D-Bus and MQTT backends.
# Usage: tests/gui/run.sh OUTDIR
# Leaves in OUTDIR:
#   qmltestrunner.txt          everything qmltestrunner printed
#   uids-dbus.txt, uids-mqtt.txt   every uid the pages read, "service path" (backend prefix stripped), sorted, unique:
#                              the list a test on a real GX (or a private bus) can check path by path
#   writes-dbus.txt, writes-mqtt.txt   every setValue: "service path type value"
#   formats.txt                the format names the meter page offers
#   gui-settings.png, gui-meter.png, gui-detect.png   the settings, meter and detect pages as rendered
# Prints qmltestrunner's "Totals:" line; exits non-zero when a test failed or something is missing.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=${1:?usage: run.sh OUTDIR}
mkdir -p "$out"
out=$(cd "$out" && pwd)
. "$here/qt-tools.sh"
runner=$(qt_tool qmltestrunner)
# The screenshots go to tests/gui/out/ (a path the QML can name); stale ones must not pass for new ones.
mkdir -p "$here/out"
rm -f "$here"/out/*.png
status=0
# software: offscreen grabs come out blank with the default (OpenGL) scene graph backend.
QT_QPA_PLATFORM=offscreen QT_QUICK_BACKEND=software XDG_RUNTIME_DIR=${XDG_RUNTIME_DIR:-$(mktemp -d)} \
  "$runner" -import "$here/stubs" -input "$here/tst_pages.qml" >"$out/qmltestrunner.txt" 2>&1 || status=$?
for backend in dbus mqtt; do
  { grep -o "MBUID $backend .*" "$out/qmltestrunner.txt" || true; } | cut -d' ' -f3- | sort -u >"$out/uids-$backend.txt"
  { grep -o "MBSET $backend .*" "$out/qmltestrunner.txt" || true; } | cut -d' ' -f3- >"$out/writes-$backend.txt"
done
{ grep -o "MBFORMATS .*" "$out/qmltestrunner.txt" || true; } | head -1 | cut -d' ' -f2 | tr ',' '\n' >"$out/formats.txt"
for png in gui-settings.png gui-meter.png gui-detect.png; do
  if [ -s "$here/out/$png" ]; then cp "$here/out/$png" "$out/"; else echo "missing screenshot: $png" >&2; status=1; fi
done
grep -E '^(FAIL!|   Loc|   Actual|   Expected)' "$out/qmltestrunner.txt" || true
totals=$(grep '^Totals:' "$out/qmltestrunner.txt" || true)
[ -n "$totals" ] || { echo "qmltestrunner printed no Totals line (see $out/qmltestrunner.txt)" >&2; tail -20 "$out/qmltestrunner.txt" >&2; status=1; }
echo "${totals:-Totals: none}"
exit $status
