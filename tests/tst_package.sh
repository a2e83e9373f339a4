#!/usr/bin/env bash
# tst_package: builds the .deb with CPack from a finished build tree, unpacks it into a scratch
# root and checks what an operator gets: the control fields (shlibdeps ran, the runtime-loaded
# packages are there), the installed programs run and are stripped, every installed example config
# passes `config check` where it lies (its ../runbooks resolve), the desktop files, metainfo, man
# pages and systemd units validate, and the man pages name every command and option the programs'
# --help lists.
#   tst_package.sh BUILD_DIR VERSION
set -euo pipefail
BUILD="$1"
VERSION="$2"

failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
pass() { echo "PASS: $*"; }

for tool in cpack dpkg-deb dpkg-shlibdeps desktop-file-validate appstreamcli systemd-analyze groff readelf; do
  command -v "$tool" >/dev/null || { echo "FAIL: $tool is missing (scripts/deps.sh installs it)"; exit 1; }
done
for program in opsdeck opsdeckctl opsdeck-sim; do
  [ -x "$BUILD/app/$program/$program" ] || { echo "FAIL: $BUILD/app/$program/$program is not built: build everything first"; exit 1; }
done

WORK="$(mktemp -d /tmp/opsdeck-package.XXXXXX)"
trap 'rm -rf "$WORK"' EXIT
ROOT="$WORK/root"
export QT_QPA_PLATFORM=offscreen
export XDG_RUNTIME_DIR="$WORK/runtime"
mkdir -m 700 "$XDG_RUNTIME_DIR"

# --- build the package (into the scratch dir: the build tree is left as it was) ------------------
if ! cpack --config "$BUILD/CPackConfig.cmake" -G DEB -B "$WORK/out" >"$WORK/cpack.log" 2>&1; then
  cat "$WORK/cpack.log"; echo "FAIL: cpack"; exit 1
fi
ARCH="$(dpkg --print-architecture)"
DEB="$WORK/out/opsdeck_${VERSION}_${ARCH}.deb"
[ -f "$DEB" ] || { ls -l "$WORK/out"; echo "FAIL: no $DEB"; exit 1; }
pass "cpack built $(basename "$DEB") ($(stat -c %s "$DEB") bytes)"

# --- control fields ------------------------------------------------------------------------------
dpkg-deb -I "$DEB" >"$WORK/info" || fail "dpkg-deb -I"
field() { dpkg-deb -f "$DEB" "$1"; }
[ "$(field Package)" = opsdeck ] && pass "Package: opsdeck" || fail "Package: $(field Package)"
[ "$(field Version)" = "$VERSION" ] && pass "Version: $VERSION" || fail "Version: $(field Version)"
[ "$(field Architecture)" = "$ARCH" ] && pass "Architecture: $ARCH" || fail "Architecture: $(field Architecture)"
has() { # has FIELD PACKAGE: PACKAGE is one of FIELD's alternatives
  field "$1" | tr ',|' '\n\n' | sed -E 's/^ *//; s/ .*//' | grep -qx "$2"
}
# From dpkg-shlibdeps (linked) and from the explicit list (loaded at run time).
for dep in libc6 libqt6core6 libqt6widgets6 libqt6network6 libqt6sql6 libqt6keychain1 libyaml-cpp0.7 libsqlite3-0 \
           libqt6sql6-sqlite libsecret-1-0 libqt6svg6; do
  has Depends "$dep" || fail "Depends lacks $dep: $(field Depends)"
done
for dep in postgresql-client gnome-keyring dbus-user-session libqt6opengl6; do
  has Recommends "$dep" || fail "Recommends lacks $dep: $(field Recommends)"
done
has Suggests libqt6sql6-psql || fail "Suggests lacks libqt6sql6-psql: $(field Suggests)"
grep -q 'Depends:.*libqt6core6 (>= ' "$WORK/info" && pass "Depends carries shlibdeps' versioned library packages" \
  || fail "no versioned libqt6core6 in Depends"

# --- unpack into a scratch root ------------------------------------------------------------------
dpkg -x "$DEB" "$ROOT"
for f in usr/bin/opsdeck usr/bin/opsdeckctl usr/bin/opsdeck-sim \
         usr/share/applications/opsdeck.desktop usr/share/metainfo/io.github.opsdeck.OpsDeck.metainfo.xml \
         usr/share/icons/hicolor/scalable/apps/opsdeck.svg \
         usr/share/man/man1/opsdeck.1.gz usr/share/man/man1/opsdeckctl.1.gz usr/share/man/man1/opsdeck-sim.1.gz \
         usr/lib/systemd/user/opsdeck-watch.service usr/lib/systemd/user/opsdeck-kiosk.service \
         usr/share/opsdeck/autostart/opsdeck-kiosk.desktop usr/share/opsdeck/demo/faults.yaml \
         usr/share/doc/opsdeck/README.md; do
  [ -f "$ROOT/$f" ] || fail "not installed: /$f"
done
[ "$(find "$ROOT/usr/share/opsdeck/examples" -name '*.yaml' | wc -l)" -ge 5 ] && pass "examples installed" \
  || fail "examples missing"

# --- the installed programs ----------------------------------------------------------------------
BIN="$ROOT/usr/bin"
if ldd "$BIN"/* | grep -q 'not found'; then fail "unresolved libraries: $(ldd "$BIN"/* | grep 'not found')"; fi
for program in opsdeck opsdeckctl opsdeck-sim; do
  readelf -S "$BIN/$program" | grep -q '\.debug_info' && fail "$program is not stripped"
done
out="$("$BIN/opsdeckctl" --version)" && [ "$out" = "opsdeckctl $VERSION" ] && pass "opsdeckctl --version: $out" \
  || fail "opsdeckctl --version: $out"
out="$("$BIN/opsdeck" --version 2>/dev/null)" && grep -q "$VERSION" <<<"$out" && pass "opsdeck --version" \
  || fail "opsdeck --version: $out"
out="$("$BIN/opsdeck-sim" --version 2>/dev/null)" && grep -q "$VERSION" <<<"$out" && pass "opsdeck-sim --version" \
  || fail "opsdeck-sim --version: $out"

for config in "$ROOT"/usr/share/opsdeck/examples/*.yaml; do
  if out="$("$BIN/opsdeckctl" config check "$config" 2>&1)"; then pass "config check: ${out#"$ROOT"}"
  else fail "config check $config: $out"; fi
done
# The layout is what makes that pass: the same config away from its runbooks is refused.
cp "$ROOT/usr/share/opsdeck/examples/ai-fsm.yaml" "$WORK/ai-fsm.yaml"
if out="$("$BIN/opsdeckctl" config check "$WORK/ai-fsm.yaml" 2>&1)"; then fail "a config without its runbooks passed: $out"
elif grep -q 'runbooks' <<<"$out"; then pass "a config without its runbooks is refused"
else fail "refused for another reason: $out"; fi

# --- desktop integration -------------------------------------------------------------------------
for desktop in "$ROOT/usr/share/applications/opsdeck.desktop" "$ROOT/usr/share/opsdeck/autostart/opsdeck-kiosk.desktop"; do
  if out="$(desktop-file-validate "$desktop" 2>&1)" && [ -z "$out" ]; then pass "desktop-file-validate $(basename "$desktop")"
  else fail "desktop-file-validate $desktop: $out"; fi
done
# validate-tree also checks that the metainfo's launchable and icon are really installed.
if out="$(appstreamcli validate-tree --no-net "$ROOT" 2>&1)"; then pass "appstreamcli validate-tree"
else fail "appstreamcli validate-tree: $out"; fi
if out="$(appstreamcli validate --no-net "$ROOT/usr/share/metainfo/io.github.opsdeck.OpsDeck.metainfo.xml" 2>&1)"; then
  pass "appstreamcli validate"
else fail "appstreamcli validate: $out"; fi
grep -q "<release version=\"$VERSION\"" "$ROOT/usr/share/metainfo/io.github.opsdeck.OpsDeck.metainfo.xml" \
  || fail "metainfo has no release $VERSION"

# --- man pages -----------------------------------------------------------------------------------
for page in opsdeck opsdeckctl opsdeck-sim; do
  gz="$ROOT/usr/share/man/man1/$page.1.gz"
  if warnings="$(zcat "$gz" | groff -man -Tutf8 -ww -z 2>&1)" && [ -z "$warnings" ]; then pass "$page.1 renders without warnings"
  else fail "$page.1: $warnings"; fi
  zcat "$gz" | sed 's/\\-/-/g' >"$WORK/$page.1.txt"
done
# Every option the programs' --help lists is in their man page, and every opsdeckctl command.
long_options() { grep -oE -- '--[a-z][a-z-]+' | grep -vxE -- '--help|--help-all' | sort -u; }
documents() { # documents PAGE PROGRAM HELP-OUTPUT...
  local page="$1" program="$2"; shift 2
  local option missing=""
  for option in $(printf '%s\n' "$@" | long_options); do
    grep -qF -- "$option" "$WORK/$page.1.txt" || missing+=" $option"
  done
  [ -z "$missing" ] && pass "$page.1 documents every option of $program" || fail "$page.1 lacks$missing"
}
documents opsdeck "opsdeck --help" "$("$BIN/opsdeck" --help 2>/dev/null)"
documents opsdeck-sim "opsdeck-sim --help" "$("$BIN/opsdeck-sim" --help 2>/dev/null)"
commands="$("$BIN/opsdeckctl" --help | sed -n '/^Commands:/,/^$/p' | sed -nE 's/^  ([a-z]+).*/\1/p')"
[ "$(wc -w <<<"$commands")" -ge 10 ] || fail "could not read the commands from opsdeckctl --help"
for command in $commands; do
  grep -qE "^\.B $command( |$)" "$WORK/opsdeckctl.1.txt" || fail "opsdeckctl.1 lacks the command $command"
  documents opsdeckctl "opsdeckctl $command" "$("$BIN/opsdeckctl" "$command" --help)"
done

# --- systemd user units --------------------------------------------------------------------------
# A bare ExecStart name is searched in systemd's fixed path (/usr/bin), where this scratch root's
# programs are not: verify a copy that names them where they are, with the man pages beside.
mkdir "$WORK/units"
for unit in opsdeck-watch opsdeck-kiosk; do
  sed -E "s|^ExecStart=([a-z-]+)|ExecStart=$BIN/\\1|" "$ROOT/usr/lib/systemd/user/$unit.service" >"$WORK/units/$unit.service"
  if out="$(MANPATH="$ROOT/usr/share/man" systemd-analyze --user verify "$WORK/units/$unit.service" 2>&1)"; then
    pass "systemd-analyze verify $unit.service"
  else fail "systemd-analyze verify $unit.service: $out"; fi
done
grep -qx 'ExecStart=opsdeckctl watch' "$ROOT/usr/lib/systemd/user/opsdeck-watch.service" || fail "opsdeck-watch runs something else"
grep -qx 'ExecStart=opsdeck --kiosk' "$ROOT/usr/lib/systemd/user/opsdeck-kiosk.service" || fail "opsdeck-kiosk runs something else"

if [ "$failures" -ne 0 ]; then
  echo "$failures check(s) failed"
  exit 1
fi
echo "all package checks passed"
