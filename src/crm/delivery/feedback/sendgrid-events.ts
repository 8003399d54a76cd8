import { createPublicKey, verify } from 'node:crypto';
import { z } from 'zod';
import { BadInput } from '../../errors.js';
import type { MailFeedback } from './mail-feedback.js';

export const SENDGRID_SIGNATURE_HEADER = 'x-twilio-email-event-webhook-signature';
export const SENDGRID_TIMESTAMP_HEADER = 'x-twilio-email-event-webhook-timestamp';
const REPLAY_WINDOW_SECONDS = 600;

/**
 * Why a SendGrid Event Webhook request is not genuine, or null when it is: SendGrid signs the timestamp header
 * followed by the raw body with ECDSA (P-256, SHA-256); the verification key is the base64 public key shown in its
 * Mail Settings. A timestamp outside ten minutes is refused, which bounds replays.
 */
export function sendgridSignatureProblem(publicKey: string, signature: string | undefined, timestamp: string | undefined, body: Buffer, now = Date.now() / 1000): string | null {
  if (!signature || !timestamp) return 'the request is not signed (the X-Twilio-Email-Event-Webhook-Signature and -Timestamp headers are missing)';
  if (!/^\d{1,12}$/.test(timestamp) || Math.abs(now - Number(timestamp)) > REPLAY_WINDOW_SECONDS) return `the signature's timestamp is more than ${REPLAY_WINDOW_SECONDS / 60} minutes away from now`;
  try {
    const key = createPublicKey({ key: Buffer.from(publicKey, 'base64'), format: 'der', type: 'spki' });
    const ok = verify('sha256', Buffer.concat([Buffer.from(timestamp), body]), { key, dsaEncoding: 'der' }, Buffer.from(signature, 'base64'));
    return ok ? null : 'the signature does not match';
  } catch {
    return 'the signature does not match';
  }
}

const sendgridEvent = z.object({
  email: z.string().min(3).max(320),
  event: z.string().max(40),
  sg_event_id: z.string().min(1).max(200),
  'smtp-id': z.string().max(998).optional(),
  type: z.string().max(40).optional(),
  reason: z.string().max(2000).optional(),
  status: z.string().max(20).optional(),
}).loose();
export const sendgridBatch = z.array(sendgridEvent).min(1).max(5000);

/** SendGrid's events in the CRM's words; events that say nothing about bounces or consent (opens, clicks) are left out. */
export function sendgridFeedback(events: z.output<typeof sendgridBatch>): MailFeedback[] {
  return events.flatMap((e): MailFeedback[] => {
    const messageId = e['smtp-id']?.trim();
    if (!messageId) return [];
    const detail = [e.status, e.reason].filter(Boolean).join(' ') || e.event;
    const base = { eventId: e.sg_event_id, messageId, address: e.email, detail };
    if (e.event === 'bounce') return [{ ...base, kind: e.type === 'blocked' ? 'soft_bounce' : 'hard_bounce' }];
    if (e.event === 'dropped') return [{ ...base, kind: /bounced address|invalid/i.test(e.reason ?? '') ? 'hard_bounce' : 'soft_bounce' }];
    if (e.event === 'spamreport') return [{ ...base, kind: 'complaint' }];
    if (e.event === 'unsubscribe' || e.event === 'group_unsubscribe') return [{ ...base, kind: 'unsubscribe' }];
    return [];
  });
}

export const notJson = () => new BadInput([{ path: '', message: 'the body must be SendGrid\'s JSON array of events' }]);
