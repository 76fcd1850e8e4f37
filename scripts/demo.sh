#!/usr/bin/env bash
# The demo: a private D-Bus and Mosquitto, the AOT binary between them, the seed's example payloads published
# with mosquitto_pub, and what a GX would see on D-Bus after each one (read with gdbus, a client we did not write).
# Cleans up after itself. Usage: scripts/demo.sh [--fast]
set -euo pipefail
cd "$(dirname "$0")/.."
pause=${DEMO_PAUSE:-2}
[ "${1:-}" = "--fast" ] && pause=0.3

bash scripts/setup.sh >/dev/null
binary=${MB_BINARY:-out/linux-x64/meterbridge}
if [ ! -x "$binary" ]; then
  echo "publishing the AOT binary (about a minute, once)…"
  dotnet publish MeterBridge.csproj -c Release -r linux-x64 -o out/linux-x64 -nologo >/dev/null
fi

work=$(mktemp -d /tmp/meterbridge-demo.XXXXXX)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT INT TERM

# A private system bus, as on a GX: unix socket, EXTERNAL auth, anyone may own names.
cat > "$work/bus.conf" <<CONF
<busconfig>
  <type>system</type>
  <listen>unix:path=$work/bus.sock</listen>
  <auth>EXTERNAL</auth>
  <policy context="default"><allow own="*"/><allow send_destination="*"/><allow receive_sender="*"/></policy>
</busconfig>
CONF
dbus-daemon --config-file="$work/bus.conf" --nofork --nopidfile & pids+=($!)
bus="unix:path=$work/bus.sock"

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null || echo 18830)
printf 'user root\nlistener %s 127.0.0.1\nallow_anonymous true\npersistence false\n' "$port" > "$work/mosquitto.conf"
mosquitto -c "$work/mosquitto.conf" >"$work/mosquitto.log" 2>&1 & pids+=($!)
sleep 0.5

"$binary" --dbus-address "$bus" --broker-address 127.0.0.1 --broker-port "$port" --topic demo/meter \
  --device-instance 40 >"$work/meterbridge.log" 2>&1 & pids+=($!)
service=com.victronenergy.grid.mqtt_grid_40
sleep 0.5

show() {
  gdbus call --address "$bus" --dest "$service" --object-path / --method com.victronenergy.BusItem.GetItems 2>/dev/null \
    | grep -oE "'/(Ac|NrOfPhases)[^']*': \{'Value': <[^>]*>, 'Text': <'[^']*'>" \
    | sed -E "s/'(\/[^']*)': \{'Value': <([^>]*)>, 'Text': <'([^']*)'>/  \1 = \3/" \
    | sort || echo "  (not on D-Bus)"
}
publish() {
  echo
  echo "▶ $1"
  echo "  mosquitto_pub -t demo/meter -m '$2'"
  mosquitto_pub -h 127.0.0.1 -p "$port" -t demo/meter -m "$2"
  sleep 0.3
  show
  sleep "$pause"
}

echo "MeterBridge demo: bus $bus, broker 127.0.0.1:$port, service $service"
echo "Before any message the meter is not on the bus (a GX never sees an empty meter):"
show
publish "minimum" '{"grid":{"power":0.0}}'
publish "with L1" '{"grid":{"power":500.0,"L1":{"power":500.0}}}'
publish "with L1 and L2" '{"grid":{"power":900.0,"L1":{"power":500.0},"L2":{"power":400.0}}}'
publish "with L1, L2 and L3" '{"grid":{"power":1200.0,"L1":{"power":500.0},"L2":{"power":400.0},"L3":{"power":300.0}}}'
publish "full" '{"grid":{"power":1500.5,"voltage":231.0,"current":6.6,"energy_forward":12345.67,"energy_reverse":2345.6,"L1":{"power":500.1,"voltage":230.1,"current":2.2,"frequency":50.01,"energy_forward":4000.1,"energy_reverse":700.2},"L2":{"power":600.2,"voltage":231.2,"current":2.6,"frequency":50.02,"energy_forward":4100.1,"energy_reverse":800.2},"L3":{"power":400.2,"voltage":232.3,"current":1.8,"frequency":50.03,"energy_forward":4245.47,"energy_reverse":845.2}}}'
publish "Tasmota: total" '{"Time":"2023-11-22T21:57:13","grid":{"power":413}}'
publish "Tasmota: one phase" '{"Time":"2023-11-22T21:57:13","grid":{"power_L1":94}}'
publish "Tasmota: energies (TelePeriod)" '{"Time":"2023-11-22T21:57:20","grid":{"energy_forward":1234.567,"energy_reverse":89.1}}'
publish "a glitch (rejected: the values stay)" '{"grid":{"power":999999}}'

echo
echo "Live: one message a second with a changing power (5 s)…"
for i in 1 2 3 4 5; do
  mosquitto_pub -h 127.0.0.1 -p "$port" -t demo/meter -m "{\"grid\":{\"power\":$((400 + i * 37))}}"
  sleep 1
  printf '  %s\n' "$(show | grep '/Ac/Power =')"
done
echo
echo "meterbridge's log:"
sed 's/^/  /' "$work/meterbridge.log"
