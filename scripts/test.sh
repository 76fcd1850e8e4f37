#!/usr/bin/env bash
# The test command: every unit test and every test against a real Mosquitto, a real dbus-daemon and the AOT
# binary. Uses MB_BINARY when set, else out/linux-x64/meterbridge (published on first use).
set -euo pipefail
cd "$(dirname "$0")/.."
results=$(mktemp -d)
status=0
dotnet test tests/MeterBridge.Tests -c Release --nologo --logger "trx;LogFileName=results.trx" --results-directory "$results" "$@" || status=$?
# One plain closing line for CI: "N passed, N failed, N skipped" (a skipped test is never counted as passed).
trx=$(find "$results" -name '*.trx' | head -1)
if [ -n "$trx" ]; then
  passed=$(grep -o 'passed="[0-9]*"' "$trx" | head -1 | grep -o '[0-9]*')
  failed=$(grep -o 'failed="[0-9]*"' "$trx" | head -1 | grep -o '[0-9]*')
  # A skipped test is a result with outcome NotExecuted; the trx counters do not count it (notExecuted stays 0).
  skips=$(grep -o '<UnitTestResult [^>]*outcome="NotExecuted"' "$trx" | grep -o 'testName="[^"]*"' | sed 's/^/skipped: /' || true)
  [ -z "$skips" ] || echo "$skips"
  skipped=$(grep -c . <<<"$skips" || true)
  echo "tests: ${passed:-0} passed, ${failed:-0} failed, ${skipped:-0} skipped"
fi
rm -rf "$results"
exit $status
