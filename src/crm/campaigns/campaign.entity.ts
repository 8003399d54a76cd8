import { defineEntity, p } from '@mikro-orm/core';

export const channels = ['email', 'sms'] as const;
export const campaignStatuses = ['draft', 'scheduled', 'sending', 'completed', 'failed', 'cancelled'] as const;

const CampaignSchema = defineEntity({
  name: 'Campaign',
  tableName: 'campaigns',
  properties: {
    id: p.bigint('number').primary(),
    name: p.string(),
    description: p.text().default(''),
    segmentId: p.bigint('number').nullable(),
    segmentVersion: p.integer().nullable(),
    rules: p.json<unknown>(),
    channel: p.enum(channels),
    subject: p.text().nullable(),
    preheader: p.text().nullable(),
    template: p.text(),
    status: p.enum(campaignStatuses).default('draft'),
    audienceSize: p.integer().nullable(),
    holdoutPercent: p.decimal('number').precision(5).scale(2).nullable(),
    attributionDays: p.integer().nullable(),
    tracking: p.boolean().default(true),
    plan: p.json<unknown>().nullable(),
    createdBy: p.bigint('number').nullable(),
    launchedBy: p.bigint('number').nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
    launchedAt: p.datetime().nullable(),
    completedAt: p.datetime().nullable(),
    reportPostedAt: p.datetime().nullable(),
    sendAt: p.datetime().nullable(),
    sendAtBestHour: p.boolean().default(false),
  },
});

export class Campaign extends CampaignSchema.class {}
CampaignSchema.setClass(Campaign);
