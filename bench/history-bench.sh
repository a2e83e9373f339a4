#!/usr/bin/env bash
# history-bench.sh — what the history store costs in a steady state, SQLite and PostgreSQL side by
# side, measured in the same run.
#
# Usage:
#   bench/history-bench.sh [--bench PATH] [--runs 5] [--checks 500] [--days 400] [--ingest 200000]
#                          [--backends sqlite,postgresql] [--keep]
#
# What it does:
#   1. Builds opsdeck-historybench (bench/historybench/, RelWithDebInfo, -DOPSDECK_BUILD_BENCH=ON,
#      tests off) in build-bench/ unless --bench PATH names a binary. Installs what is missing first
#      (scripts/deps.sh: apt-get, as root or through sudo); nothing else needs root.
#   2. Starts a throwaway PostgreSQL cluster as scripts/test.sh does — initdb in a temp dir, a random
#      port on 127.0.0.1, its socket in the temp dir, fsync=off (as in the tests; SQLite runs with
#      synchronous=NORMAL in WAL mode, which does not sync at every commit either), as the postgres
#      user when run as root — never the system cluster.
#   3. For each backend, opsdeck-historybench fills an empty store (a SQLite file in the temp dir, a
#      fresh database on that cluster) to the steady state of the issue: N checks of one service each
#      at a 10 s interval (SLO: availability 99.9 %, latency 400 ms, window 30 d), day and hour
#      rollups for --days, minute rollups for the last 14 days, raw results for the last 48 hours,
#      with realistic latency histograms and a few bad minutes, all in time order and interleaved
#      across checks. Rollups go in through HistoryStore::writeRollup(), raw results through
#      record() (which maintains their rollups); nothing is probed. One retention pass then records
#      the horizons (and on PostgreSQL a VACUUM ANALYZE stands in for autovacuum having caught up).
#      Then, --runs times, each at the store's current "now":
#        (a) SloMonitor::computeAll() for the N services — the product's SLO pass: the 30-day
#            window and the six burn windows in one read (countsByServiceMulti) — at the run's
#            "now" (right after the previous run's ingest) and at every minute of the hour before
#            it, one pass after another as the monitor makes them (what a pass reads depends on
#            the minute and on what the passes before it kept; the target is judged on their
#            mean), and, as the baseline, the bare countsByService() over the 30-day window;
#        (b) one service's 30-day latency chart: series() at a 1 h step, then P95/P99 per point;
#        (c) ingest: --ingest results (the N checks in time order) through record() + flush(),
#            rollups maintained: results/s by the wall clock, and CPU µs per result (the whole
#            process: the writer thread and the thread calling record());
#        (d) retention: 10 more minutes of results, then runRetention(now): its time and the rows
#            it deleted. "now" is put at 5 past an hour, so the pass prunes 10 minutes of raw rows
#            and an hour of minute rows: the heaviest of the six passes of an hour.
#      and (e) the database size per check, databaseSizeBytes() / N, right after the fill (the
#      steady state; the target applies here) and at the end, with where the bytes are.
#   4. Prints one Markdown table — medians of the runs, SQLite and PostgreSQL side by side, the
#      targets (SLO pass < 50 ms on SQLite, ingest ≥ 20,000 results/s, ≤ 3 MB per check) met or
#      missed — then every run's raw values, the fill and the sizes per table, and saves the report
#      in bench/results/ (gitignored). Every figure is checked for what it measured (N reports with
#      events, the chart's points, every ingested result counted in the rollups, …); a failed check
#      is flagged in the report.
#
# Timing: a full run (500 checks, 400 days) fills about 15 million rollup rows and 8.6 million raw
# results per backend; allow 10–20 minutes for SQLite and more for PostgreSQL. For a quick look:
#   bench/history-bench.sh --checks 50 --days 30 --runs 3 --ingest 20000
#
# Options:
#   --bench PATH          use this opsdeck-historybench binary, do not build
#   --runs R              repetitions of each measurement (default 5)
#   --checks N            checks, one service each (default 500)
#   --days D              days of history (default 400)
#   --ingest N            results per ingest measurement (default 200000)
#   --backends LIST       sqlite,postgresql (default both)
#   --keep                keep the temp dir (stores, PostgreSQL cluster, outputs) and print where it is
#
# Ctrl+C or SIGTERM stops it; the benchmark process, PostgreSQL and the temp dir are cleaned up
# either way.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export OPSDECK_ROOT="$ROOT" # what scripts/deps.sh expects
BUILD_DIR="$ROOT/build-bench"
RESULTS_DIR="$ROOT/bench/results"
source "$ROOT/bench/lib.sh"

BENCH=""
BUILD_INFO=""
RUNS=5
CHECKS=500
DAYS=400
INGEST=200000
BACKENDS="sqlite,postgresql"
KEEP=0

while [ $# -gt 0 ]; do
  case "$1" in
    --bench) BENCH="${2:?--bench needs a path}"; shift 2 ;;
    --runs) RUNS="${2:?--runs needs a number}"; shift 2 ;;
    --checks) CHECKS="${2:?--checks needs a number}"; shift 2 ;;
    --days) DAYS="${2:?--days needs a number}"; shift 2 ;;
    --ingest) INGEST="${2:?--ingest needs a number}"; shift 2 ;;
    --backends) BACKENDS="${2:?--backends needs a list}"; shift 2 ;;
    --keep) KEEP=1; shift ;;
    *) bench_other_option "$1" ;;
  esac
done
for opt in RUNS CHECKS DAYS INGEST; do
  bench_positive_number "--${opt,,}" "${!opt}"
done
[[ "$BACKENDS" =~ ^(sqlite|postgresql)(,(sqlite|postgresql))?$ ]] || die "--backends: expected sqlite, postgresql or both, got \`$BACKENDS\`"
IFS=, read -r -a BACKEND_LIST <<< "$BACKENDS"
has_backend() { [[ ",$BACKENDS," == *",$1,"* ]]; }

# --- what the bench needs ---------------------------------------------------------------------
source "$ROOT/scripts/deps.sh"
NEEDED=(procps)
has_backend postgresql && NEEDED+=(postgresql)
[ -z "$BENCH" ] && NEEDED+=("${OPSDECK_BUILD_PACKAGES[@]}")
opsdeck_install_missing "${NEEDED[@]}"

bench_binary opsdeck-historybench bench/historybench/opsdeck-historybench core bench

# --- temp dir, children, cleanup ---------------------------------------------------------------
WORK="$(mktemp -d "${TMPDIR:-/tmp}/opsdeck-history-bench.XXXXXX")"
chmod 755 "$WORK" # the postgres user must reach its data dir inside
CHILD_PID=""
PG_BIN=""
AS_PG=()
[ "$(id -u)" -eq 0 ] && AS_PG=(runuser -u postgres --)

cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  bench_stop_child
  if [ -n "$PG_BIN" ] && [ -f "$WORK/pg/data/postmaster.pid" ]; then
    "${AS_PG[@]}" "$PG_BIN/pg_ctl" -D "$WORK/pg/data" -m immediate stop >/dev/null 2>&1 || true
  fi
  wait 2>/dev/null || true
  if [ "$KEEP" = 1 ]; then
    echo "history-bench: kept $WORK" >&2
  else
    rm -rf "$WORK"
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- PostgreSQL ------------------------------------------------------------------------------------
PG_URL=""
PG_VERSION=""
if has_backend postgresql; then
  PG_BIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
  [ -x "$PG_BIN/initdb" ] || die "PostgreSQL's initdb is not installed (package postgresql)"
  mkdir -p "$WORK/pg"
  [ "$(id -u)" -eq 0 ] && chown postgres: "$WORK/pg"
  "${AS_PG[@]}" "$PG_BIN/initdb" -D "$WORK/pg/data" -A trust -U postgres -E UTF8 --no-sync >/dev/null
  started=0
  for _ in $(seq 1 10); do
    PG_PORT=$(( 20000 + RANDOM % 20000 ))
    if command -v ss >/dev/null && [ -n "$(ss -Htln "sport = :$PG_PORT" 2>/dev/null)" ]; then
      continue
    fi
    if "${AS_PG[@]}" "$PG_BIN/pg_ctl" -D "$WORK/pg/data" -l "$WORK/pg/pg.log" -w \
         -o "-p $PG_PORT -k $WORK/pg -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null; then
      started=1
      break
    fi
  done
  [ "$started" = 1 ] || { cat "$WORK/pg/pg.log" >&2; die "PostgreSQL did not start"; }
  "${AS_PG[@]}" "$PG_BIN/createdb" -h 127.0.0.1 -p "$PG_PORT" -U postgres opsdeck_history_bench
  PG_URL="postgresql://postgres@127.0.0.1:$PG_PORT/opsdeck_history_bench"
  PG_VERSION="$("$PG_BIN/postgres" --version | awk '{ print $3 }')"
  note "PostgreSQL $PG_VERSION on 127.0.0.1:$PG_PORT, data in $WORK/pg/data"
fi

# --- the runs ----------------------------------------------------------------------------------------
for backend in "${BACKEND_LIST[@]}"; do
  note "$backend: filling $CHECKS checks × $DAYS days, then $RUNS runs (ingest $INGEST results each)"
  args=(--backend "$backend" --checks "$CHECKS" --days "$DAYS" --runs "$RUNS" --ingest "$INGEST")
  if [ "$backend" = sqlite ]; then
    args+=(--db "$WORK/history.sqlite")
  else
    args+=(--pg-url "$PG_URL")
  fi
  start=$(date +%s)
  rc=0
  run_child "$BENCH" "${args[@]}" > "$WORK/$backend.out" || rc=$?
  [ "$rc" = 0 ] || [ "$rc" = 1 ] || die "opsdeck-historybench --backend $backend failed ($rc)"
  echo "   $backend done in $(( $(date +%s) - start )) s" >&2
done

# --- the report ----------------------------------------------------------------------------------------
median() { # values...
  printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) exit; if (NR % 2) printf "%s", v[(NR + 1) / 2]; else printf "%.6g", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
calc() { awk "BEGIN { printf \"$1\", $2 }"; }
# run_values BACKEND KEY: the value of KEY in every run, one per line
run_values() { awk -v k="$2" '$1 == "RUN" && $3 == k { print $4 }' "$WORK/$1.out"; }
run_value() { awk -v r="$2" -v k="$3" '$1 == "RUN" && $2 == r && $3 == k { print $4 }' "$WORK/$1.out"; }
fact() { awk -v t="$2" -v k="$3" '$1 == t && $2 == k { print $3 }' "$WORK/$1.out"; }
med() { local v; mapfile -t v < <(run_values "$1" "$2"); [ ${#v[@]} -gt 0 ] && median "${v[@]}" || echo ""; }
label() { [ "$1" = sqlite ] && echo SQLite || echo PostgreSQL; }
fmt() { [ -n "$2" ] && calc "$1" "$2" || echo "–"; }
# verdict OP LIMIT VALUE
verdict() {
  [ -n "$3" ] || { echo "–"; return; }
  awk "BEGIN { exit !($3 $1 $2) }" && echo met || echo "**missed**"
}

REPORT="$WORK/report.md"
{
  echo "### History benchmark — $(date -u +%Y-%m-%dT%H:%MZ)"
  echo
  echo "opsdeck-historybench \`$BENCH\` ($BUILD_INFO), $(nproc) cores, $(uname -r);"
  echo "SQLite $(sqlite3 --version 2>/dev/null | awk '{ print $1 }' || echo '?') (WAL, synchronous=NORMAL)${PG_VERSION:+, PostgreSQL $PG_VERSION (throwaway cluster, fsync=off)};"
  echo "$CHECKS checks of one service each at 10 s: $DAYS days of day+hour rollups, the last 14 d as minute rollups and the last 48 h as raw results (as far as $DAYS days reach);"
  echo "SLO 99.9 %, latency 400 ms, 30 d; ingest $INGEST results per run; medians of $RUNS runs."
  echo
  header="| measurement |"; rule="|---|"
  for b in "${BACKEND_LIST[@]}"; do header+=" $(label "$b") |"; rule+="---:|"; done
  header+=" target |"; rule+="---|"
  for b in "${BACKEND_LIST[@]}"; do header+=" $(label "$b") |"; rule+="---|"; done
  echo "$header"
  echo "$rule"
  row() { # title target op limit key format [scale]
    local title="$1" target="$2" op="$3" limit="$4" key="$5" format="$6" line v vals=()
    line="| $title |"
    for b in "${BACKEND_LIST[@]}"; do
      v="$(med "$b" "$key")"
      vals+=("$v")
      line+=" $(fmt "$format" "$v") |"
    done
    line+=" $target |"
    local i=0
    for b in "${BACKEND_LIST[@]}"; do
      if [ -n "$op" ]; then line+=" $(verdict "$op" "$limit" "${vals[$i]}") |"; else line+=" |"; fi
      i=$(( i + 1 ))
    done
    echo "$line"
  }
  # The SLO target is SQLite's; PostgreSQL's figure is shown against it for comparison only. It is
  # judged on the pass at a minute anywhere in the hour (the mean over the 60 of the hour before
  # the run's "now"), since what a pass reads depends on the minute and on what the passes before
  # it kept; the runs' own "now" is 5 past (12:00 for the first).
  line="| (a) SLO pass, $CHECKS services, 30 d (computeAll: the SLO window and six burn windows in one read), mean over the 60 minutes of an hour, ms |"
  for b in "${BACKEND_LIST[@]}"; do line+=" $(fmt '%.1f' "$(med "$b" slo_hour_mean_ms)") |"; done
  line+=" < 50 ms on SQLite |"
  for b in "${BACKEND_LIST[@]}"; do
    if [ "$b" = sqlite ]; then line+=" $(verdict '<' 50 "$(med "$b" slo_hour_mean_ms)") |"; else line+=" (no target) |"; fi
  done
  echo "$line"
  row "(a) the slowest of those 60, ms" "" "" "" slo_hour_max_ms '%.1f'
  row "(a) the first pass of the run, at its own now, ms" "" "" "" slo_ms '%.1f'
  row "(a) countsByService(30 d) alone, ms" "" "" "" counts_ms '%.1f'
  row "(b) one service's 30-day chart (1 h step, P95/P99), ms" "" "" "" chart_ms '%.1f'
  row "(c) ingest, results/s (record + flush, rollups maintained)" "≥ 20,000/s" ">=" 20000 ingest_per_s '%.0f'
  row "(c) ingest, CPU µs per result (whole process)" "" "" "" ingest_cpu_us_per_result '%.1f'
  row "(d) retention pass after 10 min of new data, ms" "" "" "" retention_ms '%.1f'
  row "(d) rows that pass deleted" "" "" "" retention_deleted '%.0f'
  line="| (e) database size per check, steady state, MB |"
  for b in "${BACKEND_LIST[@]}"; do line+=" $(fmt '%.2f' "$(fact "$b" SIZE steady_mb_per_check)") |"; done
  line+=" ≤ 3 MB |"
  for b in "${BACKEND_LIST[@]}"; do line+=" $(verdict '<=' 3 "$(fact "$b" SIZE steady_mb_per_check)") |"; done
  echo "$line"
  line="| (e) database size per check after the runs, MB |"
  for b in "${BACKEND_LIST[@]}"; do line+=" $(fmt '%.2f' "$(fact "$b" SIZE end_mb_per_check)") |"; done
  line+=" |"
  for b in "${BACKEND_LIST[@]}"; do line+=" |"; done
  echo "$line"
  echo
  echo "Raw runs:"
  echo
  echo "| backend | run | SLO pass ms | over the hour: mean | slowest | countsByService ms | chart ms | ingest results | ingest results/s | CPU µs/result | retention ms | rows deleted |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
  for b in "${BACKEND_LIST[@]}"; do
    for (( run = 1; run <= RUNS; run++ )); do
      printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' "$(label "$b")" "$run" \
        "$(run_value "$b" "$run" slo_ms)" "$(run_value "$b" "$run" slo_hour_mean_ms)" "$(run_value "$b" "$run" slo_hour_max_ms)" \
        "$(run_value "$b" "$run" counts_ms)" "$(run_value "$b" "$run" chart_ms)" \
        "$(run_value "$b" "$run" ingest_results)" "$(run_value "$b" "$run" ingest_per_s)" \
        "$(run_value "$b" "$run" ingest_cpu_us_per_result)" "$(run_value "$b" "$run" retention_ms)" \
        "$(run_value "$b" "$run" retention_deleted)"
    done
  done
  echo
  echo "The fill (through writeRollup() and record(), producer throttled to the writer):"
  echo
  echo "| backend | rollup rows | s | rows/s | raw results | s | results/s | first retention pass |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|"
  for b in "${BACKEND_LIST[@]}"; do
    rr=$(fact "$b" FILL rollup_rows); rs=$(fact "$b" FILL rollup_seconds)
    xr=$(fact "$b" FILL results); xs=$(fact "$b" FILL results_seconds)
    printf '| %s | %s | %s | %s | %s | %s | %s | %s rows, %s ms |\n' "$(label "$b")" "$rr" "$(fmt '%.1f' "$rs")" \
      "$( [ -n "$rr" ] && calc '%.0f' "$rr / $rs" || echo –)" "$xr" "$(fmt '%.1f' "$xs")" \
      "$( [ -n "$xr" ] && calc '%.0f' "$xr / $xs" || echo –)" "$(fact "$b" FILL first_retention_deleted)" \
      "$(fmt '%.0f' "$(fact "$b" FILL first_retention_ms)")"
  done
  echo
  echo "Where the bytes are (steady state; SQLite: dbstat pages, PostgreSQL: pg_total_relation_size with indexes and TOAST):"
  echo
  echo "| backend | table | rows per check | KB per check | bytes per row |"
  echo "|---|---|---:|---:|---:|"
  for b in "${BACKEND_LIST[@]}"; do
    awk -v b="$(label "$b")" -v n="$CHECKS" '$1 == "TABLE" && $2 == "steady" && $5 > 0 {
      printf "| %s | %s | %.0f | %.0f | %.1f |\n", b, $3, $5 / n, $4 / n / 1024, $4 / $5 }' "$WORK/$b.out"
    if [ "$b" = sqlite ]; then
      printf '| SQLite | (WAL file) | | %s | |\n' "$(calc '%.0f' "$(fact "$b" SIZE steady_wal_bytes) / $CHECKS / 1024")"
    fi
  done
  failed=0
  for b in "${BACKEND_LIST[@]}"; do
    if grep -q '^CHECK [^ ]* FAIL' "$WORK/$b.out"; then
      failed=1
    fi
  done
  if [ "$failed" = 1 ]; then
    echo
    echo "**Warning:** some figures did not measure what they should; their runs are void:"
    echo
    for b in "${BACKEND_LIST[@]}"; do
      grep '^CHECK [^ ]* FAIL' "$WORK/$b.out" | sed "s/^CHECK /- $(label "$b"): /" || true
    done
  fi
} > "$REPORT"

mkdir -p "$RESULTS_DIR"
saved="$RESULTS_DIR/history-bench-$(date +%Y%m%d-%H%M%S).md"
cp "$REPORT" "$saved"
for b in "${BACKEND_LIST[@]}"; do cp "$WORK/$b.out" "${saved%.md}.$b.out"; done
echo
cat "$REPORT"
echo
echo "(saved to ${saved#"$ROOT"/}, with each backend's raw output beside it)"
