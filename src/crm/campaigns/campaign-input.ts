import { z } from 'zod';
import { ruleJson } from '../segments/rule-parser.js';
import { abTestInput } from './ab-test.js';
import { scheduleFields } from './campaign-schedule.js';

const id = z.coerce.number().int().positive();

/** What every campaign says: who (a segment, optionally one version, or inline rules), which channel, what message. */
const campaignFields = {
  description: z.string().max(2000).optional(),
  segmentId: id.optional(),
  segmentVersion: z.number().int().positive().optional(),
  rules: ruleJson.optional(),
  channel: z.enum(['email', 'sms']),
  subject: z.string().max(200).optional().describe('Email subject line; placeholders work here too. The campaign name when not given.'),
  preheader: z.string().max(200).optional().describe('Email preheader: the line an inbox shows after the subject.'),
  template: z.string().max(5000),
  holdoutPercent: z.number().min(0).max(50).optional().describe('Share of the eligible audience kept as a control group that receives nothing (0–50 %); HOLDOUT_PERCENT when not given'),
  tracking: z.boolean().optional().describe('Track opens and clicks of this campaign: email opens and links, SMS links as short links (default true; TRACKING=false turns it off everywhere)'),
  attributionDays: z.number().int().min(1).max(90).optional().describe('Days after a message in which an order counts for the campaign; ATTRIBUTION_DAYS when not given'),
};
const oneAudience = (v: { segmentId?: number; rules?: unknown }) => (v.segmentId === undefined) !== (v.rules === undefined);
const smsHasNoSubject = (v: { channel: string; subject?: string; preheader?: string }) => v.channel === 'email' || (v.subject === undefined && v.preheader === undefined);

/** A campaign to plan: an existing draft by id, or a new one from a segment (optionally one version) or inline rules. */
export const planInput = z.union([
  z.object({ campaignId: id }).strict(),
  z.object({
    name: z.string().trim().min(1).max(200),
    ...campaignFields,
    abTest: abTestInput.optional().describe('Try up to four versions on a share of the audience, then send the winner to the rest; one approval covers it all'),
    ...scheduleFields,
  }).strict()
    .refine(oneAudience, 'give either segmentId or rules (one of them)')
    .refine(smsHasNoSubject, 'subject and preheader are for email campaigns; an SMS has neither')
    .refine((v) => v.channel === 'email' || !v.abTest?.variants.some((x) => x.subject !== undefined), { message: 'an SMS has no subject: its versions differ by template only', path: ['abTest', 'variants'] })
    .refine((v) => !v.abTest || (v.sendAt === undefined && !v.bestHour), { message: 'an A/B test starts when it is approved; it cannot be scheduled yet', path: ['abTest'] })
    .refine((v) => !v.abTest || v.abTest.metric === 'conversions' || v.tracking !== false, { message: 'clicks decide a test only with tracking on (email links and SMS short links); choose metric "conversions"', path: ['abTest', 'metric'] }),
]);
/** The campaign each run of a recurring campaign sends (its name is the automation's and the run's date). */
export const recurringCampaignInput = z.object(campaignFields).strict()
  .refine(oneAudience, 'give either segmentId or rules (one of them)')
  .refine(smsHasNoSubject, 'subject and preheader are for email campaigns; an SMS has neither')
  // Without one, each run's email would carry the run's name ("Weekly win-back · 2026-12-07") as its subject.
  .refine((v) => v.channel === 'sms' || v.subject !== undefined, { message: 'an email sent by a recurring campaign needs its subject', path: ['subject'] });
export type PlanInput = z.output<typeof planInput>;
export type RescheduleInput = z.output<typeof rescheduleInput>;

export const launchInput = z.object({ approvalId: z.uuid('must be the approval id a plan returned') }).strict();
export const cancelInput = z.object({ campaignId: id }).strict();
export const rescheduleInput = z.object({ campaignId: id, ...scheduleFields, sendAt: scheduleFields.sendAt.refine((v) => v === undefined || v.length > 0, 'must be a time, not empty') }).strict()
  .refine((v) => v.sendAt !== undefined || v.bestHour === true, 'give the new time (sendAt), or bestHour: true, or both');
export const historyQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  before: z.coerce.number().int().positive().optional(),
});
