#!/usr/bin/env bash
# Record what the `sellerhealth` command prints, so a refactoring can prove it changed nothing.
#
#   bash scripts/compare-outputs.sh BIN OUT_DIR [EVENTS_1M.csv]
#
# Runs BIN (a built `sellerhealth` command) over a fixed matrix (report as JSON and as a table,
# series as CSV and JSON lines, advise as a table and as JSON; on the sample data and on the
# 1M-order workload of bench/gen_events; for amazon-jp, qoo10-jp and all) and writes each run's
# standard output, standard error and exit status to OUT_DIR, one file per run. Compare two
# binaries with `diff -r OUT_A OUT_B`. Without EVENTS_1M.csv only the sample data is used.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bin="$(realpath "$1")"
out="$2"
big="${3:-}"
mkdir -p "$out"

# run NAME ARGS...: BIN ARGS > OUT/NAME.out, 2> OUT/NAME.err, exit status in OUT/NAME.rc.
run() {
  local name="$1"
  shift
  local rc=0
  "$bin" "$@" >"$out/$name.out" 2>"$out/$name.err" || rc=$?
  echo "$rc" >"$out/$name.rc"
}

# matrix LABEL FILE AS_OF FROM TO ORDER...: every command and format on FILE.
matrix() {
  local label="$1" file="$2" as_of="$3" from="$4" to="$5"
  shift 5
  for market in amazon-jp qoo10-jp all; do
    local tag="$label.$market"
    run "$tag.report.table" report --marketplace "$market" "$file"
    run "$tag.report.json" report --marketplace "$market" --format json "$file"
    run "$tag.report.asof.table" report --marketplace "$market" --as-of "$as_of" "$file"
    run "$tag.report.asof.json" report --marketplace "$market" --as-of "$as_of" --format json "$file"
    run "$tag.report.threads1.json" report --marketplace "$market" --threads 1 --format json "$file"
    run "$tag.series.csv" series --marketplace "$market" --from "$from" --to "$to" "$file"
    run "$tag.series.jsonl" series --marketplace "$market" --from "$from" --to "$to" --format jsonl "$file"
    for order in "$@"; do
      run "$tag.advise.$order.table" advise --marketplace "$market" --order "$order" "$file"
      run "$tag.advise.$order.json" advise --marketplace "$market" --order "$order" --format json \
        --in-stock 0 --daily-orders 10 "$file"
      run "$tag.advise.$order.asof.json" advise --marketplace "$market" --order "$order" \
        --as-of "$as_of" --format json "$file"
    done
  done
}

matrix sample examples/data/sample-events.csv 2026-09-20 2026-09-01 2026-10-10 TB-0095 KT-030 NF-015
if [ -n "$big" ]; then
  matrix 1m "$big" 2026-09-30 2026-01-01 2026-12-31 O000914663 O000209452
fi
echo "$(ls "$out" | wc -l) files in $out"
