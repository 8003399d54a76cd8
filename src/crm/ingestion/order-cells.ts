import type { ImportField } from './columns.js';
import { CellError } from './values.js';
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
