#!/usr/bin/env bash
# Whole-command benchmark: the reference workload (1M orders, 10k sellers, 365 days), generated in
# the repo; `report` and `series` timed end to end (wall time and peak memory, median of RUNS runs)
# with 1 and all threads. With PEERS=DIR (a folder holding duckdb_report.mjs and its node_modules,
# outside the repo), the DuckDB peer answers the same question on the same file in the same run.
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
cmake --build "$build" -j2 --target sellerhealth_cli sellerhealth_gen_events >/dev/null
events="$data/events-1m.csv"
[ -s "$events" ] || "$build/bench/gen_events" --orders 1000000 --sellers 10000 --days 365 >"$events"

# measure NAME COMMAND...: prints "NAME  median-wall-s  median-peak-MiB" over $runs runs.
measure() {
  local name="$1" walls=() peaks=() out
  shift
  for _ in $(seq "$runs"); do
    /usr/bin/time -o "$data/time.txt" -f "%e %M" "$@" >/dev/null 2>/dev/null
    out=$(tail -n 1 "$data/time.txt")
    walls+=("${out% *}")
    peaks+=("${out#* }")
  done
  local wall peak
  wall=$(printf '%s\n' "${walls[@]}" | sort -n | sed -n "$(( (runs + 1) / 2 ))p")
  peak=$(printf '%s\n' "${peaks[@]}" | sort -n | sed -n "$(( (runs + 1) / 2 ))p")
  printf '%-52s %8.2f s %8.1f MiB\n' "$name" "$wall" "$(echo "$peak / 1024" | bc -l)"
}

cli="$build/examples/sellerhealth"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "file: $events ($(du -h "$events" | cut -f1), $(($(wc -l <"$events") - 1)) events); median of $runs runs"
# rows BIN LABEL: the command rows for one build of the command.
rows() {
  local bin="$1" label="$2"
  measure "${label}report amazon-jp --as-of 2026-09-30 (1 thread)" "$bin" report --threads 1 --marketplace amazon-jp --as-of 2026-09-30 "$events"
  measure "${label}report amazon-jp --as-of 2026-09-30 (all)" "$bin" report --marketplace amazon-jp --as-of 2026-09-30 "$events"
  measure "${label}report all --as-of 2026-09-30 (all)" "$bin" report --as-of 2026-09-30 "$events"
  measure "${label}series amazon-jp 2026-01-01..12-31 (all)" "$bin" series --marketplace amazon-jp --from 2026-01-01 --to 2026-12-31 "$events"
}
# With BEFORE, the older build runs first and then this one, in the same sitting, so a change's
# cost is read from two columns measured minutes apart rather than from two days' notes.
if [ -n "${BEFORE:-}" ]; then rows "$BEFORE" "before: "; rows "$cli" "after:  "; else rows "$cli" ""; fi
if [ -n "${PEERS:-}" ]; then
  measure "DuckDB peer, one as-of day" node "$PEERS/duckdb_report.mjs" "$events" 2026-09-30
fi
