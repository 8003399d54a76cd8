// The tracking endpoints under load: the open pixel and the click redirect, each request recording an event in
// PostgreSQL. 10,000 delivered messages with three links each; autocannon, in a process of its own, drives 50
// connections for 10 s per endpoint against the server as the composition root builds it. The server, autocannon and
// PostgreSQL share the two cores. Run: npm run bench:tracking
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { benchDatabase, dist, root } from './bench-database.mjs';

const MESSAGES = Number(process.env.MESSAGES ?? 10_000);
const SECONDS = Number(process.env.SECONDS ?? 10);
const db = await benchDatabase('crm_bench_tracking');
const { loadConfig } = await dist('src/config/load-config.js');
const { assembleCrm } = await dist('src/app/assemble-crm.js');
const { listen } = await dist('src/server.js');
const { freePort } = await dist('src/db/free-port.js');
const { unsubscribeKey } = await dist('src/crm/consent/unsubscribe-link.js');
const { trackingToken } = await dist('src/crm/engagement/tracking-link.js');
const { EngagementService } = await dist('src/crm/engagement/engagement.service.js');

const port = await freePort();
const config = loadConfig({ ...process.env, DATABASE_URL: db.url, PORT: String(port), PUBLIC_URL: `http://127.0.0.1:${port}`, VENDOR_PORT: '0', RUN_WORKERS: 'false', LOG_LEVEL: 'warn' });
const crm = await assembleCrm(config, db, { http: true, workers: false, vendor: 'any' });
await listen(crm.app, port, '127.0.0.1');

await db.sql.query(`insert into customers (external_id, name, email) select 'T' || i, 'Reader ' || i, 'r' || i || '@example.com' from generate_series(1, $1) i`, [MESSAGES]);
await db.sql.query(`insert into campaigns (id, name, rules, channel, template, status, launched_at) values (1, 'Bench', '{}', 'email', 'x', 'completed', now() - interval '1 hour')`);
await db.sql.query(
  `insert into communication_logs (campaign_id, customer_id, channel, address, message, status, sent_at)
   select 1, id, 'email', email, 'Hi, see https://shop.example/sale?c=' || id || ' and https://shop.example/new and https://shop.example/outlet', 'sent', now() - interval '1 hour' from customers`,
);
const key = await unsubscribeKey(db.sql, config.UNSUBSCRIBE_SECRET);
const ids = (await db.sql.rows('select id from communication_logs order by id')).map((r) => r.id);
const base = `http://127.0.0.1:${port}`;
const browser = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15';

async function load(name, paths) {
  const spec = join(tmpdir(), `crm-bench-load-${process.pid}.json`);
  await writeFile(spec, JSON.stringify({ url: base, paths, connections: 50, seconds: SECONDS, headers: { 'user-agent': browser } }));
  const { stdout } = await promisify(execFile)(process.execPath, [join(root, 'bench', 'load.mjs'), spec], { maxBuffer: 1 << 20 });
  const result = JSON.parse(stdout);
  // Events are written a batch at a time: wait for the last batch, then count every one.
  await crm.app.get(EngagementService).settled();
  const events = (await db.sql.rows(`select count(*) as n from message_events`))[0].n;
  const statuses = Object.entries(result.statusCodeStats ?? {}).map(([code, s]) => `${s.count.toLocaleString('en')} × ${code}`).join(', ');
  console.log(`${name}: ${Math.round(result.average).toLocaleString('en')} requests/s (p50 ${result.p50} ms, p99 ${result.p99} ms), answers ${statuses}, ${result.errors} errors; ${events.toLocaleString('en')} events recorded in all`);
}

console.log(`machine: ${db.machine}`);
console.log(`data: ${MESSAGES.toLocaleString('en')} delivered messages with three links each; 50 connections, ${SECONDS} s per endpoint`);
await load('open pixel', ids.map((id) => `/t/o/${trackingToken(key, { logId: id, link: null })}`));
await load('click redirect', ids.map((id, i) => `/t/c/${trackingToken(key, { logId: id, link: i % 3 })}`));
await crm.stop();
await db.close();
