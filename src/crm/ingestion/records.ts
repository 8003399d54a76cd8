import { z } from 'zod';
import { money } from '../orders/order-input.js';
import { orderStatuses } from '../orders/order-status.js';

const text = (max: number) => z.string().trim().max(max, `is longer than ${max} characters`);
const optionalText = (max: number) => text(max).nullish().transform((v) => (v ? v : null));

/** A customer as imported: only the external id is required; absent fields leave what the CRM knows unchanged. */
export const customerRecord = z.object({
  externalId: text(200).min(1, 'is empty'),
  name: optionalText(300),
  email: z.email('is not an email address').max(320).nullish().transform((v) => v ?? null),
  phone: optionalText(50).refine((v) => v === null || /^\+?[\d\s().-]{5,30}$/.test(v), 'is not a phone number'),
  city: optionalText(200),
  country: optionalText(200),
  tags: z.array(text(100).min(1)).max(50).nullish().transform((v) => v ?? null),
  unsubscribed: z.boolean().nullish().transform((v) => v ?? null),
  emailConsent: z.boolean().nullish().transform((v) => v ?? null).describe('true: opted in to email; false: opted out. An import never opts back in someone who opted out.'),
  smsConsent: z.boolean().nullish().transform((v) => v ?? null).describe('true: opted in to SMS; false: opted out. An import never opts back in someone who opted out.'),
});
export type CustomerRecord = z.output<typeof customerRecord>;

/** One order with its amount, from an "orders" file. */
export const orderRecord = z.object({
  orderId: text(200).min(1, 'is empty'),
  customerId: text(200).min(1, 'is empty'),
  placedAt: z.date(),
  status: z.enum(orderStatuses).nullable(),
  amount: money,
  customer: customerRecord.omit({ externalId: true }).partial(),
});
export type OrderRecord = z.output<typeof orderRecord>;

export const firstProblem = (error: z.ZodError) => {
  const issue = error.issues[0];
  return { field: issue.path.filter((p) => p !== 'customer').join('.') || null, reason: issue.message };
};

// Per line of a file the cells are already converted (amounts, quantities, dates, with the column named in any
// error), so the schemas only check shape and size. They run half a million times in a large import, in three parts
// (see line-mapper.ts): what an invoice's lines share, each line's own cells, and the customer's details.
const cellText = (max: number) => z.string().max(max, `is longer than ${max} characters`).optional();
/** What the lines of one invoice share. */
export const fileInvoiceCells = z.object({
  orderId: z.string().min(1).max(200, 'is longer than 200 characters'),
  customerId: z.string().min(1).max(200, 'is longer than 200 characters'),
  placedAt: z.date(),
  status: z.enum(orderStatuses).nullable(),
});
/** A line's own cells, each checked on its own. */
export const fileLineCells = {
  sku: z.string().max(200, 'is longer than 200 characters').nullable(),
  description: z.string().max(2000, 'is longer than 2000 characters').nullable(),
  quantity: z.number().int().min(-1_000_000).max(1_000_000),
  unitPrice: z.string(),
};
/** The customer's details a line may carry. */
export const fileLineCustomer = z.object({ name: cellText(300), email: z.email('is not an email address').max(320).optional(), phone: cellText(50), city: cellText(200), country: cellText(200) });
/** One line of an invoice, from an "order lines" file: identified by its invoice and its position in it. */
export const fileLineRecord = fileInvoiceCells.extend({ ...fileLineCells, customer: fileLineCustomer });
export type OrderLineRecord = z.output<typeof fileLineRecord>;
