import type { ImportField } from './columns.js';
import { CellError, type DateParser } from './values.js';
import { orderStatuses, type OrderStatus } from '../orders/order-status.js';

// Cell conversions an "orders" and an "order lines" file share, and how a record's problem names the file's column.

/** A line's cell for a field: trimmed, undefined when the file has no such column or the cell is empty. */
export type Cell = (f: ImportField) => string | undefined;

/** The customer details an order file may carry (a country, an email…); only the cells that are there. */
export function orderCustomer(cell: Cell) {
  const customer: { name?: string; email?: string; phone?: string; city?: string; country?: string } = {};
  const name = cell('name');
  if (name !== undefined) customer.name = name;
  const email = cell('email');
  if (email !== undefined) customer.email = email.toLowerCase();
  const phone = cell('phone');
  if (phone !== undefined) customer.phone = phone;
  const city = cell('city');
  if (city !== undefined) customer.city = city;
  const country = cell('country');
  if (country !== undefined) customer.country = country;
  return customer;
}

export interface OrderHead {
  orderId: string; customerId: string; placedAt: Date; status: OrderStatus | null; customer: ReturnType<typeof orderCustomer>;
}

/**
 * The cells that say which order a line of an "orders" or an "order lines" file belongs to and whose it is, read by
 * the same rules for both layouts. Null for a line with no customer: it belongs to nobody the CRM can address, and
 * is skipped and counted. A problem throws a CellError naming its field: an empty order number or date, a date or a
 * status that cannot be read.
 */
export function readOrderHead(cell: Cell, parseDate: DateParser, refundPrefix: string | null): OrderHead | null {
  const customerId = cell('customerId');
  const orderId = cell('orderId');
  if (!orderId) throw new CellError('is empty', 'orderId');
  if (!customerId) return null;
  const rawDate = cell('date');
  if (!rawDate) throw new CellError('is empty', 'date');
  const placedAt = inField('date', () => parseDate(rawDate));
  const status = inField('status', () => statusOf(cell('status'), orderId, refundPrefix));
  return { orderId, customerId, placedAt, status, customer: orderCustomer(cell) };
}

/** A conversion's problem, named by the field it was reading. */
function inField<T>(field: ImportField, read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof CellError && error.field === undefined) throw new CellError(error.message, field);
    throw error;
  }
}

export function statusOf(raw: string | undefined, orderId: string, refundPrefix: string | null): OrderStatus | null {
  if (raw !== undefined) {
    const status = raw.toLowerCase();
    if ((orderStatuses as readonly string[]).includes(status)) return status as OrderStatus;
    if (/^(paid|delivered|shipped|complete|fulfilled)$/.test(status)) return 'completed';
    if (/^(refund|returned)$/.test(status)) return 'refunded';
    if (/^(canceled|void)$/.test(status)) return 'cancelled';
    throw new CellError(`"${raw}" is not a status (${orderStatuses.join(', ')})`);
  }
  return refundPrefix && orderId.startsWith(refundPrefix) ? 'refunded' : null;
}

/** Names the file's own column in a record-level problem, so the person can find it in their spreadsheet. */
export function named(problem: { field: string | null; reason: string }, header: string[], index: (f: ImportField) => number | undefined) {
  const fieldName = problem.field === 'externalId' ? 'customerId' : problem.field;
  const i = fieldName ? index(fieldName as ImportField) : undefined;
  return { field: i === undefined ? fieldName : header[i].trim(), reason: problem.reason };
}
