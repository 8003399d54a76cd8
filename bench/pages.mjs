// npm run bench:pages — the API behind the dashboard and the customers list, over HTTP on the million-customer shop
// (1,000,000 customers, 5,000,000 orders; see million-shop.mjs): each page's requests as the web app sends them
// (the dashboard's three at once), one page load at a time, p50 and p95 over RUNS loads. RUNS=… changes the count.
import { benchServer, percentile } from './bench-database.mjs';
import { CUSTOMERS, db, lineCount, loadSeconds, orderCount } from './million-shop.mjs';

const RUNS = Number(process.env.RUNS ?? 15);
const server = await benchServer(db);
const { token } = await server.person('marketer');
const tool = async (name, input) => {
  const res = await fetch(`${server.url}/api/tools/${name}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(input) });
  if (!res.ok) throw new Error(`${name} answered ${res.status}: ${await res.text()}`);
  return res.json();
};

// What each page asks for when it opens (and when the customers list turns a page or filters).
const pages = {
  'dashboard (overview, insights, automations at once)': () => Promise.all([tool('get_overview', {}), tool('get_insights', {}), tool('list_automations', {})]),
  'customers list, first page by spend': () => tool('rank_customers', { by: 'total_spend', direction: 'desc', limit: 50, offset: 0 }),
  'customers list, page 20 by last order': () => tool('rank_customers', { by: 'last_order_date', direction: 'desc', limit: 50, offset: 950 }),
  'customers list filtered by the win-back rule': () => tool('rank_customers', {
    by: 'total_spend', direction: 'desc', limit: 50, offset: 0,
    rules: { any: [{ all: [{ field: 'total_spend', op: '>', value: 10000 }, { field: 'order_count', op: '<', value: 3 }] }, { field: 'days_since_last_order', op: '>=', value: 90 }] },
  }),
};

console.log(`machine: ${db.machine}`);
console.log(`data: ${CUSTOMERS.toLocaleString('en')} customers, ${orderCount.toLocaleString('en')} orders, ${lineCount.toLocaleString('en')} order lines (loaded in ${loadSeconds.toFixed(1)} s)`);
// The dashboard's figures computed afresh, as the first load (or the background refresh) computes them at this size;
// the timed loads below are then served from the kept copy.
await db.sql.query('delete from analytics_snapshots');
const cold = performance.now();
await pages['dashboard (overview, insights, automations at once)']();
console.log(`dashboard figures computed afresh (first load; then the refresh behind the kept copy): ${((performance.now() - cold) / 1000).toFixed(2)} s`);
for (const [name, load] of Object.entries(pages)) {
  const times = [];
  for (let i = 0; i < RUNS + 2; i++) {
    const started = performance.now();
    await load();
    if (i >= 2) times.push(performance.now() - started); // the first two warm the caches
  }
  console.log(`${name}: p50 ${percentile(times, 0.5).toFixed(1)} ms, p95 ${percentile(times, 0.95).toFixed(1)} ms (${RUNS} loads; goal p50 < 300 ms)`);
}
await server.close();
await db.close();
process.exit(0);
