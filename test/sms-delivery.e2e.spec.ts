import { addCustomers } from './support/campaign-helpers.js';
import { postAsTwilio, startFakeTwilio } from './support/fake-twilio.js';
import { call, startTestCrm, type TestCrm } from './support/test-crm.js';
import { until } from './support/until.js';

const SID = `AC${'1'.repeat(32)}`;
const TOKEN = 'twilio-auth-token-for-tests';


// SMS through the real `twilio` client against a loopback stand-in for Twilio's REST API, which posts signed
// status callbacks back; customers' replies arrive signed the same way.
describe('SMS campaigns through Twilio', () => {
  let twilio: Awaited<ReturnType<typeof startFakeTwilio>>;
  let crm: TestCrm;
  let marketer: { token: string };
  const city = (value: string) => ({ field: 'city', op: 'equals', value });
  const plan = (body: Record<string, unknown>) => call(`${crm.url}/api/campaigns/plan`, { token: marketer.token, body: { channel: 'sms', ...body } });
  const stats = async (id: number) => (await call(`${crm.url}/api/campaigns/${id}`, { token: marketer.token })).body;
  const grant = (ids: number[]) => crm.db.sql.query(`insert into customer_consents (customer_id, channel, status, source) select unnest($1::bigint[]), 'sms', 'granted', 'test'`, [ids]);
  const consent = async (id: number) => (await crm.db.sql.rows(`select status, source from customer_consents where customer_id = $1 and channel = 'sms'`, [id]))[0];

  beforeAll(async () => {
    twilio = await startFakeTwilio(SID, TOKEN);
    crm = await startTestCrm({
      TWILIO_ACCOUNT_SID: SID, TWILIO_AUTH_TOKEN: TOKEN, TWILIO_FROM: '+15005550006', TWILIO_API_URL: twilio.url,
      SMS_QUIET_HOURS: '', SEED_ON_EMPTY: 'false', RECONCILE_SECONDS: '1', EMAIL_FROM_NAME: 'Chai & Co',
    });
    marketer = await crm.person('marketer');
  });
  afterAll(async () => {
    await crm.stop();
    await twilio.stop();
  });

  it('texts only customers who opted in, appends the opt-out line, and settles each text from signed status callbacks', async () => {
    const ids = await addCustomers(crm, [
      { name: 'Priya Nair', phone: '+91 98200 11111', city: 'Textpur' },
      { name: 'Dead Number', phone: '+91 98200 22222', city: 'Textpur' },
      { name: 'Never Asked', phone: '+91 98200 33333', city: 'Textpur' },
      ...Array.from({ length: 5 }, (_, i) => ({ name: `Ravi ${i}`, phone: `+91 98200 4000${i}`, city: 'Textpur' })),
    ]);
    await grant(ids.filter((_, i) => i !== 2));
    twilio.failNumbers.set('+919820022222', { undelivered: '30005' });

    const planned = await plan({ name: 'Texts', rules: city('Textpur'), template: 'Hi {{first_name}}, 10% off this week.' });
    expect(planned.status).toBe(200);
    expect(planned.body.delivery).toMatchObject({ carrier: 'twilio', real: true });
    expect(planned.body.audience).toMatchObject({ matching: 8, eligible: 7, excluded: { no_consent: 1 } });
    expect(planned.body.samples[0].message).toBe('Hi Priya, 10% off this week.\nReply STOP to opt out');
    expect(planned.body.samples[0].sms).toEqual({ encoding: 'GSM-7', characters: 50, segments: 1 });
    const id = (await call(`${crm.url}/api/campaigns/launch`, { token: marketer.token, body: { approvalId: planned.body.approval.id } })).body.campaignId;

    const done = await until('the campaign to complete', async () => { const s = await stats(id); return s.status === 'completed' && s; });
    expect(done).toMatchObject({ audience: 7, sent: 6, failed: 1, pending: 0 });
    expect(twilio.requests).toHaveLength(7);
    expect(twilio.requests[0]).toMatchObject({ to: '+919820011111', from: '+15005550006', body: 'Hi Priya, 10% off this week.\nReply STOP to opt out', statusCallback: `${crm.url}/api/webhooks/twilio/status` });
    const failed = (await crm.db.sql.rows(`select status, failure_reason from communication_logs where customer_id = $1`, [ids[1]]))[0];
    expect(failed).toEqual({ status: 'failed', failure_reason: 'Twilio: undelivered (error 30005)' });
    expect(await crm.db.sql.rows(`select reason from suppressions where channel = 'sms' and address = '919820022222'`)).toEqual([{ reason: 'hard_bounce' }]);
  });

  it('refuses status callbacks that are unsigned, signed with another token, replayed or about unknown messages', async () => {
    const [sent] = twilio.requests;
    const url = `${crm.url}/api/webhooks/twilio/status`;
    const before = await crm.db.sql.rows(`select id, status, failure_reason from communication_logs order by id`);
    const failing = { MessageSid: sent.sid, MessageStatus: 'failed', ErrorCode: '30003' };
    const unsigned = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(failing).toString() });
    expect(unsigned.status).toBe(401);
    expect((await postAsTwilio(url, failing, TOKEN, 'someone-elses-token')).status).toBe(401);
    const unknown = await postAsTwilio(url, { MessageSid: `SM${'f'.repeat(32)}`, MessageStatus: 'delivered' }, TOKEN);
    expect(unknown.status).toBe(404);
    const replay = await postAsTwilio(url, { AccountSid: SID, MessageSid: sent.sid, SmsSid: sent.sid, To: sent.to, MessageStatus: 'delivered', SmsStatus: 'delivered' }, TOKEN);
    expect(replay.status).toBe(200);
    expect(await replay.json()).toMatchObject({ applied: false, duplicate: true });
    const bad = await postAsTwilio(url, { MessageSid: 'not a sid', MessageStatus: 'delivered' }, TOKEN);
    expect(bad.status).toBe(400);
    expect(await crm.db.sql.rows(`select id, status, failure_reason from communication_logs order by id`)).toEqual(before);
  });

  it('STOP by text withdraws consent and suppresses the number; HELP is answered; START opts back in', async () => {
    const [id] = await addCustomers(crm, [{ name: 'Stop Me', phone: '+91 99999 00001', city: 'Stoppur' }]);
    await grant([id]);
    const inbound = `${crm.url}/api/webhooks/twilio/inbound`;
    const text = (body: string, sid: string) => postAsTwilio(inbound, { MessageSid: sid, AccountSid: SID, From: '+919999900001', To: '+15005550006', Body: body }, TOKEN);

    const help = await text('help', `SM${'a'.repeat(32)}`);
    expect(help.status).toBe(200);
    expect(await help.text()).toMatch(/<Response><Message>Chai &amp; Co: .*Reply STOP to stop them/);

    expect((await text('Stop please', `SM${'b'.repeat(32)}`)).status).toBe(200);
    expect(await consent(id)).toEqual({ status: 'withdrawn', source: 'replied STOP by text' });
    const afterStop = await plan({ name: 'After stop', rules: city('Stoppur'), template: 'Hi' });
    expect(afterStop.body.audience).toMatchObject({ eligible: 0, excluded: { unsubscribed: 1 } });

    expect((await text('START', `SM${'c'.repeat(32)}`)).status).toBe(200);
    expect(await consent(id)).toEqual({ status: 'granted', source: 'replied START by text' });
    expect(await crm.db.sql.rows(`select 1 from suppressions where channel = 'sms' and address = '919999900001'`)).toEqual([]);
    // A replayed STOP (same MessageSid) does not undo the START.
    await text('Stop please', `SM${'b'.repeat(32)}`);
    expect((await consent(id)).status).toBe('granted');
    // A forged STOP changes nothing.
    const forged = await postAsTwilio(inbound, { MessageSid: `SM${'d'.repeat(32)}`, From: '+919999900001', Body: 'STOP' }, TOKEN, 'forged');
    expect(forged.status).toBe(401);
    expect((await consent(id)).status).toBe('granted');
  });

  it('sends each link as a short tracking link, counted in the size, that leads to the link and shows in the report', async () => {
    const ids = await addCustomers(crm, [{ name: 'Link Reader', phone: '+91 98200 66666', city: 'Linkpur' }]);
    await grant(ids);
    const link = 'https://shop.example/diwali-sale-with-a-rather-long-address?utm_source=sms&utm_campaign=diwali';
    const planned = await plan({ name: 'Short links', rules: city('Linkpur'), template: `Diwali sale: ${link}` });
    const shortLength = `${crm.url}/t/s/`.length + 22;
    expect(planned.body.samples[0].message).toContain(link);
    expect(planned.body.samples[0].sms.characters).toBe(planned.body.samples[0].message.length - link.length + shortLength);
    expect(planned.body.warnings.join(' ')).toMatch(/leaves as a short tracking link/);
    const before = twilio.requests.length;
    const id = (await call(`${crm.url}/api/campaigns/launch`, { token: marketer.token, body: { approvalId: planned.body.approval.id } })).body.campaignId;
    await until('the text to be sent', async () => twilio.requests.length > before);
    const body: string = twilio.requests.at(-1)!.body;
    const short = /https?:\/\/\S+\/t\/s\/\S+/.exec(body)![0];
    expect(body).toBe(`Diwali sale: ${short}\nReply STOP to opt out`);
    expect(short.length).toBeLessThanOrEqual(shortLength);
    const followed = await fetch(short, { redirect: 'manual', headers: { 'user-agent': 'Mozilla/5.0 (iPhone)' } });
    expect(followed.status).toBe(302);
    expect(followed.headers.get('location')).toBe(link);
    // A changed token leads nowhere.
    expect((await fetch(short.slice(0, -1) + (short.endsWith('A') ? 'B' : 'A'), { redirect: 'manual' })).status).toBe(404);
    const report = await until('the click in the report', async () => { const r = (await call(`${crm.url}/api/tools/get_campaign_report`, { token: marketer.token, body: { campaignId: id } })).body; return r.engagement.clicked + r.engagement.machineClicks > 0 && r; });
    expect(report.engagement.clicked + report.engagement.machineClicks).toBe(1);
  });

  it('refuses a text longer than the segment limit, with the count', async () => {
    const ids = await addCustomers(crm, [{ name: 'Long Reader', phone: '+91 98200 55555', city: 'Longpur' }]);
    await grant(ids);
    const res = await plan({ name: 'Too long', rules: city('Longpur'), template: `Namaste {{first_name}} 🎉 ${'offer '.repeat(60)}` });
    expect(res.status).toBe(400);
    expect(res.body.message).toMatch(/would be \d+ segments \(\d+ UCS-2 characters\); the limit is 4/);
  });
});

describe('SMS quiet hours', () => {
  it('holds texts until the quiet hours end, drops none, and says so in the plan', async () => {
    const twilio = await startFakeTwilio(SID, TOKEN);
    // Quiet all day but one minute from now: whatever the hour the test runs, it is quiet now.
    const now = new Date();
    const local = new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Kolkata', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(now.getTime() + 2 * 60_000));
    const start = new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Kolkata', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(now.getTime() + 3 * 60_000));
    const crm = await startTestCrm({ TWILIO_ACCOUNT_SID: SID, TWILIO_AUTH_TOKEN: TOKEN, TWILIO_FROM: '+15005550006', TWILIO_API_URL: twilio.url, SMS_QUIET_HOURS: `${start}-${local}`, SEED_ON_EMPTY: 'false' });
    try {
      const marketer = await crm.person('marketer');
      const ids = await addCustomers(crm, [{ name: 'Night Owl', phone: '+91 98200 66666', city: 'Nightpur' }]);
      await crm.db.sql.query(`insert into customer_consents (customer_id, channel, status, source) values ($1, 'sms', 'granted', 'test')`, [ids[0]]);
      const planned = await call(`${crm.url}/api/campaigns/plan`, { token: marketer.token, body: { name: 'Night', rules: { field: 'city', op: 'equals', value: 'Nightpur' }, channel: 'sms', template: 'Hi' } });
      expect(planned.body.warnings.join(' ')).toMatch(/SMS quiet hours .* none is dropped/);
      await call(`${crm.url}/api/campaigns/launch`, { token: marketer.token, body: { approvalId: planned.body.approval.id } });
      const held = await until('the text to be held', async () => (await crm.db.sql.rows(`select status, next_attempt_at from communication_logs where customer_id = $1 and next_attempt_at is not null`, [ids[0]]))[0]);
      expect(held.status).toBe('queued');
      expect(new Date(held.next_attempt_at).getTime()).toBeGreaterThan(Date.now());
      expect(twilio.requests).toHaveLength(0);
    } finally {
      await crm.stop();
      await twilio.stop();
    }
  });
});
