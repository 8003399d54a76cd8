import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { AuditService } from '../../audit/audit.service.js';
import type { Actor } from '../../auth/actor.js';
import { authorize } from '../../auth/authorize.js';
import type { Config } from '../../config/config.schema.js';
import { CONFIG } from '../../config/config.token.js';
import { Refused } from '../errors.js';
import { channelRoutes, configuredCarrier } from './carriers-setup.js';

export const testMessageInput = z.object({
  channel: z.enum(['email', 'sms']),
  to: z.string().trim().min(3).max(320).describe('Your own email address or phone number (with country code, e.g. +91…)'),
  subject: z.string().trim().min(1).max(200).default('A test message from your CRM'),
  message: z.string().trim().min(1).max(1600).default('This is a test message from your CRM. If you can read it, campaigns reach this inbox.'),
}).strict().superRefine((v, ctx) => {
  if (v.channel === 'email' && !z.email().safeParse(v.to).success) ctx.addIssue({ code: 'custom', path: ['to'], message: 'must be an email address for an email test' });
  if (v.channel === 'sms' && !/^\+?[\d\s().-]{7,20}$/.test(v.to)) ctx.addIssue({ code: 'custom', path: ['to'], message: 'must be a phone number for an SMS test, e.g. +91 98200 12345' });
});
export type TestMessageInput = z.output<typeof testMessageInput>;

/**
 * One message through the configured carrier to an address the operator gives, to see that email or SMS really
 * leaves and what the provider answers. It is a send: it needs the launch permission and, from the agent or MCP,
 * a person's approval. It is refused when the channel only has the simulator, so nobody mistakes a simulated
 * "sent" for a message in their inbox.
 */
@Injectable()
export class TestMessagesService {
  constructor(private readonly audit: AuditService, @Inject(CONFIG) private readonly config: Config) {}

  async send(actor: Actor, input: TestMessageInput) {
    authorize(actor, 'campaigns.send');
    const route = channelRoutes(this.config)[input.channel];
    if (!route.real) {
      throw new Refused(`Nothing was sent: ${input.channel === 'email' ? 'email' : 'SMS'} goes to ${route.description}. ${input.channel === 'email' ? 'Set SMTP_URL and EMAIL_FROM' : 'Set TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and TWILIO_FROM'} to send for real.`);
    }
    // Only the carrier of this channel is made, and closed again once it has answered.
    const carrier = configuredCarrier(this.config, input.channel)!;
    try {
      const domain = (this.config.EMAIL_FROM ?? 'crm.invalid').split('@')[1];
      const [outcome] = await carrier.send([{
        id: 0, campaignId: 0, customerId: 0, channel: input.channel, address: input.to, subject: input.subject, preheader: null,
        message: input.message, messageId: `<test-${randomUUID()}@${domain}>`, unsubscribeUrl: new URL('/unsubscribe/test', this.config.PUBLIC_URL).toString(),
      }]);
      const accepted = outcome.result === 'sent' || outcome.result === 'submitted';
      const answer = 'providerId' in outcome ? outcome.providerId : outcome.reason;
      await this.audit.record(actor, 'message.test', null, { channel: input.channel, to: input.to, accepted });
      return { channel: input.channel, to: input.to, carrier: route.description, accepted, answer };
    } finally {
      await carrier.close();
    }
  }
}
