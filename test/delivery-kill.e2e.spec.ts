import { AuditService } from '../src/audit/audit.service.js';
import { loadConfig } from '../src/config/load-config.js';
import { CampaignsService } from '../src/crm/campaigns/campaigns.service.js';
import { SegmentsService } from '../src/crm/segments/segments.service.js';
import { systemClock } from '../src/crm/time/clock.js';
import { freePort } from '../src/db/free-port.js';
import { JobQueue } from '../src/jobs/job-queue.js';
import { runCrm, type CrmProcess } from './support/crm-process.js';
import { marketer } from './support/import-helpers.js';
import { createTestDatabase, type TestDatabase } from './support/test-database.js';

const AUDIENCE = 3000;
const counts = (db: TestDatabase, campaignId: number) => db.sql.rows(
  `select count(*) as total, count(distinct customer_id) as customers, count(*) filter (where status = 'submitted') as submitted,
     count(*) filter (where status = 'queued') as queued, count(*) filter (where status = 'sent') as sent, count(*) filter (where status = 'failed') as failed
   from communication_logs where campaign_id = $1`, [campaignId]).then((r) => r[0]);

// The vendor, the server and the delivery worker are three real processes; the worker is killed with SIGKILL while
// batches are in flight, and a new one finishes the campaign.
// Receipts wait longer than a dead worker's jobs take to be retried (ten seconds of missed heartbeat), so batches the
// vendor accepted but the killed worker never recorded are submitted again and must be recognised by their keys.
describe('a delivery worker killed mid-campaign', () => {
  let db: TestDatabase;
  const processes: CrmProcess[] = [];
  beforeAll(async () => { db = await createTestDatabase(); });
  afterAll(async () => {
    for (const p of processes) await p.stop('SIGKILL');
    await db.drop();
  });

  it('leaves one log row per recipient, each message sent to the vendor once, and counts that add up', async () => {
    await db.sql.query(
      `insert into customers (external_id, name, email, city) select 'K' || i, 'Kim ' || i, 'kim' || i || '@example.com', 'Killtown' from generate_series(1, $1) i`,
      [AUDIENCE],
    );
    const secret = 'kill-test-secret-0123456789abcdef';
    const [vendorPort, serverPort] = [await freePort(), await freePort()];
    const vendor = runCrm({ VENDOR_SECRET: secret, VENDOR_PORT: String(vendorPort), VENDOR_ACCEPT_DELAY_MS: '300', VENDOR_MIN_DELAY_MS: '16000', VENDOR_MAX_DELAY_MS: '18000', VENDOR_DUPLICATE_RATE: '0.2' }, 'dist/src/vendor/main.js');
    processes.push(vendor);
    const vendorUrl = await vendor.ready;
    const env = {
      DATABASE_URL: db.url, VENDOR_URL: vendorUrl, VENDOR_SECRET: secret, PUBLIC_URL: `http://127.0.0.1:${serverPort}`,
      DELIVERY_BATCH_SIZE: '100', JOB_SUPERVISE_SECONDS: '1', RECONCILE_SECONDS: '2', SEED_ON_EMPTY: 'false', HOLDOUT_PERCENT: '0',
    };
    const server = runCrm({ ...env, PORT: String(serverPort), RUN_WORKERS: 'false' });
    processes.push(server);
    await server.ready;

    const config = loadConfig(env);
    const queue = await JobQueue.start(db.url, { superviseSeconds: 1 });
    const audit = new AuditService(db.sql);
    const campaigns = new CampaignsService(db.sql, audit, new SegmentsService(db.sql, audit, config, systemClock), config, queue);
    const plan = await campaigns.plan(marketer, { name: 'Kill test', rules: { field: 'city', op: 'equals', value: 'Killtown' }, channel: 'email', template: 'Hi {{first_name}}' });
    const { campaignId, audience } = await campaigns.launch(marketer, plan.approval!.id);
    expect(audience).toBe(AUDIENCE);

    const first = runCrm(env, 'dist/src/worker.js');
    processes.push(first);
    let now = await counts(db, campaignId);
    const vendorBusy = async () => (await (await fetch(`${vendorUrl}/stats`)).json()).batchesBeingAccepted > 0;
    // Killed while the vendor holds batches from it: the vendor accepts them after the worker is gone.
    for (let i = 0; i < 1000 && (now.queued > AUDIENCE * 0.6 || !(await vendorBusy())); i++) {
      await new Promise((r) => setTimeout(r, 10));
      now = await counts(db, campaignId);
    }
    first.child.kill('SIGKILL');
    await first.exited;
    const atKill = await counts(db, campaignId);
    expect(atKill.queued).toBeGreaterThan(0);
    expect(atKill.queued).toBeLessThan(AUDIENCE);

    const second = runCrm(env, 'dist/src/worker.js');
    processes.push(second);
    let status = '';
    for (let i = 0; i < 900 && status !== 'completed'; i++) {
      await new Promise((r) => setTimeout(r, 100));
      status = (await db.sql.rows(`select status from campaigns where id = $1`, [campaignId]))[0].status;
    }
    await queue.stop();
    expect(status).toBe('completed');
    const final = await counts(db, campaignId);
    const stats = await (await fetch(`${vendorUrl}/stats`)).json();
    expect(final).toMatchObject({ total: AUDIENCE, customers: AUDIENCE, queued: 0, submitted: 0 });
    // The vendor decided each message's fate once; the CRM recorded exactly those fates.
    expect(stats.messages).toBe(AUDIENCE);
    expect(stats.repeatedSubmissions).toBeGreaterThan(0);
    expect(stats.maxSubmissionsPerKey).toBe(2);
    expect(final.sent + final.failed).toBe(AUDIENCE);
    expect({ sent: final.sent, failed: final.failed }).toEqual({ sent: stats.sent, failed: stats.failed });
  }, 150_000);
});
