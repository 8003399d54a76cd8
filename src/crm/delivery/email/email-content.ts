import { escapeHtml } from '../../html.js';
import { replaceLinks } from '../../engagement/tracking-link.js';
import type { OutgoingMessage } from '../carrier.js';

/** Who campaign emails come from, as configured (EMAIL_FROM, EMAIL_FROM_NAME, EMAIL_REPLY_TO). */
export interface EmailSender { address: string; name: string | null; replyTo: string | null }

/** The email one message becomes: the same for the plan's preview and for the mail server. */
export interface EmailContent {
  from: { name: string; address: string };
  replyTo?: string;
  to: string;
  subject: string;
  html: string;
  text: string;
  messageId: string;
  /** List-Unsubscribe (a link) and List-Unsubscribe-Post (RFC 8058 one-click): what mailbox providers require of bulk senders. */
  headers: Record<string, string>;
}

const entity: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'", '&nbsp;': ' ' };

/**
 * The plain-text part: the message without tags and with entities read back. Customer data arrives HTML-escaped
 * (see message-template.ts), so a name like "<b>" comes out as the characters the customer typed.
 */
export function plainText(html: string): string {
  return html
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/p>/gi, '\n\n')
    .replace(/<a\s[^>]*href="([^"]*)"[^>]*>(.*?)<\/a>/gi, (_, href: string, label: string) => `${label} (${href})`)
    .replace(/<[^>]*>/g, '')
    .replace(/&(amp|lt|gt|quot|#39|nbsp);/g, (m) => entity[m])
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** Blank lines start paragraphs and single line breaks stay, so a message written as plain text reads the same in HTML. */
const paragraphs = (message: string) =>
  message.trim().split(/\n\s*\n/).map((p) => `<p style="margin:0 0 16px">${p.trim().replace(/\n/g, '<br>')}</p>`).join('\n');

/**
 * Links in the body: a bare address becomes a link, an address already in an href stays one; with tracking, each
 * points at its tracking address (by position, the same order messageLinks reads them back in).
 */
function linkedHtml(message: string, clicks: string[] | null) {
  return replaceLinks(message, (url, i, inHref) => {
    const target = escapeHtml(clicks?.[i] ?? url);
    return inHref ? target : `<a href="${target}" style="color:#2563eb">${escapeHtml(url)}</a>`;
  });
}

/**
 * A simple layout every mail program shows the same: one centred column, the preheader (the grey line an inbox
 * shows after the subject) hidden in the body, and a footer with the unsubscribe link.
 */
function layout(m: OutgoingMessage, senderName: string) {
  const preheader = m.preheader ? `<div style="display:none;max-height:0;overflow:hidden;opacity:0">${escapeHtml(m.preheader)}</div>` : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${escapeHtml(m.subject ?? '')}</title></head>
<body style="margin:0;padding:0;background:#f4f4f5">${preheader}
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="background:#f4f4f5"><tr><td align="center" style="padding:24px 12px">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="max-width:560px;background:#ffffff;border-radius:8px">
<tr><td style="padding:28px 32px;font:16px/1.5 -apple-system,Segoe UI,Roboto,Helvetica,Arial,sans-serif;color:#18181b">
${paragraphs(linkedHtml(m.message, m.tracking?.clicks ?? null))}
</td></tr></table>
<p style="font:12px/1.5 -apple-system,Segoe UI,Roboto,Helvetica,Arial,sans-serif;color:#71717a;margin:16px 0 0">
You get this email as a customer of ${escapeHtml(senderName)}. <a href="${escapeHtml(m.unsubscribeUrl)}" style="color:#71717a">Unsubscribe</a>
</p></td></tr></table>${m.tracking?.open ? `<img src="${escapeHtml(m.tracking.open)}" width="1" height="1" alt="" style="display:block;border:0">` : ''}</body></html>`;
}

export function emailContent(m: OutgoingMessage, sender: EmailSender): EmailContent {
  const name = sender.name ?? sender.address.split('@')[1];
  return {
    from: { name, address: sender.address },
    ...(sender.replyTo ? { replyTo: sender.replyTo } : {}),
    to: m.address,
    subject: m.subject ?? '',
    html: layout(m, name),
    text: `${plainText(m.tracking ? replaceLinks(m.message, (url, i) => m.tracking!.clicks[i] ?? url) : m.message)}\n\n--\nYou get this email as a customer of ${name}. Unsubscribe: ${m.unsubscribeUrl}\n`,
    messageId: m.messageId,
    headers: {
      'List-Unsubscribe': `<${m.unsubscribeUrl}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
      // Relays that replace the Message-ID (Amazon SES does) still pass this on, so their bounce reports lead back.
      'X-CRM-Message-ID': m.messageId,
    },
  };
}
