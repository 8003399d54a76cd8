import { runCrm } from './support/crm-process.js';
import { SmtpSink } from './support/smtp-sink.js';
import { createTestDatabase, type TestDatabase } from './support/test-database.js';

// `crm channel test` as an operator runs it: its own process, the configured mail server, and what it answered.
describe('crm channel test', () => {
  let db: TestDatabase;
  const sink = new SmtpSink();
  beforeAll(async () => {
    db = await createTestDatabase();
    await sink.start();
  });
  afterAll(async () => {
    await sink.stop();
    await db.drop();
  });

  it('sends one email through the mail server and prints its answer; says so plainly when only the simulator is set', async () => {
    const env = { DATABASE_URL: db.url, SEED_ON_EMPTY: 'false' };
    const sent = runCrm({ ...env, SMTP_URL: `smtp://127.0.0.1:${sink.port}`, EMAIL_FROM: 'offers@shop.example' }, 'dist/src/cli/main.js', ['channel', 'test', '--email', 'owner@shop.example']);
    expect(await sent.exited).toBe(0);
    expect(sent.output()).toMatch(new RegExp(`^Accepted by the mail server at 127\\.0\\.0\\.1:${sink.port} for owner@shop\\.example: 250 `, 'm'));
    expect(sink.to('owner@shop.example')[0].parsed.subject).toBe('A test message from your CRM');

    const simulated = runCrm(env, 'dist/src/cli/main.js', ['channel', 'test', '--sms', '+91 98200 12345']);
    expect(await simulated.exited).toBe(1);
    expect(simulated.output()).toMatch(/Nothing was sent: SMS goes to the built-in simulator/);

    const both = runCrm(env, 'dist/src/cli/main.js', ['channel', 'test', '--email', 'a@b.example', '--sms', '+91 98200 12345']);
    expect(await both.exited).toBe(2);
    expect(both.output()).toMatch(/Give one of --email/);
  });
});
