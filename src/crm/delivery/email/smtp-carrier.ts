import nodemailer, { type Transporter } from 'nodemailer';
import type { Carrier, OutgoingMessage, Outcome } from '../carrier.js';
import { emailContent, type EmailSender } from './email-content.js';
import { smtpOutcome, type SmtpError } from './smtp-outcome.js';

export interface SmtpSettings { url: string; sender: EmailSender; connections: number; ratePerSecond: number }

/** The mail server as people may see it: host and port, never the user or password of SMTP_URL. */
export function describeSmtp(url: string) {
  const u = new URL(url);
  return `the mail server at ${u.hostname}:${u.port || (u.protocol === 'smtps:' ? '465' : '587')}`;
}

/**
 * Email through any SMTP relay (Amazon SES, SendGrid, Postmark, Mailgun, Gmail, a local Postfix) with nodemailer:
 * a pool of open connections, each reused for many messages, and the provider's sending rate as a limit.
 */
export class SmtpCarrier implements Carrier {
  readonly description: string;
  private readonly transport: Transporter;

  constructor(private readonly settings: SmtpSettings) {
    this.description = describeSmtp(settings.url);
    const u = new URL(settings.url);
    this.transport = nodemailer.createTransport({
      pool: true,
      host: u.hostname,
      port: Number(u.port || (u.protocol === 'smtps:' ? 465 : 587)),
      secure: u.protocol === 'smtps:',
      auth: u.username ? { user: decodeURIComponent(u.username), pass: decodeURIComponent(u.password) } : undefined,
      maxConnections: settings.connections,
      maxMessages: 1000,
      ...(settings.ratePerSecond > 0 ? { rateLimit: settings.ratePerSecond, rateDelta: 1000 } : {}),
      // A server that stops answering must not hold messages in 'sending' for the default ten minutes.
      connectionTimeout: 15_000, greetingTimeout: 15_000, socketTimeout: 60_000,
      // Certificates are checked unless the URL asks otherwise (a local relay with a self-made certificate).
      tls: { rejectUnauthorized: u.searchParams.get('tls_verify') !== 'false' },
    });
  }

  async send(messages: OutgoingMessage[]): Promise<Outcome[]> {
    return Promise.all(messages.map(async (m): Promise<Outcome> => {
      try {
        const info = await this.transport.sendMail(emailContent(m, this.settings.sender));
        return { id: m.id, result: 'sent', providerId: String(info.response ?? info.messageId).slice(0, 200) };
      } catch (error) {
        return smtpOutcome(m.id, error as SmtpError, this.description);
      }
    }));
  }

  async check() {
    await this.transport.verify();
    return `${this.description} answered and accepted the login`;
  }

  async close() {
    this.transport.close();
  }
}
