import { smsEventsRepository } from './sms-events.repository.js';
import { Inject, Injectable } from '@nestjs/common';
import twilio from 'twilio';
import { z } from 'zod';
import { systemActor } from '../../auth/actor.js';
import type { Config } from '../../config/config.schema.js';
import { CONFIG } from '../../config/config.token.js';
import { Sql } from '../../db/sql.js';
import { ConsentService } from '../consent/consent.service.js';
import { NotFound, parseInput, Unavailable } from '../errors.js';
import { BadSignature } from './receipts.service.js';
import { completeFinishedCampaigns } from './receipts.js';
import { takeOnce } from './feedback/take-once.js';

const twilioStatus = z.object({
  MessageSid: z.string().regex(/^(SM|MM)[0-9a-fA-F]{32}$/, 'must be a Twilio message SID'),
  MessageStatus: z.enum(['accepted', 'scheduled', 'queued', 'sending', 'sent', 'delivered', 'undelivered', 'failed', 'read', 'receiving', 'received', 'canceled', 'partially_delivered']),
  ErrorCode: z.string().max(10).optional(),
}).loose();

const twilioInbound = z.object({
  MessageSid: z.string().min(2).max(64),
  From: z.string().min(3).max(32),
  Body: z.string().max(1600).default(''),
}).loose();

// Twilio's own opt-out keywords (and the ones it recognises for opting back in and for help).
const stopWords = new Set(['STOP', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT', 'OPTOUT', 'REVOKE']);
const startWords = new Set(['START', 'YES', 'UNSTOP', 'OPTIN']);
const helpWords = new Set(['HELP', 'INFO']);

// Twilio errors that mean the number can never take a text: suppressed like an email hard bounce.
const deadNumber = new Set(['30005', '30006', '21211', '21614']);

/**
 * What providers tell the CRM after a message left: Twilio's status callbacks and the texts customers send back
 * (STOP, START, HELP). Each request is checked against its provider's signature before anything is read, and each
 * event is taken once: a replay changes nothing.
 */
@Injectable()
export class ProviderEventsService {
  constructor(private readonly sql: Sql, private readonly consent: ConsentService, @Inject(CONFIG) private readonly config: Config) {}

  private checkTwilio(signature: string | undefined, path: string, params: Record<string, unknown>) {
    const token = this.config.TWILIO_AUTH_TOKEN;
    if (!token) throw new Unavailable('Twilio is not configured here (TWILIO_AUTH_TOKEN is not set).');
    // Twilio signs the address it called, which is this CRM's public address.
    const url = new URL(path, this.config.PUBLIC_URL).toString();
    if (!signature || !twilio.validateRequest(token, signature, url, params)) {
      throw new BadSignature(`Refused: the X-Twilio-Signature ${signature ? 'does not match' : 'is missing'} (Twilio signs ${url} with the account's auth token).`);
    }
  }

  /** A message's fate from Twilio: delivered settles it as sent; undelivered or failed as failed, with Twilio's error. */
  async twilioStatus(signature: string | undefined, path: string, body: unknown) {
    const params = (body ?? {}) as Record<string, unknown>;
    this.checkTwilio(signature, path, params);
    const event = parseInput(twilioStatus, params);
    return this.sql.transaction(async (client) => {
      const message = await smsEventsRepository.bySid(client, event.MessageSid);
      if (!message) throw new NotFound(`No message of this CRM has the Twilio SID ${event.MessageSid}.`);
      if (!(await takeOnce(client, 'twilio', `${event.MessageSid}:${event.MessageStatus}`))) return { applied: false, duplicate: true };
      const settled = event.MessageStatus === 'delivered' ? 'sent' : ['undelivered', 'failed', 'canceled'].includes(event.MessageStatus) ? 'failed' : null;
      if (!settled) return { applied: false, duplicate: false };
      const reason = settled === 'failed' ? `Twilio: ${event.MessageStatus}${event.ErrorCode ? ` (error ${event.ErrorCode})` : ''}` : null;
      const applied = await smsEventsRepository.settle(client, message.id, settled, reason);
      if (settled === 'failed' && event.ErrorCode && deadNumber.has(event.ErrorCode)) {
        await this.consent.suppress(client, 'sms', [{ address: message.address, reason: 'hard_bounce', detail: reason! }]);
      }
      await completeFinishedCampaigns(client, [message.campaignId]);
      return { applied, duplicate: false };
    });
  }

  /**
   * A text a customer sent to our number. STOP (and Twilio's other opt-out words) withdraws SMS consent of every
   * customer with that number and suppresses it; START grants it again and lifts a STOP suppression; HELP is
   * answered. Returns the reply to send back, if any (as TwiML).
   */
  async twilioInbound(signature: string | undefined, path: string, body: unknown): Promise<string> {
    const params = (body ?? {}) as Record<string, unknown>;
    this.checkTwilio(signature, path, params);
    const message = parseInput(twilioInbound, params);
    const reply = new twilio.twiml.MessagingResponse();
    const word = message.Body.trim().split(/\s+/)[0]?.toUpperCase().replace(/[^A-Z]/g, '') ?? '';
    const actor = { ...systemActor(), email: 'twilio' };
    await this.sql.transaction(async (client) => {
      if (!(await takeOnce(client, 'twilio-inbound', message.MessageSid))) return;
      const customers = await smsEventsRepository.customersWithPhone(client, message.From);
      if (stopWords.has(word)) {
        for (const c of customers) await this.consent.record(client, actor, c.id, 'sms', 'withdrawn', `replied ${word} by text`);
        await this.consent.suppress(client, 'sms', [{ address: message.From, reason: 'stop', detail: `replied ${word}` }]);
      } else if (startWords.has(word)) {
        for (const c of customers) await this.consent.record(client, actor, c.id, 'sms', 'granted', `replied ${word} by text`);
        await smsEventsRepository.liftStop(client, message.From);
      } else if (helpWords.has(word)) {
        reply.message(`${this.config.EMAIL_FROM_NAME ?? 'Our shop'}: offers by text. Reply STOP to stop them, START to get them again.`);
      }
    });
    return reply.toString();
  }
}
