import { createHmac } from 'node:crypto';
import { addCustomers } from './support/campaign-helpers.js';
import { SmtpSink } from './support/smtp-sink.js';
import { call, startTestCrm, type TestCrm } from './support/test-crm.js';
import { until } from './support/until.js';


// A campaign through a real SMTP server on loopback: nodemailer in the CRM, smtp-server as the mailbox, every
// message parsed with mailparser.
describe('email campaigns over SMTP', () => {
  const sink = new SmtpSink({ user: 'relay-user', pass: 'relay-pass' });
  let crm: TestCrm;
  let marketer: { token: string };
  const city = (name: string) => ({ field: 'city', op: 'equals', value: name });
  const plan = (body: Record<string, unknown>) => call(`${crm.url}/api/campaigns/plan`, { token: marketer.token, body: { channel: 'email', ...body } });
  const launch = async (body: Record<string, unknown>) => {
    const planned = await plan(body);
    expect(planned.status).toBe(200);
    const launched = await call(`${crm.url}/api/campaigns/launch`, { token: marketer.token, body: { approvalId: planned.body.approval.id } });
    expect(launched.status).toBe(202);
    return launched.body.campaignId as number;
  };
  const stats = async (id: number) => (await call(`${crm.url}/api/campaigns/${id}`, { token: marketer.token })).body;
  const completed = (id: number) => until(`campaign ${id} to complete`, async () => { const s = await stats(id); return s.status === 'completed' && s; });
  const log = async (address: string) => (await crm.db.sql.rows(`select * from communication_logs where address = $1 order by id desc`, [address]))[0];

  beforeAll(async () => {
    await sink.start();
    crm = await startTestCrm({
      SMTP_URL: `smtp://relay-user:relay-pass@127.0.0.1:${sink.port}`, EMAIL_FROM: 'offers@shop.example', EMAIL_FROM_NAME: 'Chai & Co',
      EMAIL_REPLY_TO: 'help@shop.example', RECONCILE_SECONDS: '1', DELIVERY_RETRY_SECONDS: '0.3', SEED_ON_EMPTY: 'false',
    });
    marketer = await crm.person('marketer');
  });
  afterAll(async () => {
    await crm.stop();
    await sink.stop();
  });

  it('delivers personalised, escaped emails with both parts, a Message-ID and one-click unsubscribe headers; 4xx is retried, 5xx fails and suppresses', async () => {
    await addCustomers(crm, [
      { name: '<b>Rao</b> & Sons', email: 'rao@example.com', city: 'Mailpur', spend: 12500.5 },
      { name: null, email: 'nameless@example.com', city: 'Mailpur' },
      { name: 'Busy Box', email: 'busy@example.com', city: 'Mailpur' },
      { name: 'Gone Away', email: 'gone@example.com', city: 'Mailpur' },
      ...Array.from({ length: 20 }, (_, i) => ({ name: `Asha ${i}`, email: `asha${i}@example.com`, city: 'Mailpur' })),
    ]);
    sink.rules.set('busy@example.com', { tryLater: 1 });
    sink.rules.set('gone@example.com', { refuse: '5.1.1 <gone@example.com>: Recipient address rejected: User unknown' });

    const planned = await plan({
      name: 'Diwali', rules: city('Mailpur'), subject: '{{first_name | "Friend"}}, 10% off for you', preheader: 'Only this week',
      template: 'Hi {{first_name | "there"}},\n\nyou have spent {{total_spend}} with us.\n\nHere is 10% off.',
    });
    expect(planned.status).toBe(200);
    expect(planned.body.delivery).toMatchObject({ carrier: 'smtp', real: true });
    expect(planned.body.delivery.description).toBe(`the mail server at 127.0.0.1:${sink.port}`);
    expect(JSON.stringify(planned.body)).not.toContain('relay-pass');
    const preview = planned.body.samples[0].email;
    expect(preview).toMatchObject({ from: 'Chai & Co <offers@shop.example>', subject: '<b>Rao</b>, 10% off for you' });
    expect(preview.html).toContain('Hi &lt;b&gt;Rao&lt;/b&gt;,');

    const id = (await call(`${crm.url}/api/campaigns/launch`, { token: marketer.token, body: { approvalId: planned.body.approval.id } })).body.campaignId;
    const done = await completed(id);
    expect(done).toMatchObject({ audience: 24, sent: 23, failed: 1, pending: 0, unconfirmed: 0 });

    // Each address got exactly one email, the busy one after its retry.
    expect(sink.received).toHaveLength(23);
    expect(new Set(sink.received.map((m) => m.to)).size).toBe(23);
    expect(sink.to('busy@example.com')).toHaveLength(1);
    expect((await log('busy@example.com'))).toMatchObject({ status: 'sent', attempts: 2 });

    const [rao] = sink.to('rao@example.com');
    const mail = rao.parsed;
    expect(mail.from?.value[0]).toEqual({ name: 'Chai & Co', address: 'offers@shop.example' });
    expect(mail.replyTo?.value[0].address).toBe('help@shop.example');
    expect(mail.subject).toBe('<b>Rao</b>, 10% off for you');
    expect(mail.text).toContain('Hi <b>Rao</b>,');
    expect(mail.text).toContain('you have spent ₹12,500.50 with us.');
    expect(mail.html).toContain('Hi &lt;b&gt;Rao&lt;/b&gt;,');
    expect(mail.html).not.toContain('<b>Rao</b>');
    expect(mail.html).toContain('Only this week');
    const row = await log('rao@example.com');
    expect(mail.messageId).toBe(row.message_id);
    expect(row.message_id).toBe(`<msg-${row.id}@shop.example>`);
    const header = (name: string) => mail.headerLines.find((h) => h.key === name.toLowerCase())?.line.replace(/^[^:]+:\s*/, '');
    expect(header('List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
    const unsubscribeUrl = /^<(.+)>$/.exec(header('List-Unsubscribe')!.replace(/\r?\n\s*/g, ''))![1];
    expect(unsubscribeUrl.startsWith(`${crm.url}/unsubscribe/`)).toBe(true);
    expect(mail.text).toContain(unsubscribeUrl);
    expect(mail.html).toContain(unsubscribeUrl);
    expect(sink.to('nameless@example.com')[0].parsed.subject).toBe('Friend, 10% off for you');

    // The refused address failed with the server's words and is suppressed; the next plan leaves it out, saying why.
    expect(await log('gone@example.com')).toMatchObject({ status: 'failed' });
    expect((await log('gone@example.com')).failure_reason).toContain('User unknown');
    const next = await plan({ name: 'Next', rules: city('Mailpur'), subject: 'Hello', template: 'Hi' });
    expect(next.body.audience.excluded.suppressed).toBe(1);
  });

  it('one click on List-Unsubscribe (RFC 8058) unsubscribes; forged, expired and foreign links change nothing', async () => {
    const [id] = await addCustomers(crm, [{ name: 'Leaving Soon', email: 'leaving@example.com', city: 'Clickpur' }]);
    await completed(await launch({ name: 'Click', rules: city('Clickpur'), subject: 'Hi', template: 'Hello' }));
    const header = sink.to('leaving@example.com')[0].parsed.headerLines.find((h) => h.key === 'list-unsubscribe')!.line;
    const url = /<(.+)>/.exec(header.replace(/\r?\n\s*/g, ''))![1];
    const token = url.split('/').pop()!;
    const consents = () => crm.db.sql.rows(`select channel, status, source from customer_consents where customer_id = $1`, [id]);

    const [body, mac] = token.split('.');
    const [customerId, channel, logId] = Buffer.from(body, 'base64url').toString().split('.');
    const sign = (key: string, payload: string) => `${Buffer.from(payload).toString('base64url')}.${createHmac('sha256', key).update(payload).digest().subarray(0, 18).toString('base64url')}`;
    const key = (await crm.db.sql.rows(`select value from crm_settings where key = 'unsubscribe_key'`))[0].value;
    const forged = `${Buffer.from(`${Number(customerId) + 1}.${channel}.${logId}.${Math.floor(Date.now() / 1000)}`).toString('base64url')}.${mac}`;
    const expired = sign(key, `${customerId}.${channel}.${logId}.${Math.floor(Date.now() / 1000) - 400 * 86_400}`);
    const foreign = sign('another CRM entirely, with its own key', `${customerId}.${channel}.${logId}.${Math.floor(Date.now() / 1000)}`);
    for (const [bad, words] of [[forged, /not valid/], [expired, /expired/], [foreign, /not valid/], ['nonsense', /not valid/]] as const) {
      const res = await fetch(`${crm.url}/unsubscribe/${bad}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click' });
      expect(res.status).toBe(400);
      expect(await res.text()).toMatch(words);
    }
    expect(await consents()).toEqual([]);

    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click' });
    expect(res.status).toBe(200);
    expect(await consents()).toEqual([{ channel: 'email', status: 'withdrawn', source: expect.stringContaining('one-click unsubscribe') }]);
    // Twice is the same as once.
    expect((await fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click' })).status).toBe(200);
    const audit = await crm.db.sql.rows(`select action, surface from audit_events where target = $1`, [`customer:${id}`]);
    expect(audit).toEqual([{ action: 'consent.withdraw', surface: 'system' }]);
    const next = await plan({ name: 'After', rules: city('Clickpur'), subject: 'Hi', template: 'Hello' });
    expect(next.body.audience).toMatchObject({ eligible: 0, excluded: { unsubscribed: 1 } });
  });

  it('waits while the mail server is down, loses nothing, and sends each message once when it is back', async () => {
    await addCustomers(crm, Array.from({ length: 12 }, (_, i) => ({ name: `Down ${i}`, email: `down${i}@example.com`, city: 'Downpur' })));
    const port = sink.port;
    await sink.stop();
    const id = await launch({ name: 'While down', rules: city('Downpur'), subject: 'Hi', template: 'Hello' });
    const waiting = await until('the campaign to say why it waits', async () => { const s = await stats(id); return s.stalled && s; });
    expect(waiting.stalled).toMatch(/cannot be reached/);
    expect(waiting).toMatchObject({ sent: 0, failed: 0, unconfirmed: 0 });
    await sink.start(port);
    await completed(id);
    const got = sink.received.filter((m) => m.to.startsWith('down'));
    expect(got).toHaveLength(12);
    expect(new Set(got.map((m) => m.to)).size).toBe(12);
  });

  it('refuses to guess: a connection cut during DATA leaves the message unconfirmed and never sent again', async () => {
    await addCustomers(crm, [{ name: 'Cut Off', email: 'cut@example.com', city: 'Cutpur' }, { name: 'Fine', email: 'fine@example.com', city: 'Cutpur' }]);
    sink.rules.set('cut@example.com', { hangUpInData: true });
    const id = await launch({ name: 'Cut', rules: city('Cutpur'), subject: 'Hi', template: 'Hello' });
    const settled = await until('both messages to settle', async () => { const s = await stats(id); return s.sent + s.unconfirmed === 2 && s; });
    expect(settled).toMatchObject({ sent: 1, unconfirmed: 1 });
    expect((await log('cut@example.com')).failure_reason).toMatch(/may have arrived/);
    await new Promise((r) => setTimeout(r, 2500));
    expect((await log('cut@example.com')).status).toBe('unconfirmed');
    expect((await log('cut@example.com')).attempts).toBe(1);
  });

  it('serves consent and test messages as tools, with the same permission checks; /healthz names the channel', async () => {
    const analyst = await crm.person('analyst');
    const tool = (token: string, name: string, body: unknown) => call(`${crm.url}/api/tools/${name}`, { token, body });
    const [id] = await addCustomers(crm, [{ name: 'Consent Person', email: 'consent@example.com', city: 'Toolpur' }]);

    expect((await tool(analyst.token, 'change_consent', { customerId: id, channel: 'sms', status: 'granted', source: 'form in store' })).status).toBe(403);
    const changed = await tool(marketer.token, 'change_consent', { customerId: id, channel: 'sms', status: 'granted', source: 'signed form in the Pune store' });
    expect(changed.status).toBe(200);
    expect(changed.body.consent.sms).toMatchObject({ status: 'granted', source: expect.stringMatching(/^signed form in the Pune store \(recorded by marketer-/) });
    const customer = await tool(analyst.token, 'get_customer', { customerId: id });
    expect(customer.body.consent).toMatchObject({ email: { status: null }, sms: { status: 'granted' } });
    expect(customer.body.suppressed).toEqual([]);
    const gone = await tool(analyst.token, 'get_customer', { customerId: (await crm.db.sql.rows(`select c.id from customers c where email = 'gone@example.com'`))[0].id });
    expect(gone.body.suppressed).toEqual([{ channel: 'email', reason: 'hard_bounce', since: expect.any(String) }]);

    expect((await tool(analyst.token, 'send_test_message', { channel: 'email', to: 'me@example.com' })).status).toBe(403);
    expect((await tool(marketer.token, 'send_test_message', { channel: 'email', to: 'not an address' })).status).toBe(400);
    const test = await tool(marketer.token, 'send_test_message', { channel: 'email', to: 'me@example.com', subject: 'Does it arrive?' });
    expect(test.status).toBe(200);
    expect(test.body).toMatchObject({ accepted: true, carrier: `the mail server at 127.0.0.1:${sink.port}`, answer: expect.stringMatching(/^250 /) });
    expect(sink.to('me@example.com')[0].parsed.subject).toBe('Does it arrive?');
    const sms = await tool(marketer.token, 'send_test_message', { channel: 'sms', to: '+91 98200 12345' });
    expect(sms.status).toBe(422);
    expect(sms.body.message).toMatch(/Nothing was sent: SMS goes to the built-in simulator/);

    const health = await call(`${crm.url}/healthz`);
    expect(health.body.channels).toEqual({ email: `smtp: the mail server at 127.0.0.1:${sink.port}`, sms: 'simulator: the built-in simulator: nothing leaves this machine and no customer receives anything' });
  });

  it('refuses a subject that would come out empty, and says so', async () => {
    const res = await plan({ name: 'Empty', rules: city('Mailpur'), subject: '{{first_name}}', template: 'Hello' });
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(/subject can come out empty/);
  });
});

describe('a mail server that refuses the login', () => {
  it('keeps every message queued and says why, instead of failing them', async () => {
    const sink = await new SmtpSink({ user: 'right', pass: 'right-password' }).start();
    const crm = await startTestCrm({ SMTP_URL: `smtp://right:wrong-password@127.0.0.1:${sink.port}`, EMAIL_FROM: 'offers@shop.example', SEED_ON_EMPTY: 'false', RECONCILE_SECONDS: '1' });
    try {
      const marketer = await crm.person('marketer');
      await addCustomers(crm, [{ name: 'A', email: 'a@example.com', city: 'Loginpur' }, { name: 'B', email: 'b@example.com', city: 'Loginpur' }]);
      const planned = await call(`${crm.url}/api/campaigns/plan`, { token: marketer.token, body: { name: 'Login', rules: { field: 'city', op: 'equals', value: 'Loginpur' }, channel: 'email', subject: 'Hi', template: 'Hello' } });
      const id = (await call(`${crm.url}/api/campaigns/launch`, { token: marketer.token, body: { approvalId: planned.body.approval.id } })).body.campaignId;
      const waiting = await until('the campaign to say why it waits', async () => { const s = (await call(`${crm.url}/api/campaigns/${id}`, { token: marketer.token })).body; return s.stalled && s; });
      expect(waiting.stalled).toMatch(/refused the login/);
      expect(waiting.stalled).not.toContain('wrong-password');
      expect(waiting).toMatchObject({ audience: 2, sent: 0, failed: 0 });
      expect(sink.received).toHaveLength(0);
    } finally {
      await crm.stop();
      await sink.stop();
    }
  });

  it('keeps every message queued and says why when the relay refuses the sender address', async () => {
    const sink = await new SmtpSink().start();
    sink.refusedSenders.add('unverified@shop.example');
    const crm = await startTestCrm({ SMTP_URL: `smtp://127.0.0.1:${sink.port}`, EMAIL_FROM: 'unverified@shop.example', SEED_ON_EMPTY: 'false', RECONCILE_SECONDS: '1' });
    try {
      const marketer = await crm.person('marketer');
      await addCustomers(crm, [{ name: 'A', email: 'a@example.com', city: 'Senderpur' }]);
      const planned = await call(`${crm.url}/api/campaigns/plan`, { token: marketer.token, body: { name: 'Sender', rules: { field: 'city', op: 'equals', value: 'Senderpur' }, channel: 'email', subject: 'Hi', template: 'Hello' } });
      const id = (await call(`${crm.url}/api/campaigns/launch`, { token: marketer.token, body: { approvalId: planned.body.approval.id } })).body.campaignId;
      const waiting = await until('the campaign to say why it waits', async () => { const s = (await call(`${crm.url}/api/campaigns/${id}`, { token: marketer.token })).body; return s.stalled && s; });
      expect(waiting.stalled).toMatch(/refused the sender address \(check EMAIL_FROM\): .*not a verified identity/);
      expect(waiting).toMatchObject({ audience: 1, sent: 0, failed: 0 });
      const [log] = await crm.db.sql.rows(`select status, attempts from communication_logs`);
      expect(log).toEqual({ status: 'queued', attempts: 0 });
    } finally {
      await crm.stop();
      await sink.stop();
    }
  });
});

describe('the sending rate', () => {
  it('never hands the mail server more than EMAIL_RATE_PER_SECOND messages a second', async () => {
    const sink = await new SmtpSink().start();
    const crm = await startTestCrm({ SMTP_URL: `smtp://127.0.0.1:${sink.port}`, EMAIL_FROM: 'offers@shop.example', EMAIL_RATE_PER_SECOND: '10', SEED_ON_EMPTY: 'false' });
    try {
      const marketer = await crm.person('marketer');
      await addCustomers(crm, Array.from({ length: 12 }, (_, i) => ({ name: `Paced ${i}`, email: `paced${i}@example.com`, city: 'Ratepur' })));
      const planned = await call(`${crm.url}/api/campaigns/plan`, { token: marketer.token, body: { name: 'Paced', rules: { field: 'city', op: 'equals', value: 'Ratepur' }, channel: 'email', subject: 'Hi', template: 'Hello' } });
      await call(`${crm.url}/api/campaigns/launch`, { token: marketer.token, body: { approvalId: planned.body.approval.id } });
      await until('all twelve to arrive', async () => sink.received.length === 12);
      const times = sink.received.map((m) => m.at).sort((a, b) => a - b);
      // Twelve messages at ten a second are at least eleven tenths of a second apart, first to last (less a little
      // for the sink's own clock reading after the data).
      expect(times[11] - times[0]).toBeGreaterThanOrEqual(1000);
      for (let i = 10; i < 12; i++) expect(times[i] - times[i - 10]).toBeGreaterThanOrEqual(900);
    } finally {
      await crm.stop();
      await sink.stop();
    }
  });
});
