#!/bin/bash
# Installs (or upgrades) MeterBridge on a Victron GX device, as the Venus OS app or the SSH route's meters.
#
#   install.sh [--app | --ssh] [--instance N] [--root DIR]
#
# The app (Venus OS v3.70 and later, which have custom applications): the tarball is unpacked into
# /data/apps/available/, and this script runs from there:
#   /data/apps/available/MeterBridge/                the app folder: binary, service/, gui-v2/MeterBridge.json
#   /data/apps/enabled/MeterBridge -> /data/apps/available/MeterBridge   (the GUI loads its plugin from there)
#   /service/meterbridge -> /data/apps/available/MeterBridge/service    `meterbridge app`, all meters
#   /data/rc.local: one line that re-creates that link at boot (/service is rebuilt in RAM; nothing on
#   Venus OS starts an app's services yet)
#   /data/meterbridge/meter-N/                      the meters' files; their settings are in the GX's settings
# Installing the app stops and unlinks every meter of the SSH route (their folders and config.ini stay: the
# app imports each config.ini once). Again after unpacking a new tarball over the app folder: the upgrade
# (the service restarts on the new binary; everything else is kept).
#
# The SSH route (Venus OS before v3.70, or --ssh): one service per meter, configured in its config.ini:
#   /data/meterbridge/meterbridge                 the one binary of all meters (copied there from the package)
#   /data/meterbridge/meter-N/config.ini          meter N's config (N = its device_instance)
#   /data/meterbridge/meter-N/service/            its daemontools service: run, log/run
#   /service/meterbridge-N -> /data/meterbridge/meter-N/service, and a line per meter in /data/rc.local
# It is refused while the app is installed (run uninstall.sh first): the app's meters keep their settings
# in the GX's settings, which config.ini does not have, so the meters would silently go back to old values.
#
# Which one: --app or --ssh; else the app when this script is in /data/apps/available/MeterBridge and Venus OS
# is v3.70 or later (/opt/victronenergy/version) or the app is installed already; else the SSH route.
# --instance N  (SSH route) installs meter N. Its config.ini is made once (never overwritten) from
#               /data/meterbridge/config.ini (e.g. a dbus-mqtt-grid config moved there), else a config.ini
#               next to this script, else config.sample.ini; device_instance is set to N.
#               N (0 to 2147483647) must not be the device_instance of another installed meter.
#               Without --instance the SSH route upgrades every installed meter (one with a /service link
#               or an rc.local line); a meter-N folder that uninstall.sh left behind stays uninstalled. With
#               none installed it installs one: N = device_instance of the config above, else 100.
# --root DIR    (or ROOT=DIR) works below DIR instead of / (tests, or preparing an image).
#
# Running it twice changes nothing more. Where svc/svstat are not on the PATH it skips them and says so.
set -euo pipefail

say() { echo "install.sh: $*"; }
fail() { echo "install.sh: $*" >&2; exit 1; }

usage="usage: install.sh [--app | --ssh] [--instance N] [--root DIR]"
root=${ROOT:-/}
route=
instance=
instance_given=0
while [ $# -gt 0 ]; do
    case $1 in
        --app|--ssh) [ -z "$route" ] || [ "$route" = "${1#--}" ] || fail "--app and --ssh exclude each other"; route=${1#--}; shift ;;
        --instance) [ $# -ge 2 ] || fail "--instance needs a number"; instance=$2; instance_given=1; shift 2 ;;
        --instance=*) instance=${1#*=}; instance_given=1; shift ;;
        --root) [ $# -ge 2 ] || fail "--root needs a directory"; root=$2; shift 2 ;;
        --root=*) root=${1#*=}; shift ;;
        -h|--help) sed -n '2,/^set /{/^#/p}' "$0"; exit 0 ;;
        *) fail "unknown argument: $1 ($usage)" ;;
    esac
done
if [ $instance_given = 1 ]; then
    [ "$route" != app ] || fail "--instance is for the SSH route (the app adds meters in the GX's Settings)"
    route=ssh
fi
root=${root%/}
[ -z "$root" ] || [ -d "$root" ] || fail "root $root is not a directory"

base=$root/data/meterbridge
rclocal=$root/data/rc.local
services=$root/service
here=$(cd "$(dirname "$0")" && pwd -P)

# The app's places. The folder's name is the plugin's name (gui-v2 and dbus-flashmq look for
# <folder>/gui-v2/<folder>.json). The lines in rc.local never carry --root: they run on the device.
app_dir=$root/data/apps/available/MeterBridge
app_enabled=$root/data/apps/enabled/MeterBridge
app_link=$services/meterbridge
app_rc_line="ln -sfn /data/apps/available/MeterBridge/service /service/meterbridge"

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

# The SSH route's files go to /data/meterbridge when this script runs from somewhere else (the app folder,
# or wherever the tarball was unpacked). The app's own service/ and plugin are not needed there.
copy_package() {
    mkdir -p "$base"
    [ "$here" -ef "$base" ] && return
    local f
    for f in meterbridge config.sample.ini install.sh uninstall.sh INSTALL.md; do
        [ -f "$here/$f" ] || continue
        cp "$here/$f" "$base/$f.new.$$"
        mv -f "$base/$f.new.$$" "$base/$f"        # a new inode: a running binary is not disturbed
    done
    if [ -d "$here/meter-service" ]; then
        rm -rf "$base/meter-service"
        cp -R "$here/meter-service" "$base/meter-service"
    fi
    say "copied the SSH route's files from $here to $base"
}

rc_line() { echo "ln -sfn /data/meterbridge/meter-$1/service /service/meterbridge-$1"; }

# Adds a boot line to /data/rc.local once; creates rc.local (#!/bin/bash, mode 755) when missing.
add_rc_line() {
    local line=$1 text l
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
    # The package's meter-service/run (service/ is the app's own service).
    local template=$base/meter-service/run
    [ -f "$template" ] || template=$here/meter-service/run
    [ -f "$template" ] || fail "no meter-service/run next to this script or in $base"
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

    add_rc_line "$(rc_line "$n")"

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

install_ssh() {
    if app_installed; then
        fail "the MeterBridge app is installed, and its meters' settings are in the GX's settings, not in config.ini: to upgrade it run /data/apps/available/MeterBridge/install.sh; to go back to the SSH route remove it first (/data/apps/available/MeterBridge/uninstall.sh --app)"
    fi
    copy_package
    [ -f "$base/meterbridge" ] || fail "no binary $base/meterbridge (unpack the release tarball first)"
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
}
# --- the app ---------------------------------------------------------------------------------------------

# Whether the app is installed: its enabled link, its /service link or its rc.local line.
app_installed() {
    [ -L "$app_enabled" ] || [ -e "$app_enabled" ] || [ -L "$app_link" ] && return 0
    [ -f "$rclocal" ] && grep -qxF "$app_rc_line" "$rclocal"
}

# The Venus OS version, e.g. v3.70 or v3.70~12 (the first line of /opt/victronenergy/version), else nothing.
venus_version() {
    local f=$root/opt/victronenergy/version v=
    [ -f "$f" ] || return 0
    IFS= read -r v < "$f" || true
    echo "${v%$'\r'}"
}

# Whether Venus OS is at least v$1.$2; false when the version cannot be told.
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

venus_said() { local v; v=$(venus_version); echo "${v:-of unknown version (no /opt/victronenergy/version)}"; }

# gui-v2 before 1.3.9 (Venus OS before v3.80) reads the plugins only when it starts: restart it, so that the
# MeterBridge pages come (or go) now. Later ones watch /data/apps/enabled themselves.
restart_gui() {
    venus_at_least 3 80 && return 0
    local gui
    for gui in "$services/start-gui" "$services/gui"; do
        [ -e "$gui" ] || continue
        if ! command -v svc >/dev/null 2>&1; then
            say "svc not found: restart the GUI yourself (svc -t /service/${gui##*/}) for it to load the plugin"
        elif svc -t "$gui"; then
            say "restarted the GUI (/service/${gui##*/}) so that it loads the plugin"
        fi
        return 0
    done
}

# A link of ours; refuses to replace anything that is not a link.
link_to() {
    local target=$1 link=$2
    if [ -e "$link" ] && [ ! -L "$link" ]; then
        fail "$link exists and is not a link: move it away, then run this again"
    fi
    [ -L "$link" ] && [ "$(readlink "$link")" = "$target" ] && return 1
    # (Called where a failure does not stop the script: each step checks for itself.)
    mkdir -p "${link%/*}" || fail "cannot make ${link%/*}"
    ln -sfn "$target" "$link" || fail "cannot link $link"
    say "linked $link -> $target"
}

install_app() {
    [ "$here" -ef "$app_dir" ] || fail "the app runs from /data/apps/available/MeterBridge: unpack the tarball into /data/apps/available/ and run /data/apps/available/MeterBridge/install.sh there (this one is in $here)"
    local f
    for f in meterbridge service/run service/log/run uninstall.sh; do
        [ -f "$app_dir/$f" ] || fail "$app_dir/$f is missing: unpack the whole tarball into /data/apps/available/"
    done
    chmod 755 "$app_dir/meterbridge" "$app_dir/service/run" "$app_dir/service/log/run" "$app_dir/install.sh" "$app_dir/uninstall.sh"
    venus_at_least 3 70 || say "note: Venus OS $(venus_said) has no custom applications (v3.70+): the app runs, but the GUI shows no MeterBridge pages"
    [ -f "$app_dir/gui-v2/MeterBridge.json" ] || say "note: no $app_dir/gui-v2/MeterBridge.json: the GUI shows no MeterBridge pages"

    # Never two copies: the SSH route's meters stop first. Their folders and config.ini stay: the app
    # imports each config.ini once.
    if [ -n "$(installed_meters)" ]; then
        bash "$app_dir/uninstall.sh" --ssh --root "${root:-/}"
        say "the SSH route's meters are stopped; the app takes each $base/meter-N/config.ini over once"
    fi

    mkdir -p "$base"
    link_to "$app_dir" "$app_enabled" || true
    local existed=0
    link_to "$app_dir/service" "$app_link" || existed=1
    add_rc_line "$app_rc_line"

    # A new link is started by svscan within 5 s; a running app is restarted on the (new) binary.
    if ! command -v svc >/dev/null 2>&1; then
        say "svc not found: not (re)starting meterbridge (on a GX svscan starts it from $services)"
    elif [ $existed = 1 ] && [ -e "$app_dir/service/supervise/ok" ]; then
        if svc -t "$app_link"; then say "restarted meterbridge"; fi
    fi
    [ ! -f "$app_dir/gui-v2/MeterBridge.json" ] || restart_gui
    if ! command -v svstat >/dev/null 2>&1; then
        say "svstat not found: not showing the state of meterbridge"
    else
        local tries=0
        while [ -z "$root" ] && [ ! -e "$app_dir/service/supervise/ok" ] && [ $tries -lt 7 ]; do sleep 1; tries=$((tries + 1)); done
        svstat "$app_link" || true
    fi
    say "done; the meters: Settings → Integrations → UI plugins → MeterBridge; logs: tail -F /var/log/meterbridge/current | tai64nlocal"
}

# --- which route ------------------------------------------------------------------------------------------

if [ -z "$route" ]; then
    if [ "$here" -ef "$app_dir" ] && { app_installed || venus_at_least 3 70; }; then
        route=app
    else
        route=ssh
        if [ "$here" -ef "$app_dir" ] && [ -n "$(venus_version)" ] && venus_at_least 0 0; then
            say "Venus OS $(venus_version) has no custom applications (they came with v3.70): installing the SSH route (--app installs the app anyway)"
        elif [ "$here" -ef "$app_dir" ]; then
            say "cannot tell the Venus OS version from /opt/victronenergy/version ('$(venus_version)'): installing the SSH route (--app installs the app)"
        fi
    fi
fi
case $route in
    app) install_app ;;
    ssh) install_ssh ;;
esac
