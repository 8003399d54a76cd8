import { call, type TestCrm } from './test-crm.js';

/** Customers with exactly the fields a campaign test needs, written straight into the database. */
export async function addCustomers(crm: TestCrm, customers: { name: string | null; email?: string | null; phone?: string | null; spend?: number; unsubscribed?: boolean; city?: string }[]) {
  const rows = await crm.db.sql.rows<{ id: number }>(
    `insert into customers (external_id, name, email, phone, city, total_spend, order_count, unsubscribed_at)
     select 'T' || nextval('customers_id_seq') || '-' || x.i, x.name, x.email, x.phone, x.city, x.spend, 1, case when x.unsub then now() end
     from jsonb_to_recordset($1::jsonb) as x(i int, name text, email text, phone text, city text, spend numeric, unsub boolean) order by x.i returning id`,
    [JSON.stringify(customers.map((c, i) => ({ i, name: c.name, email: c.email ?? null, phone: c.phone ?? null, city: c.city ?? 'Testpur', spend: c.spend ?? 100, unsub: c.unsubscribed ?? false })))],
  );
  return rows.map((r) => r.id);
}

/** Waits until the campaign has no message left waiting for the vendor or a receipt. */
export async function waitForCampaign(crm: TestCrm, token: string, campaignId: number, timeoutMs = 30_000) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const stats = await call(`${crm.url}/api/campaigns/${campaignId}`, { token });
    if (stats.body.status === 'completed') return stats.body;
    if (Date.now() > until) throw new Error(`campaign ${campaignId} did not complete: ${JSON.stringify({ ...stats.body, plan: undefined, vendor: crm.vendor?.stats() })}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
