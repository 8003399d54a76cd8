import { freePort } from '../src/db/free-port.js';
import { runCrm, type CrmProcess } from './support/crm-process.js';
import { createTestDatabase, type TestDatabase } from './support/test-database.js';
import { until } from './support/until.js';

const AUTOMATIONS = 12;
const PER_AUDIENCE = 300;

// Twelve recurring campaigns fall due at once; two real worker processes run them, and one is killed with SIGKILL
// while they do. Whatever the moment of the kill, each due time runs at most once and nobody gets a message twice.
describe('recurring campaigns when a worker is killed', () => {
  let db: TestDatabase;
  const processes: CrmProcess[] = [];
  beforeAll(async () => { db = await createTestDatabase(); });
  afterAll(async () => {
    for (const p of processes) await p.stop('SIGKILL');
    await db.drop();
  });

  it('runs each due time once, sends each customer one message, and writes down what a dead worker launched', async () => {
    await db.sql.query(
      `insert into customers (external_id, name, email, city) select 'A' || i, 'Ann ' || i, 'ann' || i || '@example.com', 'City' || (i % $1) from generate_series(1, $2) i`,
      [AUTOMATIONS, AUTOMATIONS * PER_AUDIENCE],
    );
    const [{ id: approver }] = await db.sql.rows(`insert into users (email, name, role, password_hash) values ('approver@example.com', 'Approver', 'marketer', 'x') returning id`);
    await db.sql.query(
      `insert into automations (name, definition, schedule, cron, skip_days, max_per_run, max_per_day, status, approved_by, approved_at, next_run_at)
       select 'Auto ' || i, jsonb_build_object('rules', jsonb_build_object('field', 'city', 'op', 'equals', 'value', 'City' || i), 'channel', 'email', 'subject', 'Hello', 'template', 'Hi'),
         '{"every":"day","at":"10:00"}', '0 10 * * *', 7, 10000, 10000, 'active', $1, now(), now() - interval '1 minute'
       from generate_series(0, $2 - 1) i`,
      [approver, AUTOMATIONS],
    );
    const secret = 'automation-kill-secret-0123456789';
    const vendorPort = await freePort();
    const vendor = runCrm({ VENDOR_SECRET: secret, VENDOR_PORT: String(vendorPort), VENDOR_MIN_DELAY_MS: '0', VENDOR_MAX_DELAY_MS: '50', VENDOR_FAILURE_RATE: '0' }, 'dist/src/vendor/main.js');
    processes.push(vendor);
    const vendorUrl = await vendor.ready;
    const env = {
      DATABASE_URL: db.url, VENDOR_URL: vendorUrl, VENDOR_SECRET: secret, PUBLIC_URL: `http://127.0.0.1:${await freePort()}`, SEED_ON_EMPTY: 'false',
      HOLDOUT_PERCENT: '0', OUTCOMES_SECONDS: '1', RECONCILE_SECONDS: '1', JOB_SUPERVISE_SECONDS: '1', TIME_ZONE: 'Asia/Kolkata', LOG_LEVEL: 'warn',
    };
    const [first, second] = [runCrm(env, 'dist/src/worker.js'), runCrm(env, 'dist/src/worker.js')];
    processes.push(first, second);
    // Killed as soon as the runs have started, in the middle of them.
    await until('the first runs', async () => (await db.sql.rows(`select count(*) as n from automation_runs`))[0].n > 0, 30_000);
    await first.stop('SIGKILL');

    const settled = await until('every automation to have run', async () => {
      const rows = await db.sql.rows<{ name: string; runs: number; status: string | null }>(
        `select a.name, count(r.id) as runs, min(r.status) as status from automations a left join automation_runs r on r.automation_id = a.id group by a.name`,
      );
      return rows.every((r) => r.runs > 0 && r.status !== null) && rows;
    }, 60_000);
    await new Promise((r) => setTimeout(r, 2500)); // a reconciler pass writes down runs a dead worker launched
    // One run per automation and due time.
    expect(settled.every((r) => r.runs === 1)).toBe(true);
    const runs = await db.sql.rows<{ status: string; recipients: number; messages: number; people: number }>(
      `select r.status, r.recipients, (select count(*) from communication_logs l where l.campaign_id = r.campaign_id)::int as messages,
         (select count(distinct l.customer_id) from communication_logs l where l.campaign_id = r.campaign_id)::int as people
       from automation_runs r order by r.automation_id`,
    );
    for (const run of runs) {
      // Sent with all its audience, or (killed before its campaign launched) failed with nothing sent.
      if (run.status === 'sent') expect(run).toMatchObject({ recipients: PER_AUDIENCE, messages: PER_AUDIENCE, people: PER_AUDIENCE });
      else expect(run).toMatchObject({ status: 'failed', messages: 0 });
    }
    expect(runs.filter((r) => r.status === 'sent').length).toBeGreaterThanOrEqual(AUTOMATIONS - 1);
    const twice = await db.sql.rows(`select customer_id from communication_logs group by customer_id having count(*) > 1`);
    expect(twice).toEqual([]);
  }, 120_000);
});
