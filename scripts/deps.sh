# Sourced by start.sh and test.sh: installs the Debian 12 packages OpsDeck needs, only those that
# are missing, so a second run costs nothing. Runs apt as root, or through sudo.

OPSDECK_BUILD_PACKAGES=(
  g++ cmake ninja-build pkg-config
  qt6-base-dev qt6-charts-dev libqt6opengl6-dev qt6-httpserver-dev qt6-websockets-dev
  qt6-svg-dev qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools qt6-translations-l10n qtkeychain-qt6-dev
  libqt6sql6-sqlite libqt6sql6-psql libsqlite3-dev libyaml-cpp-dev libgl-dev libxkbcommon-dev
  openssl ca-certificates
  postgresql-client   # pg_dump/pg_restore for the pg-dump, pg-restore and restore built-ins and backup verification
)
# What the tests and benchmarks add: a keychain in a private D-Bus session, a throwaway
# PostgreSQL, an X server for screenshots and the tray, nginx and wrk for the benchmark.
OPSDECK_TEST_PACKAGES=(
  xvfb xauth dbus dbus-x11 gnome-keyring libsecret-tools postgresql
  imagemagick fonts-dejavu-core trayer dunst libnotify-bin nginx-light wrk procps
  # the .deb (tst_package): dpkg-shlibdeps, and the validators of its desktop files, metainfo,
  # man pages and systemd units
  dpkg-dev appstream desktop-file-utils groff-base systemd
)

opsdeck_install_missing() {
  local missing=() pkg
  for pkg in "$@"; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
      missing+=("$pkg")
    fi
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "== installing ${#missing[@]} missing packages: ${missing[*]}"
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

opsdeck_build() {
  local dir="$1"; shift
  cmake -S "$OPSDECK_ROOT" -B "$dir" -G Ninja "$@" >/dev/null
  cmake --build "$dir"
}
