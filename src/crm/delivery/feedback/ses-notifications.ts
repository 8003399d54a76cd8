import { z } from 'zod';
import type { MailFeedback } from './mail-feedback.js';

const recipient = z.object({ emailAddress: z.string().min(3).max(320), diagnosticCode: z.string().max(2000).optional(), status: z.string().max(20).optional() }).loose();
const header = z.object({ name: z.string(), value: z.string() }).loose();

/** An SES bounce or complaint notification (the Message inside an SNS notification), classic or event-publishing form. */
export const sesNotification = z.object({
  notificationType: z.string().max(40).optional(),
  eventType: z.string().max(40).optional(),
  mail: z.object({
    messageId: z.string().max(200),
    headers: z.array(header).max(200).optional(),
    commonHeaders: z.object({ messageId: z.string().max(998).optional() }).loose().optional(),
  }).loose(),
  bounce: z.object({ bounceType: z.string().max(40), feedbackId: z.string().max(200), bouncedRecipients: z.array(recipient).max(100) }).loose().optional(),
  complaint: z.object({ feedbackId: z.string().max(200), complaintFeedbackType: z.string().max(60).optional(), complainedRecipients: z.array(recipient).max(100) }).loose().optional(),
}).loose();

/**
 * The Message-ID the CRM gave the message. SES replaces the Message-ID header with its own, so the CRM's copy in
 * X-CRM-Message-ID is read from the original headers (turn on "Include original headers" for the notifications);
 * the common Message-ID is the fallback for a relay that kept it.
 */
function crmMessageId(n: z.output<typeof sesNotification>) {
  return n.mail.headers?.find((h) => h.name.toLowerCase() === 'x-crm-message-id')?.value ?? n.mail.commonHeaders?.messageId ?? null;
}

export function sesFeedback(n: z.output<typeof sesNotification>): MailFeedback[] {
  const messageId = crmMessageId(n);
  if (!messageId) return [];
  const type = n.notificationType ?? n.eventType;
  if (type === 'Bounce' && n.bounce) {
    const permanent = n.bounce.bounceType === 'Permanent';
    return n.bounce.bouncedRecipients.map((r) => ({
      eventId: `${n.bounce!.feedbackId}:${r.emailAddress}`, messageId, address: r.emailAddress,
      kind: permanent ? 'hard_bounce' : 'soft_bounce', detail: r.diagnosticCode ?? `${n.bounce!.bounceType} bounce ${r.status ?? ''}`.trim(),
    }));
  }
  if (type === 'Complaint' && n.complaint) {
    return n.complaint.complainedRecipients.map((r) => ({
      eventId: `${n.complaint!.feedbackId}:${r.emailAddress}`, messageId, address: r.emailAddress, kind: 'complaint',
      detail: `complaint${n.complaint!.complaintFeedbackType ? ` (${n.complaint!.complaintFeedbackType})` : ''}`,
    }));
  }
  return [];
}
