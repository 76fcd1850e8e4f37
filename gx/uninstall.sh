#!/bin/bash
# Removes MeterBridge meters from a Victron GX device: the reverse of install.sh.
#
#   uninstall.sh [--instance N] [--root DIR]
#
# For meter N (all meters without --instance): stops it (svc), removes /service/meterbridge-N and its
# line in /data/rc.local. Config files, the meter folders and the binary stay in /data/meterbridge, so
# install.sh --instance N brings meter N back as it was (a plain install.sh upgrade leaves it removed);
# rm -rf /data/meterbridge removes everything. N is a number 0 to 2147483647.
# --root DIR (or ROOT=DIR) works below DIR instead of /. Where svc is not on the PATH it says so.
set -euo pipefail

say() { echo "uninstall.sh: $*"; }
fail() { echo "uninstall.sh: $*" >&2; exit 1; }

root=${ROOT:-/}
instance=
instance_given=0
while [ $# -gt 0 ]; do
    case $1 in
        --instance) [ $# -ge 2 ] || fail "--instance needs a number"; instance=$2; instance_given=1; shift 2 ;;
        --instance=*) instance=${1#*=}; instance_given=1; shift ;;
        --root) [ $# -ge 2 ] || fail "--root needs a directory"; root=$2; shift 2 ;;
        --root=*) root=${1#*=}; shift ;;
        -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
        *) fail "unknown argument: $1 (usage: uninstall.sh [--instance N] [--root DIR])" ;;
    esac
done
root=${root%/}
[ -z "$root" ] || [ -d "$root" ] || fail "root $root is not a directory"

base=$root/data/meterbridge
rclocal=$root/data/rc.local
services=$root/service

is_number() { case $1 in ''|*[!0-9]*) return 1 ;; *) return 0 ;; esac; }

# A device_instance as a plain decimal number 0..2147483647 without leading zeros; fails for anything
# else (no bash arithmetic: a 20-digit number would overflow it). The same as in install.sh.
as_instance() {
    local n=$1
    case $n in ''|*[!0-9]*) return 1 ;; esac
    n=${n#"${n%%[!0]*}"}
    n=${n:-0}
    if [ ${#n} -gt 10 ] || { [ ${#n} -eq 10 ] && [ "$n" \> 2147483647 ]; }; then return 1; fi
    echo "$n"
}

# Every meter something of ours exists for: a meter folder, a /service link, an rc.local line.
known_meters() {
    local p n
    for p in "$base"/meter-* "$services"/meterbridge-*; do
        [ -e "$p" ] || [ -L "$p" ] || continue
        n=${p##*-}
        if is_number "$n"; then echo "$n"; fi
    done
    if [ -f "$rclocal" ]; then
        grep -o '^ln -sfn /data/meterbridge/meter-[0-9]*/service /service/meterbridge-[0-9]*$' "$rclocal" \
            | sed 's/.*-//' || true
    fi
}

rc_line() { echo "ln -sfn /data/meterbridge/meter-$1/service /service/meterbridge-$1"; }

remove_meter() {
    local n=$1 link=$services/meterbridge-$1 dir=$base/meter-$1/service
    local did=0
    # daemontools' way: take the link out of /service first (so svscan does not start it again),
    # then stop the service and its logger and let their supervise processes exit.
    if [ -L "$link" ]; then
        rm -f "$link"
        say "removed $link"
        did=1
    fi
    if command -v svc >/dev/null 2>&1; then
        if [ -d "$dir/supervise" ] || [ -d "$dir/log/supervise" ]; then
            svc -dx "$dir" "$dir/log" 2>/dev/null && say "stopped meterbridge-$n" || say "svc -dx $dir failed (not running?)"
        fi
    else
        say "svc not found: not stopping meterbridge-$n"
    fi
    if [ -f "$rclocal" ]; then
        local line
        line=$(rc_line "$n")
        if grep -qxF "$line" "$rclocal"; then
            # Rewritten in place (not replaced), so rc.local keeps its owner and mode.
            local rest
            rest=$(grep -vxF "$line" "$rclocal" || true)
            printf '%s\n' "$rest" > "$rclocal"
            say "removed from $rclocal: $line"
            did=1
        fi
    fi
    [ $did = 1 ] || say "meterbridge-$n was not installed"
    if [ -f "$base/meter-$n/config.ini" ]; then say "kept $base/meter-$n/config.ini"; fi
}

if [ $instance_given = 1 ]; then
    # An empty --instance must not fall through to "all meters".
    n=$(as_instance "$instance") || fail "--instance wants a number 0 to 2147483647, not '$instance'"
    remove_meter "$n"
else
    meters=$(known_meters | sort -un)
    [ -n "$meters" ] || say "no meter installed"
    for n in $meters; do remove_meter "$n"; done
fi
