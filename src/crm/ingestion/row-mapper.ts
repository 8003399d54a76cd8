import type { ImportField, Layout } from './columns.js';
import { customerRecord, firstProblem, orderRecord, type CustomerRecord, type OrderLineRecord, type OrderRecord } from './records.js';
import { CellError, parseAmount, type DateParser } from './values.js';
import { named, readOrderHead } from './order-cells.js';
import { orderLineMapper } from './line-mapper.js';

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
 * error; the record is then checked by its zod schema. Lines of an order with no customer are skipped (counted, not
 * rejected). An "order lines" file has a mapper of its own (line-mapper.ts).
 */
export function rowMapper(options: RowMapperOptions) {
  if (options.layout === 'order-lines') return orderLineMapper(options);
  const { columns, header, layout } = options;
  const index = (f: ImportField) => columns.get(f);
  const at = Object.fromEntries([...columns].map(([f, i]) => [f, i])) as Partial<Record<ImportField, number>>;
  const width = header.length;

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
      if (layout === 'customers') {
        const profile = customerProfile(cell);
        const parsed = customerRecord.safeParse({ externalId: cell('customerId') ?? '', ...profile });
        return parsed.success ? { kind: 'customer', record: parsed.data } : { kind: 'reject', ...named(firstProblem(parsed.error), header, index) };
      }
      // (The order's own cells name the field of any problem themselves.)
      const head = readOrderHead(cell, options.parseDate, options.refundPrefix);
      if (!head) return { kind: 'skip' };
      // An "orders" file: one row per order, with its amount.
      current = 'amount';
      const amount = parseAmount(cell('amount') ?? '');
      const parsed = orderRecord.safeParse({ ...head, amount });
      return parsed.success ? { kind: 'order', record: parsed.data } : { kind: 'reject', ...named(firstProblem(parsed.error), header, index) };
    } catch (error) {
      if (!(error instanceof CellError)) throw error;
      const field = (error.field as ImportField | undefined) ?? current;
      return { kind: 'reject', field: header[index(field)!] ?? field, reason: error.message };
    }
  };
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
