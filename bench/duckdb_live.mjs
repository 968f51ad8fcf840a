// The live benchmark's SQL side (bench/README.md, "Live: events arriving during a day"): the
// DuckDB peer's statements (duckdb_report.mjs in the peers' folder), reading a table of events
// instead of the file, re-run after every batch of 1,000 events of the day after CUT, as
// bench_live.cpp does with a ledger. The events up to the end of CUT are loaded untimed; each pass
// over the day starts from that table again; a batch is inserted from a staging table (DuckDB's
// cheapest insert: no parsing, no round trip per row). Prints one line of JSON.
//
//   PEERS=DIR node bench/duckdb_live.mjs EVENTS.csv [CUT]    # DIR/node_modules holds @duckdb/node-api
import { createRequire } from 'node:module';

if (!process.env.PEERS) throw new Error('set PEERS to the folder holding node_modules/@duckdb/node-api');
const { DuckDBInstance } = createRequire(`${process.env.PEERS}/`)('@duckdb/node-api');
const [file, cut = '2026-09-30'] = process.argv.slice(2);
const batch = 1000, passes = 5;  // as bench_live.cpp
const asOf = new Date(Date.parse(`${cut}T00:00:00Z`) + 86400e3).toISOString().slice(0, 10);  // the book's today

const inst = await DuckDBInstance.create(':memory:');
const c = await inst.connect();
await c.run(`SET TimeZone='Asia/Tokyo'`);
// The file in file order (DuckDB keeps insertion order), split at the cut: before it, the next day.
await c.run(`CREATE TEMP TABLE staged AS SELECT * FROM read_csv('${file}', header=true,
   columns={'event':'VARCHAR','order_id':'VARCHAR','seller_id':'VARCHAR','time':'TIMESTAMPTZ','ship_by':'TIMESTAMPTZ',
            'quantity':'INTEGER','actor':'VARCHAR','reason':'VARCHAR','metric':'VARCHAR','channel':'VARCHAR'})`);
await c.run(`CREATE TEMP TABLE before_cut AS FROM staged WHERE time < DATE '${asOf}'::TIMESTAMPTZ`);
await c.run(`CREATE TEMP TABLE next_day AS SELECT row_number() OVER (ORDER BY rowid) - 1 AS seq, * FROM staged
   WHERE time >= DATE '${asOf}'::TIMESTAMPTZ AND time < (DATE '${asOf}' + 1)::TIMESTAMPTZ`);
await c.run(`DROP TABLE staged`);
const loaded = Number((await c.runAndReadAll(`SELECT count(*) FROM before_cut`)).getRows()[0][0]);
const dayEvents = Number((await c.runAndReadAll(`SELECT count(*) FROM next_day`)).getRows()[0][0]);

// duckdb_report.mjs's two statements as the peer wrote them, `FROM e` for its read_csv.
const pivot = `CREATE OR REPLACE TABLE o AS
 SELECT order_id,
   any_value(seller_id) FILTER (WHERE event='placed') AS seller_id,
   coalesce(any_value(channel) FILTER (WHERE event='placed'), 'merchant') AS channel,
   min(time) FILTER (WHERE event='placed') AS placed,
   min(ship_by) FILTER (WHERE event='placed') AS ship_by,
   min(time) FILTER (WHERE event='shipped') AS shipped,
   min(time) FILTER (WHERE event='cancel_requested') AS requested,
   min(time) FILTER (WHERE event='cancelled') AS cancelled,
   any_value(actor) FILTER (WHERE event='cancelled') AS cancel_actor
 FROM e
 GROUP BY order_id`;
const report = `
 WITH d AS (SELECT DATE '${asOf}' AS day, (DATE '${asOf}' + 1)::TIMESTAMPTZ AS fin)
 SELECT seller_id,
  count(*) FILTER (WHERE placed::DATE BETWEEN day-6 AND day) AS pf_den,
  count(*) FILTER (WHERE placed::DATE BETWEEN day-6 AND day AND cancelled < fin AND cancel_actor IN ('seller','platform') AND (requested IS NULL OR requested > cancelled)) AS pf_num,
  count(*) FILTER (WHERE ship_by::DATE BETWEEN day-29 AND day AND NOT coalesce(cancelled < fin, false)) AS l30_den,
  count(*) FILTER (WHERE ship_by::DATE BETWEEN day-29 AND day AND NOT coalesce(cancelled < fin, false)
                    AND ((shipped < fin AND shipped > ship_by) OR ((shipped IS NULL OR shipped >= fin) AND ship_by < fin))) AS l30_num
 FROM o, d WHERE channel='merchant' AND placed < fin GROUP BY seller_id ORDER BY seller_id`;

let inserting = 0, inserted = 0, rows = [];
const refreshes = [];
for (let pass = 0; pass < passes; ++pass) {
  await c.run(`CREATE OR REPLACE TABLE e AS FROM before_cut`);
  for (let first = 0; first < dayEvents; first += batch) {
    const t0 = performance.now();
    await c.run(`INSERT INTO e SELECT * EXCLUDE (seq) FROM next_day WHERE seq >= ${first} AND seq < ${first + batch}`);
    const t1 = performance.now();
    await c.run(pivot);
    rows = (await c.runAndReadAll(report)).getRows();
    const t2 = performance.now();
    inserting += t1 - t0;
    inserted += Math.min(batch, dayEvents - first);
    refreshes.push(t2 - t1);
  }
}
const sorted = [...refreshes].sort((a, b) => a - b);
const at = (share) => sorted[Math.round(share * (sorted.length - 1))];  // nearest rank, as bench_live.cpp
const total = (column) => rows.reduce((sum, r) => sum + Number(r[column]), 0);
console.log(JSON.stringify({
  cut, day: asOf, loaded_events: loaded, day_events: dayEvents, batches: Math.ceil(dayEvents / batch), passes,
  inserts_per_s: Math.round(inserted / (inserting / 1e3)),
  refresh_median_ms: +at(0.5).toFixed(1), refresh_p95_ms: +at(0.95).toFixed(1),
  refresh_mean_ms: +(refreshes.reduce((a, b) => a + b, 0) / refreshes.length).toFixed(1), sellers: rows.length,
  totals: { pf_num: total(2), pf_den: total(1), l30_num: total(4), l30_den: total(3) },
}));
