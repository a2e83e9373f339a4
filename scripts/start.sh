#!/usr/bin/env bash
# Quick start: installs what is missing (apt), builds OpsDeck, starts the demo fleet and watches it
# — in the GUI when a display is present, otherwise with `opsdeckctl watch` printing live state
# changes. History goes to SQLite in the XDG data dir (~/.local/share/opsdeck/history.sqlite).
# Ctrl+C (or closing the window) stops OpsDeck and the demo fleet.
set -euo pipefail
OPSDECK_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$OPSDECK_ROOT/scripts/deps.sh"

opsdeck_install_missing "${OPSDECK_BUILD_PACKAGES[@]}"
BUILD="$OPSDECK_ROOT/build"
echo "== building in $BUILD"
opsdeck_build "$BUILD" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DOPSDECK_BUILD_TESTS=OFF

DEMO_DIR="${XDG_DATA_HOME:-$HOME/.local/share}/opsdeck/demo"
mkdir -p "$DEMO_DIR/logs"
echo "== starting the demo fleet (opsdeck-sim), faults from resources/demo/faults.yaml"
"$BUILD/app/opsdeck-sim/opsdeck-sim" --faults "$OPSDECK_ROOT/resources/demo/faults.yaml" \
  --cert-dir "$DEMO_DIR" --log-dir "$DEMO_DIR/logs" > "$DEMO_DIR/sim.out" 2> "$DEMO_DIR/sim.err" &
SIM=$!
trap 'kill $SIM 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do
  grep -q "opsdeck-sim ready" "$DEMO_DIR/sim.out" 2>/dev/null && break
  kill -0 $SIM 2>/dev/null || { cat "$DEMO_DIR/sim.err" >&2; exit 1; }
  sleep 0.1
done

CONFIG="$OPSDECK_ROOT/resources/configs/demo.yaml"
if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ] && [ -x "$BUILD/app/opsdeck/opsdeck" ]; then
  echo "== starting the OpsDeck console"
  "$BUILD/app/opsdeck/opsdeck" --config "$CONFIG" "$@"
else
  echo "== no display: watching from the terminal (Ctrl+C stops)"
  "$BUILD/app/opsdeckctl/opsdeckctl" watch --config "$CONFIG" "$@"
fi
