import { freePort } from '../src/db/free-port.js';
import { runCrm, type CrmProcess } from './support/crm-process.js';
import { personInDatabase } from './support/person-in-database.js';
import { call } from './support/test-crm.js';
import { createTestDatabase, type TestDatabase } from './support/test-database.js';

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function launch(url: string, token: string) {
  const plan = await call(`${url}/api/campaigns/plan`, { token, body: { name: 'Any port', rules: { field: 'email', op: 'is_set' }, channel: 'email', template: 'Hi {{first_name | "there"}}' } });
  expect(plan.status).toBe(200);
  const launched = await call(`${url}/api/campaigns/launch`, { token, body: { approvalId: plan.body.approval.id } });
  expect(launched.status).toBe(202);
  return launched.body.campaignId as number;
}

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, ms: number): Promise<T> {
  let value = await read();
  for (const started = Date.now(); !done(value) && Date.now() - started < ms; await wait(200)) value = await read();
  return value;
}

// A newcomer with something already on port 3000 starts the CRM on another port and sets nothing else.
describe('the CRM on any port', () => {
  let db: TestDatabase;
  const processes: CrmProcess[] = [];
  beforeEach(async () => { db = await createTestDatabase(); });
  afterEach(async () => {
    for (const p of processes.splice(0)) await p.stop('SIGKILL');
    await db.drop();
  });

  async function start(env: Record<string, string>) {
    const port = await freePort();
    const server = runCrm({ DATABASE_URL: db.url, PORT: String(port), SEED_ON_EMPTY: 'true', DEMO_CUSTOMERS: '40', VENDOR_PORT: '0', VENDOR_MAX_DELAY_MS: '300', VENDOR_FAILURE_RATE: '0', VENDOR_DUPLICATE_RATE: '0', LOG_LEVEL: 'info', ...env });
    processes.push(server);
    const url = await server.ready;
    const { token } = await personInDatabase(db.sql, 'marketer');
    return { server, url, token };
  }

  it('without PUBLIC_URL, receipts come back to the port it listens on and the campaign completes', async () => {
    const { url, token } = await start({});
    expect(url).toMatch(/:\d+$/);
    const campaignId = await launch(url, token);
    const stats = await until(() => call(`${url}/api/campaigns/${campaignId}`, { token }), (r) => r.body.status === 'completed', 20_000);
    expect(stats.body).toMatchObject({ status: 'completed', pending: 0, unconfirmed: 0, stalled: null });
    expect(stats.body.sent).toBe(stats.body.audience);
  }, 60_000);

  it('when receipts cannot reach it, the log says why and the campaign shows as stalled with the reason', async () => {
    const nowhere = await freePort();
    const { server, url, token } = await start({ RECEIPTS_URL: `http://127.0.0.1:${nowhere}/api/delivery-receipts`, RECEIPT_TIMEOUT_SECONDS: '1', RECONCILE_SECONDS: '1' });
    const campaignId = await launch(url, token);
    const stats = await until(() => call(`${url}/api/campaigns/${campaignId}`, { token }), (r) => r.body.stalled !== null, 20_000);
    expect(stats.body.sent).toBe(0);
    expect(stats.body.stalled).toContain('may not be able to reach the CRM (check PUBLIC_URL or RECEIPTS_URL)');
    // The agent's tool says the same.
    const tool = await call(`${url}/api/tools/get_campaign_stats`, { token, body: { campaignId } });
    expect(tool.body.stalled).toBe(stats.body.stalled);
    expect(server.output()).toContain('no delivery receipts have arrived');
    expect(server.output()).toContain(`127.0.0.1:${nowhere}/api/delivery-receipts`);
  }, 60_000);
});
