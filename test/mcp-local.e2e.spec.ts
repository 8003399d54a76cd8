import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { loadConfig } from '../src/config/load-config.js';
import { freePort } from '../src/db/free-port.js';
import { seedDemoData } from '../src/db/seed/seeder.js';
import { projectRoot } from '../src/project-root.js';
import { runCrm } from './support/crm-process.js';
import { mcpClient, rawMcp } from './support/mcp-client.js';
import { createTestDatabase } from './support/test-database.js';
import { startTestCrm, type TestCrm } from './support/test-crm.js';

const run = promisify(execFile);
const stdioEntry = join(projectRoot(), 'dist', 'mcp', 'stdio.js');

describe('MCP over stdio (npm run mcp)', () => {
  let crm: TestCrm;
  beforeAll(async () => {
    crm = await startTestCrm();
    await seedDemoData(crm.db.sql, { seed: 3, customers: 120 });
  });
  afterAll(() => crm.stop());

  it('relays a desktop assistant\'s session to the CRM with the token\'s user and role', async () => {
    const analyst = await crm.person('analyst');
    const client = new Client({ name: 'desktop-assistant', version: '1.0.0' });
    await client.connect(new StdioClientTransport({
      command: process.execPath, args: [stdioEntry], stderr: 'pipe',
      env: { PATH: process.env.PATH ?? '', CRM_URL: crm.url, CRM_API_TOKEN: analyst.token },
    }));
    try {
      const names = (await client.listTools()).tools.map((t) => t.name);
      expect(names).toContain('preview_segment');
      expect(names).not.toContain('create_segment'); // an analyst's token
      const preview = await client.callTool({ name: 'preview_segment', arguments: { rules: { field: 'order_count', op: '>=', value: 1 } } });
      const [hand] = await crm.db.sql.rows(`select count(*)::int as n from customers where order_count >= 1`);
      expect((preview.structuredContent as { count: number }).count).toBe(hand.n);
      const refused = await client.callTool({ name: 'create_segment', arguments: { name: 'x', rules: { field: 'city', op: '=', value: 'Pune' } } });
      expect((refused.content as { text: string }[])[0].text).toBe('Your role (analyst) does not allow segments.write.');
    } finally {
      await client.close();
    }
  });

  it('stops with a sentence when the token is missing', async () => {
    const failed = await run(process.execPath, [stdioEntry], { env: { PATH: process.env.PATH } }).catch((e) => e);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain('crm mcp: CRM_API_TOKEN is not set: create one with `npm run crm -- token create --role marketer`');
    expect(failed.stdout).toBe('');
  });
});

describe('the tokenless loopback setting (MCP_LOOPBACK_USER)', () => {
  it('is refused at start unless the server listens on a loopback address', () => {
    expect(() => loadConfig({ HOST: '0.0.0.0', MCP_LOOPBACK_USER: 'someone@example.com' })).toThrow(/MCP_LOOPBACK_USER may only be set when HOST is a loopback address/);
    expect(() => loadConfig({ HOST: '127.0.0.1', MCP_LOOPBACK_USER: 'someone@example.com' })).not.toThrow();
  });

  it('acts as the named user, at most an analyst, only for requests from this machine to a loopback name', async () => {
    const crm = await startTestCrm({ MCP_LOOPBACK_USER: 'owner@example.com', MCP_ALLOWED_HOSTS: 'crm.example.com' });
    try {
      await crm.person('admin', 'owner@example.com');
      const { client } = await mcpClient(crm.url);
      const names = (await client.listTools()).tools.map((t) => t.name);
      expect(names).toContain('preview_segment');
      expect(names).not.toContain('create_segment');
      expect(names).not.toContain('launch_campaign');
      await client.close();
      // Anything that may have come from elsewhere needs a token: a proxied request, or one addressed to a public name.
      expect((await rawMcp(crm.url, { 'x-forwarded-for': '203.0.113.7' })).status).toBe(401);
      expect((await rawMcp(crm.url, { forwarded: 'for=203.0.113.7' })).status).toBe(401);
      expect((await rawMcp(crm.url, { host: 'crm.example.com' })).status).toBe(401);
      expect((await rawMcp(crm.url, {})).status).toBe(200);
    } finally {
      await crm.stop();
    }
  });
});

describe('the official MCP conformance suite against the real server', () => {
  const scenarios = ['server-initialize', 'ping', 'tools-list', 'resources-list', 'prompts-list', 'logging-set-level', 'dns-rebinding-protection'];
  const suite = join(projectRoot(), 'node_modules', '@modelcontextprotocol', 'conformance', 'dist', 'index.js');
  let server: ReturnType<typeof runCrm>;
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let url: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    const port = await freePort();
    // The suite cannot present a token: the documented loopback setting, as the README describes for it.
    server = runCrm({
      DATABASE_URL: db.url, PORT: String(port), VENDOR_PORT: '0', DEMO_CUSTOMERS: '100',
      ADMIN_EMAIL: 'admin@example.com', ADMIN_PASSWORD: 'conformance-password', MCP_LOOPBACK_USER: 'admin@example.com',
    });
    await server.ready;
    url = `http://127.0.0.1:${port}/mcp`;
  });
  afterAll(async () => {
    await server?.stop();
    await db?.drop();
  });

  it.each(scenarios)('passes %s', async (scenario) => {
    const { stdout } = await run(process.execPath, [suite, 'server', '--url', url, '--scenario', scenario], { env: { PATH: process.env.PATH } })
      .catch((e) => { throw new Error(`${scenario} failed:\n${e.stdout}\n${e.stderr}`); });
    expect(stdout).toMatch(/Passed: (\d+)\/\1, 0 failed/);
  });
});
