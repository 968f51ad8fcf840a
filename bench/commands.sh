#!/usr/bin/env bash
# Whole-command benchmark: the reference workload (1M orders, 10k sellers, 365 days), generated in
# the repo; `report` and `series` timed end to end (wall time and peak memory, median of RUNS runs)
# with 1 and all threads, beside the one-core floor (bench/floor.cpp: the least work a program does
# on one core to answer the amazon-jp report's question). With PEERS=DIR (a folder holding
# duckdb_report.mjs and its node_modules, outside the repo), the DuckDB peer answers the same
# question on the same file in the same run.
# Not run by CI: it takes minutes and wants a quiet machine.
#
#   bash bench/commands.sh                    # RUNS=3 DATA=/tmp/sellerhealth-bench
#   PEERS=/tmp/peers bash bench/commands.sh
#   BEFORE=/path/to/old/sellerhealth bash bench/commands.sh   # each row for an older build too
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
build=build/release
runs=${RUNS:-3}
data=${DATA:-/tmp/sellerhealth-bench}
mkdir -p "$data"
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release -DSELLERHEALTH_BUILD_TESTS=OFF -DSELLERHEALTH_BUILD_BENCHMARKS=ON >/dev/null
cmake --build "$build" -j2 --target sellerhealth_cli sellerhealth_gen_events sellerhealth_floor >/dev/null
events="$data/events-1m.csv"
[ -s "$events" ] || "$build/bench/gen_events" --orders 1000000 --sellers 10000 --days 365 >"$events"

# median NUMBERS...: the middle one (the lower middle for an even count).
median() { printf '%s\n' "$@" | sort -n | sed -n "$(( ($# + 1) / 2 ))p"; }

# measure NAME ARGS...: runs each build in $builds with ARGS, $runs times, the builds taking turns
# (A B A B ...) so that drift in the machine's speed falls on both alike; prints per build
# "LABEL NAME  median-wall-s  median-peak-MiB".
measure() {
  local name="$1" i b out
  shift
  local -a walls peaks
  for ((i = 0; i < runs; i++)); do
    for b in "${!builds[@]}"; do
      /usr/bin/time -o "$data/time.txt" -f "%e %M" "${builds[$b]}" "$@" >/dev/null 2>/dev/null
      out=$(tail -n 1 "$data/time.txt")
      walls[$b]+="${out% *} "
      peaks[$b]+="${out#* } "
    done
  done
  for b in "${!builds[@]}"; do
    # shellcheck disable=SC2086  # the lists are space-separated numbers
    printf '%-8s %-46s %8.2f s %8.1f MiB\n' "${labels[$b]}" "$name" "$(median ${walls[$b]})" \
      "$(echo "$(median ${peaks[$b]}) / 1024" | bc -l)"
  done
}

# measure_alone PROGRAM NAME ARGS...: measure with PROGRAM as the only build (a row that BEFORE
# does not split).
measure_alone() {
  local program="$1"
  shift
  local -a builds=("$program") labels=("")
  measure "$@"
}

cli="$build/examples/sellerhealth"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "file: $events ($(du -h "$events" | cut -f1), $(($(wc -l <"$events") - 1)) events); median of $runs runs"
# With BEFORE, an older build of the command runs too, taking turns with this one in the same
# sitting, so a change's cost is read from two columns measured side by side.
builds=("$cli")
labels=("")
if [ -n "${BEFORE:-}" ]; then builds=("$BEFORE" "$cli"); labels=("before:" "after:"); fi
measure "report amazon-jp --as-of 2026-09-30 (1 thread)" report --threads 1 --marketplace amazon-jp --as-of 2026-09-30 "$events"
measure "report amazon-jp --as-of 2026-09-30 (all)" report --marketplace amazon-jp --as-of 2026-09-30 "$events"
measure_alone "$build/bench/floor" "one-core floor (mmap, one hash table)" "$events" 2026-09-30
measure "report all --as-of 2026-09-30 (all)" report --as-of 2026-09-30 "$events"
measure "series amazon-jp 2026-01-01..12-31 (all)" series --marketplace amazon-jp --from 2026-01-01 --to 2026-12-31 "$events"
if [ -n "${PEERS:-}" ]; then
  measure_alone node "DuckDB peer, one as-of day" "$PEERS/duckdb_report.mjs" "$events" 2026-09-30
fi
