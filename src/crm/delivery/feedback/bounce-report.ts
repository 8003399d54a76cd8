import { simpleParser } from 'mailparser';
import type { MailFeedback } from './mail-feedback.js';

/** The envelope sender of message `logId` under VERP: bounces@shop.example → bounces+123@shop.example. */
export function verpAddress(bounceAddress: string, logId: number) {
  const at = bounceAddress.lastIndexOf('@');
  return `${bounceAddress.slice(0, at)}+${logId}${bounceAddress.slice(at)}`;
}

/** The message a bounce is about, from the VERP address it was sent back to; null when it names none. */
export function logIdFromVerp(recipient: string, bounceAddress: string): number | null {
  const at = bounceAddress.lastIndexOf('@');
  const [local, domain] = [bounceAddress.slice(0, at), bounceAddress.slice(at + 1)];
  const match = new RegExp(`^${local.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\+(\\d{1,15})@${domain.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, 'i').exec(recipient.trim());
  return match ? Number(match[1]) : null;
}

/** "Key: value" fields of a delivery-status block, with folded lines joined (RFC 3464 §2). */
function fields(block: string) {
  const result = new Map<string, string>();
  for (const line of block.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0) result.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).replace(/\s+/g, ' ').trim());
  }
  return result;
}

/**
 * The message/delivery-status part of a multipart/report, found by its boundary. mailparser reads a report's text
 * parts but does not hand this one back, so it is cut out of the source; report parts are 7-bit text (RFC 3464).
 */
function deliveryStatusPart(source: string, contentType: unknown): string | null {
  const params = (contentType as { value?: string; params?: Record<string, string> } | undefined);
  const boundary = params?.value?.toLowerCase() === 'multipart/report' ? params.params?.boundary : undefined;
  if (!boundary) return null;
  for (const part of source.split(`--${boundary}`).slice(1)) {
    const split = part.search(/\r?\n\r?\n/);
    if (split < 0) continue;
    if (/^content-type:\s*message\/(global-)?delivery-status/im.test(part.slice(0, split))) return part.slice(split).trim();
  }
  return null;
}

export interface BounceReport { logId: number | null; originalMessageId: string | null; recipients: { address: string; permanent: boolean; detail: string }[] }

/**
 * Reads a delivery status notification (RFC 3464: multipart/report with a message/delivery-status part). Each
 * recipient block that failed is a bounce: permanent for a 5.x.x status, temporary for 4.x.x ("delayed" reports are
 * not bounces). The message is found by the VERP address the report was sent to, or by the Message-ID in the
 * returned headers. Anything that is not such a report gives no recipients.
 */
export async function readBounceReport(raw: Buffer, bounceAddress: string | null): Promise<BounceReport> {
  const mail = await simpleParser(raw, { skipHtmlToText: true, skipTextToHtml: true, skipImageLinks: true });
  const to = [mail.headers.get('x-original-to'), mail.headers.get('delivered-to'),
    ...[mail.to].flat().flatMap((a) => (a && 'value' in a ? a.value.map((v) => v.address ?? '') : []))]
    .filter((v): v is string => typeof v === 'string');
  const logId = bounceAddress ? to.map((a) => logIdFromVerp(a, bounceAddress)).find((id) => id !== null) ?? null : null;
  const status = deliveryStatusPart(raw.toString('latin1'), mail.headers.get('content-type'));
  // The returned headers (text/rfc822-headers, or the whole message/rfc822) follow the report's own headers; a text
  // part may be read as body text rather than an attachment, so the Message-ID is looked for after the first blank line.
  const body = raw.toString('latin1').split(/\r?\n\r?\n/).slice(1).join('\n\n');
  const originalMessageId = /^Message-ID:\s*(<[^>\r\n]+>)/im.exec(body)?.[1] ?? null;
  if (!status) return { logId, originalMessageId, recipients: [] };
  const blocks = status.split(/\r?\n[ \t]*\r?\n/).map(fields).slice(1);
  const recipients = blocks.flatMap((f) => {
    const action = (f.get('action') ?? '').toLowerCase();
    const code = f.get('status') ?? '';
    const address = (f.get('final-recipient') ?? f.get('original-recipient') ?? '').replace(/^[^;]*;\s*/, '');
    if (action !== 'failed' || !address) return [];
    return [{ address, permanent: code.startsWith('5'), detail: [code, f.get('diagnostic-code')?.replace(/^[^;]*;\s*/, '')].filter(Boolean).join(' ') }];
  });
  return { logId, originalMessageId, recipients };
}

/** A report as feedback the CRM applies, given the Message-ID the CRM recorded for the message it names. */
export function bounceFeedback(report: BounceReport, messageId: string, reportId: string): MailFeedback[] {
  return report.recipients.map((r) => ({
    eventId: `${reportId}:${r.address}`, messageId, address: r.address, kind: r.permanent ? 'hard_bounce' : 'soft_bounce', detail: r.detail,
  }));
}
