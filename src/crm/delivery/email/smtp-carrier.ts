import type { Carrier, OutgoingMessage, Outcome } from '../carrier.js';
import { emailContent, type EmailSender } from './email-content.js';
import { verpAddress } from '../feedback/bounce-report.js';
import { SmtpConnections } from './smtp-connections.js';
import { smtpOutcome, type SmtpError } from './smtp-outcome.js';

export interface SmtpSettings {
  url: string; sender: EmailSender; connections: number; ratePerSecond: number;
  /** Where bounces go (VERP: one return path per message); the sender's address when null. */
  bounceAddress: string | null;
}

/** The mail server as people may see it: host and port, never the user or password of SMTP_URL. */
export function describeSmtp(url: string) {
  const u = new URL(url);
  return `the mail server at ${u.hostname}:${u.port || (u.protocol === 'smtps:' ? '465' : '587')}`;
}

/**
 * Email through any SMTP relay (Amazon SES, SendGrid, Postmark, Mailgun, Gmail, a local Postfix) with nodemailer's
 * SMTP client: a set of open connections, each reused for many messages, and the provider's sending rate as a limit.
 */
export class SmtpCarrier implements Carrier {
  readonly description: string;
  private readonly connections: SmtpConnections;

  constructor(private readonly settings: SmtpSettings) {
    this.description = describeSmtp(settings.url);
    const u = new URL(settings.url);
    this.connections = new SmtpConnections({
      host: u.hostname,
      port: Number(u.port || (u.protocol === 'smtps:' ? 465 : 587)),
      secure: u.protocol === 'smtps:',
      auth: u.username ? { user: decodeURIComponent(u.username), pass: decodeURIComponent(u.password) } : undefined,
      // Certificates are checked unless the URL asks otherwise (a local relay with a self-made certificate).
      rejectUnauthorized: u.searchParams.get('tls_verify') !== 'false',
      max: settings.connections,
      ratePerSecond: settings.ratePerSecond,
    });
  }

  async send(messages: OutgoingMessage[]): Promise<Outcome[]> {
    return Promise.all(messages.map(async (m): Promise<Outcome> => {
      try {
        const returnPath = this.settings.bounceAddress && m.id ? verpAddress(this.settings.bounceAddress, m.id) : this.settings.sender.address;
        const answer = await this.connections.send(emailContent(m, this.settings.sender), { from: returnPath, to: m.address });
        return { id: m.id, result: 'sent', providerId: answer.slice(0, 200) };
      } catch (error) {
        return smtpOutcome(m.id, error as SmtpError, this.description);
      }
    }));
  }

  async check() {
    await this.connections.verify();
    return `${this.description} answered and accepted the login`;
  }

  async close() {
    await this.connections.close();
  }
}
