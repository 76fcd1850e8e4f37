#!/usr/bin/env bash
# CI's test step. Proves the repository stands alone: the whole suite (scripts/test.sh) runs in a fresh
# `git clone` of the commit under test, in a temp folder with no shared/ beside it and MB_SHARED unset, so
# neither the upstream folder nor an untracked file can help. There every test must pass and exactly the two
# VectorCopyTests must be skipped (they compare tests/vectors with the upstream copy, which is not there).
# Then, in this checkout, where ../shared (or MB_SHARED) holds the upstream vectors, only those two run, so
# a copy that fell behind upstream still fails CI.
#
# Reuses the binary .ci/run published (MB_BINARY, default out/linux-x64/meterbridge): the clone builds
# only the tests.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo"

export MB_BINARY=${MB_BINARY:-$repo/out/linux-x64/meterbridge}
[ -x "$MB_BINARY" ] || { echo "FAIL: no binary at $MB_BINARY: publish it first (.ci/run does)" >&2; exit 1; }

expected_skips=$'MeterBridge.Tests.Vectors.VectorCopyTests.Payload_vectors_equal_the_upstream_copy\nMeterBridge.Tests.Vectors.VectorCopyTests.Source_vectors_equal_the_upstream_copy'

# Checks the closing lines of scripts/test.sh in log $1: its exit status $2 is 0, "0 failed", and the
# skipped tests are exactly $3 (one name a line, empty for none). Prints one line per problem.
check_result() {
    local log=$1 status=$2 want_skips=$3 line skips problems=0
    line=$(grep -E '^tests: [0-9]+ passed, [0-9]+ failed, [0-9]+ skipped$' "$log" | tail -n1 || true)
    skips=$(sed -n 's/^skipped: testName="\(.*\)"$/\1/p' "$log" | sort)
    [ -n "$line" ] || { echo "FAIL: scripts/test.sh printed no 'tests: N passed, N failed, N skipped' line" >&2; return 1; }
    [ "$status" -eq 0 ] || { echo "FAIL: scripts/test.sh exited $status" >&2; problems=1; }
    [[ $line == *" 0 failed,"* ]] || { echo "FAIL: tests failed" >&2; problems=1; }
    [[ $line == *" $(grep -c . <<<"$skips" || true) skipped" ]] || { echo "FAIL: the skipped count disagrees with the skipped tests named" >&2; problems=1; }
    if [ "$skips" != "$(sort <<<"$want_skips" | sed '/^$/d')" ]; then
        echo "FAIL: skipped tests were:" >&2; echo "${skips:-  (none)}" >&2
        echo "      expected:" >&2; echo "${want_skips:-  (none)}" >&2
        problems=1
    fi
    return $problems
}

# 1. The whole suite in a fresh clone of this commit, with nothing beside it.
commit=$(git rev-parse HEAD)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
git clone -q --no-hardlinks "$repo" "$work/meterbridge"
git -C "$work/meterbridge" checkout -q --detach "$commit"
[ ! -e "$work/shared" ] || { echo "FAIL: $work/shared exists" >&2; exit 1; }
echo "fresh clone of $commit in $work/meterbridge (no shared/ beside it, MB_SHARED unset)"
status=0
env -u MB_SHARED bash "$work/meterbridge/scripts/test.sh" 2>&1 | tee "$work/clone.log" || status=$?
check_result "$work/clone.log" "$status" "$expected_skips" || exit 1

# 2. The copies of the vectors against upstream, here where upstream is. A CI with no upstream folder at all
# (GitHub's hosted runner) says so explicitly with MB_NO_UPSTREAM=1; the step is then skipped, visibly.
if [ "${MB_NO_UPSTREAM:-0}" = 1 ]; then
    echo "SKIPPED: comparing tests/vectors with upstream (MB_NO_UPSTREAM=1: this CI has no upstream folder)"
    exit 0
fi
upstream=${MB_SHARED:-$repo/../shared}
echo "comparing tests/vectors with $upstream/vectors"
[ -d "$upstream/vectors" ] || { echo "FAIL: no upstream vectors at $upstream/vectors (set MB_SHARED to the folder holding vectors/)" >&2; exit 1; }
status=0
bash scripts/test.sh --filter "FullyQualifiedName~VectorCopyTests" 2>&1 | tee "$work/copy.log" || status=$?
check_result "$work/copy.log" "$status" "" || exit 1
grep -q '^tests: 2 passed,' "$work/copy.log" || { echo "FAIL: expected the 2 VectorCopyTests to pass" >&2; exit 1; }
echo "the clone stands alone, and its vectors equal upstream"
# The last closing line is the whole suite's (the comparison's own "2 passed" line stands above), for whoever reads CI's end.
grep -E '^tests: [0-9]+ passed, [0-9]+ failed, [0-9]+ skipped$' "$work/clone.log" | tail -n1
