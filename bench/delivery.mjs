// A campaign from launch to every receipt applied: the audience frozen into communication logs, batches handed to
// the vendor simulator over HTTP, receipts posted back, queued and applied. Run: npm run bench:delivery
// SIZES=100000,1000000 chooses the audiences (default 100,000 then 1,000,000).
import { benchDatabase, dist } from './bench-database.mjs';

const sizes = (process.env.SIZES ?? '100000,1000000').split(',').map(Number);
const db = await benchDatabase('crm_bench_delivery');
const { loadConfig } = await dist('src/config/load-config.js');
const { assembleCrm } = await dist('src/app/assemble-crm.js');
const { listen } = await dist('src/server.js');
const { CampaignsService } = await dist('src/crm/campaigns/campaigns.service.js');
const { freePort } = await dist('src/db/free-port.js');

const port = await freePort();
// Receipts come back quickly (0–500 ms) so the figure is the CRM's own throughput, not the simulated wait.
const config = loadConfig({
  HOLDOUT_PERCENT: '0', ...process.env, DATABASE_URL: db.url, PORT: String(port), PUBLIC_URL: `http://127.0.0.1:${port}`, VENDOR_PORT: '0',
  VENDOR_MIN_DELAY_MS: process.env.VENDOR_MIN_DELAY_MS ?? '0', VENDOR_MAX_DELAY_MS: process.env.VENDOR_MAX_DELAY_MS ?? '500',
});
// The server as the composition root builds it, with its workers, as `npm start` runs.
const crm = await assembleCrm(config, db, { http: true, workers: true, vendor: 'any' });
await listen(crm.app, port, '127.0.0.1');
const campaigns = crm.app.get(CampaignsService);
const actor = { userId: null, email: 'bench', role: 'admin', surface: 'cli' };

console.log(`machine: ${db.machine}`);
console.log(`delivery batch ${config.DELIVERY_BATCH_SIZE}, vendor receipts after ${config.VENDOR_MIN_DELAY_MS}–${config.VENDOR_MAX_DELAY_MS} ms, ${Math.round(config.VENDOR_DUPLICATE_RATE * 100)}% sent twice`);
let offset = 0;
for (const size of sizes) {
  const city = `Bench${size}`;
  await db.sql.query(
    `insert into customers (external_id, name, email, city, total_spend, order_count) select 'B' || (i + $2), 'Bench Customer ' || i, 'b' || (i + $2) || '@example.com', $3, i % 20000, 1 from generate_series(1, $1) i`,
    [size, offset, city],
  );
  offset += size;
  await db.sql.query('analyze customers');
  const plan = await campaigns.plan(actor, { name: `Bench ${size}`, rules: { field: 'city', op: 'equals', value: city }, channel: 'email', template: 'Hi {{first_name | "there"}}, you have spent {{total_spend}} with us.' });
  const started = performance.now();
  const { campaignId, audience } = await campaigns.launch(actor, plan.approval.id);
  const frozen = (performance.now() - started) / 1000;
  let stats;
  for (;;) {
    stats = await campaigns.stats(actor, campaignId);
    if (stats.status === 'completed') break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const seconds = (performance.now() - started) / 1000;
  console.log(`${audience.toLocaleString('en')} recipients: launch to all receipts applied ${seconds.toFixed(1)} s (${Math.round(audience / seconds).toLocaleString('en')} messages/s; audience frozen in ${frozen.toFixed(1)} s) — sent ${stats.sent.toLocaleString('en')}, failed ${stats.failed.toLocaleString('en')}, unconfirmed ${stats.unconfirmed}`);
}
await crm.stop();
await db.close();
