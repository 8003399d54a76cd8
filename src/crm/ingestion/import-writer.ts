import type { Queryable } from '../../db/sql.js';
import { refreshCustomerAggregates } from '../customers/customer-aggregates.js';
import { previousOwners, upsertOrders } from '../orders/order-writer.js';
import { ProductIds } from '../orders/product-ids.js';
import { supersededCopies } from './batch-repeats.js';
import { KnownCustomers } from './known-customers.js';
import type { CustomerRecord, OrderLineRecord, OrderRecord } from './records.js';

export interface BatchCounts { inserted: number; updated: number; unchanged: number }
export type PositionedLine = OrderLineRecord & { position: number };
type Profile = Partial<Omit<CustomerRecord, 'externalId'>>;

const col = <T, V>(rows: T[], pick: (r: T) => V) => rows.map(pick);

/**
 * Upserts customers by external id. A field the record leaves out keeps what the CRM knew; a record identical to
 * the stored customer is not written at all, so a repeated import reports it unchanged.
 */
export async function upsertCustomers(db: Queryable, records: (Profile & { externalId: string })[]): Promise<BatchCounts & { ids: Map<string, number> }> {
  const merged = new Map<string, Profile & { externalId: string }>();
  for (const r of records) {
    const before = merged.get(r.externalId);
    merged.set(r.externalId, before ? { ...before, ...Object.fromEntries(Object.entries(r).filter(([, v]) => v !== null && v !== undefined)) } : r);
  }
  const rows = [...merged.values()];
  const keys = col(rows, (r) => r.externalId);
  const columns = [
    keys, col(rows, (r) => r.name ?? null), col(rows, (r) => r.email ?? null), col(rows, (r) => r.phone ?? null),
    col(rows, (r) => r.city ?? null), col(rows, (r) => r.country ?? null), col(rows, (r) => (r.tags ? JSON.stringify(r.tags) : null)),
    col(rows, (r) => r.unsubscribed ?? null),
  ];
  // A new customer is written once, whole: written bare and then updated, each of the customers' indexes would take
  // every new customer twice. (An opt-out is left to the update below, which journeys waiting for one hear.)
  const created = new Set((await db.query<{ external_id: string }>(
    `insert into customers (external_id, name, email, phone, city, country, tags)
     select x.e, x.n, x.m, x.p, x.ci, x.co, array(select jsonb_array_elements_text(x.t))
     from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::jsonb[]) as x(e, n, m, p, ci, co, t)
     on conflict (external_id) do nothing returning external_id`, columns.slice(0, 7),
  )).rows.map((r) => r.external_id));
  // One UPDATE … FROM unnest sees every column of the batch, including "tags given" and "unsubscribed given"; the
  // customers just created compare equal and are left alone, but for an opt-out.
  const changed = (await db.query<{ external_id: string }>(
    `update customers c set
       name = coalesce(x.n, c.name), email = coalesce(x.m, c.email), phone = coalesce(x.p, c.phone),
       city = coalesce(x.ci, c.city), country = coalesce(x.co, c.country),
       tags = case when x.t is null then c.tags else array(select jsonb_array_elements_text(x.t)) end,
       -- An import may record that a customer opted out, never that they opted back in: "no" keeps what the CRM knows.
       unsubscribed_at = case x.u when true then coalesce(c.unsubscribed_at, now()) else c.unsubscribed_at end,
       updated_at = now()
     from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::jsonb[], $8::boolean[]) as x(e, n, m, p, ci, co, t, u)
     where c.external_id = x.e
       and ((c.name, c.email, c.phone, c.city, c.country) is distinct from
            (coalesce(x.n, c.name), coalesce(x.m, c.email), coalesce(x.p, c.phone), coalesce(x.ci, c.city), coalesce(x.co, c.country))
         or (x.t is not null and c.tags is distinct from array(select jsonb_array_elements_text(x.t)))
         or (x.u and c.unsubscribed_at is null))
     returning c.external_id`, columns,
  )).rows.map((r) => r.external_id);
  const ids = new Map((await db.query<{ id: number; external_id: string }>(
    `select id, external_id from customers where external_id = any($1)`, [keys],
  )).rows.map((r) => [r.external_id, r.id]));
  const consented = await recordImportedConsent(db, rows, ids);
  const updated = new Set([...changed, ...consented].filter((k) => !created.has(k))).size;
  return { ids, inserted: created.size, updated, unchanged: rows.length - created.size - updated + supersededCopies(records, (r) => r.externalId) };
}

/**
 * The consent a file or batch carries, per channel: an opt-in is recorded for a customer the CRM has no answer
 * from yet, an opt-out always; an import never turns an opt-out back into an opt-in (only the customer can, through
 * the unsubscribe page or START). Returns the external ids whose consent changed.
 */
async function recordImportedConsent(db: Queryable, rows: (Profile & { externalId: string })[], ids: Map<string, number>): Promise<string[]> {
  const given = rows.flatMap((r) => ([['email', r.emailConsent], ['sms', r.smsConsent]] as const)
    .filter(([, v]) => v !== null && v !== undefined).map(([channel, v]) => ({ id: ids.get(r.externalId)!, key: r.externalId, channel, status: v ? 'granted' : 'withdrawn' })));
  if (!given.length) return [];
  const { rows: written } = await db.query<{ customer_id: number }>(
    `insert into customer_consents (customer_id, channel, status, source)
     select id, ch, st, 'import' from unnest($1::bigint[], $2::text[], $3::text[]) as x(id, ch, st)
     on conflict (customer_id, channel) do update set status = excluded.status, source = excluded.source, changed_at = now()
       where excluded.status = 'withdrawn' and customer_consents.status <> 'withdrawn'
     returning customer_id`,
    [given.map((g) => g.id), given.map((g) => g.channel), given.map((g) => g.status)],
  );
  if (written.length) {
    await db.query(
      `insert into audit_events (user_id, actor, surface, action, target, details) values (null, 'import', 'system', 'consent.import', null, $1)`,
      [JSON.stringify({ changed: written.length })],
    );
  }
  const changedIds = new Set(written.map((w) => w.customer_id));
  return given.filter((g) => changedIds.has(g.id)).map((g) => g.key);
}

/** Writes orders from an "orders" file or API batch (one record per order, with its amount). Runs inside a transaction. */
export async function writeOrderBatch(db: Queryable, records: OrderRecord[]): Promise<BatchCounts> {
  const unique = [...new Map(records.map((r) => [r.orderId, r])).values()];
  const customers = await upsertCustomers(db, unique.map((r) => ({ externalId: r.customerId, ...r.customer })));
  const before = await previousOwners(db, col(unique, (r) => r.orderId));
  const { written } = await upsertOrders(db, unique.map((r) => ({
    orderId: r.orderId, customerId: customers.ids.get(r.customerId)!, placedAt: r.placedAt,
    status: r.status ?? (r.amount.startsWith('-') ? 'refunded' : 'completed'), total: r.amount,
  })));
  await refreshCustomerAggregates(db, [...new Set([...before, ...customers.ids.values()])]);
  const inserted = written.filter((r) => r.inserted).length;
  return { inserted, updated: written.length - inserted, unchanged: unique.length - written.length + supersededCopies(records, (r) => r.orderId) };
}

/** What one import remembers from batch to batch: the catalogue's ids and the customers it wrote. */
export interface ImportMemory { products: ProductIds; customers: KnownCustomers }

export const importMemory = (): ImportMemory => ({ products: new ProductIds(), customers: new KnownCustomers() });
