import { z } from 'zod';
import { orderStatuses } from './order-status.js';
import { isoDateParser } from '../ingestion/values.js';

const readIso = isoDateParser();
// A real moment: 30 February is refused, not rolled over to 2 March as JavaScript's Date would do.
export const placedAt = z.union([z.date(), z.number(), z.string()]).transform((v, ctx) => {
  if (typeof v !== 'string') {
    const date = new Date(v);
    if (!Number.isNaN(date.getTime())) return date;
  } else {
    try { return readIso(v); } catch { /* reported below */ }
  }
  ctx.addIssue({ code: 'custom', message: 'must be a real date such as 2026-03-01T10:30:00Z' });
  return z.NEVER;
});

// Amounts are decimal strings (or numbers) with at most three decimals; they are kept as strings so none is rounded.
export const money = z
  .union([z.number(), z.string()])
  .transform((v) => String(v).trim())
  .refine((v) => /^-?\d{1,15}(\.\d{1,3})?$/.test(v), 'must be an amount such as 1299.50 (at most three decimals)');

export const orderLineInput = z.object({
  sku: z.string().trim().max(200).nullish(),
  description: z.string().trim().max(2000).nullish(),
  quantity: z.number().int().min(-1_000_000).max(1_000_000),
  unitPrice: money,
});

export const orderInput = z
  .object({
    externalId: z.string().trim().min(1).max(200),
    customerExternalId: z.string().trim().min(1).max(200),
    placedAt,
    status: z.enum(orderStatuses).default('completed'),
    total: money.optional(),
    lines: z.array(orderLineInput).max(10_000).default([]),
  })
  .refine((o) => o.total !== undefined || o.lines.length > 0, { message: 'needs a total or at least one line', path: ['total'] });

export type OrderInput = z.output<typeof orderInput>;
