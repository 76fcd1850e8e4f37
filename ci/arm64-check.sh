#!/usr/bin/env bash
# CI: the linux-arm64 binary for the GX. Builds it with build-linux-arm.sh, fails when it is not under
# 8 000 000 bytes or needs a glibc newer than 2.34 (Venus OS v3.60+ has 2.39), then runs it under qemu-aarch64
# on a smoke check that needs no broker and no bus (--version, and decode of one payload) and end to end
# against a private broker and bus. linux-arm has its own check: ci/arm-check.sh.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"

# Under 8 000 000 bytes (check_size allows equal): what takes the space and what was cut, docs/platform.md.
max_size=7999999
max_glibc=2.34
bin=out/linux-arm64/meterbridge
qemu_run=(qemu-aarch64 -L /usr/aarch64-linux-gnu)
qemu=(timeout 60 "${qemu_run[@]}")
source ci/binary-checks.sh

command -v qemu-aarch64 >/dev/null || { echo "FAIL: qemu-aarch64 not found (apt-get install qemu-user)" >&2; exit 1; }

./build-linux-arm.sh arm64

check_size "$bin" $max_size
check_glibc "$bin" $max_glibc

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

# End to end under emulation, against a private broker and bus.
check_bridge_end_to_end "under qemu" "$bin" "${qemu_run[@]}"

if [ $failures -gt 0 ]; then echo "arm64 check: $failures failure(s)" >&2; exit 1; fi
echo "arm64 check: all passed"
