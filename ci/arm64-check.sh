#!/usr/bin/env bash
# CI: the linux-arm64 binary for the GX. Builds it with build-linux-arm.sh, fails when it is over
# 8 MiB or needs a glibc newer than 2.34 (Venus OS v3.60+ has 2.39), then runs it under qemu-aarch64
# on a smoke check that needs no broker and no bus: --version, and decode of one payload. Last, it
# checks that build-linux-arm.sh arm (linux-arm, whose packs this feed does not serve) fails with
# its one clear line.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"

max_size=8388608
max_glibc=2.34
bin=out/linux-arm64/meterbridge
qemu=(timeout 60 qemu-aarch64 -L /usr/aarch64-linux-gnu)
failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
pass() { echo "ok: $*"; }

command -v qemu-aarch64 >/dev/null || { echo "FAIL: qemu-aarch64 not found (apt-get install qemu-user)" >&2; exit 1; }

./build-linux-arm.sh arm64

size=$(stat -c %s "$bin")
if [ "$size" -le $max_size ]; then pass "size $size bytes <= $max_size"; else fail "size $size bytes > $max_size"; fi

glibc=$(llvm-objdump -T "$bin" | grep -o 'GLIBC_[0-9.]*' | sed 's/GLIBC_//' | sort -uV | tail -n1 || true)
if [ -z "$glibc" ]; then
    pass "needs no glibc symbol versions"
elif [ "$(printf '%s\n%s\n' "$glibc" "$max_glibc" | sort -V | tail -n1)" = "$max_glibc" ]; then
    pass "needs glibc $glibc <= $max_glibc"
else
    fail "needs glibc $glibc > $max_glibc (Venus OS before v3.60 has 2.31)"
fi

version=$(sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' MeterBridge.csproj | head -n1)
if out=$("${qemu[@]}" "$bin" --version 2>&1) && [[ $out == *"$version"* ]]; then
    pass "--version under qemu: $out"
else
    fail "--version under qemu did not print $version: $out"
fi

# decode reads payloads on stdin, one a line, and writes JSON; the check looks for /Ac/L1/Power = 413
# (the total mirrored into L1) wherever the JSON puts it, as a number or as {"Value": 413}.
payload='{"grid":{"power":413}}'
if out=$(printf '%s\n' "$payload" | "${qemu[@]}" "$bin" decode 2>/dev/null) && python3 - "$out" <<'EOF'
import json, sys

def docs(text):
    text = text.strip()
    try:
        yield json.loads(text)
    except ValueError:
        for line in text.splitlines():
            if line.strip():
                yield json.loads(line)

def found(node):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "/Ac/L1/Power":
                value = value.get("Value") if isinstance(value, dict) else value
                if isinstance(value, (int, float)) and abs(value - 413) < 1e-6:
                    return True
            if found(value):
                return True
    elif isinstance(node, list):
        return any(found(item) for item in node)
    return False

sys.exit(0 if any(found(doc) for doc in docs(sys.argv[1])) else 1)
EOF
then
    pass "decode under qemu: /Ac/L1/Power = 413"
else
    fail "decode under qemu of $payload did not give /Ac/L1/Power = 413: ${out:-<no output>}"
fi

# End to end under emulation: a private bus and broker, the arm64 binary between them, one payload in,
# the right values out through GetItems (read with gdbus), then SIGTERM must end it with exit code 0.
work=$(mktemp -d)
e2e_pids=()
cleanup_e2e() { for pid in "${e2e_pids[@]}"; do kill "$pid" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup_e2e EXIT
cat > "$work/bus.conf" <<CONF
<busconfig><type>system</type><listen>unix:path=$work/bus.sock</listen><auth>EXTERNAL</auth>
<policy context="default"><allow own="*"/><allow send_destination="*"/><allow receive_sender="*"/></policy></busconfig>
CONF
dbus-daemon --config-file="$work/bus.conf" --nofork --nopidfile & e2e_pids+=($!)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
printf 'user root\nlistener %s 127.0.0.1\nallow_anonymous true\npersistence false\n' "$port" > "$work/mosquitto.conf"
mosquitto -c "$work/mosquitto.conf" >/dev/null 2>&1 & e2e_pids+=($!)
sleep 0.5
qemu-aarch64 -L /usr/aarch64-linux-gnu "$bin" --dbus-address "unix:path=$work/bus.sock" --broker-address 127.0.0.1 \
    --broker-port "$port" --topic ci/meter --device-instance 60 >"$work/bridge.log" 2>&1 &
bridge=$!
items=""
for _ in $(seq 1 40); do
    mosquitto_pub -h 127.0.0.1 -p "$port" -t ci/meter -m '{"grid":{"power":1234.5,"L1":{"power":1000},"L2":{"power":234.5}}}' || true
    sleep 0.5
    items=$(gdbus call --address "unix:path=$work/bus.sock" --dest com.victronenergy.grid.mqtt_grid_60 --object-path / \
        --method com.victronenergy.BusItem.GetItems 2>/dev/null) && break
done
if [[ $items == *"'/Ac/L2/Power': {'Value': <234.5>, 'Text': <'234.5 W'>}"* && $items == *"'/NrOfPhases': {'Value': <2>"* ]]; then
    pass "under qemu: payload in, /Ac/L2/Power = 234.5 and /NrOfPhases = 2 out through GetItems"
else
    fail "under qemu: GetItems did not show the payload: ${items:-<service never appeared>}"; cat "$work/bridge.log" >&2
fi
kill -TERM "$bridge"
if timeout 5 tail --pid="$bridge" -f /dev/null && wait "$bridge"; then
    pass "under qemu: SIGTERM exits 0"
else
    fail "under qemu: SIGTERM did not exit 0 (log follows)"; cat "$work/bridge.log" >&2
fi

# linux-arm cannot be built here: the script must say so in one line of its own, and fail.
if arm_out=$(./build-linux-arm.sh arm 2>&1); then
    fail "build-linux-arm.sh arm succeeded here; drop this check if the feed now serves linux-arm"
elif [ "$(printf '%s\n' "$arm_out" | wc -l)" -eq 1 ] && [[ $arm_out == "linux-arm: cannot be built here"* ]]; then
    pass "build-linux-arm.sh arm refuses clearly: $arm_out"
else
    fail "build-linux-arm.sh arm failed without its one clear line: $arm_out"
fi

if [ $failures -gt 0 ]; then echo "arm64 check: $failures failure(s)" >&2; exit 1; fi
echo "arm64 check: all passed"
