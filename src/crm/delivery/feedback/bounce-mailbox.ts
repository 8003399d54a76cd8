import { ImapFlow } from 'imapflow';
import type { Sql } from '../../../db/sql.js';
import { logger } from '../../../logging/logger.js';
import type { ConsentService } from '../../consent/consent.service.js';
import { bounceFeedback, readBounceReport } from './bounce-report.js';
import { applyMailFeedback } from './mail-feedback.js';

export interface BounceMailbox { url: string; bounceAddress: string | null }

/** The mailbox as people may see it: host and folder, never the user or password. */
export const describeMailbox = (url: string) => { const u = new URL(url); return `${u.hostname}${u.pathname.length > 1 ? u.pathname : '/INBOX'}`; };

/**
 * Reads the bounce reports waiting in the operator's mailbox (BOUNCE_IMAP_URL) over IMAP with imapflow: each unseen
 * message is read as a delivery status notification, applied once (a report read twice changes nothing), and marked
 * seen. Messages that are not bounce reports (auto-replies, spam) are marked seen and left alone.
 */
export async function readBounceMailbox(sql: Sql, consent: ConsentService, mailbox: BounceMailbox) {
  const u = new URL(mailbox.url);
  const client = new ImapFlow({
    host: u.hostname, port: Number(u.port || (u.protocol === 'imaps:' ? 993 : 143)), secure: u.protocol === 'imaps:',
    auth: { user: decodeURIComponent(u.username), pass: decodeURIComponent(u.password) }, logger: false, disableAutoIdle: true,
    tls: { rejectUnauthorized: u.searchParams.get('tls_verify') !== 'false' },
  });
  client.on('error', () => {});
  await client.connect();
  const folder = decodeURIComponent(u.pathname.slice(1)) || 'INBOX';
  const lock = await client.getMailboxLock(folder);
  const result = { read: 0, bounces: 0, unknown: 0 };
  try {
    const waiting: { uid: number; source: Buffer }[] = [];
    for await (const message of client.fetch({ seen: false }, { uid: true, source: true }, { uid: true })) {
      if (message.source) waiting.push({ uid: message.uid, source: message.source });
    }
    // UIDs name a message only together with the folder's UIDVALIDITY (a recreated folder starts again at 1).
    const uidValidity = client.mailbox ? String(client.mailbox.uidValidity) : '0';
    for (const { uid, source } of waiting) {
      result.read++;
      const report = await readBounceReport(source, mailbox.bounceAddress);
      const found = (await sql.rows<{ messageId: string }>(
        `select message_id as "messageId" from communication_logs where message_id is not null and (id = $1 or message_id = $2) limit 1`,
        [report.logId, report.originalMessageId],
      ))[0];
      if (!report.recipients.length) continue;
      if (!found) {
        result.unknown++;
        continue;
      }
      const applied = await sql.transaction((db) => applyMailFeedback(db, consent, 'bounce-mailbox', bounceFeedback(report, found.messageId, `${folder}:${uidValidity}:${uid}`)));
      result.bounces += applied.applied;
    }
    if (waiting.length) await client.messageFlagsAdd(waiting.map((w) => w.uid).join(','), ['\\Seen'], { uid: true });
  } finally {
    lock.release();
    await client.logout().catch(() => client.close());
  }
  if (result.read) logger.info('bounce mailbox read', { mailbox: describeMailbox(mailbox.url), ...result });
  return result;
}
