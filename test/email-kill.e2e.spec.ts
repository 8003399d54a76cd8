import { AuditService } from '../src/audit/audit.service.js';
import { loadConfig } from '../src/config/load-config.js';
import { CampaignsService } from '../src/crm/campaigns/campaigns.service.js';
import { SegmentsService } from '../src/crm/segments/segments.service.js';
import { systemClock } from '../src/crm/time/clock.js';
import { freePort } from '../src/db/free-port.js';
import { JobQueue } from '../src/jobs/job-queue.js';
import { runCrm, type CrmProcess } from './support/crm-process.js';
import { marketer } from './support/import-helpers.js';
import { SmtpSink } from './support/smtp-sink.js';
import { createTestDatabase, type TestDatabase } from './support/test-database.js';

const AUDIENCE = 1500;

// SMTP has no idempotency key. The delivery worker is a real process, killed with SIGKILL while messages are in
// the middle of their SMTP transactions; a second worker finishes the campaign. No address may get a message
// twice, and every message must be accounted for: sent, or unconfirmed (caught mid-send, shown apart).
describe('an email delivery worker killed mid-campaign', () => {
  let db: TestDatabase;
  const sink = new SmtpSink();
  const processes: CrmProcess[] = [];
  beforeAll(async () => {
    db = await createTestDatabase();
    await sink.start();
  });
  afterAll(async () => {
    for (const p of processes) await p.stop('SIGKILL');
    await sink.stop();
    await db.drop();
  });

  it('sends no address a message twice, and the counts add up', async () => {
    await db.sql.query(
      `insert into customers (external_id, name, email, city) select 'E' || i, 'Esha ' || i, 'esha' || i || '@example.com', 'Killpur' from generate_series(1, $1) i`,
      [AUDIENCE],
    );
    sink.delayMs = 15;
    const env = {
      DATABASE_URL: db.url, PUBLIC_URL: `http://127.0.0.1:${await freePort()}`, SMTP_URL: `smtp://127.0.0.1:${sink.port}`, EMAIL_FROM: 'offers@shop.example',
      DELIVERY_BATCH_SIZE: '100', JOB_SUPERVISE_SECONDS: '1', RECONCILE_SECONDS: '1', SENDING_TIMEOUT_SECONDS: '10', SEED_ON_EMPTY: 'false', HOLDOUT_PERCENT: '0',
    };
    const config = loadConfig(env);
    const queue = await JobQueue.start(db.url, { superviseSeconds: 1 });
    const audit = new AuditService(db.sql);
    const campaigns = new CampaignsService(db.sql, audit, new SegmentsService(db.sql, audit, config, systemClock), config, queue);
    const plan = await campaigns.plan(marketer, { name: 'Kill test', rules: { field: 'city', op: 'equals', value: 'Killpur' }, channel: 'email', subject: 'Hi {{first_name}}', template: 'Hello' });
    const { campaignId, audience } = await campaigns.launch(marketer, plan.approval!.id);
    expect(audience).toBe(AUDIENCE);

    const first = runCrm(env, 'dist/src/worker.js');
    processes.push(first);
    // Killed once a few hundred are in, while the pool has messages in its SMTP transactions.
    for (let i = 0; i < 3000 && sink.received.length < 300; i++) await new Promise((r) => setTimeout(r, 10));
    first.child.kill('SIGKILL');
    await first.exited;
    const atKill = (await db.sql.rows(`select count(*) filter (where status = 'sending') as sending, count(*) filter (where status = 'queued') as queued from communication_logs where campaign_id = $1`, [campaignId]))[0];
    expect(atKill.queued).toBeGreaterThan(0);
    expect(atKill.sending).toBeGreaterThan(0);

    const second = runCrm(env, 'dist/src/worker.js');
    processes.push(second);
    let status = '';
    for (let i = 0; i < 1200 && status !== 'completed'; i++) {
      await new Promise((r) => setTimeout(r, 100));
      status = (await db.sql.rows(`select status from campaigns where id = $1`, [campaignId]))[0].status;
    }
    await queue.stop();
    expect(status).toBe('completed');

    const rows = await db.sql.rows<{ address: string; status: string; failure_reason: string | null }>(`select address, status, failure_reason from communication_logs where campaign_id = $1`, [campaignId]);
    const byStatus = (s: string) => rows.filter((r) => r.status === s);
    const received = new Map<string, number>();
    for (const m of sink.received) received.set(m.to, (received.get(m.to) ?? 0) + 1);
    // Nobody got two.
    expect(Math.max(...received.values())).toBe(1);
    // Every message is sent or unconfirmed; each sent one arrived; unconfirmed ones may or may not have.
    expect(byStatus('sent').length + byStatus('unconfirmed').length).toBe(AUDIENCE);
    for (const r of byStatus('sent')) expect(received.get(r.address)).toBe(1);
    const unconfirmedArrived = byStatus('unconfirmed').filter((r) => received.has(r.address)).length;
    expect(sink.received.length).toBe(byStatus('sent').length + unconfirmedArrived);
    expect(byStatus('unconfirmed').length).toBeGreaterThan(0);
    expect(atKill.sending).toBeGreaterThanOrEqual(byStatus('unconfirmed').length);
    for (const r of byStatus('unconfirmed')) expect(r.failure_reason).toMatch(/stopped while handing this message over/);
  }, 150_000);
});
