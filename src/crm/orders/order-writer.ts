import type pg from 'pg';
import { copyRows, copyText, integerArrayLiteral, textArrayLiteral } from '../../db/copy-text.js';
import type { Queryable } from '../../db/sql.js';
import { refreshCustomerAggregates } from '../customers/customer-aggregates.js';
import type { OrderInput } from './order-input.js';
import { linesTotal } from './money.js';
import { supersededCopies } from '../ingestion/batch-repeats.js';
import { keepProductsOurselves, refreshCustomerProducts, refreshOrderProducts } from './order-products.js';
import { ProductIds } from './product-ids.js';

export interface WriteCounts { inserted: number; updated: number; unchanged: number }

/**
 * Writes a batch of orders with their lines in a handful of set-wise statements (never a row at a time), creates
 * customers that are only known by their external id, and refreshes the aggregates of every customer whose orders moved.
 * Writing the same batch twice changes nothing: orders are matched by external id and lines by position.
 * Must run inside a transaction.
 */
export async function writeOrders(db: Queryable, batch: readonly OrderInput[]): Promise<WriteCounts> {
  // The last copy of an order in one batch wins, as it would had they come in two batches.
  const orders = [...new Map(batch.map((o) => [o.externalId, o])).values()];
  if (!orders.length) return { inserted: 0, updated: 0, unchanged: 0 };

  // New orders are written with their products, and the orders and customers whose products change are read
  // again once, below: the line triggers need not do it line statement by line statement.
  await keepProductsOurselves(db);
  const customerKeys = [...new Set(orders.map((o) => o.customerExternalId))];
  await db.query(`insert into customers (external_id) select unnest($1::text[]) on conflict (external_id) do nothing`, [customerKeys]);
  const customerRows = (await db.query<{ id: number; external_id: string }>(
    `select id, external_id from customers where external_id = any($1)`, [customerKeys],
  )).rows;
  const customerId = new Map(customerRows.map((r) => [r.external_id, r.id]));

  // An order that moves to another customer changes that customer's figures too.
  const before = await previousOwners(db, orders.map((o) => o.externalId));
  // Each line names its product, so the insert trigger has none to fill in (which would write every line twice),
  // and each new order its products, so the line trigger need not write the order again.
  const catalogue = await new ProductIds().of(db, orders.flatMap((o) => o.lines.map((l) => l.description ?? null)));
  const productsOf = (lines: OrderInput['lines']): OrderProducts => ({
    productIds: new Set(lines.flatMap((l) => (l.description == null ? [] : [catalogue.get(l.description)!]))),
    skus: new Set(lines.flatMap((l) => (l.sku == null ? [] : [l.sku]))),
  });
  // An order given only lines takes its total from them, so a re-sent order compares equal and is left alone.
  const { written, ids } = await upsertOrders(db, orders.map((o) => ({
    orderId: o.externalId, customerId: customerId.get(o.customerExternalId)!, placedAt: o.placedAt, status: o.status, total: o.total ?? linesTotal(o.lines),
    products: productsOf(o.lines),
  })));

  const withLines = orders.filter((o) => o.lines.length > 0);
  const lineChanges = await writeLines(db, withLines.map((o) => ({ orderId: ids.get(o.externalId)!, lines: o.lines })), catalogue);

  const inserted = new Set(written.filter((r) => r.inserted).map((r) => r.id));
  // An existing order whose lines changed lists its products again; a new one was written with them.
  await refreshOrderProducts(db, [...lineChanges].filter((id) => !inserted.has(id)));
  const affected = [...new Set<number>([...before, ...orders.map((o) => customerId.get(o.customerExternalId)!)])];
  await refreshCustomerAggregates(db, affected);
  await refreshCustomerProducts(db, affected);
  await keepProductsOurselves(db, false);

  const updated = new Set([...written.filter((r) => !r.inserted).map((r) => r.id), ...lineChanges]);
  for (const id of inserted) updated.delete(id);
  return { inserted: inserted.size, updated: updated.size, unchanged: orders.length - inserted.size - updated.size + supersededCopies(batch, (o) => o.externalId) };
}

/** Upserts lines by (order, position) and drops positions the new version no longer has; returns orders whose lines changed. */
async function writeLines(db: Queryable, orders: { orderId: number; lines: OrderInput['lines'] }[], catalogue: ReadonlyMap<string, number>): Promise<Set<number>> {
  if (!orders.length) return new Set();
  const cols = { order: [] as number[], position: [] as number[], sku: [] as (string | null)[], description: [] as (string | null)[], quantity: [] as number[], price: [] as string[] };
  for (const { orderId, lines } of orders) {
    lines.forEach((line, index) => {
      cols.order.push(orderId);
      cols.position.push(index + 1);
      cols.sku.push(line.sku ?? null);
      cols.description.push(line.description ?? null);
      cols.quantity.push(line.quantity);
      cols.price.push(line.unitPrice);
    });
  }
  const product = cols.description.map((d) => (d === null ? null : catalogue.get(d)!));
  const changed = (await db.query<{ order_id: number }>(
    `insert into order_lines (order_id, position, sku, description, product_id, quantity, unit_price)
     select * from unnest($1::bigint[], $2::int[], $3::text[], $4::text[], $5::int[], $6::int[], $7::numeric[])
     on conflict (order_id, position) do update set
       sku = excluded.sku, description = excluded.description, product_id = excluded.product_id, quantity = excluded.quantity, unit_price = excluded.unit_price
     where (order_lines.sku, order_lines.description, order_lines.quantity, order_lines.unit_price)
           is distinct from (excluded.sku, excluded.description, excluded.quantity, excluded.unit_price)
     returning order_id`,
    [cols.order, cols.position, cols.sku, cols.description, product, cols.quantity, cols.price],
  )).rows.map((r) => r.order_id);
  const dropped = (await db.query<{ order_id: number }>(
    `delete from order_lines l using unnest($1::bigint[], $2::int[]) as n(order_id, line_count)
     where l.order_id = n.order_id and l.position > n.line_count returning l.order_id`,
    [orders.map((o) => o.orderId), orders.map((o) => o.lines.length)],
  )).rows.map((r) => r.order_id);
  return new Set([...changed, ...dropped]);
}

/**
 * Which orders of a batch the CRM already has (their external ids), and an id from the orders' sequence for each of
 * the others, for copyNewOrders: one round trip. `orderIds` are distinct.
 */
export async function existingOrders(db: Queryable, orderIds: string[]): Promise<{ existing: Set<string>; newIds: number[] }> {
  const { rows } = await db.query<{ id: string | null; external_id: string | null }>(
    `with found as (select external_id from orders where external_id = any($1))
     select null as id, external_id from found
     union all
     select nextval('orders_id_seq'), null from generate_series(1, cardinality($1::text[]) - (select count(*) from found)::int)`,
    [orderIds]);
  const existing = new Set<string>();
  const newIds: number[] = [];
  for (const r of rows) {
    if (r.external_id === null) newIds.push(Number(r.id));
    else existing.add(r.external_id);
  }
  return { existing, newIds };
}

/**
 * What an order's lines bought, each product and SKU once. The API's and the file import's writers give them with
 * each new order; the line triggers keep them as lines change (and fill them for any other writer).
 */
export interface OrderProducts { productIds: Iterable<number>; skus: Iterable<string> }
export type NewOrder = OrderHeader & OrderProducts;

/** Orders the CRM does not have yet as COPY text for copyNewOrders, built ahead of the transaction that sends it. */
export function newOrdersText(orders: Iterable<NewOrder & { id: number }>): string {
  const rows: string[] = [];
  for (const o of orders) {
    rows.push(`${o.id}\t${copyText(o.orderId)}\t${o.customerId}\t${o.placedAt.toISOString()}\t${o.status}\t${o.total}\t${integerArrayLiteral(o.productIds)}\t${copyText(textArrayLiteral(o.skus))}\n`);
  }
  return rows.join('');
}

/**
 * Orders the CRM does not have yet, by COPY (no conflict to look for, no parameters to encode), under ids taken from
 * the orders' sequence beforehand (existingOrders), since COPY returns nothing. Should another writer create one of
 * them meanwhile, the COPY fails on the unique external id and nothing of the transaction stays (see isDuplicateOrder).
 */
export async function copyNewOrders(client: pg.PoolClient, text: string): Promise<void> {
  if (text) await copyRows(client, 'orders (id, external_id, customer_id, placed_at, status, total, product_ids, skus)', text);
}

/** True for the error of an order another writer created first (see copyNewOrders). */
export const isDuplicateOrder = (error: unknown): boolean =>
  (error as { code?: string; constraint?: string }).code === '23505' && (error as { constraint?: string }).constraint === 'orders_external_id_key';

/** Orders of this batch with the customer each belonged to before (an order that moves changes two customers). */
export async function previousOwners(db: Queryable, orderIds: string[]) {
  return (await db.query<{ customer_id: number }>(`select distinct customer_id from orders where external_id = any($1)`, [orderIds])).rows.map((r) => r.customer_id);
}

export interface OrderHeader { orderId: string; customerId: number; placedAt: Date; status: string; total: string; products?: OrderProducts }

/** Orders by external id. `products` is written with a new order only: an existing order's follow its lines. */
export async function upsertOrders(db: Queryable, orders: OrderHeader[]) {
  // A parameter cannot be an array of arrays of different lengths: each order's lists go as array literals.
  const written = (await db.query<{ id: number; external_id: string; inserted: boolean }>(
    `insert into orders as o (external_id, customer_id, placed_at, status, total, product_ids, skus)
     select x.e, x.c, x.p, x.s, x.t, coalesce(x.pr::int[], '{}'), coalesce(x.sk::text[], '{}')
     from unnest($1::text[], $2::bigint[], $3::timestamptz[], $4::text[], $5::numeric[], $6::text[], $7::text[]) as x(e, c, p, s, t, pr, sk)
     on conflict (external_id) do update set customer_id = excluded.customer_id, placed_at = excluded.placed_at,
       status = excluded.status, total = excluded.total, updated_at = now()
     where (o.customer_id, o.placed_at, o.status, o.total) is distinct from (excluded.customer_id, excluded.placed_at, excluded.status, excluded.total)
     returning id, external_id, (xmax = 0) as inserted`,
    [orders.map((o) => o.orderId), orders.map((o) => o.customerId), orders.map((o) => o.placedAt), orders.map((o) => o.status), orders.map((o) => o.total),
      orders.map((o) => (o.products ? integerArrayLiteral(o.products.productIds) : null)), orders.map((o) => (o.products ? textArrayLiteral(o.products.skus) : null))],
  )).rows;
  // Orders left as they were return no row: only their ids are read again.
  const ids = new Map(written.map((r) => [r.external_id, r.id]));
  const unchanged = orders.map((o) => o.orderId).filter((id) => !ids.has(id));
  if (unchanged.length) {
    for (const r of (await db.query<{ id: number; external_id: string }>(`select id, external_id from orders where external_id = any($1)`, [unchanged])).rows) ids.set(r.external_id, r.id);
  }
  return { written, ids };
}
