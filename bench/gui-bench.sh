#!/usr/bin/env bash
# gui-bench.sh — whether the dashboard keeps up with 500 services changing: time per model update,
# per repaint and the event loop's worst stall while results stream, against baselines measured in
# the same run.
#
# Usage:
#   bench/gui-bench.sh [--bench PATH] [--services 500] [--runs 5] [--stream 3] [--rate 1000]
#                      [--coalesce 100]
#
# What it does:
#   1. Builds opsdeck-guibench (RelWithDebInfo, tests off, -DOPSDECK_BUILD_BENCH=ON) in build-bench/
#      unless --bench PATH names a binary. Installs what is missing first (scripts/deps.sh: apt-get,
#      as root or through sudo); nothing else needs root.
#   2. Runs it once under QT_QPA_PLATFORM=offscreen (no display needed; real fonts, real painting
#      into the backing store). It shows the dashboard at 1920×1080 over a config of N services (one
#      TCP check each, groups of 25) and feeds results through Watcher::ingest() — nothing is probed
#      — then, --runs times:
#        burst    all N services change state and latency at once: µs per result through
#                 watcher → model → proxy → view, the model's flush, and the time until the loop has
#                 laid out and painted it all; with the model announcing each change at once
#                 ("immediate") and coalescing them over --coalesce ms ("coalesced"). Baseline: the
#                 same results through a second session of the same config with no view (core alone).
#        repaint  a full repaint of the dashboard at 1920×1080 (QWidget::grab(), median of 10), against a QListView
#                 of N plain rows at the same size.
#        stream   --rate results/s for --stream seconds, each flipping a service: the longest the
#                 event loop was blocked (lateness of a 2 ms timer) and paints per second, for both
#                 modes and for the bare session.
#   3. Prints a Markdown table of medians with the ratios, then every run's raw values, and saves the
#      report in bench/results/ (gitignored). Sanity checks of what was measured (every tile present,
#      every burst reached the first and last tile and was painted) are flagged when they fail.
#
# Options:
#   --bench PATH      use this opsdeck-guibench binary, do not build
#   --services N      services on the dashboard (default 500)
#   --runs R          repetitions (default 5)
#   --stream S        seconds of streaming per mode and run (default 3)
#   --rate N          results per second while streaming (default 1000: every service twice a second)
#   --coalesce MS     the model's update interval in the coalesced mode (default 100)
#
# Ctrl+C or SIGTERM stops it and cleans up.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export OPSDECK_ROOT="$ROOT" # what scripts/deps.sh expects
BUILD_DIR="$ROOT/build-bench"
RESULTS_DIR="$ROOT/bench/results"
source "$ROOT/bench/lib.sh"

BENCH=""
BUILD_INFO=""
SERVICES=500
RUNS=5
STREAM=3
RATE=1000
COALESCE=100

while [ $# -gt 0 ]; do
  case "$1" in
    --bench) BENCH="${2:?--bench needs a path}"; shift 2 ;;
    --services) SERVICES="${2:?--services needs a number}"; shift 2 ;;
    --runs) RUNS="${2:?--runs needs a number}"; shift 2 ;;
    --stream) STREAM="${2:?--stream needs a number}"; shift 2 ;;
    --rate) RATE="${2:?--rate needs a number}"; shift 2 ;;
    --coalesce) COALESCE="${2:?--coalesce needs a number}"; shift 2 ;;
    *) bench_other_option "$1" ;;
  esac
done
for opt in SERVICES RUNS STREAM RATE COALESCE; do
  bench_positive_number "--${opt,,}" "${!opt}"
done

# --- what the bench needs ---------------------------------------------------------------------
source "$ROOT/scripts/deps.sh"
NEEDED=(procps)
[ -z "$BENCH" ] && NEEDED+=("${OPSDECK_BUILD_PACKAGES[@]}")
opsdeck_install_missing "${NEEDED[@]}"

bench_binary opsdeck-guibench bench/guibench/opsdeck-guibench core ui bench

# --- temp dir, child, cleanup ----------------------------------------------------------------
WORK="$(mktemp -d "${TMPDIR:-/tmp}/opsdeck-gui-bench.XXXXXX")"
CHILD_PID=""
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  bench_stop_child
  wait 2>/dev/null || true
  rm -rf "$WORK"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- the run -----------------------------------------------------------------------------------
note "dashboard of $SERVICES services at 1920x1080, offscreen: $RUNS runs (about $(( RUNS * (STREAM * 3 + 2) )) s)"
rc=0
QT_QPA_PLATFORM=offscreen HOME="$WORK" XDG_DATA_HOME="$WORK/data" XDG_CONFIG_HOME="$WORK/config" \
  "$BENCH" --services "$SERVICES" --runs "$RUNS" --stream "$STREAM" --rate "$RATE" --coalesce "$COALESCE" \
  > "$WORK/bench.out" &
CHILD_PID=$!
wait "$CHILD_PID" || rc=$?
CHILD_PID=""
[ "$rc" = 0 ] || [ "$rc" = 1 ] || die "opsdeck-guibench failed ($rc)"

# --- the report ----------------------------------------------------------------------------------
median() { # values...
  printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) exit; if (NR % 2) printf "%s", v[(NR + 1) / 2]; else printf "%.6g", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
med() { local v; mapfile -t v < <(awk -v k="$1" '$1 == "RUN" && $3 == k { print $4 }' "$WORK/bench.out"); [ ${#v[@]} -gt 0 ] && median "${v[@]}" || echo ""; }
info() { awk -v k="$1" '$1 == "INFO" && $2 == k { $1 = ""; $2 = ""; sub(/^  /, ""); print }' "$WORK/bench.out"; }
fmt() { [ -n "$2" ] && awk "BEGIN { printf \"$1\", $2 }" || echo "–"; }
ratio() { [ -n "$1" ] && [ -n "$2" ] && awk "BEGIN { if ($2 > 0) printf \"%.1f×\", $1 / $2; else print \"–\" }" || echo "–"; }

REPORT="$WORK/report.md"
{
  echo "### GUI benchmark — $(date -u +%Y-%m-%dT%H:%MZ)"
  echo
  echo "opsdeck-guibench \`$BENCH\` ($BUILD_INFO), $(nproc) cores, $(uname -r), Qt $(info qt), platform $(info platform);"
  echo "a dashboard of $(info services) services (one check each, groups of 25) at 1920×1080 ($(info columns) tiles per line), results through Watcher::ingest();"
  echo "streaming $(info rate) results/s for $(info stream_s) s per mode; coalesced = the model announces changes every $(info coalesce_ms) ms; medians of $(info runs) runs."
  echo
  echo "| measurement | immediate | coalesced | baseline | ratio (coalesced ÷ baseline) |"
  echo "|---|---:|---:|---:|---:|"
  ci="$(med ingest_us_immediate)"; cc="$(med ingest_us_coalesced)"; cb="$(med core_ingest_us)"
  echo "| one result through watcher → model → view, µs (baseline: core alone) | $(fmt '%.1f' "$ci") | $(fmt '%.1f' "$cc") | $(fmt '%.1f' "$cb") | $(ratio "$cc" "$cb") |"
  echo "| the dashboard's share of one result, µs | $(fmt '%.1f' "$(awk "BEGIN { print ${ci:-0} - ${cb:-0} }")") | $(fmt '%.1f' "$(awk "BEGIN { print ${cc:-0} - ${cb:-0} }")") | | |"
  echo "| the model's flush of $(info services) changes, ms | $(fmt '%.2f' "$(med flush_ms_immediate)") | $(fmt '%.2f' "$(med flush_ms_coalesced)") | | |"
  echo "| layout and paint after the burst, ms | $(fmt '%.1f' "$(med settle_ms_immediate)") | $(fmt '%.1f' "$(med settle_ms_coalesced)") | | |"
  echo "| all $(info services) services changing, until painted, ms | $(fmt '%.1f' "$(med burst_ms_immediate)") | $(fmt '%.1f' "$(med burst_ms_coalesced)") | | |"
  rd="$(med repaint_ms)"; rb="$(med baseline_repaint_ms)"
  echo "| full repaint at 1920×1080, ms (baseline: QListView of $(info services) plain rows) | $(fmt '%.2f' "$rd") | $(fmt '%.2f' "$rd") | $(fmt '%.2f' "$rb") | $(ratio "$rd" "$rb") |"
  mi="$(med stream_max_block_ms_immediate)"; mc="$(med stream_max_block_ms_coalesced)"; mb="$(med stream_max_block_ms_bare)"
  echo "| streaming: longest event-loop stall, ms (baseline: core alone) | $(fmt '%.1f' "$mi") | $(fmt '%.1f' "$mc") | $(fmt '%.1f' "$mb") | $(ratio "$mc" "$mb") |"
  echo "| streaming: 99th percentile stall, ms | $(fmt '%.2f' "$(med stream_p99_block_ms_immediate)") | $(fmt '%.2f' "$(med stream_p99_block_ms_coalesced)") | $(fmt '%.2f' "$(med stream_p99_block_ms_bare)") | |"
  echo "| streaming: results/s taken | $(fmt '%.0f' "$(med stream_results_per_s_immediate)") | $(fmt '%.0f' "$(med stream_results_per_s_coalesced)") | | |"
  echo "| streaming: repaints/s | $(fmt '%.1f' "$(med stream_paints_per_s_immediate)") | $(fmt '%.1f' "$(med stream_paints_per_s_coalesced)") | | |"
  echo
  echo "Raw runs:"
  echo
  keys=(core_ingest_us ingest_us_immediate ingest_us_coalesced flush_ms_coalesced settle_ms_immediate settle_ms_coalesced
        burst_ms_immediate burst_ms_coalesced repaint_ms baseline_repaint_ms stream_max_block_ms_immediate
        stream_max_block_ms_coalesced stream_max_block_ms_bare stream_paints_per_s_immediate stream_paints_per_s_coalesced)
  header="| run |"; rule="|---:|"
  for k in "${keys[@]}"; do header+=" $k |"; rule+="---:|"; done
  echo "$header"
  echo "$rule"
  for (( run = 1; run <= RUNS; run++ )); do
    line="| $run |"
    for k in "${keys[@]}"; do
      line+=" $(awk -v r="$run" -v k="$k" '$1 == "RUN" && $2 == r && $3 == k { print $4 }' "$WORK/bench.out") |"
    done
    echo "$line"
  done
  if grep -q '^CHECK [^ ]* FAIL' "$WORK/bench.out"; then
    echo
    echo "**Warning:** some figures did not measure what they should; the run is void:"
    echo
    grep '^CHECK [^ ]* FAIL' "$WORK/bench.out" | sed 's/^CHECK /- /'
  fi
} > "$REPORT"

mkdir -p "$RESULTS_DIR"
saved="$RESULTS_DIR/gui-bench-$(date +%Y%m%d-%H%M%S).md"
cp "$REPORT" "$saved"
cp "$WORK/bench.out" "${saved%.md}.out"
echo
cat "$REPORT"
echo
echo "(saved to ${saved#"$ROOT"/}, with the raw output beside it)"
