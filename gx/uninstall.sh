#!/bin/bash
# Removes MeterBridge from a Victron GX device: the reverse of install.sh.
#
#   uninstall.sh [--app | --ssh | --instance N] [--root DIR]
#
# The app (--app; also without options): stops it (svc), removes /service/meterbridge, its line in
# /data/rc.local and /data/apps/enabled/MeterBridge. The app folder, /data/meterbridge (the meters' files) and
# the meters' settings in the GX's settings stay, so install.sh brings the app back as it was;
# rm -rf /data/apps/available/MeterBridge removes the app's files.
# The SSH route's meter N (--instance N; all meters with --ssh or without options): stops it, removes
# /service/meterbridge-N and its line in /data/rc.local. Config files, the meter folders and the binary stay
# in /data/meterbridge, so install.sh --ssh --instance N brings meter N back as it was (a plain install.sh
# upgrade leaves it removed); rm -rf /data/meterbridge removes everything. N is a number 0 to 2147483647.
# --root DIR (or ROOT=DIR) works below DIR instead of /. Where svc is not on the PATH it says so.
# Running it twice changes nothing more.
set -euo pipefail

say() { echo "uninstall.sh: $*"; }
fail() { echo "uninstall.sh: $*" >&2; exit 1; }

usage="usage: uninstall.sh [--app | --ssh | --instance N] [--root DIR]"
root=${ROOT:-/}
what=all
instance=
instance_given=0
pick() { [ $what = all ] || [ $what = "$1" ] || fail "--app, --ssh and --instance exclude each other ($usage)"; what=$1; }
while [ $# -gt 0 ]; do
    case $1 in
        --app) pick app; shift ;;
        --ssh) pick ssh; shift ;;
        --instance) [ $# -ge 2 ] || fail "--instance needs a number"; pick meter; instance=$2; instance_given=1; shift 2 ;;
        --instance=*) pick meter; instance=${1#*=}; instance_given=1; shift ;;
        --root) [ $# -ge 2 ] || fail "--root needs a directory"; root=$2; shift 2 ;;
        --root=*) root=${1#*=}; shift ;;
        -h|--help) sed -n '2,/^set /{/^#/p}' "$0"; exit 0 ;;
        *) fail "unknown argument: $1 ($usage)" ;;
    esac
done
root=${root%/}
[ -z "$root" ] || [ -d "$root" ] || fail "root $root is not a directory"

base=$root/data/meterbridge
rclocal=$root/data/rc.local
services=$root/service
app_dir=$root/data/apps/available/MeterBridge
app_enabled=$root/data/apps/enabled/MeterBridge
app_link=$services/meterbridge
app_rc_line="ln -sfn /data/apps/available/MeterBridge/service /service/meterbridge"

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

# Takes a line out of rc.local; fails when it was not there. Rewritten in place (not replaced), so rc.local
# keeps its owner and mode.
remove_rc_line() {
    local line=$1 rest
    [ -f "$rclocal" ] && grep -qxF "$line" "$rclocal" || return 1
    rest=$(grep -vxF "$line" "$rclocal" || true)
    printf '%s\n' "$rest" > "$rclocal"
    say "removed from $rclocal: $line"
}

# Stops a service and its logger and lets their supervise processes exit (svc -dx), once its link is out of
# /service (so svscan does not start it again). On the device it waits up to 5 s for the process to end,
# so that a service started next (install.sh of the other route) never runs beside it.
stop_service() {
    local name=$1 dir=$2
    if ! command -v svc >/dev/null 2>&1; then
        say "svc not found: not stopping $name"
        return 0
    fi
    [ -d "$dir/supervise" ] || [ -d "$dir/log/supervise" ] || return 0
    if svc -dx "$dir" "$dir/log" 2>/dev/null; then say "stopped $name"; else say "svc -dx $dir failed (not running?)"; fi
    local tries=0
    while [ -z "$root" ] && command -v svstat >/dev/null 2>&1 && svstat "$dir" 2>/dev/null | grep -q ': up' && [ $tries -lt 5 ]; do
        sleep 1; tries=$((tries + 1))
    done
}

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
    stop_service "meterbridge-$n" "$dir"
    if remove_rc_line "$(rc_line "$n")"; then did=1; fi
    [ $did = 1 ] || say "meterbridge-$n was not installed"
    if [ -f "$base/meter-$n/config.ini" ]; then say "kept $base/meter-$n/config.ini"; fi
}

remove_app() {
    local did=0
    if [ -L "$app_link" ]; then
        rm -f "$app_link"
        say "removed $app_link"
        did=1
    fi
    stop_service meterbridge "$app_dir/service"
    if remove_rc_line "$app_rc_line"; then did=1; fi
    if [ -L "$app_enabled" ]; then
        rm -f "$app_enabled"
        say "removed $app_enabled"
        did=1
        restart_gui
    fi
    if [ $did = 1 ]; then
        say "kept $app_dir, $base and the meters' settings (install.sh brings the app back as it was)"
    elif [ $what = app ]; then
        say "the app was not installed"
    fi
}

# The Venus OS version, e.g. v3.70 or v3.70~12 (the first line of /opt/victronenergy/version), else nothing.
# The same as in install.sh.
venus_version() {
    local f=$root/opt/victronenergy/version v=
    [ -f "$f" ] || return 0
    IFS= read -r v < "$f" || true
    echo "${v%$'\r'}"
}

# Whether Venus OS is at least v$1.$2; false when the version cannot be told. The same as in install.sh.
venus_at_least() {
    local v major minor
    v=$(venus_version)
    v=${v#v}
    major=${v%%.*}
    minor=${v#*.}
    minor=${minor%%[!0-9]*}
    case $major$minor in ''|*[!0-9]*) return 1 ;; esac
    [ "$major" != "$v" ] && [ ${#major} -le 4 ] && [ ${#minor} -le 4 ] || return 1
    [ $((10#$major)) -gt "$1" ] || { [ $((10#$major)) -eq "$1" ] && [ $((10#$minor)) -ge "$2" ]; }
}

# gui-v2 before 1.3.9 (Venus OS before v3.80) drops a plugin only when it restarts.
restart_gui() {
    venus_at_least 3 80 && return 0
    local gui
    for gui in "$services/start-gui" "$services/gui"; do
        [ -e "$gui" ] || continue
        if ! command -v svc >/dev/null 2>&1; then
            say "svc not found: restart the GUI yourself (svc -t /service/${gui##*/}) for it to drop the plugin"
        elif svc -t "$gui"; then
            say "restarted the GUI (/service/${gui##*/}) so that it drops the plugin"
        fi
        return 0
    done
}

case $what in
    meter)
        # An empty --instance must not fall through to "all meters".
        n=$(as_instance "$instance") || fail "--instance wants a number 0 to 2147483647, not '$instance'"
        remove_meter "$n"
        ;;
    app) remove_app ;;
    ssh|all)
        [ $what = ssh ] || remove_app
        meters=$(known_meters | sort -un)
        if [ -n "$meters" ]; then
            for n in $meters; do remove_meter "$n"; done
        else
            say "no meter of the SSH route installed"
        fi
        ;;
esac
