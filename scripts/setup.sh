#!/usr/bin/env bash
# Installs what building, testing and the demo need on Debian 12: Mosquitto and its clients, a D-Bus daemon
# and its tools (busctl, gdbus, dbus-send), openssl for the TLS tests, the arm64 cross toolchain, the armhf libc and qemu,
# and Qt 6's QML tools and modules for the GUI plugin.
set -euo pipefail
need=()
for pair in mosquitto:mosquitto mosquitto_pub:mosquitto-clients dbus-daemon:dbus gdbus:libglib2.0-bin busctl:systemd \
            dbus-send:dbus openssl:openssl clang:clang ld.lld:lld llvm-objcopy:llvm qemu-aarch64:qemu-user multilog:daemontools; do
  command -v "${pair%%:*}" >/dev/null 2>&1 || need+=("${pair#*:}")
done
[ -e /usr/aarch64-linux-gnu/lib/libc.so.6 ] || need+=(libc6-dev-arm64-cross)
[ -d /usr/lib/gcc-cross/aarch64-linux-gnu ] || need+=(libgcc-12-dev-arm64-cross)
# The armhf libc: qemu-arm's root for ci/arm-check.sh, and a real 32-bit ARM file for its tests.
[ -e /usr/arm-linux-gnueabihf/lib/libc.so.6 ] || need+=(libc6-armhf-cross)
# The GUI v2 plugin (tests/gui, scripts/pack-gui-plugin.sh): Qt 6's qmllint, qmltestrunner, rcc, lupdate and the QML
# modules the pages and their tests load headless (the offscreen platform plugin is in libqt6gui6 on Debian 12,
# not in qt6-qpa-plugins, which holds only vnc and tuio). Debian
# keeps the tools off PATH, so each is checked by its file.
qt=/usr/lib/qt6 qml=/usr/lib/x86_64-linux-gnu/qt6/qml
for pair in $qt/bin/qmllint:qt6-declarative-dev-tools $qt/libexec/rcc:qt6-base-dev-tools $qt/bin/lupdate:qt6-l10n-tools \
            $qml/QtQuick/qmldir:qml6-module-qtquick $qml/QtQuick/Controls/qmldir:qml6-module-qtquick-controls \
            $qml/QtQuick/Layouts/qmldir:qml6-module-qtquick-layouts $qml/QtQuick/Window/qmldir:qml6-module-qtquick-window \
            $qml/QtQuick/Templates/qmldir:qml6-module-qtquick-templates $qml/QtTest/qmldir:qml6-module-qttest \
            $qml/QtQml/qmldir:qml6-module-qtqml $qml/QtQml/Models/qmldir:qml6-module-qtqml-models \
            $qml/QtQml/WorkerScript/qmldir:qml6-module-qtqml-workerscript \
            /usr/lib/x86_64-linux-gnu/qt6/plugins/platforms/libqoffscreen.so:libqt6gui6; do
  [ -e "${pair%%:*}" ] || need+=("${pair#*:}")
done
command -v jq >/dev/null 2>&1 || need+=(jq)
if [ ${#need[@]} -gt 0 ]; then
  echo "installing: ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
# The tests start their own broker and bus on private ports and sockets; a packaged broker on 1883 is not used.
command -v dotnet >/dev/null || { echo "the .NET 10 SDK is needed (dotnet on PATH)" >&2; exit 1; }
echo "setup: all tools present"
