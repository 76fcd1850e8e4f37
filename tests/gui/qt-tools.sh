# Sourced by the GUI scripts: where Debian keeps the Qt 6 tools (not on PATH by default). A missing tool is an
# error, never a skip.
qt_tool() {
  local name=$1 dir
  for dir in /usr/lib/qt6/bin /usr/lib/qt6/libexec /usr/lib/x86_64-linux-gnu/qt6/bin /usr/lib/x86_64-linux-gnu/qt6/libexec; do
    [ -x "$dir/$name" ] && { echo "$dir/$name"; return 0; }
  done
  command -v "$name" 2>/dev/null && return 0
  echo "missing Qt tool: $name (scripts/setup.sh installs it)" >&2
  return 1
}
