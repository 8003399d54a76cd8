import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { UnauthorizedError } from '@modelcontextprotocol/sdk/client/auth.js';
import WebSocket from 'ws';
import { hashPassword } from '../src/auth/password.js';
import { freePort } from '../src/db/free-port.js';
import { seedDemoData } from '../src/db/seed/seeder.js';
import { chatTurn, newConversation } from './support/chat-client.js';
import { runCrm, type CrmProcess } from './support/crm-process.js';
import { AssistantOAuth } from './support/oauth-client.js';
import { personInDatabase } from './support/person-in-database.js';
import { roundRobinProxy, type RoundRobinProxy } from './support/round-robin-proxy.js';
import { call, signInOnTheWeb } from './support/test-crm.js';
import { createTestDatabase, type TestDatabase } from './support/test-database.js';

const quiet = { field: 'days_since_last_order', op: '>=', value: 30 };

// Two server processes and two workers behind a round-robin balancer, sharing only PostgreSQL: everything a person
// or an assistant does works whichever process answers, and killing one mid-campaign loses nothing.
describe('several servers behind one address', () => {
  let db: TestDatabase;
  let proxy: RoundRobinProxy;
  const processes: CrmProcess[] = [];
  let servers: CrmProcess[];
  let workers: CrmProcess[];
  let ports: number[];
  const person = { email: 'lead@example.com', password: 'a-long-enough-password' };
  let token: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    await seedDemoData(db.sql, { seed: 9, customers: 400 });
    await db.sql.query(`insert into users (email, role, password_hash) values ($1, 'marketer', $2)`, [person.email, await hashPassword(person.password)]);
    token = (await personInDatabase(db.sql, 'marketer', 'script@example.com')).token;
    const secret = 'several-servers-secret-0123456789';
    const vendor = runCrm({ VENDOR_SECRET: secret, VENDOR_PORT: String(await freePort()), VENDOR_MIN_DELAY_MS: '200', VENDOR_MAX_DELAY_MS: '1500' }, 'dist/src/vendor/main.js');
    processes.push(vendor);
    const vendorUrl = await vendor.ready;
    ports = [await freePort(), await freePort()];
    proxy = await roundRobinProxy(ports);
    const env = {
      DATABASE_URL: db.url, VENDOR_URL: vendorUrl, VENDOR_SECRET: secret, PUBLIC_URL: proxy.url, MCP_STATELESS: 'true',
      SEED_ON_EMPTY: 'false', HOLDOUT_PERCENT: '0', DELIVERY_BATCH_SIZE: '20', JOB_SUPERVISE_SECONDS: '1', RECONCILE_SECONDS: '2', SMS_QUIET_HOURS: '',
    };
    servers = ports.map((port) => runCrm({ ...env, PORT: String(port), RUN_WORKERS: 'false' }));
    workers = [runCrm(env, 'dist/src/worker.js'), runCrm(env, 'dist/src/worker.js')];
    processes.push(...servers, ...workers);
    await Promise.all(servers.map((s) => s.ready));
  }, 90_000);
  afterAll(async () => {
    await proxy?.close();
    for (const p of processes) await p.stop('SIGKILL');
    await db?.drop();
  });

  const signIn = () => signInOnTheWeb(proxy.url, person.email, person.password);

  it('signs in, chats and answers an OAuth assistant over MCP whichever process answers', async () => {
    const session = await signIn();
    for (let i = 0; i < 4; i++) expect((await call(`${proxy.url}/api/auth/me`, { headers: session })).body.user.email).toBe(person.email);

    // Two turns of one conversation, each answered by a different process.
    const conversation = newConversation();
    const first = await chatTurn(proxy.url, token, conversation, { text: 'how many customers are there?' });
    expect(first.status).toBe(200);
    const [{ n }] = await db.sql.rows(`select count(*)::int as n from customers`);
    expect(first.text.replace(/,/g, '')).toContain(String(n));
    const second = await chatTurn(proxy.url, token, conversation, { text: 'only those in Mumbai' });
    const [{ m }] = await db.sql.rows(`select count(*)::int as m from customers where city = 'Mumbai'`);
    expect(second.text.replace(/,/g, '')).toContain(String(m));

    // An assistant registers, is consented to, and calls tools; each request may land on either process.
    const assistant = await AssistantOAuth.start('Desk Assistant');
    const transport = new StreamableHTTPClientTransport(new URL('/mcp', proxy.url), { authProvider: assistant });
    await expect(new Client({ name: 'desk', version: '1' }).connect(transport)).rejects.toBeInstanceOf(UnauthorizedError);
    const consent = await fetch(assistant.authorizationUrl!, { redirect: 'manual' });
    const requestId = new URL(consent.headers.get('location')!, proxy.url).searchParams.get('request')!;
    const decided = await call(`${proxy.url}/api/oauth/requests/${requestId}/decision`, { headers: session, body: { approve: true, scopes: ['read'] } });
    await transport.finishAuth(new URL(decided.body.redirectTo).searchParams.get('code')!);
    const client = new Client({ name: 'desk', version: '1' });
    await client.connect(new StreamableHTTPClientTransport(new URL('/mcp', proxy.url), { authProvider: assistant }));
    for (let i = 0; i < 3; i++) {
      const preview = await client.callTool({ name: 'preview_segment', arguments: { rules: { field: 'city', op: 'equals', value: 'Mumbai' } } });
      expect((preview.structuredContent as { count: number }).count).toBe(m);
    }
    await client.close();
    await assistant.close();
    expect([...proxy.served.values()].every((count) => count > 5)).toBe(true);
  }, 60_000);

  it('sends a whole campaign while a worker and a server are killed, with the figures arriving over the websocket', async () => {
    const session = await signIn();
    const events: string[] = [];
    const socket = new WebSocket(`${proxy.url.replace('http', 'ws')}/ws`, { headers: { authorization: `Bearer ${token}` } });
    socket.on('message', (data) => events.push(JSON.parse(String(data)).event));
    await new Promise((resolve, reject) => { socket.on('open', resolve); socket.on('error', reject); });

    const plan = await call(`${proxy.url}/api/tools/plan_campaign`, { headers: session, body: { name: 'Across servers', rules: quiet, channel: 'email', template: 'Hi {{first_name | "there"}}' } });
    expect(plan.status).toBe(200);
    const eligible = plan.body.audience.eligible as number;
    expect(eligible).toBeGreaterThan(50);
    const launched = await call(`${proxy.url}/api/campaigns/launch`, { headers: session, body: { approvalId: plan.body.approval.id } });
    expect(launched.status).toBe(202);
    const campaignId = launched.body.campaignId as number;

    // A worker killed mid-delivery, and one server: the rest carry on.
    const delivered = async () => Number((await db.sql.rows(`select count(*) as n from communication_logs where campaign_id = $1 and status <> 'queued'`, [campaignId]))[0].n);
    for (let i = 0; i < 300 && (await delivered()) === 0; i++) await new Promise((r) => setTimeout(r, 50));
    workers[0].child.kill('SIGKILL');
    servers[0].child.kill('SIGKILL');
    await Promise.all([workers[0].exited, servers[0].exited]);

    let status = '';
    for (let i = 0; i < 600 && status !== 'completed'; i++) {
      await new Promise((r) => setTimeout(r, 100));
      status = (await call(`${proxy.url}/api/campaigns/${campaignId}`, { headers: session })).body.status;
    }
    expect(status).toBe('completed');
    const [final] = await db.sql.rows(`select count(*)::int as total, count(distinct customer_id)::int as customers, count(*) filter (where status in ('sent', 'delivered', 'failed'))::int as settled
      from communication_logs where campaign_id = $1`, [campaignId]);
    expect(final).toEqual({ total: eligible, customers: eligible, settled: eligible });
    socket.close();
    expect(events).toContain('campaign.progress');
  }, 120_000);
});
