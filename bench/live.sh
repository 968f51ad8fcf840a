#!/usr/bin/env bash
# Live benchmark: events arriving during a day, every seller's status kept current. The ledger
# (bench_live.cpp) records each batch of 1,000 events of the day after CUT and refreshes every
# seller; with PEERS=DIR (a folder whose node_modules holds @duckdb/node-api, outside the repo),
# DuckDB (bench/duckdb_live.mjs) inserts the same batches and re-runs the peer's query, in the
# same sitting, and the ratios are printed. Both load the reference workload (1M orders, generated
# by bench/gen_events as bench/commands.sh does) up to the end of CUT first, untimed.
# Not run by CI: it takes about a minute and wants a quiet machine.
#
#   bash bench/live.sh                        # the ledger only; DATA=/tmp/sellerhealth-bench CUT=2026-09-30
#   PEERS=/tmp/peers bash bench/live.sh       # and DuckDB, with the ratios
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
build=build/release
data=${DATA:-/tmp/sellerhealth-bench}
cut=${CUT:-2026-09-30}
mkdir -p "$data"
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release -DSELLERHEALTH_BUILD_TESTS=OFF -DSELLERHEALTH_BUILD_BENCHMARKS=ON >/dev/null
cmake --build "$build" -j2 --target sellerhealth_bench_live sellerhealth_gen_events >/dev/null
events="$data/events-1m.csv"
[ -s "$events" ] || "$build/bench/gen_events" --orders 1000000 --sellers 10000 --days 365 >"$events"

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "file: $events; cut $cut, the next day fed in batches of 1,000"
SELLERHEALTH_LIVE_EVENTS="$events" SELLERHEALTH_LIVE_CUT="$cut" "$build/bench/sellerhealth_bench_live" \
  --benchmark_out="$data/live-ledger.json" --benchmark_out_format=json | tee "$data/live-ledger.txt"
if [ -z "${PEERS:-}" ]; then
  echo "DuckDB side skipped: set PEERS to a folder whose node_modules holds @duckdb/node-api"
  exit 0
fi
PEERS="$PEERS" node bench/duckdb_live.mjs "$events" "$cut" | tee "$data/live-duckdb.json"
echo "load at the end: $(cut -d' ' -f1-3 /proc/loadavg)"

# The ratios, and whether both sides' answers after the day agree (the sums over all sellers of
# PFCR's and LSR 30 days' numerators and denominators).
node - "$data/live-ledger.json" "$data/live-ledger.txt" "$data/live-duckdb.json" <<'EOF'
const fs = require('fs');
const [ledgerJson, ledgerText, duckJson] = process.argv.slice(2);
const runs = JSON.parse(fs.readFileSync(ledgerJson, 'utf8')).benchmarks;
const run = (name) => runs.find((b) => b.name.startsWith(`${name}/`));
const plain = run('BM_LiveDay'), clears = run('BM_LiveDayWithClearsOn');
const duck = JSON.parse(fs.readFileSync(duckJson, 'utf8'));
const totalsLine = fs.readFileSync(ledgerText, 'utf8').split('\n').find((l) => l.startsWith('totals after the day:'));
const ledgerTotals = Object.fromEntries([...totalsLine.matchAll(/(\w+)=(\d+)/g)].map(([, k, v]) => [k, Number(v)]));
const agree = Object.entries(duck.totals).every(([k, v]) => ledgerTotals[k] === v);
const x = (a, b) => `${(a / b).toFixed(1)}x`;
console.log(`refresh of every seller, median: DuckDB ${duck.refresh_median_ms} ms, ledger ${plain.refresh_median_ms.toFixed(2)} ms -> ${x(duck.refresh_median_ms, plain.refresh_median_ms)}`);
console.log(`refresh of every seller, p95:    DuckDB ${duck.refresh_p95_ms} ms, ledger ${plain.refresh_p95_ms.toFixed(2)} ms -> ${x(duck.refresh_p95_ms, plain.refresh_p95_ms)}`);
console.log(`refresh with clears_on, median:  DuckDB ${duck.refresh_median_ms} ms, ledger ${clears.refresh_median_ms.toFixed(2)} ms -> ${x(duck.refresh_median_ms, clears.refresh_median_ms)}`);
console.log(`events per second:               ledger ${Math.round(plain.events_per_s)}, DuckDB ${duck.inserts_per_s} -> ${x(plain.events_per_s, duck.inserts_per_s)}`);
console.log(`answers after the day: ${agree ? 'agree' : 'DIFFER'} (ledger ${JSON.stringify(ledgerTotals)}, DuckDB ${JSON.stringify(duck.totals)})`);
if (!agree) process.exitCode = 1;
EOF
