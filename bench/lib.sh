# Sourced by the bench scripts: what they do alike. Expects ROOT and BUILD_DIR, and note()/die().

# bench_binary TARGET PATH_IN_BUILD DIR...: the benchmark program. Unless $BENCH already names one
# (--bench PATH), builds TARGET (RelWithDebInfo, tests off, benchmarks on) in $BUILD_DIR and points
# BENCH at $BUILD_DIR/PATH_IN_BUILD. Sets BUILD_INFO to where the binary came from, flagging
# uncommitted changes in the source folders DIR... it is built from. BENCH ends up absolute.
bench_binary() {
  local target="$1" path="$2"
  shift 2
  if [ -z "$BENCH" ]; then
    note "building $target (RelWithDebInfo, -DOPSDECK_BUILD_BENCH=ON) in $BUILD_DIR"
    cmake -S "$ROOT" -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DOPSDECK_BUILD_TESTS=OFF \
      -DOPSDECK_BUILD_BENCH=ON >/dev/null
    cmake --build "$BUILD_DIR" --target "$target" >&2
    BENCH="$BUILD_DIR/$path"
    BUILD_INFO="built from $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')"
    git -C "$ROOT" diff --quiet HEAD -- "$@" 2>/dev/null || BUILD_INFO+=" with uncommitted changes in $*"
  else
    BUILD_INFO="given with --bench, built $(date -u -r "$BENCH" +%Y-%m-%dT%H:%MZ 2>/dev/null || echo '?')"
  fi
  [ -x "$BENCH" ] || die "no $target binary at $BENCH"
  BENCH="$(cd "$(dirname "$BENCH")" && pwd)/$(basename "$BENCH")"
}
