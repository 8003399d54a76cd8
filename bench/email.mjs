// An email campaign through SMTP, from launch to every message accepted by the mail server: the audience frozen,
// batches claimed, each message rendered (HTML and text, unsubscribe link) and handed over by nodemailer's pool,
// and each answer recorded. The mail server is a real SMTP sink in its own process (bench/smtp-sink.mjs).
// Default settings (EMAIL_CONNECTIONS, no rate limit). Run: npm run bench:email; RECIPIENTS=… changes the size.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { benchDatabase, dist, root } from './bench-database.mjs';

const RECIPIENTS = Number(process.env.RECIPIENTS ?? 100_000);
const sink = spawn(process.execPath, [join(root, 'bench', 'smtp-sink.mjs')], { stdio: ['pipe', 'pipe', 'inherit'] });
const lines = [];
let wake = () => {};
sink.stdout.on('data', (d) => { lines.push(...String(d).trim().split('\n')); wake(); });
const nextLine = async (prefix) => {
  for (;;) {
    const i = lines.findIndex((l) => l.startsWith(prefix));
    if (i >= 0) return lines.splice(i, 1)[0];
    await new Promise((r) => { wake = r; });
  }
};
const sinkPort = Number((await nextLine('listening')).split(' ')[1]);

const db = await benchDatabase('crm_bench_email');
const { loadConfig } = await dist('src/config/load-config.js');
const { assembleCrm } = await dist('src/app/assemble-crm.js');
const { CampaignsService } = await dist('src/crm/campaigns/campaigns.service.js');
const { freePort } = await dist('src/db/free-port.js');

const port = await freePort();
const config = loadConfig({
  HOLDOUT_PERCENT: '0', ...process.env, DATABASE_URL: db.url, PORT: String(port), PUBLIC_URL: `http://127.0.0.1:${port}`, VENDOR_PORT: '0',
  SMTP_URL: `smtp://127.0.0.1:${sinkPort}`, EMAIL_FROM: 'offers@shop.example', EMAIL_FROM_NAME: 'Bench Shop',
});
const crm = await assembleCrm(config, db, { http: true, workers: true, vendor: 'any' });
const campaigns = crm.app.get(CampaignsService);
const actor = { userId: null, email: 'bench', role: 'admin', surface: 'cli' };

await db.sql.query(
  `insert into customers (external_id, name, email, city, total_spend, order_count) select 'E' || i, 'Email Customer ' || i, 'e' || i || '@example.com', 'Mailtown', i % 20000, 1 from generate_series(1, $1) i`,
  [RECIPIENTS],
);
await db.sql.query('analyze customers');
const plan = await campaigns.plan(actor, {
  name: 'Bench email', rules: { field: 'city', op: 'equals', value: 'Mailtown' }, channel: 'email', subject: '{{first_name | "Hello"}}, 10% off this week',
  preheader: 'Our thanks for shopping with us', template: 'Hi {{first_name | "there"}},\n\nyou have spent {{total_spend}} with us. Here is 10% off your next order.',
});
const started = performance.now();
const { campaignId, audience } = await campaigns.launch(actor, plan.approval.id);
const frozen = (performance.now() - started) / 1000;
// Only the campaign's status is polled: counting 100,000 messages ten times a second would slow what is measured.
while ((await db.sql.rows('select status from campaigns where id = $1', [campaignId]))[0].status !== 'completed') {
  await new Promise((r) => setTimeout(r, 100));
}
const seconds = (performance.now() - started) / 1000;
const stats = await campaigns.stats(actor, campaignId);
sink.stdin.write('count\n');
const [, accepted, bytes] = (await nextLine('accepted')).split(' ').map(Number);
console.log(`machine: ${db.machine}`);
console.log(`settings: ${config.EMAIL_CONNECTIONS} SMTP connections, rate limit ${config.EMAIL_RATE_PER_SECOND || 'none'}, delivery batch ${config.DELIVERY_BATCH_SIZE}`);
console.log(`${audience.toLocaleString('en')} recipients: launch to every message accepted ${seconds.toFixed(1)} s — ${Math.round(audience / seconds).toLocaleString('en')} emails/s (audience frozen in ${frozen.toFixed(1)} s)`);
console.log(`the mail server accepted ${accepted.toLocaleString('en')} messages (${(bytes / accepted / 1024).toFixed(1)} KiB each); CRM counts: sent ${stats.sent.toLocaleString('en')}, failed ${stats.failed}, unconfirmed ${stats.unconfirmed}`);
if (accepted !== audience || stats.sent !== audience) throw new Error('not every message was accepted exactly once');
sink.stdin.end();
await crm.stop();
await db.close();
