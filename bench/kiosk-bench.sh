#!/usr/bin/env bash
# kiosk-bench.sh — resident memory of the kiosk with 50 services, against the 120 MB target of a
# Raspberry Pi 4 wall display and against a bare Qt Widgets program measured in the same run.
#
# Usage:
#   bench/kiosk-bench.sh [--bench PATH] [--services 50] [--runs 3] [--seconds 60] [--dwell 3s]
#
# What it does:
#   1. Builds opsdeck-kioskbench (RelWithDebInfo, tests off, -DOPSDECK_BUILD_BENCH=ON) in
#      build-bench/ unless --bench PATH names a binary. Installs what is missing first
#      (scripts/deps.sh: apt-get, as root or through sudo); nothing else needs root.
#      opsdeck-kioskbench builds the kiosk exactly as `opsdeck --kiosk` does (CoreSession from the
#      config and its history store, FleetSummary, KioskWindow with KioskOptions::fromConfig, shown
#      fullscreen, then the session started); it is a separate program only so that it can sample
#      its own /proc/self/status and stop by itself.
#   2. Starts a throwaway nginx on 127.0.0.1 on a free port (its own prefix, config, pid and logs in
#      a temp dir; never /etc/nginx, never port 80) answering GET /health/<i> with {"status":"ok"}.
#   3. Writes a config of N services, one HTTP check each (interval 5s, conditions
#      ["[STATUS] == 200", "[BODY].status == ok"], an SLO each), history in SQLite in the temp dir,
#      and `kiosk: { dwell: DWELL }` so that every page is shown several times.
#   4. --runs times: the kiosk for --seconds under QT_QPA_PLATFORM=offscreen (one 1920x1080 screen, real
#      fonts and painting), sampling VmRSS every second: peak = VmHWM at the end, steady = median
#      VmRSS of the second half. Then the baseline, a QApplication with one fullscreen QWidget, the
#      same way. HOME and the XDG dirs point into the temp dir.
#   5. Prints a Markdown table of medians (target: peak < 120 MB, SI: 1 MB = 10^6 bytes), then every
#      run, and saves the report in bench/results/ (gitignored). A run whose kiosk recorded no
#      results or showed fewer than 3 screens is flagged: it did not measure a working kiosk.
#
# Ctrl+C or SIGTERM stops it; nginx, the bench program and the temp dir are cleaned up either way.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export OPSDECK_ROOT="$ROOT"
BUILD_DIR="$ROOT/build-bench"
RESULTS_DIR="$ROOT/bench/results"

BENCH=""
BUILD_INFO=""
SERVICES=50
RUNS=3
SECONDS_PER_RUN=60
DWELL=3s

die() { echo "kiosk-bench: error: $*" >&2; exit 1; }
note() { echo "== $*" >&2; }

while [ $# -gt 0 ]; do
  case "$1" in
    --bench) BENCH="${2:?--bench needs a path}"; shift 2 ;;
    --services) SERVICES="${2:?--services needs a number}"; shift 2 ;;
    --runs) RUNS="${2:?--runs needs a number}"; shift 2 ;;
    --seconds) SECONDS_PER_RUN="${2:?--seconds needs a number}"; shift 2 ;;
    --dwell) DWELL="${2:?--dwell needs a duration}"; shift 2 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown option \`$1\` (see --help)" ;;
  esac
done
for opt in SERVICES RUNS SECONDS_PER_RUN; do
  [[ "${!opt}" =~ ^[1-9][0-9]*$ ]] || die "${opt}: expected a positive number, got \`${!opt}\`"
done

source "$ROOT/scripts/deps.sh"
NEEDED=(nginx-light procps)
[ -z "$BENCH" ] && NEEDED+=("${OPSDECK_BUILD_PACKAGES[@]}")
opsdeck_install_missing "${NEEDED[@]}"
NGINX_BIN="$(command -v nginx || true)"
[ -n "$NGINX_BIN" ] || NGINX_BIN=/usr/sbin/nginx
[ -x "$NGINX_BIN" ] || die "nginx is not installed (package nginx-light)"

source "$ROOT/bench/lib.sh"
bench_binary opsdeck-kioskbench bench/kioskbench/opsdeck-kioskbench core ui bench

WORK="$(mktemp -d "${TMPDIR:-/tmp}/opsdeck-kiosk-bench.XXXXXX")"
chmod 755 "$WORK"
NGINX_PID=""
CHILD_PID=""
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  for pid in "$CHILD_PID" "$NGINX_PID"; do
    [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && kill -TERM "$pid" 2>/dev/null || true
  done
  wait 2>/dev/null || true
  rm -rf "$WORK"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- nginx ---------------------------------------------------------------------------------------
NGX="$WORK/nginx"
mkdir -p "$NGX/logs" "$NGX/tmp"
start_nginx() {
  local port
  for _ in $(seq 1 20); do
    port=$(( 20000 + RANDOM % 40000 ))
    cat > "$NGX/nginx.conf" <<EOF
# Throwaway nginx for bench/kiosk-bench.sh — nothing here touches the system nginx.
worker_processes 1;
daemon off;
pid $NGX/nginx.pid;
error_log $NGX/logs/error.log warn;
events { worker_connections 1024; }
http {
    access_log off;
    client_body_temp_path $NGX/tmp/body;
    proxy_temp_path $NGX/tmp/proxy;
    fastcgi_temp_path $NGX/tmp/fastcgi;
    uwsgi_temp_path $NGX/tmp/uwsgi;
    scgi_temp_path $NGX/tmp/scgi;
    server {
        listen 127.0.0.1:$port;
        location ~ ^/health/[0-9]+\$ { default_type application/json; return 200 '{"status":"ok"}'; }
        location / { return 404; }
    }
}
EOF
    "$NGINX_BIN" -p "$NGX" -c "$NGX/nginx.conf" -e "$NGX/logs/error.log" > "$NGX/logs/stdout.log" 2>&1 &
    NGINX_PID=$!
    for _ in $(seq 1 100); do
      kill -0 "$NGINX_PID" 2>/dev/null || break
      if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then NGINX_PORT="$port"; return 0; fi
      sleep 0.05
    done
    kill -TERM "$NGINX_PID" 2>/dev/null || true
    wait "$NGINX_PID" 2>/dev/null || true
    NGINX_PID=""
  done
  cat "$NGX/logs/error.log" >&2 || true
  die "nginx did not start on a free port in 20 attempts"
}
start_nginx
note "nginx on 127.0.0.1:$NGINX_PORT (pid $NGINX_PID)"

# --- the config ----------------------------------------------------------------------------------
CONFIG="$WORK/kiosk.yaml"
{
  echo "# generated by bench/kiosk-bench.sh: $SERVICES services, one HTTP check each"
  echo "store: sqlite:$WORK/history.sqlite"
  echo "kiosk: { dwell: $DWELL }"
  echo "services:"
  for (( i = 0; i < SERVICES; i++ )); do
    echo "  - name: service-$i"
    echo "    slo: { availability: 99.9 }"
    echo "    checks:"
    echo "      - name: health"
    echo "        url: http://127.0.0.1:$NGINX_PORT/health/$i"
    echo "        interval: 5s"
    echo "        timeout: 2s"
    echo "        conditions: [\"[STATUS] == 200\", \"[BODY].status == ok\"]"
  done
} > "$CONFIG"

# --- the runs ------------------------------------------------------------------------------------
run_one() { # label args...
  local label="$1"; shift
  local rc=0
  QT_QPA_PLATFORM="offscreen:configfile=$WORK/screen.json" HOME="$WORK/home" XDG_DATA_HOME="$WORK/data" \
    XDG_CONFIG_HOME="$WORK/config" XDG_CACHE_HOME="$WORK/cache" \
    "$BENCH" --seconds "$SECONDS_PER_RUN" "$@" > "$WORK/$label.out" 2> "$WORK/$label.err" &
  CHILD_PID=$!
  wait "$CHILD_PID" || rc=$?
  CHILD_PID=""
  [ "$rc" = 0 ] || { cat "$WORK/$label.err" >&2; die "$label failed ($rc)"; }
  grep '^RESULT' "$WORK/$label.out" | sed "s/^RESULT/$label/"
}
mkdir -p "$WORK/home"
# One 1920x1080 screen named as a Pi's HDMI output (the offscreen platform's default is 800x600).
echo '{ "screens": [ { "name": "HDMI-1", "x": 0, "y": 0, "width": 1920, "height": 1080, "logicalDpi": 96, "logicalDpiScaleFactor": 1, "dpr": 1 } ] }' > "$WORK/screen.json"
note "$RUNS runs of ${SECONDS_PER_RUN} s each for the kiosk and the baseline (about $(( RUNS * SECONDS_PER_RUN * 2 / 60 + 1 )) min)"
: > "$WORK/results"
for (( run = 1; run <= RUNS; run++ )); do
  rm -f "$WORK/history.sqlite"*
  run_one "kiosk-$run" --config "$CONFIG" >> "$WORK/results"
  run_one "baseline-$run" --baseline >> "$WORK/results"
  note "run $run: $(grep -E "^(kiosk|baseline)-$run " "$WORK/results" | tr '\n' ' ')"
done

# --- the report ----------------------------------------------------------------------------------
val() { sed -n "s/.* $2=\([0-9-]*\).*/\1/p" <<<"$1"; }
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
collect() { # kind key
  local out=() line
  while read -r line; do out+=("$(val "$line" "$2")"); done < <(grep "^$1-" "$WORK/results")
  median "${out[@]}"
}
mb() { awk "BEGIN { printf \"%.1f\", $1 * 1024 / 1e6 }"; }
KP=$(collect kiosk peak_kb); KS=$(collect kiosk steady_kb); BP=$(collect baseline peak_kb); BS=$(collect baseline steady_kb)
REPORT="$WORK/report.md"
{
  echo "### Kiosk memory — $(date -u +%Y-%m-%dT%H:%MZ)"
  echo
  echo "opsdeck-kioskbench \`$BENCH\` ($BUILD_INFO), $(nproc) cores, $(uname -r), platform offscreen;"
  echo "$SERVICES services with one HTTP check each (every 5 s, against a local nginx, history in SQLite), pages every $DWELL,"
  echo "${SECONDS_PER_RUN} s per run, medians of $RUNS runs. MB = 10^6 bytes."
  echo
  echo "| | peak RSS (VmHWM), MB | steady RSS (median VmRSS, 2nd half), MB |"
  echo "|---|---:|---:|"
  echo "| kiosk, $SERVICES services | $(mb "$KP") | $(mb "$KS") |"
  echo "| baseline: QApplication + one fullscreen QWidget | $(mb "$BP") | $(mb "$BS") |"
  echo "| the kiosk's own share | $(mb "$((KP - BP))") | $(mb "$((KS - BS))") |"
  echo "| target | < 120 | |"
  echo
  verdict="within"; awk "BEGIN { exit !($KP * 1024 / 1e6 < 120) }" || verdict="OVER"
  echo "Peak resident memory is **$verdict** the 120 MB target."
  echo
  echo "Raw runs:"
  echo
  echo "| run | peak_kb | steady_kb | screens shown | results recorded |"
  echo "|---|---:|---:|---:|---:|"
  while read -r line; do
    echo "| ${line%% *} | $(val "$line" peak_kb) | $(val "$line" steady_kb) | $(val "$line" pages) | $(val "$line" results) |"
  done < "$WORK/results"
  bad=$(grep '^kiosk-' "$WORK/results" | awk '{ for (i = 2; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] } if (v["results"] == 0 || v["pages"] < 3) print $1 }')
  if [ -n "$bad" ]; then
    echo
    echo "**Warning:** these runs did not show a working kiosk (no results, or fewer than 3 screens): $bad"
  fi
} > "$REPORT"
mkdir -p "$RESULTS_DIR"
saved="$RESULTS_DIR/kiosk-bench-$(date +%Y%m%d-%H%M%S).md"
cp "$REPORT" "$saved"
echo
cat "$REPORT"
echo
echo "(saved to ${saved#"$ROOT"/})"
