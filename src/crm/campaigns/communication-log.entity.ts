import { defineEntity, p } from '@mikro-orm/core';
import { channels } from './campaign.entity.js';

export const deliveryStatuses = ['queued', 'sending', 'submitted', 'sent', 'failed', 'delivered', 'unconfirmed', 'skipped'] as const;

// One row per campaign and recipient, frozen at launch: the exact message and address that were sent.
const CommunicationLogSchema = defineEntity({
  name: 'CommunicationLog',
  tableName: 'communication_logs',
  properties: {
    id: p.bigint('number').primary(),
    campaignId: p.bigint('number'),
    customerId: p.bigint('number'),
    channel: p.enum(channels),
    address: p.string(),
    subject: p.text().nullable(),
    message: p.text(),
    messageId: p.string().nullable(),
    attempts: p.integer().default(0),
    nextAttemptAt: p.datetime().nullable(),
    status: p.enum(deliveryStatuses).default('queued'),
    /** Which A/B variant the message is (0 = A); null outside A/B tests. */
    variant: p.integer().nullable(),
    vendorMessageId: p.string().nullable(),
    failureReason: p.string().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
    sentAt: p.datetime().nullable(),
    receiptAt: p.datetime().nullable(),
  },
});

export class CommunicationLog extends CommunicationLogSchema.class {}
CommunicationLogSchema.setClass(CommunicationLog);
