// Builds 1,000,000 customers and 5,000,000 orders with COPY, then times the preview of the win-back rule (count,
// funnel and ten samples) against the same count written by hand in SQL. Run: npm run bench:segments
// CUSTOMERS=… and RUNS=… change the size and the number of timed runs.
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { from as copyFrom } from 'pg-copy-streams';
import { benchDatabase, dist, percentile } from './bench-database.mjs';

const CUSTOMERS = Number(process.env.CUSTOMERS ?? 1_000_000);
const RUNS = Number(process.env.RUNS ?? 30);
const DAY = 86_400_000;
const now = new Date('2026-11-20T12:00:00Z');

const db = await benchDatabase('crm_bench_segments');
const { parseRule } = await dist('src/crm/segments/rule-parser.js');
const { previewRule } = await dist('src/crm/segments/segment-preview.js');
const { SeededRandom } = await dist('src/db/seed/random.js');

// Orders first (in memory as per-customer aggregates), so customers are written once with their figures.
const random = new SeededRandom(3);
const cities = ['Mumbai', 'Delhi', 'Bengaluru', 'Pune', 'Chennai', 'Kolkata', 'Jaipur', 'London'];
function* customerRows(orders) {
  for (let id = 1; id <= CUSTOMERS; id++) {
    const count = Math.floor(random.next() * 11); // 0–10 orders, 5 on average
    let spend = 0, first = null, last = null;
    for (let k = 0; k < count; k++) {
      const placed = now.getTime() - Math.floor(random.next() * 730 * DAY);
      const total = Math.round((200 + random.next() ** 3 * 12000) * 100) / 100;
      spend += total;
      first = first === null || placed < first ? placed : first;
      last = last === null || placed > last ? placed : last;
      orders.push(`${orders.length + 1}\tO${orders.length + 1}\t${id}\t${new Date(placed).toISOString()}\tcompleted\t${total}\n`);
    }
    const aov = count ? (spend / count).toFixed(2) : '\\N';
    yield `${id}\tC${id}\tCustomer ${id}\tc${id}@example.com\t${random.pick(cities)}\tIndia\t${spend.toFixed(2)}\t${count}\t${first ? new Date(first).toISOString() : '\\N'}\t${last ? new Date(last).toISOString() : '\\N'}\t${aov}\n`;
  }
}

const loadStarted = performance.now();
const client = await db.sql.pool.connect();
let orders = [];
const chunks = function* () {
  let buffer = [];
  for (const row of customerRows(orders)) {
    buffer.push(row);
    if (buffer.length === 10_000) { yield buffer.join(''); buffer = []; }
  }
  if (buffer.length) yield buffer.join('');
};
await pipeline(Readable.from(chunks()), client.query(copyFrom(`copy customers (id, external_id, name, email, city, country, total_spend, order_count, first_order_at, last_order_at, average_order_value) from stdin`)));
const orderCount = orders.length;
const orderChunks = function* () {
  for (let i = 0; i < orders.length; i += 20_000) yield orders.slice(i, i + 20_000).join('');
};
await pipeline(Readable.from(orderChunks()), client.query(copyFrom(`copy orders (id, external_id, customer_id, placed_at, status, total) from stdin`)));
orders = null;
await client.query(`select setval('customers_id_seq', $1), setval('orders_id_seq', $2)`, [CUSTOMERS, orderCount]);
await client.query('vacuum analyze customers');
await client.query('vacuum analyze orders');
client.release();
const loadSeconds = (performance.now() - loadStarted) / 1000;

// The rule every marketer writes: spent over 10,000 with fewer than three orders, or quiet for 90 days.
const rule = parseRule({
  any: [
    { all: [{ field: 'total_spend', op: '>', value: 10000 }, { field: 'order_count', op: '<', value: 3 }] },
    { field: 'days_since_last_order', op: '>=', value: 90 },
  ],
});
const cutoff = new Date(now.getTime() - 90 * DAY);
const handSql = `select count(*) from customers where (total_spend > 10000 and order_count < 3) or last_order_at <= $1`;

const previewTimes = [];
const handTimes = [];
let preview;
let hand;
for (let i = 0; i < RUNS + 3; i++) {
  let t = performance.now();
  preview = await previewRule(db.sql, rule, { now, zone: 'Asia/Kolkata' }, 'INR');
  const p = performance.now() - t;
  t = performance.now();
  hand = (await db.sql.rows(handSql, [cutoff]))[0].count;
  const h = performance.now() - t;
  if (i >= 3) { previewTimes.push(p); handTimes.push(h); } // the first runs warm the cache
}
if (preview.count !== hand) throw new Error(`preview counted ${preview.count}, hand-written SQL ${hand}`);

const f = (ms) => `${ms.toFixed(1)} ms`;
console.log(`machine: ${db.machine}`);
console.log(`data: ${CUSTOMERS.toLocaleString('en')} customers, ${orderCount.toLocaleString('en')} orders, loaded with COPY in ${loadSeconds.toFixed(1)} s`);
console.log(`rule: ${preview.sentence}  →  ${preview.count.toLocaleString('en')} customers`);
console.log(`preview (count + funnel + 10 samples): p50 ${f(percentile(previewTimes, 0.5))}, p95 ${f(percentile(previewTimes, 0.95))}  (${RUNS} runs)`);
console.log(`hand-written count:                    p50 ${f(percentile(handTimes, 0.5))}, p95 ${f(percentile(handTimes, 0.95))}`);
console.log(`ratio of p50s: ${(percentile(previewTimes, 0.5) / percentile(handTimes, 0.5)).toFixed(2)}×`);
await db.close();
