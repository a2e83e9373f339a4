#!/bin/sh
# Runs one command (a tst_keyring_* suite) against a private, freshly unlocked gnome-keyring:
#
#   sh tests/run-with-keyring.sh COMMAND [ARGS...]
#
# Outer stage: a throwaway HOME and XDG directories (the keyring files live under
# $XDG_DATA_HOME/keyrings), no DISPLAY/WAYLAND_DISPLAY (so nothing can autolaunch a bus through X11
# or wait on an invisible password prompt), then a private session bus with dbus-run-session,
# which runs the inner stage of this same script.
# Inner stage: gnome-keyring-daemon (secrets component only) creates and unlocks a new login
# keyring with a known password; once it owns org.freedesktop.secrets on the private bus, the
# command runs; then the daemon is stopped by its process id, dbus-run-session ends the bus and
# the outer stage removes the temporary directory. The command's exit status is passed on.
# It never touches the caller's keyring or session bus. CTest's TIMEOUT still applies.
set -u

if [ "${OPSDECK_KEYRING_STAGE:-}" != inner ]; then
    if [ $# -lt 1 ]; then
        echo "usage: $0 COMMAND [ARGS...]" >&2
        exit 2
    fi
    for tool in dbus-run-session dbus-send gnome-keyring-daemon; do
        if ! command -v "$tool" >/dev/null 2>&1; then
            echo "run-with-keyring: '$tool' not found — install dbus, dbus-bin and gnome-keyring" >&2
            exit 1
        fi
    done

    sandbox=$(mktemp -d "${TMPDIR:-/tmp}/opsdeck-keyring.XXXXXX") || exit 1
    trap 'rm -rf "$sandbox"' EXIT
    trap 'exit 143' TERM
    trap 'exit 130' INT
    mkdir -p "$sandbox/home" "$sandbox/data" "$sandbox/config" "$sandbox/cache" "$sandbox/state" \
        "$sandbox/runtime" || exit 1
    chmod 700 "$sandbox" "$sandbox/runtime"

    export HOME="$sandbox/home"
    export XDG_DATA_HOME="$sandbox/data"
    export XDG_CONFIG_HOME="$sandbox/config"
    export XDG_CACHE_HOME="$sandbox/cache"
    export XDG_STATE_HOME="$sandbox/state"
    export XDG_RUNTIME_DIR="$sandbox/runtime"
    unset DISPLAY WAYLAND_DISPLAY DBUS_SESSION_BUS_ADDRESS GNOME_KEYRING_CONTROL SSH_AUTH_SOCK \
        XDG_CURRENT_DESKTOP DESKTOP_SESSION GNOME_DESKTOP_SESSION_ID KDE_FULL_SESSION KDE_SESSION_VERSION
    export OPSDECK_KEYRING_STAGE=inner
    export OPSDECK_KEYRING_SANDBOX="$sandbox"

    dbus-run-session -- sh "$0" "$@"
    exit $?
fi

# Inner stage: DBUS_SESSION_BUS_ADDRESS points at the private bus.
keyring_log="$OPSDECK_KEYRING_SANDBOX/gnome-keyring.log"
printf '%s' 'opsdeck-test-pass' \
    | gnome-keyring-daemon --foreground --unlock --components=secrets >"$keyring_log" 2>&1 &
keyring_pid=$!

stop_keyring() {
    kill "$keyring_pid" 2>/dev/null
    wait "$keyring_pid" 2>/dev/null
}

secrets_owned() {
    dbus-send --session --print-reply --reply-timeout=2000 --dest=org.freedesktop.DBus \
        /org/freedesktop/DBus org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets \
        2>/dev/null | grep -q 'boolean true'
}

tries=0
until secrets_owned; do
    tries=$((tries + 1))
    if [ "$tries" -ge 100 ] || ! kill -0 "$keyring_pid" 2>/dev/null; then
        echo "run-with-keyring: gnome-keyring did not provide org.freedesktop.secrets within 10 s" >&2
        cat "$keyring_log" >&2
        stop_keyring
        exit 1
    fi
    sleep 0.1
done

"$@"
status=$?
stop_keyring
exit "$status"
