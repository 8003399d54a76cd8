import type { ImportField, Layout } from './columns.js';
import { customerRecord, fileLineRecord, firstProblem, orderRecord, type CustomerRecord, type OrderLineRecord, type OrderRecord } from './records.js';
import { CellError, memoised, parseAmount, parseQuantity, type DateParser } from './values.js';
import { orderStatuses, type OrderStatus } from '../orders/order-status.js';

export type Mapped =
  | { kind: 'customer'; record: CustomerRecord }
  | { kind: 'order'; record: OrderRecord }
  | { kind: 'line'; record: OrderLineRecord }
  | { kind: 'skip' }
  | { kind: 'reject'; field: string | null; reason: string };

export interface RowMapperOptions { layout: Layout; columns: Map<ImportField, number>; header: string[]; parseDate: DateParser; refundPrefix: string | null }

const yes = /^(1|y|yes|true|t)$/i;
const no = /^(0|n|no|false|f|)$/i;

/**
 * Turns the cells of one line into a record of the file's layout. Cells are converted with the column named in any
 * error; the record is then checked by its zod schema. Lines of an order with no customer are skipped (counted, not rejected).
 */
export function rowMapper(options: RowMapperOptions) {
  const { columns, header, layout } = options;
  const index = (f: ImportField) => columns.get(f);
  const at = Object.fromEntries([...columns].map(([f, i]) => [f, i])) as Partial<Record<ImportField, number>>;
  const width = header.length;
  const unitPrice = memoised(parseAmount);

  return (fields: string[]): Mapped => {
    if (fields.length !== width) return { kind: 'reject', field: null, reason: `has ${fields.length} columns where the header has ${width}` };
    const cell = (f: ImportField): string | undefined => {
      const i = at[f];
      if (i === undefined) return undefined;
      const v = fields[i].trim();
      return v === '' ? undefined : v;
    };
    let current: ImportField = 'customerId';
    try {
      const customerId = cell('customerId');
      if (layout === 'customers') {
        const profile = customerProfile(cell);
        const parsed = customerRecord.safeParse({ externalId: customerId ?? '', ...profile });
        return parsed.success ? { kind: 'customer', record: parsed.data } : { kind: 'reject', ...named(firstProblem(parsed.error), header, index) };
      }
      current = 'orderId';
      const orderId = cell('orderId');
      if (!orderId) return { kind: 'reject', field: header[index('orderId')!], reason: 'is empty' };
      // An order line with no customer belongs to nobody the CRM can address: skipped and counted.
      if (!customerId) return { kind: 'skip' };
      current = 'date';
      const rawDate = cell('date');
      if (!rawDate) return { kind: 'reject', field: header[index('date')!], reason: 'is empty' };
      const placedAt = options.parseDate(rawDate);
      current = 'status';
      const status = statusOf(cell('status'), orderId, options.refundPrefix);
      const customer = orderCustomer(cell);
      if (layout === 'orders') {
        current = 'amount';
        const amount = parseAmount(cell('amount') ?? '');
        const parsed = orderRecord.safeParse({ orderId, customerId, placedAt, status, amount, customer });
        return parsed.success ? { kind: 'order', record: parsed.data } : { kind: 'reject', ...named(firstProblem(parsed.error), header, index) };
      }
      current = 'quantity';
      const quantity = parseQuantity(cell('quantity') ?? '');
      current = 'unitPrice';
      const price = unitPrice(cell('unitPrice') ?? '');
      const parsed = fileLineRecord.safeParse({ orderId, customerId, placedAt, status, sku: cell('sku') ?? null, description: cell('description') ?? null, quantity, unitPrice: price, customer });
      return parsed.success ? { kind: 'line', record: parsed.data } : { kind: 'reject', ...named(firstProblem(parsed.error), header, index) };
    } catch (error) {
      if (!(error instanceof CellError)) throw error;
      const field = (error.field as ImportField | undefined) ?? current;
      return { kind: 'reject', field: header[index(field)!] ?? field, reason: error.message };
    }
  };
}

/** The customer details an order file may carry (a country, an email…); only the cells that are there. */
function orderCustomer(cell: (f: ImportField) => string | undefined) {
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

function customerProfile(cell: (f: ImportField) => string | undefined) {
  const first = cell('firstName');
  const last = cell('lastName');
  const name = cell('name') ?? ([first, last].filter(Boolean).join(' ') || undefined);
  const yesOrNo = (field: ImportField): boolean | undefined => {
    const text = cell(field);
    if (text === undefined) return undefined;
    if (yes.test(text)) return true;
    if (no.test(text)) return false;
    throw new CellError(`"${text}" is not yes or no`, field);
  };
  const tags = cell('tags')?.split(/[;|,]/).map((t) => t.trim()).filter(Boolean);
  return {
    name, email: cell('email')?.toLowerCase(), phone: cell('phone'), city: cell('city'), country: cell('country'), tags,
    unsubscribed: yesOrNo('unsubscribed'), emailConsent: yesOrNo('emailConsent'), smsConsent: yesOrNo('smsConsent'),
  };
}

function statusOf(raw: string | undefined, orderId: string, refundPrefix: string | null): OrderStatus | null {
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
function named(problem: { field: string | null; reason: string }, header: string[], index: (f: ImportField) => number | undefined) {
  const fieldName = problem.field === 'externalId' ? 'customerId' : problem.field;
  const i = fieldName ? index(fieldName as ImportField) : undefined;
  return { field: i === undefined ? fieldName : header[i].trim(), reason: problem.reason };
}
