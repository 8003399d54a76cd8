import { generateKeyPairSync, sign } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { addCustomers } from './support/campaign-helpers.js';
import { selfSignedCertificate } from './support/self-signed-certificate.js';
import { SmtpSink } from './support/smtp-sink.js';
import { call, startTestCrm, type TestCrm } from './support/test-crm.js';

const TOPIC = 'arn:aws:sns:eu-west-1:123456789012:ses-feedback';

// Bounces and complaints in each provider's real format and signature scheme, with keys made here: SendGrid's
// signed Event Webhook (ECDSA P-256) and Amazon SES notifications through SNS (RSA over a certificate that SNS
// serves, here from a loopback stand-in for Amazon's certificate address).
describe('bounces and complaints from email providers', () => {
  const sink = new SmtpSink();
  const sendgridKeys = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const sns = selfSignedCertificate('sns.eu-west-1.amazonaws.com');
  const confirmations: string[] = [];
  let amazon: Server;
  let amazonUrl: string;
  let crm: TestCrm;
  let sent: { id: number; customerId: number; address: string; messageId: string }[];

  const sendgrid = (events: unknown, options: { timestamp?: number; signWith?: typeof sendgridKeys.privateKey; tamper?: boolean } = {}) => {
    const body = JSON.stringify(events);
    const timestamp = String(options.timestamp ?? Math.floor(Date.now() / 1000));
    const signature = sign('sha256', Buffer.from(timestamp + body), { key: options.signWith ?? sendgridKeys.privateKey, dsaEncoding: 'der' }).toString('base64');
    return fetch(`${crm.url}/api/webhooks/sendgrid`, {
      method: 'POST', body: options.tamper ? body.replace('bounce', 'delivered') : body,
      headers: { 'content-type': 'application/json', 'x-twilio-email-event-webhook-signature': signature, 'x-twilio-email-event-webhook-timestamp': timestamp },
    });
  };
  const snsPost = (fields: Record<string, string>, options: { key?: typeof sns.privateKey; certUrl?: string } = {}) => {
    const message: Record<string, string> = { SignatureVersion: '2', SigningCertURL: options.certUrl ?? `${amazonUrl}/SimpleNotificationService-test.pem`, TopicArn: TOPIC, Timestamp: new Date().toISOString(), ...fields };
    const order = message.Type === 'Notification' ? ['Message', 'MessageId', 'Subject', 'Timestamp', 'TopicArn', 'Type'] : ['Message', 'MessageId', 'SubscribeURL', 'Timestamp', 'Token', 'TopicArn', 'Type'];
    const text = order.filter((f) => message[f] !== undefined).map((f) => `${f}\n${message[f]}\n`).join('');
    message.Signature = sign('sha256', Buffer.from(text), options.key ?? sns.privateKey).toString('base64');
    return fetch(`${crm.url}/api/webhooks/ses`, { method: 'POST', body: JSON.stringify(message), headers: { 'content-type': 'text/plain; charset=UTF-8', 'x-amz-sns-message-type': message.Type } });
  };
  const sesBounce = (m: typeof sent[number], feedbackId: string, bounceType = 'Permanent') => JSON.stringify({
    notificationType: 'Bounce',
    bounce: { bounceType, bounceSubType: 'General', feedbackId, timestamp: new Date().toISOString(), bouncedRecipients: [{ emailAddress: m.address, action: 'failed', status: '5.1.1', diagnosticCode: 'smtp; 550 5.1.1 user unknown' }] },
    mail: { messageId: `0100018c-ses-${feedbackId}`, source: 'offers@shop.example', destination: [m.address], headers: [{ name: 'X-CRM-Message-ID', value: m.messageId }], commonHeaders: { messageId: `<0100018c-ses-${feedbackId}@email.amazonses.com>` } },
  });
  const state = async (id: number) => (await crm.db.sql.rows(`select status, failure_reason from communication_logs where id = $1`, [id]))[0];
  const suppressed = async (address: string) => (await crm.db.sql.rows(`select reason from suppressions where channel = 'email' and address = $1`, [address]))[0]?.reason ?? null;

  beforeAll(async () => {
    await sink.start();
    amazon = createServer((req, res) => {
      if (req.url?.endsWith('.pem')) return res.end(sns.certificatePem);
      confirmations.push(req.url ?? '');
      res.end('<ConfirmSubscriptionResponse/>');
    });
    await new Promise<void>((r) => amazon.listen(0, '127.0.0.1', r));
    amazonUrl = `http://127.0.0.1:${(amazon.address() as AddressInfo).port}`;
    crm = await startTestCrm({
      SMTP_URL: `smtp://127.0.0.1:${sink.port}`, EMAIL_FROM: 'offers@shop.example', SEED_ON_EMPTY: 'false',
      SENDGRID_WEBHOOK_PUBLIC_KEY: sendgridKeys.publicKey.export({ type: 'spki', format: 'der' }).toString('base64'),
      SES_SNS_TOPIC_ARNS: TOPIC, SNS_CERT_URL_PATTERN: `^${amazonUrl.replace(/\./g, '\\.')}/`,
    });
    const marketer = await crm.person('marketer');
    await addCustomers(crm, ['a', 'b', 'c', 'd', 'e'].map((x) => ({ name: `Person ${x}`, email: `${x}@example.com`, city: 'Bouncepur' })));
    const plan = await call(`${crm.url}/api/campaigns/plan`, { token: marketer.token, body: { name: 'Feedback', rules: { field: 'city', op: 'equals', value: 'Bouncepur' }, channel: 'email', subject: 'Hi', template: 'Hello' } });
    const { campaignId } = (await call(`${crm.url}/api/campaigns/launch`, { token: marketer.token, body: { approvalId: plan.body.approval.id } })).body;
    for (let i = 0; i < 200 && (await crm.db.sql.rows(`select status from campaigns where id = $1`, [campaignId]))[0].status !== 'completed'; i++) await new Promise((r) => setTimeout(r, 50));
    sent = await crm.db.sql.rows(`select id, customer_id as "customerId", address, message_id as "messageId" from communication_logs where campaign_id = $1 order by id`, [campaignId]);
    expect(sent.map((m) => m.address)).toEqual(['a@example.com', 'b@example.com', 'c@example.com', 'd@example.com', 'e@example.com']);
    // The relay (here the sink) saw the CRM's Message-ID in its own header too.
    expect(sink.to('a@example.com')[0].parsed.headers.get('x-crm-message-id')).toBe(sent[0].messageId);
  });
  afterAll(async () => {
    await crm.stop();
    await sink.stop();
    await new Promise((r) => amazon.close(r));
  });

  it('SendGrid: a bounce fails the message and suppresses the address; a spam report withdraws consent; forgeries and replays change nothing', async () => {
    const [a, b] = sent;
    const events = [
      { email: a.address, timestamp: 1700000000, event: 'bounce', type: 'bounce', status: '5.1.1', reason: '550 5.1.1 The email account that you tried to reach does not exist', sg_event_id: 'ev-bounce-a', sg_message_id: 'sg1', 'smtp-id': a.messageId },
      { email: b.address, timestamp: 1700000001, event: 'spamreport', sg_event_id: 'ev-spam-b', sg_message_id: 'sg2', 'smtp-id': b.messageId },
      { email: b.address, timestamp: 1700000002, event: 'open', sg_event_id: 'ev-open-b', 'smtp-id': b.messageId },
    ];
    const before = await crm.db.sql.rows(`select id, status from communication_logs order by id`);
    const { privateKey: stranger } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    expect((await sendgrid(events, { signWith: stranger })).status).toBe(401);
    expect((await sendgrid(events, { tamper: true })).status).toBe(401);
    expect((await sendgrid(events, { timestamp: Math.floor(Date.now() / 1000) - 3600 })).status).toBe(401);
    expect((await fetch(`${crm.url}/api/webhooks/sendgrid`, { method: 'POST', body: JSON.stringify(events), headers: { 'content-type': 'application/json' } })).status).toBe(401);
    expect(await crm.db.sql.rows(`select id, status from communication_logs order by id`)).toEqual(before);
    expect(await suppressed(a.address)).toBeNull();

    const res = await sendgrid(events);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ applied: 2, duplicates: 0, unknown: [] });
    expect(await state(a.id)).toEqual({ status: 'failed', failure_reason: 'bounced: 5.1.1 550 5.1.1 The email account that you tried to reach does not exist' });
    expect(await suppressed(a.address)).toBe('hard_bounce');
    expect(await suppressed(b.address)).toBe('complaint');
    expect((await crm.db.sql.rows(`select status from customer_consents where customer_id = $1 and channel = 'email'`, [b.customerId]))[0].status).toBe('withdrawn');
    expect((await state(b.id)).status).toBe('sent');

    const again = await sendgrid(events);
    expect(await again.json()).toEqual({ applied: 0, duplicates: 2, unknown: [] });
    const unknown = await sendgrid([{ email: 'x@example.com', event: 'bounce', sg_event_id: 'ev-x', 'smtp-id': '<nobody@elsewhere.example>' }]);
    expect(unknown.status).toBe(404);
  });

  it('Amazon SES through SNS: confirms the subscription, applies a permanent bounce once, and refuses forged, foreign, stale or unknown messages', async () => {
    const [, , c, d] = sent;
    const subscribe = await snsPost({ Type: 'SubscriptionConfirmation', MessageId: 'sub-1', Token: 'tok', Message: 'You have chosen to subscribe…', SubscribeURL: `${amazonUrl}/?Action=ConfirmSubscription&Token=tok` });
    expect(subscribe.status).toBe(200);
    expect(confirmations).toEqual(['/?Action=ConfirmSubscription&Token=tok']);
    // A confirmation address that is not Amazon's is never visited.
    expect((await snsPost({ Type: 'SubscriptionConfirmation', MessageId: 'sub-2', Token: 'tok', Message: 'x', SubscribeURL: 'http://evil.example/confirm' })).status).toBe(401);

    const notification = { Type: 'Notification', MessageId: 'sns-1', Message: sesBounce(c, 'fb-c') };
    const other = selfSignedCertificate('sns.eu-west-1.amazonaws.com');
    expect((await snsPost(notification, { key: other.privateKey })).status).toBe(401);
    expect((await snsPost(notification, { certUrl: 'http://127.0.0.2:1/cert.pem' })).status).toBe(401);
    expect((await snsPost({ ...notification, TopicArn: 'arn:aws:sns:eu-west-1:999999999999:other' })).status).toBe(401);
    expect((await snsPost({ ...notification, Timestamp: new Date(Date.now() - 2 * 3600_000).toISOString() })).status).toBe(401);
    expect((await state(c.id)).status).toBe('sent');

    const res = await snsPost(notification);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ applied: 1, duplicates: 0, unknown: [] });
    expect(await state(c.id)).toEqual({ status: 'failed', failure_reason: 'bounced: smtp; 550 5.1.1 user unknown' });
    expect(await suppressed(c.address)).toBe('hard_bounce');
    expect(await (await snsPost(notification)).json()).toEqual({ applied: 0, duplicates: 1, unknown: [] });

    const transient = await snsPost({ Type: 'Notification', MessageId: 'sns-2', Message: sesBounce(d, 'fb-d', 'Transient') });
    expect(await transient.json()).toEqual({ applied: 1, duplicates: 0, unknown: [] });
    expect((await state(d.id)).failure_reason).toMatch(/^bounced \(temporary\)/);
    expect(await suppressed(d.address)).toBeNull();

    const stranger = await snsPost({ Type: 'Notification', MessageId: 'sns-3', Message: sesBounce({ ...d, messageId: '<nobody@elsewhere.example>' }, 'fb-x') });
    expect(stranger.status).toBe(404);
    expect((await snsPost({ Type: 'Notification', MessageId: 'sns-4', Message: 'not json' })).status).toBe(400);
  });
});
