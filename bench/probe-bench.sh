#!/usr/bin/env bash
# probe-bench.sh — what one HTTP probe costs opsdeckctl, against the floor of a dedicated HTTP
# load generator on the same server, measured in the same run.
#
# Usage:
#   bench/probe-bench.sh [--opsdeckctl PATH] [--sizes 200,1000] [--runs 3] [--duration 30s]
#                        [--wrk-duration 10s] [--qt-floor] [--keep]
#   bench/probe-bench.sh --callgrind 10s [--callgrind-size 200] [--callgrind-interval 10s]
#
# What it does:
#   1. Builds opsdeckctl (RelWithDebInfo, tests off) in build-bench/ unless --opsdeckctl PATH names a
#      binary. Installs what is missing first (scripts/deps.sh: apt-get, as root or through sudo);
#      nothing else needs root.
#   2. Starts a throwaway nginx on 127.0.0.1 on a free port — its own prefix, config, pid and logs in
#      a temp dir, `daemon off` in the background, worker_processes 1, access_log off; never
#      /etc/nginx, never port 80 — answering GET /health/<i> with {"status":"ok"} and
#      Content-Type: application/json.
#   3. For each N in --sizes: a config with N HTTP checks (50 per service), each interval 1s, timeout
#      2s, conditions ["[STATUS] == 200", "[BODY].status == ok"], history ON (SQLite in the temp
#      dir), scheduler {max_concurrent: 64, per_host: 32}; runs `opsdeckctl watch --for DURATION`
#      with HOME and the XDG dirs in the temp dir and parses the line watch prints when it stops
#      ("stopped: … probes completed, … skipped; CPU … s, peak RSS … MiB").
#      per_host 32: every check here targets the same host, so per_host caps the whole run. By
#      Little's law the throughput is at most per_host / latency; 1000 probes/s needs per_host ≥
#      latency_s × 1000, and loopback latency under load (an event loop busy with 1000 results/s,
#      two cores shared with nginx and the SQLite writer) reaches tens of milliseconds — 32 keeps
#      1000 probes/s up to 32 ms per probe, while still half the global cap of 64 (the default 6
#      would cap the run at 6 / latency, i.e. below 1000/s as soon as a probe takes > 6 ms). Note
#      that QNetworkAccessManager itself opens at most 6 connections per host:port; requests
#      beyond that wait inside QNAM, and that wait counts against the 2 s timeout.
#   4. Right after each watch run, the floor: `wrk -t1 -c8 -d WRK_DURATION` against /health/0 of the
#      same nginx; wrk's user+sys CPU time (getrusage of the reaped wrk, read with bash's `times` —
#      the figure the `time` keyword prints) ÷ the requests it completed = wrk CPU µs per request.
#      Ratio = opsdeckctl CPU µs/probe ÷ wrk CPU µs/request; target ≤ 5×.
#   5. Repeats everything --runs times and prints a Markdown table of medians (the ratio is the
#      ratio of the medians), then every run's raw values. Memory target: 60 MB + 20 KB × N
#      (SI units, as in the config: 1 MB = 10^6 bytes). The report is also saved under
#      bench/results/ (gitignored).
#   Each run is checked: every probe must have been recorded in the history as ok, or the run is
#   flagged — a benchmark of failing probes measures the wrong thing. "state changes" counts the
#   lines watch printed: N checks + N/50 services going unknown -> ok is the steady state; more
#   means checks went stale or failed during the run.
#
# Options:
#   --opsdeckctl PATH     use this binary, do not build
#   --sizes LIST          comma-separated numbers of checks (default 200,1000)
#   --runs R              repetitions of each measurement (default 3)
#   --duration D          how long each watch runs: 30s, 2m, or seconds (default 30s)
#   --wrk-duration D      how long each wrk run lasts (default 10s)
#   --qt-floor            also measure, in each run, the Qt floor with bench/qtfloor (built in
#                         build-bench/qtfloor): the same paced N requests/s for the same duration
#                         from a bare Qt program, once through QNetworkAccessManager as
#                         core/httpprobe.cpp uses it, once through a minimal keep-alive client on
#                         QTcpSocket. Splits the ratio into "Qt's HTTP stack" and "OpsDeck's own".
#   --keep                keep the temp dir (configs, histories, logs) and print where it is
#   --callgrind D         instead of the benchmark: profile one `opsdeckctl watch` under
#                         valgrind --tool=callgrind (instrumentation switched on after start-up,
#                         for D), and save callgrind_annotate summaries in bench/results/
#   --callgrind-size N    number of checks for --callgrind (default 200)
#   --callgrind-interval D  their interval (default 10s). Callgrind runs the program ~50× slower:
#                         at 1s intervals it would fall behind, skip runs and turn checks stale,
#                         and the profile would show that instead of the steady state. The
#                         per-probe costs that grow with N (scans over all checks per result and
#                         per tick) do not depend on the interval, so the mix stays representative.
#
# Ctrl+C or SIGTERM stops it; nginx, opsdeckctl, wrk and the temp dir are cleaned up either way.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export OPSDECK_ROOT="$ROOT" # what scripts/deps.sh expects
BUILD_DIR="$ROOT/build-bench"
RESULTS_DIR="$ROOT/bench/results"
source "$ROOT/bench/lib.sh"

OPSDECKCTL=""
BUILD_INFO=""
SIZES="200,1000"
RUNS=3
DURATION=30
WRK_DURATION=10
KEEP=0
QT_FLOOR=0
CALLGRIND=0
CALLGRIND_SIZE=200
CALLGRIND_INTERVAL=10s
CHECKS_PER_SERVICE=50
INTERVAL=1s
TIMEOUT=2s
MAX_CONCURRENT=64
PER_HOST=32

# "30s", "2m", "1h", "30" -> seconds
seconds() {
  [[ "$1" =~ ^([0-9]+)([smh]?)$ ]] || return 1
  case "${BASH_REMATCH[2]}" in
    h) echo $(( 10#${BASH_REMATCH[1]} * 3600 )) ;;
    m) echo $(( 10#${BASH_REMATCH[1]} * 60 )) ;;
    *) echo $(( 10#${BASH_REMATCH[1]} )) ;;
  esac
}

while [ $# -gt 0 ]; do
  case "$1" in
    --opsdeckctl) OPSDECKCTL="${2:?--opsdeckctl needs a path}"; shift 2 ;;
    --sizes) SIZES="${2:?--sizes needs a list}"; shift 2 ;;
    --runs) RUNS="${2:?--runs needs a number}"; shift 2 ;;
    --duration) DURATION="$(seconds "${2:-}")" || die "bad --duration \`${2:-}\`: expected e.g. 30s"; shift 2 ;;
    --wrk-duration) WRK_DURATION="$(seconds "${2:-}")" || die "bad --wrk-duration \`${2:-}\`"; shift 2 ;;
    --keep) KEEP=1; shift ;;
    --qt-floor) QT_FLOOR=1; shift ;;
    --callgrind) CALLGRIND="$(seconds "${2:-}")" || die "bad --callgrind \`${2:-}\`"; shift 2 ;;
    --callgrind-size) CALLGRIND_SIZE="${2:?--callgrind-size needs a number}"; shift 2 ;;
    --callgrind-interval) CALLGRIND_INTERVAL="$(seconds "${2:-}")s" || die "bad --callgrind-interval \`${2:-}\`"; shift 2 ;;
    *) bench_other_option "$1" ;;
  esac
done
bench_positive_number --runs "$RUNS"
[[ "$SIZES" =~ ^[1-9][0-9]*(,[1-9][0-9]*)*$ ]] || die "--sizes: expected e.g. 200,1000, got \`$SIZES\`"
[[ "$CALLGRIND_SIZE" =~ ^[1-9][0-9]*$ ]] || die "--callgrind-size: expected a positive number"
[ "$DURATION" -gt 0 ] && [ "$WRK_DURATION" -gt 0 ] || die "durations must be positive"
IFS=, read -r -a SIZE_LIST <<< "$SIZES"

# --- what the bench needs ---------------------------------------------------------------------
source "$ROOT/scripts/deps.sh"
NEEDED=(nginx-light wrk procps sqlite3)
[ "$CALLGRIND" -gt 0 ] && NEEDED+=(valgrind)
{ [ -z "$OPSDECKCTL" ] || [ "$QT_FLOOR" = 1 ]; } && NEEDED+=("${OPSDECK_BUILD_PACKAGES[@]}")
opsdeck_install_missing "${NEEDED[@]}"
NGINX_BIN="$(command -v nginx || true)"
[ -n "$NGINX_BIN" ] || NGINX_BIN=/usr/sbin/nginx
[ -x "$NGINX_BIN" ] || die "nginx is not installed (package nginx-light)"
command -v wrk >/dev/null || die "wrk is not installed"

if [ -z "$OPSDECKCTL" ]; then
  note "building opsdeckctl (RelWithDebInfo, tests off) in $BUILD_DIR"
  cmake -S "$ROOT" -B "$BUILD_DIR" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DOPSDECK_BUILD_TESTS=OFF >/dev/null
  cmake --build "$BUILD_DIR" --target opsdeckctl >&2
  OPSDECKCTL="$BUILD_DIR/app/opsdeckctl/opsdeckctl"
  BUILD_INFO="built from $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')"
  git -C "$ROOT" diff --quiet HEAD -- core app 2>/dev/null || BUILD_INFO+=" with uncommitted changes in core/ or app/"
else
  BUILD_INFO="given with --opsdeckctl, built $(date -u -r "$OPSDECKCTL" +%Y-%m-%dT%H:%MZ 2>/dev/null || echo '?')"
fi
[ -x "$OPSDECKCTL" ] || die "no opsdeckctl binary at $OPSDECKCTL"
QTFLOOR="$BUILD_DIR/qtfloor/qtfloor"
if [ "$QT_FLOOR" = 1 ]; then
  note "building bench/qtfloor in $BUILD_DIR/qtfloor"
  cmake -S "$ROOT/bench/qtfloor" -B "$BUILD_DIR/qtfloor" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
  cmake --build "$BUILD_DIR/qtfloor" >&2
fi
OPSDECKCTL="$(cd "$(dirname "$OPSDECKCTL")" && pwd)/$(basename "$OPSDECKCTL")"

# --- temp dir, children, cleanup ---------------------------------------------------------------
WORK="$(mktemp -d "${TMPDIR:-/tmp}/opsdeck-probe-bench.XXXXXX")"
chmod 755 "$WORK" # nginx workers (nobody when started as root) never read it, but stay sane
NGINX_PID=""
CHILD_PID=""

cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  bench_stop_child
  bench_nginx_stop
  wait 2>/dev/null || true
  if [ "$KEEP" = 1 ]; then
    echo "probe-bench: kept $WORK" >&2
  else
    rm -rf "$WORK"
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- nginx ---------------------------------------------------------------------------------------
NGX="$WORK/nginx"

# One HTTP/1.0 GET over bash's /dev/tcp; prints the response.
http_get() {
  local port="$1" path="$2" reply
  exec 3<>"/dev/tcp/127.0.0.1/$port" || return 1
  printf 'GET %s HTTP/1.0\r\nHost: localhost\r\n\r\n' "$path" >&3
  reply="$(timeout 5 cat <&3)" || true
  exec 3<&- 3>&-
  printf '%s' "$reply"
}

NGINX_PORT=""
bench_nginx_start "$NGX" --main 'master_process on;' --events 'worker_connections 4096;' \
  --http 'keepalive_timeout 75s;' --http 'keepalive_requests 1000;' --server 'server_name localhost;'
reply="$(http_get "$NGINX_PORT" /health/7)"
if ! grep -q '^HTTP/1\.[01] 200' <<< "$reply" || ! grep -qi '^Content-Type: application/json' <<< "$reply" \
   || ! grep -q '{"status":"ok"}' <<< "$reply"; then
  echo "probe-bench: nginx on 127.0.0.1:$NGINX_PORT does not answer /health/7 as expected:" >&2
  printf '%s\n' "$reply" >&2
  cat "$NGX/logs/error.log" >&2
  exit 1
fi
note "nginx $("$NGINX_BIN" -v 2>&1 | sed 's/.*version: //') on 127.0.0.1:$NGINX_PORT (pid $NGINX_PID), prefix $NGX"

# --- opsdeckctl ------------------------------------------------------------------------------------
write_config() { # N FILE STORE
  local n="$1" file="$2" store="$3" i
  {
    echo "# generated by bench/probe-bench.sh: $n HTTP checks against a throwaway nginx"
    echo "store: $store"
    echo "scheduler: {max_concurrent: $MAX_CONCURRENT, per_host: $PER_HOST}"
    echo "services:"
    for (( i = 0; i < n; i++ )); do
      if (( i % CHECKS_PER_SERVICE == 0 )); then
        echo "  - name: svc-$(( i / CHECKS_PER_SERVICE ))"
        echo "    checks:"
      fi
      echo "      - name: health-$i"
      echo "        url: http://127.0.0.1:$NGINX_PORT/health/$i"
      echo "        interval: $INTERVAL"
      echo "        timeout: $TIMEOUT"
      echo '        conditions: ["[STATUS] == 200", "[BODY].status == ok"]'
    done
  } > "$file"
}

# A private HOME and XDG dirs for one opsdeckctl run (the config in config/, the history in data/,
# as ~/.config and ~/.local/share would have them): sets ENV_CMD, an `env …` prefix. (`env` execs
# the program, so the pid of the background job is the program's own, and cleanup can end it.)
opsdeck_env() { # DIR
  local d="$1"
  mkdir -p "$d/home" "$d/config" "$d/data" "$d/cache" "$d/state" "$d/runtime"
  chmod 700 "$d/runtime"
  ENV_CMD=(env -u OPSDECK_CONFIG -u DBUS_SESSION_BUS_ADDRESS HOME="$d/home" XDG_CONFIG_HOME="$d/config"
    XDG_DATA_HOME="$d/data" XDG_CACHE_HOME="$d/cache" XDG_STATE_HOME="$d/state" XDG_RUNTIME_DIR="$d/runtime")
}

STOP_RE='^stopped: ([0-9]+) probes completed, ([0-9]+) runs skipped.*CPU ([0-9.]+) s, peak RSS ([0-9.]+) MiB'

# Sets W_PROBES W_SKIPPED W_CPU W_RSS_MIB W_OK W_BAD W_WALL W_CHANGES
run_watch() { # N RUNDIR
  local n="$1" dir="$2" line t0 t1
  opsdeck_env "$dir"
  write_config "$n" "$dir/config/opsdeck.yaml" "$dir/data/history.sqlite"
  t0=$(date +%s.%N)
  if ! run_child "${ENV_CMD[@]}" "$OPSDECKCTL" watch --config "$dir/config/opsdeck.yaml" --for "${DURATION}s" \
      > "$dir/watch.out" 2> "$dir/watch.err"; then
    echo "probe-bench: opsdeckctl watch failed (N=$n); its stderr:" >&2
    tail -n 30 "$dir/watch.err" >&2
    exit 1
  fi
  t1=$(date +%s.%N)
  W_WALL=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')
  line="$(grep -E "$STOP_RE" "$dir/watch.err" | tail -n 1 || true)"
  [[ "$line" =~ $STOP_RE ]] || { echo "probe-bench: no \`stopped:\` line from opsdeckctl watch; its stderr:" >&2; tail -n 30 "$dir/watch.err" >&2; exit 1; }
  W_CHANGES=$(( $(wc -l < "$dir/watch.out") - 1 )) # less the "watching …" line
  W_PROBES="${BASH_REMATCH[1]}" W_SKIPPED="${BASH_REMATCH[2]}" W_CPU="${BASH_REMATCH[3]}" W_RSS_MIB="${BASH_REMATCH[4]}"
  # Were the probes what we meant to measure? Every recorded result should be ok.
  W_OK="?" W_BAD="?"
  if command -v sqlite3 >/dev/null && [ -f "$dir/data/history.sqlite" ]; then
    W_OK="$(sqlite3 "$dir/data/history.sqlite" 'SELECT COUNT(*) FROM results WHERE outcome = 0' 2>/dev/null || echo '?')"
    W_BAD="$(sqlite3 "$dir/data/history.sqlite" 'SELECT COUNT(*) FROM results WHERE outcome <> 0' 2>/dev/null || echo '?')"
  fi
}

# wrk's own CPU time: a helper bash starts wrk, waits for it and prints `times`, whose second line
# is the user and sys time of the helper's reaped children — wrk alone (the same getrusage
# RUSAGE_CHILDREN figure the `time` keyword reports). Unlike `time` in the foreground, this lets
# a SIGTERM from the cleanup end wrk at once.
WRK_TIMED='wrk -t1 -c8 -d"$1"s "$2" > "$3/wrk.out" 2> "$3/wrk.err" & w=$!
trap '"'"'kill -TERM $w 2>/dev/null; exit 143'"'"' TERM INT
rc=0; wait $w || rc=$?
times > "$3/wrk.times"
exit $rc'

# Sets K_REQ K_CPU K_ERRORS
run_wrk() { # DIR
  local dir="$1"
  mkdir -p "$dir"
  if ! run_child bash -c "$WRK_TIMED" wrk-timed "$WRK_DURATION" "http://127.0.0.1:$NGINX_PORT/health/0" "$dir"; then
    echo "probe-bench: wrk failed; its output:" >&2
    cat "$dir/wrk.out" "$dir/wrk.err" >&2
    exit 1
  fi
  # "0m1.234s 0m2.345s" (children: user sys)
  K_CPU="$(sed -n 2p "$dir/wrk.times" | awk '{ t = 0; for (i = 1; i <= 2; i++) { split($i, a, /[ms]/); t += a[1] * 60 + a[2] } printf "%.3f", t }')"
  K_REQ="$(awk '/requests in/ { print $1 }' "$dir/wrk.out")"
  K_ERRORS="$(awk '/Non-2xx or 3xx responses:/ { n += $NF } /Socket errors:/ { gsub(/,/, ""); n += $4 + $6 + $8 + $10 } END { print n + 0 }' "$dir/wrk.out")"
  [[ "$K_REQ" =~ ^[0-9]+$ ]] && [ "$K_REQ" -gt 0 ] || { echo "probe-bench: could not parse wrk's output:" >&2; cat "$dir/wrk.out" >&2; exit 1; }
}

QF_RE='^qtfloor: mode=[a-z]+ completed=([0-9]+) failed=([0-9]+) cpu=([0-9.]+) s'
# Sets F_DONE F_FAILED F_CPU
run_qtfloor() { # MODE N DIR
  local mode="$1" n="$2" dir="$3" line
  if ! run_child "$QTFLOOR" --mode "$mode" --port "$NGINX_PORT" --paths "$n" --rate "$n" --seconds "$DURATION" \
      > "$dir/qtfloor-$mode.out" 2> "$dir/qtfloor-$mode.err"; then
    echo "probe-bench: qtfloor --mode $mode failed:" >&2
    cat "$dir/qtfloor-$mode.out" "$dir/qtfloor-$mode.err" >&2
    exit 1
  fi
  line="$(grep -E "$QF_RE" "$dir/qtfloor-$mode.out" || true)"
  [[ "$line" =~ $QF_RE ]] || { echo "probe-bench: no result line from qtfloor --mode $mode" >&2; exit 1; }
  F_DONE="${BASH_REMATCH[1]}" F_FAILED="${BASH_REMATCH[2]}" F_CPU="${BASH_REMATCH[3]}"
  [ "$F_DONE" -gt 0 ] || die "qtfloor --mode $mode completed no requests"
}

median() { # values...
  printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) exit; if (NR % 2) printf "%s", v[(NR + 1) / 2]; else printf "%.6g", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
calc() { awk "BEGIN { printf \"$1\", $2 }"; }

# --- profiling mode ----------------------------------------------------------------------------------
if [ "$CALLGRIND" -gt 0 ]; then
  command -v valgrind >/dev/null || die "valgrind is not installed"
  mkdir -p "$RESULTS_DIR"
  stamp="$(date +%Y%m%d-%H%M%S)"
  dir="$WORK/callgrind"
  opsdeck_env "$dir"
  INTERVAL="$CALLGRIND_INTERVAL" TIMEOUT=5s
  write_config "$CALLGRIND_SIZE" "$dir/config/opsdeck.yaml" "$dir/data/history.sqlite"
  out="$RESULTS_DIR/callgrind-N$CALLGRIND_SIZE-$stamp"
  # Start-up (valgrind itself, config, SQLite schema) is not the steady state: collect only after it.
  warmup=8
  note "callgrind: opsdeckctl watch, N=$CALLGRIND_SIZE, interval $INTERVAL, $warmup s uninstrumented warm-up, then ${CALLGRIND} s collected"
  "${ENV_CMD[@]}" valgrind --tool=callgrind --instr-atstart=no --callgrind-out-file="$out.callgrind" \
    "$OPSDECKCTL" watch --config "$dir/config/opsdeck.yaml" --for "$(( warmup + CALLGRIND ))s" \
    > "$dir/watch.out" 2> "$dir/watch.err" &
  CHILD_PID=$!
  for _ in $(seq 1 $(( warmup * 10 ))); do kill -0 "$CHILD_PID" 2>/dev/null || break; sleep 0.1; done
  callgrind_control -i on "$CHILD_PID" >/dev/null 2>&1 || echo "probe-bench: warning: could not switch instrumentation on; see $dir/watch.err" >&2
  rc=0; wait "$CHILD_PID" || rc=$?; CHILD_PID=""
  [ "$rc" = 0 ] || { tail -n 30 "$dir/watch.err" >&2; die "opsdeckctl watch under callgrind failed ($rc)"; }
  {
    echo "N=$CALLGRIND_SIZE, interval $INTERVAL, timeout $TIMEOUT; ${warmup}s uninstrumented, then ${CALLGRIND}s collected"
    grep -E "$STOP_RE" "$dir/watch.err" || true
    echo "state changes printed: $(( $(wc -l < "$dir/watch.out") - 1 )) (steady state: $CALLGRIND_SIZE checks + $(( (CALLGRIND_SIZE + CHECKS_PER_SERVICE - 1) / CHECKS_PER_SERVICE )) services)"
  } | tee "$out.stopped.txt" >&2
  # Whole files, not `| head`: under pipefail a SIGPIPE'd callgrind_annotate would end the script.
  callgrind_annotate --inclusive=yes --threshold=99.9 "$out.callgrind" > "$out.inclusive.txt" 2>&1 || true
  callgrind_annotate --threshold=99.9 "$out.callgrind" > "$out.exclusive.txt" 2>&1 || true
  note "saved $out.{callgrind,inclusive.txt,exclusive.txt,stopped.txt}"
  exit 0
fi

# --- the benchmark -----------------------------------------------------------------------------------
declare -A R_PROBES R_SKIPPED R_CPU R_RSS R_OK R_BAD R_WALL R_WREQ R_WCPU R_WERR R_CHANGES
declare -A R_QDONE R_QFAIL R_QCPU R_SDONE R_SFAIL R_SCPU
total=$(( RUNS * ${#SIZE_LIST[@]} ))
step=0
for (( run = 1; run <= RUNS; run++ )); do
  for n in "${SIZE_LIST[@]}"; do
    step=$(( step + 1 ))
    note "[$step/$total] run $run, N=$n: opsdeckctl watch for ${DURATION}s, then wrk for ${WRK_DURATION}s"
    run_watch "$n" "$WORK/N$n-run$run"
    run_wrk "$WORK/N$n-run$run"
    key="$n,$run"
    R_PROBES[$key]=$W_PROBES R_SKIPPED[$key]=$W_SKIPPED R_CPU[$key]=$W_CPU R_RSS[$key]=$W_RSS_MIB
    R_OK[$key]=$W_OK R_BAD[$key]=$W_BAD R_WALL[$key]=$W_WALL R_CHANGES[$key]=$W_CHANGES
    R_WREQ[$key]=$K_REQ R_WCPU[$key]=$K_CPU R_WERR[$key]=$K_ERRORS
    if [ "$QT_FLOOR" = 1 ]; then
      run_qtfloor qnam "$n" "$WORK/N$n-run$run"
      R_QDONE[$key]=$F_DONE R_QFAIL[$key]=$F_FAILED R_QCPU[$key]=$F_CPU
      run_qtfloor socket "$n" "$WORK/N$n-run$run"
      R_SDONE[$key]=$F_DONE R_SFAIL[$key]=$F_FAILED R_SCPU[$key]=$F_CPU
      echo "   qtfloor: QNAM ${R_QDONE[$key]} requests (${R_QFAIL[$key]} failed), CPU ${R_QCPU[$key]}s; QTcpSocket ${R_SDONE[$key]} (${R_SFAIL[$key]} failed), CPU ${R_SCPU[$key]}s" >&2
    fi
    echo "   probes $W_PROBES (ok in history: $W_OK, not ok: $W_BAD), $W_CHANGES state changes, skipped $W_SKIPPED, CPU ${W_CPU}s, peak RSS ${W_RSS_MIB} MiB; wrk $K_REQ requests, CPU ${K_CPU}s" >&2
  done
done

REPORT="$WORK/report.md"
{
  echo "### Probe benchmark — $(date -u +%Y-%m-%dT%H:%MZ)"
  echo
  echo "opsdeckctl \`$OPSDECKCTL\` ($BUILD_INFO), $(nproc) cores, $(uname -r);"
  echo "nginx $("$NGINX_BIN" -v 2>&1 | sed 's/.*version: //') on 127.0.0.1, $(wrk --version 2>&1 | head -n 1 | awk '{ print $1, $2 }');"
  echo "each check: interval $INTERVAL, timeout $TIMEOUT, 2 conditions, history on (SQLite); scheduler max_concurrent $MAX_CONCURRENT, per_host $PER_HOST;"
  echo "watch --for ${DURATION}s; wrk -t1 -c8 -d${WRK_DURATION}s; medians of $RUNS runs. Targets: ratio ≤ 5×, peak RSS ≤ 60 MB + 20 KB × N."
  echo
  echo "| N | probes | probes/s | skipped | CPU µs/probe | wrk CPU µs/req | ratio (≤ 5×) | peak RSS | RSS target | verdict |"
  echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|"
  for n in "${SIZE_LIST[@]}"; do
    p=() s=() c=() up=() r=() wu=()
    for (( run = 1; run <= RUNS; run++ )); do
      key="$n,$run"
      p+=("${R_PROBES[$key]}") s+=("${R_SKIPPED[$key]}") c+=("${R_CPU[$key]}") r+=("${R_RSS[$key]}")
      up+=("$(calc '%.3f' "${R_CPU[$key]} * 1e6 / ${R_PROBES[$key]}")")
      wu+=("$(calc '%.3f' "${R_WCPU[$key]} * 1e6 / ${R_WREQ[$key]}")")
    done
    mp=$(median "${p[@]}"); ms=$(median "${s[@]}"); mup=$(median "${up[@]}"); mwu=$(median "${wu[@]}"); mr=$(median "${r[@]}")
    rss_mb=$(calc '%.1f' "$mr * 1.048576")
    target_mb=$(calc '%.1f' "60 + 0.02 * $n")
    ratio=$(calc '%.2f' "$mup / $mwu")
    verdict=""
    awk "BEGIN { exit !($ratio <= 5) }" && verdict="CPU ok" || verdict="CPU over"
    awk "BEGIN { exit !($rss_mb <= $target_mb) }" && verdict+=", RSS ok" || verdict+=", RSS over"
    printf '| %s | %s | %s | %s | %s | %s | %s× | %s MB (%s MiB) | %s MB | %s |\n' \
      "$n" "$mp" "$(calc '%.1f' "$mp / $DURATION")" "$ms" "$(calc '%.1f' "$mup")" "$(calc '%.2f' "$mwu")" \
      "$ratio" "$rss_mb" "$mr" "$target_mb" "$verdict"
  done
  echo
  echo "Raw runs (CPU = user+sys of the whole process, all threads; \"ok/not ok\" = results recorded in the history):"
  echo
  echo "| N | run | probes | expected | skipped | ok / not ok | state changes | watch wall s | CPU s | CPU µs/probe | peak RSS MiB | wrk requests | wrk errors | wrk CPU s | wrk CPU µs/req | ratio |"
  echo "|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
  for n in "${SIZE_LIST[@]}"; do
    for (( run = 1; run <= RUNS; run++ )); do
      key="$n,$run"
      rup=$(calc '%.3f' "${R_CPU[$key]} * 1e6 / ${R_PROBES[$key]}")
      rwu=$(calc '%.3f' "${R_WCPU[$key]} * 1e6 / ${R_WREQ[$key]}")
      printf '| %s | %s | %s | %s | %s | %s / %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s× |\n' \
        "$n" "$run" "${R_PROBES[$key]}" "$(( n * DURATION ))" "${R_SKIPPED[$key]}" "${R_OK[$key]}" "${R_BAD[$key]}" \
        "${R_CHANGES[$key]}" "${R_WALL[$key]}" "${R_CPU[$key]}" "$(calc '%.1f' "$rup")" "${R_RSS[$key]}" "${R_WREQ[$key]}" \
        "${R_WERR[$key]}" "${R_WCPU[$key]}" "$(calc '%.2f' "$rwu")" "$(calc '%.2f' "$rup / $rwu")"
    done
  done
  if [ "$QT_FLOOR" = 1 ]; then
    echo
    echo "Qt floor (bench/qtfloor: the same paced N requests/s for ${DURATION}s from a bare Qt program; medians, CPU µs per completed request):"
    echo
    echo "| N | opsdeckctl µs/probe | QNAM only µs/req | QTcpSocket client µs/req | wrk µs/req | opsdeckctl ÷ QNAM | QNAM ÷ wrk | QTcpSocket ÷ wrk |"
    echo "|---:|---:|---:|---:|---:|---:|---:|---:|"
    for n in "${SIZE_LIST[@]}"; do
      up=() qu=() su=() wu=()
      for (( run = 1; run <= RUNS; run++ )); do
        key="$n,$run"
        up+=("$(calc '%.3f' "${R_CPU[$key]} * 1e6 / ${R_PROBES[$key]}")")
        qu+=("$(calc '%.3f' "${R_QCPU[$key]} * 1e6 / ${R_QDONE[$key]}")")
        su+=("$(calc '%.3f' "${R_SCPU[$key]} * 1e6 / ${R_SDONE[$key]}")")
        wu+=("$(calc '%.3f' "${R_WCPU[$key]} * 1e6 / ${R_WREQ[$key]}")")
      done
      mup=$(median "${up[@]}"); mqu=$(median "${qu[@]}"); msu=$(median "${su[@]}"); mwu=$(median "${wu[@]}")
      printf '| %s | %s | %s | %s | %s | %s× | %s× | %s× |\n' "$n" "$(calc '%.1f' "$mup")" "$(calc '%.1f' "$mqu")" \
        "$(calc '%.1f' "$msu")" "$(calc '%.2f' "$mwu")" "$(calc '%.2f' "$mup / $mqu")" "$(calc '%.1f' "$mqu / $mwu")" \
        "$(calc '%.1f' "$msu / $mwu")"
    done
    echo
    echo "| N | run | QNAM requests | failed | CPU s | µs/req | QTcpSocket requests | failed | CPU s | µs/req |"
    echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
    for n in "${SIZE_LIST[@]}"; do
      for (( run = 1; run <= RUNS; run++ )); do
        key="$n,$run"
        printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' "$n" "$run" \
          "${R_QDONE[$key]}" "${R_QFAIL[$key]}" "${R_QCPU[$key]}" "$(calc '%.1f' "${R_QCPU[$key]} * 1e6 / ${R_QDONE[$key]}")" \
          "${R_SDONE[$key]}" "${R_SFAIL[$key]}" "${R_SCPU[$key]}" "$(calc '%.1f' "${R_SCPU[$key]} * 1e6 / ${R_SDONE[$key]}")"
      done
    done
  fi
  flagged=0
  for key in "${!R_PROBES[@]}"; do
    n=${key%,*}
    if [ "${R_BAD[$key]}" != 0 ] || [ "${R_WERR[$key]}" != 0 ] || [ "${R_OK[$key]}" != "${R_PROBES[$key]}" ] \
       || [ "${R_CHANGES[$key]}" -gt $(( n + (n + CHECKS_PER_SERVICE - 1) / CHECKS_PER_SERVICE )) ]; then flagged=1; fi
  done
  if [ "$flagged" = 1 ]; then
    echo
    echo "**Warning:** some runs had probes that were not ok, results missing from the history, more state changes than the steady state, or wrk errors — see the raw values."
  fi
} > "$REPORT"

mkdir -p "$RESULTS_DIR"
saved="$RESULTS_DIR/probe-bench-$(date +%Y%m%d-%H%M%S).md"
cp "$REPORT" "$saved"
echo
cat "$REPORT"
echo
echo "(saved to ${saved#"$ROOT"/})"
