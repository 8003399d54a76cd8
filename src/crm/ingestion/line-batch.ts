import type pg from 'pg';
import { copyRows, copyText } from '../../db/copy-text.js';
import { isRetryable, type Sql } from '../../db/sql.js';
import { markStaleCustomers } from '../customers/stale-customers.js';
import { fromThousandths, toThousandths } from '../orders/money.js';
import { copyNewOrders, existingOrders, newOrdersText, previousOwners, upsertOrders, type NewOrder, type OrderHeader } from '../orders/order-writer.js';
import { keepProductsOurselves, refreshOrderProducts } from '../orders/order-products.js';
import type { CustomerDetails } from './known-customers.js';
import { upsertCustomers, type BatchCounts, type ImportMemory, type PositionedLine } from './import-writer.js';

/**
 * A batch of an "order lines" file made ready to write: its customers and new products already in the CRM, its new
 * orders and their lines already COPY text under ids taken from the orders' sequence. What is left for the batch's
 * own transaction is to send them, and to upsert the few orders the CRM had before or an earlier batch began.
 */
export interface PreparedLines {
  size: number;
  ordersText: string;
  linesText: string;
  linesCopied: number;
  /** Orders the CRM already had, and those an earlier batch began: upserted, their totals and products read again. */
  upserts: OrderHeader[];
  continued: readonly string[];
  /** The lines of those orders, by the order's external id. */
  knownLines: { orderId: string; line: PositionedLine; productId: number }[];
  /** The batch's customers: their figures change. (Orders that move are marked with their previous owner when written.) */
  customerIds: number[];
  /** The batch placed again: the orders the CRM has looked up afresh, new ids, new COPY text; customers and products stay. */
  again(): Promise<PreparedLines>;
}

interface Invoice {
  orderId: string; customerId: string; placedAt: Date; status: string | null; productIds: Set<number>; skus: Set<string>;
  /** The sum in thousandths, as a plain number while it is exact, as a BigInt once it could not be. */
  total: number; exactTotal: bigint | null;
  /** The id taken for a new order; 0 for one upserted. */
  id: number;
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
 * Readies invoice lines from an "order lines" file: each invoice becomes an order whose total is the exact sum of
 * its lines, and each line is identified by its invoice and its position in it, so the same file twice changes
 * nothing. `continued` names invoices whose earlier lines came in an earlier batch: their totals are summed in SQL.
 *
 * The customers and the catalogue's new products go in a short transaction of their own, and the orders the CRM has
 * are looked up, so that they (and building the COPY text) can run while the previous batch is still being written.
 * Should the batch then fail, they are a customer with no orders yet or a product no one bought, and writing them
 * again is a no-op. This runs for every line of a large file: each line is visited once to build what it writes.
 */
export async function prepareLineBatch(sql: Sql, lines: PositionedLine[], continued: ReadonlySet<string>, memory: ImportMemory): Promise<PreparedLines> {
  // A customer's details are merged over the batch's lines, the later line's winning, as separate records would.
  const details = new Map<string, CustomerDetails>();
  const orderIds: string[] = [];
  let d: CustomerDetails | undefined;
  let merged: PositionedLine['customer'] | undefined;
  let previousOrder: string | undefined;
  for (const l of lines) {
    if (l.orderId !== previousOrder && !continued.has(l.orderId)) orderIds.push(l.orderId);
    previousOrder = l.orderId;
    // The lines of one invoice name one customer, and share one object of their details: each is merged once.
    const c = l.customer;
    if (c === merged) continue;
    merged = c;
    if (!d || d.externalId !== l.customerId) {
      d = details.get(l.customerId);
      if (!d) details.set(l.customerId, d = { externalId: l.customerId });
    }
    if (c.name !== undefined) d.name = c.name;
    if (c.email !== undefined) d.email = c.email;
    if (c.phone !== undefined) d.phone = c.phone;
    if (c.city !== undefined) d.city = c.city;
    if (c.country !== undefined) d.country = c.country;
  }

  const { customerIds, productIds } = await writeAhead(sql, lines, details, memory);
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
        invoices.set(l.orderId, invoice = { orderId: l.orderId, customerId: l.customerId, placedAt: l.placedAt, status: l.status, productIds: new Set(), skus: new Set(), total: 0, exactTotal: null, id: 0 });
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

  // (An invoice whose lines come apart in the file is listed once per run of lines; the look-up takes each once.)
  return placeOrders(sql, { lines, invoices: [...invoices.values()], invoiceOf, productIds, customerIds, continued, orderIds: [...new Set(orderIds)] });
}

/**
 * The batch's customers and the catalogue's new products, in a short transaction of their own. Its customers'
 * details are written once, even should the batch be placed again: a later batch may already have written newer ones.
 */
async function writeAhead(sql: Sql, lines: PositionedLine[], details: Map<string, CustomerDetails>, memory: ImportMemory) {
  for (let attempt = 1; ; attempt++) {
    const { toWrite, ids: customerIds } = memory.customers.sort(details.values());
    try {
      const productIds = await sql.transaction(async (client) => {
        if (toWrite.length) {
          const written = await upsertCustomers(client, toWrite);
          for (const [key, id] of written.ids) customerIds.set(key, id);
        }
        return memory.products.idsOf(client, lines.map((l) => l.description)); // 0: no description, no product
      }, { asynchronousCommit: true });
      memory.customers.remember(toWrite, customerIds);
      return { customerIds, productIds };
    } catch (error) {
      // Chosen to give way to the batch being written (both mark customers for journeys): run again. The products
      // it added are gone with it, and are looked up afresh.
      if (!isRetryable(error) || attempt === 3) throw error;
      memory.products.forget();
    }
  }
}

interface GroupedLines {
  lines: PositionedLine[]; invoices: Invoice[]; invoiceOf: Invoice[]; productIds: Int32Array;
  customerIds: ReadonlyMap<string, number>; continued: ReadonlySet<string>;
  /** The batch's invoices not begun in an earlier batch, each once. */
  orderIds: string[];
}

/**
 * New orders go in by COPY with their products, under ids taken now; the lines of an order created in this very
 * batch cannot exist yet, so they go in by COPY too. An order the CRM had, or one an earlier batch began, is upserted.
 */
async function placeOrders(sql: Sql, batch: GroupedLines): Promise<PreparedLines> {
  const { lines, invoiceOf, productIds, customerIds, continued } = batch;
  const { existing, newIds } = await existingOrders(sql, batch.orderIds);
  const header = (inv: Invoice): OrderHeader => ({
    orderId: inv.orderId, customerId: customerIds.get(inv.customerId)!, placedAt: inv.placedAt, status: inv.status ?? 'completed',
    total: fromThousandths(inv.exactTotal ?? BigInt(inv.total)),
  });
  const fresh: (NewOrder & { id: number })[] = [];
  const upserts: OrderHeader[] = [];
  for (const inv of batch.invoices) {
    inv.id = 0;
    if (existing.has(inv.orderId) || continued.has(inv.orderId)) { upserts.push(header(inv)); continue; }
    inv.id = newIds[fresh.length];
    fresh.push({ ...header(inv), id: inv.id, productIds: inv.productIds, skus: inv.skus });
  }
  const rows: string[] = [];
  const knownLines: PreparedLines['knownLines'] = [];
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i];
    const inv = invoiceOf[i];
    if (!inv.id) { knownLines.push({ orderId: inv.orderId, line: l, productId: productIds[i] }); continue; }
    rows.push(`${inv.id}\t${l.position}\t${copyText(l.sku)}\t${copyText(l.description)}\t${productIds[i] || '\\N'}\t${l.quantity}\t${l.unitPrice}\n`);
  }
  return {
    size: lines.length, ordersText: newOrdersText(fresh), linesText: rows.join(''), linesCopied: lines.length - knownLines.length, upserts,
    continued: [...continued], knownLines,
    customerIds: [...new Set(customerIds.values())],
    again: () => placeOrders(sql, batch),
  };
}

/**
 * Writes a prepared batch inside its transaction. Should another writer have created one of its new orders since it
 * was prepared, the COPY fails on the order's external id and nothing of the transaction stays (isDuplicateOrder):
 * the batch is placed again (`again`), finding that order there. The figures and products bought of the customers
 * touched are read again once, when the import ends.
 */
export async function writePreparedLines(client: pg.PoolClient, batch: PreparedLines): Promise<BatchCounts> {
  await keepProductsOurselves(client);
  await copyNewOrders(client, batch.ordersText);
  // An order that moves to another customer changes that customer's figures too: its owner is read here, in the
  // transaction that moves it.
  const owners = batch.upserts.length ? await previousOwners(client, batch.upserts.map((o) => o.orderId)) : [];
  const { ids } = batch.upserts.length ? await upsertOrders(client, batch.upserts) : { ids: new Map<string, number>() };
  if (batch.linesText) await copyRows(client, 'order_lines (order_id, position, sku, description, product_id, quantity, unit_price)', batch.linesText);
  const known = batch.knownLines;
  const written = known.length ? (await client.query<{ inserted: boolean }>(
    `insert into order_lines as l (order_id, position, sku, description, product_id, quantity, unit_price)
     select * from unnest($1::bigint[], $2::int[], $3::text[], $4::text[], $5::int[], $6::int[], $7::numeric[])
     on conflict (order_id, position) do update set sku = excluded.sku, description = excluded.description,
       product_id = excluded.product_id, quantity = excluded.quantity, unit_price = excluded.unit_price
     where (l.sku, l.description, l.quantity, l.unit_price) is distinct from (excluded.sku, excluded.description, excluded.quantity, excluded.unit_price)
     returning (xmax = 0) as inserted`,
    [known.map((k) => ids.get(k.orderId)!), known.map((k) => k.line.position), known.map((k) => k.line.sku), known.map((k) => k.line.description),
      known.map((k) => k.productId || null), known.map((k) => k.line.quantity), known.map((k) => k.line.unitPrice)],
  )).rows : [];

  // An invoice begun in an earlier batch sums its total from all its lines; it and an order the CRM already had take
  // their products from all their lines, through the same function the line triggers use.
  const split = batch.continued.map((id) => ids.get(id)!);
  if (split.length) {
    await client.query(
      `update orders o set total = s.total, updated_at = now()
       from (select order_id, sum(quantity * unit_price) as total from order_lines where order_id = any($1) group by order_id) s
       where o.id = s.order_id and o.total is distinct from s.total`, [split],
    );
  }
  await refreshOrderProducts(client, [...ids.values()]);
  await markStaleCustomers(client, [...new Set([...owners, ...batch.customerIds])]);
  const inserted = batch.linesCopied + written.filter((r) => r.inserted).length;
  const updated = written.length - (inserted - batch.linesCopied);
  return { inserted, updated, unchanged: batch.size - inserted - updated };
}
