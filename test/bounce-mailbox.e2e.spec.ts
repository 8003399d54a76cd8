import { addCustomers } from './support/campaign-helpers.js';
import { startFakeImap } from './support/fake-imap.js';
import { SmtpSink } from './support/smtp-sink.js';
import { call, startTestCrm, type TestCrm } from './support/test-crm.js';

/** A delivery status notification (RFC 3464) as a receiving mail server sends it back to the return path. */
const report = (to: string, recipient: string, status: string, diagnostic: string, originalMessageId: string, id: string) => [
  'From: Mail Delivery System <MAILER-DAEMON@mx.example.net>', `To: ${to}`, 'Subject: Undelivered Mail Returned to Sender',
  `Message-ID: <${id}@mx.example.net>`, 'MIME-Version: 1.0', 'Content-Type: multipart/report; report-type=delivery-status; boundary="B0UND"', '',
  '--B0UND', 'Content-Type: text/plain', '', 'This is the mail system at host mx.example.net. Your message could not be delivered.', '',
  '--B0UND', 'Content-Type: message/delivery-status', '',
  'Reporting-MTA: dns; mx.example.net', 'Arrival-Date: Thu, 3 Dec 2026 10:00:00 +0000', '',
  `Final-Recipient: rfc822; ${recipient}`, `Original-Recipient: rfc822;${recipient}`, 'Action: failed', `Status: ${status}`,
  `Diagnostic-Code: smtp; ${diagnostic.slice(0, 30)}`, `    ${diagnostic.slice(30)}`, '',
  '--B0UND', 'Content-Type: text/rfc822-headers', '', `Message-ID: ${originalMessageId}`, 'Subject: Hi', '', '--B0UND--', '',
].join('\r\n');

// Bounce reports that arrive later in the operator's mailbox, read over IMAP with imapflow from a loopback IMAP
// server; each email's return path names its message (VERP).
describe('bounce reports from the bounce mailbox', () => {
  const sink = new SmtpSink();
  let imap: Awaited<ReturnType<typeof startFakeImap>>;
  let crm: TestCrm;

  beforeAll(async () => {
    await sink.start();
    imap = await startFakeImap('bounces@shop.example', 'mailbox-password');
    crm = await startTestCrm({
      SMTP_URL: `smtp://127.0.0.1:${sink.port}`, EMAIL_FROM: 'offers@shop.example', BOUNCE_ADDRESS: 'bounces@shop.example',
      BOUNCE_IMAP_URL: `imap://bounces%40shop.example:mailbox-password@127.0.0.1:${imap.port}/INBOX`, BOUNCE_POLL_SECONDS: '1', SEED_ON_EMPTY: 'false',
    });
  });
  afterAll(async () => {
    await crm.stop();
    await imap.stop();
    await sink.stop();
  });

  it('sends each email with its own return path, then applies the reports that come back and marks them read', async () => {
    const marketer = await crm.person('marketer');
    await addCustomers(crm, ['gone', 'full', 'fine'].map((x) => ({ name: `Person ${x}`, email: `${x}@example.org`, city: 'Verpur' })));
    const plan = await call(`${crm.url}/api/campaigns/plan`, { token: marketer.token, body: { name: 'VERP', rules: { field: 'city', op: 'equals', value: 'Verpur' }, channel: 'email', subject: 'Hi', template: 'Hello' } });
    await call(`${crm.url}/api/campaigns/launch`, { token: marketer.token, body: { approvalId: plan.body.approval.id } });
    for (let i = 0; i < 100 && sink.received.length < 3; i++) await new Promise((r) => setTimeout(r, 100));
    const logs = await crm.db.sql.rows<{ id: number; address: string; message_id: string }>(`select id, address, message_id from communication_logs order by id`);
    for (const log of logs) expect(sink.to(log.address)[0].from).toBe(`bounces+${log.id}@shop.example`);
    const [gone, full, fine] = logs;

    imap.deliver(report(`bounces+${gone.id}@shop.example`, gone.address, '5.1.1', '550 5.1.1 <gone@example.org>: Recipient address rejected: User unknown', gone.message_id, 'r1'));
    // A report that reaches the plain bounce address is matched by the Message-ID in the returned headers.
    imap.deliver(report('bounces@shop.example', full.address, '4.2.2', '452 4.2.2 Mailbox full, try again much later', full.message_id, 'r2'));
    imap.deliver('From: someone@example.org\r\nTo: bounces@shop.example\r\nSubject: Out of office\r\nMessage-ID: <ooo@example.org>\r\n\r\nI am away until Monday.\r\n');
    imap.deliver(report('bounces+999999@shop.example', 'stranger@example.org', '5.1.1', '550 5.1.1 no such user here at all, sorry', '<nobody@elsewhere.example>', 'r3'));

    for (let i = 0; i < 100 && imap.unseen() > 0; i++) await new Promise((r) => setTimeout(r, 100));
    expect(imap.unseen()).toBe(0);
    const state = async (id: number) => (await crm.db.sql.rows(`select status, failure_reason from communication_logs where id = $1`, [id]))[0];
    expect(await state(gone.id)).toEqual({ status: 'failed', failure_reason: 'bounced: 5.1.1 550 5.1.1 <gone@example.org>: Recipient address rejected: User unknown' });
    expect((await state(full.id)).failure_reason).toMatch(/^bounced \(temporary\): 4\.2\.2 452 4\.2\.2 Mailbox full/);
    expect((await state(fine.id)).status).toBe('sent');
    expect(await crm.db.sql.rows(`select address, reason from suppressions order by address`)).toEqual([{ address: 'gone@example.org', reason: 'hard_bounce' }]);
    // The client logged in and never wrote the password where it could be read back.
    expect(imap.commands.some((c) => /LOGIN/i.test(c))).toBe(true);
  });
});
