import { reconcile } from '../src/crm/delivery/reconciler.js';
import { CampaignProgress } from '../src/crm/delivery/campaign-progress.js';
import { canMove } from '../src/crm/delivery/delivery-state.js';
import { sign } from '../src/crm/delivery/signature.js';
import { JobQueue } from '../src/jobs/job-queue.js';
import { addCustomers } from './support/campaign-helpers.js';
import { startTestCrm, type TestCrm } from './support/test-crm.js';

const SECRET = 'receipt-test-secret-0123456789';

describe('delivery receipts', () => {
  let crm: TestCrm;
  let logs: number[];

  beforeAll(async () => {
    crm = await startTestCrm({ VENDOR_SECRET: SECRET });
    const customers = await addCustomers(crm, Array.from({ length: 4 }, (_, i) => ({ name: `R ${i}`, email: `r${i}@example.com` })));
    const [campaign] = await crm.db.sql.rows(`insert into campaigns (name, rules, channel, template, status, audience_size) values ('Receipts', '{}', 'email', 'Hi', 'sending', 4) returning id`);
    logs = (await crm.db.sql.rows(
      `insert into communication_logs (campaign_id, customer_id, channel, address, message, status, vendor_message_id, sent_at)
       select $1, c, 'email', 'a@b.c', 'Hi', 'submitted', 'vm_' || c, now() from unnest($2::bigint[]) c order by c returning id`,
      [campaign.id, customers],
    )).map((r) => r.id);
    await crm.db.sql.query(`update communication_logs set vendor_message_id = 'vm_' || id`);
  });
  afterAll(() => crm.stop());

  const post = (body: object, options: { secret?: string; at?: number; signature?: string | null } = {}) => {
    const text = JSON.stringify(body);
    const signature = options.signature === undefined ? sign(options.secret ?? SECRET, text, options.at) : options.signature;
    return fetch(`${crm.url}/api/delivery-receipts`, { method: 'POST', body: text, headers: { 'content-type': 'application/json', ...(signature ? { 'x-signature': signature } : {}) } });
  };
  const receipt = (logId: number, status: 'SENT' | 'FAILED', occurredAt: string) => ({
    idempotencyKey: `msg-${logId}`, vendorMessageId: `vm_${logId}`, status, reason: status === 'FAILED' ? 'mailbox unavailable' : null, occurredAt,
  });
  const state = async (id: number) => (await crm.db.sql.rows(`select status, failure_reason as reason from communication_logs where id = $1`, [id]))[0];
  const settle = async (id: number, wanted: string) => {
    for (let i = 0; i < 100 && (await state(id)).status !== wanted; i++) await new Promise((r) => setTimeout(r, 100));
    return state(id);
  };

  it('moves messages only forward', () => {
    expect(canMove('queued', 'sent')).toBe(true);
    expect(canMove('submitted', 'unconfirmed')).toBe(true);
    expect(canMove('unconfirmed', 'failed')).toBe(true);
    expect(canMove('sent', 'failed')).toBe(false);
    expect(canMove('failed', 'sent')).toBe(false);
    expect(canMove('sent', 'submitted')).toBe(false);
  });

  it('refuses unsigned, wrongly signed and stale receipts, changing nothing', async () => {
    const body = { receipts: [receipt(logs[0], 'SENT', new Date().toISOString())] };
    const unsigned = await post(body, { signature: null });
    expect(unsigned.status).toBe(401);
    const forged = await post(body, { secret: 'some-other-secret-0000000000' });
    expect(forged.status).toBe(401);
    expect((await forged.json()).message).toContain('does not match');
    const stale = await post(body, { at: Math.floor(Date.now() / 1000) - 3600 });
    expect(stale.status).toBe(401);
    expect((await stale.json()).message).toContain('older than 300 seconds');
    await new Promise((r) => setTimeout(r, 700));
    expect((await state(logs[0])).status).toBe('submitted');
  });

  it('refuses receipts for messages it never sent, by key', async () => {
    const res = await post({ receipts: [{ ...receipt(999_999, 'SENT', new Date().toISOString()) }, { ...receipt(logs[0], 'SENT', new Date().toISOString()), idempotencyKey: 'someone-else' }] });
    expect(res.status).toBe(404);
    expect((await res.json()).unknown).toEqual(['msg-999999', 'someone-else']);
  });

  it('keeps the first outcome: a duplicate or a later contradicting receipt does not move a message back', async () => {
    const t = Date.now();
    const first = await post({ receipts: [receipt(logs[0], 'SENT', new Date(t).toISOString()), receipt(logs[0], 'SENT', new Date(t).toISOString())] });
    expect(first.status).toBe(202);
    expect(await settle(logs[0], 'sent')).toEqual({ status: 'sent', reason: null });
    const late = await post({ receipts: [receipt(logs[0], 'FAILED', new Date(t + 5000).toISOString())] });
    expect(late.status).toBe(202);
    // Out of order in one batch: the earlier FAILED wins over the later SENT.
    await post({ receipts: [receipt(logs[1], 'SENT', new Date(t + 2000).toISOString()), receipt(logs[1], 'FAILED', new Date(t + 1000).toISOString())] });
    expect(await settle(logs[1], 'failed')).toEqual({ status: 'failed', reason: 'mailbox unavailable' });
    await new Promise((r) => setTimeout(r, 1000));
    expect((await state(logs[0])).status).toBe('sent');
  });

  it('flags overdue messages unconfirmed, and a late receipt still settles them', async () => {
    const queue = await JobQueue.start(crm.db.url, { superviseSeconds: 2 });
    try {
      await crm.db.sql.query(`update communication_logs set sent_at = now() - interval '2 hours' where id = any($1)`, [[logs[2], logs[3]]]);
      await reconcile(crm.db.sql, queue, new CampaignProgress(crm.db.sql), { receiptTimeoutSeconds: 3600, sendingTimeoutSeconds: 3600, receiptsUrl: `${crm.url}/api/delivery-receipts` });
      expect((await state(logs[2])).status).toBe('unconfirmed');
      await post({ receipts: [receipt(logs[2], 'SENT', new Date().toISOString())] });
      expect((await settle(logs[2], 'sent')).status).toBe('sent');
      // Nothing is left submitted, so the reconciler completes the campaign.
      await reconcile(crm.db.sql, queue, new CampaignProgress(crm.db.sql), { receiptTimeoutSeconds: 3600, sendingTimeoutSeconds: 3600, receiptsUrl: `${crm.url}/api/delivery-receipts` });
      const [campaign] = await crm.db.sql.rows(`select status from campaigns`);
      expect(campaign.status).toBe('completed');
    } finally {
      await queue.stop();
    }
  });
});
