import { z } from 'zod';
import { orderStatuses } from './order-status.js';

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
    placedAt: z.coerce.date().refine((d) => !Number.isNaN(d.getTime()), 'must be a date such as 2026-03-01T10:30:00Z'),
    status: z.enum(orderStatuses).default('completed'),
    total: money.optional(),
    lines: z.array(orderLineInput).max(10_000).default([]),
  })
  .refine((o) => o.total !== undefined || o.lines.length > 0, { message: 'needs a total or at least one line', path: ['total'] });

export type OrderInput = z.output<typeof orderInput>;
