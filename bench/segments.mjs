// Builds 1,000,000 customers and 5,000,000 orders (with their lines, from a catalogue of 4,000 products) with COPY,
// then times the preview of the win-back rule (count, funnel and ten samples) against the same count written by
// hand in SQL; then a rule with three "bought … contains" conditions, and one with a hundred, under the preview's
// limits. Run: npm run bench:segments. CUSTOMERS=… and RUNS=… change the size and the number of timed runs.
import { dist, percentile } from './bench-database.mjs';
import { CUSTOMERS, DAY, db, lineCount, loadSeconds, now, orderCount, products } from './million-shop.mjs';

const RUNS = Number(process.env.RUNS ?? 30);
const { parseRule } = await dist('src/crm/segments/rule-parser.js');
const { previewRule } = await dist('src/crm/segments/segment-preview.js');

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
  preview = await previewRule(db.sql, rule, { now, zone: 'Asia/Kolkata' }, 'INR', { timeoutMs: 15_000, maxCost: 50_000_000 });
  const p = performance.now() - t;
  t = performance.now();
  hand = (await db.sql.rows(handSql, [cutoff]))[0].count;
  const h = performance.now() - t;
  if (i >= 3) { previewTimes.push(p); handTimes.push(h); } // the first runs warm the cache
}
if (preview.count !== hand) throw new Error(`preview counted ${preview.count}, hand-written SQL ${hand}`);

// Three "bought … contains" conditions, through the catalogue's trigram index, against a scan of every line.
const limits = { timeoutMs: 15_000, maxCost: 50_000_000 };
const bought = parseRule({ all: [{ bought: { contains: 'heart' } }, { bought: { contains: 'lantern' } }, { bought: { contains: 'mug' } }] });
const boughtHand = `select count(*) from customers c where ${['heart', 'lantern', 'mug'].map((w) => `exists (select 1 from orders o join order_lines l on l.order_id = o.id where o.customer_id = c.id and o.status in ('pending', 'completed') and strpos(lower(l.description), '${w}') > 0)`).join(' and ')}`;
const boughtTimes = [];
let boughtPreview;
for (let i = 0; i < Math.min(RUNS, 15) + 2; i++) {
  const t = performance.now();
  boughtPreview = await previewRule(db.sql, bought, { now, zone: 'Asia/Kolkata' }, 'INR', limits);
  if (i >= 2) boughtTimes.push(performance.now() - t);
}
let t0 = performance.now();
const boughtReference = (await db.sql.rows(boughtHand))[0].count;
const boughtHandMs = performance.now() - t0;
if (boughtPreview.count !== boughtReference) throw new Error(`bought preview counted ${boughtPreview.count}, a scan of every line ${boughtReference}`);

// "Bought … in the last 90 days, at least twice" and "bought SKU … in the last 30 days": the orders carrying the
// product (GIN index on each order's products or SKUs), against a scan of every line.
const windowed = [
  { rule: { bought: { contains: 'lantern', withinDays: 90, atLeast: 2 } }, hand: `strpos(lower(l.description), 'lantern') > 0`, days: 90, atLeast: 2 },
  { rule: { bought: { sku: 'P123', withinDays: 30 } }, hand: `l.sku = 'P123'`, days: 30, atLeast: 1 },
].map(({ rule, hand, days, atLeast }) => {
  const parsed = parseRule(rule);
  return { parsed, hand: `select count(*) from (select o.customer_id from orders o where o.status in ('pending', 'completed') and o.placed_at >= $1
    and exists (select 1 from order_lines l where l.order_id = o.id and ${hand}) group by o.customer_id having count(*) >= ${atLeast}) x`, since: new Date(now.getTime() - days * 86_400_000) };
});
for (const w of windowed) {
  w.times = [];
  for (let i = 0; i < Math.min(RUNS, 15) + 2; i++) {
    const t = performance.now();
    w.preview = await previewRule(db.sql, w.parsed, { now, zone: 'Asia/Kolkata' }, 'INR', limits);
    if (i >= 2) w.times.push(performance.now() - t);
  }
  const t = performance.now();
  w.reference = (await db.sql.rows(w.hand, [w.since]))[0].count;
  w.handMs = performance.now() - t;
  if (w.preview.count !== w.reference) throw new Error(`"${w.preview.sentence}" counted ${w.preview.count}, a scan of every line ${w.reference}`);
}

// A hundred of them (the most a rule may hold): finished within the preview limit, or refused with a sentence.
const words = ['heart', 'lantern', 'mug', 'candle', 'bag', 'tin', 'card', 'lamp', 'vintage', 'set of'];
const hundred = { any: Array.from({ length: 100 }, (_, i) => ({ bought: { contains: words[i % 10] + (i < 10 ? '' : String.fromCharCode(97 + (i % 26))) } })) };
t0 = performance.now();
let hundredOutcome;
try {
  const p = await previewRule(db.sql, parseRule(hundred), { now, zone: 'Asia/Kolkata' }, 'INR', limits);
  hundredOutcome = `finished: ${p.count.toLocaleString('en')} customers`;
} catch (error) {
  hundredOutcome = `refused: ${error.message}`;
}
const hundredMs = performance.now() - t0;

const f = (ms) => `${ms.toFixed(1)} ms`;
console.log(`machine: ${db.machine}`);
console.log(`data: ${CUSTOMERS.toLocaleString('en')} customers, ${orderCount.toLocaleString('en')} orders, ${lineCount.toLocaleString('en')} order lines of ${products.length.toLocaleString('en')} products, loaded with COPY in ${loadSeconds.toFixed(1)} s`);
console.log(`rule: ${preview.sentence}  →  ${preview.count.toLocaleString('en')} customers`);
console.log(`preview (count + funnel + 10 samples): p50 ${f(percentile(previewTimes, 0.5))}, p95 ${f(percentile(previewTimes, 0.95))}  (${RUNS} runs)`);
console.log(`hand-written count:                    p50 ${f(percentile(handTimes, 0.5))}, p95 ${f(percentile(handTimes, 0.95))}`);
console.log(`ratio of p50s: ${(percentile(previewTimes, 0.5) / percentile(handTimes, 0.5)).toFixed(2)}×`);
console.log(`rule: ${boughtPreview.sentence}  →  ${boughtPreview.count.toLocaleString('en')} customers`);
console.log(`preview with three bought-contains conditions: p50 ${f(percentile(boughtTimes, 0.5))}, p95 ${f(percentile(boughtTimes, 0.95))}  (${boughtTimes.length} runs; a scan of every line: ${f(boughtHandMs)})`);
for (const w of windowed) console.log(`rule: ${w.preview.sentence}  →  ${w.preview.count.toLocaleString('en')} customers; preview p50 ${f(percentile(w.times, 0.5))}, p95 ${f(percentile(w.times, 0.95))}  (a scan of every line: ${f(w.handMs)})`);
console.log(`a hundred bought-contains conditions: ${hundredOutcome} in ${f(hundredMs)} (preview limit ${limits.timeoutMs / 1000} s)`);
await db.close();
