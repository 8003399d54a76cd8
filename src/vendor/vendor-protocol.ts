import { z } from 'zod';

/** The vendor's API, as the CRM and the simulator both speak it. */
export const outgoingMessage = z.object({
  idempotencyKey: z.string().min(1).max(200),
  channel: z.enum(['email', 'sms']),
  to: z.string().min(1).max(320),
  body: z.string().max(20_000),
});
export const submitRequest = z.object({
  callbackUrl: z.url(),
  messages: z.array(outgoingMessage).min(1).max(10_000),
});
export type SubmitRequest = z.infer<typeof submitRequest>;
export const submitResponse = z.object({
  accepted: z.array(z.object({ idempotencyKey: z.string(), vendorMessageId: z.string(), duplicate: z.boolean() })),
});
export type SubmitResponse = z.infer<typeof submitResponse>;

export const receipt = z.object({
  idempotencyKey: z.string().min(1).max(200),
  vendorMessageId: z.string().min(1).max(200),
  status: z.enum(['SENT', 'FAILED']),
  reason: z.string().max(500).nullish(),
  occurredAt: z.iso.datetime({ offset: true }),
});
export type Receipt = z.infer<typeof receipt>;
export const receiptBatch = z.object({ receipts: z.array(receipt).min(1).max(10_000) });
