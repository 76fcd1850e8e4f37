#!/bin/bash
# Installs (or upgrades) MeterBridge meters on a Victron GX device.
#
#   install.sh [--instance N] [--root DIR]
#
# Layout (everything survives firmware updates under /data):
#   /data/meterbridge/meterbridge                 the one binary of all meters
#   /data/meterbridge/meter-N/config.ini          meter N's config (N = its device_instance)
#   /data/meterbridge/meter-N/service/            its daemontools service: run, log/run
#   /service/meterbridge-N -> /data/meterbridge/meter-N/service
#   /data/rc.local: one line per meter that re-creates that link at boot (/service is rebuilt in RAM)
#
# --instance N  installs meter N. Its config.ini is made once (never overwritten) from
#               /data/meterbridge/config.ini (e.g. a dbus-mqtt-grid config moved there), else a config.ini
#               next to this script, else config.sample.ini; device_instance is set to N.
#               N (0 to 2147483647) must not be the device_instance of another installed meter.
# no --instance upgrades every installed meter (one with a /service link or an rc.local line: binary, run
#               scripts, link, rc.local line, restart); a meter-N folder that uninstall.sh left behind stays
#               uninstalled. With none installed it installs one: N = device_instance of the config above, else 100.
# --root DIR    (or ROOT=DIR) works below DIR instead of / (tests, or preparing an image).
#
# Running it twice changes nothing more. Where svc/svstat are not on the PATH it skips them and says so.
set -euo pipefail

say() { echo "install.sh: $*"; }
fail() { echo "install.sh: $*" >&2; exit 1; }

root=${ROOT:-/}
instance=
instance_given=0
while [ $# -gt 0 ]; do
    case $1 in
        --instance) [ $# -ge 2 ] || fail "--instance needs a number"; instance=$2; instance_given=1; shift 2 ;;
        --instance=*) instance=${1#*=}; instance_given=1; shift ;;
        --root) [ $# -ge 2 ] || fail "--root needs a directory"; root=$2; shift 2 ;;
        --root=*) root=${1#*=}; shift ;;
        -h|--help) sed -n '2,22p' "$0"; exit 0 ;;
        *) fail "unknown argument: $1 (usage: install.sh [--instance N] [--root DIR])" ;;
    esac
done
root=${root%/}
[ -z "$root" ] || [ -d "$root" ] || fail "root $root is not a directory"

base=$root/data/meterbridge
rclocal=$root/data/rc.local
services=$root/service
here=$(cd "$(dirname "$0")" && pwd -P)

# The section name of an ini line "[name]", else nothing.
ini_section() { case $1 in \[*\]*) local s=${1#[}; echo "${s%%]*}" ;; esac; }

# The key of an ini line "key = value" or "key: value" (configparser's forms), blanks trimmed and
# lower-cased (configparser's keys are case-insensitive); comment lines (";" or "#") yield a key that
# never matches.
ini_key() { case $1 in *[=:]*) local k=${1%%[=:]*}; k=${k//[[:space:]]/}; echo "${k,,}" ;; esac; }

# device_instance as written in the [DEFAULT] section of an ini file (possibly empty); fails when the
# key is not there.
written_instance() {
    local line section=
    while IFS= read -r line || [ -n "$line" ]; do
        line=${line%$'\r'}
        case $line in \[*) section=$(ini_section "$line"); continue ;; esac
        if [ "$section" = DEFAULT ] && [ "$(ini_key "$line")" = device_instance ]; then
            line=${line#*[=:]}
            echo "${line//[[:space:]]/}"
            return 0
        fi
    done < "$1"
    return 1
}

# A device_instance as a plain decimal number 0..2147483647 (the range MeterBridge accepts) without
# leading zeros, so that 0100 and 100 compare equal; fails for anything else. No bash arithmetic: a
# 20-digit number would overflow it.
as_instance() {
    local n=$1
    case $n in ''|*[!0-9]*) return 1 ;; esac
    n=${n#"${n%%[!0]*}"}
    n=${n:-0}
    if [ ${#n} -gt 10 ] || { [ ${#n} -eq 10 ] && [ "$n" \> 2147483647 ]; }; then return 1; fi
    echo "$n"
}

# The device_instance a meter with this config gets: 100, the driver's default, when none is written;
# as a number where it is one (else as written, which MeterBridge will refuse).
ini_instance() {
    local n
    n=$(written_instance "$1") || n=100
    as_instance "$n" || echo "$n"
}

# Sets device_instance = N in the [DEFAULT] section of an ini file: replaces the key's line when there is
# one (even with an empty value), else adds the line right after [DEFAULT], else puts a [DEFAULT] section
# with it at the top.
set_ini_instance() {
    local file=$1 n=$2 tmp=$1.tmp.$$ line section= mode
    if written_instance "$file" >/dev/null; then mode=replace
    elif grep -q '^\[DEFAULT\]' "$file"; then mode=insert
    else mode=prepend
    fi
    {
        if [ $mode = prepend ]; then printf '[DEFAULT]\ndevice_instance = %s\n\n' "$n"; fi
        while IFS= read -r line || [ -n "$line" ]; do
            case $line in \[*) section=$(ini_section "${line%$'\r'}") ;; esac
            if [ $mode = replace ] && [ "$section" = DEFAULT ] && [ "$(ini_key "$line")" = device_instance ]; then
                printf 'device_instance = %s\n' "$n"; mode=done; continue
            fi
            printf '%s\n' "$line"
            if [ $mode = insert ] && [ "$section" = DEFAULT ]; then
                printf 'device_instance = %s\n' "$n"; mode=done
            fi
        done < "$file"
    } > "$tmp"
    mv "$tmp" "$file"
}

# The installed meters: those with a /service/meterbridge-N link or an rc.local line. A meter-N folder
# alone is what uninstall.sh leaves behind (it keeps the config): that meter stays uninstalled.
installed_meters() {
    local p n
    {
        for p in "$services"/meterbridge-*; do
            [ -L "$p" ] || continue
            as_instance "${p##*/meterbridge-}" || true
        done
        if [ -f "$rclocal" ]; then
            { grep -o '^ln -sfn /data/meterbridge/meter-[0-9]*/service /service/meterbridge-[0-9][0-9]*' "$rclocal" || true; } \
                | sed 's/.*-//' | while IFS= read -r n; do as_instance "$n" || true; done
        fi
    } | sort -un
}

# The config a new meter starts from.
source_config() {
    local f
    for f in "$base/config.ini" "$here/config.ini" "$base/config.sample.ini" "$here/config.sample.ini"; do
        if [ -f "$f" ]; then echo "$f"; return; fi
    done
}

# The package's files go to /data/meterbridge when this script runs from somewhere else
# (unpacked in /data, which is the documented way, it already is /data/meterbridge).
copy_package() {
    mkdir -p "$base"
    [ "$here" -ef "$base" ] && return
    local f
    for f in meterbridge config.sample.ini install.sh uninstall.sh INSTALL.md; do
        [ -f "$here/$f" ] || continue
        cp "$here/$f" "$base/$f.new.$$"
        mv -f "$base/$f.new.$$" "$base/$f"        # a new inode: a running binary is not disturbed
    done
    if [ -d "$here/service" ]; then
        rm -rf "$base/service"
        cp -R "$here/service" "$base/service"
    fi
    say "copied the package from $here to $base"
}

rc_line() { echo "ln -sfn /data/meterbridge/meter-$1/service /service/meterbridge-$1"; }

# Adds the meter's boot line to /data/rc.local once; creates rc.local (#!/bin/bash, mode 755) when missing.
add_rc_line() {
    local line text l
    line=$(rc_line "$1")
    if [ -f "$rclocal" ] && grep -q $'\r$' "$rclocal"; then
        # With CRLF the kernel looks for the interpreter "/bin/bash\r": the file never ran at boot at all.
        text=$(while IFS= read -r l || [ -n "$l" ]; do printf '%s\n' "${l%$'\r'}"; done < "$rclocal")
        printf '%s\n' "$text" > "$rclocal"      # in place: rc.local keeps its owner and mode
        say "$rclocal had Windows (CRLF) line endings, so it could not run at boot: converted them to LF"
    fi
    if [ ! -f "$rclocal" ]; then
        mkdir -p "${rclocal%/*}"
        printf '#!/bin/bash\n' > "$rclocal"
        chmod 755 "$rclocal"
        say "created $rclocal"
    fi
    [ -x "$rclocal" ] || { chmod 755 "$rclocal"; say "made $rclocal executable (it is not run otherwise)"; }
    grep -qxF "$line" "$rclocal" && return
    # A file that does not end in a newline would glue our line to its last one.
    [ -z "$(tail -c 1 "$rclocal")" ] || printf '\n' >> "$rclocal"
    printf '%s\n' "$line" >> "$rclocal"
    say "added to $rclocal: $line"
}

write_service() {
    local n=$1 dir=$base/meter-$1/service
    local template=$base/service/run
    [ -f "$template" ] || template=$here/service/run
    [ -f "$template" ] || fail "no service/run next to this script or in $base"
    mkdir -p "$dir/log"
    cmp -s "$template" "$dir/run" || cp "$template" "$dir/run"
    local log
    log=$(printf '#!/bin/sh\nexec multilog t s25000 n4 /var/log/meterbridge-%s\n' "$n")
    [ "$(cat "$dir/log/run" 2>/dev/null)" = "$log" ] || printf '%s\n' "$log" > "$dir/log/run"
    chmod 755 "$dir/run" "$dir/log/run"
}

install_meter() {
    local n=$1 meter=$base/meter-$1 m used mine=$1
    [ -f "$meter/config.ini" ] && mine=$(ini_instance "$meter/config.ini")
    # Two meters with one device_instance would fight over the VRM instance (and the service name).
    # Numbers are compared, not text: 0100 is 100.
    for m in $(installed_meters); do
        [ "$m" = "$n" ] && continue
        used=$m
        [ -f "$base/meter-$m/config.ini" ] && used=$(ini_instance "$base/meter-$m/config.ini")
        if [ "$used" = "$n" ] || [ "$used" = "$mine" ]; then
            fail "device_instance $used is already used by $base/meter-$m/config.ini; choose another --instance"
        fi
    done

    mkdir -p "$meter"
    if [ -f "$meter/config.ini" ]; then
        used=$(ini_instance "$meter/config.ini")
        [ "$used" = "$n" ] || say "note: $meter/config.ini says device_instance = $used (kept as it is)"
    else
        local from
        from=$(source_config)
        [ -n "$from" ] || fail "no config.ini or config.sample.ini to start meter $n from"
        cp "$from" "$meter/config.ini"
        set_ini_instance "$meter/config.ini" "$n"
        say "made $meter/config.ini from $from with device_instance = $n (edit its [MQTT] topic and broker)"
    fi

    write_service "$n"

    local link=$services/meterbridge-$n target=$meter/service existed=0
    mkdir -p "$services"
    [ -L "$link" ] && [ "$(readlink "$link")" = "$target" ] && existed=1
    [ $existed = 1 ] || { ln -sfn "$target" "$link"; say "linked $link -> $target"; }

    add_rc_line "$n"

    # A new link is started by svscan within 5 s; a running meter is restarted on the (new) binary.
    if ! command -v svc >/dev/null 2>&1; then
        say "svc not found: not (re)starting meterbridge-$n (on a GX svscan starts it from $services)"
    elif [ $existed = 1 ] && [ -e "$target/supervise/ok" ]; then
        if svc -t "$link"; then say "restarted meterbridge-$n"; fi
    fi
    if ! command -v svstat >/dev/null 2>&1; then
        say "svstat not found: not showing the state of meterbridge-$n"
    else
        # On the device itself, give svscan its 5 s to pick a new link up before asking.
        local tries=0
        while [ -z "$root" ] && [ ! -e "$target/supervise/ok" ] && [ $tries -lt 7 ]; do sleep 1; tries=$((tries + 1)); done
        svstat "$link" || true
    fi
}

copy_package
[ -f "$base/meterbridge" ] || fail "no binary $base/meterbridge (unpack the release tarball in /data first)"
chmod 755 "$base/meterbridge"
for f in "$base/install.sh" "$base/uninstall.sh"; do [ -f "$f" ] && chmod 755 "$f"; done

if [ $instance_given = 1 ]; then
    n=$(as_instance "$instance") || fail "--instance wants a number 0 to 2147483647, not '$instance'"
    install_meter "$n"
else
    meters=$(installed_meters)
    if [ -n "$meters" ]; then
        for n in $meters; do install_meter "$n"; done
    else
        from=$(source_config)
        n=100
        [ -n "$from" ] && n=$(ini_instance "$from")
        as_instance "$n" >/dev/null || fail "device_instance '$n' in $from is not a number 0 to 2147483647"
        install_meter "$n"
    fi
fi
say "done; logs: tail -F /var/log/meterbridge-N/current | tai64nlocal"
