# Checks of a built GX binary, shared by ci/arm64-check.sh and ci/arm-check.sh (sourced, not run). Each check
# prints "ok: …" or "FAIL: …" and counts its failure in $failures; the caller decides the exit code at its end.
# Needs llvm (llvm-readelf, llvm-objdump), mosquitto, mosquitto_pub, dbus-daemon, gdbus and python3.

failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
pass() { echo "ok: $*"; }

# check_size BIN MAX_BYTES
check_size() {
    local size
    size=$(stat -c %s "$1")
    if [ "$size" -le "$2" ]; then pass "size $size bytes <= $2"; else fail "size $size bytes > $2"; fi
}

# check_glibc BIN MAX: the highest GLIBC_x.y symbol version BIN needs is at most MAX (a binary that needs
# none passes). check_glibc BIN none: BIN is static: no program interpreter and no glibc symbol versions.
check_glibc() {
    local bin=$1 max=$2 glibc
    glibc=$(llvm-objdump -T "$bin" 2>/dev/null | grep -o 'GLIBC_[0-9.]*' | sed 's/GLIBC_//' | sort -uV | tail -n1 || true)
    if [ "$max" = none ]; then
        if llvm-readelf -l "$bin" | grep -q 'INTERP'; then
            fail "a static build has a program interpreter: $(llvm-readelf -l "$bin" | grep -A1 INTERP | tail -n1)"
        elif [ -n "$glibc" ]; then
            fail "a static build needs glibc $glibc"
        else
            pass "static: no interpreter, no glibc needed"
        fi
    elif [ -z "$glibc" ]; then
        pass "needs no glibc symbol versions"
    elif [ "$(printf '%s\n%s\n' "$glibc" "$max" | sort -V | tail -n1)" = "$max" ]; then
        pass "needs glibc $glibc <= $max"
    else
        fail "needs glibc $glibc > $max (Venus OS before v3.60 has 2.31)"
    fi
}

# check_elf_armhf BIN: a 32-bit ARM ELF for the EABI version 5 with the hard-float calling convention, which
# is what every 32-bit GX runs (Debian's and Venus OS's armhf). e_flags: EABI version in the top byte,
# EF_ARM_ABI_FLOAT_HARD = 0x400.
check_elf_armhf() {
    local header class machine flags
    header=$(llvm-readelf -h "$1" 2>&1) || { fail "not an ELF file: $1: $header"; return; }
    class=$(awk '/^ *Class:/ {print $2}' <<<"$header")
    machine=$(awk -F': *' '/^ *Machine:/ {print $2}' <<<"$header")
    flags=$(awk '/^ *Flags:/ {print $2}' <<<"$header")
    if [ "$class" = ELF32 ] && [ "$machine" = ARM ] && [ $(( (flags >> 24) & 0xff )) -eq 5 ] && [ $(( flags & 0x400 )) -ne 0 ]; then
        pass "ELF 32-bit ARM, EABI5, hard-float (flags $flags)"
    else
        fail "not a 32-bit ARM EABI5 hard-float ELF: class $class, machine $machine, flags ${flags:-?}"
    fi
}

# check_bridge_end_to_end LABEL BIN RUNNER...: a private bus and broker, BIN run by RUNNER (e.g. qemu-arm -L
# /usr/arm-linux-gnueabihf) between them, one payload in, the right values out through GetItems (read with
# gdbus), then SIGTERM must end it with exit code 0.
check_bridge_end_to_end() {
    local label=$1 bin=$2
    shift 2
    local work port bridge items pids=()
    work=$(mktemp -d)
    cat > "$work/bus.conf" <<CONF
<busconfig><type>system</type><listen>unix:path=$work/bus.sock</listen><auth>EXTERNAL</auth>
<policy context="default"><allow own="*"/><allow send_destination="*"/><allow receive_sender="*"/></policy></busconfig>
CONF
    dbus-daemon --config-file="$work/bus.conf" --nofork --nopidfile & pids+=($!)
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
    printf 'user root\nlistener %s 127.0.0.1\nallow_anonymous true\npersistence false\n' "$port" > "$work/mosquitto.conf"
    mosquitto -c "$work/mosquitto.conf" >/dev/null 2>&1 & pids+=($!)
    sleep 0.5
    "$@" "$bin" --dbus-address "unix:path=$work/bus.sock" --broker-address 127.0.0.1 \
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
        pass "$label: payload in, /Ac/L2/Power = 234.5 and /NrOfPhases = 2 out through GetItems"
    else
        fail "$label: GetItems did not show the payload: ${items:-<service never appeared>}"; cat "$work/bridge.log" >&2
    fi
    kill -TERM "$bridge"
    if timeout 5 tail --pid="$bridge" -f /dev/null && wait "$bridge"; then
        pass "$label: SIGTERM exits 0"
    else
        fail "$label: SIGTERM did not exit 0 (log follows)"; cat "$work/bridge.log" >&2
        kill -KILL "$bridge" 2>/dev/null || true
    fi
    kill "${pids[@]}" 2>/dev/null || true
    wait "${pids[@]}" 2>/dev/null || true
    rm -rf "$work"
}
