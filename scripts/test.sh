#!/usr/bin/env bash
# Installs what is missing (apt), builds OpsDeck with its tests, and runs every test suite with the
# real parts they need: a throwaway PostgreSQL cluster, a private D-Bus session with an unlocked
# gnome-keyring, and an X server (Xvfb) for screenshots. Exits non-zero if anything fails.
set -euo pipefail
OPSDECK_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$OPSDECK_ROOT/scripts/deps.sh"

opsdeck_install_missing "${OPSDECK_BUILD_PACKAGES[@]}" "${OPSDECK_TEST_PACKAGES[@]}"
BUILD="${OPSDECK_TEST_BUILD:-$OPSDECK_ROOT/build-tests}"
echo "== building in $BUILD"
# OPSDECK_CMAKE_ARGS adds options, e.g. -DOPSDECK_SANITIZE=ON for the sanitizer build.
opsdeck_build "$BUILD" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DOPSDECK_BUILD_TESTS=ON ${OPSDECK_CMAKE_ARGS:-}

WORK="$(mktemp -d /tmp/opsdeck-test.XXXXXX)"
chmod 755 "$WORK"
PG_BIN=/usr/lib/postgresql/15/bin
AS_PG=()
[ "$(id -u)" -eq 0 ] && AS_PG=(runuser -u postgres --)
cleanup() {
  [ -f "$WORK/pg/data/postmaster.pid" ] && "${AS_PG[@]}" "$PG_BIN/pg_ctl" -D "$WORK/pg/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT

echo "== starting a throwaway PostgreSQL"
mkdir -p "$WORK/pg"
[ "$(id -u)" -eq 0 ] && chown postgres: "$WORK/pg"
PG_PORT=$(( 20000 + RANDOM % 20000 ))
"${AS_PG[@]}" "$PG_BIN/initdb" -D "$WORK/pg/data" -A trust -U postgres -E UTF8 --no-sync >/dev/null
"${AS_PG[@]}" "$PG_BIN/pg_ctl" -D "$WORK/pg/data" -l "$WORK/pg/pg.log" -w \
  -o "-p $PG_PORT -k $WORK/pg -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null
"${AS_PG[@]}" "$PG_BIN/createdb" -h 127.0.0.1 -p "$PG_PORT" -U postgres opsdeck_test
export OPSDECK_TEST_PG_URL="postgresql://postgres@127.0.0.1:$PG_PORT/opsdeck_test"

# Every suite runs with its own HOME and XDG dirs, never the operator's.
export HOME="$WORK/home" XDG_CONFIG_HOME="$WORK/home/.config" XDG_DATA_HOME="$WORK/home/.local/share"
export XDG_RUNTIME_DIR="$WORK/runtime"
mkdir -p "$HOME" "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"

echo "== running the tests"
cd "$BUILD"
ctest --output-on-failure --timeout 600 -j "$(nproc)" "$@"
