// Journey entry over 1,000,000 customers: a journey whose customers enter on coming to match a segment (spent over
// 5,000 and live in one of four cities). After a change to 1 % and then 10 % of the customers' figures, times one
// entry pass (which reads again only the customers whose figures changed), and for comparison a pass that reads
// every customer. Run: npm run bench:automations (CUSTOMERS=…).
import { benchDatabase, dist } from './bench-database.mjs';

const CUSTOMERS = Number(process.env.CUSTOMERS ?? 1_000_000);
const db = await benchDatabase('crm_bench_automations');
const { enterBySegment, startJourney } = await dist('src/crm/automations/journey-engine.js');
const ctx = { now: new Date(), zone: 'Asia/Kolkata' };
const journey = {
  entry: { segment: { all: [{ field: 'total_spend', op: '>', value: 5000 }, { field: 'city', op: 'in', value: ['Mumbai', 'Delhi', 'Pune', 'Chennai'] }] } },
  steps: [{ send: { channel: 'email', subject: 'Welcome to VIP', template: 'Hi' } }], exitOnConversion: true, reentry: 'never',
};

let started = performance.now();
await db.sql.query(
  `insert into customers (external_id, name, email, city, total_spend, order_count)
   select 'C' || i, 'Customer ' || i, 'c' || i || '@example.com', (array['Mumbai', 'Delhi', 'Pune', 'Chennai', 'Jaipur', 'London'])[1 + i % 6], (i::bigint * 7919) % 10000, 1 + i % 9
   from generate_series(1, $1) i`,
  [CUSTOMERS],
);
await db.sql.query('analyze customers');
console.log(`${CUSTOMERS.toLocaleString('en')} customers loaded in ${((performance.now() - started) / 1000).toFixed(1)} s`);
const [{ id }] = await db.sql.rows(
  `insert into automations (name, kind, definition, schedule, skip_days, max_per_run, max_per_day, status, approved_at) values ('VIP welcome', 'journey', $1, 'null', 0, 1000000, 1000000, 'active', now()) returning id`,
  [JSON.stringify({ journey })],
);
started = performance.now();
await startJourney(db.sql, id, journey, ctx);
const [{ members }] = await db.sql.rows(`select count(*)::int as members from journey_members where automation_id = $1`, [id]);
console.log(`baseline: ${members.toLocaleString('en')} customers already in the segment, read in ${((performance.now() - started) / 1000).toFixed(1)} s`);

const pass = async (label) => {
  const [{ marks }] = await db.sql.rows(`select count(*)::int as marks from journey_marks`);
  const t = performance.now();
  await enterBySegment(db.sql, ctx, { HOLDOUT_PERCENT: 10 });
  const ms = performance.now() - t;
  const [{ entered }] = await db.sql.rows(`select count(*)::int as entered from journey_entries where automation_id = $1`, [id]);
  console.log(`${label}: ${marks.toLocaleString('en')} customers changed, entry pass ${(ms / 1000).toFixed(2)} s, ${entered.toLocaleString('en')} entered so far`);
};
// Spend grows for a share of customers (as an import of their orders would do): some cross 5,000 and enter.
await db.sql.query(`update customers set total_spend = total_spend + 3000 where id % 100 = 7`);
await pass('1 % changed');
await db.sql.query(`update customers set total_spend = total_spend + 3000 where id % 10 = 3`);
await pass('10 % changed');
await db.sql.query(`insert into journey_marks select id from customers on conflict do nothing`);
await pass('every customer read again (for comparison)');
console.log(`machine: ${db.machine}`);
await db.close();
