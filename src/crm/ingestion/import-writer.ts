import type pg from 'pg';
import { copyRows, copyText } from '../../db/copy-text.js';
import type { Queryable } from '../../db/sql.js';
import { refreshCustomerAggregates } from '../customers/customer-aggregates.js';
import { markStaleCustomers } from '../customers/stale-customers.js';
import { fromThousandths, toThousandths } from '../orders/money.js';
import { copyNewOrders, existingOrders, previousOwners, upsertOrders } from '../orders/order-writer.js';
import { keepProductsOurselves, refreshOrderProducts } from '../orders/order-products.js';
import { ProductIds } from '../orders/product-ids.js';
import { supersededCopies } from './batch-repeats.js';
import { KnownCustomers, type CustomerDetails } from './known-customers.js';
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
  // every new customer twice.
  const created = new Set((await db.query<{ external_id: string }>(
    `insert into customers (external_id, name, email, phone, city, country, tags, unsubscribed_at)
     select x.e, x.n, x.m, x.p, x.ci, x.co, array(select jsonb_array_elements_text(x.t)), case when x.u then now() end
     from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::jsonb[], $8::boolean[]) as x(e, n, m, p, ci, co, t, u)
     on conflict (external_id) do nothing returning external_id`, columns,
  )).rows.map((r) => r.external_id));
  // One UPDATE … FROM unnest sees every column of the batch, including "tags given" and "unsubscribed given"; the
  // customers just created compare equal and are left alone.
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

interface Invoice {
  orderId: string; customerId: string; placedAt: Date; status: string | null; productIds: Set<number>; skus: Set<string>;
  /** The sum in thousandths, as a plain number while it is exact, as a BigInt once it could not be. */
  total: number; exactTotal: bigint | null;
  id: number; created: boolean;
}

// A price up to 2^31 thousandths times a quantity up to a million stays an exact number (under 2^53).
const SMALL_PRICE = 2 ** 31;

function addLine(invoice: Invoice, quantity: number, price: number | null, unitPrice: string) {
  if (invoice.exactTotal === null && price !== null) {
    const total = invoice.total + quantity * price;
    if (Number.isSafeInteger(total)) return void (invoice.total = total);
  }
  invoice.exactTotal = (invoice.exactTotal ?? BigInt(invoice.total)) + BigInt(quantity) * toThousandths(unitPrice);
}

/**
 * Writes invoice lines from an "order lines" file: each invoice becomes an order whose total is the exact sum of
 * its lines, and each line is identified by its invoice and its position in it, so the same file twice changes
 * nothing. `continued` names invoices whose earlier lines came in an earlier batch: their totals are summed in SQL.
 * The figures and products bought of the customers touched are read again once, when the import ends.
 * This runs for every line of a large file: each line is visited once to build everything the batch writes.
 */
export async function writeOrderLineBatch(db: pg.PoolClient, lines: PositionedLine[], continued: ReadonlySet<string> = new Set(), memory = importMemory()): Promise<BatchCounts> {
  await keepProductsOurselves(db);
  // A customer's details are merged over the batch's lines, the later line's winning, as separate records would.
  const details = new Map<string, CustomerDetails>();
  let d: CustomerDetails | undefined;
  for (const l of lines) {
    // The lines of one invoice name one customer: looked up where they change.
    if (!d || d.externalId !== l.customerId) {
      d = details.get(l.customerId);
      if (!d) details.set(l.customerId, d = { externalId: l.customerId });
    }
    const c = l.customer;
    if (c.name !== undefined) d.name = c.name;
    if (c.email !== undefined) d.email = c.email;
    if (c.phone !== undefined) d.phone = c.phone;
    if (c.city !== undefined) d.city = c.city;
    if (c.country !== undefined) d.country = c.country;
  }
  const { toWrite, ids: customerIds } = memory.customers.sort(details.values());
  if (toWrite.length) {
    const written = await upsertCustomers(db, toWrite);
    for (const [key, id] of written.ids) customerIds.set(key, id);
    memory.customers.remember(toWrite, written.ids);
  }

  const productIds = await memory.products.idsOf(db, lines.map((l) => l.description)); // 0: no description, no product
  const invoices = new Map<string, Invoice>();
  const invoiceOf: Invoice[] = new Array(lines.length);
  const prices = new Map<string, number | null>();
  let invoice: Invoice | undefined;
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i];
    // The lines of one invoice come together: it is looked up where they change.
    if (!invoice || l.orderId !== invoice.orderId) {
      invoice = invoices.get(l.orderId);
      if (!invoice) {
        invoices.set(l.orderId, invoice = { orderId: l.orderId, customerId: l.customerId, placedAt: l.placedAt, status: l.status, productIds: new Set(), skus: new Set(), total: 0, exactTotal: null, id: 0, created: false });
      }
    }
    invoiceOf[i] = invoice;
    // An invoice whose lines carry different minutes is dated by its last line: when the order was completed.
    if (l.placedAt > invoice.placedAt) invoice.placedAt = l.placedAt;
    let price = prices.get(l.unitPrice);
    if (price === undefined) {
      const exact = toThousandths(l.unitPrice);
      prices.set(l.unitPrice, price = exact < SMALL_PRICE && exact > -SMALL_PRICE ? Number(exact) : null);
    }
    addLine(invoice, l.quantity, price, l.unitPrice);
    if (productIds[i]) invoice.productIds.add(productIds[i]);
    if (l.sku !== null) invoice.skus.add(l.sku);
  }

  const orderIds = [...invoices.keys()];
  const { existing, newIds } = await existingOrders(db, orderIds);
  const header = (inv: Invoice) => ({
    orderId: inv.orderId, customerId: customerIds.get(inv.customerId)!, placedAt: inv.placedAt, status: inv.status ?? 'completed',
    total: fromThousandths(inv.exactTotal ?? BigInt(inv.total)),
  });
  // New orders go in by COPY with their products; the lines of an order created in this very batch cannot exist
  // yet, so they go in by COPY too. An order the CRM had, or one begun in an earlier batch, is upserted.
  const fresh = [...invoices.values()].filter((inv) => !existing.has(inv.orderId));
  fresh.forEach((inv, i) => { inv.id = newIds[i]; inv.created = true; });
  await copyNewOrders(db, fresh.map((inv) => ({ ...header(inv), id: inv.id, productIds: inv.productIds, skus: inv.skus })));
  if (existing.size) {
    const { ids } = await upsertOrders(db, [...existing.keys()].map((id) => header(invoices.get(id)!)));
    for (const [key, id] of ids) invoices.get(key)!.id = id;
  }

  let copy = '';
  const known: number[] = [];
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i];
    const inv = invoiceOf[i];
    if (!inv.created) { known.push(i); continue; }
    copy += `${inv.id}\t${l.position}\t${copyText(l.sku)}\t${copyText(l.description)}\t${productIds[i] || '\\N'}\t${l.quantity}\t${l.unitPrice}\n`;
  }
  if (copy) await copyRows(db, 'order_lines (order_id, position, sku, description, product_id, quantity, unit_price)', copy);
  const written = known.length ? (await db.query<{ inserted: boolean }>(
    `insert into order_lines as l (order_id, position, sku, description, product_id, quantity, unit_price)
     select * from unnest($1::bigint[], $2::int[], $3::text[], $4::text[], $5::int[], $6::int[], $7::numeric[])
     on conflict (order_id, position) do update set sku = excluded.sku, description = excluded.description,
       product_id = excluded.product_id, quantity = excluded.quantity, unit_price = excluded.unit_price
     where (l.sku, l.description, l.quantity, l.unit_price) is distinct from (excluded.sku, excluded.description, excluded.quantity, excluded.unit_price)
     returning (xmax = 0) as inserted`,
    [known.map((i) => invoiceOf[i].id), known.map((i) => lines[i].position), known.map((i) => lines[i].sku), known.map((i) => lines[i].description),
      known.map((i) => productIds[i] || null), known.map((i) => lines[i].quantity), known.map((i) => lines[i].unitPrice)],
  )).rows : [];

  // An invoice begun in an earlier batch sums its total from all its lines; it and an order the CRM already had take
  // their products from all their lines, through the same function the line triggers use.
  const split = [...continued].filter((id) => existing.has(id)).map((id) => existing.get(id)!.id);
  if (split.length) {
    await db.query(
      `update orders o set total = s.total, updated_at = now()
       from (select order_id, sum(quantity * unit_price) as total from order_lines where order_id = any($1) group by order_id) s
       where o.id = s.order_id and o.total is distinct from s.total`, [split],
    );
  }
  await refreshOrderProducts(db, [...existing.values()].map((o) => o.id));
  // An order that moved to another customer changes that customer's figures too.
  await markStaleCustomers(db, [...new Set([...[...existing.values()].map((o) => o.customerId), ...customerIds.values()])]);
  const linesCopied = lines.length - known.length;
  const inserted = linesCopied + written.filter((r) => r.inserted).length;
  const updated = written.length - (inserted - linesCopied);
  return { inserted, updated, unchanged: lines.length - inserted - updated };
}
