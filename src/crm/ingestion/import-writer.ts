import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { Queryable } from '../../db/sql.js';
import { refreshCustomerAggregates } from '../customers/customer-aggregates.js';
import { markStaleCustomers } from '../customers/stale-customers.js';
import { fromThousandths, toThousandths } from '../orders/money.js';
import { previousOwners, upsertOrders } from '../orders/order-writer.js';
import { ProductIds } from '../orders/product-ids.js';
import { supersededCopies } from './batch-repeats.js';
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
  const created = new Set((await db.query<{ external_id: string }>(
    `insert into customers (external_id) select unnest($1::text[]) on conflict (external_id) do nothing returning external_id`, [keys],
  )).rows.map((r) => r.external_id));
  // One UPDATE … FROM unnest sees every column of the batch, including "tags given" and "unsubscribed given".
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
     returning c.external_id`,
    [
      keys, col(rows, (r) => r.name ?? null), col(rows, (r) => r.email ?? null), col(rows, (r) => r.phone ?? null),
      col(rows, (r) => r.city ?? null), col(rows, (r) => r.country ?? null), col(rows, (r) => (r.tags ? JSON.stringify(r.tags) : null)),
      col(rows, (r) => r.unsubscribed ?? null),
    ],
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

/**
 * Writes invoice lines from an "order lines" file: each invoice becomes an order whose total is the exact sum of
 * its lines, and each line is identified by its invoice and its position in it, so the same file twice changes
 * nothing. `continued` names invoices whose earlier lines came in an earlier batch: their totals are summed in SQL.
 * The figures and products bought of the customers touched are read again once, when the import ends.
 */
export async function writeOrderLineBatch(db: pg.PoolClient, lines: PositionedLine[], continued: ReadonlySet<string> = new Set(), products = new ProductIds()): Promise<BatchCounts> {
  await db.query(`set local crm.deferred_products = 'on'`);
  const profiles = new Map<string, Profile & { externalId: string }>();
  for (const l of lines) profiles.set(l.customerId, { ...profiles.get(l.customerId), externalId: l.customerId, ...l.customer });
  const customers = await upsertCustomers(db, [...profiles.values()]);

  const invoices = new Map<string, { customerId: string; placedAt: Date; status: string | null; total: bigint }>();
  for (const l of lines) {
    const inv = invoices.get(l.orderId);
    const amount = BigInt(l.quantity) * toThousandths(l.unitPrice);
    if (!inv) invoices.set(l.orderId, { customerId: l.customerId, placedAt: l.placedAt, status: l.status, total: amount });
    else {
      inv.total += amount;
      // An invoice whose lines carry different minutes is dated by its last line: when the order was completed.
      if (l.placedAt > inv.placedAt) inv.placedAt = l.placedAt;
    }
  }
  const orderIds = [...invoices.keys()];
  const productIds = await products.of(db, lines.map((l) => l.description));
  const productOf = (l: PositionedLine) => (l.description === null ? null : productIds.get(l.description)!);
  const before = await previousOwners(db, orderIds);
  const { ids, written: ordersWritten } = await upsertOrders(db, orderIds.map((id) => {
    const inv = invoices.get(id)!;
    return { orderId: id, customerId: customers.ids.get(inv.customerId)!, placedAt: inv.placedAt, status: inv.status ?? 'completed', total: fromThousandths(inv.total) };
  }));

  // Lines of an order created in this very batch cannot exist yet: a plain insert, with no conflict to look for.
  const created = new Set(ordersWritten.filter((o) => o.inserted && !continued.has(o.external_id)).map((o) => o.external_id));
  const fresh = lines.filter((l) => created.has(l.orderId));
  const known = fresh.length === lines.length ? [] : lines.filter((l) => !created.has(l.orderId));
  const lineColumns = (rows: PositionedLine[]) => [col(rows, (l) => ids.get(l.orderId)), col(rows, (l) => l.position), col(rows, (l) => l.sku),
    col(rows, (l) => l.description), col(rows, productOf), col(rows, (l) => l.quantity), col(rows, (l) => l.unitPrice)];
  if (fresh.length) await copyLines(db, fresh, ids, productOf);
  const written = known.length ? (await db.query<{ inserted: boolean }>(
    `insert into order_lines as l (order_id, position, sku, description, product_id, quantity, unit_price)
     select * from unnest($1::bigint[], $2::int[], $3::text[], $4::text[], $5::int[], $6::int[], $7::numeric[])
     on conflict (order_id, position) do update set sku = excluded.sku, description = excluded.description,
       product_id = excluded.product_id, quantity = excluded.quantity, unit_price = excluded.unit_price
     where (l.sku, l.description, l.quantity, l.unit_price) is distinct from (excluded.sku, excluded.description, excluded.quantity, excluded.unit_price)
     returning (xmax = 0) as inserted`, lineColumns(known),
  )).rows : [];

  const split = orderIds.filter((id) => continued.has(id)).map((id) => ids.get(id)!);
  if (split.length) {
    await db.query(
      `update orders o set total = s.total, updated_at = now()
       from (select order_id, sum(quantity * unit_price) as total from order_lines where order_id = any($1) group by order_id) s
       where o.id = s.order_id and o.total is distinct from s.total`, [split],
    );
  }
  await markStaleCustomers(db, [...new Set([...before, ...customers.ids.values()])]);
  const inserted = fresh.length + written.filter((r) => r.inserted).length;
  const updated = written.length - (inserted - fresh.length);
  return { inserted, updated, unchanged: lines.length - inserted - updated };
}

// COPY's text format: tab-separated, \N for null, with backslash, tab and line breaks escaped. Most cells have none
// of those, and are written as they are.
const NEEDS_ESCAPE = /[\\\t\n\r]/;
const copyText = (v: string | null) => (v === null ? '\\N' : NEEDS_ESCAPE.test(v)
  ? v.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r')) : v);

/**
 * Lines of orders created in this batch go in by COPY, PostgreSQL's fastest way in; there is nothing to conflict
 * with. The text is built in one pass (numbers and checked amounts need no escaping), as it runs for every line.
 */
async function copyLines(client: pg.PoolClient, lines: PositionedLine[], orderIds: ReadonlyMap<string, number>, productOf: (l: PositionedLine) => number | null) {
  let text = '';
  for (const l of lines) {
    const product = productOf(l);
    text += `${orderIds.get(l.orderId)}\t${l.position}\t${copyText(l.sku)}\t${copyText(l.description)}\t${product ?? '\\N'}\t${l.quantity}\t${l.unitPrice}\n`;
  }
  await pipeline(Readable.from([text]), client.query(copyFrom('copy order_lines (order_id, position, sku, description, product_id, quantity, unit_price) from stdin')));
}
