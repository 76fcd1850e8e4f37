#!/usr/bin/env bash
# Prints README's "Which build" section (without its heading), the notes of a GitHub release: which tarball for
# which GX, how to check it, which build for an older Venus OS. The section ends at the next heading of its level
# or higher; lines in code blocks are never taken for headings. Exit 1 when there is no such section or it is empty.
#   ci/release-notes.sh [README.md]
set -euo pipefail
readme=${1:-README.md}
notes=$(awk '
    /^```/ { fence = !fence }
    !fence && /^(#|##|###) / { if (inside) exit; if ($0 == "### Which build") { inside = 1; next } }
    inside { print }
' "$readme")
# Trim the blank lines around it.
notes=$(printf '%s\n' "$notes" | sed -e '/./,$!d')
if [ -z "${notes//[[:space:]]/}" ]; then
    echo "no \"### Which build\" section with text in $readme" >&2
    exit 1
fi
printf '%s\n' "$notes"
