import { Inject, Injectable } from '@nestjs/common';
import type { Config } from '../../../config/config.schema.js';
import { CONFIG } from '../../../config/config.token.js';
import { Sql } from '../../../db/sql.js';
import { ConsentService } from '../../consent/consent.service.js';
import { BadInput, parseInput, Unavailable } from '../../errors.js';
import { BadSignature, UnknownMessages } from '../receipts.service.js';
import { applyMailFeedback, type FeedbackResult } from './mail-feedback.js';
import { sendgridBatch, sendgridFeedback, sendgridSignatureProblem } from './sendgrid-events.js';
import { sesFeedback, sesNotification } from './ses-notifications.js';
import { snsMessage, snsSignatureProblem } from './sns-message.js';

const unknownOnly = (r: FeedbackResult) => r.applied === 0 && r.duplicates === 0 && r.unknown.length > 0;

/**
 * Bounces, complaints and unsubscribes reported by email providers after a message was accepted: SendGrid's signed
 * Event Webhook and Amazon SES notifications through SNS. Nothing is read before its signature is checked.
 */
@Injectable()
export class MailFeedbackService {
  constructor(private readonly sql: Sql, private readonly consent: ConsentService, @Inject(CONFIG) private readonly config: Config) {}

  async sendgrid(rawBody: Buffer | undefined, signature: string | undefined, timestamp: string | undefined, body: unknown) {
    const key = this.config.SENDGRID_WEBHOOK_PUBLIC_KEY;
    if (!key) throw new Unavailable('SendGrid events are not taken here: set SENDGRID_WEBHOOK_PUBLIC_KEY to the verification key from SendGrid.');
    const problem = sendgridSignatureProblem(key, signature, timestamp, rawBody ?? Buffer.alloc(0));
    if (problem) throw new BadSignature(`SendGrid events refused: ${problem}.`);
    const events = sendgridFeedback(parseInput(sendgridBatch, body));
    const result = await this.sql.transaction((client) => applyMailFeedback(client, this.consent, 'sendgrid', events));
    if (unknownOnly(result)) throw new UnknownMessages(result.unknown);
    return result;
  }

  async ses(body: unknown) {
    let json: unknown;
    try {
      json = typeof body === 'string' ? JSON.parse(body) : body;
    } catch {
      throw new BadInput([{ path: '', message: 'the body must be an Amazon SNS message (JSON)' }]);
    }
    const message = parseInput(snsMessage, json);
    const certUrlPattern = new RegExp(this.config.SNS_CERT_URL_PATTERN);
    const problem = await snsSignatureProblem(message, { topics: this.config.SES_SNS_TOPIC_ARNS, certUrlPattern });
    if (problem) throw new BadSignature(`SNS message refused: ${problem}.`);
    if (message.Type === 'SubscriptionConfirmation') {
      // Subscribing is confirmed by visiting the address SNS gave, which must be Amazon's too.
      if (!message.SubscribeURL || !certUrlPattern.test(message.SubscribeURL)) throw new BadSignature('SNS subscription refused: the confirmation address is not on an Amazon SNS address.');
      const res = await fetch(message.SubscribeURL, { signal: AbortSignal.timeout(5000), redirect: 'error' });
      if (!res.ok) throw new Unavailable(`SNS did not confirm the subscription (${res.status}).`);
      return { subscribed: message.TopicArn };
    }
    if (message.Type !== 'Notification') return { ignored: message.Type };
    let notification: unknown;
    try {
      notification = JSON.parse(message.Message);
    } catch {
      throw new BadInput([{ path: 'Message', message: 'must be an SES notification (JSON)' }]);
    }
    const events = sesFeedback(parseInput(sesNotification, notification));
    const result = await this.sql.transaction((client) => applyMailFeedback(client, this.consent, 'ses', events));
    if (unknownOnly(result)) throw new UnknownMessages(result.unknown);
    return result;
  }
}
