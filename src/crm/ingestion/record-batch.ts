import { z } from 'zod';
import { orderInput } from '../orders/order-input.js';
import { customerRecord, firstProblem } from './records.js';
import { CrmError, TooLarge } from '../errors.js';
import { findTextProblem } from '../text.js';

export type RecordLayout = 'customers' | 'orders';

export const recordSchemas = { customers: customerRecord, orders: orderInput } as const;

export class NoValidRecord extends CrmError {
  readonly kind = 'bad_input';
  override details() {
    return { problems: this.problems };
  }
  constructor(readonly problems: { index: number; field: string | null; reason: string }[]) {
    super(`No record could be accepted: ${problems.slice(0, 3).map((p) => `record ${p.index}${p.field ? ` (${p.field})` : ''}: ${p.reason}`).join('; ')}${problems.length > 3 ? '; …' : ''}.`);
  }
}

export class TooManyRecords extends TooLarge {}

/**
 * Splits a request body (one record or an array) into valid records and problems, each problem with the record's
 * index in the array. The good records are kept even when others are wrong.
 */
export function checkRecords(layout: RecordLayout, body: unknown, maxRecords: number) {
  const items = Array.isArray(body) ? body : [body];
  if (!items.length) throw new NoValidRecord([{ index: 0, field: null, reason: 'the array is empty' }]);
  if (items.length > maxRecords) throw new TooManyRecords(`A request may carry at most ${maxRecords.toLocaleString('en')} records (IMPORT_MAX_RECORDS); this one has ${items.length.toLocaleString('en')}. Send it in parts, or upload a file to POST /api/imports.`);
  const schema: z.ZodType = recordSchemas[layout];
  const valid: { index: number; record: unknown }[] = [];
  const problems: { index: number; field: string | null; reason: string }[] = [];
  items.forEach((item, index) => {
    const text = findTextProblem(item);
    if (text) return void problems.push({ index, field: text.path || null, reason: text.message });
    const parsed = schema.safeParse(item);
    if (parsed.success) valid.push({ index, record: parsed.data });
    else problems.push({ index, ...firstProblem(parsed.error) });
  });
  return { valid, problems };
}
