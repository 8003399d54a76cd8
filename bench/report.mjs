// The report of one large campaign: 1,000,000 customers in its audience (900,000 sent, 100,000 held out), 5,000,000
// orders spread over the two months around it, a later campaign to 300,000 of the same customers (so the "latest
// message wins" rule has work to do), and opens and clicks on a third of the messages. Times the background pass that
// brings attributions up to date after loading, then campaignReport (the function every surface's report calls),
// p50 over RUNS runs, then the report right after late imports. Run: npm run bench:report (CUSTOMERS=… ORDERS=… RUNS=…).
import { benchDatabase, dist, percentile } from './bench-database.mjs';

const CUSTOMERS = Number(process.env.CUSTOMERS ?? 1_000_000);
const ORDERS = Number(process.env.ORDERS ?? 5_000_000);
const RUNS = Number(process.env.RUNS ?? 15);
const db = await benchDatabase('crm_bench_report', { keep: process.env.KEEP_DATA === '1' });
const { campaignReport } = await dist('src/crm/outcomes/campaign-report.js');
const { workOffStale } = await dist('src/crm/outcomes/attributions.js');

const step = async (what, sql, params = []) => {
  const started = performance.now();
  await db.sql.query(sql, params);
  console.log(`  ${what}: ${((performance.now() - started) / 1000).toFixed(1)} s`);
};
if (!db.kept) {
  console.log(`loading ${CUSTOMERS.toLocaleString('en')} customers and ${ORDERS.toLocaleString('en')} orders`);
  await step('customers', `insert into customers (external_id, name, email) select 'C' || i, 'Customer ' || i, 'c' || i || '@example.com' from generate_series(1, $1) i`, [CUSTOMERS]);
  await step('campaigns', `insert into campaigns (id, name, rules, channel, template, status, launched_at, holdout_percent, attribution_days) values
    (1, 'Win-back', '{}', 'email', 'x', 'completed', now() - interval '20 days', 10, 5),
    (2, 'Later', '{}', 'email', 'x', 'completed', now() - interval '18 days', 0, 5)`);
  await step('holdout', `insert into campaign_holdouts (campaign_id, customer_id) select 1, id from customers where id % 10 = 0`);
  await step('messages', `insert into communication_logs (campaign_id, customer_id, channel, address, message, status, sent_at)
    select 1, id, 'email', 'c' || id || '@example.com', 'x', 'sent', now() - interval '20 days' + (id % 3600) * interval '1 second' from customers where id % 10 <> 0`);
  await step('later messages', `insert into communication_logs (campaign_id, customer_id, channel, address, message, status, sent_at)
    select 2, id, 'email', 'c' || id || '@example.com', 'x', 'sent', now() - interval '18 days' from customers where id % 10 between 1 and 3`);
  await step('opens and clicks', `insert into message_events (log_id, campaign_id, kind, link_index, machine)
    select id, campaign_id, case when id % 9 = 0 then 'click' else 'open' end, case when id % 9 = 0 then 0 end, id % 50 = 0 from communication_logs where id % 3 = 0`);
  // Orders from 50 days before launch to 10 days after it: about a sixth fall inside someone's window.
  await step('orders', `insert into orders (external_id, customer_id, placed_at, status, total)
    select 'O' || i, 1 + (hashtext(i::text) & 2147483647) % $2, now() - interval '70 days' + ((hashtext('t' || i) & 2147483647) % (60 * 86400)) * interval '1 second',
      case when i % 50 = 0 then 'refunded' else 'completed' end, 100 + i % 900
    from generate_series(1, $1) i`, [ORDERS, CUSTOMERS]);
  await step('analyze', 'analyze');
}

// Loading marked every customer whose orders or messages changed; the workers bring their attributions up to date
// in the background. Timed here as one pass, as a worker would do it.
let started = performance.now();
const redone = await workOffStale(db.sql, 5);
console.log(`attributions brought up to date for ${redone.toLocaleString('en')} marked customers: ${((performance.now() - started) / 1000).toFixed(1)} s`);

const timings = [];
let report;
for (let i = 0; i < RUNS; i++) {
  started = performance.now();
  report = await campaignReport(db.sql, 1, { attributionDays: 5 });
  timings.push(performance.now() - started);
}

// A late import: 10,000 more orders inside the window, from recipients. The report redoes those customers first.
const late = [];
for (let i = 0; i < 3; i++) {
  await db.sql.query(`insert into orders (external_id, customer_id, placed_at, status, total)
    select 'L${Date.now()}-${i}-' || g, 1 + (g * 97 + ${i}) % $1, (select launched_at from campaigns where id = 1) + interval '2 days', 'completed', 500 from generate_series(1, 10000) g`, [CUSTOMERS]);
  started = performance.now();
  await campaignReport(db.sql, 1, { attributionDays: 5 });
  late.push(performance.now() - started);
}
console.log(JSON.stringify({ sent: report.sent, holdout: report.holdout, lift: report.lift.verdict, engagement: report.engagement }));

// The same figures computed from scratch, pairing every member with their orders (what the report did before
// attributions were kept): they must agree exactly.
started = performance.now();
const [scratch] = await db.sql.rows(
  `with members as (
     select 'sent' as grp, m.customer_id, coalesce(m.sent_at, m.created_at) as at from communication_logs m where m.campaign_id = 1 and m.status in ('sent', 'delivered')
     union all select 'holdout', h.customer_id, k.launched_at from campaign_holdouts h join campaigns k on k.id = h.campaign_id where h.campaign_id = 1
   ), outcome as (
     select g.grp, g.customer_id, count(o.id) as orders, coalesce(sum(o.total), 0) as revenue
     from members g left join orders o on o.customer_id = g.customer_id and o.placed_at > g.at and o.placed_at <= g.at + interval '5 days' and o.status in ('pending', 'completed')
       and (g.grp = 'holdout' or not exists (select 1 from communication_logs later where later.customer_id = g.customer_id and later.campaign_id <> 1
         and later.status in ('sent', 'delivered') and coalesce(later.sent_at, later.created_at) > g.at and coalesce(later.sent_at, later.created_at) < o.placed_at))
     group by 1, 2
   )
   select jsonb_object_agg(grp, jsonb_build_object('converted', converted, 'orders', orders, 'revenue', revenue)) as figures
   from (select grp, count(*) filter (where orders > 0) as converted, sum(orders)::int as orders, sum(revenue)::float8 as revenue from outcome group by grp) x`,
);
const now = await campaignReport(db.sql, 1, { attributionDays: 5 });
const agrees = ['sent', 'holdout'].every((g) => ['converted', 'orders', 'revenue'].every((f) => Number(scratch.figures[g][f]) === Number(now[g][f])));
console.log(`from scratch: ${((performance.now() - started) / 1000).toFixed(1)} s, ${agrees ? 'the same figures' : `DIFFERENT: ${JSON.stringify(scratch.figures)}`}`);
console.log(`report of a ${(report.sent.customers + report.holdout.customers).toLocaleString('en')}-customer campaign over ${ORDERS.toLocaleString('en')} orders: p50 ${percentile(timings, 0.5).toFixed(0)} ms, p95 ${percentile(timings, 0.95).toFixed(0)} ms (${RUNS} runs)`);
console.log(`right after a late import of 10,000 orders (their customers redone first): ${late.map((t) => `${t.toFixed(0)} ms`).join(', ')}`);
console.log(`machine: ${db.machine}`);
await db.close();
